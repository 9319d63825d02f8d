"""Student's t quantile from the regularized incomplete beta function (standard library only).

scipy is not a runtime dependency; tests compare this with `scipy.stats.t.ppf`.
"""

from __future__ import annotations

import math
import statistics


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Lentz's evaluation of the continued fraction for I_x(a, b) (Numerical Recipes §6.4)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 100_000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= d * c
        if abs(d * c - 1.0) < 1e-16:
            break
    return result


def _betainc(a: float, b: float, x: float, one_minus_x: float) -> float:
    """I_x(a, b); `one_minus_x` is passed separately so that 1 - x loses no precision."""
    if x <= 0.0:
        return 0.0
    if one_minus_x <= 0.0:
        return 1.0
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    log_front = a * math.log(x) + b * math.log(one_minus_x) - log_beta
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, one_minus_x) / b


def _t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for t >= 0 under Student's t with `df` degrees of freedom."""
    square = t * t
    return 0.5 * _betainc(df / 2.0, 0.5, df / (df + square), square / (df + square))


def t_quantile(p: float, df: float) -> float:
    """The `p` quantile of Student's t with `df` degrees of freedom (> 0, may be fractional).

    >>> round(t_quantile(0.975, 10), 6)
    2.228139
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be strictly between 0 and 1, not {p!r}")
    if not df > 0:
        raise ValueError(f"df must be positive, not {df!r}")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if math.isinf(df) or df > 1e7:  # the continued fraction slows down; the normal is exact enough
        return statistics.NormalDist().inv_cdf(p)
    target = 1.0 - p
    low, high = 0.0, 2.0
    while _t_upper_tail(high, df) > target:
        low, high = high, high * 2.0
    for _ in range(200):  # bisection: the tail is monotone, so this cannot fail to converge
        middle = (low + high) / 2.0
        if middle in (low, high):
            break
        if _t_upper_tail(middle, df) > target:
            low = middle
        else:
            high = middle
    return (low + high) / 2.0


def t_upper_tail(t: float, df: float) -> float:
    """P(T > |t|) under Student's t with `df` degrees of freedom (half a two-sided p-value).

    >>> round(2 * t_upper_tail(2.228139, 10), 4)
    0.05
    """
    if not df > 0:
        raise ValueError(f"df must be positive, not {df!r}")
    if math.isinf(t):
        return 0.0
    if math.isinf(df) or df > 1e7:
        return 1.0 - statistics.NormalDist().cdf(abs(t))
    return _t_upper_tail(abs(t), df)
