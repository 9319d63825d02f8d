"""The statistics of verdicts (DESIGN §5, issue 14): metric summaries, effects, intervals and labels.

Pure functions over plain records, standard library only, so the notebook, the CLI and the server
all compute the same verdict from the same evidence. Conventions:

- `effect` = mean(treatment) - mean(baseline) in the metric's own units, whatever the expected
  direction; the reason says "rose" or "fell", and the label says whether that matched `expect`.
- The interval is by default a confidence sequence (evidence/sequential.py): valid however often
  the verdict is looked at and whenever runs stop being added. `method="fixed"` gives Welch's
  interval, valid for one pre-planned look only (and says so); `"bootstrap"` a percentile bootstrap.
- Labels, with the interval (low, high) read in the expected direction:
  negligible iff it lies wholly inside (-min_effect, +min_effect) (never when min_effect is 0: no
  interval of positive width fits in an empty range); else supported iff low > min_effect;
  refuted iff high < 0; else inconclusive. All bounds are strict.
- untested: fewer than 2 usable runs on a side (one run a side is an anecdote: its raw difference
  is given, never a green or red label), or no spread on both sides.
- When runs carry a `seed` and both arms share at least 2 seeds, the paired differences are
  analysed instead (not by the bootstrap), and runs without a partner are ignored with a note.
- Only `finished` runs with a finite summary count; every other run is listed in `ignored`.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from .fixed import bootstrap_interval, paired_interval, welch_interval
from .pairing import differences_vary, pair_by_seed
from .repeats import RepeatSummary, group_repeats
from .sequential import DEFAULT_G, one_sample_sequence, two_sample_sequence
from .student_t import t_quantile
from .text import number as _number

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
METHODS = ("sequential", "fixed", "bootstrap")
BADGE_COLOURS = dict(
    supported="green", refuted="red", negligible="blue", inconclusive="amber", untested="grey"
)
NO_SPREAD = "the repeats vary nothing, so they carry no evidence of noise"
ONE_LOOK = "the interval is valid for one pre-planned look only (method={method})"


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
    """One run's summary of the hypothesis's metric. `value` is None when the run has no point;
    `seed` (optional) pairs runs of the two arms that share it."""

    run: int
    status: str
    value: float | None
    seed: Hashable | None = None


@dataclass(frozen=True)
class Verdict:
    """A verdict with the numbers behind it. `effect` is mean(treatment) - mean(baseline) in the
    metric's units and `ci_low`/`ci_high` bound it; None when there is nothing to compute them from.

    >>> compute_verdict([Evidence(1, "finished", 0.9)], [], expect="increase").label
    'untested'
    """

    label: str  # supported | refuted | negligible | inconclusive | untested
    weak: bool  # the effect is a bare difference with no interval (an anecdote)
    effect: float | None
    ci_low: float | None
    ci_high: float | None
    n_treatment: int
    n_baseline: int
    treatment_runs: tuple[int, ...]
    baseline_runs: tuple[int, ...]
    ignored: tuple[tuple[int, str], ...]  # (run, why), in input order: treatment first
    method: str  # sequential | fixed | bootstrap | difference (anecdote) | none (untested)
    confidence: float
    min_effect: float
    expect: str
    reason: str
    metric: str = ""
    seed: int | None = None  # the bootstrap's seed; None for the other methods
    p_value: float | None = None  # for "no change"; anytime-valid when `anytime`
    anytime: bool = False  # False for fixed-look methods and for verdicts stored before issue 14
    pairs: int = 0  # paired differences analysed (by seed); 0 when unpaired
    remarks: tuple[str, ...] = ()  # notes beyond ignored runs, e.g. "paired by seed: 5 pairs"
    reruns: tuple[tuple[int, int], ...] = ()  # (older run, the newer run it repeats), counted once
    comparability: tuple[str, ...] = ()  # how the arms differ besides the change under test
    confounds: tuple[str, ...] = ()  # differences that may explain the effect instead (warnings)

    @property
    def notes(self) -> tuple[str, ...]:
        """One note per reason runs were ignored ("2 runs ignored: NaN metric"), then the remarks."""
        return _notes(self.ignored) + self.remarks

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (NaN and infinities become None), with `badge` and `notes` added."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, float) and not math.isfinite(value):
                data[key] = None
        data["treatment_runs"] = list(self.treatment_runs)
        data["baseline_runs"] = list(self.baseline_runs)
        data["ignored"] = [{"run": run, "reason": why} for run, why in self.ignored]
        data["remarks"] = list(self.remarks)
        data["reruns"] = [{"run": old, "rerun_as": new} for old, new in self.reruns]
        data["comparability"] = list(self.comparability)
        data["confounds"] = list(self.confounds)
        data["badge"] = badge(self)
        data["notes"] = list(self.notes)
        data["sign"] = "treatment - baseline"  # absent from older dicts, signed by `expect`
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Verdict:
        """Rebuild a verdict from `to_dict()`'s output, or from a dict stored before issue 14."""
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["treatment_runs"] = tuple(values.get("treatment_runs", ()))
        values["baseline_runs"] = tuple(values.get("baseline_runs", ()))
        values["ignored"] = tuple((i["run"], i["reason"]) for i in values.get("ignored", ()))
        values["remarks"] = tuple(values.get("remarks", ()))
        values["reruns"] = tuple((r["run"], r["rerun_as"]) for r in values.get("reruns", ()))
        values["comparability"] = tuple(values.get("comparability", ()))
        values["confounds"] = tuple(values.get("confounds", ()))
        if (
            values.get("effect") is not None
            and not values.get("weak")
            and values.get("ci_low") is None
        ):
            values["ci_low"], values["ci_high"] = (
                -math.inf,
                math.inf,
            )  # JSON's None for an unbounded one
        if "sign" not in data and values.get("expect") == "decrease":  # old: positive meant "fell"
            flip = lambda x: None if x is None else -x  # noqa: E731
            values["effect"] = flip(values.get("effect"))
            values["ci_low"], values["ci_high"] = (
                flip(values.get("ci_high")),
                flip(values.get("ci_low")),
            )
        return cls(**values)


