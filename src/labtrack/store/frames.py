"""Column-wise frames of the store, built in numpy: the runs frame (`lt.runs`) and histories.

Rows come from SQLite straight into numpy arrays (`np.fromiter` over the cursor) and are placed by
run position with vectorised indexing: no Python loop per run or per point, so 100,000 runs x 25
columns or a 5,000,000-point history build in about a second.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from itertools import chain, islice
from typing import Any

import numpy as np
import pandas as pd

from ..tracking.values import decode_param
from .listing import RUN_COLUMNS, check_field, select_runs


def runs_frame(
    conn: sqlite3.Connection,
    filter: str | None,
    experiment: str | None,
    *,
    columns: Sequence[str] | None = None,
    order_by: str | Sequence[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> pd.DataFrame:
    """One row per run: attributes, `params.*` (typed), `metrics.*` (last values), `tags.*`.

    The filter, order and page are evaluated in SQL (see `listing.select_runs`); then only the
    chosen `columns` (None: all) of those runs are read, column-wise: no Python loop per run.

    >>> runs_frame(conn, None, None, columns=["name", "metrics.acc"], order_by="-metrics.acc", limit=5)
    """
    chosen = None if columns is None else [check_field(c) for c in dict.fromkeys(columns)]
    selected = select_runs(conn, filter, experiment, order_by=order_by, limit=limit, offset=offset)
    ids = np.asarray(selected.numbers, dtype=np.int64)
    everything = filter is None and experiment is None and limit is None and not offset
    scope = _Scope(conn, ids, everything)

    def wanted(prefix: str) -> list[str] | None:
        return (
            None if chosen is None else [c[len(prefix) :] for c in chosen if c.startswith(prefix)]
        )

    attributes = [c for c in RUN_COLUMNS if chosen is None or c in chosen or c == "number"]
    data: dict[str, Any] = {c: selected.columns[c] for c in attributes}
    frame = pd.DataFrame(data)
    if "number" in frame:
        frame["number"] = frame["number"].astype("int64")
    for name in ("start_time", "end_time"):
        if name in frame:
            frame[name] = pd.to_datetime(frame[name], unit="s", utc=True)
    extra: dict[str, pd.Series] = {}
    for key, values in scope.params(wanted("params.")).items():
        extra["params." + key] = pd.Series(values, dtype=object)
    for key, values in scope.metrics(wanted("metrics.")).items():
        extra["metrics." + key] = pd.Series(values, dtype="float64")
    for key, values in scope.tags(wanted("tags.")).items():
        extra["tags." + key] = pd.Series(values, dtype=object)
    if chosen is not None:  # a named column that no run has: all missing, still there
        for column in chosen:
            if column not in frame and column not in extra:
                dtype = "float64" if column.startswith("metrics.") else object
                extra[column] = pd.Series(
                    np.full(len(ids), np.nan if dtype == "float64" else None), dtype=dtype
                )
        extra = {c: extra[c] for c in chosen if c in extra}
    if extra:
        frame = pd.concat([frame, pd.DataFrame(extra)], axis=1)
    return frame


# a param stored as its Python value (int, str, float); the other kinds are decoded one by one
_PLAIN_PARAM = "kind IN ('int', 'str') OR (kind = 'float' AND value IS NOT NULL)"


class _Scope:
    """Reads params, metrics and tags of the selected runs (`ids`, in frame order) column-wise.

    Names that every selected run has are read as one column of values in (run, name) order and
    reshaped (a sweep's usual shape: a third of the cost of reading (run, name, value) rows); the
    others as rows placed by run position. Columns come back sorted by name."""

    def __init__(self, conn: sqlite3.Connection, ids: np.ndarray, everything: bool) -> None:
        self.conn, self.ids, self.everything = conn, ids, everything
        self.sorter = np.argsort(ids, kind="stable")
        self.in_ids = "" if everything else json.dumps(np.sort(ids).tolist())

    def _sql(
        self, sql: str, name_sql: str, names: list[str] | None, extra: str = "", tail: str = ""
    ) -> tuple[str, list[str]]:
        """`sql` restricted to the selected runs, to `names` (None: all) and `extra`, then `tail`."""
        where, args = [], []
        if not self.everything:
            where.append("run_id IN (SELECT value FROM json_each(?))")
            args.append(self.in_ids)
        if names is not None:
            where.append(f"{name_sql} IN (SELECT value FROM json_each(?))")
            args.append(json.dumps(names))
        if extra:
            where.append(extra)
        return sql + (" WHERE " + " AND ".join(where) if where else "") + tail, args

    def _counts(self, table: str, name_sql: str, names: list[str] | None) -> dict[Any, int]:
        """How many selected runs have each name."""
        if self.everything and names is None:  # cheap: the row count against the names
            (rows,) = self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()
            distinct = self._distinct(table)
            if rows == len(distinct) * len(self.ids):  # (run, name) is unique: every run has all
                return dict.fromkeys(distinct, len(self.ids))
        sql, args = self._sql(
            f"SELECT {name_sql}, count(*) FROM {table}",
            name_sql,
            names,
            tail=f" GROUP BY {name_sql}",
        )
        return dict(self.conn.execute(sql, args))

    def _distinct(self, table: str) -> list[Any]:
        if table == "metric_summaries":
            return [
                k
                for (k,) in self.conn.execute(
                    "SELECT id FROM metric_keys k WHERE EXISTS"
                    " (SELECT 1 FROM metric_summaries s WHERE s.key_id = k.id)"
                )
            ]
        return [
            k
            for (k,) in self.conn.execute(
                f"WITH RECURSIVE k(key) AS (SELECT min(key) FROM {table} UNION ALL SELECT"
                f" (SELECT min(key) FROM {table} WHERE key > k.key) FROM k WHERE k.key IS NOT NULL)"
                " SELECT key FROM k WHERE key IS NOT NULL"
            )
        ]

    def _dense(
        self, table: str, name_sql: str, value_sql: str, names: list[str], every: bool, dtype: Any
    ) -> dict[Any, np.ndarray]:
        """Columns of `names`, which every selected run has (`every`: and no other name)."""
        sql, args = self._sql(
            f"SELECT {value_sql} FROM {table}",
            name_sql,
            None if every else names,
            tail=" ORDER BY run_id, " + ("key_id" if table == "metric_summaries" else "key"),
        )
        n = len(self.ids)
        flat = np.fromiter(
            chain.from_iterable(self.conn.execute(sql, args)), dtype=dtype, count=n * len(names)
        )
        matrix = flat.reshape(n, len(names))  # rows in ascending run number, names sorted
        out = {}
        for j, name in enumerate(names):
            column = np.empty(n, dtype=dtype)
            column[self.sorter] = matrix[:, j]
            out[name] = column
        return out

    def _sparse(
        self, table: str, name_sql: str, value_sql: str, names: list[str], fill: Any, dtype: Any
    ) -> dict[Any, np.ndarray]:
        """Columns of `names`, placed row by row (runs without a name get `fill`)."""
        sql, args = self._sql(
            f"SELECT run_id, {name_sql}, {value_sql} FROM {table}", name_sql, names
        )
        rows = np.fromiter(
            self.conn.execute(sql, args),
            count=-1,
            dtype=[("run", "i8"), ("name", "O"), ("value", dtype)],
        )
        out = {}
        if len(rows):
            position = self.sorter[np.searchsorted(self.ids, rows["run"], sorter=self.sorter)]
            codes, uniques = pd.factorize(rows["name"])
            order = np.argsort(codes, kind="stable")
            bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
            for i, name in enumerate(uniques):
                picked = order[bounds[i] : bounds[i + 1]]
                column = np.full(len(self.ids), fill, dtype=dtype)
                column[position[picked]] = rows["value"][picked]
                out[name] = column
        return out

    def _read(
        self,
        table: str,
        name_sql: str,
        value_sql: str,
        names: list[str] | None,
        fill: Any,
        dtype: Any,
    ) -> dict[Any, np.ndarray]:
        counts = self._counts(table, name_sql, names)
        full = sorted(k for k, n in counts.items() if n == len(self.ids) and n)
        rest = sorted(k for k in counts if k not in full)
        every = not rest and names is None  # no name left out: no need to name them
        out = self._dense(table, name_sql, value_sql, full, every, dtype) if full else {}
        if rest:
            out.update(self._sparse(table, name_sql, value_sql, rest, fill, dtype))
        return out

    def params(self, names: list[str] | None) -> dict[str, np.ndarray]:
        """Typed param columns: values stored as they are read (int, str, float) pass through;
        bool, None, NaN, JSON, repr and big ints are decoded (few rows)."""
        out = self._read("params", "key", "value", names, None, object)
        sql, args = self._sql(
            "SELECT run_id, key, value, kind FROM params",
            "key",
            names,
            extra=f"NOT ({_PLAIN_PARAM})",
        )
        for run_id, key, value, kind in self.conn.execute(sql, args):
            out[key][self.position(run_id)] = decode_param(value, kind)
        return {key: out[key] for key in sorted(out)}

    def metrics(self, names: list[str] | None) -> dict[str, np.ndarray]:
        """Last-value columns (NaN where the last value is NaN or the run lacks the metric)."""
        keys = dict(self.conn.execute("SELECT id, name FROM metric_keys"))
        ids = None if names is None else [k for k, name in keys.items() if name in set(names)]
        # NULL stands for NaN; numpy reads the text 'nan' as NaN
        out = self._read(
            "metric_summaries", "key_id", "IFNULL(last, 'nan')", ids, np.nan, np.float64
        )
        return dict(sorted((keys[k], column) for k, column in out.items()))

    def tags(self, names: list[str] | None) -> dict[str, np.ndarray]:
        out = self._read("tags", "key", "value", names, None, object)
        return {key: out[key] for key in sorted(out)}

    def position(self, run_id: int) -> int:
        """The frame row of run `run_id`."""
        return int(self.sorter[np.searchsorted(self.ids, run_id, sorter=self.sorter)])


HISTORY_CHUNK = 1 << 16  # rows fetched into numpy at a time: memory stays ~1 MB above the result
# NULL stands for NaN (numpy reads the text 'nan' as NaN)
_VALUES = (
    "SELECT IFNULL(value, 'nan'), wall_ms{step} FROM metric_points"
    " WHERE run_id = ? AND key_id = ? ORDER BY step"
)


def history_frame(
    conn: sqlite3.Connection,
    run_ids: list[int],
    metrics: list[str],
    *,
    thin: int | None = None,
    thin_above: int | None = None,
    at_step: int | None = None,
) -> pd.DataFrame:
    """Tidy metric history: number, name, metric, step, value, time — sorted by number, metric,
    step — streamed in chunks into numpy arrays (no Python object per point).

    `thin`: series longer than `thin_above` (default: `thin`) points come thinned in SQL to about
    `thin` points (min and max per bucket of steps, both ends, and the point at `at_step`): what a
    comparison needs of a 5,000,000-point history.

    >>> history_frame(conn, [3], ["loss"]).shape
    (5000000, 6)
    """
    from .downsample import thinned_points

    marks = ",".join("?" for _ in run_ids) or "NULL"
    names = dict(conn.execute(f"SELECT id, name FROM runs WHERE id IN ({marks})", run_ids))
    keys = sorted(
        conn.execute(
            f"SELECT name, id FROM metric_keys WHERE name IN ({','.join('?' for _ in metrics) or 'NULL'})",
            metrics,
        )
    )
    parts: list[tuple[int, str, np.ndarray, np.ndarray, np.ndarray]] = []
    for run_id in sorted(dict.fromkeys(run_ids)):
        for metric, key_id in keys:
            bound = conn.execute(
                "SELECT count + nan_count FROM metric_summaries WHERE run_id = ? AND key_id = ?",
                (run_id, key_id),
            ).fetchone()
            if bound is None:
                continue
            if thin is not None and bound[0] > (thin if thin_above is None else thin_above):
                step, value, wall = thinned_points(conn, run_id, key_id, thin, at_step)
            else:
                step, value, wall = _stream(conn, run_id, key_id, bound[0])
            if len(step):
                parts.append((run_id, metric, step, value, wall))
    total = sum(len(p[2]) for p in parts)
    number = np.empty(total, dtype=np.int64)
    name = np.empty(total, dtype=object)
    metric_column = np.empty(total, dtype=object)
    at = 0
    for run_id, metric, step, _, _ in parts:
        number[at : at + len(step)] = run_id
        name[at : at + len(step)] = names.get(run_id)
        metric_column[at : at + len(step)] = metric
        at += len(step)

    def join(i: int, dtype: Any) -> np.ndarray:  # one series (the big case): no copy
        if len(parts) == 1:
            return parts[0][i]
        return np.concatenate([p[i] for p in parts]) if parts else np.empty(0, dtype)

    wall = join(4, np.int64)
    # no copies: a 5,000,000-point history is six 40 MB columns and nothing else
    time = pd.Series(wall.view("M8[ms]"), copy=False).dt.tz_localize("UTC")
    return pd.DataFrame(
        {
            "number": number,
            "name": pd.Series(name, dtype=object, copy=False),
            "metric": pd.Series(metric_column, dtype=object, copy=False),
            "step": join(2, np.int64),
            "value": join(3, np.float64),
            "time": time,
        },
        copy=False,
    )


def _stream(
    conn: sqlite3.Connection, run_id: int, key_id: int, bound: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(step, value, wall_ms) of one series, fetched HISTORY_CHUNK rows at a time; `bound` is the
    expected count (the summary's; a larger series grows the arrays).

    Steps are usually every integer from the first to the last (`lt.log` counts them): then only
    values and times are read and the steps are made by numpy; else they are read too."""
    lo, hi = conn.execute(
        "SELECT (SELECT step FROM metric_points WHERE run_id = ?1 AND key_id = ?2 ORDER BY step"
        " LIMIT 1), (SELECT step FROM metric_points WHERE run_id = ?1 AND key_id = ?2"
        " ORDER BY step DESC LIMIT 1)",
        (run_id, key_id),
    ).fetchone()
    if lo is None:
        return np.empty(0, np.int64), np.empty(0, np.float64), np.empty(0, np.int64)
    dense = hi - lo + 1
    if dense <= bound:  # distinct steps in [lo, hi] that many: perhaps all of them
        cursor = conn.execute(_VALUES.format(step=""), (run_id, key_id))
        value, wall = _chunks(cursor, [np.float64, np.int64], dense)
        if len(value) == dense:  # every step from lo to hi is there, once
            return np.arange(lo, hi + 1, dtype=np.int64), value, wall
    cursor = conn.execute(_VALUES.format(step=", step"), (run_id, key_id))
    value, wall, step = _chunks(cursor, [np.float64, np.int64, np.int64], bound)
    return step, value, wall


def _chunks(cursor: sqlite3.Cursor, types: list[Any], bound: int) -> list[np.ndarray]:
    """Every row of `cursor` as one array per column, filled HISTORY_CHUNK rows at a time."""
    row_type = np.dtype([(f"c{i}", t) for i, t in enumerate(types)])
    out = [np.empty(max(bound, 0), dtype=t) for t in types]
    at = 0
    while True:
        chunk = np.fromiter(islice(cursor, HISTORY_CHUNK), dtype=row_type, count=-1)
        if not len(chunk):
            break
        if at + len(chunk) > len(out[0]):  # more points than the summary counted
            out = [
                np.concatenate([column[:at], np.empty(at + len(chunk), column.dtype)])
                for column in out
            ]
        for i, column in enumerate(out):
            column[at : at + len(chunk)] = chunk[f"c{i}"]
        at += len(chunk)
    return [column[:at] for column in out]
