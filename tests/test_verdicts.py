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

from labtrack.evidence.verdicts import (
    BADGE_COLOURS,
    Evidence,
    RepeatSummary,
    Verdict,
    badge,
    compute_verdict,
    group_repeats,
    summarize_metric,
    t_quantile,
)

NAN = float("nan")
METHODS = ["welch", "bootstrap"]


def runs(*values: float | None, status: str = "finished", start: int = 1) -> list[Evidence]:
    return [Evidence(start + i, status, v) for i, v in enumerate(values)]


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


@pytest.mark.parametrize(("p", "df", "message"), [(1.0, 3, "p must be"), (0.9, 0, "df must be")])
def test_t_quantile_rejects_bad_arguments(p, df, message):
    with pytest.raises(ValueError, match=message):
        t_quantile(p, df)


# --- Intervals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("n_t", "n_b", "seed"), [(2, 2, 1), (3, 7, 2), (10, 4, 3), (30, 30, 4)])
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_welch_interval_matches_scipy(n_t, n_b, seed, confidence):
    t, b = normal_sample(1.1, n_t, seed=seed), normal_sample(1.0, n_b, sd=0.5, seed=seed + 100)
    verdict = compute_verdict(runs(*t), runs(*b), expect="increase", confidence=confidence)
    ci = stats.ttest_ind(t, b, equal_var=False).confidence_interval(confidence)
    assert (verdict.ci_low, verdict.ci_high) == pytest.approx((ci.low, ci.high), abs=1e-6)


def test_welch_interval_is_negated_when_a_decrease_is_expected():
    t, b = normal_sample(0.3, 5, seed=5), normal_sample(0.5, 6, seed=6)
    verdict = compute_verdict(runs(*t), runs(*b), expect="decrease")
    ci = stats.ttest_ind(t, b, equal_var=False).confidence_interval(0.95)
    assert (verdict.ci_low, verdict.ci_high) == pytest.approx((-ci.high, -ci.low), abs=1e-6)


def test_bootstrap_is_reproducible_with_its_seed():
    t, b = runs(*normal_sample(1.1, 8, seed=7)), runs(*normal_sample(1.0, 8, seed=8))
    first = compute_verdict(t, b, expect="increase", method="bootstrap", seed=42)
    assert compute_verdict(t, b, expect="increase", method="bootstrap", seed=42) == first
    other = compute_verdict(t, b, expect="increase", method="bootstrap", seed=43)
    assert (other.ci_low, other.ci_high) != (first.ci_low, first.ci_high)
    assert (first.method, first.seed) == ("bootstrap", 42)


@pytest.mark.parametrize("expect", ["increase", "decrease"])
def test_bootstrap_is_close_to_a_brute_force_percentile_bootstrap(expect):
    t, b = normal_sample(1.1, 12, seed=9), normal_sample(1.0, 9, sd=0.3, seed=10)
    verdict = compute_verdict(runs(*t), runs(*b), expect=expect, method="bootstrap", seed=3)
    rng = np.random.default_rng(0)
    means_t = rng.choice(t, size=(100_000, len(t))).mean(axis=1)
    means_b = rng.choice(b, size=(100_000, len(b))).mean(axis=1)
    diffs = (means_t - means_b) * (1 if expect == "increase" else -1)
    low, high = np.percentile(diffs, [2.5, 97.5])
    assert (verdict.ci_low, verdict.ci_high) == pytest.approx((low, high), abs=0.01)


@pytest.mark.parametrize("method", METHODS)
def test_identical_values_collapse_the_interval_to_the_point(method):
    verdict = compute_verdict(runs(2.0, 2.0, 2.0), runs(1.5, 1.5), expect="increase", method=method)
    assert (verdict.effect, verdict.ci_low, verdict.ci_high) == (0.5, 0.5, 0.5)


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


@pytest.mark.parametrize(
    ("treatment", "min_effect", "label"),
    [
        (1.5, 0.25, "supported"),
        (1.5, 0.5, "inconclusive"),  # the interval must clear the minimum effect strictly
        (1.0, 0.0, "inconclusive"),  # an interval at exactly zero is not on the wrong side of it
        (0.75, 0.0, "refuted"),
    ],
)
def test_boundaries_are_strict(treatment, min_effect, label):
    verdict = compute_verdict(
        runs(treatment, treatment), runs(1.0, 1.0), expect="increase", min_effect=min_effect
    )
    assert verdict.label == label


@pytest.mark.parametrize(
    ("treatment", "baseline", "min_effect", "label"),
    [
        ([0.9], [0.8, 0.82, 0.81], 0.05, "supported"),
        ([0.9], [0.88], 0.05, "inconclusive"),
        ([1.5], [1.0], 0.5, "inconclusive"),  # strict, as with an interval
        ([0.9], [0.9], 0.0, "inconclusive"),
        ([0.7, 0.71], [0.8], 0.0, "refuted"),
    ],
)
def test_one_run_a_side_is_weak_evidence(treatment, baseline, min_effect, label):
    verdict = compute_verdict(
        runs(*treatment), runs(*baseline), expect="increase", min_effect=min_effect
    )
    assert (verdict.label, verdict.weak, verdict.method) == (label, True, "difference")
    assert (verdict.ci_low, verdict.ci_high) == (None, None)
    assert badge(verdict) == f"{label} (weak)"


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


