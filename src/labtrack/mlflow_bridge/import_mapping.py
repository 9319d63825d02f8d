"""One MLflow run read back as a labtrack `RunImport` (the inverse of mapping.py's push mapping).

A run that `labtrack push` sent (tag `labtrack.uuid`) comes back as the run it was: its uuid, typed
params, original names, exact times, code and error from `labtrack/run.json`. Any other run maps
field by field: params typed back where the text is exactly a number, bool or JSON.

    >>> typed_param("0.01"), typed_param("True"), typed_param("0.10")
    (0.01, True, '0.10')
"""

from __future__ import annotations

import json
import math
import mimetypes
import re
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..tracking.imported import ArtifactImport, DatasetImport, RunImport
from .mapping import CODE_ARTIFACT, HYPOTHESES_ARTIFACT, RUN_ARTIFACT, TAG_UUID

STATUS = {"FINISHED": "finished", "FAILED": "failed", "KILLED": "interrupted",
          "RUNNING": "running", "SCHEDULED": "running"}  # fmt: skip
_GENERATED = {RUN_ARTIFACT, CODE_ARTIFACT, HYPOTHESES_ARTIFACT}
_INT = re.compile(r"-?(0|[1-9][0-9]*)")
_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class RunGone(Exception):
    """The run was deleted in MLflow while it was being imported."""


def typed_param(text: str) -> Any:
    """A param's MLflow text typed back when the text is exactly how that value prints (so no text is
    lost: `param_text(typed_param(t)) == t`, lists and dicts as JSON); otherwise the text itself."""
    if text in ("True", "False"):
        return text == "True"
    if text == "None":
        return None
    if _INT.fullmatch(text) and len(text) <= 1000:
        return int(text)
    try:
        if str(number := float(text)) == text:
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


def fetch_run(
    client: Any,
    pool: ThreadPoolExecutor,
    run: Any,
    experiment: str,
    uuids: dict[str, str],
    max_bytes: int | None,
    note: Callable[[str], None],
) -> RunImport:
    """Everything of one run, read from MLflow (metric histories in parallel), as a `RunImport`."""
    info, tags = run.info, dict(run.data.tags)
    keys = list(run.data.metrics)
    read = history_reader(client)
    histories = dict(zip(keys, pool.map(lambda key: read(info.run_id, key), keys)))
    with tempfile.TemporaryDirectory(prefix="labtrack-import-") as tmp:
        files = _files(client, info.run_id)
        document = _document(client, info.run_id, files, tmp) if TAG_UUID in tags else None
        wanted = {f.path: f for f in files if document is None or f.path not in _GENERATED}
        artifacts = _download(client, info.run_id, wanted, max_bytes, note, tmp)
        code = (
            _text(client, info.run_id, CODE_ARTIFACT, tmp)
            if CODE_ARTIFACT in {f.path for f in files}
            else None
        )
    if client.get_run(info.run_id).info.lifecycle_stage == "deleted":
        raise RunGone(f"the run was deleted in MLflow while it was being imported ({info.run_id})")
    parent = tags.get("mlflow.parentRunId")
    record = RunImport(
        uuid=uuids[info.run_id],
        experiment=tags.get("labtrack.experiment", experiment),
        name=info.run_name or tags.get("mlflow.runName") or None,
        status=STATUS.get(info.status, "failed"),
        start_time=(info.start_time or 0) / 1000,
        end_time=None if info.end_time is None else info.end_time / 1000,
        params={k: typed_param(v) for k, v in run.data.params.items()},
        tags={k: v for k, v in tags.items() if not k.startswith("labtrack.")},
        metrics=_metrics(histories, info.run_id, note),
        datasets=[_dataset(d) for d in (run.inputs.dataset_inputs if run.inputs else [])],
        artifacts=list(artifacts.values()),
        parent_uuid=uuids.get(parent, parent) if parent else None,
    )
    if document is not None:
        _as_pushed(record, document, artifacts, code)
    record.tags.update(
        {
            k: v
            for k, v in (("mlflow.user", info.user_id), ("mlflow.artifact_uri", info.artifact_uri))
            if v
        }
    )
    return record


