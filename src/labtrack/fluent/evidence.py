"""Metric definitions, hypotheses, run links and verdicts (DESIGN §5). The statistics are in verdicts.py."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from . import runs as api
from ..errors import LabtrackError
from ..store.hypotheses import (
    HypothesisNotFound,
    HypothesisRecord,
    MetricDefinition,
    definitions,
    evidence_rows,
    filtered_run_ids,
    get_hypothesis,
    insert_hypothesis,
    link_run,
    linked_runs,
    list_hypotheses,
    pick_summary,
    put_definition,
    runs_before,
)
from ..store.hypotheses import (
    close_hypothesis as _close,
)
from ..evidence.verdicts import Evidence, Verdict, compute_verdict

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store

GOALS = ("max", "min")
SUMMARIES = ("last", "best", "mean")
EXPECTS = ("increase", "decrease")


class HypothesisClosed(LabtrackError, ValueError):
    """A closed hypothesis takes no new runs."""


def metric(name: str, *, goal: str, target: float | None = None, summary: str = "last",
           experiment: str | None = None, store_wide: bool = False) -> MetricDefinition:
    """Define what "better" means for metric `name` in the current experiment (or store-wide).

    >>> lt.metric("accuracy", goal="max", target=0.95, summary="best")
    """
    if goal not in GOALS:
        raise ValueError(f"goal must be 'max' or 'min', not {goal!r}")
    if summary not in SUMMARIES:
        raise ValueError(f"summary must be one of {', '.join(SUMMARIES)}, not {summary!r}")
    exp = None if store_wide else (experiment or api.default_experiment())
    definition = MetricDefinition(name, goal, None if target is None else float(target), summary, exp)
    put_definition(api.current_store(), definition)
    return definition


def metric_definitions(experiment: str | None = None) -> dict[str, MetricDefinition]:
    """The definitions in force for `experiment` (default: the current one)."""
    return definitions(api.current_store(), experiment or api.default_experiment())


def hypothesis(statement: str, *, metric: str, expect: str = "increase", min_effect: float = 0.0,
               baseline: Any = None, experiment: str | None = None) -> HypothesisRecord:
    """Record a hypothesis and make it the active one: runs started from now on test it.

    `baseline`: run refs (list), a filter (str), or None for the best finished run before it.

    >>> lt.hypothesis("More trees raise accuracy", metric="accuracy", expect="increase", min_effect=0.01)
    """
    if not statement or not statement.strip():
        raise ValueError("a hypothesis needs a statement, e.g. 'More trees raise accuracy'")
    if expect not in EXPECTS:
        raise ValueError(f"expect must be 'increase' or 'decrease', not {expect!r}")
    if min_effect < 0:
        raise ValueError(f"min_effect is a size and cannot be negative (got {min_effect}); the direction is `expect`")
    store = api.current_store()
    spec: dict[str, Any] | None = None
    if isinstance(baseline, str) and not re.fullmatch(r"#?\d+", baseline.strip()):
        filtered_run_ids(store, baseline)  # a bad filter fails now, with its position
        spec = {"filter": baseline}
    elif baseline is not None:
        spec = {"runs": api.run_numbers(baseline, store)}
    hid = insert_hypothesis(store, experiment or api.default_experiment(), statement.strip(), metric, expect,
                            float(min_effect), spec)
    for number in (spec or {}).get("runs", []):
        link_run(store, hid, number, "baseline")
    api._session.hypothesis_id = hid
    return get_hypothesis(store, hid)


def active_hypothesis() -> HypothesisRecord | None:
    """The hypothesis new runs link to, if one is active and still open."""
    hid = api._session.hypothesis_id
    if hid is None:
        return None
    try:
        record = get_hypothesis(api.current_store(), hid)
    except HypothesisNotFound:  # e.g. another store was opened since
        api._session.hypothesis_id = None
        return None
    return record if record.status == "open" else None


def activate(hypothesis_id: int | str | None) -> None:
    """Make an open hypothesis the active one (None: no active hypothesis)."""
    if hypothesis_id is None:
        api._session.hypothesis_id = None
        return
    record = get_hypothesis(api.current_store(), parse_id(hypothesis_id))
    if record.status != "open":
        raise HypothesisClosed(f"H{record.id} is closed; state a new hypothesis instead")
    api._session.hypothesis_id = record.id


def parse_id(ref: int | str) -> int:
    """`3`, `'3'` or `'H3'` -> 3."""
    match = re.fullmatch(r"[Hh]?(\d+)", str(ref).strip())
    if not match:
        raise ValueError(f"a hypothesis is named by its id, like 3 or H3, not {ref!r}")
    return int(match.group(1))


def resolve_for_new_run(ref: Any) -> int | None:
    """The hypothesis a new run links to: explicit id, `'none'`/False to opt out, else the active one."""
    if ref is False or (isinstance(ref, str) and ref.strip().lower() == "none"):
        return None
    if ref is None:
        current = active_hypothesis()
        return current.id if current else None
    record = get_hypothesis(api.current_store(), parse_id(ref))
    if record.status != "open":
        raise HypothesisClosed(f"H{record.id} is closed and takes no new runs; state a new hypothesis")
    return record.id


def link_new_run(hypothesis_id: int, run_number: int) -> None:
    link_run(api.current_store(), hypothesis_id, run_number, "treatment")


def _summary_value(row: tuple, summary: str, goal: str) -> float | None:
    _, _, last, lo, hi, mean, logged = row
    value = pick_summary(summary, goal, last, lo, hi, mean)
    return math.nan if value is None and logged else value


def summary_values(store: Store, numbers: list[int], definition: MetricDefinition) -> dict[int, float | None]:
    """Each run's summary of `definition.name` per the definition (last, best or mean): NaN where only
    NaN was logged, None where the run lacks the metric.

    >>> summary_values(store, [3, 4], definitions(store, "Default")["acc"])
    {3: 0.91, 4: None}
    """
    return {row[0]: _summary_value(row, definition.summary, definition.goal)
            for row in evidence_rows(store, numbers, definition.name)}


def _evidence(store: Store, runs: list[int], record: HypothesisRecord, d: MetricDefinition | None) -> list[Evidence]:
    goal = d.goal if d else ("max" if record.expect == "increase" else "min")
    summary = d.summary if d else "last"
    return [Evidence(row[0], row[1], _summary_value(row, summary, goal))
            for row in evidence_rows(store, runs, record.metric)]


def baseline_runs(store: Store, record: HypothesisRecord, treatment: list[int]) -> list[int]:
    """The baseline: named runs, runs matching a filter, or the best finished run before the hypothesis."""
    spec = record.baseline or {}
    if "runs" in spec:
        runs = spec["runs"]
    elif "filter" in spec:
        runs = filtered_run_ids(store, spec["filter"])
    else:
        candidates = [r for r in runs_before(store, record.experiment, record.created) if r not in treatment]
        d = definitions(store, record.experiment).get(record.metric)
        scored = [(e.value, e.run) for e in _evidence(store, candidates, record, d)
                  if e.value is not None and e.value == e.value]
        if not scored:
            return []
        goal = d.goal if d else ("max" if record.expect == "increase" else "min")
        runs = [(max(scored) if goal == "max" else min(scored))[1]]
    return [r for r in runs if r not in treatment]


def verdict(hypothesis_id: int | str | None = None) -> Verdict:
    """The verdict of a hypothesis (default: the active one), frozen if it is closed."""
    store = api.current_store()
    store.points.flush()
    return verdict_of(store, find_hypothesis(hypothesis_id))


def verdict_of(store: Store, record: HypothesisRecord) -> Verdict:
    """The verdict of `record` in `store` (frozen if it is closed); the server calls it with its own store."""
    if record.status == "closed" and record.verdict:
        return Verdict.from_dict(record.verdict)
    treatment = linked_runs(store, record.id, "treatment")
    baseline = baseline_runs(store, record, treatment)
    d = definitions(store, record.experiment).get(record.metric)
    return compute_verdict(_evidence(store, treatment, record, d), _evidence(store, baseline, record, d),
                           expect=record.expect, min_effect=record.min_effect, metric=record.metric)


def close(hypothesis_id: int | str | None = None, note: str | None = None) -> Verdict:
    """Freeze a hypothesis with its current verdict; it takes no new runs."""
    record = find_hypothesis(hypothesis_id)
    result = verdict(record.id)
    _close(api.current_store(), record.id, result.to_dict(), note)
    if api._session.hypothesis_id == record.id:
        api._session.hypothesis_id = None
    return result


def find_hypothesis(hypothesis_id: int | str | None) -> HypothesisRecord:
    """The hypothesis named by id (3, "H3"), or the active one for None."""
    if hypothesis_id is None:
        current = active_hypothesis()
        if current is None:
            raise HypothesisNotFound("no active hypothesis; name one by id (e.g. H3) or state one with lt.hypothesis()")
        return current
    return get_hypothesis(api.current_store(), parse_id(hypothesis_id))


def hypotheses() -> pd.DataFrame:
    """One row per hypothesis with its verdict and the numbers behind it."""
    import pandas as pd

    store = api.current_store()
    rows = []
    for record in list_hypotheses(store):
        v = verdict(record.id)
        rows.append({
            "id": record.id, "statement": record.statement, "metric": record.metric, "expect": record.expect,
            "min_effect": record.min_effect, "status": record.status, "verdict": v.label, "weak": v.weak,
            "effect": v.effect, "ci_low": v.ci_low, "ci_high": v.ci_high, "n_treatment": v.n_treatment,
            "n_baseline": v.n_baseline, "runs": list(v.treatment_runs), "baseline_runs": list(v.baseline_runs),
            "reason": v.reason, "experiment": record.experiment, "note": record.note,
            "created": pd.Timestamp(record.created, unit="s", tz="UTC"),
        })
    columns = ["id", "statement", "metric", "expect", "min_effect", "status", "verdict", "weak", "effect",
               "ci_low", "ci_high", "n_treatment", "n_baseline", "runs", "baseline_runs", "reason",
               "experiment", "note", "created"]
    return pd.DataFrame(rows, columns=columns)


def repeat(fn, seeds: int | list[int] = 5, *, name: str | None = None, params: dict[str, Any] | None = None,
           hypothesis: Any = None) -> list[int]:
    """Run `fn(seed)` once per seed, each as its own run with a `seed` param, grouped by a tag.

    >>> lt.repeat(lambda seed: lt.log(acc=train(seed)), seeds=5, name="rf-200")
    """
    import uuid

    seed_list = list(range(seeds)) if isinstance(seeds, int) else list(seeds)
    group = uuid.uuid4().hex[:12]
    numbers = []
    for seed in seed_list:
        with api.run(name, params={**(params or {}), "seed": seed}, hypothesis=hypothesis,
                     tags={"repeat_group": group}) as run:
            fn(seed)
        numbers.append(run.number)
    return numbers


def comparison_context(store: Store, frame: pd.DataFrame) -> tuple[dict, list[dict], dict[int, str]]:
    """What a comparison of these runs needs besides the frames: metric definitions (by the runs'
    experiments, first wins), the hypotheses they test with verdicts, and each run's cell code."""
    merged: dict[str, dict[str, Any]] = {}
    for experiment in dict.fromkeys(frame["experiment"]):
        for name, d in definitions(store, experiment).items():
            merged.setdefault(name, {"goal": d.goal, "target": d.target, "summary": d.summary})
    ids = sorted({int(h) for h in frame["hypothesis_id"].dropna()})
    found = []
    for hid in ids:
        record = get_hypothesis(store, hid)
        found.append({"id": hid, "statement": record.statement, "metric": record.metric,
                      "expect": record.expect, "min_effect": record.min_effect, "status": record.status,
                      "verdict": verdict_of(store, record).to_dict()})
    code = store.run_code([int(n) for n in frame["number"]])
    return merged, found, code


