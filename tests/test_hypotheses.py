"""Hypotheses, metric definitions and verdicts through the public API and the CLI (issue 6)."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

import labtrack as lt
from labtrack.cli import cli
from labtrack.fluent.evidence import HypothesisClosed, activate


def tries(values, **params):
    """One finished run per value of `acc`; returns their numbers."""
    numbers = []
    for value in values:
        with lt.run(params=params) as run:
            lt.log(acc=value)
        numbers.append(run.number)
    return numbers


@pytest.fixture
def baseline_runs(store):
    return tries([0.80, 0.81, 0.79], trees=10)


def test_runs_started_while_a_hypothesis_is_active_link_to_it(baseline_runs):
    h = lt.hypothesis(
        "More trees raise accuracy", metric="acc", min_effect=0.01, baseline=baseline_runs
    )
    treated = tries([0.90, 0.91, 0.89], trees=100)
    v = lt.verdict(h.id)
    assert (v.label, v.treatment_runs, v.baseline_runs) == (
        "supported",
        tuple(treated),
        tuple(baseline_runs),
    )
    assert [lt.get_run(n).hypothesis_id for n in treated] == [h.id] * 3


def test_explicit_link_and_opt_out(baseline_runs):
    first = lt.hypothesis("A", metric="acc", baseline=baseline_runs)
    lt.hypothesis("B", metric="acc", baseline=baseline_runs)
    with lt.run(hypothesis=f"H{first.id}") as explicit:
        lt.log(acc=0.9)
    with lt.run(hypothesis="none") as opted_out:
        lt.log(acc=0.9)
    assert lt.get_run(explicit.number).hypothesis_id == first.id
    assert lt.get_run(opted_out.number).hypothesis_id is None


def test_closed_hypothesis_is_frozen_and_takes_no_new_runs(baseline_runs):
    h = lt.hypothesis("A", metric="acc", baseline=baseline_runs)
    tries([0.9, 0.92])
    frozen = lt.close_hypothesis(h.id, note="enough")
    with pytest.raises(HypothesisClosed, match="H1 is closed and takes no new runs"):
        lt.start_run(hypothesis=h.id)
    tries([0.1, 0.1])  # no active hypothesis any more: these link to nothing
    assert lt.verdict(h.id) == frozen and lt.active_run() is None
    with pytest.raises(HypothesisClosed, match="closed"):
        activate(h.id)


def test_one_run_a_side_is_an_untested_anecdote(store):
    base = tries([0.80])
    lt.hypothesis("A", metric="acc", min_effect=0.01, baseline=base)
    tries([0.85])
    v = lt.verdict()
    assert (v.label, v.weak, v.ci_low) == ("untested", True, None)
    assert "an anecdote: it takes 2 runs a side" in v.reason


def test_untested_without_linked_runs(baseline_runs):
    h = lt.hypothesis("A", metric="acc", baseline=baseline_runs)
    assert lt.verdict(h.id).label == "untested"


def test_failed_runs_never_count_and_nan_is_ignored_with_a_note(baseline_runs):
    lt.hypothesis("A", metric="acc", expect="decrease", baseline=baseline_runs)
    tries([0.5, 0.52, 0.51])
    with pytest.raises(RuntimeError), lt.run():
        lt.log(acc=0.0)
        raise RuntimeError("diverged")
    tries([math.nan])
    v = lt.verdict()
    assert v.n_treatment == 3 and v.label == "supported"
    assert {why for _, why in v.ignored} == {"failed", "NaN metric"}


def test_baseline_by_filter_and_default_repeat_group_of_the_best_configuration(store):
    tries([0.70, 0.75], model="lr")
    best_before = tries([0.78, 0.77], model="rf")
    tries([0.79], model="gb")  # the single best run, but a configuration tried once
    default = lt.hypothesis("B", metric="acc")
    by_filter = lt.hypothesis("A", metric="acc", baseline="params.model = 'lr'")
    tries([0.9, 0.91])
    assert lt.verdict(by_filter.id).baseline_runs == (1, 2)
    assert lt.verdict(default.id).baseline_runs == tuple(best_before)


def test_bad_baseline_filter_fails_at_once_with_its_position(store):
    with pytest.raises(lt.FilterError, match="position"):
        lt.hypothesis("A", metric="acc", baseline="params.x >")


@pytest.mark.parametrize(
    ("summary", "expected_effect"),
    [("last", 0.1), ("best", 0.2), ("mean", 0.6333333333333333 - 0.5)],
)
def test_verdict_uses_the_metric_definition_summary(store, summary, expected_effect):
    lt.metric("acc", goal="max", summary=summary)
    with lt.run() as base:
        lt.log(acc=0.5)
    lt.hypothesis("A", metric="acc", baseline=[base.number])
    with lt.run():
        for value in (0.6, 0.7, 0.6):
            lt.log(acc=value)
    assert lt.verdict().effect == pytest.approx(expected_effect)


def test_experiment_definition_overrides_the_store_wide_one(store):
    lt.metric("loss", goal="min", store_wide=True)
    lt.metric("loss", goal="max", summary="best", experiment="odd")
    from labtrack.fluent.evidence import metric_definitions

    assert metric_definitions().get("loss").goal == "min"
    assert metric_definitions("odd")["loss"].goal == "max"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"goal": "up"}, "goal must be 'max' or 'min'"),
        ({"goal": "max", "summary": "median"}, "summary must be one of last, best, mean"),
    ],
)
def test_metric_definition_errors_say_how_to_fix(store, kwargs, message):
    with pytest.raises(ValueError, match=message):
        lt.metric("acc", **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"expect": "up"}, "expect must be 'increase' or 'decrease'"),
        ({"min_effect": -1}, "cannot be negative"),
    ],
)
def test_hypothesis_errors_say_how_to_fix(store, kwargs, message):
    with pytest.raises(ValueError, match=message):
        lt.hypothesis("A", metric="acc", **kwargs)


def test_repeat_runs_each_seed_as_a_grouped_run(store):
    numbers = lt.repeat(lambda seed: lt.log(acc=0.5 + seed / 100), seeds=[1, 2, 3], name="rf")
    frame = lt.runs().set_index("number").loc[numbers]
    assert list(frame["params.seed"]) == [1, 2, 3]
    assert frame["tags.repeat_group"].nunique() == 1


def test_hypotheses_frame_and_cli(baseline_runs):
    lt.hypothesis("More trees", metric="acc", min_effect=0.01, baseline=baseline_runs)
    tries([0.9, 0.91, 0.89])
    frame = lt.hypotheses()
    assert frame.loc[0, ["id", "verdict", "n_treatment", "n_baseline", "tested"]].tolist() == [
        1,
        "supported",
        3,
        3,
        1,
    ]
    runner = CliRunner()
    listed = runner.invoke(cli, ["hypotheses", "--json"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.output)[0]["verdict"] == "supported"
    shown = runner.invoke(cli, ["show", "H1"])
    assert (
        "supported: mean acc rose by" in shown.output
        and "baseline runs:  #1, #2, #3" in shown.output
    )
    missing = runner.invoke(cli, ["show", "H9"])
    assert missing.exit_code == 1 and "no hypothesis H9" in missing.output


def test_runs_table_says_whether_each_run_meets_its_target(store):
    lt.metric("acc", goal="max", target=0.85, summary="best")
    for values in ([0.9, 0.7], [0.8]):
        with lt.run():
            for value in values:
                lt.log(acc=value)
    with lt.run():
        lt.log(loss=1.0)
    assert list(lt.runs()["target.acc"]) == [True, False, None]


def test_repeats_table_shows_mean_and_spread(store):
    lt.repeat(lambda seed: lt.log(acc=0.5 + seed / 10), seeds=[0, 2], name="rf")
    with lt.run("single"):
        lt.log(acc=0.1)
    table = lt.repeats()
    assert list(table["name"]) == ["rf"] and list(table["n"]) == [2]
    assert table.loc[0, "acc.mean"] == pytest.approx(0.6) and table.loc[
        0, "acc.std"
    ] == pytest.approx(0.1414, abs=1e-4)
