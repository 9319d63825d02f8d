"""Groups of repeats (one configuration over seeds): mean, spread and n per group."""

from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from .fixed import sample_variance
from .text import number as _number

__all__ = ["RepeatSummary", "group_repeats"]


def _is_missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


@dataclass(frozen=True)
class RepeatSummary:
    """Mean ± sample standard deviation of one group of repeats (e.g. one config over seeds)."""

    mean: float | None
    std: float | None  # None with fewer than two values
    n: int
    ignored: int = 0  # NaN or None values left out

    def __str__(self) -> str:
        if self.mean is None:
            return f"— (n=0, {self.ignored} ignored)"
        spread = f" ± {_number(self.std)}" if self.std is not None else ""
        return f"{_number(self.mean)}{spread} (n={self.n})"


def group_repeats(rows: Iterable[tuple[Hashable, float | None]]) -> dict[Hashable, RepeatSummary]:
    """Summaries per group key, in order of first appearance; NaN and None values are ignored.

    >>> str(group_repeats([("a", 1.0), ("a", 3.0), ("b", 2.0)])["a"])
    '2 ± 1.41 (n=2)'
    """
    groups: dict[Hashable, list[float]] = {}
    missing: dict[Hashable, int] = {}
    for key, value in rows:
        groups.setdefault(key, [])
        if _is_missing(value):
            missing[key] = missing.get(key, 0) + 1
        else:
            groups[key].append(float(value))  # type: ignore[arg-type]  # None was filtered out
    return {
        key: RepeatSummary(
            mean=statistics.fmean(values) if values else None,
            std=math.sqrt(sample_variance(values)) if len(values) >= 2 else None,
            n=len(values),
            ignored=missing.get(key, 0),
        )
        for key, values in groups.items()
    }
