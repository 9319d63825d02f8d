"""`lt.run`, `lt.log` and friends: the default `Lab` plus the active run (DESIGN §4).

>>> with lt.run("baseline", params={"lr": 0.01}):
...     lt.log(loss=0.31, acc=0.88)
"""

from __future__ import annotations

import atexit
import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import ActiveRunError
from ..tracking.run import Run, status_for
from .processes import is_worker_process, worker_message
from .session import (
    _session,
    active_run,
    default_experiment,
    default_lab,
    enter,
    leave,
    resolve_for_new_run,
)

if TYPE_CHECKING:
    import pandas as pd

    from ..comparisons.comparison import Comparison
    from ..store.reads import RunRecord


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
    lab = default_lab()
    _watch_uncaught()
    with _session.lock:
        parent = active_run()
        if parent is not None and not nested:
            raise ActiveRunError(
                f"run #{parent.number} is still active; end it with lt.end_run() (or `%track stop`),"
                " or pass nested=True to record a child run"
            )
        run = lab.start_run(
            experiment or default_experiment(),
            name,
            parent=parent.number if parent else None,
            hypothesis_id=resolve_for_new_run(hypothesis),
            fields=fields,
        )
        enter(run)
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
            raise ActiveRunError(
                "no active run to end; start one with lt.start_run() or `with lt.run():`"
            )
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
    current = start_run(
        name, params=params, hypothesis=hypothesis, tags=tags, experiment=experiment, nested=nested
    )
    try:
        yield current
    except BaseException as exc:
        end(current, status_for(exc), exc)
        raise
    end(current, "finished", None)


def end(target: Run, status: str, error: BaseException | None) -> None:
    """End `target` (wherever it is on the active stack) with `status`."""
    leave(target)
    target.end(status, error)


def _require_run() -> Run:
    current = active_run()
    if current is None and (_session.inherited or is_worker_process()):
        parent = _session.inherited[-1] if _session.inherited else None
        raise ActiveRunError(worker_message(parent and parent.number, parent and parent.owner_pid))
    if current is None:
        raise ActiveRunError(
            "no active run: wrap the code in `with lt.run():`, call lt.start_run(), or use %%track"
        )
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


def runs(
    filter: str | None = None,
    *,
    experiment: str | None = None,
    columns: list[str] | None = None,
    order_by: str | list[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> pd.DataFrame:
    """A DataFrame with one row per run: attributes, `params.*`, `metrics.*` (last values), `tags.*`,
    and `target.*` (does the run meet the target of the metric's definition, per its summary).

    `columns` (e.g. ["name", "params.lr", "metrics.acc"]; `number` always comes), `order_by`
    ("metrics.acc desc", or a list; missing values last) and `limit` / `offset` are applied in SQL,
    so only what is shown is read.

    >>> lt.runs("metrics.acc > 0.9 and params.model = 'rf'", order_by="-metrics.acc", limit=10)
    """
    return default_lab().runs(
        filter,
        experiment=experiment,
        columns=columns,
        order_by=order_by,
        limit=limit,
        offset=offset,
    )


def get_run(ref: int | str) -> RunRecord:
    """Everything about one run, by number (`12`, `'#12'`), uuid (or prefix) or name."""
    return default_lab().get_run(ref)


def history(runs: Any, metric: str | list[str], *, max_points: int | None = None) -> pd.DataFrame:
    """Tidy metric history (number, name, metric, step, value, time) of one or more runs, as
    numpy-backed columns. `max_points`: series longer than this are thinned (min and max per
    bucket of steps, both ends kept); None reads every point.

    >>> lt.history([3, 4], "loss")
    """
    return default_lab().history(runs, metric, max_points=max_points)


def compare(*runs: Any, at_step: int | None = None, full: bool = False) -> Comparison:
    """Compare runs side by side: refs (number, '#3', uuid, name), a filter, Runs, or a frame from `lt.runs`.

    Histories longer than 100,000 points are thinned to about 4,000 (min and max per bucket, both
    ends, the `at_step` point) and their means come from the store's summaries: `full=True` reads
    every point instead.

    >>> cmp = lt.compare(3, 4, "sweep-lr")
    >>> cmp.diff().save("diff.md")
    """
    return default_lab().compare(*runs, at_step=at_step, full=full)


def push_mlflow(uri: str, runs: Any = None, **options: Any) -> Any:
    """Push runs to the MLflow tracking server at `uri`; pushing again sends only what is missing.

    `runs`: None (every run), a filter ("metrics.acc > 0.9"), or run refs (a number, "#12", a uuid, a
    name, a list of those, or a frame from `lt.runs`). Options: `experiment` (the MLflow experiment for
    every run), `include_running`, `progress`.

    >>> lt.push_mlflow("http://127.0.0.1:5000", "attributes.status = 'finished'")
    """
    return default_lab().push_mlflow(uri, runs, **options)


def import_mlflow(uri: str, **options: Any) -> Any:
    """Bring MLflow runs (a server, `sqlite:///...` or a file store) into the store; importing again
    adds nothing new. Options: `experiments` (names), `filter` (MLflow's syntax, run by MLflow),
    `max_artifact_bytes`, `progress`.

    >>> lt.import_mlflow("sqlite:///mlflow.db", filter="metrics.acc > 0.9").summary()
    """
    return default_lab().import_mlflow(uri, **options)


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
    if _session.lab is not None:
        with contextlib.suppress(Exception):
            _session.lab.close()
