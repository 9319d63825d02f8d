"""Multiplicity-adjusted p-values for the hypotheses of one experiment (issue 14, item 6).

Testing 20 null hypotheses at 5 % each finds at least one "supported" far more often than 5 %.
Adjusted p-values say what each p-value is worth given how many were tested:

- Holm (1979), "A simple sequentially rejective multiple test procedure", Scand. J. Statist. 6:
  controls the family-wise error (the chance of any false "supported"); the default.
- Benjamini & Hochberg (1995), "Controlling the false discovery rate", JRSS B 57(1): controls the
  expected share of false discoveries; more power, weaker promise.

Both are valid for anytime-valid p-values too (Holm needs no dependence assumption; BH assumes
independent or positively dependent tests). `None` entries (untested hypotheses) stay None and
do not count as tests.

>>> adjust([0.01, 0.04, 0.03])
[0.03, 0.06, 0.06]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["ADJUSTMENTS", "adjust", "benjamini_hochberg", "holm"]

ADJUSTMENTS = ("holm", "bh")


def _check(p_values: Sequence[float]) -> None:
    for p in p_values:
        if not (isinstance(p, (int, float)) and 0.0 <= p <= 1.0) or math.isnan(p):
            raise ValueError(f"p-values must be numbers between 0 and 1, not {p!r}")


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the input order.

    >>> holm([0.01, 0.02, 0.04])
    [0.03, 0.04, 0.04]
    """
    _check(p_values)
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):  # the k-th smallest times (m - k + 1), made monotone
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg step-up adjusted p-values (q-values), in the input order.

    >>> benjamini_hochberg([0.01, 0.02, 0.04])
    [0.03, 0.03, 0.04]
    """
    _check(p_values)
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i], reverse=True)
    adjusted = [0.0] * m
    running = 1.0
    for position, i in enumerate(order):  # from the largest down: p·m/rank, made monotone
        rank = m - position
        running = min(running, p_values[i] * m / rank)
        adjusted[i] = min(1.0, running)
    return adjusted


def adjust(p_values: Sequence[float | None], method: str = "holm") -> list[float | None]:
    """Adjusted p-values by `method` ("holm" or "bh"); None (untested) entries stay None.

    >>> adjust([0.01, None, 0.04], "bh")
    [0.02, None, 0.04]
    """
    if method not in ADJUSTMENTS:
        raise ValueError(f"method must be 'holm' or 'bh', not {method!r}")
    tested = [(i, p) for i, p in enumerate(p_values) if p is not None]
    compute = holm if method == "holm" else benjamini_hochberg
    result: list[float | None] = [None] * len(p_values)
    for (i, _), q in zip(tested, compute([p for _, p in tested]), strict=True):
        result[i] = q
    return result