def _as_pushed(
    record: RunImport, doc: dict[str, Any], artifacts: dict[str, ArtifactImport], code: str | None
) -> None:
    """Restore what `labtrack push` kept in `labtrack/run.json`: the run as it was recorded."""
    types = doc.get("param_types", {})
    record.params = {
        k: _NON_FINITE.get(v, v) if types.get(k) == "float" and isinstance(v, str) else v
        for k, v in doc.get("params", {}).items()
    }
    record.tags = dict(
        doc.get("tags", {})
    )  # MLflow's generated tags (source, user...) are fields here
    record.name, record.status = doc.get("name"), doc.get("status", record.status)
    record.experiment = doc.get("experiment", record.experiment)
    record.start_time, record.end_time = (
        doc.get("start_time", record.start_time),
        doc.get("end_time"),
    )
    record.parent_uuid = doc.get("parent_uuid") or record.parent_uuid
    back = {
        v: k.split(".", 1)[1]
        for k, v in doc.get("mlflow_keys", {}).items()
        if k.startswith("metrics.")
    }
    record.metrics = {back.get(k, k): h for k, h in record.metrics.items()}
    named = {a["mlflow_path"]: a for a in doc.get("artifacts", [])}
    record.artifacts = [
        ArtifactImport(named[p]["name"], a.data, named[p]["media_type"]) if p in named else a
        for p, a in artifacts.items()
    ]
    if datasets := doc.get(
        "datasets"
    ):  # `labtrack push` keeps them in run.json, not as MLflow inputs
        record.datasets = [
            DatasetImport(
                d["name"],
                d["fingerprint"],
                d.get("context"),
                d.get("n_rows", 0),
                d.get("n_cols", 0),
                d.get("schema") or {},
            )
            for d in datasets
        ]
    error = doc.get("error") or {}
    fields = {
        "code": code,
        "notebook": doc.get("notebook"),
        "execution_count": doc.get("execution_count"),
        "error_type": error.get("type"),
        "error_message": error.get("message"),
        "traceback": error.get("traceback"),
    }
    record.fields = {k: v for k, v in fields.items() if v is not None}


def history_reader(client: Any) -> Callable[[str, str], list[tuple[int, int, float]]]:
    """A function (run_id, key) -> [(step, timestamp, value)]. From a tracking server it reads MLflow's
    REST API as JSON (the same request `get_metric_history` makes, without building a protobuf message
    and an entity per point, which is most of that call's time); elsewhere, MLflow's client."""
    try:
        from mlflow.exceptions import MlflowException
        from mlflow.store.tracking.rest_store import RestStore
        from mlflow.utils.rest_utils import http_request, verify_rest_response

        store = client._tracking_client.store  # MLflow's own store object: its host and credentials
        creds = store.get_host_creds() if isinstance(store, RestStore) else None
    except (ImportError, AttributeError):  # another MLflow version: its public client still works
        creds = None
    if creds is None:
        return lambda run_id, key: [
            (m.step, m.timestamp, m.value) for m in client.get_metric_history(run_id, key)
        ]

    def read(run_id: str, key: str) -> list[tuple[int, int, float]]:
        try:
            return read_json(run_id, key)
        except MlflowException:  # a server that answers this request differently: MLflow's client
            return [(m.step, m.timestamp, m.value) for m in client.get_metric_history(run_id, key)]

    def read_json(run_id: str, key: str) -> list[tuple[int, int, float]]:
        points, token = [], None
        while True:
            params = {
                "run_id": run_id,
                "metric_key": key,
                "max_results": 25_000,
                "page_token": token,
            }
            response = http_request(
                creds,
                "/api/2.0/mlflow/metrics/get-history",
                "GET",
                params={k: v for k, v in params.items() if v is not None},
            )
            page = verify_rest_response(response, "/api/2.0/mlflow/metrics/get-history").json()
            points += [
                (int(m.get("step", 0)), int(m.get("timestamp", 0)), float(m.get("value", 0.0)))
                for m in page.get("metrics", [])
            ]  # JSON gives NaN and ±inf as "NaN", "Infinity"
            if not (token := page.get("next_page_token")):
                return points

    return read


