"""Metric histories thinned in SQL: per bucket of steps, keep the min and max points, and both ends.

Keeping both extremes of every bucket preserves spikes and the curve's envelope (what users look for
in a loss curve), and SQLite does the work in C: a 5,000,000-step series becomes ~2 x buckets points.
Each bucket is a range of the (run, metric, step) primary key, read with `min()` / `max()` (SQLite
returns the row holding the extreme for the bare columns, the first one in step order on a tie), so
no point ever reaches Python and no sort is needed.

>>> thinned = history_for_chart(conn, [3], "loss", max_points=2000)[3]
>>> thinned["count"], len(thinned["steps"]) <= 2002
(5000000, True)
"""

from __future__ import annotations

import sqlite3
from typing import Any

_EXTREME = (
    "SELECT step, {fn}(value), wall_ms FROM metric_points"
    " WHERE run_id = ?1 AND key_id = ?2 AND step >= ?3 AND step < ?4"
)
_SPAN = (
    "SELECT (SELECT step FROM metric_points WHERE run_id = ?1 AND key_id = ?2 ORDER BY step LIMIT 1),"
    " (SELECT step FROM metric_points WHERE run_id = ?1 AND key_id = ?2 ORDER BY step DESC LIMIT 1)"
)
SMALL_BUCKET = 256  # steps a bucket spans, below which one GROUP BY statement does every bucket
# SQLite returns the row holding the min() / max() for bare columns (documented behaviour)
_GROUPED = (
    "SELECT step, min(value), wall_ms FROM metric_points WHERE run_id = ?1 AND key_id = ?2"
    " GROUP BY (step - ?3) / ?4 UNION ALL"
    " SELECT step, max(value), wall_ms FROM metric_points WHERE run_id = ?1 AND key_id = ?2"
    " GROUP BY (step - ?3) / ?4"
)
_AT = (
    "SELECT step, value, wall_ms FROM metric_points WHERE run_id = ?1 AND key_id = ?2 AND step = ?3"
)
_ALL = (
    "SELECT step, value, wall_ms FROM metric_points WHERE run_id = ?1 AND key_id = ?2 ORDER BY step"
)


def thinned_rows(
    conn: sqlite3.Connection, run_id: int, key_id: int, max_points: int, at_step: int | None = None
) -> list[tuple[int, float | None, int]]:
    """(step, value or None for NaN, wall_ms) of one series, sorted by step: every point when it
    has at most `max_points`, else the min and max of max_points // 2 equal step ranges, the first
    and last points, and the point at `at_step` (if any)."""
    lo, hi = conn.execute(_SPAN, (run_id, key_id)).fetchone()
    if lo is None:
        return []
    buckets = max(1, max_points // 2)
    width = max(1, -(-(hi - lo + 1) // buckets))  # ceil: the last bucket ends past `hi`
    points: dict[int, tuple[int, float | None, int]] = {}
    if width <= SMALL_BUCKET:  # short buckets: one grouped statement beats a query per bucket
        for row in conn.execute(_GROUPED, (run_id, key_id, lo, width)):
            points.setdefault(row[0], row)
        starts: range = range(0)
    else:
        starts = range(lo, hi + 1, width)
    for start in starts:
        bounds = (run_id, key_id, start, start + width)
        low = conn.execute(_EXTREME.format(fn="min"), bounds).fetchone()
        if low[1] is None:  # only NaN (or nothing) in this range
            if low[0] is not None:
                points.setdefault(low[0], low)
            continue
        high = conn.execute(_EXTREME.format(fn="max"), bounds).fetchone()
        points.setdefault(low[0], low)
        points.setdefault(high[0], high)
    for step in (lo, hi, at_step):
        if step is not None and step not in points:
            for row in conn.execute(_AT, (run_id, key_id, step)):
                points[row[0]] = row
    return [points[step] for step in sorted(points)]


def thinned_points(
    conn: sqlite3.Connection, run_id: int, key_id: int, max_points: int, at_step: int | None = None
):
    """`thinned_rows` as numpy arrays (step, value with NaN, wall_ms)."""
    import numpy as np

    rows = thinned_rows(conn, run_id, key_id, max_points, at_step)
    step = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    value = np.fromiter((np.nan if r[1] is None else r[1] for r in rows), np.float64, len(rows))
    wall = np.fromiter((r[2] for r in rows), dtype=np.int64, count=len(rows))
    return step, value, wall


def history_for_chart(
    conn: sqlite3.Connection, run_ids: list[int], metric: str, max_points: int = 2000
) -> dict[int, dict[str, Any]]:
    """Per run: {"steps": [...], "values": [...], "count": total points, "downsampled": bool}.

    NaN values come back as None.
    """
    key = conn.execute("SELECT id FROM metric_keys WHERE name = ?", (metric,)).fetchone()
    out: dict[int, dict[str, Any]] = {
        r: {"steps": [], "values": [], "count": 0, "downsampled": False} for r in run_ids
    }
    if key is None or not run_ids:
        return out
    for run_id in run_ids:
        counted = conn.execute(
            "SELECT count + nan_count FROM metric_summaries WHERE run_id = ? AND key_id = ?",
            (run_id, key[0]),
        ).fetchone()
        if not counted or not counted[0]:
            continue
        if counted[0] <= max_points:  # small: every point (and the exact count)
            rows = conn.execute(_ALL, (run_id, key[0])).fetchall()
            count = len(rows)
        else:
            rows = thinned_rows(conn, run_id, key[0], max_points)
            count = conn.execute(  # the summary counts re-logged steps twice: count the points
                "SELECT count(*) FROM metric_points WHERE run_id = ? AND key_id = ?",
                (run_id, key[0]),
            ).fetchone()[0]
        out[run_id] = {
            "steps": [r[0] for r in rows],
            "values": [r[1] for r in rows],
            "count": count,
            "downsampled": count > len(rows),
        }
    return out
