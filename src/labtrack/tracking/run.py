"""`Run`: the handle of one running try. `log` is the hot path: it only appends to a buffer."""

from __future__ import annotations

import contextlib
import operator
import time
import traceback as tb
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import ActiveRunError, InvalidValue
from .failures import cause_of, warn_once
from .values import flatten_params, metric_value

if TYPE_CHECKING:
    from ..store import Store
    from ..store.reads import RunRecord


class Run:
    """A run being recorded. Get one from `lt.run(...)` or `lt.start_run(...)`.

    >>> with lt.run("baseline") as run:
    ...     run.log(loss=0.5)
    """

    def __init__(self, store: Store, number: int, uuid: str, name: str | None, experiment: str):
        self.store = store
        self.number = number
        self.uuid = uuid
        self.name = name
        self.experiment = experiment
        self.status = "running"
        self.owner_pid: int | None = None  # set in a forked child: the process that owns this run
        self._buffer = store.points.buffer
        self._limit = store.points.limit
        self._keys: dict[str, list[int]] = {}
        self.append_points = self._make_appender()

    def __repr__(self) -> str:
        label = f" {self.name!r}" if self.name else ""
        return f"<labtrack run #{self.number}{label} {self.status}>"

    @property
    def active(self) -> bool:
        return self.status == "running"

    def log(self, step: int | Mapping[str, Any] | None = None, **metrics: Any) -> None:
        """Log metric values at `step` (default: each metric's next step, counting from 0).

        >>> run.log(loss=0.31, acc=0.88)          # steps 0, 1, 2, ... per metric
        >>> run.log(step=100, loss=0.12)
        >>> run.log({"val/loss": 0.2})            # names that are not identifiers
        """
        if isinstance(step, Mapping):
            self.log_metrics({**step, **metrics})
        else:
            self.log_metrics(metrics, step)

    def log_metrics(self, metrics: Mapping[str, Any], step: int | None = None) -> None:
        """Log a mapping of metric values at `step` (default: each metric's next step)."""
        self.append_points(metrics, step)

    def _make_appender(self) -> Callable[[Mapping[str, Any], int | None], None]:
        """The hot path of logging, as a closure (no attribute lookups per call): it only appends
        (run, key id, step, value, wall ms) tuples to the store's buffer; flushes write them."""
        keys = self._keys
        buffer = self._buffer
        number = self.number
        limit = self._limit
        key_id = self.store.key_id
        buffer_full = self.store.points.buffer_full
        revisited = self.store.points.revisited.add
        clock = time.time_ns

        def append_points(metrics: Mapping[str, Any], step: int | None) -> None:
            wall_ms = clock() // 1_000_000
            if step is not None and step.__class__ is not int:
                step = whole_step(step)
            for name, value in metrics.items():
                state = keys.get(name)  # [key id, next step, last value]
                if state is None:
                    state = keys[name] = [key_id(name), 0, None]
                # the value first: a refused value uses no step
                v = value if value.__class__ is float else metric_value(name, value)
                if step is None:
                    s = state[1]
                else:
                    s = step
                    # SQLite's INTEGER: a step beyond it would block every flush
                    if not MIN_STEP <= s <= MAX_STEP:
                        raise InvalidValue(
                            f"step {step} is out of range; steps are 64-bit integers (< 2**63)"
                        )
                    # a step again, or back: the writer rebuilds this summary from the history
                    if s < state[1]:
                        revisited((number, state[0]))
                state[1] = s + 1
                state[2] = v
                buffer.append((number, state[0], s, v, wall_ms))
            if len(buffer) >= limit:
                buffer_full()

        return append_points

    def release_to(self, owner_pid: int) -> None:
        """In a forked child: this run belongs to `owner_pid`; logging raises, ending does nothing."""
        self.owner_pid = owner_pid
        self.append_points = self._refuse_in_child

    def _refuse_in_child(self, metrics: Mapping[str, Any], step: int | None) -> None:
        from ..fluent.processes import worker_message

        raise ActiveRunError(worker_message(self.number, self.owner_pid))

    def latest(self) -> dict[str, tuple[int, float]]:
        """Each metric's last logged (step, value), from memory: cheap enough to poll for live views."""
        return {name: (state[1] - 1, state[2]) for name, state in list(self._keys.items())}

    def _refuse_points(self, metrics: Mapping[str, Any], step: int | None) -> None:
        raise ActiveRunError(
            f"run #{self.number} has ended ({self.status}); start a new run to log more"
        )

    def log_params(self, **params: Any) -> None:
        """Record parameters; values keep their type (int, float, str, bool, lists as JSON) and nested
        dicts become dotted names: `cfg={"lr": 0.1}` is the param `cfg.lr`."""
        self._check_active()
        with self._soft("record params"):
            self.store.set_params(self.number, flatten_params(params))

    def set_fields(self, **fields: Any) -> None:
        """Record fields of the run itself: code, notebook, execution_count, environment_id."""
        with self._soft("record the run's fields"):
            self.store.update_run(self.number, **fields)

    def set_tags(self, **tags: Any) -> None:
        """Attach text labels to the run."""
        self._check_active(allow_ended=True)
        with self._soft("record tags"):
            self.store.set_tags(self.number, tags)

    def log_artifact(self, obj: Any, name: str | None = None, *, format: str | None = None) -> str:
        """Store a file path, bytes, text, a matplotlib Figure (PNG) or a DataFrame (Parquet or CSV)."""
        from .encoding import encode_artifact

        self._check_active(allow_ended=True)
        artifact_name, data, media_type = encode_artifact(obj, name, format)
        with self._soft(f"store artifact {artifact_name!r}"):
            self.store.add_artifact(self.number, artifact_name, data, media_type)
        return artifact_name

    def log_dataset(self, df: Any, name: str, context: str | None = None) -> str:
        """Record a data set's content fingerprint, schema and shape (not its content), and its role
        (`context`: "training", "eval", ...; filter with `datasets.context = 'training'`)."""
        from .encoding import dataset_fingerprint

        self._check_active(allow_ended=True)
        fingerprint, schema = dataset_fingerprint(df)
        with self._soft(f"record data set {name!r}"):
            self.store.add_dataset(self.number, name, fingerprint, tuple(df.shape), schema, context)
        return fingerprint

    def end(self, status: str = "finished", error: BaseException | None = None) -> None:
        """End the run with `status` (finished, failed, interrupted); `error` is recorded if given."""
        if self.status != "running" or self.owner_pid is not None:
            return  # ended already, or the parent's run seen from a forked child: the parent ends it
        fields: dict[str, Any] = {}
        if error is not None:
            fields = {
                "error_type": type(error).__name__,
                "error_message": str(error),
                "traceback": "".join(tb.format_exception(type(error), error, error.__traceback__)),
            }
        self.append_points = self._refuse_points
        self.status = status
        with self._soft("record the end"):  # retried by the flusher once the store takes writes
            self.store.end_run(self.number, status, **fields)

    def record(self) -> RunRecord:
        """Everything recorded about this run so far (flushed first)."""
        self.store.points.flush_for_read()
        return self.store.run_record(self.number)

    @contextlib.contextmanager
    def _soft(self, step: str) -> Iterator[None]:
        """A store that cannot be written (full disk, read-only) warns once and the caller carries on;
        mistakes in the call itself still raise."""
        try:
            yield
        except Exception as exc:
            cause = cause_of(exc, str(self.store.path))
            if cause.key in ("bug", "data"):
                raise
            warn_once(
                exc,
                f"labtrack could not {step} of run #{self.number} ({type(exc).__name__}: {exc});"
                f" your code runs on without it. To fix: {cause.fix}.",
            )

    def _check_active(self, allow_ended: bool = False) -> None:
        if self.owner_pid is not None:
            self._refuse_in_child({}, None)
        if self.status != "running" and not allow_ended:
            raise ActiveRunError(
                f"run #{self.number} has ended ({self.status}); start a new run to record more"
            )


MAX_STEP = 2**63 - 1
MIN_STEP = -(2**63)


def whole_step(step: Any) -> int:
    """`step` as an int: whole numbers of any type pass (2, np.int64(2), 2.0); anything else is refused.

    >>> whole_step(3.0)
    3
    """
    try:
        return operator.index(step)
    except TypeError:
        pass
    if isinstance(step, (float, int)) or hasattr(step, "is_integer") or hasattr(step, "item"):
        number = float(step)
        if number.is_integer():
            return int(number)
    raise InvalidValue(
        f"step {step!r} is not a whole number; steps are integers (0, 1, 2, ...). To record a position"
        " such as epoch 0.5, log it as a metric: lt.log(epoch=0.5, loss=...)"
    )


def status_for(exc: BaseException | None) -> str:
    """How a run ends when `exc` escapes its block: `sys.exit(0)` and `sys.exit()` are a success.

    >>> status_for(SystemExit(0))
    'finished'
    """
    if exc is None:
        return "finished"
    if isinstance(exc, SystemExit) and exc.code in (None, 0):
        return "finished"
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    return "failed"
