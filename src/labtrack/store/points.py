"""The metric-point writer: points gather in memory and reach SQLite in one transaction per flush.

A flush happens when a run ends, when the buffer fills, and at least once a second from a
background thread, which also refreshes the heartbeat of the runs still running.
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from itertools import chain, groupby
from operator import itemgetter
from typing import TYPE_CHECKING

from ..tracking.failures import (
    TrackingWarning,
    cause_of,
    ignore_file_size_signal,
    recovered,
    warn_once,
)

if TYPE_CHECKING:
    from .store import Store

# (run_id, key_id, step, value, wall_ms)
Point = tuple[int, int, int, float, int]

FLUSH_EVERY_S = 1.0
BUFFER_LIMIT = 100_000
MAX_BUFFERED = 1_000_000  # points kept in memory while the store cannot be written (~140 MB)


def summarize(points: list[Point]) -> dict[tuple[int, int], tuple]:
    """Per (run, key): (last, last_step, min, max, sum, count, nan_count) of a batch of points.

    `points` must be grouped by (run, key) (see `group_points`); the work is done by C-level
    builtins over each group, so it costs little next to the INSERT itself.
    """
    out: dict[tuple[int, int], tuple] = {}
    for pair, group in groupby(points, key=_pair):
        rows = list(group)
        values = list(map(_value, rows))
        last_step = max(map(_step, rows))
        if rows[-1][2] == last_step:  # the usual case: the newest point holds the top step
            last = values[-1]
        else:  # the latest point logged at the top step
            last = next(row[3] for row in reversed(rows) if row[2] == last_step)
        total = _fast_total(values)
        if total is not None:  # no NaN: every value counts
            out[pair] = (last, last_step, min(values), max(values), total, len(values), 0)
            continue
        finite = [v for v in values if v == v]  # NaN != NaN
        if finite:
            out[pair] = (
                last,
                last_step,
                min(finite),
                max(finite),
                _total(finite),
                len(finite),
                len(values) - len(finite),
            )
        else:
            out[pair] = (last, last_step, None, None, 0.0, 0, len(values))
    return out


def _fast_total(values: list[float]) -> float | None:
    """The exact sum when no value is NaN (and no +inf meets -inf); None otherwise."""
    try:
        total = math.fsum(values)
    except (OverflowError, ValueError):
        return None
    return total if total == total else None


def _total(values: list[float]) -> float:
    """The sum of non-NaN values, never raising. When +inf and -inf both occur the sum is NaN, which
    SQLite cannot store: 0.0 stands in, and readers take the mean as NaN when min = -inf, max = +inf."""
    try:
        return math.fsum(values)
    except (OverflowError, ValueError):  # an infinity, or finite values summing beyond float range
        pass
    positive, negative = math.inf in values, -math.inf in values
    if positive or negative:
        return 0.0 if positive and negative else math.inf if positive else -math.inf
    return sum(values)  # finite values beyond float range: +inf or -inf, never NaN


def group_points(points: list[Point]) -> list[Point]:
    """The points grouped by (run, key), logging order kept inside each group (a stable sort).

    Grouping also makes the INSERT walk the (run, key, step) index in order.
    """
    if len(set(map(_pair, points))) == 1:
        return points
    return sorted(points, key=_pair)


ROWS_PER_INSERT = 100  # x 5 values = 500 bound parameters, well within SQLite's limit
_INSERT_ONE = "INSERT OR REPLACE INTO metric_points VALUES (?, ?, ?, ?, ?)"
_INSERT_MANY = "INSERT OR REPLACE INTO metric_points VALUES " + ",".join(
    ["(?, ?, ?, ?, ?)"] * ROWS_PER_INSERT
)


def insert_points(conn: sqlite3.Connection, points: list[tuple]) -> None:
    """Insert points 100 rows per statement: about twice as fast as one row per statement."""
    whole = len(points) - len(points) % ROWS_PER_INSERT
    if whole:
        flat = list(chain.from_iterable(points[:whole]))
        width = 5 * ROWS_PER_INSERT
        conn.executemany(_INSERT_MANY, [flat[i : i + width] for i in range(0, len(flat), width)])
    if whole < len(points):
        conn.executemany(_INSERT_ONE, points[whole:])


def recompute_summaries(conn: sqlite3.Connection, pairs: Iterable[tuple[int, int]]) -> None:
    """Set the summaries of these (run, key) pairs from their whole stored history: a step logged
    again replaced its point, so adding the batch up would count the old value too."""
    rows = []
    for run_id, key_id in pairs:
        found = conn.execute(_RECOMPUTE, (run_id, key_id, run_id, key_id)).fetchone()
        if found[1] is not None:  # the pair has points
            rows.append((run_id, key_id, *found))
    conn.executemany(
        "INSERT OR REPLACE INTO metric_summaries (run_id, key_id, last, last_step, min, max, sum, count, nan_count)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


# NaN is stored as NULL; a sum that meets +inf and -inf is NULL too, stored as 0.0 (see _total)
_RECOMPUTE = """
SELECT (SELECT value FROM metric_points WHERE run_id = ? AND key_id = ? ORDER BY step DESC LIMIT 1),
       max(step), min(value), max(value), COALESCE(sum(value), 0.0), count(value), count(*) - count(value)
