"""How a labtrack run maps onto an MLflow run: names, values, tags, artifacts and batches.

Pure functions over `RunRecord`s, without MLflow (push logic is in pusher.py), so the mapping
is testable anywhere. MLflow's limits are restated here: 250-character keys of letters, digits,
`_ - . / :` and spaces; params up to 6,000 characters, tags up to 8,000; `log_batch` takes at most
1,000 metrics, 100 params and 100 tags (1,000 entities) in a request under 1 MB.
"""

from __future__ import annotations

import hashlib
import json
import math
import posixpath
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..client import RunRecord

MAPPING_VERSION = 1  # bump when the mapping changes, so the next push refreshes pushed runs
TAG_UUID = "labtrack.uuid"
TAG_COMPLETE = "labtrack.push_complete"  # set last, to the fingerprint of what was pushed
STATUS = {
    "finished": "FINISHED",
    "failed": "FAILED",
    "crashed": "FAILED",
    "interrupted": "KILLED",
    "running": "RUNNING",
}
MAX_KEY, MAX_PARAM, MAX_TAG = 250, 6000, 8000
MAX_METRICS, MAX_PARAMS_TAGS, MAX_ENTITIES = 1000, 100, 1000
MAX_BATCH_BYTES = (
    800_000  # MLflow refuses log_batch requests over 1 MB; leave room for JSON overhead
)
CODE_ARTIFACT = "labtrack/code.py"
RUN_ARTIFACT = "labtrack/run.json"
HYPOTHESES_ARTIFACT = "labtrack/hypotheses.json"
MAX_FLOAT = 1.7976931348623157e308  # MLflow stores ±inf as ± the largest double

_BAD_KEY_CHARS = re.compile(r"[^/\w.\- :]")

# One metric point as logged to MLflow: (key, value, timestamp_ms, step).
MetricPoint = tuple[str, float, int, int]


@dataclass
class RunPlan:
    """Everything one labtrack run becomes in MLflow; `fingerprint` identifies this exact content."""

    number: int
    uuid: str
    name: str
    status: str  # an MLflow status
    running: bool
    start_ms: int
    end_ms: int | None
    params: dict[str, str]
    tags: dict[str, str]
    metric_keys: dict[str, str]  # labtrack metric name -> MLflow key
    files: list[tuple[str, Path, int]]  # (artifact path in MLflow, file in the store, size)
    generated: dict[str, bytes]  # artifact path -> content (code, run.json, hypotheses.json)
    notes: list[str] = field(default_factory=list)
    fingerprint: str = ""


def mlflow_key(name: str) -> str:
    """A key MLflow accepts for `name` (a param, metric or tag name): odd characters become `_`.

    >>> mlflow_key("acc@top-5")
    'acc_top-5'
    """
    key = _BAD_KEY_CHARS.sub("_", name)
    if posixpath.normpath(key) != key or key.startswith(("/", "..")) or key == ".":
        key = key.replace("/", "_")  # MLflow also refuses keys that are not canonical paths
        if key.startswith(".."):
            key = "_" + key
    return key[:MAX_KEY]


def unique_keys(names: Iterable[str], taken: Iterable[str] = ()) -> dict[str, str]:
    """Map each name to a distinct MLflow key; names MLflow accepts as they are keep them."""
    names = sorted(set(names))
    used = set(taken) | {n for n in names if mlflow_key(n) == n}
    out = {n: n for n in names if mlflow_key(n) == n}
    for name in (n for n in names if n not in out):
        key = base = mlflow_key(name)
        suffix = 2
        while key in used:
            key = f"{base[: MAX_KEY - 6]}_{suffix}"
            suffix += 1
        used.add(key)
        out[name] = key
    return out


def clip(text: str, limit: int) -> tuple[str, bool]:
    """`text` cut to `limit` characters (ending with an ellipsis) and whether it was cut."""
    if len(text) <= limit:
        return text, False
    return text[: limit - 1] + "…", True


def param_text(value: Any) -> str:
    """A param value as MLflow's text: what `mlflow.log_param` would store; lists and dicts as JSON.

    >>> param_text(0.01), param_text(True), param_text([64, 32])
    ('0.01', 'True', '[64, 32]')
    """
    if isinstance(value, (list, dict)):
        return json.dumps(value, allow_nan=True, sort_keys=isinstance(value, dict))
    return str(value)


def timestamp_ms(seconds: float) -> int:
    return int(round(seconds * 1000))


def point_identity(step: int, timestamp: int) -> tuple[int, int]:
    """What makes a metric point already pushed: its step and time (values may lose NaN/inf)."""
    return int(step), int(timestamp)