def _metrics(
    histories: dict[str, list[tuple[int, int, float]]], run_id: str, note: Callable[[str], None]
) -> dict[str, list]:
    """(step, value, wall_ms) per metric; MLflow's histories may repeat a step, labtrack's may not."""
    out, renumbered = {}, []
    for key, history in histories.items():
        points = sorted(history)
        if len({p[0] for p in points}) < len(points):
            renumbered.append(key)
            points = [(i, t, v) for i, (_, t, v) in enumerate(points)]
        out[key] = [(step, value, timestamp) for step, timestamp, value in points]
    if renumbered:
        note(
            f"run {run_id}: points sharing a step were numbered 0, 1, ... in step and time order:"
            f" {', '.join(renumbered)}"
        )
    return out


def _dataset(entry: Any) -> DatasetImport:
    d = entry.dataset
    context = next((t.value for t in entry.tags if t.key == "mlflow.data.context"), None)
    try:
        schema = json.loads(d.schema) if d.schema else {}
        rows = int(json.loads(d.profile).get("num_rows", 0)) if d.profile else 0
    except (ValueError, AttributeError, TypeError):
        schema, rows = {}, 0
    return DatasetImport(
        d.name, d.digest, context, rows, 0, schema if isinstance(schema, dict) else {}
    )


def _files(client: Any, run_id: str) -> list[Any]:
    """Every artifact file of the run (folders walked)."""
    files, folders = [], [None]
    while folders:
        folder = folders.pop()
        try:
            entries = client.list_artifacts(run_id, folder)
        except Exception as exc:  # as for downloads: the run must not come in without its files
            raise OSError(f"artifacts under {folder or '/'} could not be listed: {exc}") from exc
        for entry in entries:
            if entry.is_dir:
                folders.append(entry.path)
            else:
                files.append(entry)
    return files


def _download(
    client: Any,
    run_id: str,
    files: dict[str, Any],
    max_bytes: int | None,
    note: Callable[[str], None],
    tmp: str,
) -> dict[str, ArtifactImport]:
    """The files' bytes (those under `max_bytes`), all fetched before anything is written."""
    out = {}
    for path, entry in files.items():
        if max_bytes is not None and (entry.file_size or 0) > max_bytes:
            note(
                f"run {run_id}: artifact {path} ({entry.file_size:,} bytes) is over the limit of"
                f" {max_bytes:,} bytes and was left out"
            )
            continue
        media = mimetypes.guess_type(path)[0] or "application/octet-stream"
        out[path] = ArtifactImport(path, _bytes(client, run_id, path, tmp), media)
    return out


def _bytes(client: Any, run_id: str, path: str, tmp: str) -> bytes:
    try:
        return Path(client.download_artifacts(run_id, path, tmp)).read_bytes()
    except Exception as exc:  # MLflow raises many kinds here; the run must not come in half-written
        raise OSError(f"artifact {path} could not be downloaded: {exc}") from exc


def _text(client: Any, run_id: str, path: str, tmp: str) -> str:
    return _bytes(client, run_id, path, tmp).decode("utf-8", errors="replace")


def _document(client: Any, run_id: str, files: list[Any], tmp: str) -> dict[str, Any] | None:
    """`labtrack/run.json` of a pushed run, or None when it is missing or unreadable."""
    if RUN_ARTIFACT not in {f.path for f in files}:
        return None
    try:
        document = json.loads(_text(client, run_id, RUN_ARTIFACT, tmp))
    except ValueError:
        return None
    return document if isinstance(document, dict) else None
