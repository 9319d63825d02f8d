"""Pushing runs into an MLflow tracking server through `MlflowClient` (the mapping is in
mapping.py; the entry point, `Lab.push_mlflow`, in sync.py).

Pushing twice creates nothing new, and an interrupted push completes on the next call: each MLflow
run gets the tag `labtrack.uuid` in the request that creates it, and `labtrack.push_complete` (a
fingerprint of everything pushed) only after all else is logged. A later push skips runs whose
fingerprint matches; for the others it sends only what MLflow lacks: missing params, tags that
differ, metric points whose (step, time) is not in `get_metric_history`, and artifacts that are
missing or of another size.
"""

from __future__ import annotations

import contextlib
import getpass
import io
import os
import posixpath
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from ..errors import LabtrackError
from .mapping import (
    TAG_COMPLETE,
    TAG_UUID,
    RunPlan,
    mlflow_key,
    pack_batches,
    plan_run,
    point_identity,
)
from .progress import PushProgress, point_count

if TYPE_CHECKING:
    from ..client import Lab, RunRecord

SCAN_ABOVE = (
    100  # more runs than this in one experiment: list pushed runs page by page, not one by one
)


class PushError(LabtrackError):
    """MLflow could not be reached or refused a request; what was sent stays, and pushing again resumes."""

    def __init__(self, message: str, report: PushReport | None = None):
        super().__init__(message)
        self.report = report


@dataclass
class PushReport:
    """What a push did, by labtrack run number; `run_ids` maps run numbers to MLflow run ids."""

    uri: str
    experiments: dict[str, str] = field(default_factory=dict)  # MLflow experiment name -> id
    created: list[int] = field(default_factory=list)
    resumed: list[int] = field(
        default_factory=list
    )  # found incomplete (interrupted, or pushed running)
    updated: list[int] = field(default_factory=list)  # complete, but changed here since
    unchanged: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # still running
    points: int = 0  # metric points sent
    artifacts: int = 0  # files uploaded
    run_ids: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def experiment_urls(self) -> dict[str, str]:
        """Links to each experiment in MLflow's UI (for http(s) tracking URIs)."""
        if urlparse(self.uri).scheme not in ("http", "https"):
            return {}
        return {
            name: f"{self.uri.rstrip('/')}/#/experiments/{eid}"
            for name, eid in self.experiments.items()
        }

    def summary(self) -> str:
        counts = ", ".join(
            f"{len(getattr(self, k))} {k}"
            for k in ("created", "resumed", "updated", "unchanged", "skipped")
        )
        lines = [
            f"MLflow {self.uri}: {counts}; sent {self.points:,} metric points and {self.artifacts} files"
        ]
        lines += [f"  {name}: {url}" for name, url in self.experiment_urls().items()]
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "experiment_urls": self.experiment_urls()}

    __str__ = __repr__ = summary


