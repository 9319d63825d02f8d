"""Lists that read only what they show: `lt.runs(columns=, order_by=, limit=, offset=)`, the frame
built column-wise (every param kind, runs missing names), and the REST table's pages."""

from __future__ import annotations

import math

import pytest

import labtrack as lt
from labtrack.store.listing import ColumnError


@pytest.fixture
def sweep(store):
    """#1-#4 with lr and model; #3 has no acc, #4 a NaN last acc; #2 and #4 also `extra`, odd kinds."""
    specs = [
        ("a", {"lr": 0.1, "model": "rf"}, 0.7),
        ("b", {"lr": 0.01, "model": "svm", "extra": True}, 0.9),
        ("c", {"lr": 0.05, "model": "rf"}, None),
        ("d", {"lr": 1, "model": None, "extra": [1, 2]}, math.nan),
    ]
    for name, params, acc in specs:
        with lt.run(name, params=params):
            if acc is not None:
                lt.log(acc=0.5)
                lt.log(acc=acc)
    return store


def test_columns_pick_what_the_frame_holds(sweep):
    frame = lt.runs(columns=["name", "params.lr", "metrics.acc"])
    assert list(frame.columns) == ["number", "name", "params.lr", "metrics.acc"]
    assert frame["params.lr"].tolist() == [0.1, 0.01, 0.05, 1]


def test_a_column_no_run_has_is_there_and_empty(sweep):
    frame = lt.runs(columns=["params.depth", "metrics.f1"])
    assert frame["params.depth"].tolist() == [None] * 4
    assert frame["metrics.f1"].isna().all()


@pytest.mark.parametrize(
    ("order_by", "names"),
    [
        ("metrics.acc desc", ["b", "a", "c", "d"]),  # no acc (#3) and NaN (#4): last, by number
        ("metrics.acc", ["a", "b", "c", "d"]),
        ("-params.lr", ["d", "a", "c", "b"]),
        (["params.model", "-number"], ["c", "a", "b", "d"]),  # #4's model is None: last
        ("name desc", ["d", "c", "b", "a"]),
    ],
)
def test_order_by_sorts_in_sql_missing_values_last(sweep, order_by, names):
    assert lt.runs(order_by=order_by)["name"].tolist() == names


@pytest.mark.parametrize(
    ("limit", "offset", "names"),
    [(2, 0, ["a", "b"]), (2, 3, ["d"]), (0, 0, []), (None, 2, ["c", "d"])],
)
def test_limit_and_offset_cut_the_page(sweep, limit, offset, names):
    assert lt.runs(limit=limit, offset=offset)["name"].tolist() == names


def test_a_page_reads_only_its_runs_names(sweep):
    frame = lt.runs(order_by="number", limit=1)
    assert "params.extra" not in frame.columns
    assert lt.runs(limit=2, offset=1)["params.extra"].tolist() == [True, None]


def test_every_param_kind_comes_back_typed_in_dense_and_sparse_columns(sweep):
    frame = lt.runs()
    assert frame["params.extra"].tolist() == [None, True, None, [1, 2]]  # sparse: #1, #3 lack it
    assert frame["params.model"].tolist() == ["rf", "svm", "rf", None]  # dense: all four have it
    assert [type(v) for v in frame["params.lr"]] == [float, float, float, int]
    acc = frame["metrics.acc"].tolist()
    assert acc[:2] == [0.7, 0.9] and math.isnan(acc[2]) and math.isnan(acc[3])


def test_a_filtered_and_sorted_frame_matches_the_plain_one(sweep):
    plain = lt.runs().set_index("number")
    picked = lt.runs("params.model = 'rf'", order_by="-number").set_index("number")
    assert list(picked.index) == [3, 1]
    assert picked[["name", "params.lr"]].equals(plain.loc[[3, 1], ["name", "params.lr"]])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"columns": ["colour"]}, "unknown column 'colour'"),
        ({"order_by": "params."}, "unknown sort field 'params.'"),
        ({"limit": -1}, "limit must be between 0 and"),
        ({"offset": 2**63}, "offset must be between 0 and"),
        ({"limit": 1.5}, "limit must be a whole number"),
    ],
)
def test_bad_list_options_say_what_to_pass(sweep, options, message):
    with pytest.raises(ValueError, match=message):
        lt.runs(**options)


def test_column_error_lists_the_valid_names(sweep):
    with pytest.raises(ColumnError, match="params.NAME, metrics.NAME, tags.NAME"):
        lt.runs(order_by="colour")


def test_runs_table_pages_count_every_match_and_name_every_column(sweep):
    table = sweep.runs_table(order_by="metrics.acc desc", limit=2)
    assert [row["name"] for row in table.rows] == ["b", "a"]
    assert (table.total, table.params, table.metrics) == (4, ["extra", "lr", "model"], ["acc"])
    filtered = sweep.runs_table("params.model = 'rf'", limit=1, offset=1)
    assert ([row["name"] for row in filtered.rows], filtered.total) == (["c"], 2)
    assert filtered.params == ["lr", "model"]