def test_decrease_counts_a_fall_as_a_positive_effect():
    verdict = compute_verdict(runs(0.2, 0.2), runs(0.5, 0.5), expect="decrease", metric="loss")
    assert verdict.effect == pytest.approx(0.3)
    assert verdict.reason == (
        "supported: mean loss fell by 0.3 (95% CI 0.3 to 0.3), clearing zero, over 2 vs 2 runs"
    )


@pytest.mark.parametrize(
    ("treatment", "baseline", "kwargs", "reason"),
    [
        (
            [0.94, 0.95, 0.96],
            [0.90, 0.91, 0.92],
            {"min_effect": 0.01},
            "supported: mean accuracy rose by 0.04 (95% CI 0.0173 to 0.0627), clearing the minimum"
            " effect 0.01, over 3 vs 3 runs",
        ),
        (
            [0.86, 0.87, 0.88],
            [0.90, 0.91, 0.92],
            {},
            "refuted: mean accuracy fell by 0.04 (95% CI 0.0173 to 0.0627), the opposite of the"
            " expected increase, over 3 vs 3 runs",
        ),
        (
            [0.90, 0.93, 0.96],
            [0.90, 0.91, 0.92],
            {},
            "inconclusive: mean accuracy rose by 0.02 (95% CI -0.0464 to 0.0864), the interval"
            " includes zero, over 3 vs 3 runs",
        ),
        (
            [0.94, 0.95, 0.96],
            [0.90, 0.91, 0.92],
            {"min_effect": 0.03},
            "inconclusive: mean accuracy rose by 0.04 (95% CI 0.0173 to 0.0627), not clearing the"
            " minimum effect 0.03, over 3 vs 3 runs",
        ),
        (
            [0.95],
            [0.90],
            {"min_effect": 0.01},
            "supported (weak): mean accuracy rose by 0.05, clearing the minimum effect 0.01, over"
            " 1 vs 1 runs; too few runs for an interval",
        ),
    ],
)
def test_reasons_read_as_plain_words(treatment, baseline, kwargs, reason):
    verdict = compute_verdict(
        runs(*treatment), runs(*baseline), expect="increase", metric="accuracy", **kwargs
    )
    assert verdict.reason == reason


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"expect": "up"}, "expect must be 'increase' or 'decrease', not 'up'"),
        ({"expect": "increase", "method": "t"}, "method must be 'welch' or 'bootstrap'"),
        ({"expect": "increase", "min_effect": -0.1}, "min_effect must be a finite number >= 0"),
        ({"expect": "increase", "confidence": 95}, "confidence must be between 0 and 1"),
        ({"expect": "increase", "resamples": 10}, "resamples must be at least 100"),
    ],
)
def test_bad_arguments_say_how_to_fix_the_call(kwargs, message):
    with pytest.raises(ValueError, match=message):
        compute_verdict(runs(1.0), runs(0.5), **kwargs)


# --- Records -------------------------------------------------------------------------------------


def test_verdict_round_trips_through_json():
    verdict = compute_verdict(
        [*runs(0.9, 0.91), Evidence(3, "finished", NAN)],
        runs(0.8, 0.81, start=5),
        expect="increase",
    )
    data = json.loads(json.dumps(verdict.to_dict(), allow_nan=False))
    assert data["badge"] == "supported" and data["ignored"] == [{"run": 3, "reason": "NaN metric"}]
    assert Verdict.from_dict(data) == verdict


def test_to_dict_turns_non_finite_numbers_into_none():
    verdict = compute_verdict(runs(1.0, 2.0), runs(0.0, 1.0), expect="increase")
    data = Verdict.from_dict({**verdict.to_dict(), "ci_low": -math.inf}).to_dict()
    assert data["ci_low"] is None and json.dumps(data, allow_nan=False)


def test_every_label_has_a_badge_colour():
    assert set(BADGE_COLOURS) == {"supported", "refuted", "inconclusive", "untested"}


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
flipped = {"increase": "decrease", "decrease": "increase"}


def finished_values(side: list[Evidence]) -> list[float]:
    return [e.value for e in side if e.status == "finished" and not math.isnan(e.value)]


@settings(max_examples=300, deadline=None)
@given(evidence, evidence, st.sampled_from(["increase", "decrease"]), st.floats(0, 10))
def test_swapping_the_sides_and_the_direction_keeps_the_verdict(t, b, expect, min_effect):
    verdict = compute_verdict(t, b, expect=expect, min_effect=min_effect)
    swapped = compute_verdict(b, t, expect=flipped[expect], min_effect=min_effect)
    numbers = lambda v: (v.label, v.weak, v.effect, v.ci_low, v.ci_high)  # noqa: E731
    assert numbers(swapped) == numbers(verdict)


@settings(max_examples=200, deadline=None)
@given(evidence, evidence, st.sampled_from(["increase", "decrease"]), st.sampled_from(METHODS))
def test_effect_is_positive_in_the_expected_direction(t, b, expect, method):
    verdict = compute_verdict(t, b, expect=expect, method=method, resamples=200)
    if verdict.label == "untested":
        return
    change = statistics.mean(finished_values(t)) - statistics.mean(finished_values(b))
    assert (verdict.effect > 0) == ((change > 0) if expect == "increase" else (change < 0))
    if method == "welch":
        assert verdict.ci_low is None or verdict.ci_low <= verdict.effect <= verdict.ci_high