FROM metric_points WHERE run_id = ? AND key_id = ?
"""


def valid_steps(points: list[Point]) -> list[Point]:
    """The points whose step SQLite can store (a 64-bit integer)."""
    return [p for p in points if -(2**63) <= p[2] < 2**63]


_pair = itemgetter(0, 1)
_step = itemgetter(2)
_value = itemgetter(3)


class PointWriter:
    """Owns the in-memory buffer of one store and the thread that flushes it.

    While the store cannot be written (a full disk, a read-only file, a file-size limit) the points
    stay buffered, up to `max_buffered` (the oldest beyond it are dropped and counted), the failure
    is reported once, and the flusher retries every second.
    """

    def __init__(self, store: Store, flush_every: float = FLUSH_EVERY_S, limit: int = BUFFER_LIMIT):
        self.store = store
        self.buffer: list[Point] = []
        self.limit = limit
        self.max_buffered = MAX_BUFFERED
        self.flush_every = flush_every
        self.running_runs: set[int] = set()
        # (run, key) pairs that logged a step again or back: their summaries come from the history
        self.revisited: set[tuple[int, int]] = set()
        self._settled: set[tuple[int, int]] = set()  # revisited pairs recomputed at least once
        self.pending_ends: list[
            Callable[[], None]
        ] = []  # run ends that failed: retried after a flush
        self.failing = False  # the last write failed
        self.dropped = 0  # points dropped since the store last failed, past `max_buffered`
        self._last_try = 0.0
        self._flush_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = False
        self._thread: threading.Thread | None = None
        self.last_flush = time.monotonic()
        self.on_error: Callable[[BaseException], None] = self.report
        ignore_file_size_signal()

    def start(self) -> None:
        """Start the background flusher (once)."""
        if self._thread is None or not self._thread.is_alive():
            self._stop = False
            self._thread = threading.Thread(target=self._loop, name="labtrack-flusher", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Flush what is buffered and stop the background thread."""
        self._stop = True
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)
        self._thread = None
        try:
            self.flush()
        except (
            Exception
        ) as exc:  # closing (at exit, say) with the store still unwritable: say what is lost
            if self.buffer or self.dropped:
                import warnings

                warnings.warn_explicit(
                    f"labtrack: {len(self.buffer) + self.dropped:,} metric point(s) could not be saved before the"
                    f" store closed ({type(exc).__name__}: {exc})",
                    TrackingWarning,
                    "labtrack",
                    0,
                    module="labtrack",
                )
            raise

    def buffer_full(self) -> None:
        """Called by loggers when the buffer passed its limit: flush in the caller's thread.

        (Handing the work to the flusher thread is slower: the two threads would trade the GIL
        around every row SQLite writes.) While the store fails, retry at most once a second and
        never raise: the caller is the user's `lt.log`."""
        if self.failing and time.monotonic() - self._last_try < self.flush_every:
            self._bound()
            return
        try:
            self.flush()
        except Exception as exc:
            self.report(exc)

    def flush_for_read(self) -> None:
        """Flush before a read, which must work even when the store cannot be written."""
        if self.buffer or self.pending_ends:
            try:
                self.flush()
            except Exception as exc:
                self.report(exc)

    def report(self, exc: BaseException) -> None:
        """Tell the user, once per cause, that points could not be saved (never raises)."""
        cause = cause_of(exc, str(self.store.path))
        kept = f"{len(self.buffer):,} point(s) stay in memory (up to {self.max_buffered:,}) and are saved when it works again"
        warn_once(
            exc,
            f"labtrack could not save metric points ({type(exc).__name__}: {exc}); your code runs on,"
            f" {kept}. To fix: {cause.fix}.",
        )

    def flush(self) -> int:
        """Write every buffered point (and run ends that failed before) now; return how many points."""
        with self._flush_lock:
            buffer = self.buffer
            # Flags first: a pair is flagged after its point is appended, so a flag seen here has its
            # point in this chunk or an earlier one, and recomputing after this write is exact.
            flagged = set(self.revisited) if self.revisited else set()
            n = len(buffer)
            fresh = flagged - self._settled
            if n == 0 and not fresh and not self.pending_ends:
                return 0
            # Slicing then deleting keeps points appended meanwhile by other threads.
            chunk = buffer[:n]
            recompute = fresh | (flagged & set(map(_pair, chunk))) if flagged else set()
            self._last_try = time.monotonic()
            try:
                try:
                    self.store.write_points(chunk, self.running_runs, recompute)
                except (
                    OverflowError
                ):  # a step beyond SQLite's 64-bit INTEGER: refuse it, keep the rest
                    kept = valid_steps(chunk)
                    _warn_dropped(len(chunk) - len(kept))
                    self.store.write_points(kept, self.running_runs, recompute)
            except BaseException:
                self.failing = True
                self._bound()
                raise
            del buffer[:n]
            self._settled |= flagged
            self.last_flush = time.monotonic()
            self._recovered()
            return n

    def _bound(self) -> None:
        """Keep memory bounded while the store fails: drop the oldest points past `max_buffered`."""
        excess = len(self.buffer) - self.max_buffered
        if excess > 0:
            excess = max(
                excess, self.max_buffered // 10
            )  # in blocks: deleting from the head moves the list
            del self.buffer[:excess]
            self.dropped += excess

    def _recovered(self) -> None:
        """The store took a write: finish the run ends that failed, and say what was lost, if anything."""
        self.failing = False
        while self.pending_ends:
            self.pending_ends[0]()
            self.pending_ends.pop(0)
        if self.dropped:
            dropped, self.dropped = self.dropped, 0
            import warnings

            warnings.warn_explicit(
                f"labtrack: the store is writable again; {dropped:,} metric point(s) logged while it was not"
                f" were dropped (at most {self.max_buffered:,} are kept in memory), the rest are saved",
                TrackingWarning,
                "labtrack",
                0,
                module="labtrack",
            )
        recovered()

    def _loop(self) -> None:
        while not self._stop:
            # Wake a period after the last flush, the loggers' own included, so no point waits
            # much longer than a period (an idle writer sleeps a full period).
            due = self.last_flush + self.flush_every - time.monotonic()
            self._wake.wait(due if due > 0 else self.flush_every)
            self._wake.clear()
            if self._stop:
                break
            if time.monotonic() - self.last_flush < 0.5 * self.flush_every:
                continue  # the loggers flushed lately (a full buffer); don't contend with them
            try:
                if not self.flush() and self.running_runs:
                    self.store.heartbeat(self.running_runs)
                    self.last_flush = time.monotonic()
            except BaseException as exc:  # never kill the thread; report once per cause
                self.on_error(exc)


def _warn_dropped(count: int) -> None:
    import warnings

    warnings.warn(
        f"labtrack: {count} metric point(s) had a step beyond 2**63 - 1 and were not saved;"
        " steps are 64-bit integers",
        RuntimeWarning,
        stacklevel=3,
    )
