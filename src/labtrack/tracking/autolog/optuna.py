"""Optuna: `study.optimize(...)` inside a run records one child run per trial (its params as suggested,
its value(s), `trial.report` values as the `intermediate_value` history; complete -> finished,
pruned -> interrupted with tag `optuna.state=pruned`, fail -> failed), defines the objective metric(s)
with the study's direction(s), and puts the best trial's params and value on the parent.
Works with `n_jobs > 1`: children are recorded from the worker threads, never made the active run."""

from __future__ import annotations

import functools
import sys
import threading
from typing import TYPE_CHECKING, Any

from . import core
from .record import Child, child_runs, log_params, number, tag_source

if TYPE_CHECKING:
    from ..run import Run

LIBRARY = "optuna"
CALLBACKS_AT = 4  # Study.optimize(func, n_trials, timeout, n_jobs, catch, callbacks, ...): its index after func


def patch(module: str) -> None:
    """Wrap `optuna.study.Study.optimize`."""
    study_class = sys.modules["optuna"].study.Study
    core.replace(LIBRARY, study_class, "optimize", _wrap_optimize)


class _Trials:
    """Records each finished trial once, from whichever thread finishes it."""

    def __init__(self, run: Run, study: Any, names: list[str]):
        self.run = run
        self.study = study
        self.names = names
        self.done: set[int] = set()
        self.lock = threading.Lock()

    def __call__(self, study: Any, trial: Any) -> None:  # an Optuna callback
        core.guard(LIBRARY, "record a trial", self.record, trial, run=self.run)

    def record(self, trial: Any) -> None:
        state = trial.state.name
        if state not in ("COMPLETE", "PRUNED", "FAIL"):
            return
        with self.lock:
            if trial.number in self.done:
                return
            self.done.add(trial.number)
        values = list(trial.values or [])
        metrics = {name: v for name, v in zip(self.names, values)}
        status = {"COMPLETE": "finished", "PRUNED": "interrupted", "FAIL": "failed"}[state]
        tags = {"optuna.state": state.lower(), "optuna.trial": trial.number}
        started = trial.datetime_start.timestamp() if trial.datetime_start else None
        history = {"intermediate_value": sorted(trial.intermediate_values.items())}
        child = Child(
            f"trial-{trial.number}", trial.params, metrics, history, status, tags, started
        )
        child_runs(self.run, LIBRARY, [child])

    def sweep(self) -> None:
        """Trials the callbacks did not see (a trial whose exception ended optimize)."""
        for trial in self.study.get_trials(deepcopy=False):
            if trial.number not in self.done:
                self(self.study, trial)


def _wrap_optimize(optimize: Any) -> Any:
    @functools.wraps(optimize)
    def optimize_recorded(self: Any, func: Any, *args: Any, **kwargs: Any) -> Any:
        run = core.recording_run(LIBRARY)
        if run is None:
            return optimize(self, func, *args, **kwargs)
        n_trials = args[0] if args else kwargs.get("n_trials")
        trials = core.guard(LIBRARY, "record the study", _begin, run, self, n_trials, run=run)
        if trials is None:
            return optimize(self, func, *args, **kwargs)
        if (
            len(args) > CALLBACKS_AT
        ):  # optimize(func, n_trials, timeout, n_jobs, catch, callbacks, ...)
            args = (
                *args[:CALLBACKS_AT],
                [*(args[CALLBACKS_AT] or []), trials],
                *args[CALLBACKS_AT + 1 :],
            )
        else:
            kwargs["callbacks"] = [*(kwargs.get("callbacks") or []), trials]
        try:
            with core.outer_fit():
                return optimize(self, func, *args, **kwargs)
        finally:
            core.guard(LIBRARY, "record the trials", trials.sweep, run=run)
            core.guard(LIBRARY, "record the best trial", _record_best, run, self, run=run)

    return optimize_recorded


def _begin(run: Run, study: Any, n_trials: int | None) -> _Trials:
    """The study's settings on the parent; its direction(s) as the objective's metric definition(s)."""
    directions = [d.name.lower() for d in study.directions]
    names = objective_names(study)
    params: dict[str, Any] = {
        "optuna.sampler": type(study.sampler).__name__,
        "optuna.pruner": type(study.pruner).__name__,
    }
    params["optuna.direction" if len(directions) == 1 else "optuna.directions"] = (
        directions[0] if len(directions) == 1 else directions
    )
    if n_trials is not None:
        params["optuna.n_trials"] = n_trials
    log_params(run, LIBRARY, params)
    _define_objectives(run, names, directions)
    already = {t.number for t in study.get_trials(deepcopy=False)}
    trials = _Trials(run, study, names)
    trials.done.update(already)  # trials of an earlier optimize call are not this run's
    return trials


def objective_names(study: Any) -> list[str]:
    """`value` for one objective; the study's metric names when set; else `value_0`, `value_1`, ..."""
    names = getattr(study, "metric_names", None)
    if names:
        return list(names)
    count = len(study.directions)
    return ["value"] if count == 1 else [f"value_{i}" for i in range(count)]


def _define_objectives(run: Run, names: list[str], directions: list[str]) -> None:
    from ...store.hypotheses import MetricDefinition, definitions, put_definition

    known = definitions(run.store, run.experiment)
    for name, direction in zip(names, directions):
        goal = "max" if direction == "maximize" else "min"
        current = known.get(name)
        if current is None or current.goal != goal:
            put_definition(run.store, MetricDefinition(name, goal, None, "last", run.experiment))


def _record_best(run: Run, study: Any) -> None:
    if len(study.directions) != 1:
        return
    try:
        best = study.best_trial
    except ValueError:  # no trial completed
        return
    log_params(run, LIBRARY, {"best_params": dict(best.params)})
    if (value := number(best.value)) is not None:
        run.log_metrics({"best_value": value, "best_trial": best.number}, 0)
    tag_source(run, LIBRARY)
