"""The REST API's JSON text and its in-memory sort of run rows. The records themselves (a run, a
hypothesis) are the presentation layer's (`labtrack.present.records`), shared with every face.
"""

from __future__ import annotations

import json
from typing import Any

Row = dict[str, Any]


def encode_json(data: Any) -> str:
    """Strict, compact JSON text; a value JSON cannot hold is a server fault (RuntimeError: a 500),
    not the caller's (a ValueError would answer 400). Text passes through (it is JSON already)."""
    if isinstance(data, str):
        return data
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except ValueError as exc:
        raise RuntimeError(f"the answer could not be encoded as JSON: {exc}") from exc


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
