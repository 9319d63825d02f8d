"""`lt.import_mlflow`: bring MLflow runs into the local store, each run whole or not at all.

Importing again adds nothing (runs are known by uuid), so an interrupted import resumes where it
stopped. Runs that `labtrack push` sent (tag `labtrack.uuid`) map back to the same run.

    >>> report = lt.import_mlflow("http://127.0.0.1:5000", experiments=["churn"])
    >>> report.imported
    ['9f1c...', ...]
"""

from __future__ import annotations

import json
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import LabtrackError
from ..store.imports import ArtifactImport, DatasetImport, RunImport
from .mapping import TAG_UUID

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["ImportError_", "ImportReport", "import_mlflow", "typed_param"]

STATUS = {
    "FINISHED": "finished",
    "FAILED": "failed",
    "KILLED": "interrupted",
    "RUNNING": "running",
    "SCHEDULED": "running",
}
# Tags `labtrack push` adds for its own bookkeeping: they are the run's fields again, not tags.
_PUSH_TAGS = {
    TAG_UUID,
    "labtrack.number",
    "labtrack.status",
    "labtrack.push_complete",
    "labtrack.experiment",
    "labtrack.parent_uuid",
    "labtrack.execution_count",
}
_INT = re.compile(r"-?(0|[1-9][0-9]*)")
MAX_ARTIFACT_BYTES = 100 * 2**20


class ImportError_(LabtrackError):
    """An import could not start or some runs could not come in; the report says which."""

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


def typed_param(text: str) -> Any:
    """A param's MLflow text typed back when the text is exactly what that value prints as (so the
    text is never lost: `str(typed_param(t)) == t`, lists and dicts as JSON).

    >>> typed_param("0.01"), typed_param("True"), typed_param("0.10"), typed_param("[1, 2]")
    (0.01, True, '0.10', [1, 2])
    """
    if text in ("True", "False"):
        return text == "True"
    if text == "None":
        return None
    if _INT.fullmatch(text) and len(text) < 19:
        return int(text)
    try:
        number = float(text)
        if str(number) == text:
            return number
    except ValueError:
        pass
    if text[:1] in "[{":
        try:
            value = json.loads(text)
        except ValueError:
            return text
        if json.dumps(value, sort_keys=isinstance(value, dict)) == text:
            return value
    return text


def import_mlflow(
    uri: str,
    *,
    experiments: list[str] | None = None,
    filter: str | None = None,
    store: Store | None = None,
    max_artifact_bytes: int | None = MAX_ARTIFACT_BYTES,
    progress: bool = True,
    threads: int = 4,
) -> ImportReport:
    """Import the runs of MLflow at `uri` (a server, `sqlite:///...` or a file store) into the store.

    `experiments`: names (default: every active experiment); `filter`: MLflow's search syntax, run by
    MLflow; `max_artifact_bytes`: larger files are left out (None: no limit).

    >>> lt.import_mlflow("sqlite:///mlflow.db", filter="metrics.acc > 0.9").summary()
    """
    from ..fluent import runs as api
    from .sync import _check_reachable, _import_mlflow

    mlflow = _import_mlflow()
    if store is None:
        store = api.current_store()
    report = ImportReport(uri)
    try:
        _check_reachable(uri)
    except LabtrackError as exc:
        raise ImportError_(str(exc).replace("push", "import"), report) from None
    client = mlflow.MlflowClient(tracking_uri=uri)
    try:
        names = _experiments(client, uri, experiments)
        runs = _search(client, list(names), filter)
    except mlflow.MlflowException as exc:
        raise ImportError_(f"MLflow at {uri} refused the search: {exc.message}", report) from None
    runs = _parents_first(runs)
    ids = {r.info.run_id: r.data.tags.get(TAG_UUID) or r.info.run_id for r in runs}
    with _Progress(progress, len(runs)) as bar, ThreadPoolExecutor(threads) as pool:
        for run in runs:
            run_id, uuid = run.info.run_id, ids[run.info.run_id]
            bar.start(run)
            if (number := store.run_number(uuid)) is not None:
                report.skipped.append(run_id)
                report.numbers[run_id] = number
            else:
                try:
                    record = _fetch(
                        client,
                        pool,
                        run,
                        names[run.info.experiment_id],
                        ids,
                        max_artifact_bytes,
                        report,
                    )
                    report.numbers[run_id] = store.import_run(record)
                    report.imported.append(run_id)
                    report.points += sum(len(h) for h in record.metrics.values())
                    report.artifacts += len(record.artifacts)
                except (mlflow.MlflowException, OSError, _RunGone) as exc:
                    report.failed[run_id] = getattr(exc, "message", None) or str(exc)
            bar.end()
    if report.failed:
        raise ImportError_(
            f"{report.summary()}\nNothing of those runs was written; what came in is kept:"
            " run the same import again to retry them.",
            report,
        )
    return report


class _RunGone(Exception):
    """The run was deleted in MLflow while it was being imported."""


def _experiments(client: Any, uri: str, wanted: list[str] | None) -> dict[str, str]:
    """Experiment id -> name, for the names asked for (every active one by default)."""
    if not wanted:
        return {e.experiment_id: e.name for e in client.search_experiments()}
    found = {}
    for name in wanted:
        experiment = client.get_experiment_by_name(name)
        if experiment is None or experiment.lifecycle_stage == "deleted":
            known = ", ".join(sorted(e.name for e in client.search_experiments())[:20])
            raise ImportError_(f"no experiment named {name!r} at {uri} (it has: {known})")
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
        token = page.token
        if not token:
            return runs


