"""`lt.compare` against a real store: every kind of ref, errors, definitions, hypotheses, `at_step`."""

from __future__ import annotations

import math

import pytest

import labtrack as lt

REFS = {
    "numbers": lambda: (1, 2),
    "hash numbers": lambda: ("#1", "#2"),
    "digit strings": lambda: ("1", "2"),
    "uuids": lambda: tuple(lt.get_run(n).uuid for n in (1, 2)),
    "uuid prefixes": lambda: tuple(lt.get_run(n).uuid[:8] for n in (1, 2)),
    "names": lambda: ("try-1", "try-2"),
    "filter": lambda: ("params.model = 'rf'",),
    "frame": lambda: (lt.runs("params.model = 'rf'"),),
    "list": lambda: ([1, "#2"],),
    "repeats": lambda: (1, "try-2", "#1"),
}


@pytest.mark.parametrize("refs", REFS.values(), ids=REFS.keys())
def test_compare_takes_every_kind_of_ref(three_runs, refs):
    cmp = lt.compare(*refs())
    assert cmp.numbers == [1, 2] and cmp.labels == ["#1 try-1", "#2 try-2"]


def test_runs_keep_the_order_given(three_runs):
    assert lt.compare(3, 1).labels == ["#3 try-3", "#1 try-1"]


def test_params_and_metrics_come_from_the_store(three_runs):
    cmp = lt.compare(1, 2, 3)
    assert cmp.params.loc["trees"].tolist() == [100, 200, 100]
    assert cmp.metrics.loc[("acc", "max")].tolist() == [0.8, 0.9, 0.4]
    assert cmp.history("acc")["#1 try-1"].tolist() == [0.5, 0.7, 0.8]


@pytest.mark.parametrize(
    ("refs", "error", "message"),
    [
        ((99,), lt.RunNotFound, "no run #99"),
        (("params.lr >",), lt.FilterError, "expected a value after '>'"),
        (("params.model = 'nope'",), ValueError, "the filter matched none"),
        ((), ValueError, "compare needs runs"),
        (("#99",), lt.RunNotFound, "no run #99"),
        (("no-such-run",), lt.RunNotFound, "no run named or numbered .no-such-run."),
    ],
)
def test_unknown_refs_and_bad_filters_say_what_is_wrong(three_runs, refs, error, message):
    with pytest.raises(error, match=message):
        lt.compare(*refs)


def test_bad_at_step_is_refused(three_runs):
    with pytest.raises(ValueError, match="at_step must be an int step"):
        lt.compare(1, at_step="1")


def test_at_step_adds_each_metrics_value_at_that_step(three_runs):
    row = lt.compare(1, 2, 3, at_step=1).metrics.loc[("acc", "at_step")]
    assert row.tolist()[:2] == [0.7, 0.9] and math.isnan(row.iloc[2])


def test_runs_of_different_experiments_side_by_side(store):
    lt.metric("loss", goal="min", experiment="exp-a")
    for name, experiment, losses in [("a", "exp-a", [0.5, 0.2, 0.3]), ("b", "exp-b", [0.4, 0.6])]:
        with lt.run(name, experiment=experiment, params={"lr": 0.1}):
            for loss in losses:
                lt.log(loss=loss)
    cmp = lt.compare("a", "b")
    assert cmp.runs["experiment"].tolist() == ["exp-a", "exp-b"]
    assert cmp.definitions["loss"]["goal"] == "min"  # exp-a's definition applies to the comparison
    assert cmp.metrics.loc[("loss", "best")].tolist() == [0.2, 0.4]
    assert cmp.metrics.loc[("loss", "best_step")].tolist() == [1, 0]


def test_definitions_and_hypotheses_with_verdicts_flow_into_the_comparison(store):
    lt.metric("loss", goal="min", summary="best")
    for best in (0.3, 0.31, 0.29):
        with lt.run("base"):
            lt.log(loss=0.5)
            lt.log(loss=best)
    h = lt.hypothesis("Lower lr lowers loss", metric="loss", expect="decrease", baseline=[1, 2, 3])
    for best in (0.2, 0.21, 0.19):
        with lt.run("treated"):
            lt.log(loss=best)
    cmp = lt.compare(1, 4)
    assert cmp.definitions["loss"] == {"goal": "min", "target": None, "summary": "best"}
    assert cmp.runs["hypothesis"].tolist()[1] == h.id
    (hypothesis,) = cmp.hypotheses
    assert (hypothesis["id"], hypothesis["verdict"]["label"]) == (h.id, "supported")
    assert "Lower lr lowers loss" in cmp.to_markdown() and "supported" in cmp.to_html()


def test_compare_sees_the_flushed_points_of_a_running_run(store):
    with lt.run("live"):
        lt.log(acc=0.5)
        cmp = lt.compare("live")
        assert cmp.metrics.loc[("acc", "last")].tolist() == [0.5]
        assert cmp.runs["status"].tolist() == ["running"]
