"""`Lab.push_mlflow` / `lt.push_mlflow`: send runs to an MLflow tracking server; pushing again sends only
what is missing, so an interrupted push completes on the next call (see pusher.py for how). MLflow is an
optional extra (`pip install 'labtrack[mlflow]'`), imported only here, when a push starts.
"""

from __future__ import annotations

import socket
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from ..errors import FilterError, LabtrackError, RunNotFound
from .progress import PushProgress
from .pusher import Pusher, PushError, PushReport

if TYPE_CHECKING:
    from ..client import Lab

__all__ = ["MlflowNotInstalled", "PushError", "PushReport", "push", "select_runs"]


class MlflowNotInstalled(LabtrackError, ImportError):
    """MLflow is not installed; it comes with the optional extra `labtrack[mlflow]`."""


def push(
    lab: Lab,
    uri: str,
    runs: Any = None,
    *,
    experiment: str | None = None,
    include_running: bool = False,
    progress: bool = True,
) -> PushReport:
    """Push runs of `lab` to the MLflow tracking server at `uri`; pushing again sends only what is missing.

    `runs`: None (every run), a filter ("metrics.acc > 0.9"), or run refs (a number, "#12", a uuid, a
    name, a list of those, or a frame from `lt.runs`). `experiment`: the MLflow experiment for every
    run (default: each run's own experiment). Running runs are skipped unless `include_running`.

    >>> push(lt.open(), "http://127.0.0.1:5000", "attributes.status = 'finished'")
    """
    mlflow = _import_mlflow()
    report = PushReport(uri)
    records = []
    for record in (lab.get_run(n) for n in select_runs(lab, runs)):
        if record.status == "running" and not include_running:
            report.skipped.append(record.number)
            report.notes.append(
                f"run #{record.number} is still running and was skipped; push it once it"
                " has ended, or with --include-running (include_running=True)"
            )
        else:
            records.append(record)
    _check_reachable(uri)
    pusher = Pusher(mlflow, mlflow.MlflowClient(tracking_uri=uri), lab, report, experiment)
    try:
        with PushProgress(progress, records) as bar:
            pusher.push(records, bar)
    except (mlflow.MlflowException, OSError) as exc:
        raise PushError(
            f"the push to {uri} stopped: {exc}\nWhat was sent is kept: run the same push again"
            " to finish it.",
            report,
        ) from exc
    return report


def select_runs(lab: Lab, runs: Any) -> list[int]:
    """Run numbers from None (all), a filter, a run ref, a list of refs or a frame from `lt.runs`."""
    if runs is None:
        return lab.filtered()
    if isinstance(runs, str):
        try:
            return lab.filtered(runs)
        except FilterError as error:  # not a filter: maybe a run's number, uuid or name
            try:
                return [lab.resolve(runs)]
            except RunNotFound:
                raise error from None
    return sorted(set(lab.run_numbers(runs)))


def _import_mlflow() -> SimpleNamespace:
    try:
        import mlflow
        from mlflow.entities import Metric, Param, RunTag
        from mlflow.exceptions import MlflowException
    except ImportError as exc:
        raise MlflowNotInstalled(
            "pushing to MLflow needs the mlflow package, an optional extra of labtrack:"
            " pip install 'labtrack[mlflow]'"
        ) from exc
    return SimpleNamespace(
        MlflowClient=mlflow.MlflowClient,
        Metric=Metric,
        Param=Param,
        RunTag=RunTag,
        MlflowException=MlflowException,
    )


def _check_reachable(uri: str) -> None:
    """Fail fast on a server that is not there (MLflow's own client retries for minutes)."""
    parsed = urlparse(uri)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        socket.create_connection((parsed.hostname, port), timeout=5).close()
    except OSError as exc:
        raise PushError(
            f"cannot reach the MLflow server at {uri} ({exc.strerror or exc}); check the URI,"
            " or start a server: mlflow server --host 127.0.0.1 --port 5000"
        ) from None