def add_target_columns(store: Store, frame: pd.DataFrame) -> pd.DataFrame:
    """`target.M` columns (True / False / None) for metrics whose definition has a target: does the
    run's summary (per the definition) reach it?"""
    if frame.empty:
        return frame
    for experiment in frame["experiment"].unique():  # vectorised: 100,000 runs, a few experiments
        for name, d in definitions(store, experiment).items():
            if d.target is None:
                continue
            column = f"target.{name}"
            if column not in frame.columns:
                frame[column] = None
            inside = frame["experiment"] == experiment
            met: dict[int, bool] = {}
            for number, value in summary_values(store, [int(n) for n in frame.loc[inside, "number"]], d).items():
                if value is not None and value == value:
                    met[number] = bool(value >= d.target if d.goal == "max" else value <= d.target)
            frame.loc[inside, column] = [met.get(int(n)) for n in frame.loc[inside, "number"]]
    return frame


def repeats(filter: str | None = None) -> pd.DataFrame:
    """One row per group of repeats (`lt.repeat`): its name, the runs, n, and each metric's mean ± spread.

    >>> lt.repeats()[["name", "n", "acc.mean", "acc.std"]]
    """
    import pandas as pd

    from ..evidence.verdicts import group_repeats

    frame = api.runs(filter)
    if frame.empty or "tags.repeat_group" not in frame.columns:
        return pd.DataFrame(columns=["group", "name", "runs", "n"])
    frame = frame[frame["tags.repeat_group"].notna() & (frame["status"] == "finished")]
    metrics = [c for c in frame.columns if c.startswith("metrics.")]
    rows = []
    for group, part in frame.groupby("tags.repeat_group", sort=False):
        row: dict[str, Any] = {"group": group, "name": part["name"].iloc[0], "runs": list(part["number"]),
                               "n": len(part)}
        for column in metrics:
            summary = group_repeats((group, v) for v in part[column]).get(group)
            if summary is not None and summary.n:
                name = column.removeprefix("metrics.")
                row[f"{name}.mean"], row[f"{name}.std"] = summary.mean, summary.std
        rows.append(row)
    return pd.DataFrame(rows)
