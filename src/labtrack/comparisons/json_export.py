"""Export a `Comparison` as JSON following `schemas/comparison.schema.json` (documented there)."""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from importlib import resources
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..present.values import display_value, is_missing, json_number, json_safe, plain

if TYPE_CHECKING:
    from .comparison import Comparison

__all__ = ["SCHEMA_VERSION", "comparison_record", "schema", "to_json"]

SCHEMA_VERSION = 1
HYPOTHESIS_FIELDS = ("id", "statement", "metric", "expect", "min_effect", "verdict")


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that `to_json` follows."""
    text = (
        resources.files("labtrack")
        .joinpath("comparisons/schemas/comparison.schema.json")
        .read_text("utf-8")
    )
    return json.loads(text)


def param_value(number: int, value: Any) -> dict[str, Any]:
    value = plain(value)
    if is_missing(value):
        return {"run": number, "type": "missing", "value": None, "display": None}
    display = display_value(value)
    if isinstance(value, bool):
        kind = "bool"
    elif isinstance(value, (int, float, str)):
        kind = type(value).__name__ if type(value) in (int, float, str) else "other"
    elif isinstance(value, (list, dict)):
        kind = "json"
    else:
        kind = "other"
    if kind == "other":
        return {"run": number, "type": kind, "value": display, "display": display}
    return {"run": number, "type": kind, "value": json_safe(value), "display": display}


def _when(value: Any) -> str | None:
    return None if is_missing(value) or pd.isna(value) else pd.Timestamp(value).isoformat()


def _integer(value: Any) -> int | None:
    value = plain(value)
    return (
        None
        if is_missing(value) or (isinstance(value, float) and math.isnan(value))
        else int(value)
    )


def _text(value: Any) -> str | None:
    value = plain(value)
    return (
        None
        if is_missing(value) or (isinstance(value, float) and math.isnan(value))
        else str(value)
    )


def run_records(cmp: Comparison) -> list[dict[str, Any]]:
    records = []
    for label, run in cmp.runs.iterrows():
        number = int(run["number"])
        records.append(
            {
                "label": label,
                "number": number,
                "uuid": _text(run["uuid"]),
                "name": _text(run["name"]),
                "experiment": _text(run["experiment"]),
                "status": _text(run["status"]),
                "start": _when(run["start"]),
                "end": _when(run["end"]),
                "duration": json_number(run["duration"]),
                "parent": _integer(run["parent"]),
                "hypothesis": _integer(run["hypothesis"]),
                "notebook": _text(run["notebook"]),
                "code": cmp.code.get(number),
            }
        )
    return records


def metric_records(cmp: Comparison) -> list[dict[str, Any]]:
    metrics, differs = cmp.metrics, cmp.metric_differs
    records = []
    for name in cmp.metric_names:
        block = metrics.loc[name]
        values = []
        for label, number in zip(cmp.labels, cmp.numbers, strict=True):
            entry: dict[str, Any] = {"run": number}
            for summary, value in block[label].items():
                entry[summary] = _integer(value) if summary == "best_step" else json_number(value)
            values.append(entry)
        differing = differs.loc[name]
        records.append(
            {
                "name": name,
                "definition": _definition(cmp, name),
                "differs": bool(differing.any()),
                "summaries_differing": [s for s, d in differing.items() if d],
                "values": values,
            }
        )
    return records


def _definition(cmp: Comparison, name: str) -> dict[str, Any] | None:
    definition = cmp.definitions.get(name)
    if definition is None:
        return None
    return {**definition, "target": json_number(definition.get("target"))}


def hypothesis_record(hypothesis: dict[str, Any]) -> dict[str, Any]:
    record = {field: json_safe(hypothesis.get(field)) for field in HYPOTHESIS_FIELDS}
    record["min_effect"] = json_number(hypothesis.get("min_effect"))
    verdict = hypothesis.get("verdict")
    if verdict is not None:
        verdict = dict(verdict)
        record["verdict"] = {k: json_safe(v) for k, v in verdict.items()}
        for field in ("effect", "ci_low", "ci_high"):
            record["verdict"][field] = json_number(verdict.get(field))
        for field in ("n_treatment", "n_baseline"):
            record["verdict"][field] = int(verdict.get(field) or 0)
        record["verdict"].setdefault("reason", None)
    extra = {k: json_safe(v) for k, v in hypothesis.items() if k not in HYPOTHESIS_FIELDS}
    return {**record, **extra}


def comparison_record(cmp: Comparison) -> dict[str, Any]:
    """The comparison as the plain dict that `to_json` writes."""
    params = cmp.params
    differs = cmp.param_differs
    return {
        "format": "labtrack.comparison",
        "version": SCHEMA_VERSION,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "differences_only": cmp.differences_only,
        "at_step": cmp.at_step,
        "runs": run_records(cmp),
        "params": [
            {
                "name": str(name),
                "differs": bool(differs[name]),
                "values": [param_value(n, v) for n, v in zip(cmp.numbers, values, strict=True)],
            }
            for name, values in zip(
                params.index, params.itertuples(index=False, name=None), strict=True
            )
        ],
        "metrics": metric_records(cmp),
        "hypotheses": [hypothesis_record(h) for h in cmp.hypotheses],
    }


def to_json(cmp: Comparison, *, indent: int | None = 2) -> str:
    """Strict JSON (no NaN literals) following `schema()`."""
    return json.dumps(comparison_record(cmp), indent=indent, ensure_ascii=False, allow_nan=False)