def artifact_path(name: str) -> str:
    """A relative path MLflow stores `name` under: no empty, `.` or `..` parts, no leading slash."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    path = "/".join(parts) or "artifact"
    return "_" + path if path == "labtrack" or path.startswith("labtrack/") else path


def jsonable(value: Any) -> Any:
    """Strict JSON: non-finite floats become the strings "NaN", "Infinity" and "-Infinity"."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def hypothesis_tags(links: Sequence[dict[str, Any]]) -> dict[str, str]:
    """`labtrack.hypothesis.*` tags from the run's first treatment link (else its first link)."""
    if not links:
        return {}
    main = next((link for link in links if link["role"] == "treatment"), links[0])
    verdict = main["verdict"]
    tags = {
        "labtrack.hypotheses": ",".join(f"{link['id']}:{link['role']}" for link in links),
        "labtrack.hypothesis.id": main["id"],
        "labtrack.hypothesis.role": main["role"],
        "labtrack.hypothesis.statement": main["statement"],
        "labtrack.hypothesis.metric": main["metric"],
        "labtrack.hypothesis.expect": main["expect"],
        "labtrack.hypothesis.min_effect": repr(main["min_effect"]),
        "labtrack.hypothesis.verdict": verdict["label"],
        "labtrack.hypothesis.badge": verdict.get("badge", verdict["label"]),
        "labtrack.hypothesis.n_treatment": str(verdict["n_treatment"]),
        "labtrack.hypothesis.n_baseline": str(verdict["n_baseline"]),
        "labtrack.hypothesis.reason": verdict["reason"],
    }
    if main.get("change"):
        tags["labtrack.hypothesis.change"] = main["change"]
    if verdict.get("confounds"):  # shown with the badge, as in the panel and %hypothesis
        tags["labtrack.hypothesis.confounds"] = "; ".join(verdict["confounds"])
    for key in ("effect", "ci_low", "ci_high"):
        if verdict.get(key) is not None:
            tags[f"labtrack.hypothesis.{key}"] = repr(verdict[key])
    return tags


def run_document(
    record: RunRecord,
    parent_uuid: str | None,
    links: Sequence[dict[str, Any]],
    files: Sequence[tuple[str, Path, int]],
    renamed: dict[str, str],
) -> dict[str, Any]:
    """`labtrack/run.json`: the whole record, typed, for what MLflow's model cannot hold."""
    return jsonable(
        {
            "mapping_version": MAPPING_VERSION,
            "uuid": record.uuid,
            "number": record.number,
            "name": record.name,
            "experiment": record.experiment,
            "status": record.status,
            "start_time": record.start_time,
            "end_time": record.end_time,
            "parent_uuid": parent_uuid,
            "params": record.params,
            "param_types": {k: type(v).__name__ for k, v in record.params.items()},
            "tags": record.tags,
            "metrics": {k: asdict(m) for k, m in record.metrics.items()},
            "mlflow_keys": renamed,
            "artifacts": [
                {
                    "name": a.name,
                    "sha256": a.sha256,
                    "size": a.size,
                    "media_type": a.media_type,
                    "mlflow_path": path,
                }
                for a, (path, _, _) in zip(record.artifacts, files)
            ],
            "datasets": record.datasets,
            "notebook": record.notebook,
            "execution_count": record.execution_count,
            "hypotheses": [{"id": link["id"], "role": link["role"]} for link in links],
            "environment": record.environment,
            "error": None
            if record.error_type is None
            else {
                "type": record.error_type,
                "message": record.error_message,
                "traceback": record.traceback,
            },
        }
    )