def _parents_first(runs: list[Any]) -> list[Any]:
    """Order runs so a parent in the selection comes before its children (each child links at once)."""
    by_id = {r.info.run_id: r for r in runs}

    def depth(run: Any, seen: int = 0) -> int:
        parent = by_id.get(run.data.tags.get("mlflow.parentRunId", ""))
        return 0 if parent is None or seen > 50 else 1 + depth(parent, seen + 1)

    return sorted(runs, key=depth)  # stable: start-time order within a depth


def _fetch(
    client: Any,
    pool: ThreadPoolExecutor,
    run: Any,
    experiment: str,
    ids: dict[str, str],
    max_bytes: int | None,
    report: ImportReport,
) -> RunImport:
    """Everything of one run, read from MLflow (histories in parallel), as a `RunImport`."""
    info, tags = run.info, dict(run.data.tags)
    histories = dict(
        zip(
            run.data.metrics,
            pool.map(
                lambda key: client.get_metric_history(info.run_id, key), list(run.data.metrics)
            ),
        )
    )
    metrics, renumbered = {}, []
    for key, history in histories.items():
        points = sorted((m.step, m.timestamp, m.value) for m in history)
        if len({p[0] for p in points}) < len(points):  # labtrack keeps one point a step
            renumbered.append(key)
            points = [(i, t, v) for i, (_, t, v) in enumerate(points)]
        metrics[key] = [(step, value, timestamp) for step, timestamp, value in points]
    artifacts = _artifacts(client, info.run_id, max_bytes, report)
    if client.get_run(info.run_id).info.lifecycle_stage == "deleted":
        raise _RunGone(f"the run was deleted in MLflow while it was being imported ({info.run_id})")
    pushed = TAG_UUID in tags  # a run labtrack sent: its name tag is the name again
    own = {
        k: v
        for k, v in tags.items()
        if k not in _PUSH_TAGS and not (pushed and k == "mlflow.runName")
    }
    own.setdefault("mlflow.user", info.user_id or "")
    own["mlflow.artifact_uri"] = info.artifact_uri or ""
    if renumbered:
        own["labtrack.steps_renumbered"] = ",".join(renumbered)
        report.notes.append(
            f"run {info.run_id}: points sharing a step were numbered in step and time"
            f" order: {', '.join(renumbered)}"
        )
    parent = tags.get("mlflow.parentRunId")
    return RunImport(
        uuid=ids[info.run_id],
        experiment=tags.get("labtrack.experiment", experiment),
        name=info.run_name or tags.get("mlflow.runName") or None,
        status=tags.get("labtrack.status") or STATUS.get(info.status, "failed"),
        start_time=(info.start_time or 0) / 1000,
        end_time=None if info.end_time is None else info.end_time / 1000,
        params={k: typed_param(v) for k, v in run.data.params.items()},
        tags={k: v for k, v in own.items() if v != ""},
        metrics=metrics,
        datasets=[_dataset(d) for d in (run.inputs.dataset_inputs if run.inputs else [])],
        artifacts=artifacts,
        parent_uuid=ids.get(parent, parent) if parent else None,
    )


def _dataset(entry: Any) -> DatasetImport:
    d = entry.dataset
    context = next((t.value for t in entry.tags if t.key == "mlflow.data.context"), None)
    try:
        schema = json.loads(d.schema) if d.schema else {}
    except ValueError:
        schema = {"text": d.schema}
    try:
        rows = int(json.loads(d.profile).get("num_rows", 0)) if d.profile else 0
    except (ValueError, AttributeError, TypeError):
        rows = 0
    return DatasetImport(
        d.name, d.digest, context, rows, 0, schema if isinstance(schema, dict) else {}
    )


def _artifacts(
    client: Any, run_id: str, max_bytes: int | None, report: ImportReport
) -> list[ArtifactImport]:
    """Every file of the run (under `max_bytes`), downloaded now, before anything is written."""
    import mimetypes

    files, folders = [], [None]
    while folders:
        for entry in client.list_artifacts(run_id, folders.pop()):
            (folders if entry.is_dir else files).append(entry if not entry.is_dir else entry.path)
    out = []
    with tempfile.TemporaryDirectory(prefix="labtrack-import-") as tmp:
        for entry in files:
            if max_bytes is not None and (entry.file_size or 0) > max_bytes:
                report.notes.append(
                    f"run {run_id}: artifact {entry.path} ({entry.file_size:,} bytes) is over"
                    f" the limit of {max_bytes:,} bytes and was left out"
                )
                continue
            try:
                local = client.download_artifacts(run_id, entry.path, tmp)
            except Exception as exc:  # MLflow raises many kinds here; the run must not come in half
                raise OSError(f"artifact {entry.path} could not be downloaded: {exc}") from exc
            media = mimetypes.guess_type(entry.path)[0] or "application/octet-stream"
            out.append(ArtifactImport(entry.path, Path(local).read_bytes(), media))
    return out


class _Progress:
    """A rich progress bar of runs on stderr when asked for and stderr is a terminal."""

    def __init__(self, enabled: bool, total: int):
        import sys

        self.enabled, self.total, self.bar = (
            enabled and total > 0 and sys.stderr.isatty(),
            total,
            None,
        )

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
