"""Comparison over synthetic frames shaped like `lt.runs()` and `lt.history()` return them."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labtrack.comparisons.comparison import Comparison, display_value, same_value
from labtrack.evidence.verdicts import summarize_metric

matplotlib.use("Agg")
NAN = math.nan


def runs_frame(**params: list) -> pd.DataFrame:
    """Runs #1 'a', #2 'b', #3 (unnamed); `metrics.f1` is known only from the runs frame."""
    start = pd.to_datetime(["2024-05-01 10:00", "2024-05-01 11:00", None], utc=True)
    frame = pd.DataFrame(
        {
            "number": [1, 2, 3],
            "uuid": ["u1", "u2", "u3"],
            "name": ["a", "b", None],
            "experiment": ["exp", "exp", "other"],
            "status": ["finished", "failed", "running"],
            "start_time": start,
            "end_time": start + pd.Timedelta(seconds=90),
            "duration": [90.0, 4000.0, NAN],
            "parent": [None, 1, None],
            "hypothesis_id": [None, 7, None],
            "notebook": ["nb.ipynb", None, None],
            "metrics.f1": [NAN, NAN, 0.9],
        }
    )
    for name, values in params.items():
        frame[f"params.{name}"] = pd.Series(values, dtype=object)
    return frame


def history_frame() -> pd.DataFrame:
    """loss: #1 steps 0-3 with a NaN at step 1, #2 on another grid (0, 2, 4); acc: #1 and #3 only."""
    rows = [
        (1, "acc", 0, 0.6),
        (1, "loss", 0, 4.0),
        (1, "loss", 1, NAN),
        (1, "loss", 2, 2.0),
        (1, "loss", 3, 3.0),
        (2, "loss", 0, 5.0),
        (2, "loss", 2, 1.0),
        (2, "loss", 4, 1.0),
        (3, "acc", 10, 0.5),
        (3, "acc", 20, 0.7),
        (9, "loss", 0, 100.0),  # run 9 is not compared
    ]
    frame = pd.DataFrame(rows, columns=["number", "metric", "step", "value"])
    frame["time"] = pd.Timestamp("2024-05-01", tz="UTC")
    return frame


@pytest.fixture
def cmp() -> Comparison:
    return Comparison(
        runs_frame(lr=[0.1, 0.1, 0.1]), history_frame(), {"loss": {"goal": "min"}}, at_step=2
    )


@pytest.mark.parametrize(
    ("metric", "summary", "expected"),
    [
        ("loss", "last", [3.0, 1.0, NAN]),
        ("loss", "min", [2.0, 1.0, NAN]),
        ("loss", "max", [4.0, 5.0, NAN]),
        ("loss", "mean", [3.0, 7 / 3, NAN]),
        ("loss", "best", [2.0, 1.0, NAN]),
        ("loss", "best_step", [2, 2, NAN]),  # the first step reaching the best value
        ("loss", "at_step", [2.0, 1.0, NAN]),
        ("acc", "last", [0.6, NAN, 0.7]),
        ("acc", "mean", [0.6, NAN, 0.6]),
        ("acc", "best", [NAN, NAN, NAN]),  # no definition, no best
        ("f1", "last", [NAN, NAN, 0.9]),  # from the runs frame: no history for f1
    ],
)
def test_summaries_on_hand_computed_data(cmp, metric, summary, expected):
    assert cmp.metrics.loc[(metric, summary)].tolist() == pytest.approx(expected, nan_ok=True)


def test_metrics_frame_shape(cmp):
    assert cmp.metrics.columns.tolist() == ["#1 a", "#2 b", "#3"]
    assert cmp.metrics.index.names == ["metric", "summary"]
    assert cmp.metric_names == ["acc", "loss", "f1"]


def test_summaries_do_not_depend_on_row_order(cmp):
    shuffled = history_frame().sample(frac=1, random_state=3)
    other = Comparison(
        runs_frame(lr=[0.1, 0.1, 0.1]), shuffled, {"loss": {"goal": "min"}}, at_step=2
    )
    pd.testing.assert_frame_equal(other.metrics.loc[["loss"]], cmp.metrics.loc[["loss"]])


def test_repeated_step_later_point_wins():
    history = pd.DataFrame({"number": [1, 1], "metric": "m", "step": [5, 5], "value": [1.0, 2.0]})
    assert Comparison(runs_frame(), history).metrics.loc[("m", "last"), "#1 a"] == 2.0


def test_metrics_at_step(cmp):
    assert cmp.metrics_at(0).loc["loss"].tolist() == pytest.approx([4.0, 5.0, NAN], nan_ok=True)
    assert cmp.metrics_at(1).loc["loss"].isna().all()  # a NaN point is no value


def test_history_aligned_on_union_of_steps(cmp):
    loss = cmp.history("loss")
    assert loss.index.tolist() == [0, 1, 2, 3, 4]
    assert loss["#1 a"].tolist() == pytest.approx([4.0, NAN, 2.0, 3.0, NAN], nan_ok=True)
    assert loss["#2 b"].tolist() == pytest.approx([5.0, NAN, 1.0, NAN, 1.0], nan_ok=True)
    assert loss["#3"].isna().all()


def test_runs_attributes(cmp):
    runs = cmp.runs
    assert runs.index.tolist() == ["#1 a", "#2 b", "#3"]
    assert runs.loc["#2 b", ["status", "hypothesis", "duration"]].tolist() == ["failed", 7, 4000.0]
    assert runs["experiment"].tolist() == ["exp", "exp", "other"]  # across experiments
    assert pd.isna(runs.loc["#3", "start"])


