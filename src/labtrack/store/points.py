"""The metric-point writer: points gather in memory and reach SQLite in one transaction per flush.

A flush happens when a run ends, when the buffer fills, and at least once a second from a
background thread, which also refreshes the heartbeat of the runs still running.
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections.abc import Callable
from itertools import chain, groupby
from operator import itemgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store import Store

# (run_id, key_id, step, value, wall_ms)
Point = tuple[int, int, int, float, int]

FLUSH_EVERY_S = 1.0
BUFFER_LIMIT = 100_000


def summarize(points: list[Point]) -> dict[tuple[int, int], tuple]:
    """Per (run, key): (last, last_step, min, max, sum, count, nan_count) of a batch of points.

    `points` must be grouped by (run, key) (see `group_points`); the work is done by C-level
    builtins over each group, so it costs little next to the INSERT itself.
    """
    out: dict[tuple[int, int], tuple] = {}
    for pair, group in groupby(points, key=_pair):
        rows = list(group)
        steps = list(map(_step, rows))
        values = list(map(_value, rows))
        finite = [v for v in values if v == v]  # NaN != NaN
        last_step = max(steps)
        last = values[len(steps) - 1 - steps[::-1].index(last_step)]  # latest point at the top step
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


_pair = itemgetter(0, 1)
_step = itemgetter(2)
_value = itemgetter(3)


class PointWriter:
    """Owns the in-memory buffer of one store and the thread that flushes it."""

    def __init__(self, store: Store, flush_every: float = FLUSH_EVERY_S, limit: int = BUFFER_LIMIT):
        self.store = store
        self.buffer: list[Point] = []
        self.limit = limit
        self.flush_every = flush_every
        self.running_runs: set[int] = set()
        self._flush_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = False
        self._thread: threading.Thread | None = None
        self.last_flush = time.monotonic()
        self.on_error: Callable[[BaseException], None] = _warn_once

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
        self.flush()

    def buffer_full(self) -> None:
        """Called by loggers when the buffer passed its limit: flush in the caller's thread.

        (Handing the work to the flusher thread is slower: the two threads would trade the GIL
        around every row SQLite writes.)"""
        self.flush()

    def flush(self) -> int:
        """Write every buffered point now; return how many were written."""
        with self._flush_lock:
            buffer = self.buffer
            n = len(buffer)
            if n == 0:
                return 0
            # Slicing then deleting keeps points appended meanwhile by other threads.
            chunk = buffer[:n]
            try:
                self.store.write_points(chunk, self.running_runs)
            except BaseException:
                if n >= 10 * self.limit:  # a store that keeps failing must not eat all memory
                    del buffer[:n]
                raise
            del buffer[:n]
            self.last_flush = time.monotonic()
            return n

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
            except BaseException as exc:  # never kill the thread; report once per error
                self.on_error(exc)


_warned: set[str] = set()


def _warn_once(exc: BaseException) -> None:
    """The background flusher's errors reach the user once per kind, as a warning (never a crash)."""
    kind = f"{type(exc).__name__}: {exc}"
    if kind not in _warned:
        _warned.add(kind)
        import warnings

        warnings.warn(
            f"labtrack could not save metric points in the background ({kind});"
            " they stay buffered and are retried",
            RuntimeWarning,
            stacklevel=2,
        )
