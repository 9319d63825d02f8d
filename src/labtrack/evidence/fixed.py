"""Fixed-look intervals for a difference of means: Welch's t, the paired t, a percentile bootstrap.

Each is valid for one look at a number of runs planned in advance; looking again as runs arrive
and stopping at a favourable look breaks its promise (evidence/sequential.py does not). They are
what `compute_verdict(..., method="fixed")` and `method="bootstrap"` use. Standard library only.

>>> low, high, p = welch_interval([1.0, 1.2, 1.1], [0.5, 0.7, 0.6])
>>> round(low, 3), round(high, 3), p < 0.01
(0.273, 0.727, True)
"""

from __future__ import annotations

import math
import random
import statistics

from .student_t import t_quantile, t_upper_tail

__all__ = ["bootstrap_interval", "paired_interval", "sample_variance", "welch_interval"]


def sample_variance(values: list[float]) -> float:
    """The sample variance, infinite when finite values are too far apart for a float one."""
    try:
        return statistics.variance(values)
    except OverflowError:
        return math.inf


def t_interval(
    estimate: float, se: float, df: float, confidence: float
) -> tuple[float, float, float]:
    """estimate ± t-quantile·se and the two-sided p-value of estimate/se under Student's t.

    >>> [round(x, 3) for x in t_interval(1.0, 0.5, 10, 0.95)]
    [-0.114, 2.114, 0.073]
    """
    if not (math.isfinite(se) and se > 0.0):  # spread beyond a float's range: nothing concluded
        return -math.inf, math.inf, 1.0
    half_width = t_quantile(0.5 + confidence / 2.0, df) * se
    p_value = min(1.0, 2.0 * t_upper_tail(estimate / se, df))
    return estimate - half_width, estimate + half_width, p_value


def welch_interval(
    treatment: list[float], baseline: list[float], confidence: float = 0.95
) -> tuple[float, float, float]:
    """Welch's interval for mean(treatment) - mean(baseline) and its two-sided p-value."""
    se_t = sample_variance(treatment) / len(treatment)
    se_b = sample_variance(baseline) / len(baseline)
    estimate = statistics.mean(treatment) - statistics.mean(baseline)
    if not (math.isfinite(se_t + se_b) and se_t + se_b > 0.0):  # spread beyond a float's range
        return -math.inf, math.inf, 1.0
    # Welch-Satterthwaite degrees of freedom, on scaled terms so that tiny variances cannot underflow
    scale = max(se_t, se_b)
    a, b = se_t / scale, se_b / scale
    df = (a + b) ** 2 / (a * a / (len(treatment) - 1) + b * b / (len(baseline) - 1))
    return t_interval(estimate, math.sqrt(se_t + se_b), df, confidence)


def paired_interval(
    differences: list[float], confidence: float = 0.95
) -> tuple[float, float, float]:
    """The paired t interval for the mean of `differences` and its two-sided p-value.

    >>> [round(x, 3) for x in paired_interval([0.1, 0.2, 0.3])]
    [-0.048, 0.448, 0.074]
    """
    se = math.sqrt(sample_variance(differences) / len(differences))
    return t_interval(statistics.mean(differences), se, len(differences) - 1.0, confidence)


def _percentile(ordered: list[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default `linear` method)."""
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def bootstrap_interval(
    treatment: list[float], baseline: list[float], confidence: float, seed: int, n: int
) -> tuple[float, float]:
    """A percentile bootstrap interval of mean(treatment) - mean(baseline), reproducible by `seed`.

    >>> bootstrap_interval([1.0, 1.0], [0.5, 0.5], 0.95, seed=0, n=100)
    (0.5, 0.5)
    """
    rng = random.Random(seed)

    def resampled_mean(values: list[float]) -> float:  # divide first: the sum cannot overflow
        return sum(v / len(values) for v in rng.choices(values, k=len(values)))

    differences = sorted(resampled_mean(treatment) - resampled_mean(baseline) for _ in range(n))
    alpha = 1.0 - confidence
    return _percentile(differences, alpha / 2.0), _percentile(differences, 1.0 - alpha / 2.0)
