from __future__ import annotations

import json
import math
import random
import statistics

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from labtrack.evidence.student_t import t_upper_tail
from labtrack.evidence.verdicts import (
    BADGE_COLOURS,
    NO_SPREAD,
    Evidence,
    RepeatSummary,
    Verdict,
    badge,
    compute_verdict,
    group_repeats,
    summarize_metric,
    t_quantile,
)
from labtrack.evidence.verdicts import (
    _label as label_of,  # the labelling rule alone, for its boundaries
)

NAN = float("nan")
METHODS = ["sequential", "fixed", "bootstrap"]


def runs(*values: float | None, status: str = "finished", start: int = 1) -> list[Evidence]:
    return [Evidence(start + i, status, v) for i, v in enumerate(values)]


def seeded(values: list[float], seeds: list[int], start: int = 1) -> list[Evidence]:
    return [
        Evidence(start + i, "finished", v, seed=s) for i, (v, s) in enumerate(zip(values, seeds))
    ]


def normal_sample(mean: float, n: int = 20, sd: float = 0.2, seed: int = 1) -> list[float]:
    rng = random.Random(seed)
    return [rng.gauss(mean, sd) for _ in range(n)]


# --- summarize_metric ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "summary", "goal", "expected"),
    [
        ({0: 0.5, 2: 0.7, 1: 0.9}, "last", "max", 0.7),
        ({0: 0.5, 1: 0.7, 2: NAN}, "last", "max", 0.7),
        ({0: 0.5, 1: 0.9, 2: 0.7}, "best", "max", 0.9),
        ({0: 0.5, 1: 0.3, 2: None}, "best", "min", 0.3),
        ({0: 1.0, 1: NAN, 2: 2.0}, "mean", "max", 1.5),
        ([(0, 1.0), (1, 2.0), (1, 3.0)], "last", "min", 3.0),
        ({}, "last", "max", None),
        ({0: NAN, 1: None}, "mean", "max", None),
    ],
)
def test_summarize_metric(points, summary, goal, expected):
    assert summarize_metric(points, summary, goal) == expected


@pytest.mark.parametrize(
    ("summary", "goal", "message"),
    [("median", "max", "summary must be one of last, best, mean"), ("last", "up", "goal must be")],
)
def test_summarize_metric_rejects_bad_names(summary, goal, message):
    with pytest.raises(ValueError, match=message):
        summarize_metric({0: 1.0}, summary, goal)


# --- Student's t quantile ------------------------------------------------------------------------


@pytest.mark.parametrize("df", [0.5, 1, 1.5, 2, 2.7, 3, 4.2, 5, 9, 10, 29.5, 100, 1e3, 1e5, 1e8])
def test_t_quantile_matches_scipy(df):
    for p in (0.001, 0.025, 0.3, 0.5, 0.6, 0.9, 0.95, 0.975, 0.99, 0.995, 0.9995):
        assert t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-9, abs=1e-6)


@pytest.mark.parametrize("df", [1, 2.5, 9, 100, 1e8])
def test_t_upper_tail_matches_scipy(df):
    for t in (0.0, 0.3, -1.7, 2.2, 6.0):
        assert t_upper_tail(t, df) == pytest.approx(stats.t.sf(abs(t), df), rel=1e-7, abs=1e-12)


@pytest.mark.parametrize(("p", "df", "message"), [(1.0, 3, "p must be"), (0.9, 0, "df must be")])
def test_t_quantile_rejects_bad_arguments(p, df, message):
    with pytest.raises(ValueError, match=message):
        t_quantile(p, df)


# --- Intervals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("n_t", "n_b", "seed"), [(2, 2, 1), (3, 7, 2), (10, 4, 3), (30, 30, 4)])
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
@pytest.mark.parametrize("expect", ["increase", "decrease"])
def test_fixed_is_welch_as_scipy_computes_it(n_t, n_b, seed, confidence, expect):
    t, b = normal_sample(1.1, n_t, seed=seed), normal_sample(1.0, n_b, sd=0.5, seed=seed + 100)
    verdict = compute_verdict(
        runs(*t), runs(*b), expect=expect, confidence=confidence, method="fixed"
    )
    result = stats.ttest_ind(t, b, equal_var=False)
    ci = result.confidence_interval(confidence)
    assert (verdict.ci_low, verdict.ci_high) == pytest.approx((ci.low, ci.high), abs=1e-6)
    assert verdict.p_value == pytest.approx(result.pvalue, rel=1e-6)
    assert (verdict.method, verdict.anytime, badge(verdict)) == (
        "fixed", False, f"{verdict.label} (one look)",
    )  # fmt: skip
    assert "valid for one pre-planned look only" in verdict.reason


