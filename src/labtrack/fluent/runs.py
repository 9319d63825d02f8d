"""The public Python API (DESIGN §4). Every face — magics, widgets, CLI, server — calls these."""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import ActiveRunError
from ..tracking.run import Run, status_for

if TYPE_CHECKING:
    import pandas as pd

    from ..comparisons.comparison import Comparison
    from ..store import Store
    from ..store.reads import RunRecord

DEFAULT_EXPERIMENT = "Default"


class _Session:
    """The process's default store and its stack of active runs (innermost last)."""

    def __init__(self) -> None:
        self.store: Store | None = None
        self.stack: list[Run] = []
        self.experiment: str | None = None
        self.hypothesis_id: int | None = None  # the active hypothesis: new runs link to it
        self.lock = threading.RLock()


_session = _Session()


def current_store() -> Store:
    """The store in use: the one given to `lt.open`, else the one DESIGN §3 finds (created if needed)."""
    store = _session.store
    if store is None:
        with _session.lock:
            if _session.store is None:
                from ..store import Store

                _session.store = Store.open()
            store = _session.store
    return store


def open(path: str | os.PathLike[str] | None = None) -> Store:  # noqa: A001 - the documented name
    """Use the store at `path` (a folder or a .db file) from now on, and return it.

    >>> lt.open("/tmp/study/.labtrack")
    """
    from ..store import Store

    with _session.lock:
        if _session.stack:
            raise ActiveRunError(
                f"run #{_session.stack[-1].number} is active; end it (lt.end_run()) before switching stores"
            )
        store = Store.open(path)
        if _session.store is not None:
            _session.store.close()
        _session.store = store
        _session.hypothesis_id = None
    return store


def set_experiment(name: str | None) -> None:
    """Name the experiment that new runs join (None: LABTRACK_EXPERIMENT, else 'Default')."""
    _session.experiment = name


def default_experiment() -> str:
    return _session.experiment or os.environ.get("LABTRACK_EXPERIMENT") or DEFAULT_EXPERIMENT


def active_run() -> Run | None:
    """The innermost active run, or None."""
    return _session.stack[-1] if _session.stack else None


def start_run(
    name: str | None = None,
    *,
    params: dict[str, Any] | None = None,
    hypothesis: int | str | bool | None = None,
    tags: dict[str, Any] | None = None,
    experiment: str | None = None,
    nested: bool = False,
    fields: dict[str, Any] | None = None,
) -> Run:
    """Start recording a run and make it the active one; end it with `lt.end_run()`.

    `hypothesis`: the id it tests (3 or "H3"); None links it to the active hypothesis, if any;
    "none" (or False) opts out.

    >>> run = lt.start_run("baseline", params={"lr": 0.01})
    """
    store = current_store()
    _watch_uncaught()
    with _session.lock:
        parent = active_run()
        if parent is not None and not nested:
            raise ActiveRunError(
                f"run #{parent.number} is still active; end it with lt.end_run() (or `%track stop`),"
                " or pass nested=True to record a child run"
            )
        exp = experiment or default_experiment()
        from .evidence import resolve_for_new_run

        number, uuid = store.create_run(
            exp, name=name, parent_id=parent.number if parent else None,
            hypothesis_id=resolve_for_new_run(hypothesis), fields=fields,
        )
        run = Run(store, number, uuid, name, exp)
        _session.stack.append(run)
    try:
        if params:
            run.log_params(**params)
        if tags:
            run.set_tags(**tags)
    except BaseException as exc:
        end_run("failed", error=exc)
        raise
    return run


def end_run(status: str = "finished", *, error: BaseException | None = None) -> None:
    """End the active run (finished unless told otherwise)."""
    with _session.lock:
        if not _session.stack:
            raise ActiveRunError("no active run to end; start one with lt.start_run() or `with lt.run():`")
        run = _session.stack.pop()
    run.end(status, error)


@contextlib.contextmanager
def run(
    name: str | None = None,
    *,
    params: dict[str, Any] | None = None,
    hypothesis: int | str | bool | None = None,
    tags: dict[str, Any] | None = None,
    experiment: str | None = None,
    nested: bool = False,
) -> Iterator[Run]:
    """Record the block as one run: finished, failed (exception recorded) or interrupted.

    >>> with lt.run("baseline", params={"lr": 0.01}):
    ...     lt.log(loss=0.3)
    """
    current = start_run(name, params=params, hypothesis=hypothesis, tags=tags, experiment=experiment, nested=nested)
    try:
        yield current
    except BaseException as exc:
        _end_specific(current, status_for(exc), exc)
        raise
    _end_specific(current, "finished", None)


def _end_specific(target: Run, status: str, error: BaseException | None) -> None:
    with _session.lock:
        if target in _session.stack:
            _session.stack.remove(target)
    target.end(status, error)


def _require_run() -> Run:
    current = active_run()
    if current is None:
        raise ActiveRunError("no active run: wrap the code in `with lt.run():`, call lt.start_run(), or use %%track")
    return current


def log(step: int | None = None, **metrics: Any) -> None:
    """Log metric values to the active run (see `Run.log`).

    >>> lt.log(loss=0.31, acc=0.88)
    """
    stack = _session.stack
    current = stack[-1] if stack else _require_run()
    if step.__class__ is dict:
        current.append_points({**step, **metrics}, None)
    else:
        current.append_points(metrics, step)


def log_params(**params: Any) -> None:
    """Record parameters of the active run."""
    _require_run().log_params(**params)