MIXED = dict(
    x=[1, 1.0, "1"],
    y=["s", "s", "s"],
    z=[NAN, NAN, NAN],
    w=[None, 2, None],
    v=[True, 1, 1],
    n=[np.int64(3), 3, 3],
)


def test_diff_keeps_only_differing_params_of_mixed_types():
    diff = Comparison(runs_frame(**MIXED)).diff()
    assert diff.params.index.tolist() == ["x", "w", "v"]
    assert [display_value(v) for v in diff.params.loc["x"]] == ["1", "1.0", "'1'"]


def test_diff_keeps_metrics_whose_summaries_differ(cmp):
    same = pd.DataFrame({"number": [1, 2, 3], "metric": "same", "step": 0, "value": 1.0})
    history = pd.concat([history_frame(), same])
    diff = Comparison(runs_frame(), history).diff()
    assert diff.metric_names == ["acc", "loss", "f1"]
    assert set(diff.metrics.index.get_level_values("metric")) == {"acc", "loss", "f1"}
    assert len(cmp.diff().params) == 0  # lr is 0.1 everywhere


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (1, 1.0, False),
        (1, "1", False),
        (NAN, NAN, True),
        (None, None, True),
        (None, NAN, False),
        (True, 1, False),
        ([1, 2], [1, 2], True),
        (np.float64(0.5), 0.5, True),
    ],
)
def test_same_value(a, b, same):
    assert same_value(a, b) is same


def test_plot_overlays_one_line_per_run_with_points(cmp):
    ax = cmp.plot("loss")
    assert [line.get_label() for line in ax.get_lines()] == ["#1 a", "#2 b"]
    assert ax.get_lines()[0].get_ydata().tolist() == [4.0, 2.0, 3.0]  # the NaN point is dropped


def test_plot_parallel_maps_categorical_params_to_positions():
    history = pd.DataFrame(
        {"number": [1, 2, 3], "metric": "m", "step": 0, "value": [0.1, 0.2, 0.3]}
    )
    cmp = Comparison(runs_frame(model=["rf", "gbm", "rf"], lr=[0.1, 0.01, 0.001]), history)
    ax = cmp.plot_parallel("m")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["model", "lr", "m"]
    assert ax.get_lines()[1].get_ydata()[0] == 1.0  # 'gbm' is the second category


def test_points_downsampled_keep_extremes():
    steps = np.arange(10_000)
    values = np.sin(steps / 100.0)
    values[5000] = 50.0
    history = pd.DataFrame({"number": 1, "metric": "m", "step": steps, "value": values})
    points = Comparison(runs_frame(), history).points("m", max_points=200)
    assert len(points) <= 200 and points["value"].max() == 50.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Comparison(runs_frame().iloc[:0]), "nothing to compare"),
        (lambda: Comparison(runs_frame().drop(columns="number")), "lacks column(s) number"),
        (
            lambda: Comparison(runs_frame(), history_frame().drop(columns="step")),
            "lacks column(s) step",
        ),
        (
            lambda: Comparison(runs_frame(), definitions={"loss": {"goal": "up"}}),
            "goal must be 'max' or 'min'",
        ),
        (lambda: Comparison(runs_frame(), at_step="5"), "at_step must be an int"),
        (lambda: Comparison([1, 2]), "must be a pandas DataFrame"),
        (lambda: Comparison(runs_frame(), history_frame()).history("acc2"), "no metric 'acc2'"),
        (
            lambda: Comparison(runs_frame(lr=[1, 2, 3]), history_frame()).plot_parallel(
                "loss", params=["x"]
            ),
            "no param 'x'",
        ),
    ],
)
def test_errors_say_what_to_fix(call, message):
    with pytest.raises(
        (ValueError, TypeError), match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        call()


def test_without_history_only_last_values_from_runs_frame():
    cmp = Comparison(runs_frame())
    assert cmp.metric_names == ["f1"]
    assert cmp.metrics.loc[("f1", "last"), "#3"] == 0.9
    assert cmp.metrics.loc[("f1", "min")].isna().all()


def test_duplicate_runs_are_compared_once():
    frame = pd.concat([runs_frame(), runs_frame().iloc[:1]])
    assert Comparison(frame).labels == ["#1 a", "#2 b", "#3"]


@pytest.mark.parametrize(
    "history", [history_frame().query("number == 9"), history_frame().iloc[:0]]
)
def test_history_without_points_of_the_compared_runs(history):
    cmp = Comparison(runs_frame(), history)
    assert cmp.metric_names == ["f1"]
    assert cmp.history("f1").empty


points = st.lists(
    st.tuples(
        st.integers(1, 3),
        st.sampled_from(["a", "b"]),
        st.integers(0, 6),
        st.one_of(st.floats(-1e6, 1e6), st.just(NAN)),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(points)
def test_summaries_agree_with_the_verdicts_reference(rows):
    history = pd.DataFrame(rows, columns=["number", "metric", "step", "value"])
    cmp = Comparison(runs_frame(), history, {"a": {"goal": "max"}, "b": {"goal": "min"}})
    for metric, goal in (("a", "max"), ("b", "min")):
        for number, label in zip(cmp.numbers, cmp.labels, strict=True):
            pairs = [(s, v) for n, m, s, v in rows if n == number and m == metric]
            for summary in ("last", "best", "mean"):
                expected = summarize_metric(pairs, summary, goal)
                got = (
                    cmp.metrics.loc[(metric, summary), label] if metric in cmp.metric_names else NAN
                )
                assert got == pytest.approx(NAN if expected is None else expected, nan_ok=True)