def test_fixed_paired_is_the_paired_t_test_as_scipy_computes_it():
    t, b = normal_sample(1.1, 6, seed=21), normal_sample(1.0, 6, seed=22)
    verdict = compute_verdict(seeded(t, list(range(6))), seeded(b, list(range(6)), start=10),
                              expect="increase", method="fixed")  # fmt: skip
    result = stats.ttest_rel(t, b)
    ci = result.confidence_interval(0.95)
    assert (verdict.ci_low, verdict.ci_high, verdict.p_value) == pytest.approx(
        (ci.low, ci.high, result.pvalue), abs=1e-6
    )


@pytest.mark.parametrize(("n_t", "n_b"), [(4, 4), (5, 12), (20, 20)])
def test_the_default_interval_holds_at_any_look_and_so_is_wider_than_welchs(n_t, n_b):
    t, b = normal_sample(1.1, n_t, seed=n_t), normal_sample(1.0, n_b, seed=n_b + 50)
    anytime = compute_verdict(runs(*t), runs(*b), expect="increase")
    once = compute_verdict(runs(*t), runs(*b), expect="increase", method="fixed")
    assert (anytime.method, anytime.anytime, once.effect) == ("sequential", True, anytime.effect)
    assert anytime.ci_low < once.ci_low < once.ci_high < anytime.ci_high
    assert once.p_value < anytime.p_value <= 1.0
    assert "anytime 95% CI" in anytime.reason and "one pre-planned look" not in anytime.reason


def test_too_few_runs_for_any_look_leave_the_interval_unbounded():
    verdict = compute_verdict(runs(1.0, 1.1), runs(0.5, 0.6), expect="increase")
    assert (verdict.label, verdict.ci_low, verdict.ci_high) == ("inconclusive", -math.inf, math.inf)
    assert (
        "95% CI unbounded" in verdict.reason
        and "too few runs to bound the change yet" in verdict.reason
    )


def test_bootstrap_is_reproducible_with_its_seed():
    t, b = runs(*normal_sample(1.1, 8, seed=7)), runs(*normal_sample(1.0, 8, seed=8))
    first = compute_verdict(t, b, expect="increase", method="bootstrap", seed=42)
    assert compute_verdict(t, b, expect="increase", method="bootstrap", seed=42) == first
    other = compute_verdict(t, b, expect="increase", method="bootstrap", seed=43)
    assert (other.ci_low, other.ci_high) != (first.ci_low, first.ci_high)
    assert (first.method, first.seed, first.p_value) == ("bootstrap", 42, None)


@pytest.mark.parametrize("expect", ["increase", "decrease"])
def test_bootstrap_is_close_to_a_brute_force_percentile_bootstrap(expect):
    t, b = normal_sample(1.1, 12, seed=9), normal_sample(1.0, 9, sd=0.3, seed=10)
    verdict = compute_verdict(runs(*t), runs(*b), expect=expect, method="bootstrap", seed=3)
    rng = np.random.default_rng(0)
    means_t = rng.choice(t, size=(100_000, len(t))).mean(axis=1)
    means_b = rng.choice(b, size=(100_000, len(b))).mean(axis=1)
    low, high = np.percentile(means_t - means_b, [2.5, 97.5])
    assert (verdict.ci_low, verdict.ci_high) == pytest.approx((low, high), abs=0.01)


@pytest.mark.parametrize("method", METHODS)
def test_repeats_that_vary_nothing_are_untested_not_certain(method):
    verdict = compute_verdict(runs(2.0, 2.0, 2.0), runs(1.5, 1.5), expect="increase", method=method)
    assert (verdict.label, verdict.effect, verdict.ci_low, verdict.ci_high) == (
        "untested",
        0.5,
        None,
        None,
    )
    assert NO_SPREAD in verdict.reason and badge(verdict) == "untested (no spread)"


@pytest.mark.parametrize("method", ["sequential", "fixed"])
def test_one_side_without_spread_still_gets_an_interval(method):
    verdict = compute_verdict(
        runs(2.0, 2.0, 2.0, 2.0), runs(1.5, 1.4, 1.6, 1.5), expect="increase", method=method
    )
    assert verdict.label == "supported" and verdict.ci_low < 0.5 < verdict.ci_high


