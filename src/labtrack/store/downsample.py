"""Metric histories thinned for charts in SQL: per bucket of steps, keep the min and max points.

Keeping both extremes of every bucket preserves spikes and the curve's envelope (what users look for
in a loss curve), and SQLite does the work in C: a 10,000-step series becomes ~2 x buckets points.
"""

from __future__ import annotations

import sqlite3
from typing import Any


def history_for_chart(conn: sqlite3.Connection, run_ids: list[int], metric: str,
                      max_points: int = 2000) -> dict[int, dict[str, Any]]:
    """Per run: {"steps": [...], "values": [...], "count": total points, "downsampled": bool}.

    NaN values come back as None.
    """
    key = conn.execute("SELECT id FROM metric_keys WHERE name = ?", (metric,)).fetchone()
    out: dict[int, dict[str, Any]] = {r: {"steps": [], "values": [], "count": 0, "downsampled": False} for r in run_ids}
    if key is None or not run_ids:
        return out
    buckets = max(1, max_points // 2)
    for run_id in run_ids:
        lo, hi, count = conn.execute(
            "SELECT min(step), max(step), count(*) FROM metric_points WHERE run_id = ? AND key_id = ?",
            (run_id, key[0]),
        ).fetchone()
        if not count:
            continue
        if count <= max_points:
            rows = conn.execute(
                "SELECT step, value FROM metric_points WHERE run_id = ? AND key_id = ? ORDER BY step",
                (run_id, key[0]),
            ).fetchall()
        else:
            width = (hi - lo) / buckets or 1
            # SQLite returns the row holding the min() / max() for bare columns (documented behaviour).
            rows = conn.execute(
                "SELECT step, value FROM ("
                " SELECT step, min(value) AS value FROM metric_points WHERE run_id = ?1 AND key_id = ?2"
                "  GROUP BY CAST((step - ?3) / ?4 AS INTEGER)"
                " UNION"
                " SELECT step, max(value) AS value FROM metric_points WHERE run_id = ?1 AND key_id = ?2"
                "  GROUP BY CAST((step - ?3) / ?4 AS INTEGER)"
                " UNION"
                " SELECT step, value FROM metric_points WHERE run_id = ?1 AND key_id = ?2 AND step IN (?3, ?5)"
                ") ORDER BY step",
                (run_id, key[0], lo, width, hi),
            ).fetchall()
        out[run_id] = {
            "steps": [r[0] for r in rows],
            "values": [r[1] for r in rows],
            "count": count,
            "downsampled": count > max_points,
        }
    return out
