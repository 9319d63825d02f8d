"""The statistics of verdicts (DESIGN §5): metric summaries, effects, intervals and labels.

Pure functions over plain records, standard library only, so the notebook, the CLI and the server
all compute the same verdict from the same evidence. Conventions:

- `effect` and its interval are signed so that positive means "in the expected direction":
  mean(treatment) - mean(baseline) for `expect="increase"`, the negation for `"decrease"`.
- With n >= 2 runs a side: supported iff ci_low > min_effect; refuted iff ci_high < 0 (the interval
  lies strictly on the wrong side of zero); otherwise inconclusive. Both bounds are strict, so an
  interval that touches zero, or a collapsed interval at exactly zero, is inconclusive.
- With one run on a side (and >= 1 on both): the same rules on the raw difference, flagged `weak`.
- Only `finished` runs with a finite summary count; every other run is listed in `ignored`.
"""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from .student_t import t_quantile

__all__ = [
    "BADGE_COLOURS",
    "Evidence",
    "RepeatSummary",
    "Verdict",
    "badge",
    "compute_verdict",
    "group_repeats",
    "summarize_metric",
    "t_quantile",
]

SUMMARIES = ("last", "best", "mean")
GOALS = ("max", "min")
EXPECTS = ("increase", "decrease")
METHODS = ("welch", "bootstrap")
BADGE_COLOURS = dict(supported="green", refuted="red", inconclusive="amber", untested="grey")


def _is_missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


def summarize_metric(
    values_by_step: Mapping[int, float | None] | Iterable[tuple[int, float | None]],
    summary: str = "last",
    goal: str = "max",
) -> float | None:
    """A run's summary of one metric: `last` (value at the largest step), `best` or `mean`.

    NaN and None points are ignored; None when no point is left.

    >>> summarize_metric({0: 0.5, 1: 0.7, 2: float("nan")}, "last")
    0.7
    """
    if summary not in SUMMARIES:
        raise ValueError(f"summary must be one of {', '.join(SUMMARIES)}, not {summary!r}")
    if goal not in GOALS:
        raise ValueError(f"goal must be 'max' or 'min', not {goal!r}")
    pairs = values_by_step.items() if isinstance(values_by_step, Mapping) else values_by_step
    points = [(step, float(value)) for step, value in pairs if not _is_missing(value)]
    if not points:
        return None
    if summary == "last":  # on a repeated step, the later point wins
        return max(enumerate(points), key=lambda item: (item[1][0], item[0]))[1][1]
    values = [value for _, value in points]
    if summary == "best":
        return max(values) if goal == "max" else min(values)
    return statistics.fmean(values)


# --- Records -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """One run's summary of the hypothesis's metric. `value` is None when the run has no point."""

    run: int
    status: str
    value: float | None


@dataclass(frozen=True)
class Verdict:
    """A verdict with the numbers behind it; `effect`, `ci_low`, `ci_high` are signed so that > 0
    means "in the expected direction", and are None when there is nothing to compute them from.

    >>> compute_verdict([Evidence(1, "finished", 0.9)], [], expect="increase").label
    'untested'
    """

    label: str  # supported | refuted | inconclusive | untested
    weak: bool
    effect: float | None
    ci_low: float | None
    ci_high: float | None
    n_treatment: int
    n_baseline: int
    treatment_runs: tuple[int, ...]
    baseline_runs: tuple[int, ...]
    ignored: tuple[tuple[int, str], ...]  # (run, why), in input order: treatment first
    method: str  # welch | bootstrap | difference (weak) | none (untested)
    confidence: float
    min_effect: float
    expect: str
    reason: str
    metric: str = ""
    seed: int | None = None  # the bootstrap's seed; None for the other methods

    @property
    def notes(self) -> tuple[str, ...]:
        """One note per reason runs were ignored, e.g. "2 runs ignored: NaN metric"."""
        return _notes(self.ignored)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (NaN and infinities become None), with `badge` and `notes` added."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, float) and not math.isfinite(value):
                data[key] = None
        data["treatment_runs"] = list(self.treatment_runs)
        data["baseline_runs"] = list(self.baseline_runs)
        data["ignored"] = [{"run": run, "reason": why} for run, why in self.ignored]
        data["badge"] = badge(self)
        data["notes"] = list(self.notes)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Verdict:
        """Rebuild a verdict from `to_dict()`'s output; unknown keys (`badge`, `notes`) are ignored."""
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["treatment_runs"] = tuple(values.get("treatment_runs", ()))
        values["baseline_runs"] = tuple(values.get("baseline_runs", ()))
        values["ignored"] = tuple((i["run"], i["reason"]) for i in values.get("ignored", ()))
        return cls(**values)