# --- Labels --------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("true_effect", "expect", "label"),
    [
        (0.5, "increase", "supported"),
        (-0.5, "increase", "refuted"),
        (0.0, "increase", "inconclusive"),
        (-0.5, "decrease", "supported"),
        (0.5, "decrease", "refuted"),
        (0.0, "decrease", "inconclusive"),
    ],
)
def test_known_true_effects_give_the_expected_label(method, true_effect, expect, label):
    t, b = normal_sample(1.0 + true_effect, seed=11), normal_sample(1.0, seed=12)
    verdict = compute_verdict(runs(*t), runs(*b), expect=expect, method=method, min_effect=0.1)
    assert (verdict.label, verdict.weak, verdict.n_treatment, verdict.n_baseline) == (
        label, False, 20, 20,
    )  # fmt: skip
    assert verdict.effect == pytest.approx(statistics.mean(t) - statistics.mean(b))


@pytest.mark.parametrize(("min_effect", "label"), [(0.3, "negligible"), (0.0, "inconclusive")])
def test_an_interval_inside_the_minimum_effect_is_negligible(min_effect, label):
    t, b = normal_sample(1.0, 20, seed=13), normal_sample(1.0, 20, seed=14)
    verdict = compute_verdict(runs(*t), runs(*b), expect="increase", min_effect=min_effect)
    assert verdict.label == label
    assert ("no meaningful effect" in verdict.reason) == (label == "negligible")
    assert BADGE_COLOURS[verdict.label] == {"negligible": "blue", "inconclusive": "amber"}[label]


@pytest.mark.parametrize(
    ("low", "high", "expect", "min_effect", "label"),
    [
        (0.26, 0.8, "increase", 0.25, "supported"),
        (0.25, 0.8, "increase", 0.25, "inconclusive"),  # the interval must clear the minimum effect strictly
        (0.0, 0.8, "increase", 0.0, "inconclusive"),
        (-0.8, -0.01, "increase", 0.0, "refuted"),
        (-0.8, 0.0, "increase", 0.0, "inconclusive"),
        (-0.8, -0.26, "decrease", 0.25, "supported"),
        (0.01, 0.8, "decrease", 0.0, "refuted"),
        (-0.1, 0.1, "increase", 0.11, "negligible"),
        (-0.1, 0.1, "increase", 0.1, "inconclusive"),  # equivalence is strict too
        (-0.1, -0.05, "increase", 0.2, "negligible"),  # a fall smaller than min_effect is no effect
        (-math.inf, math.inf, "increase", 0.0, "inconclusive"),
    ],
)  # fmt: skip
def test_label_boundaries_are_strict(low, high, expect, min_effect, label):
    assert label_of(low, high, expect, min_effect) == label


@pytest.mark.parametrize(
    ("treatment", "baseline"), [([0.9], [0.8]), ([0.9], [0.8, 0.82, 0.81]), ([0.7, 0.71], [0.8])]
)
@pytest.mark.parametrize("method", METHODS)
def test_one_run_on_a_side_is_an_untested_anecdote(treatment, baseline, method):
    verdict = compute_verdict(runs(*treatment), runs(*baseline), expect="increase", method=method)
    assert (verdict.label, verdict.weak, verdict.method) == ("untested", True, "difference")
    assert verdict.effect == pytest.approx(statistics.mean(treatment) - statistics.mean(baseline))
    assert (verdict.ci_low, verdict.ci_high, verdict.p_value) == (None, None, None)
    assert badge(verdict) == "untested (anecdote)" and "an anecdote" in verdict.reason


@pytest.mark.parametrize(
    ("treatment", "baseline", "reason"),
    [
        ([], runs(0.5), "untested: no usable treatment runs"),
        (runs(0.5), [], "untested: no usable baseline runs"),
        ([], [], "untested: no usable treatment or baseline runs"),
        (runs(0.5, status="failed"), runs(0.4), "untested: no usable treatment runs; 1 run ignored: failed"),
    ],
)  # fmt: skip
def test_untested(treatment, baseline, reason):
    verdict = compute_verdict(treatment, baseline, expect="increase")
    assert (verdict.label, verdict.effect, verdict.method, verdict.reason) == (
        "untested", None, "none", reason,
    )  # fmt: skip