def badge(verdict: Verdict) -> str:
    """The short text of a verdict's badge; look its colour up in `BADGE_COLOURS[verdict.label]`.

    >>> badge(compute_verdict([Evidence(1, "finished", 2.0)], [Evidence(2, "finished", 1.0)],
    ...                       expect="increase"))
    'untested (anecdote)'
    """
    if verdict.weak:  # "supported (weak)" only comes from verdicts stored before issue 14
        if verdict.label != "untested":
            return f"{verdict.label} (weak)"
        return f"untested ({'anecdote' if min(verdict.n_treatment, verdict.n_baseline) < 2 else 'no spread'})"
    if verdict.label != "untested" and not verdict.anytime:
        return f"{verdict.label} (one look)"
    return verdict.label


# --- Verdicts ------------------------------------------------------------------------------------


def _notes(ignored: Iterable[tuple[int, str]]) -> tuple[str, ...]:
    counts = Counter(why for _, why in ignored)
    return tuple(f"{n} run{'s' if n != 1 else ''} ignored: {why}" for why, n in counts.items())


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


def _reason(v: Verdict) -> str:
    """One line of plain words: the label, the change as observed, the interval, why, and n."""
    if v.effect is None:
        sides = (("treatment", v.n_treatment), ("baseline", v.n_baseline))
        return f"untested: no usable {' or '.join(side for side, n in sides if not n)} runs"
    moved = f"rose by {_number(v.effect)}" if v.effect > 0 else f"fell by {_number(-v.effect)}"
    moved = f"{'mean ' + v.metric if v.metric else 'the mean'} {'did not change' if v.effect == 0 else moved}"
    over = f"over {v.pairs} pairs" if v.pairs else f"over {v.n_treatment} vs {v.n_baseline} runs"
    if v.label == "untested":
        if v.weak and min(v.n_treatment, v.n_baseline) < 2:
            return f"untested: {moved} {over}, an anecdote: it takes 2 runs a side to tell a change from noise"
        return f"untested: {moved} {over}, but {NO_SPREAD}"
    low, high = v.ci_low, v.ci_high
    bounded = low is not None and high is not None and math.isfinite(low) and math.isfinite(high)
    kind = "anytime " if v.anytime else ""
    ci = f"{kind}{v.confidence * 100:g}% CI " + (
        f"{_number(low)} to {_number(high)}" if bounded else "unbounded"
    )  # type: ignore[arg-type]
    floor = f"the minimum effect {_number(v.min_effect)}" if v.min_effect > 0 else "zero"
    if v.label == "supported":
        why = f"the expected {v.expect}, clearing {floor}"
    elif v.label == "refuted":
        why = f"the opposite of the expected {v.expect}"
    elif v.label == "negligible":
        why = f"within ±{_number(v.min_effect)}: no meaningful effect"
    elif not bounded:
        why = "too few runs to bound the change yet"
    elif low is not None and high is not None and low <= 0.0 <= high:
        why = "the interval includes zero"
    else:
        why = f"not clearing {floor}"
    p = f", p = {_number(v.p_value)}" if v.p_value is not None else ""
    return f"{v.label}: {moved} ({ci}{p}), {why}, {over}"


def _label(low: float, high: float, expect: str, min_effect: float) -> str:
    """The label of an interval of treatment - baseline (see the module docstring)."""
    if min_effect > 0 and -min_effect < low and high < min_effect:
        return "negligible"
    low, high = (low, high) if expect == "increase" else (-high, -low)
    return "supported" if low > min_effect else "refuted" if high < 0 else "inconclusive"