def badge(verdict: Verdict) -> str:
    """The short text of a verdict's badge; look its colour up in `BADGE_COLOURS[verdict.label]`.

    >>> badge(compute_verdict([Evidence(1, "finished", 2.0)], [Evidence(2, "finished", 1.0)],
    ...                       expect="increase"))
    'supported (weak)'
    """
    return f"{verdict.label} (weak)" if verdict.weak else verdict.label


# --- Verdicts ------------------------------------------------------------------------------------


def _notes(ignored: Iterable[tuple[int, str]]) -> tuple[str, ...]:
    counts = Counter(why for _, why in ignored)
    return tuple(f"{n} run{'s' if n != 1 else ''} ignored: {why}" for why, n in counts.items())


def _variance(values: list[float]) -> float:
    try:
        return statistics.variance(values)
    except OverflowError:  # finite values so far apart that their variance is not a float
        return math.inf


def _usable(evidence: Sequence[Evidence]) -> tuple[list[Evidence], list[tuple[int, str]]]:
    used: list[Evidence] = []
    ignored: list[tuple[int, str]] = []
    for item in evidence:
        if item.status != "finished":
            ignored.append((item.run, item.status or "unknown status"))
        elif item.value is None:
            ignored.append((item.run, "no value for the metric"))
        elif math.isnan(item.value):
            ignored.append((item.run, "NaN metric"))
        elif math.isinf(item.value):
            ignored.append((item.run, "infinite metric"))
        else:
            used.append(item)
    return used, ignored


def _welch_interval(
    treatment: list[float], baseline: list[float], effect: float, confidence: float
) -> tuple[float, float]:
    """Welch's t interval around `effect`; the same for either sign, since it is symmetric."""
    se_t = _variance(treatment) / len(treatment)
    se_b = _variance(baseline) / len(baseline)
    se_squared = se_t + se_b
    if se_squared == 0.0:  # identical values on both sides: no uncertainty left
        return effect, effect
    if not math.isfinite(se_squared):  # values near the float limits: nothing can be concluded
        return -math.inf, math.inf
    # Welch-Satterthwaite degrees of freedom, on scaled terms so that tiny variances cannot underflow
    scale = max(se_t, se_b)
    a, b = se_t / scale, se_b / scale
    df = (a + b) ** 2 / (a * a / (len(treatment) - 1) + b * b / (len(baseline) - 1))
    half_width = t_quantile(0.5 + confidence / 2.0, df) * math.sqrt(se_squared)
    return effect - half_width, effect + half_width


