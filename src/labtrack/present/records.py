"""One record shape per concept — a run, a hypothesis, a verdict — that every face serialises.

Strict JSON by the rule of `values.json_number` (NaN, +inf, -inf as "nan", "inf", "-inf"; null missing).

>>> rows = jsonable_rows(lab.runs_listing().rows)
>>> rows[0]["params"]
{'lr': 0.01, 'model': 'rf'}
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .values import json_number, json_safe

if TYPE_CHECKING:
    from ..evidence.verdicts import Verdict
    from ..store.hypotheses import HypothesisRecord
    from ..store.reads import RunRecord

Row = dict[str, Any]
_PLAIN = (int, str, bool)
# The columns of `lt.hypotheses()` and `labtrack hypotheses`: the record, its verdict flattened.
HYPOTHESIS_COLUMNS = [
    "id",
    "statement",
    "metric",
    "expect",
    "min_effect",
    "status",
    "verdict",
    "weak",
    "effect",
    "ci_low",
    "ci_high",
    "n_treatment",
    "n_baseline",
    "runs",
    "baseline_runs",
    "reason",
    "experiment",
    "note",
    "created",
    "change",
    "confounds",
    "reruns",
    "tested",
    "p_value",
    "p_adjusted",
    "adjusted_note",
]


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


def hypothesis_brief(
    record: HypothesisRecord,
    verdict: Verdict,
    adjusted: Row | None = None,
    current_definition: Row | None = None,
) -> Row:
    """The one shape of a hypothesis, for every face (REST, CLI --json, comparisons, MLflow tags), as
    plain values: statement, metric, expectation, status, the change it tests, the metric definition
    it was stated with (and the one in force now), the verdict (`Verdict.to_dict()`) with its numbers,
    and its p-value adjusted over the hypotheses of its experiment (`adjusted`: tested, method,
    p_value, p_adjusted, note) when known."""
    return {
        "id": record.id,
        "experiment": record.experiment,
        "statement": record.statement,
        "metric": record.metric,
        "expect": record.expect,
        "min_effect": record.min_effect,
        "baseline": record.baseline,
        "status": record.status,
        "note": record.note,
        "created": record.created,
        "closed": record.closed,
        "change": record.change,
        "definition": record.definition,
        "current_definition": current_definition or record.definition,
        "verdict": verdict.to_dict(),
        "multiplicity": adjusted,
    }


def hypothesis_record(
    record: HypothesisRecord,
    verdict: Verdict,
    adjusted: Row | None = None,
    current_definition: Row | None = None,
) -> Row:
    """`hypothesis_brief` as strict JSON (the REST `Hypothesis` type and `labtrack show H3 --json`)."""
    return json_safe(hypothesis_brief(record, verdict, adjusted, current_definition))


def hypothesis_row(record: HypothesisRecord, verdict: Verdict, adjusted: Row | None = None) -> Row:
    """The record flattened into one table row (`HYPOTHESIS_COLUMNS`): the verdict's label and numbers,
    and the multiplicity adjustment (`adjusted`) when given."""
    v, a = verdict, adjusted or {}
    return {
        "id": record.id,
        "statement": record.statement,
        "metric": record.metric,
        "expect": record.expect,
        "min_effect": record.min_effect,
        "status": record.status,
        "verdict": v.label,
        "weak": v.weak,
        "effect": v.effect,
        "ci_low": v.ci_low,
        "ci_high": v.ci_high,
        "n_treatment": v.n_treatment,
        "n_baseline": v.n_baseline,
        "runs": list(v.treatment_runs),
        "baseline_runs": list(v.baseline_runs),
        "reason": v.reason,
        "experiment": record.experiment,
        "note": record.note,
        "created": record.created,
        "change": record.change,
        "confounds": list(v.confounds),
        "reruns": [old for old, _ in v.reruns],
        "tested": a.get("tested"),
        "p_value": v.p_value,
        "p_adjusted": a.get("p_adjusted"),
        "adjusted_note": a.get("note"),
    }
