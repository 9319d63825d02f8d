"""`lt.metric`, `lt.hypothesis`, `lt.verdict` and friends over the default `Lab` (DESIGN §5).

The active hypothesis is fluent state: runs started while it is open link to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..client.evidence import HypothesisClosed
from ..store.hypotheses import HypothesisNotFound, HypothesisRecord, MetricDefinition
from .session import (
    active_hypothesis,
    active_hypothesis_id,
    default_experiment,
    default_lab,
    resolve_for_new_run,
    set_active_hypothesis,
)

if TYPE_CHECKING:
    import pandas as pd

    from ..evidence.verdicts import Verdict

__all__ = [
    "HypothesisClosed",
    "HypothesisNotFound",
    "HypothesisRecord",
    "MetricDefinition",
    "activate",
    "active_hypothesis",
    "close",
    "find_hypothesis",
    "hypotheses",
    "hypothesis",
    "hypothesis_facts",
    "metric",
    "metric_definitions",
    "rebase",
    "repeat",
    "repeats",
    "resolve_for_new_run",
    "verdict",
]


def metric(
    name: str,
    *,
    goal: str,
    target: float | None = None,
    summary: str = "last",
    experiment: str | None = None,
    store_wide: bool = False,
) -> MetricDefinition:
    """Define what "better" means for metric `name` in the current experiment (or store-wide).

    >>> lt.metric("accuracy", goal="max", target=0.95, summary="best")
    """
    exp = None if store_wide else (experiment or default_experiment())
    return default_lab().metric(name, goal=goal, target=target, summary=summary, experiment=exp)


def metric_definitions(experiment: str | None = None) -> dict[str, MetricDefinition]:
    """The definitions in force for `experiment` (default: the current one)."""
    return default_lab().definitions(experiment or default_experiment())


def hypothesis(
    statement: str,
    *,
    metric: str,
    expect: str = "increase",
    min_effect: float = 0.0,
    baseline: Any = None,
    experiment: str | None = None,
    change: str | None = None,
) -> HypothesisRecord:
    """Record a hypothesis and make it the active one: runs started from now on test it.

    `baseline`: run refs (list); a filter (str), resolved now within the experiment and frozen as a
    list of runs (`lt.rebase(h)` resolves it again); or None for the repeat group of the best
    earlier configuration. `change`: what it tests ("params.dropout"); any other difference between
    the arms is then a confound warning. Stating an open hypothesis again (same statement, metric,
    expectation, experiment) returns it with `restated=True` instead of a duplicate.

    >>> lt.hypothesis("More trees raise accuracy", metric="accuracy", min_effect=0.01, change="trees")
    """
    record = default_lab().hypothesis(
        statement,
        metric=metric,
        expect=expect,
        min_effect=min_effect,
        baseline=baseline,
        experiment=experiment or default_experiment(),
        change=change,
    )
    set_active_hypothesis(record.id)
    return record


def activate(hypothesis_id: int | str | None) -> None:
    """Make an open hypothesis the active one (None: no active hypothesis)."""
    if hypothesis_id is None:
        set_active_hypothesis(None)
        return
    record = default_lab().get_hypothesis(hypothesis_id)
    if record.status != "open":
        raise HypothesisClosed(f"H{record.id} is closed; state a new hypothesis instead")
    set_active_hypothesis(record.id)


def find_hypothesis(hypothesis_id: int | str | None) -> HypothesisRecord:
    """The hypothesis named by id (3, "H3"), or the active one for None."""
    if hypothesis_id is None:
        current = active_hypothesis()
        if current is None:
            raise HypothesisNotFound(
                "no active hypothesis; name one by id (e.g. H3) or state one with lt.hypothesis()"
            )
        return current
    return default_lab().get_hypothesis(hypothesis_id)


def verdict(hypothesis_id: int | str | None = None, *, method: str = "sequential") -> Verdict:
    """The verdict of a hypothesis (default: the active one), frozen if it is closed.
    `method="fixed"`: Welch's interval, valid for one pre-planned look only.

    >>> lt.verdict("H2", method="fixed").reason
    """
    return default_lab().verdict(find_hypothesis(hypothesis_id), method=method)


def hypothesis_facts(record: HypothesisRecord) -> dict[str, Any]:
    """What a face shows beside a hypothesis's badge: its verdict, its adjusted p-value among the
    hypotheses of its experiment, and the metric definition it was stated with and the one now."""
    lab = default_lab()
    found = {r.id: (v, a) for r, v, a in lab.hypothesis_verdicts()}
    verdict, adjusted = found.get(record.id) or (lab.verdict(record), None)
    return {
        "verdict": verdict,
        "adjusted": adjusted.to_dict() if adjusted is not None else None,
        "definition": lab.stated_definition(record),
        "current_definition": lab.current_definition(record),
    }


def rebase(hypothesis_id: int | str | None = None) -> HypothesisRecord:
    """Resolve a hypothesis's baseline filter again, now, and freeze the runs it matches.

    >>> lt.rebase("H2").baseline["runs"]
    """
    return default_lab().rebase(find_hypothesis(hypothesis_id))


def close(hypothesis_id: int | str | None = None, note: str | None = None) -> Verdict:
    """Freeze a hypothesis with its current verdict; it takes no new runs."""
    record = find_hypothesis(hypothesis_id)
    result = default_lab().close_hypothesis(record.id, note)
    if active_hypothesis_id() == record.id:
        set_active_hypothesis(None)
    return result


def hypotheses(adjust: str = "holm") -> pd.DataFrame:
    """One row per hypothesis with its verdict, the numbers behind it, how many hypotheses its
    experiment has tested (`tested`) and its adjusted p-value (`p_adjusted`: Holm, or
    Benjamini–Hochberg with `adjust="bh"`).

    >>> lt.hypotheses(adjust="bh")[["id", "verdict", "p_value", "p_adjusted"]]
    """
    return default_lab().hypotheses(adjust)


def repeat(
    fn,
    seeds: int | list[int] = 5,
    *,
    name: str | None = None,
    params: dict[str, Any] | None = None,
    hypothesis: Any = None,
) -> list[int]:
    """Run `fn(seed)` once per seed, each as its own run with a `seed` param, grouped by a tag.

    >>> lt.repeat(lambda seed: lt.log(acc=train(seed)), seeds=5, name="rf-200")
    """
    import uuid

    from .runs import run

    seed_list = list(range(seeds)) if isinstance(seeds, int) else list(seeds)
    group = uuid.uuid4().hex[:12]
    numbers = []
    for seed in seed_list:
        with run(
            name,
            params={**(params or {}), "seed": seed},
            hypothesis=hypothesis,
            tags={"repeat_group": group},
        ) as current:
            fn(seed)
        numbers.append(current.number)
    return numbers


def repeats(filter: str | None = None) -> pd.DataFrame:
    """One row per group of repeats (`lt.repeat`): its name, the runs, n, and each metric's mean ± spread.

    >>> lt.repeats()[["name", "n", "acc.mean", "acc.std"]]
    """
    import pandas as pd

    from ..evidence.verdicts import group_repeats

    frame = default_lab().runs(filter)
    if frame.empty or "tags.repeat_group" not in frame.columns:
        return pd.DataFrame(columns=["group", "name", "runs", "n"])
    frame = frame[frame["tags.repeat_group"].notna() & (frame["status"] == "finished")]
    metrics = [c for c in frame.columns if c.startswith("metrics.")]
    rows = []
    for group, part in frame.groupby("tags.repeat_group", sort=False):
        row: dict[str, Any] = {
            "group": group,
            "name": part["name"].iloc[0],
            "runs": list(part["number"]),
            "n": len(part),
        }
        for column in metrics:
            summary = group_repeats((group, v) for v in part[column]).get(group)
            if summary is not None and summary.n:
                name = column.removeprefix("metrics.")
                row[f"{name}.mean"], row[f"{name}.std"] = summary.mean, summary.std
        rows.append(row)
    return pd.DataFrame(rows)