def _percentile(ordered: list[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default `linear` method)."""
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _bootstrap_interval(
    treatment: list[float], baseline: list[float], sign: float, confidence: float, seed: int, n: int
) -> tuple[float, float]:
    """A percentile bootstrap interval of the signed difference of means, reproducible by `seed`."""
    if len(set(treatment)) == 1 and len(set(baseline)) == 1:  # every resample is the sample itself
        effect = sign * (statistics.mean(treatment) - statistics.mean(baseline))
        return effect, effect
    rng = random.Random(seed)

    def resampled_mean(values: list[float]) -> float:  # divide first: the sum cannot overflow
        return sum(v / len(values) for v in rng.choices(values, k=len(values)))

    differences = sorted(
        sign * (resampled_mean(treatment) - resampled_mean(baseline)) for _ in range(n)
    )
    alpha = 1.0 - confidence
    return _percentile(differences, alpha / 2.0), _percentile(differences, 1.0 - alpha / 2.0)


def _number(x: float) -> str:
    """Three significant digits, without an exponent for ordinary magnitudes: 0.0421, 12.3, 1234."""
    if x == 0.0 or not math.isfinite(x):
        return f"{x:g}"
    if not 1e-4 <= abs(x) < 1e6:
        return f"{x:.3g}"
    decimals = max(0, 2 - math.floor(math.log10(abs(x))))
    text = f"{x:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _reason(v: Verdict) -> str:
    """One line of plain words: the label, the change as observed, the interval, why, and n."""
    if v.effect is None:
        sides = (("treatment", v.n_treatment), ("baseline", v.n_baseline))
        return f"untested: no usable {' or '.join(side for side, n in sides if not n)} runs"
    raw = v.effect if v.expect == "increase" else -v.effect  # mean(treatment) - mean(baseline)
    ci = ""
    if v.ci_low is not None and v.ci_high is not None:
        low, high = (v.ci_low, v.ci_high) if v.expect == "increase" else (-v.ci_high, -v.ci_low)
        low, high = (low, high) if raw >= 0 else (-high, -low)  # "fell by 0.03 (CI 0.01 to 0.05)"
        ci = f" ({v.confidence * 100:g}% CI {_number(low)} to {_number(high)})"
    moved = f"rose by {_number(raw)}" if raw > 0 else f"fell by {_number(-raw)}"
    moved = "did not change" if raw == 0 else moved
    what = f"mean {v.metric}" if v.metric else "the mean"
    floor = f"the minimum effect {_number(v.min_effect)}" if v.min_effect > 0 else "zero"
    if v.label == "supported":
        why = f"clearing {floor}"
    elif v.label == "refuted":
        why = f"the opposite of the expected {v.expect}"
    elif ci and v.ci_low is not None and v.ci_low <= 0.0:
        why = "the interval includes zero"
    else:
        why = f"not clearing {floor}"
    head = f"{v.label} (weak)" if v.weak else v.label
    tail = "; too few runs for an interval" if v.weak else ""
    return f"{head}: {what} {moved}{ci}, {why}, over {v.n_treatment} vs {v.n_baseline} runs{tail}"


def compute_verdict(
    treatment: Sequence[Evidence],
    baseline: Sequence[Evidence],
    *,
    expect: str,
    min_effect: float = 0.0,
    confidence: float = 0.95,
    seed: int = 0,
    method: str = "welch",
    metric: str = "",
    resamples: int = 4000,
) -> Verdict:
    """The verdict of a hypothesis from its treatment runs versus its baseline runs.

    >>> runs = lambda *vs: [Evidence(i, "finished", v) for i, v in enumerate(vs)]
    >>> compute_verdict(runs(0.91, 0.92, 0.93), runs(0.80, 0.81, 0.82), expect="increase").label
    'supported'
    """
    if expect not in EXPECTS:
        raise ValueError(f"expect must be 'increase' or 'decrease', not {expect!r}")
    if method not in METHODS:
        raise ValueError(f"method must be 'welch' or 'bootstrap', not {method!r}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), not {confidence!r}")
    if not (math.isfinite(min_effect) and min_effect >= 0):
        raise ValueError(f"min_effect must be a finite number >= 0, not {min_effect!r}")
    if resamples < 100:
        raise ValueError(f"resamples must be at least 100 (default 4000), not {resamples!r}")
    used_t, ignored_t = _usable(treatment)
    used_b, ignored_b = _usable(baseline)
    values_t = [float(e.value) for e in used_t]  # type: ignore[arg-type]  # _usable dropped None
    values_b = [float(e.value) for e in used_b]  # type: ignore[arg-type]
    label, weak, effect, interval, used_method = "untested", False, None, None, "none"
    if values_t and values_b:
        sign = 1.0 if expect == "increase" else -1.0
        # statistics.mean is correctly rounded: identical samples of different sizes have equal means
        effect = sign * (statistics.mean(values_t) - statistics.mean(values_b))
        weak = len(values_t) < 2 or len(values_b) < 2
        used_method = "difference" if weak else method
        if used_method == "welch":
            interval = _welch_interval(values_t, values_b, effect, confidence)
        elif used_method == "bootstrap":
            interval = _bootstrap_interval(values_t, values_b, sign, confidence, seed, resamples)
        low, high = interval or (effect, effect)
        label = "supported" if low > min_effect else "refuted" if high < 0 else "inconclusive"
    verdict = Verdict(
        label=label,
        weak=weak,
        effect=effect,
        ci_low=interval[0] if interval else None,
        ci_high=interval[1] if interval else None,
        n_treatment=len(values_t),
        n_baseline=len(values_b),
        treatment_runs=tuple(e.run for e in used_t),
        baseline_runs=tuple(e.run for e in used_b),
        ignored=tuple(ignored_t + ignored_b),
        method=used_method,
        confidence=confidence,
        min_effect=float(min_effect),
        expect=expect,
        reason="",
        metric=metric,
        seed=seed if used_method == "bootstrap" else None,
    )
    notes = "".join(f"; {note}" for note in verdict.notes)
    return replace(verdict, reason=_reason(verdict) + notes)


# --- Repeats -------------------------------------------------------------------------------------


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
            std=math.sqrt(_variance(values)) if len(values) >= 2 else None,
            n=len(values),
            ignored=missing.get(key, 0),
        )
        for key, values in groups.items()
    }
