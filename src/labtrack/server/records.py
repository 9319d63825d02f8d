"""The REST API's JSON records (docs/rest-api.md "Types"), made from what the store and API return.

Strict JSON only: a NaN metric summary is null, infinities are the strings "inf" / "-inf" (as in the
comparison JSON), and any other value a param can hold goes through `export_json.json_safe`.

>>> rows = jsonable_rows(store.runs_table().rows)
>>> rows[0]["params"]
{'lr': 0.01, 'model': 'rf'}
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from ..store.hypotheses import HypothesisRecord
    from ..store.reads import RunRecord
    from ..evidence.verdicts import Verdict

Row = dict[str, Any]
_PLAIN = (int, str, bool)


def encode_json(data: Any) -> str:
    """Strict, compact JSON text; a value JSON cannot hold is a server fault (RuntimeError: a 500),
    not the caller's (a ValueError would answer 400). Text passes through (it is JSON already)."""
    if isinstance(data, str):
        return data
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError as exc:
        raise RuntimeError(f"the answer could not be encoded as JSON: {exc}") from exc


def json_number(value: Any) -> Any:
    """A number as strict JSON: NaN -> None, infinities -> "inf" / "-inf" (export_json's rule)."""
    from ..comparisons.json_export import json_number

    return json_number(value)


def json_safe(value: Any) -> Any:
    """Any value as strict JSON (export_json's rule; pandas loads only when a request needs it)."""
    from ..comparisons.json_export import json_safe

    return json_safe(value)


def _value(value: Any) -> Any:
    """A param or tag value as strict JSON (fast path for the common types)."""
    if value is None or type(value) in _PLAIN or (type(value) is float and math.isfinite(value)):
        return value
    return json_safe(value)


def jsonable_rows(rows: list[Row]) -> list[Row]:
    """Make `Store.runs_table` rows strict JSON in place: infinities become "inf" / "-inf", odd param
    values text (a NaN last value is already None: null); returns `rows`."""
    for row in rows:
        duration = row["duration"]
        if duration is not None and not math.isfinite(duration):
            row["duration"] = json_number(duration)
        params = row["params"]
        for key, value in params.items():
            if not (
                value is None
                or type(value) in _PLAIN
                or (type(value) is float and math.isfinite(value))
            ):
                params[key] = json_safe(value)
        for numbers in (row["metrics"], row.get("summaries", {})):
            for key, value in numbers.items():
                if value is not None and not math.isfinite(value):
                    numbers[key] = json_number(value)
    return rows


def _sort_value(value: Any, metric: bool) -> tuple[int, Any]:
    """(rank, value): numbers before text before anything else, so mixed-type params still sort."""
    if metric and value in ("inf", "-inf"):
        value = float(value)
    if isinstance(value, (int, float)):
        return 0, value
    if isinstance(value, str):
        return 1, value
    return 2, str(value)


def sort_rows(rows: list[Row], field: str, descending: bool) -> list[Row]:
    """`rows` ordered by a Run field or `params.X` / `metrics.X` / `tags.X`; missing values last, ties by number."""
    section, _, key = (
        field.partition(".")
        if field.startswith(("params.", "metrics.", "tags."))
        else ("", "", field)
    )

    def value_of(row: Row) -> Any:
        return row[section].get(key) if section else row.get(key)

    present = [row for row in rows if value_of(row) is not None]
    missing = [row for row in rows if value_of(row) is None]
    metric = section == "metrics"
    present.sort(key=lambda row: _sort_value(value_of(row), metric), reverse=descending)
    return present + missing


def metric_summary(summary: Any) -> Row:
    """A `MetricSummary` as JSON: last, last_step, min, max, mean, count, nan_count."""
    return {key: json_number(value) for key, value in asdict(summary).items()}


def run_detail(record: RunRecord, *, notebook_path: str | None, hypothesis: Row | None) -> Row:
    """The `RunDetail` record of one run: its `Run` fields with metric summaries, code, artifacts and more."""
    duration = record.duration
    if duration is None and record.status == "running":
        duration = time.time() - record.start_time
    return {
        "number": record.number,
        "uuid": record.uuid,
        "name": record.name,
        "experiment": record.experiment,
        "status": record.status,
        "start_time": record.start_time,
        "end_time": record.end_time,
        "duration": json_number(duration),
        "parent": record.parent,
        "hypothesis_id": record.hypothesis_id,
        "notebook": record.notebook,
        "params": {key: _value(value) for key, value in record.params.items()},
        "metrics": {name: metric_summary(summary) for name, summary in record.metrics.items()},
        "tags": dict(record.tags),
        "code": record.code,
        "execution_count": record.execution_count,
        "notebook_path": notebook_path,
        "environment": json_safe(record.environment),
        "error_type": record.error_type,
        "error_message": record.error_message,
        "traceback": record.traceback,
        "artifacts": [
            {
                "name": a.name,
                "sha256": a.sha256,
                "size": a.size,
                "media_type": a.media_type,
                "url": f"artifacts/{a.sha256}?name={quote(a.name, safe='')}",
            }
            for a in record.artifacts
        ],
        "datasets": json_safe(record.datasets),
        "hypothesis": hypothesis,
    }


def hypothesis_row(record: HypothesisRecord, verdict: Verdict) -> Row:
    """The `Hypothesis` record: statement, metric, expectation, status and the verdict with its numbers."""
    return {
        "id": record.id,
        "experiment": record.experiment,
        "statement": record.statement,
        "metric": record.metric,
        "expect": record.expect,
        "min_effect": json_number(record.min_effect),
        "baseline": json_safe(record.baseline),
        "status": record.status,
        "note": record.note,
        "created": record.created,
        "closed": record.closed,
        "verdict": json_safe(verdict.to_dict()),
    }
