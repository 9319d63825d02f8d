"""Which runs a list shows, in what order, which page — in SQL — and the runs table as plain records.

`select_runs` evaluates the filter, the order and the page once, in SQLite, and returns the runs'
attributes column-wise; the frame (`reads.runs_frame`), the REST table and the CLI then read the
params, metrics and tags of those runs only. The runs table (what the REST API's runs route lists)
has the same runs, columns and values as the frame, as dicts:

>>> table = store.runs_table("params.model = 'rf'")
>>> table.rows[0]["params"], table.params
({'lr': 0.1, 'model': 'rf'}, ['lr', 'model'])
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import LabtrackError
from ..tracking.values import decode_param
from .hypotheses import pick_summary

RUN_COLUMNS = [
    "number",
    "uuid",
    "name",
    "experiment",
    "status",
    "start_time",
    "end_time",
    "duration",
    "parent",
    "hypothesis_id",
    "notebook",
]
_ATTRIBUTE_SQL = {
    "number": "r.id", "uuid": "r.uuid", "name": "r.name", "experiment": "e.name",
    "status": "r.status", "start_time": "r.start_time", "end_time": "r.end_time",
    "duration": "COALESCE(r.end_time, r.heartbeat, r.start_time) - r.start_time",
    "parent": "r.parent_id", "hypothesis_id": "r.hypothesis_id", "notebook": "r.notebook",
}  # fmt: skip
_FIELD_SQL = {  # one run's value of a named param / metric (last) / tag, for ORDER BY
    "params.": "(SELECT value FROM params WHERE run_id = r.id AND key = ?)",
    "metrics.": "(SELECT s.last FROM metric_summaries s WHERE s.run_id = r.id"
    " AND s.key_id = (SELECT id FROM metric_keys WHERE name = ?))",
    "tags.": "(SELECT value FROM tags WHERE run_id = r.id AND key = ?)",
}
PREFIXES = tuple(_FIELD_SQL)
_NEVER_NULL = frozenset({"number", "uuid", "experiment", "status", "start_time"})
MAX_LIMIT = 2**63 - 1  # SQLite's largest integer: a limit or offset beyond it is a mistake


class ColumnError(LabtrackError, ValueError):
    """A column or sort field names nothing a run has: says which names are valid."""


def check_field(name: Any, what: str = "column") -> str:
    """`name` if it is a run attribute or `params.X` / `metrics.X` / `tags.X`; else ColumnError.

    >>> check_field("metrics.acc")
    'metrics.acc'
    """
    if isinstance(name, str) and (
        name in _ATTRIBUTE_SQL or (name.startswith(PREFIXES) and name.split(".", 1)[1])
    ):
        return name
    raise ColumnError(
        f"unknown {what} {str(name)[:60]!r}; use one of {', '.join(RUN_COLUMNS)},"
        " or params.NAME, metrics.NAME, tags.NAME"
    )


def parse_order(order_by: str | Sequence[str] | None) -> list[tuple[str, bool]]:
    """`"metrics.acc desc"`, `"-metrics.acc"` or a list of those -> [(field, descending)].

    >>> parse_order(["metrics.acc DESC", "name"])
    [('metrics.acc', True), ('name', False)]
    """
    if order_by is None:
        return []
    items = [order_by] if isinstance(order_by, str) else list(order_by)
    out = []
    for item in items:
        if not isinstance(item, str):
            raise ColumnError(
                f"order_by takes field names such as 'metrics.acc desc', not {item!r}"
            )
        text, descending = item.strip(), False
        lowered = text.lower()
        if lowered.endswith((" desc", " asc")):
            descending = lowered.endswith(" desc")
            text = text.rsplit(None, 1)[0].strip()
        elif text.startswith("-"):
            text, descending = text[1:].strip(), True
        out.append((check_field(text, "sort field"), descending))
    return out


def check_page(limit: Any, offset: Any) -> tuple[int | None, int]:
    """(limit, offset) checked: whole numbers from 0 to SQLite's largest integer."""
    for name, value in (("limit", limit), ("offset", offset)):
        if value is None and name == "limit":
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be a whole number, not {value!r}")
        if not 0 <= value <= MAX_LIMIT:
            raise ValueError(f"{name} must be between 0 and {MAX_LIMIT:,}, not {value}")
    return limit, offset


@dataclass(frozen=True)
class Selected:
    """The runs a list shows, in its order: attribute columns (name -> list), and `total`, how
    many runs matched before the page was cut (None when nobody asked)."""

    columns: dict[str, list]
    total: int | None

    @property
    def numbers(self) -> list[int]:
        return self.columns["number"]