def test_only_finished_runs_with_a_finite_value_count():
    treatment = [
        *runs(0.9, 0.91),
        Evidence(3, "failed", 0.99),
        Evidence(4, "crashed", 0.99),
        Evidence(5, "interrupted", 0.99),
        Evidence(6, "running", 0.99),
        Evidence(7, "finished", NAN),
        Evidence(8, "finished", None),
    ]
    baseline = [
        *runs(0.8, 0.81, start=10),
        Evidence(12, "finished", NAN),
        Evidence(13, "finished", math.inf),
    ]
    verdict = compute_verdict(treatment, baseline, expect="increase", metric="accuracy")
    assert (verdict.treatment_runs, verdict.baseline_runs) == ((1, 2), (10, 11))
    assert verdict.ignored == (
        (3, "failed"), (4, "crashed"), (5, "interrupted"), (6, "running"), (7, "NaN metric"),
        (8, "no value for the metric"), (12, "NaN metric"), (13, "infinite metric"),
    )  # fmt: skip
    assert "2 runs ignored: NaN metric" in verdict.notes
    assert verdict.reason.endswith(
        "; 1 run ignored: no value for the metric; 1 run ignored: infinite metric"
    )


def test_a_fall_is_a_negative_effect_and_supports_an_expected_decrease():
    treatment, baseline = runs(0.20, 0.21, 0.19, 0.20), runs(0.50, 0.51, 0.49, 0.50, start=10)
    verdict = compute_verdict(treatment, baseline, expect="decrease", metric="loss")
    assert (verdict.label, verdict.effect) == ("supported", pytest.approx(-0.3))
    assert verdict.ci_low < verdict.ci_high < 0
    assert verdict.reason.startswith("supported: mean loss fell by 0.3 (anytime 95% CI -0.")


@pytest.mark.parametrize(
    ("treatment", "baseline", "kwargs", "reason"),
    [
        (
            [0.94, 0.95, 0.96, 0.95],
            [0.90, 0.91, 0.92, 0.91],
            {"min_effect": 0.01},
            "supported: mean accuracy rose by 0.04 (anytime 95% CI 0.0137 to 0.0663, p = 0.0127),"
            " the expected increase, clearing the minimum effect 0.01, over 4 vs 4 runs",
        ),
        (
            [0.86, 0.87, 0.88, 0.87],
            [0.90, 0.91, 0.92, 0.91],
            {},
            "refuted: mean accuracy fell by 0.04 (anytime 95% CI -0.0663 to -0.0137, p = 0.0127),"
            " the opposite of the expected increase, over 4 vs 4 runs",
        ),
        (
            [0.90, 0.93, 0.96, 0.93],
            [0.90, 0.91, 0.92, 0.91],
            {},
            "inconclusive: mean accuracy rose by 0.02 (anytime 95% CI -0.0388 to 0.0788, p = 1),"
            " the interval includes zero, over 4 vs 4 runs",
        ),
        (
            [0.94, 0.95, 0.96, 0.95],
            [0.90, 0.91, 0.92, 0.91],
            {"method": "fixed"},
            "supported: mean accuracy rose by 0.04 (95% CI 0.0259 to 0.0541, p = 0.000448), the"
            " expected increase, clearing zero, over 4 vs 4 runs; the interval is valid for one"
            " pre-planned look only (method=fixed)",
        ),
        (
            [0.95],
            [0.90],
            {"min_effect": 0.01},
            "untested: mean accuracy rose by 0.05 over 1 vs 1 runs, an anecdote: it takes 2 runs a"
            " side to tell a change from noise",
        ),
        (
            [0.95, 0.95],
            [0.90, 0.90],
            {},
            "untested: mean accuracy rose by 0.05 over 2 vs 2 runs, but the repeats vary nothing,"
            " so they carry no evidence of noise",
        ),
    ],
)
def test_reasons_read_as_plain_words(treatment, baseline, kwargs, reason):
    verdict = compute_verdict(
        runs(*treatment), runs(*baseline, start=20), expect="increase", metric="accuracy", **kwargs
    )
    assert verdict.reason == reason


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"expect": "up"}, "expect must be 'increase' or 'decrease', not 'up'"),
        (
            {"expect": "increase", "method": "welch"},
            "method must be 'sequential', 'fixed' or 'bootstrap'",
        ),
        ({"expect": "increase", "min_effect": -0.1}, "min_effect must be a finite number >= 0"),
        ({"expect": "increase", "confidence": 95}, "confidence must be between 0 and 1"),
        ({"expect": "increase", "resamples": 10}, "resamples must be at least 100"),
    ],
)
def test_bad_arguments_say_how_to_fix_the_call(kwargs, message):
    with pytest.raises(ValueError, match=message):
        compute_verdict(runs(1.0), runs(0.5), **kwargs)


