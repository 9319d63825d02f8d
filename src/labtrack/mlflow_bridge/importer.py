"""`lt.import_mlflow`: bring MLflow runs into the local store, each run whole or not at all.

Importing again adds nothing (runs are known by uuid), so an interrupted import resumes where it
stopped. Runs that `labtrack push` sent (tag `labtrack.uuid`) map back to the same run. How an MLflow
run becomes a labtrack run: import_mapping.py.

    >>> report = lt.import_mlflow("http://127.0.0.1:5000", experiments=["churn"])
    >>> report.imported
    ['9f1c...', ...]
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import LabtrackError
from .import_mapping import RunGone, fetch_run, typed_param
from .mapping import TAG_UUID

if TYPE_CHECKING:
    from ..client import Lab

__all__ = ["ImportFailed", "ImportReport", "import_mlflow", "import_runs", "typed_param"]

MAX_ARTIFACT_BYTES = 100 * 2**20


class ImportFailed(LabtrackError):
    """An import could not start, or some runs could not come in (`report` says which)."""

    def __init__(self, message: str, report: ImportReport | None = None):
        super().__init__(message)
        self.report = report


@dataclass
class ImportReport:
    """What an import did, by MLflow run id."""

    uri: str
    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already in the store
    failed: dict[str, str] = field(default_factory=dict)  # run id -> why
    points: int = 0
    artifacts: int = 0
    numbers: dict[str, int] = field(default_factory=dict)  # MLflow run id -> labtrack run number
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"MLflow {self.uri}: {len(self.imported)} imported, {len(self.skipped)} already here,"
            f" {len(self.failed)} failed; {self.points:,} metric points, {self.artifacts} files"
        ]
        lines += [f"failed: run {run_id}: {why}" for run_id, why in self.failed.items()]
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    __str__ = __repr__ = summary


def import_mlflow(
    lab: Lab,
    uri: str,
    *,
    experiments: list[str] | None = None,
    filter: str | None = None,
    max_artifact_bytes: int | None = MAX_ARTIFACT_BYTES,
    progress: bool = True,
) -> ImportReport:
    """Import the runs of MLflow at `uri` (a server, `sqlite:///...` or a file store) into the store.

    `experiments`: names (default: every active experiment); `filter`: MLflow's search syntax, run by
    MLflow; `max_artifact_bytes`: larger files are left out (None: no limit). Raises `ImportFailed`
    (with the report) when the import cannot start or some runs failed; the others are kept.

    >>> import_mlflow(lt.open(), "sqlite:///mlflow.db", filter="metrics.acc > 0.9").summary()
    """
    from .sync import _check_reachable, _import_mlflow

    mlflow = _import_mlflow()
    report = ImportReport(uri)
    try:
        _check_reachable(uri)
    except LabtrackError as exc:
        raise ImportFailed(str(exc).replace("push", "import"), report) from None
    try:
        client = mlflow.MlflowClient(tracking_uri=uri)
        names = _experiments(client, uri, experiments)
        runs = _search(client, list(names), filter)
    except mlflow.MlflowException as exc:
        raise ImportFailed(f"MLflow at {uri} refused: {exc.message}", report) from None
    import_runs(
        client, runs, names, lab, report, max_artifact_bytes=max_artifact_bytes, progress=progress
    )
    return report


def import_runs(
    client: Any,
    runs: list[Any],
    experiments: dict[str, str],
    lab: Lab,
    report: ImportReport,
    *,
    max_artifact_bytes: int | None = MAX_ARTIFACT_BYTES,
    progress: bool = False,
    threads: int = 4,
    ahead: int = 2,
) -> None:
    """Import `runs` (MLflow `Run`s from a search; `experiments`: id -> name) into `lab`'s store.

    The next `ahead` runs are read from MLflow while one is written, so the server and this process
    work at the same time; runs are still written one by one, in order, each in one transaction.
    """
    from mlflow.exceptions import MlflowException

    runs = _parents_first(runs)
    uuids = {r.info.run_id: r.data.tags.get(TAG_UUID) or r.info.run_id for r in runs}
    todo = []
    for run in runs:
        if (number := lab.run_number(uuids[run.info.run_id])) is None:
            todo.append(run)
        else:
            report.skipped.append(run.info.run_id)
            report.numbers[run.info.run_id] = number
    histories, readers = ThreadPoolExecutor(threads), ThreadPoolExecutor(ahead)

    def read(run: Any) -> Any:
        experiment = experiments.get(run.info.experiment_id, "Default")
        return fetch_run(
            client, histories, run, experiment, uuids, max_artifact_bytes, report.notes.append
        )

    with _Progress(progress, len(todo)) as bar, histories, readers:
        pending = [readers.submit(read, run) for run in todo[:ahead]]
        for i, run in enumerate(todo):
            if i + ahead < len(todo):
                pending.append(readers.submit(read, todo[i + ahead]))
            bar.start(run)
            try:
                record = pending[i].result()
                pending[i] = None  # let the points go once written
                report.numbers[run.info.run_id] = lab.import_run(record)
            except (MlflowException, OSError, RunGone) as exc:
                report.failed[run.info.run_id] = getattr(exc, "message", None) or str(exc)
            else:
                report.imported.append(run.info.run_id)
                report.points += sum(len(h) for h in record.metrics.values())
                report.artifacts += len(record.artifacts)
            bar.end()
    if report.failed:
        raise ImportFailed(
            f"{report.summary()}\nNothing of the failed runs was written; the others are"
            " kept: run the same import again to retry the failed ones.",
            report,
        )


def _experiments(client: Any, uri: str, wanted: list[str] | None) -> dict[str, str]:
    """Experiment id -> name, for the names asked for (every active one by default)."""
    if not wanted:
        return {e.experiment_id: e.name for e in client.search_experiments()}
    found = {}
    for name in wanted:
        experiment = client.get_experiment_by_name(name)
        if experiment is None or experiment.lifecycle_stage == "deleted":
            known = ", ".join(sorted(e.name for e in client.search_experiments())[:20])
            raise ImportFailed(f"no experiment named {name!r} at {uri} (it has: {known})")
        found[experiment.experiment_id] = experiment.name
    return found


def _search(client: Any, experiment_ids: list[str], filter: str | None) -> list[Any]:
    runs, token = [], None
    while True:
        page = client.search_runs(
            experiment_ids,
            filter_string=filter or "",
            max_results=1000,
            page_token=token,
            order_by=["attributes.start_time ASC"],
        )
        runs.extend(page)
        if not (token := page.token):
            return runs


def _parents_first(runs: list[Any]) -> list[Any]:
    """Parents in the selection before their children, so each child links to its parent at once."""
    by_id = {r.info.run_id: r for r in runs}

    def depth(run: Any) -> int:
        seen = 0
        while (
            run := by_id.get(run.data.tags.get("mlflow.parentRunId", ""))
        ) is not None and seen < 100:
            seen += 1
        return seen

    return sorted(runs, key=depth)  # stable: start-time order within a depth


class _Progress:
    """A rich progress bar of runs on stderr, when asked for and stderr is a terminal."""

    def __init__(self, enabled: bool, total: int):
        self.enabled = enabled and total > 0 and sys.stderr.isatty()
        self.total, self.bar, self.task = total, None, None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(
                TextColumn("{task.description:<24}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
            )
            self.bar.start()
            self.task = self.bar.add_task("runs", total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def start(self, run: Any) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=(run.info.run_name or run.info.run_id)[:24])

    def end(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)