def _interval(
    method: str, differences: list[float], treatment: list[float], baseline: list[float],
    confidence: float, prior_scale: float, seed: int, resamples: int,
) -> tuple[tuple[float, float], float | None]:  # fmt: skip
    """The interval of treatment - baseline by `method` (paired when `differences`), and its p-value."""
    if method == "bootstrap":
        return bootstrap_interval(treatment, baseline, confidence, seed, resamples), None
    if method == "fixed":
        low, high, p_value = (paired_interval(differences, confidence) if differences
                              else welch_interval(treatment, baseline, confidence))  # fmt: skip
        return (low, high), p_value
    try:
        s = (one_sample_sequence(differences, confidence, prior_scale) if differences
             else two_sample_sequence(treatment, baseline, confidence, prior_scale))  # fmt: skip
    except OverflowError:  # values near the float limits: nothing can be concluded
        return (-math.inf, math.inf), 1.0
    return (s.low, s.high), s.p_value


def compute_verdict(
    treatment: Sequence[Evidence],
    baseline: Sequence[Evidence],
    *,
    expect: str,
    min_effect: float = 0.0,
    confidence: float = 0.95,
    seed: int = 0,
    method: str = "sequential",
    metric: str = "",
    resamples: int = 4000,
    prior_scale: float = DEFAULT_G,
    reruns: Sequence[tuple[int, int]] = (),
    remarks: Sequence[str] = (),
    comparability: Sequence[str] = (),
    confounds: Sequence[str] = (),
) -> Verdict:
    """The verdict of a hypothesis from its treatment runs versus its baseline runs. The caller
    passes what it learnt about the runs: exact `reruns` it left out (older, newer), `remarks`,
    `comparability` notes and `confound` warnings (evidence/comparability.py).

    >>> runs = lambda *vs: [Evidence(i, "finished", v) for i, v in enumerate(vs)]
    >>> compute_verdict(runs(0.91, 0.92, 0.93, 0.92), runs(0.80, 0.81, 0.82, 0.81),
    ...                 expect="increase").label
    'supported'
    """
    if expect not in EXPECTS:
        raise ValueError(f"expect must be 'increase' or 'decrease', not {expect!r}")
    if method not in METHODS:
        raise ValueError(f"method must be 'sequential', 'fixed' or 'bootstrap', not {method!r}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), not {confidence!r}")
    if not (math.isfinite(min_effect) and min_effect >= 0):
        raise ValueError(f"min_effect must be a finite number >= 0, not {min_effect!r}")
    if resamples < 100:
        raise ValueError(f"resamples must be at least 100 (default 4000), not {resamples!r}")
    used_t, ignored_t = _usable(treatment)
    used_b, ignored_b = _usable(baseline)
    ignored, remarks = ignored_t + ignored_b, list(remarks)
    if reruns:
        listed = ", ".join(f"#{old} (re-run as #{new})" for old, new in reruns)
        remarks.append(
            f"{len(reruns)} exact re-run{'s' if len(reruns) != 1 else ''} counted once, the newest: {listed}"
        )
    pairs = pair_by_seed(used_t, used_b) if method != "bootstrap" else None
    differences: list[float] = []
    if pairs is not None:
        differences = [t.value - b.value for t, b in zip(pairs[0], pairs[1])]  # type: ignore[operator]
        if differences_vary(differences, [e.value for e in pairs[0] + pairs[1]]):  # type: ignore[misc]
            used_t, used_b, ignored = pairs[0], pairs[1], ignored + pairs[2]
            remarks.append(f"paired by seed: {len(differences)} pairs")
        else:
            differences = []
            remarks.append("the paired differences do not vary, so the arms were compared unpaired")
    values_t = [float(e.value) for e in used_t]  # type: ignore[arg-type]  # _usable dropped None
    values_b = [float(e.value) for e in used_b]  # type: ignore[arg-type]
    label, weak, used_method = "untested", False, "none"
    effect: float | None = None
    interval: tuple[float, float] | None = None
    p_value: float | None = None
    if values_t and values_b:
        if differences:
            effect = statistics.mean(differences)
        else:  # statistics.mean is correctly rounded: equal samples of different sizes, equal means
            effect = statistics.mean(values_t) - statistics.mean(values_b)
        no_spread = len(set(values_t)) == len(set(values_b)) == 1
        weak = min(len(values_t), len(values_b)) < 2 or no_spread
        used_method = "difference" if weak else method
    if used_method not in ("none", "difference"):
        interval, p_value = _interval(
            used_method, differences, values_t, values_b, confidence, prior_scale, seed, resamples
        )
    if interval is not None:
        label = _label(interval[0], interval[1], expect, min_effect)
    if used_method in ("fixed", "bootstrap"):
        remarks.append(ONE_LOOK.format(method=used_method))
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
        ignored=tuple(ignored),
        method=used_method,
        confidence=confidence,
        min_effect=float(min_effect),
        expect=expect,
        reason="",
        metric=metric,
        seed=seed if used_method == "bootstrap" else None,
        p_value=p_value,
        anytime=used_method == "sequential",
        pairs=len(differences),
        remarks=tuple(remarks),
        reruns=tuple(reruns),
        comparability=tuple(comparability),
        confounds=tuple(confounds),
    )
    notes = "".join(f"; {note}" for note in verdict.notes)
    return replace(verdict, reason=_reason(verdict) + notes)