def select_runs(
    conn: sqlite3.Connection,
    filter: str | None = None,
    experiment: str | None = None,
    *,
    order_by: str | Sequence[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
    after: int | None = None,
    numbers: Sequence[int] | None = None,
    count: bool = False,
) -> Selected:
    """The runs matching `filter` in `experiment`, numbered above `after`, among `numbers`, sorted
    by `order_by` (then by number; missing values last), the page `offset`..`offset + limit`.

    >>> select_runs(conn, "status = 'finished'", order_by="metrics.acc desc", limit=20).numbers
    [812, 77, ...]
    """
    from .filters import compile_filter

    limit, offset = check_page(limit, offset)
    where, args = compile_filter(filter)
    if experiment is not None:
        where, args = f"({where}) AND e.name = ?", [*args, experiment]
    if after is not None:
        where, args = f"({where}) AND r.id > ?", [*args, int(after)]
    if numbers is not None:
        where, args = (
            f"({where}) AND r.id IN (SELECT value FROM json_each(?))",
            [*args, json.dumps([int(n) for n in numbers])],
        )
    order, order_args = [], []
    for field, descending in parse_order(order_by):
        expr, binds = _ATTRIBUTE_SQL.get(field), []
        if expr is None:
            prefix, name = field.split(".", 1)
            expr, binds = _FIELD_SQL[prefix + "."], [name, name]  # the expression appears twice
        direction = "DESC" if descending else "ASC"
        if field in _NEVER_NULL:  # plain, so SQLite can walk an index instead of sorting
            order.append(f"{expr} {direction}")
        else:  # missing values last in either direction, then by number
            order.append(f"({expr}) IS NULL, ({expr}) {direction}")
        order_args.extend(binds)
    if not any(field == "number" for field, _ in parse_order(order_by)):
        order.append("r.id")
    paged = limit is not None or offset > 0
    page = f" LIMIT {-1 if limit is None else limit} OFFSET {offset}" if paged else ""
    body = " FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE " + where
    attributes = ", ".join(_ATTRIBUTE_SQL[c] for c in RUN_COLUMNS)
    rows = conn.execute(
        f"SELECT {attributes}{body} ORDER BY {', '.join(order)}{page}", [*args, *order_args]
    ).fetchall()
    columns = (
        {name: list(values) for name, values in zip(RUN_COLUMNS, zip(*rows))}
        if rows
        else {name: [] for name in RUN_COLUMNS}
    )
    total = None
    if count:
        short_page = rows and limit is not None and len(rows) < limit  # the last page: no count
        total = (
            offset + len(rows)
            if not paged or short_page
            else conn.execute(f"SELECT count(*){_count_body(body)}", args).fetchone()[0]
        )
    return Selected(columns, total)


def _count_body(body: str) -> str:
    """The FROM ... WHERE of a count: without the join to experiments when nothing reads them."""
    joined = " FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE "
    where = body.removeprefix(joined)
    return body if "e." in where else " FROM runs r WHERE " + where


_IN_IDS = " {column} IN (SELECT value FROM json_each(?))"
# distinct param keys by index seeks (one per key), not a scan of every param row
_DISTINCT_KEYS = (
    "WITH RECURSIVE k(key) AS (SELECT min(key) FROM params UNION ALL"
    " SELECT (SELECT min(key) FROM params WHERE key > k.key) FROM k WHERE k.key IS NOT NULL)"
    " SELECT key FROM k WHERE key IS NOT NULL"
)


@dataclass(frozen=True)
class RunsListing:
    """`rows`: a dict per run (attributes, then `params`, `metrics` — last values, None for NaN —,
    `tags` and `summaries` dicts holding only what the run has; `summaries` stays empty until
    `add_summaries` fills it); `params` and `metrics`: the names seen in every matching run (not
    only the page); `total`: how many runs matched."""

    rows: list[dict[str, Any]]
    params: list[str]
    metrics: list[str]
    total: int = 0


def runs_table(
    conn: sqlite3.Connection,
    filter: str | None,
    experiment: str | None,
    *,
    after: int | None = None,
    numbers: list[int] | None = None,
    order_by: str | Sequence[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
    columns: Sequence[str] | None = None,
) -> RunsListing:
    """The runs matching `filter` (the filter language) in `experiment` (None: all), numbered above
    `after`, among `numbers`, sorted by `order_by` (default: number), the page `offset`..`+ limit`.
    Only the page's params, metrics and tags are read — only those named in `columns`
    (`params.X`, `metrics.X`, `tags.X`; attributes always come) when it is given. Read it inside
    one snapshot (`Store.runs_table` does)."""
    named = None if columns is None else [check_field(c) for c in columns]
    selected = select_runs(
        conn,
        filter,
        experiment,
        order_by=order_by,
        limit=limit,
        offset=offset,
        after=after,
        numbers=numbers,
        count=True,
    )
    columns = selected.columns
    rows = [
        {**dict(zip(RUN_COLUMNS, values)), "params": {}, "metrics": {}, "tags": {}, "summaries": {}}
        for values in zip(*(columns[name] for name in RUN_COLUMNS))
    ]
    by_id = {row["number"]: row for row in rows}
    everything = filter is None and experiment is None and after is None and numbers is None
    whole = everything and limit is None and not offset
    ids = [] if whole else [json.dumps(list(by_id))]

    def scoped(sql: str, column: str, prefix: str, name_sql: str) -> sqlite3.Cursor:
        where = [] if whole else [_IN_IDS.format(column=column)]
        args = list(ids)
        if named is not None:  # only the named columns of this kind
            where.append(f" {name_sql} IN (SELECT value FROM json_each(?))")
            args.append(json.dumps([c[len(prefix) :] for c in named if c.startswith(prefix)]))
        return conn.execute(sql + " WHERE" * bool(where) + " AND".join(where), args)

    for run_id, key, value, kind in scoped(
        "SELECT run_id, key, value, kind FROM params", "run_id", "params.", "key"
    ):
        row = by_id.get(run_id)
        if row is not None:
            plain = kind == "str" or kind == "int" or (kind == "float" and value is not None)
            row["params"][key] = value if plain else decode_param(value, kind)
    for run_id, key, last in scoped(
        "SELECT s.run_id, k.name, s.last FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id",
        "s.run_id",
        "metrics.",
        "k.name",
    ):
        row = by_id.get(run_id)
        if row is not None:
            row["metrics"][key] = last  # None: the last value is NaN
    for run_id, key, value in scoped(
        "SELECT run_id, key, value FROM tags", "run_id", "tags.", "key"
    ):
        row = by_id.get(run_id)
        if row is not None:
            row["tags"][key] = value
    if named is None and limit is None and not offset:  # every matching run is here, whole
        params = sorted({key for row in rows for key in row["params"]})
        metrics = sorted({key for row in rows for key in row["metrics"]})
    else:
        params, metrics = field_names(conn, filter, experiment, after, numbers)
    return RunsListing(rows, params, metrics, selected.total or 0)


def field_names(
    conn: sqlite3.Connection,
    filter: str | None,
    experiment: str | None,
    after: int | None = None,
    numbers: Sequence[int] | None = None,
) -> tuple[list[str], list[str]]:
    """The param names and metric names that the matching runs have (sorted)."""
    if filter is None and experiment is None and after is None and numbers is None:
        params = [row[0] for row in conn.execute(_DISTINCT_KEYS)]
        metrics = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM metric_keys k WHERE EXISTS"
                " (SELECT 1 FROM metric_summaries s WHERE s.key_id = k.id) ORDER BY name"
            )
        ]
        return params, metrics
    ids = json.dumps(select_runs(conn, filter, experiment, after=after, numbers=numbers).numbers)
    params = [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT key FROM params WHERE run_id IN (SELECT value FROM json_each(?))"
            " ORDER BY key",
            [ids],
        )
    ]
    metrics = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM metric_keys WHERE id IN (SELECT DISTINCT key_id FROM metric_summaries"
            " WHERE run_id IN (SELECT value FROM json_each(?))) ORDER BY name",
            [ids],
        )
    ]
    return params, metrics


def summary_of(
    summary: str, goal: str, lo: float | None, hi: float | None, total: float | None, count: int
) -> float | None:
    """`best` (max for goal max, else min) or `mean` of a history from its min, max, sum and count
    (NaN points left out); None when there is none (only NaN) or it is NaN."""
    mean = total / count if count and total is not None else None
    value = pick_summary(summary, goal, None, lo, hi, mean)
    return None if value is None or math.isnan(value) else value


def add_summaries(
    conn: sqlite3.Connection, rows: list[dict[str, Any]], chosen: Mapping[str, tuple[str, str]]
) -> None:
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
