"""Hypotheses and metric definitions over a store: the evidence a verdict is computed from.

The statistics are pure (evidence/verdicts.py); this module reads what they need from the store.
`Lab` calls these functions; nothing else should.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..errors import LabtrackError
from ..evidence.comparability import Profile, compare_arms, drop_reruns, rerun_key
from ..evidence.verdicts import Evidence, Verdict, compute_verdict
from ..store.hypotheses import (
    HypothesisRecord,
    MetricDefinition,
    definitions,
    evidence_rows,
    get_hypothesis,
    linked_runs,
    pick_summary,
    run_profiles,
)
from .baselines import baseline_runs as _baseline_runs

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store

GOALS = ("max", "min")
SUMMARIES = ("last", "best", "mean")
EXPECTS = ("increase", "decrease")
ADJUSTMENTS = ("holm", "bh")  # multiplicity adjustments (evidence/multiplicity.py)


class HypothesisClosed(LabtrackError, ValueError):
    """A closed hypothesis takes no new runs."""


def parse_id(ref: int | str) -> int:
    """`3`, `'3'` or `'H3'` -> 3."""
    match = re.fullmatch(r"[Hh]?(\d+)", str(ref).strip())
    if not match:
        raise ValueError(f"a hypothesis is named by its id, like 3 or H3, not {ref!r}")
    return int(match.group(1))


def check_definition(goal: str, summary: str) -> None:
    """A ValueError that says how to fix a bad goal or summary."""
    if goal not in GOALS:
        raise ValueError(f"goal must be 'max' or 'min', not {goal!r}")
    if summary not in SUMMARIES:
        raise ValueError(f"summary must be one of {', '.join(SUMMARIES)}, not {summary!r}")


def check_hypothesis(statement: str, expect: str, min_effect: float) -> None:
    """A ValueError that says how to fix a bad statement, expectation or minimum effect."""
    if not statement or not statement.strip():
        raise ValueError("a hypothesis needs a statement, e.g. 'More trees raise accuracy'")
    if expect not in EXPECTS:
        raise ValueError(f"expect must be 'increase' or 'decrease', not {expect!r}")
    if min_effect < 0:
        raise ValueError(
            f"min_effect is a size and cannot be negative (got {min_effect}); the direction is `expect`"
        )


def _summary_value(row: tuple, summary: str, goal: str) -> float | None:
    _, _, last, lo, hi, mean, logged = row
    value = pick_summary(summary, goal, last, lo, hi, mean)
    return math.nan if value is None and logged else value


def summary_values(
    store: Store, numbers: list[int], definition: MetricDefinition
) -> dict[int, float | None]:
    """Each run's summary of `definition.name` per the definition (last, best or mean): NaN where only
    NaN was logged, None where the run lacks the metric.

    >>> summary_values(store, [3, 4], definitions(store, "Default")["acc"])
    {3: 0.91, 4: None}
    """
    return {
        row[0]: _summary_value(row, definition.summary, definition.goal)
        for row in evidence_rows(store, numbers, definition.name)
    }


def stated_definition(store: Store, record: HypothesisRecord) -> dict[str, str]:
    """The goal and summary the hypothesis was stated with (issue 14, item 7)."""
    if record.definition:
        return {"goal": record.definition["goal"], "summary": record.definition["summary"]}
    return current_definition(store, record)


def current_definition(store: Store, record: HypothesisRecord) -> dict[str, str]:
    """The goal and summary in force now for the hypothesis's metric (a default from `expect`)."""
    d = definitions(store, record.experiment).get(record.metric)
    if d is not None:
        return {"goal": d.goal, "summary": d.summary}
    return {"goal": "max" if record.expect == "increase" else "min", "summary": "last"}


def _seed(params: dict[str, Any]) -> Any:
    seed = params.get("seed")
    try:
        hash(seed)
    except TypeError:  # an odd seed (a list): no pairing on it
        return None
    return seed


def _evidence(
    store: Store, runs: list[int], record: HypothesisRecord, definition: dict[str, str],
    profiles: dict,
) -> list[Evidence]:  # fmt: skip
    goal, summary = definition["goal"], definition["summary"]
    return [
        Evidence(row[0], row[1], _summary_value(row, summary, goal), _seed(profiles[row[0]].params))
        for row in evidence_rows(store, runs, record.metric)
    ]


def baseline_runs(store: Store, record: HypothesisRecord, treatment: list[int]) -> list[int]:
    """The baseline: named runs, the runs a filter matched when stated, or the repeat group of the
    best earlier configuration (client/baselines.py)."""
    return _baseline(store, record, treatment)[0]


def _baseline(
    store: Store, record: HypothesisRecord, treatment: list[int]
) -> tuple[list[int], str | None]:
    definition = stated_definition(store, record)

    def score(runs: list[int]) -> dict[int, float | None]:
        rows = evidence_rows(store, runs, record.metric)
        return {
            row[0]: _summary_value(row, definition["summary"], definition["goal"]) for row in rows
        }

    return _baseline_runs(store, record, treatment, score, definition["goal"])


def _definition_note(store: Store, record: HypothesisRecord) -> list[str]:
    stated, now = stated_definition(store, record), current_definition(store, record)
    if stated == now:
        return []
    return [
        f"the metric definition changed since the hypothesis was stated (then: {stated['summary']},"
        f" goal {stated['goal']}; now: {now['summary']}, goal {now['goal']}); the verdict keeps the stated one"
    ]