# --- Pairing by seed -----------------------------------------------------------------------------


def seed_effects(n: int, rng_seed: int = 5) -> list[float]:
    rng = random.Random(rng_seed)
    return [rng.gauss(0.0, 1.0) for _ in range(n)]


def test_shared_seeds_pair_the_arms_and_gain_power():
    shared = seed_effects(6)  # most of the spread comes from the seed, in both arms alike
    t = [0.9 + 0.1 * s + 0.01 * e for s, e in zip(shared, seed_effects(6, 1))]
    b = [0.85 + 0.1 * s + 0.01 * e for s, e in zip(shared, seed_effects(6, 2))]
    paired = compute_verdict(
        seeded(t, list(range(6))), seeded(b, list(range(6)), start=10), expect="increase"
    )
    unpaired = compute_verdict(runs(*t), runs(*b, start=10), expect="increase")
    assert (paired.label, paired.pairs, unpaired.label, unpaired.pairs) == (
        "supported",
        6,
        "inconclusive",
        0,
    )
    assert "paired by seed: 6 pairs" in paired.notes and "over 6 pairs" in paired.reason
    assert paired.effect == pytest.approx(statistics.mean(t) - statistics.mean(b))


def test_runs_without_a_partner_and_older_repeats_of_a_seed_are_ignored_with_a_note():
    treatment = seeded([0.90, 0.92, 0.91, 0.50, 0.70], [1, 2, 3, 9, 1])  # run 5 re-runs seed 1
    baseline = seeded([0.80, 0.83, 0.81, 0.60], [1, 2, 3, 8], start=10)
    verdict = compute_verdict(treatment, baseline, expect="increase")
    assert (verdict.treatment_runs, verdict.baseline_runs, verdict.pairs) == (
        (5, 2, 3),
        (10, 11, 12),
        3,
    )
    assert set(verdict.ignored) == {
        (1, "an older run of the same seed"), (4, "no partner of the same seed"), (13, "no partner of the same seed"),
    }  # fmt: skip
    assert "2 runs ignored: no partner of the same seed" in verdict.notes


def test_fewer_than_two_shared_seeds_or_constant_differences_compare_unpaired():
    one_shared = compute_verdict(
        seeded([0.9, 0.92], [1, 2]), seeded([0.8, 0.83], [1, 3], start=10), expect="increase"
    )
    assert (one_shared.pairs, one_shared.n_treatment, one_shared.n_baseline) == (0, 2, 2)
    constant = compute_verdict(seeded([0.9, 0.95, 0.93], [1, 2, 3]), seeded([0.8, 0.85, 0.83], [1, 2, 3], start=10),
                               expect="increase")  # fmt: skip
    assert constant.pairs == 0 and "the paired differences do not vary" in constant.reason


# --- Records -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_verdict_round_trips_through_json(method):
    verdict = compute_verdict(
        [*seeded([0.9, 0.91, 0.95], [1, 2, 3]), Evidence(3, "finished", NAN)],
        seeded([0.8, 0.81, 0.82], [1, 2, 3], start=5),
        expect="decrease",
        method=method,
    )
    data = json.loads(json.dumps(verdict.to_dict(), allow_nan=False))
    assert (
        data["ignored"] == [{"run": 3, "reason": "NaN metric"}]
        and data["sign"] == "treatment - baseline"
    )
    assert Verdict.from_dict(data) == verdict


def test_from_dict_reads_a_verdict_stored_before_anytime_intervals():
    old = {
        "label": "supported", "weak": False, "effect": 0.3, "ci_low": 0.1, "ci_high": 0.5,
        "n_treatment": 2, "n_baseline": 2, "treatment_runs": [1, 2], "baseline_runs": [3, 4],
        "ignored": [], "method": "welch", "confidence": 0.95, "min_effect": 0.0, "expect": "decrease",
        "reason": "supported: mean loss fell by 0.3", "metric": "loss", "seed": None,
        "badge": "supported", "notes": [],
    }  # fmt: skip
    verdict = Verdict.from_dict(old)
    assert (verdict.effect, verdict.ci_low, verdict.ci_high) == (
        -0.3,
        -0.5,
        -0.1,
    )  # now treatment - baseline
    assert (verdict.anytime, verdict.p_value, verdict.pairs, badge(verdict)) == (
        False,
        None,
        0,
        "supported (one look)",
    )
    assert badge(Verdict.from_dict({**old, "weak": True})) == "supported (weak)"


