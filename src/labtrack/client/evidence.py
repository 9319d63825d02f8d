"""Hypotheses and metric definitions over a store: the evidence a verdict is computed from.

The statistics are pure (evidence/verdicts.py); this module reads what they need from the store.
`Lab` calls these functions; nothing else should.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from ..errors import LabtrackError
from ..evidence.verdicts import Evidence, Verdict, compute_verdict
from ..store.hypotheses import (
    HypothesisRecord,
    MetricDefinition,
    definitions,
    evidence_rows,
    filtered_run_ids,
    get_hypothesis,
    linked_runs,
    pick_summary,
    runs_before,
)

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store

GOALS = ("max", "min")
SUMMARIES = ("last", "best", "mean")
EXPECTS = ("increase", "decrease")


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


def _evidence(
    store: Store, runs: list[int], record: HypothesisRecord, d: MetricDefinition | None
) -> list[Evidence]:
    goal = d.goal if d else ("max" if record.expect == "increase" else "min")
    summary = d.summary if d else "last"
    return [
        Evidence(row[0], row[1], _summary_value(row, summary, goal))
        for row in evidence_rows(store, runs, record.metric)
    ]


def baseline_runs(store: Store, record: HypothesisRecord, treatment: list[int]) -> list[int]:
    """The baseline: named runs, runs matching a filter, or the best finished run before the hypothesis."""
    spec = record.baseline or {}
    if "runs" in spec:
        runs = spec["runs"]
    elif "filter" in spec:
        runs = filtered_run_ids(store, spec["filter"])
    else:
        candidates = [
            r for r in runs_before(store, record.experiment, record.created) if r not in treatment
        ]
        d = definitions(store, record.experiment).get(record.metric)
        scored = [
            (e.value, e.run)
            for e in _evidence(store, candidates, record, d)
            if e.value is not None and e.value == e.value
        ]
        if not scored:
            return []
        goal = d.goal if d else ("max" if record.expect == "increase" else "min")
        runs = [(max(scored) if goal == "max" else min(scored))[1]]
    return [r for r in runs if r not in treatment]


def verdict_of(store: Store, record: HypothesisRecord) -> Verdict:
    """The verdict of `record` in `store` (frozen if it is closed)."""
    if record.status == "closed" and record.verdict:
        return Verdict.from_dict(record.verdict)
    treatment = linked_runs(store, record.id, "treatment")
    baseline = baseline_runs(store, record, treatment)
    d = definitions(store, record.experiment).get(record.metric)
    return compute_verdict(
        _evidence(store, treatment, record, d),
        _evidence(store, baseline, record, d),
        expect=record.expect,
        min_effect=record.min_effect,
        metric=record.metric,
    )


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