def verdict_of(store: Store, record: HypothesisRecord, method: str = "sequential") -> Verdict:
    """The verdict of `record` in `store` (frozen if it is closed): exact re-runs counted once,
    paired by seed when the arms share seeds, with comparability notes and confound warnings."""
    if record.status == "closed" and record.verdict:
        return Verdict.from_dict(record.verdict)
    treatment = linked_runs(store, record.id, "treatment")
    baseline, remark = _baseline(store, record, treatment)
    profiles = run_profiles(store, treatment + baseline)
    definition = stated_definition(store, record)
    keys = {r: rerun_key(p.code, p.params, p.datasets) for r, p in profiles.items()}
    arm_t, reruns_t = drop_reruns(_evidence(store, treatment, record, definition, profiles), keys)
    arm_b, reruns_b = drop_reruns(_evidence(store, baseline, record, definition, profiles), keys)
    draft = compute_verdict(
        arm_t, arm_b, expect=record.expect, min_effect=record.min_effect, metric=record.metric,
        method=method, reruns=reruns_t + reruns_b, remarks=[remark] if remark else [],
    )  # fmt: skip
    as_profile = lambda r: Profile(r, profiles[r].params, profiles[r].code, profiles[r].datasets,  # noqa: E731
                                   profiles[r].packages)  # fmt: skip
    notes, confounds = compare_arms(
        [as_profile(r) for r in draft.treatment_runs],
        [as_profile(r) for r in draft.baseline_runs],
        record.change,
        _definition_note(store, record),
    )
    return replace(draft, comparability=notes, confounds=confounds)  # not part of the reason


def comparison_context(
    store: Store, frame: pd.DataFrame
) -> tuple[dict, list[dict], dict[int, str]]:
    """What a comparison of these runs needs besides the frames: metric definitions (by the runs'
    experiments, first wins), the hypotheses they test with verdicts, and each run's cell code."""
    from ..present.records import hypothesis_brief

    merged: dict[str, dict[str, Any]] = {}
    for experiment in dict.fromkeys(frame["experiment"]):
        for name, d in definitions(store, experiment).items():
            merged.setdefault(name, {"goal": d.goal, "target": d.target, "summary": d.summary})
    ids = sorted({int(h) for h in frame["hypothesis_id"].dropna()})
    found = []
    for hid in ids:
        record = get_hypothesis(store, hid)
        found.append(hypothesis_brief(record, verdict_of(store, record)))
    code = store.run_code([int(n) for n in frame["number"]])
    return merged, found, code


def add_target_columns(store: Store, frame: pd.DataFrame) -> pd.DataFrame:
    """`target.M` columns (True / False / None) for metrics whose definition has a target: does the
    run's summary (per the definition) reach it?"""
    if frame.empty:
        return frame
    for experiment in dict.fromkeys(frame["experiment"]):
        for name, d in definitions(store, experiment).items():
            if d.target is None:
                continue
            column = f"target.{name}"
            if column not in frame.columns:
                frame[column] = None
            inside = frame["experiment"] == experiment
            numbers = [int(n) for n in frame.loc[inside, "number"]]
            met: dict[int, bool] = {}
            for number, value in summary_values(store, numbers, d).items():
                if value is not None and value == value:
                    met[number] = bool(value >= d.target if d.goal == "max" else value <= d.target)
            frame.loc[inside, column] = [met.get(n) for n in numbers]
    return frame


@dataclass(frozen=True)
class Adjusted:
    """A hypothesis's p-value among the hypotheses its experiment has tested (issue 14, item 6)."""

    tested: int  # hypotheses of the experiment with a p-value (not untested)
    method: str  # holm | bh
    p_value: float | None
    p_adjusted: float | None
    note: str | None  # set when the verdict is supported only before adjustment

    def to_dict(self) -> dict[str, Any]:
        return {"tested": self.tested, "method": self.method, "p_value": self.p_value,
                "p_adjusted": self.p_adjusted, "note": self.note}  # fmt: skip


def adjust_family(
    pairs: list[tuple[HypothesisRecord, Verdict]], method: str = "holm"
) -> dict[int, Adjusted]:
    """Each hypothesis's p-value adjusted over the hypotheses its experiment has tested (Holm, or
    Benjamini–Hochberg with `method="bh"`), by hypothesis id.

    >>> adjust_family([(record, verdict)])[record.id].tested
    1
    """
    from ..evidence.multiplicity import adjust

    if method not in ADJUSTMENTS:
        raise ValueError(f"adjust must be 'holm' or 'bh', not {method!r}")
    families: dict[str | None, list[tuple[HypothesisRecord, Verdict]]] = {}
    for record, verdict in pairs:
        families.setdefault(record.experiment, []).append((record, verdict))
    name = "Holm" if method == "holm" else "Benjamini-Hochberg"
    out: dict[int, Adjusted] = {}
    for members in families.values():
        p_values = [  # a NaN p-value (odd stored data) counts as no test, never as an error
            min(1.0, max(0.0, v.p_value))
            if v.p_value is not None and v.p_value == v.p_value
            else None
            for _, v in members
        ]
        adjusted = adjust(p_values, method)
        tested = sum(p is not None for p in p_values)
        for (record, verdict), p, q in zip(members, p_values, adjusted):
            note = None
            if verdict.label == "supported" and q is not None and q > 1 - verdict.confidence:
                note = (f"supported only before adjustment: {name}-adjusted p = {q:.3g} over the"
                        f" {tested} hypotheses this experiment has tested")  # fmt: skip
            out[record.id] = Adjusted(tested, method, p, q, note)
    return out
