"""Issue 14 through the store: seeds pair arms, re-runs count once, restating returns the open
hypothesis, baselines are frozen, confounds are named, definitions are frozen, many hypotheses are
adjusted for — the way a notebook user meets them."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import labtrack as lt
from labtrack.fluent.session import default_lab


def seeded(values, name, **params):
    """One run per value, seeds 0.. in order; returns their numbers."""
    return lt.repeat(
        lambda seed: lt.log(acc=values[seed]), seeds=len(values), name=name, params=params
    )


def tries(values, **params):
    numbers = []
    for value in values:
        with lt.run(params=params) as run:
            lt.log(acc=value)
        numbers.append(run.number)
    return numbers


def test_arms_that_share_seeds_are_paired_automatically_with_a_note(store):
    base = seeded([0.80, 0.70, 0.90, 0.75], "small", trees=10)
    lt.hypothesis("More trees", metric="acc", baseline=base, change="trees")
    seeded([0.83, 0.72, 0.93, 0.78], "big", trees=100)
    v = lt.verdict()
    assert (v.label, v.pairs) == ("supported", 4) and "paired by seed: 4 pairs" in v.notes
    assert v.confounds == () and "params.trees is the change under test" in v.comparability[0]


def test_method_fixed_is_passed_through_and_labelled_one_look(store):
    base = tries([0.80, 0.81, 0.79])
    h = lt.hypothesis("A", metric="acc", baseline=base)
    tries([0.90, 0.91, 0.89])
    fixed = lt.verdict(h.id, method="fixed")
    assert (fixed.method, fixed.anytime, lt.verdict(h.id).method) == ("fixed", False, "sequential")
    assert "valid for one pre-planned look only" in fixed.reason
    assert default_lab().verdict(h.id, method="fixed") == fixed


def test_restating_an_open_hypothesis_returns_it_and_close_acts_on_it(store):
    base = tries([0.80, 0.81])
    first = lt.hypothesis("More trees", metric="acc", baseline=base)
    again = lt.hypothesis("More trees", metric="acc", baseline=base)
    other = lt.hypothesis("More trees", metric="acc", expect="decrease")
    assert (again.id, again.restated, first.restated, other.id) == (
        first.id,
        True,
        False,
        first.id + 1,
    )
    lt.close_hypothesis(again.id)
    assert lt.hypothesis("More trees", metric="acc").id == other.id + 1  # closed: stated anew
    assert list(lt.hypotheses()["status"]) == ["closed", "open", "open"]


def test_percent_hypothesis_says_it_was_restated(ip):
    line = '"More trees raise acc" --metric acc'
    ip.run_line_magic("hypothesis", line)
    card = ip.run_line_magic("hypothesis", line)
    assert card.record.id == 1 and "H1 is already open with this statement" in repr(card)
    assert len(lt.hypotheses()) == 1


def test_an_exact_rerun_of_a_cell_counts_once_the_newest(ip):
    ip.run_cell("import labtrack as lt")
    for seed in (0, 1):
        ip.run_cell_magic("track", "", f"seed = {seed}\nlt.log(acc=0.80 + seed / 100)")
    ip.run_line_magic("hypothesis", '"Deeper" --metric acc --baseline 1,2')
    cell = "seed = {}\ndepth = 5\nlt.log(acc=0.9 + seed / 100)"
    for seed in (0, 1, 0):  # the third repeats the first exactly
        ip.run_cell_magic("track", "", cell.format(seed))
    v = lt.verdict()
    assert (v.n_treatment, v.treatment_runs, v.reruns) == (2, (4, 5), ((3, 5),))
    assert "1 exact re-run counted once, the newest: #3 (re-run as #5)" in v.reason


def test_runs_without_recorded_code_are_never_called_reruns(store):
    base = tries([0.80, 0.81], trees=10)
    h = lt.hypothesis("A", metric="acc", baseline=base)
    tries([0.9, 0.9], trees=100)
    assert lt.verdict(h.id).n_treatment == 2 and lt.verdict(h.id).reruns == ()


def test_filter_baseline_is_frozen_within_its_experiment_until_rebased(store):
    tries([0.80, 0.81], model="lr")
    with lt.run(params={"model": "lr"}, experiment="elsewhere"):
        lt.log(acc=0.1)
    h = lt.hypothesis("A", metric="acc", baseline="params.model = 'lr'")
    assert h.baseline == {"filter": "params.model = 'lr'", "runs": [1, 2]}
    tries([0.9, 0.91], model="rf")
    with lt.run(params={"model": "lr"}, hypothesis="none"):
        lt.log(acc=0.82)
    assert lt.verdict(h.id).baseline_runs == (1, 2)
    assert lt.rebase(h.id).baseline["runs"] == [1, 2, 6]
    assert lt.verdict(h.id).baseline_runs == (1, 2, 6)


def test_default_baseline_is_the_best_configuration_tried_at_least_twice(store):
    tries([0.70, 0.71], model="lr")
    tries([0.80], model="rf")  # the single best run, but tried once
    h = lt.hypothesis("B", metric="acc")
    tries([0.9, 0.91], model="gb")
    assert lt.verdict(h.id).baseline_runs == (1, 2)
    with lt.run(params={"model": "lr"}, hypothesis="none"):  # a later repeat of it joins it
        lt.log(acc=0.72)
    assert lt.verdict(h.id).baseline_runs == (1, 2, 6)


def test_default_baseline_of_one_run_stays_untested_and_says_why(store):
    tries([0.5])  # another experiment's run never joins this one's baseline
    with lt.run(experiment="solo"):
        lt.log(acc=0.4)
    solo = lt.hypothesis("C", metric="acc", experiment="solo")
    for acc in (0.6, 0.61):
        with lt.run(experiment="solo", hypothesis=solo.id):
            lt.log(acc=acc)
    v = lt.verdict(solo.id)
    assert (v.label, v.baseline_runs) == ("untested", (2,))
    assert (
        "the default baseline (the best earlier configuration: no params) has one run, #2"
        in v.reason
    )


def test_a_named_change_turns_every_other_difference_into_a_confound(store):
    base = tries([0.80, 0.81, 0.79], dropout=0.1, depth=3)
    h = lt.hypothesis("Dropout", metric="acc", baseline=base, change="params.dropout")
    tries([0.90, 0.91, 0.89], dropout=0.5, depth=5)
    v = lt.verdict(h.id)
    assert v.confounds == ("params.depth also differs: 5 (treatment) vs 3 (baseline)",)
    frame = lt.hypotheses()
    assert frame.loc[0, "change"] == "params.dropout" and len(frame.loc[0, "confounds"]) == 1


def test_without_a_named_change_two_differing_params_are_a_warning(store):
    base = tries([0.80, 0.81, 0.79], dropout=0.1, depth=3)
    h = lt.hypothesis("Dropout", metric="acc", baseline=base)
    tries([0.90, 0.91, 0.89], dropout=0.5, depth=5)
    (warning,) = lt.verdict(h.id).confounds
    assert warning.startswith("2 params differ (params.depth, params.dropout)")


def test_a_later_metric_definition_does_not_change_the_verdict_and_both_are_shown(store):
    lt.metric("acc", goal="max", summary="last")
    base = []
    for last in (0.80, 0.81, 0.79):
        with lt.run() as run:
            lt.log(acc=0.99)  # a lucky early point: "best" would see it
            lt.log(acc=last)
        base.append(run.number)
    h = lt.hypothesis("A", metric="acc", baseline=base)
    tries([0.90, 0.91, 0.89])
    before = lt.verdict(h.id)
    lt.metric("acc", goal="max", summary="best")
    after = lt.verdict(h.id)
    assert (
        (after.label, after.effect)
        == (before.label, before.effect)
        == ("supported", pytest.approx(0.1))
    )
    assert (
        "the metric definition changed since the hypothesis was stated" in after.comparability[-1]
    )


def test_hypotheses_count_the_tests_and_adjust_p_values(store):
    base = tries([0.80, 0.81, 0.79, 0.80])
    strong = lt.hypothesis("strong", metric="acc", baseline=base)
    tries([0.90, 0.91, 0.89, 0.90])
    weak = lt.hypothesis("weak", metric="acc", baseline=base)
    tries([0.84, 0.85, 0.83])
    lt.hypothesis("none yet", metric="acc", baseline=base)
    frame = lt.hypotheses().set_index("id")
    assert list(frame["tested"]) == [2, 2, 2]
    assert frame.loc[strong.id, "p_adjusted"] >= frame.loc[strong.id, "p_value"]
    assert frame["p_adjusted"].isna().tolist() == [False, False, True]
    bh = lt.hypotheses(adjust="bh").set_index("id")
    assert bh.loc[weak.id, "p_adjusted"] <= frame.loc[weak.id, "p_adjusted"]
    with pytest.raises(ValueError, match="adjust must be 'holm' or 'bh'"):
        lt.hypotheses(adjust="bonferroni")


def test_a_verdict_supported_only_before_adjustment_says_so(store):
    base = tries([0.80, 0.81, 0.79])
    lt.hypothesis("barely", metric="acc", baseline=base)
    tries([0.90, 0.91, 0.89])
    for i in range(4):  # four more tests that find nothing
        lt.hypothesis(f"null {i}", metric="acc", baseline=base)
        tries([0.80, 0.81, 0.79])
    row = lt.hypotheses().iloc[0]
    assert row["verdict"] == "supported" and row["tested"] == 5
    assert row["adjusted_note"].startswith("supported only before adjustment: Holm-adjusted p =")


def test_migration_freezes_a_filter_baseline_of_an_old_store(store_dir):
    frozen = Path(__file__).parent / "data" / "store-m001.db"
    store_dir.mkdir()
    shutil.copyfile(frozen, store_dir / "labtrack.db")
    shutil.copytree(frozen.with_name("store-m001-artifacts"), store_dir / "artifacts")
    with sqlite3.connect(store_dir / "labtrack.db") as conn:  # an old hypothesis with a live filter
        conn.execute("""UPDATE hypotheses SET baseline = '{"filter": "params.lr > 0"}'""")
    lab = default_lab()
    record = lab.get_hypothesis(1)
    matching = [n for n in lt.runs("params.lr > 0", experiment=record.experiment)["number"]
                if n not in lab.linked_runs(1, "treatment")]  # fmt: skip
    assert record.baseline == {"filter": "params.lr > 0", "runs": matching} and matching
    assert set(matching) <= set(lab.linked_runs(1, "baseline"))
    assert record.definition == {"goal": "max", "summary": "best"}  # the definition in force


def test_confounds_and_the_change_reach_the_mlflow_tags(store):
    from labtrack.mlflow_bridge.mapping import hypothesis_tags
    from labtrack.present.records import hypothesis_brief

    base = tries([0.80, 0.81, 0.79], dropout=0.1, depth=3)
    h = lt.hypothesis("Dropout", metric="acc", baseline=base, change="dropout")
    tries([0.90, 0.91, 0.89], dropout=0.5, depth=5)
    link = {**hypothesis_brief(h, lt.verdict(h.id)), "id": f"H{h.id}", "role": "treatment"}
    tags = hypothesis_tags([link])
    assert tags["labtrack.hypothesis.change"] == "params.dropout"
    assert (
        tags["labtrack.hypothesis.confounds"]
        == "params.depth also differs: 5 (treatment) vs 3 (baseline)"
    )