def test_to_dict_turns_non_finite_numbers_into_none():
    verdict = compute_verdict(runs(1.0, 2.0), runs(0.0, 1.0), expect="increase")
    data = verdict.to_dict()
    assert (data["ci_low"], data["ci_high"]) == (None, None) and json.dumps(data, allow_nan=False)


def test_every_label_has_a_badge_colour_of_its_own():
    assert set(BADGE_COLOURS) == {"supported", "refuted", "negligible", "inconclusive", "untested"}
    assert len(set(BADGE_COLOURS.values())) == len(BADGE_COLOURS)


def test_group_repeats_gives_mean_spread_and_n_per_group():
    groups = group_repeats(
        [("b", 1.0), ("a", 2.0), ("b", 3.0), ("b", NAN), ("c", None), ("a", 4.0)]
    )
    assert list(groups) == ["b", "a", "c"]
    assert groups["b"] == RepeatSummary(mean=2.0, std=pytest.approx(math.sqrt(2)), n=2, ignored=1)
    assert groups["c"] == RepeatSummary(mean=None, std=None, n=0, ignored=1)
    assert [str(g) for g in groups.values()] == [
        "2 ± 1.41 (n=2)",
        "3 ± 1.41 (n=2)",
        "— (n=0, 1 ignored)",
    ]
    assert str(group_repeats([("x", 0.5)])["x"]) == "0.5 (n=1)"


# --- Properties ----------------------------------------------------------------------------------

values = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False)
evidence = st.lists(
    st.builds(
        Evidence,
        run=st.integers(1, 1000),
        status=st.sampled_from(["finished", "finished", "finished", "failed"]),
        value=st.one_of(values, st.just(NAN)),
    ),
    max_size=6,
)
seeded_evidence = st.lists(
    st.builds(
        Evidence,
        run=st.integers(1, 1000),
        status=st.just("finished"),
        value=values,
        seed=st.one_of(st.none(), st.integers(0, 3)),
    ),
    max_size=6,
)
flipped = {"increase": "decrease", "decrease": "increase"}


def finished_values(side: list[Evidence]) -> list[float]:
    return [e.value for e in side if e.status == "finished" and not math.isnan(e.value)]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(evidence, seeded_evidence),
    st.one_of(evidence, seeded_evidence),
    st.sampled_from(["increase", "decrease"]),
    st.floats(0, 10),
    st.sampled_from(METHODS[:2]),
)
def test_swapping_the_sides_and_the_direction_keeps_the_label_and_mirrors_the_numbers(
    t, b, expect, min_effect, method
):
    verdict = compute_verdict(t, b, expect=expect, min_effect=min_effect, method=method)
    swapped = compute_verdict(b, t, expect=flipped[expect], min_effect=min_effect, method=method)
    mirror = lambda x: None if x is None else -x  # noqa: E731
    assert (swapped.label, swapped.weak, swapped.pairs, swapped.p_value) == (
        verdict.label,
        verdict.weak,
        verdict.pairs,
        verdict.p_value,
    )
    assert (swapped.effect, swapped.ci_low, swapped.ci_high) == (
        mirror(verdict.effect), mirror(verdict.ci_high), mirror(verdict.ci_low),
    )  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(evidence, evidence, st.sampled_from(["increase", "decrease"]), st.sampled_from(METHODS))
def test_effect_is_treatment_minus_baseline_inside_its_interval(t, b, expect, method):
    verdict = compute_verdict(t, b, expect=expect, method=method, resamples=200)
    if verdict.effect is None:
        assert verdict.label == "untested"
        return
    assert verdict.effect == statistics.mean(finished_values(t)) - statistics.mean(
        finished_values(b)
    )
    if verdict.ci_low is not None and method != "bootstrap":
        assert verdict.ci_low <= verdict.effect <= verdict.ci_high
    if verdict.label in ("supported", "refuted"):
        assert (verdict.effect > 0) == ((verdict.label == "supported") == (expect == "increase"))