def plan_run(
    record: RunRecord,
    *,
    parent_uuid: str | None = None,
    parent_run_id: str | None = None,
    links: Sequence[dict[str, Any]] = (),
    experiment: str | None = None,
) -> RunPlan:
    """What `record` becomes in MLflow. `experiment`: the MLflow experiment, when not the run's own."""
    notes: list[str] = []
    param_keys = unique_keys(record.params)
    tag_keys = unique_keys(record.tags)
    metric_keys = unique_keys(record.metrics)
    renamed = {
        f"{kind}.{n}": k
        for kind, keys in (("params", param_keys), ("tags", tag_keys), ("metrics", metric_keys))
        for n, k in keys.items()
        if n != k
    }
    if renamed:
        notes.append(
            f"run #{record.number}: renamed for MLflow: "
            + ", ".join(f"{n} -> {k}" for n, k in renamed.items())
        )
    params: dict[str, str] = {}
    truncated = []
    for name, value in record.params.items():
        params[param_keys[name]], cut = clip(param_text(value), MAX_PARAM)
        if cut:
            truncated.append(param_keys[name])
    if truncated:
        notes.append(
            f"run #{record.number}: params longer than {MAX_PARAM:,} characters were cut: "
            f"{', '.join(truncated)} (full values in {RUN_ARTIFACT})"
        )

    tags = {tag_keys[k]: v for k, v in record.tags.items()}
    tags.update(
        {
            TAG_UUID: record.uuid,
            "labtrack.number": str(record.number),
            "labtrack.status": record.status,
            "mlflow.runName": record.name or f"#{record.number}",
        }
    )
    if experiment is not None and experiment != record.experiment:
        tags["labtrack.experiment"] = record.experiment
    if truncated:
        tags["labtrack.truncated_params"] = ",".join(truncated)
    if renamed:
        tags["labtrack.renamed"] = json.dumps(renamed, sort_keys=True)
    if parent_uuid:
        tags["labtrack.parent_uuid"] = parent_uuid
    if parent_run_id:
        tags["mlflow.parentRunId"] = parent_run_id
    if record.notebook:
        tags.update({"mlflow.source.name": record.notebook, "mlflow.source.type": "NOTEBOOK"})
    if record.execution_count is not None:
        tags["labtrack.execution_count"] = str(record.execution_count)
    commit = ((record.environment or {}).get("git") or {}).get("commit")
    if isinstance(commit, str) and commit:
        tags["mlflow.source.git.commit"] = commit
    if record.error_type:
        tags["labtrack.error"] = f"{record.error_type}: {record.error_message or ''}"
    tags.update(hypothesis_tags(links))
    long_tags = [k for k, v in tags.items() if len(v) > MAX_TAG]
    tags = {k: clip(v, MAX_TAG)[0] for k, v in tags.items()}
    if long_tags:
        notes.append(
            f"run #{record.number}: tags longer than {MAX_TAG:,} characters were cut: "
            f"{', '.join(long_tags)}"
        )

    files = [(artifact_path(a.name), a.path, a.size) for a in record.artifacts]
    generated: dict[str, bytes] = {}
    if record.code:
        generated[CODE_ARTIFACT] = record.code.encode("utf-8")
    document = run_document(record, parent_uuid, links, files, renamed)
    generated[RUN_ARTIFACT] = json.dumps(document, indent=1, sort_keys=True).encode("utf-8")
    if links:
        generated[HYPOTHESES_ARTIFACT] = json.dumps(
            jsonable(list(links)), indent=1, sort_keys=True
        ).encode()
    running = record.status == "running"
    plan = RunPlan(
        number=record.number,
        uuid=record.uuid,
        name=record.name or f"#{record.number}",
        status=STATUS.get(record.status, "FAILED"),
        running=running,
        start_ms=timestamp_ms(record.start_time),
        end_ms=None if running or record.end_time is None else timestamp_ms(record.end_time),
        params=params,
        tags=tags,
        metric_keys=metric_keys,
        files=files,
        generated=generated,
        notes=notes,
    )
    plan.fingerprint = fingerprint(plan, record, experiment)
    return plan


def fingerprint(plan: RunPlan, record: RunRecord, experiment: str | None) -> str:
    """A digest of everything a push writes for the run (metric points through their summaries)."""
    content = {
        "version": MAPPING_VERSION,
        "experiment": experiment or record.experiment,
        "status": plan.status,
        "start": plan.start_ms,
        "end": plan.end_ms,
        "params": plan.params,
        "tags": plan.tags,
        "keys": plan.metric_keys,
        "metrics": {
            k: [m.count, m.nan_count, m.last_step, repr(m.last), repr(m.mean)]
            for k, m in record.metrics.items()
        },
        "files": sorted((path, a.sha256) for (path, _, _), a in zip(plan.files, record.artifacts)),
        "generated": {
            path: hashlib.sha256(data).hexdigest() for path, data in plan.generated.items()
        },
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def pack_batches(
    params: Sequence[tuple[str, str]],
    tags: Sequence[tuple[str, str]],
    metrics: Sequence[MetricPoint],
) -> Iterator[tuple[list, list, list]]:
    """Split params, tags and metric points into `log_batch` calls within MLflow's limits.

    >>> [len(m) for _, _, m in pack_batches([], [], [("loss", 0.1, 0, i) for i in range(2500)])]
    [1000, 1000, 500]
    """
    batch: tuple[list, list, list] = ([], [], [])
    size = 0

    def full(kind: int, limit: int, more: int) -> bool:
        return (
            len(batch[kind]) >= limit
            or sum(map(len, batch)) >= MAX_ENTITIES
            or size + more > MAX_BATCH_BYTES
        )

    for kind, items, limit in ((0, params, MAX_PARAMS_TAGS), (1, tags, MAX_PARAMS_TAGS)):
        for key, value in items:
            more = len(json.dumps(key)) + len(json.dumps(value)) + 32
            if full(kind, limit, more):
                yield batch
                batch, size = ([], [], []), 0
            batch[kind].append((key, value))
            size += more
    for point in metrics:
        more = len(json.dumps(point[0])) + 96
        if full(2, MAX_METRICS, more):
            yield batch
            batch, size = ([], [], []), 0
        batch[2].append(point)
        size += more
    if any(batch):
        yield batch