def log_artifact(obj_or_path: Any, name: str | None = None, *, format: str | None = None) -> str:
    """Store an artifact for the active run: a path, bytes, text, a Figure or a DataFrame."""
    return _require_run().log_artifact(obj_or_path, name, format=format)


def log_dataset(df: Any, name: str, context: str | None = None) -> str:
    """Record a DataFrame's fingerprint, schema and shape (and role: "training", ...) for the active run."""
    return _require_run().log_dataset(df, name, context)


def runs(filter: str | None = None, *, experiment: str | None = None) -> pd.DataFrame:
    """A DataFrame with one row per run: attributes, `params.*`, `metrics.*` (last values), `tags.*`,
    and `target.*` (does the run meet the target of the metric's definition, per its summary).

    >>> lt.runs("metrics.acc > 0.9 and params.model = 'rf'")
    """
    from .evidence import add_target_columns

    store = current_store()
    store.points.flush()
    return add_target_columns(store, store.runs_frame(filter, experiment))


def get_run(ref: int | str) -> RunRecord:
    """Everything about one run, by number (`12`, `'#12'`), uuid (or prefix) or name."""
    store = current_store()
    store.points.flush()
    return store.run_record(ref)


def history(runs: Any, metric: str | list[str]) -> pd.DataFrame:
    """Tidy metric history (number, name, metric, step, value, time) of one or more runs.

    >>> lt.history([3, 4], "loss")
    """
    store = current_store()
    store.points.flush()
    metrics = [metric] if isinstance(metric, str) else list(metric)
    return store.history(run_numbers(runs, store), metrics)


def compare(*runs: Any, at_step: int | None = None) -> Comparison:
    """Compare runs side by side: refs (number, '#3', uuid, name), a filter, Runs, or a frame from `lt.runs`.

    >>> cmp = lt.compare(3, 4, "sweep-lr")
    >>> cmp.diff().save("diff.md")
    """
    store = current_store()
    store.points.flush()
    numbers: list[int] = []
    if not runs:
        raise ValueError("compare needs runs: lt.compare(3, 4), lt.compare(lt.runs(...)) or lt.compare(\"params.model = 'rf'\")")
    for item in runs:
        numbers.extend(_numbers_or_filter(item, store))
    numbers = list(dict.fromkeys(numbers))
    if not numbers:
        raise ValueError("no runs to compare: the filter matched none")
    return comparison_of(store, numbers, at_step=at_step)


def comparison_of(store: Store, numbers: list[int], *, at_step: int | None = None) -> Comparison:
    """The comparison of runs `numbers` (in that order) of `store`: what `lt.compare` and the server compute.

    >>> comparison_of(lt.open(), [3, 4]).diff().to_markdown()
    """
    from ..comparisons.comparison import Comparison
    from .evidence import comparison_context

    frame = store.runs_frame(f"attributes.number IN ({', '.join(map(str, numbers))})", None)
    frame = frame.set_index("number").loc[numbers].reset_index()
    metrics = [c.removeprefix("metrics.") for c in frame.columns if c.startswith("metrics.")]
    history = store.history(numbers, metrics)
    definitions, hypotheses, code = comparison_context(store, frame)
    return Comparison(frame, history, definitions, hypotheses, code, at_step=at_step)


_FILTER_OPERATOR = re.compile(r"[=<>!]|\b(?:like|ilike|in|is)\b", re.IGNORECASE)


def _numbers_or_filter(item: Any, store: Store) -> list[int]:
    """A ref, a Run, a frame, a list — or, for a string that names no run, a filter."""
    from ..errors import RunNotFound

    if isinstance(item, str):
        try:
            return [store.resolve_run(item)]
        except RunNotFound:
            if not _FILTER_OPERATOR.search(item):  # '#99', '99', 'typo': a ref, not a filter
                raise
            frame = store.runs_frame(item, None)  # a bad filter raises FilterError with its position
            return [int(n) for n in frame["number"]]
    if isinstance(item, (list, tuple)):
        return [n for sub in item for n in _numbers_or_filter(sub, store)]
    return run_numbers(item, store)


def run_numbers(runs: Any, store: Store | None = None) -> list[int]:
    """Run numbers from a ref, a Run, a RunRecord, a list of those, or a DataFrame from `lt.runs`."""
    store = store or current_store()
    if hasattr(runs, "columns") and "number" in runs.columns:
        return [int(n) for n in runs["number"]]
    if isinstance(runs, (int, str)) or hasattr(runs, "number"):
        runs = [runs]
    out = []
    for ref in runs:
        out.append(int(ref.number) if hasattr(ref, "number") else store.resolve_run(ref))
    return out


_uncaught: list[BaseException] = []


def _watch_uncaught() -> None:
    """Once a run starts: remember an exception that ends the script, so open runs end as failed."""
    previous = sys.excepthook
    if getattr(previous, "labtrack", False):
        return

    def note_uncaught(exc_type, exc, tb) -> None:  # noqa: ANN001
        _uncaught.append(exc)
        previous(exc_type, exc, tb)

    note_uncaught.labtrack = True  # type: ignore[attr-defined]
    sys.excepthook = note_uncaught


@atexit.register
def _close_at_exit() -> None:
    """End runs left open by a script (failed if an uncaught exception ended it), then close the store."""
    error = _uncaught[-1] if _uncaught else None
    while _session.stack:
        with contextlib.suppress(Exception):
            end_run(status_for(error) if error else "finished", error=error)
    if _session.store is not None:
        with contextlib.suppress(Exception):
            _session.store.close()
