"""The anytime-valid sequence (evidence/sequential.py) against an independent numerical reference."""

from __future__ import annotations

import math
import random

import pytest
from scipy import integrate, stats

from labtrack.evidence.sequential import (
    DEFAULT_G,
    mixture_bayes_factor,
    one_sample_sequence,
    t_threshold,
    two_sample_sequence,
)


def reference_bayes_factor(t: float, nu: float, n: float, g: float) -> float:
    """The mixture by quadrature: the noncentral t density averaged over δ ~ N(0, g), over the t density."""

    def integrand(delta: float) -> float:
        return stats.nct.pdf(t, nu, delta * math.sqrt(n)) * stats.norm.pdf(delta, 0.0, math.sqrt(g))

    sd = math.sqrt(g)
    mixed, _ = integrate.quad(integrand, -12 * sd, 12 * sd, points=[t / math.sqrt(n)], limit=200)
    return mixed / stats.t.pdf(t, nu)


@pytest.mark.parametrize(
    ("t", "nu", "n", "g"),
    [(0.0, 6, 2.0, 4.0), (1.5, 6, 2.0, 4.0), (-2.7, 18, 5.0, 1.0), (3.0, 8, 2.5, 4.0),
     (4.2, 3, 4.0, 4.0), (2.0, 38, 10.0, 0.5), (-5.0, 19, 20.0, 2.0)],
)  # fmt: skip
def test_closed_form_matches_numerical_integration_of_the_mixture(t, nu, n, g):
    assert mixture_bayes_factor(t, nu, n, g) == pytest.approx(
        reference_bayes_factor(t, nu, n, g), rel=1e-5
    )


@pytest.mark.parametrize(("nu", "n"), [(6, 2.0), (18, 5.0), (38, 10.0), (4, 5.0)])
@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.1])
def test_the_threshold_is_where_the_evidence_reaches_one_over_alpha(nu, n, alpha):
    threshold = t_threshold(alpha, nu, n)
    assert mixture_bayes_factor(threshold, nu, n) == pytest.approx(1.0 / alpha, rel=1e-9)


@pytest.mark.parametrize(("nu", "n", "g"), [(2, 1.0, 4.0), (4, 1.5, 2.0), (1, 2.0, 4.0)])
def test_too_few_runs_can_never_reach_the_threshold(nu, n, g):
    assert (1.0 + n * g) ** (nu / 2.0) <= 20.0  # the e-value's supremum as |t| grows
    assert t_threshold(0.05, nu, n, g) == math.inf


def sample(n: int, mean: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [rng.gauss(mean, 1.0) for _ in range(n)]


@pytest.mark.parametrize(("n_t", "n_b"), [(4, 4), (5, 9), (20, 20)])
def test_two_sample_interval_ends_where_the_test_of_that_difference_starts_to_reject(n_t, n_b):
    t, b = sample(n_t, 1.0, n_t), sample(n_b, 0.0, 100 + n_b)
    s = two_sample_sequence(t, b)
    pooled = stats.ttest_ind(t, b, equal_var=True)  # scipy's pooled t statistic at difference 0
    nu, n = n_t + n_b - 2, n_t * n_b / (n_t + n_b)
    assert s.e_value == pytest.approx(
        reference_bayes_factor(pooled.statistic, nu, n, DEFAULT_G), rel=1e-5
    )
    assert s.p_value == pytest.approx(min(1.0, 1.0 / s.e_value))
    for end in (s.low, s.high):
        shifted = stats.ttest_ind([x - end for x in t], b, equal_var=True).statistic
        assert mixture_bayes_factor(shifted, nu, n) == pytest.approx(20.0, rel=1e-6)


def test_one_sample_interval_is_the_same_construction_on_differences():
    d = sample(8, 0.8, 7)
    s = one_sample_sequence(d, confidence=0.9)
    for end in (s.low, s.high):
        t = stats.ttest_1samp(d, end).statistic
        assert mixture_bayes_factor(t, 7, 8.0) == pytest.approx(10.0, rel=1e-6)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: two_sample_sequence([1.0], [1.0, 2.0]), "need at least 2 values a side"),
    (lambda: one_sample_sequence([1.0]), "need at least 2 differences"),
    (lambda: t_threshold(1.5, 3, 2.0), "alpha must be strictly between 0 and 1"),
    (lambda: mixture_bayes_factor(1.0, 0, 2.0), "nu, n and g must be positive"),
])  # fmt: skip
def test_bad_calls_say_what_is_wrong(call, message):
    with pytest.raises(ValueError, match=message):
        call()
