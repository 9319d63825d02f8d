"""The runs table as plain records, without pandas: what the REST API's runs route lists.

The same runs, columns and values as `reads.runs_frame` (params decoded to their Python type), but
the filter is evaluated once and the params, metrics and tags of the matching runs are read by id,
so a filtered table of 10,000 runs costs a fraction of the DataFrame.

>>> table = store.runs_table("params.model = 'rf'")
>>> table.rows[0]["params"], table.params
({'lr': 0.1, 'model': 'rf'}, ['lr', 'model'])
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..tracking.values import decode_param
from .hypotheses import pick_summary
from .reads import RUN_COLUMNS

_RUNS = (
    "SELECT r.id, r.uuid, r.name, e.name, r.status, r.start_time, r.end_time,"
    " COALESCE(r.end_time, r.heartbeat, r.start_time) - r.start_time, r.parent_id, r.hypothesis_id,"
    " r.notebook FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE {where} ORDER BY r.id"
)
_IN_IDS = " WHERE {column} IN (SELECT value FROM json_each(?))"


@dataclass(frozen=True)
class RunsTable:
    """`rows`: a dict per run (attributes, then `params`, `metrics` — last values, None for NaN —,
    `tags` and `summaries` dicts holding only what the run has; `summaries` stays empty until
    `add_summaries` fills it); `params` and `metrics`: the names seen."""

    rows: list[dict[str, Any]]
    params: list[str]
    metrics: list[str]


def runs_table(
    conn: sqlite3.Connection,
    filter: str | None,
    experiment: str | None,
    *,
    after: int | None = None,
    numbers: list[int] | None = None,
) -> RunsTable:
    """The runs matching `filter` (the filter language) in `experiment` (None: all), numbered above
    `after`, among `numbers` — by number. Read it inside one snapshot (`Store.runs_table` does)."""
    from .filters import compile_filter

    where, args = compile_filter(filter)
    if experiment is not None:
        where, args = f"({where}) AND e.name = ?", [*args, experiment]
    if after is not None:
        where, args = f"({where}) AND r.id > ?", [*args, after]
    if numbers is not None:
        where, args = (
            f"({where}) AND r.id IN (SELECT value FROM json_each(?))",
            [*args, json.dumps(numbers)],
        )
    rows = [
        {**dict(zip(RUN_COLUMNS, values)), "params": {}, "metrics": {}, "tags": {}, "summaries": {}}
        for values in conn.execute(_RUNS.format(where=where), args)
    ]
    by_id = {row["number"]: row for row in rows}
    everything = filter is None and experiment is None and after is None and numbers is None
    ids = [] if everything else [json.dumps(list(by_id))]

    def scoped(sql: str, column: str) -> sqlite3.Cursor:
        return conn.execute(sql + ("" if everything else _IN_IDS.format(column=column)), ids)

    params: set[str] = set()
    for run_id, key, value, kind in scoped("SELECT run_id, key, value, kind FROM params", "run_id"):
        row = by_id.get(run_id)
        if row is not None:
            plain = kind == "str" or kind == "int" or (kind == "float" and value is not None)
            row["params"][key] = value if plain else decode_param(value, kind)
            params.add(key)
    metrics: set[str] = set()
    for run_id, key, last in scoped(
        "SELECT s.run_id, k.name, s.last FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id",
        "s.run_id",
    ):
        row = by_id.get(run_id)
        if row is not None:
            metrics.add(key)
            row["metrics"][key] = last  # None: the last value is NaN
    for run_id, key, value in scoped("SELECT run_id, key, value FROM tags", "run_id"):
        row = by_id.get(run_id)
        if row is not None:
            row["tags"][key] = value
    return RunsTable(rows, sorted(params), sorted(metrics))


def summary_of(summary: str, goal: str, lo: float | None, hi: float | None, total: float | None,
               count: int) -> float | None:
    """`best` (max for goal max, else min) or `mean` of a history from its min, max, sum and count
    (NaN points left out); None when there is none (only NaN) or it is NaN."""
    mean = total / count if count and total is not None else None
    value = pick_summary(summary, goal, None, lo, hi, mean)
    return None if value is None or math.isnan(value) else value


def add_summaries(conn: sqlite3.Connection, rows: list[dict[str, Any]],
                  chosen: Mapping[str, tuple[str, str]]) -> None:
    """Fill each row's `summaries` with the summary of each metric in `chosen` (name -> (summary,
    goal); summary `best` or `mean`) the run has; None where it is NaN. Read in the rows' snapshot."""
    if not rows or not chosen:
        return
    by_id = {row["number"]: row for row in rows}
    for run_id, key, lo, hi, total, count in conn.execute(
        "SELECT s.run_id, k.name, s.min, s.max, s.sum, s.count FROM metric_summaries s"
        " JOIN metric_keys k ON k.id = s.key_id WHERE k.name IN (SELECT value FROM json_each(?))"
        " AND s.run_id IN (SELECT value FROM json_each(?))",
        [json.dumps(list(chosen)), json.dumps(list(by_id))],
    ):
        row = by_id.get(run_id)
        if row is not None:
            summary, goal = chosen[key]
            row["summaries"][key] = summary_of(summary, goal, lo, hi, total, count)
