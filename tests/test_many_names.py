"""Stores with more param and metric names than SQLite has columns: `runs_wide` holds the first of
each kind, `runs_long` holds them all, and the API's own faces never depend on the column limit."""

from __future__ import annotations

import sqlite3

import pytest

import labtrack as lt
from labtrack.store.schema import WIDE_NAMES, wide_names


@pytest.fixture
def crowded(store):
    """#1 with 2,500 params and 30 metrics; #2 with one param of each kind and a tag."""
    with lt.run("crowded"):
        lt.log(**{f"m{i:02d}": i / 10 for i in range(30)})  # metrics first: the view grows once
        lt.log_params(**{f"p{i:04d}": i for i in range(2500)})
    with lt.run("plain", params={"lr": 0.1}, tags={"team": "a"}):
        lt.log(acc=0.5)
    return store


def test_runs_wide_keeps_working_past_2000_names(crowded):
    conn = sqlite3.connect(crowded.path)
    cursor = conn.execute("SELECT * FROM runs_wide ORDER BY number")
    columns = [c[0] for c in cursor.description]
    rows = cursor.fetchall()
    assert len(rows) == 2 and len(columns) <= 2000
    assert (
        sum(c.startswith("metrics.") for c in columns) == 31
    )  # every metric fits beside the params
    assert columns.index("params.p0000") and "params.p2499" not in columns


def test_runs_long_holds_every_name(crowded):
    conn = sqlite3.connect(crowded.path)
    counts = dict(conn.execute("SELECT kind, count(*) FROM runs_long GROUP BY kind"))
    assert counts == {"param": 2501, "metric": 31, "tag": 1}
    assert conn.execute(
        "SELECT value FROM runs_long WHERE number = 1 AND kind = 'param' AND name = 'p2499'"
    ).fetchone() == (2499,)


def test_the_api_reads_every_name(crowded):
    frame = lt.runs()
    assert frame.shape[1] > 2500 and frame.loc[0, "params.p2499"] == 2499
    assert lt.runs(columns=["params.p2499", "metrics.m29"]).iloc[0].tolist() == [1, 2499, 2.9]


@pytest.mark.parametrize(
    ("params", "metrics", "budget", "kept"),
    [
        (3, 1, 10, (3, 1)),
        (3, 1, 2, (1, 1)),
        (10, 2, 6, (4, 2)),  # metrics need less than half: params get the rest
        (2, 10, 6, (2, 4)),
        (10, 10, 6, (3, 3)),
    ],
)
def test_wide_names_share_the_budget(params, metrics, budget, kept):
    chosen = wide_names([f"p{i}" for i in range(params)], [f"m{i}" for i in range(metrics)], budget)
    assert (len(chosen[0]), len(chosen[1])) == kept


def test_the_budget_leaves_room_for_the_attribute_columns():
    assert WIDE_NAMES + 10 <= 2000
