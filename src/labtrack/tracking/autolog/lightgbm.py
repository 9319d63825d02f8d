"""LightGBM: `lgb.train` and the scikit-learn estimators (which call it) record the params as passed
plus the ones LightGBM resolved, every eval set's metric per iteration (`valid_0.l2`), early
stopping's best iteration and score, and feature importance (CSV and SVG)."""

from __future__ import annotations

import inspect
import sys
from typing import TYPE_CHECKING, Any

from . import core
from .record import importance_artifacts, log_params, number

if TYPE_CHECKING:
    from ..run import Run

LIBRARY = "lightgbm"
# Resolved settings that describe files, sockets or devices, not the model: not recorded.
_NOT_SETTINGS = (
    "filename",
    "column",
    "machine",
    "gpu",
    "port",
    "time_out",
    "data",
    "valid",
    "header",
    "two_round",
    "pre_partition",
    "parser",
    "precise_float",
    "saved_feature",
    "device",
    "label_gain",
)


def patch(module: str) -> None:
    """Wrap `train` where LightGBM and its scikit-learn estimators find it."""
    for name in ("lightgbm.engine", "lightgbm", "lightgbm.sklearn"):
        owner = sys.modules.get(name)
        if owner is not None and hasattr(owner, "train"):
            core.replace(LIBRARY, owner, "train", _wrap_train)


class _LogIterations:
    """A LightGBM callback: each iteration's eval results as metrics (`<data>.<metric>`, step = iteration).
    Order 20: before early stopping (30) ends the training in the iteration it decides."""

    order = 20
    before_iteration = False

    def __init__(self, run: Run):
        self.log = run.log_metrics

    def __call__(self, env: Any) -> None:
        results = env.evaluation_result_list or ()
        if results:
            self.log({f"{item[0]}.{item[1]}": item[2] for item in results}, env.iteration)


def _wrap_train(train: Any) -> Any:
    return core.wrap_train(LIBRARY, train, _prepare, record_booster)


def _prepare(
    signature: inspect.Signature, run: Run, args: tuple, kwargs: dict
) -> tuple[tuple, dict, set[str]]:
    """Record the params as passed; add the metric callback (the user's list is copied, not changed)."""
    bound = signature.bind(*args, **kwargs)
    arguments = bound.arguments
    params = dict(arguments.get("params") or {})
    if "num_boost_round" in arguments or not any(k in params for k in _ROUND_ALIASES):
        params.setdefault("num_boost_round", arguments.get("num_boost_round", 100))
    log_params(run, LIBRARY, params)
    arguments["callbacks"] = [*(arguments.get("callbacks") or []), _LogIterations(run)]
    return bound.args, bound.kwargs, set(params)


_ROUND_ALIASES = (
    "num_iterations",
    "num_iteration",
    "n_iter",
    "num_tree",
    "num_trees",
    "num_round",
    "num_rounds",
    "nrounds",
    "num_boost_round",
    "n_estimators",
    "max_iter",
)


def record_booster(run: Run, booster: Any, passed: set[str]) -> None:
    """Resolved params (those not passed), best iteration and score, feature importance."""
    resolved = {k: v for k, v in resolved_params(booster).items() if k not in passed}
    if resolved:
        log_params(run, LIBRARY, resolved)
    best: dict[str, Any] = {}
    if getattr(booster, "best_iteration", 0) > 0:
        best["best_iteration"] = booster.best_iteration
        for data, scores in (getattr(booster, "best_score", None) or {}).items():
            for metric, value in scores.items():
                best[f"best_score.{data}.{metric}"] = number(value)
    if best:
        run.log_metrics({k: v for k, v in best.items() if v is not None}, 0)
    features = list(booster.feature_name())
    columns = {
        kind: [float(v) for v in booster.feature_importance(importance_type=kind)]
        for kind in ("split", "gain")
    }
    importance_artifacts(run, features, columns, "gain")


def resolved_params(booster: Any) -> dict[str, Any]:
    """The settings LightGBM trained with (its `parameters:` section), minus files, sockets, devices."""
    text = booster.model_to_string(num_iteration=1)
    start = text.find("\nparameters:\n")
    end = text.find("\nend of parameters", start)
    out: dict[str, Any] = {}
    if start < 0 or end < 0:
        return out
    for line in text[start + 13 : end].splitlines():
        name, sep, value = line.strip().strip("[]").partition(": ")
        if not sep or not value or any(word in name for word in _NOT_SETTINGS):
            continue
        out[name] = _typed(value)
    return out


def _typed(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text
