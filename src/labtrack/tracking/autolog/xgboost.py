"""XGBoost: `xgb.train` and the scikit-learn estimators (which call it) record the params as passed
plus the ones XGBoost resolved, every eval set's metric per iteration (`validation_0.rmse`), early
stopping's best iteration and score, and feature importance (CSV and SVG)."""

from __future__ import annotations

import inspect
import json
import sys
from typing import TYPE_CHECKING, Any

from . import core
from .record import importance_artifacts, log_params, number

if TYPE_CHECKING:
    from ..run import Run

LIBRARY = "xgboost"
# The sections of the booster's config that hold training settings (the rest is bookkeeping).
_SECTIONS = (
    "learner_train_param",
    "tree_train_param",
    "gbtree_train_param",
    "reg_loss_param",
    "generic_param",
)
_NOT_SETTINGS = (
    "updater_seq",
    "fail_on_invalid_gpu_id",
    "validate_parameters",
    "debug_synchronize",
    "max_cached_hist_node",
    "process_type",
)


def patch(module: str) -> None:
    """Wrap `train` where XGBoost and its scikit-learn estimators find it."""
    for name in ("xgboost.training", "xgboost", "xgboost.sklearn"):
        owner = sys.modules.get(name)
        if owner is not None and hasattr(owner, "train"):
            core.replace(LIBRARY, owner, "train", _wrap_train)


def _callback(run: Run) -> Any:
    """An XGBoost TrainingCallback: each iteration's eval results as `<data>.<metric>` at step = iteration."""
    from xgboost.callback import TrainingCallback

    log = run.log_metrics

    class LogIterations(TrainingCallback):
        def after_iteration(self, model: Any, epoch: int, evals_log: dict) -> bool:
            values = {
                f"{data}.{metric}": history[-1]
                for data, metrics in evals_log.items()
                for metric, history in metrics.items()
                if history
            }
            if values:
                log({k: v[0] if isinstance(v, tuple) else v for k, v in values.items()}, epoch)
            return False

    return LogIterations()


def _wrap_train(train: Any) -> Any:
    return core.wrap_train(LIBRARY, train, _prepare, record_booster)


def _prepare(
    signature: inspect.Signature, run: Run, args: tuple, kwargs: dict
) -> tuple[tuple, dict, set[str]]:
    """Record the params as passed; add the metric callback (the user's list is copied, not changed)."""
    bound = signature.bind(*args, **kwargs)
    arguments = bound.arguments
    params = dict(arguments.get("params") or {})
    params["num_boost_round"] = arguments.get(
        "num_boost_round", signature.parameters["num_boost_round"].default
    )
    if arguments.get("early_stopping_rounds") is not None:
        params["early_stopping_rounds"] = arguments["early_stopping_rounds"]
    log_params(run, LIBRARY, params)
    arguments["callbacks"] = [*(arguments.get("callbacks") or []), _callback(run)]
    return bound.args, bound.kwargs, set(params)


def record_booster(run: Run, booster: Any, passed: set[str]) -> None:
    """Resolved params (those not passed), best iteration and score, feature importance."""
    resolved = {k: v for k, v in resolved_params(booster).items() if k not in passed}
    if resolved:
        log_params(run, LIBRARY, resolved)
    attributes = booster.attributes()
    best = {k: number(attributes[k]) for k in ("best_iteration", "best_score") if k in attributes}
    if best:
        run.log_metrics({k: v for k, v in best.items() if v is not None}, 0)
    kinds = ("weight", "gain")
    scores = {kind: booster.get_score(importance_type=kind) for kind in kinds}
    features = list(
        booster.feature_names
        or sorted(scores["weight"], key=lambda f: int(f[1:]) if f[1:].isdigit() else 0)
    )
    columns = {kind: [float(scores[kind].get(f, 0.0)) for f in features] for kind in kinds}
    importance_artifacts(run, features, columns, "gain")


def resolved_params(booster: Any) -> dict[str, Any]:
    """The training settings in the booster's config, e.g. `max_depth`, `objective`, `tree_method`."""
    config = json.loads(booster.save_config())
    out: dict[str, Any] = {}

    def walk(node: Any, section: str | None) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, (dict, list)):
                    walk(value, key if key in _SECTIONS else section)
                elif section is not None and key not in _NOT_SETTINGS:
                    out.setdefault(key, _typed(value))
        elif isinstance(node, list):
            for item in node:
                walk(item, section)

    walk(config.get("learner", {}), None)
    return out


def _typed(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value