class Pusher:
    """One push: finds or creates each experiment and run, then logs what MLflow lacks."""

    def __init__(
        self,
        mlflow: SimpleNamespace,
        client: Any,
        lab: Lab,
        report: PushReport,
        experiment: str | None,
    ):
        self.mlflow = mlflow
        self.client = client
        self.lab = lab
        self.report = report
        self.experiment = experiment
        self.run_ids: dict[str, str] = {}  # labtrack uuid -> MLflow run id, for parents
        self.uuids: dict[int, str] = {}

    def push(self, records: list[RunRecord], bar: PushProgress) -> None:
        links = _hypothesis_links(self.lab) if records else {}
        self.uuids = {r.number: r.uuid for r in records}
        groups: dict[str, list[RunRecord]] = {}
        for record in records:
            groups.setdefault(self.experiment or record.experiment, []).append(record)
        for name, group in groups.items():
            exp_id = self._experiment_id(name)
            self.report.experiments[name] = exp_id
            found = self._find_runs(exp_id, [r.uuid for r in group])
            for record in group:
                bar.start_run(record)
                self._push_run(
                    exp_id, record, found.get(record.uuid), links.get(record.number, []), bar
                )
                bar.end_run()

    def _experiment_id(self, name: str) -> str:
        found = self.client.get_experiment_by_name(name)
        if found is None:
            try:
                return self.client.create_experiment(name)
            except self.mlflow.MlflowException:  # created meanwhile by another push
                found = self.client.get_experiment_by_name(name)
                if found is None:
                    raise
        if found.lifecycle_stage == "deleted":
            raise PushError(
                f"the MLflow experiment {name!r} is deleted; restore it (mlflow experiments restore"
                f" --experiment-id {found.experiment_id}) or push with --experiment OTHER_NAME"
            )
        return found.experiment_id

    def _find_runs(self, exp_id: str, uuids: list[str]) -> dict[str, Any]:
        """MLflow runs already carrying these labtrack uuids (active ones; deleted runs are ignored)."""
        if len(uuids) <= SCAN_ABOVE:
            return {u: run for u in uuids if (run := self._find_run(exp_id, u)) is not None}
        found: dict[str, list] = {}
        token = None
        while True:
            page = self.client.search_runs(
                [exp_id], f"tags.`{TAG_UUID}` LIKE '%'", max_results=1000, page_token=token
            )
            for run in page:
                found.setdefault(run.data.tags[TAG_UUID], []).append(run)
            token = page.token
            if not token:
                break
        return {u: self._pick(found[u]) for u in uuids if u in found}

    def _find_run(self, exp_id: str, uuid: str) -> Any:
        runs = self.client.search_runs([exp_id], f"tags.`{TAG_UUID}` = '{uuid}'", max_results=50)
        return self._pick(list(runs)) if runs else None

    def _pick(self, runs: list) -> Any:
        """Of several MLflow runs with one uuid (two pushes at once), use the complete or oldest one."""
        if len(runs) > 1:
            self.report.notes.append(
                f"{len(runs)} MLflow runs carry {TAG_UUID} {runs[0].data.tags[TAG_UUID]};"
                " the complete (else the oldest) one is used"
            )
        return sorted(runs, key=lambda r: (TAG_COMPLETE not in r.data.tags, r.info.start_time))[0]

    def _parent(self, exp_id: str, record: RunRecord) -> tuple[str | None, str | None]:
        if record.parent is None:
            return None, None
        uuid = self.uuids.get(record.parent) or self.lab.get_run(record.parent).uuid
        if uuid not in self.run_ids and (run := self._find_run(exp_id, uuid)) is not None:
            self.run_ids[uuid] = run.info.run_id
        return uuid, self.run_ids.get(uuid)

    def _push_run(
        self, exp_id: str, record: RunRecord, existing: Any, links: list, bar: PushProgress
    ) -> None:
        parent_uuid, parent_run_id = self._parent(exp_id, record)
        plan = plan_run(
            record,
            parent_uuid=parent_uuid,
            parent_run_id=parent_run_id,
            links=links,
            experiment=self.experiment,
        )
        report = self.report
        if existing is not None and existing.data.tags.get(TAG_COMPLETE) == plan.fingerprint:
            report.unchanged.append(record.number)
            report.run_ids[record.number] = self.run_ids[record.uuid] = existing.info.run_id
            bar.advance(point_count(record))
            return
        report.notes.extend(plan.notes)
        if existing is None:
            user = _user()
            run = self.client.create_run(
                exp_id,
                start_time=plan.start_ms,
                run_name=plan.name,
                tags={TAG_UUID: plan.uuid, **({"mlflow.user": user} if user else {})},
            )
            run_id = run.info.run_id
            report.created.append(record.number)
        else:
            run_id = existing.info.run_id
            (report.updated if TAG_COMPLETE in existing.data.tags else report.resumed).append(
                record.number
            )
        report.run_ids[record.number] = self.run_ids[record.uuid] = run_id
        self._log_values(run_id, plan, existing, bar)
        self._log_artifacts(run_id, plan, existing)
        self._finish(run_id, plan, existing)

    def _log_values(self, run_id: str, plan: RunPlan, existing: Any, bar: PushProgress) -> None:
        have_params = dict(existing.data.params) if existing else {}
        have_tags = dict(existing.data.tags) if existing else {}
        have_keys = set(existing.data.metrics) if existing else set()
        params = []
        for key, value in plan.params.items():
            if key not in have_params:
                params.append((key, value))
            elif have_params[key] != value:
                self.report.notes.append(
                    f"run #{plan.number}: param {key} is {have_params[key][:60]!r} in MLflow,"
                    f" {value[:60]!r} here; MLflow params cannot change"
                )
        tags = [(k, v) for k, v in plan.tags.items() if have_tags.get(k) != v]
        points = []
        for name, series in self.lab.metric_points(plan.number).items():
            key = plan.metric_keys.get(name) or mlflow_key(name)
            if key in have_keys:  # resuming: leave out the points MLflow already has
                present = {
                    point_identity(m.step, m.timestamp)
                    for m in self.client.get_metric_history(run_id, key)
                }
                missing = [p for p in series if point_identity(p[0], p[2]) not in present]
                bar.advance(len(series) - len(missing))
                series = missing
            points.extend((key, value, wall_ms, step) for step, value, wall_ms in series)
        m = self.mlflow
        for batch_params, batch_tags, batch_points in pack_batches(params, tags, points):
            self.client.log_batch(
                run_id,
                metrics=[
                    m.Metric(key, value, wall_ms, step)
                    for key, value, wall_ms, step in batch_points
                ],
                params=[m.Param(key, value) for key, value in batch_params],
                tags=[m.RunTag(key, value) for key, value in batch_tags],
            )
            self.report.points += len(batch_points)
            bar.advance(len(batch_points))

    def _log_artifacts(self, run_id: str, plan: RunPlan, existing: Any) -> None:
        have = self._artifact_sizes(run_id) if existing else {}
        with tempfile.TemporaryDirectory(prefix="labtrack-push-") as tmp:
            for i, (path, source, size) in enumerate(plan.files):
                if have.get(path) == size:
                    continue
                if not source.is_file():
                    self.report.notes.append(
                        f"run #{plan.number}: artifact {path} is missing from the store"
                        " (`labtrack doctor` checks the store); not pushed"
                    )
                    continue
                local = Path(tmp, f"f{i}", posixpath.basename(path))
                local.parent.mkdir()
                _link_or_copy(source, local)
                self._upload(run_id, local, path)
            for i, (path, data) in enumerate(plan.generated.items()):  # small, and may have changed
                local = Path(tmp, f"g{i}", posixpath.basename(path))
                local.parent.mkdir()
                local.write_bytes(data)
                self._upload(run_id, local, path)

    def _upload(self, run_id: str, local: Path, path: str) -> None:
        self.client.log_artifact(run_id, str(local), posixpath.dirname(path) or None)
        self.report.artifacts += 1

    def _artifact_sizes(self, run_id: str, folder: str | None = None) -> dict[str, int | None]:
        sizes: dict[str, int | None] = {}
        for info in self.client.list_artifacts(run_id, folder):
            if info.is_dir:
                sizes.update(self._artifact_sizes(run_id, info.path))
            else:
                sizes[info.path] = info.file_size
        return sizes

    def _finish(self, run_id: str, plan: RunPlan, existing: Any) -> None:
        """Set status and end time, then mark the run complete; a running run stays open."""
        if plan.running:
            if existing is not None and existing.info.status != "RUNNING":
                self.client.update_run(run_id, status="RUNNING")
            if existing is not None and TAG_COMPLETE in existing.data.tags:
                self.client.delete_tag(run_id, TAG_COMPLETE)
            return
        with contextlib.redirect_stdout(io.StringIO()):  # MLflow prints a "View run" link per run
            self.client.set_terminated(run_id, plan.status, plan.end_ms)
        self.client.set_tag(run_id, TAG_COMPLETE, plan.fingerprint)


def _hypothesis_links(lab: Lab) -> dict[int, list[dict[str, Any]]]:
    """Per run number: the hypotheses it is treatment or baseline of, each with its current verdict."""
    from ..present.records import hypothesis_brief

    links: dict[int, list[dict[str, Any]]] = {}
    for record in lab.hypothesis_records():
        info = {**hypothesis_brief(record, lab.verdict(record)), "id": f"H{record.id}"}
        treatment = lab.linked_runs(record.id, "treatment")
        for role, numbers in (("treatment", treatment), ("baseline", lab.baseline_runs(record))):
            for number in numbers:
                links.setdefault(number, []).append({**info, "role": role})
    return links


def _user() -> str | None:
    with contextlib.suppress(Exception):
        return getpass.getuser()
    return None


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
