"""The baseline of a hypothesis (issue 14, item 4): frozen when stated, auditable, re-resolved only
on request.

- Named runs are the baseline as given.
- A filter is resolved when the hypothesis is stated, within its experiment, and frozen as a list
  of runs (`{"filter": ..., "runs": [...]}`); `Lab.rebase(h)` resolves it again.
- No baseline: the repeat group of the best earlier configuration — every finished run of the
  experiment with the same params (the seed aside) as the configuration with the best mean among
  those tried at least twice before the hypothesis, not the single luckiest run. When no
  configuration was tried twice, the best one is taken and the verdict says its baseline has one
  run (untested until it has two). Runs added later to that configuration join it, unless they are
  some hypothesis's treatment.
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from ..evidence.comparability import NOT_COMPARED
from ..store.hypotheses import (
    HypothesisRecord,
    filtered_run_ids,
    run_configs,
    run_params,
    runs_before,
    treatment_run_ids,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..store import Store

__all__ = ["baseline_runs", "default_baseline", "resolve_filter"]


def resolve_filter(
    store: Store, filter: str, experiment: str | None, treatment: list[int]
) -> list[int]:
    """The runs of `experiment` matching `filter` now, without the hypothesis's own treatment."""
    return [r for r in filtered_run_ids(store, filter, experiment) if r not in treatment]


def default_baseline(
    store: Store,
    record: HypothesisRecord,
    treatment: list[int],
    score: Callable[[list[int]], dict[int, float | None]],
    goal: str,
) -> tuple[list[int], str | None]:
    """The repeat group of the best earlier configuration, and a remark about it (or None).
    `score(runs)` gives each run's summary of the metric."""
    mine = set(treatment)
    earlier = [r for r in runs_before(store, record.experiment, record.created) if r not in mine]
    values = {r: v for r, v in score(earlier).items() if v is not None and v == v}
    if not values:
        return [], None
    configs = run_configs(store, record.experiment, tuple(NOT_COMPARED))  # grouped in SQL: fast
    candidates = [r for r in configs if r not in mine]
    groups: dict[str, list[float]] = {}
    for run, value in values.items():
        groups.setdefault(configs.get(run, ""), []).append(value)
    pick = max if goal == "max" else min
    # a lone lucky run is no baseline: the configurations tried at least twice come first
    repeated = [key for key in groups if len(groups[key]) >= 2] or list(groups)
    best = pick(repeated, key=lambda key: statistics.fmean(groups[key]))
    taken = treatment_run_ids(store)
    members = [r for r in candidates if configs[r] == best and (r in values or r not in taken)]
    params = run_params(store, members[:1]).get(members[0], {}) if members else {}
    shown = {k: v for k, v in sorted(params.items()) if k not in NOT_COMPARED}
    config = ", ".join(f"{k}={v!r}" for k, v in shown.items()) or "no params"
    if len(members) < 2:
        return members, (
            f"the default baseline (the best earlier configuration: {config}) has one run, #{members[0]};"
            " the verdict stays untested until that configuration has two runs (repeat it with another seed)"
        )
    return (
        members,
        f"default baseline: the {len(members)} runs of the best earlier configuration ({config})",
    )


def baseline_runs(
    store: Store,
    record: HypothesisRecord,
    treatment: list[int],
    score: Callable[[list[int]], dict[int, float | None]],
    goal: str,
) -> tuple[list[int], str | None]:
    """The runs the verdict of `record` takes as its baseline, and a remark about them (or None)."""
    spec = record.baseline or {}
    if "runs" in spec:
        runs = [r for r in spec["runs"] if r not in treatment]
        remark = (
            f"baseline: the runs matching {spec['filter']!r} when it was stated"
            if "filter" in spec
            else None
        )
        return runs, remark
    if "filter" in spec:  # a filter not frozen (a store written by hand): resolve it now
        return resolve_filter(store, spec["filter"], record.experiment, treatment), None
    return default_baseline(store, record, treatment, score, goal)
