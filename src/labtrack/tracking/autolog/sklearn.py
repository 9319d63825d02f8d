"""scikit-learn: the params of every top-level `fit` (any estimator, pipelines and meta-estimators
included), one child run per search candidate, and `cross_validate` / `cross_val_score` scores.

Each estimator class that defines `fit`, `fit_transform` or `fit_predict` gets a thin wrapper: classes
already defined are wrapped when the patch applies, later ones through `BaseEstimator.__init_subclass__`.
LightGBM's and XGBoost's estimators are left to their own integrations.
"""

from __future__ import annotations

import functools
import inspect
import sys
import time
from typing import TYPE_CHECKING, Any

from . import core
from .record import Child, child_runs, log_params, number, tag_source

if TYPE_CHECKING:
    from ..run import Run

LIBRARY = "sklearn"
FIT_METHODS = ("fit", "fit_transform", "fit_predict")
OWN_INTEGRATIONS = ("lightgbm", "xgboost")  # their estimators record through their train()
_fits: dict[tuple[str, int], tuple[str, int]] = {}  # (store, run) -> (first estimator fitted, fits)


def patch(module: str) -> None:
    """Wrap estimator fits (on `sklearn.base`) or `cross_validate` (on `sklearn.model_selection._validation`)."""
    if module == "sklearn.base":
        base = sys.modules["sklearn.base"].BaseEstimator
        _hook_subclasses(base)
        for cls in _subclasses(base):
            _wrap_class(cls)
    else:
        validation = sys.modules[module]
        core.replace(LIBRARY, validation, "cross_validate", _wrap_cross_validate)
        package = sys.modules.get("sklearn.model_selection")
        if package is not None and hasattr(package, "cross_validate"):
            core.replace(LIBRARY, package, "cross_validate", lambda _: validation.cross_validate)


def _hook_subclasses(base: type) -> None:
    """Estimator classes defined from now on get wrapped as they are created."""
    if getattr(base.__dict__.get("__init_subclass__"), "__labtrack_autolog__", False):
        return
    owned = "__init_subclass__" in base.__dict__
    original = base.__dict__["__init_subclass__"] if owned else None

    def __init_subclass__(cls: type, **kwargs: Any) -> None:
        if original is not None:  # the base's own hook (a classmethod), bound to the new class
            original.__func__(cls, **kwargs)
        else:
            super(base, cls).__init_subclass__(**kwargs)
        _wrap_class(cls)

    __init_subclass__.__labtrack_autolog__ = True  # type: ignore[attr-defined]
    base.__init_subclass__ = classmethod(__init_subclass__)  # type: ignore[assignment]
    core._state.patches.setdefault(LIBRARY, []).append(
        core.Patch(base, "__init_subclass__", original, owned)
    )


def _subclasses(base: type) -> list[type]:
    seen, todo = [], [base]
    while todo:
        cls = todo.pop()
        for sub in type.__subclasses__(cls):
            if sub not in seen:
                seen.append(sub)
                todo.append(sub)
    return [base, *seen]


def _wrap_class(cls: type) -> None:
    wrap = _wrap_booster_fit if cls.__module__.split(".")[0] in OWN_INTEGRATIONS else _wrap_fit
    for name in FIT_METHODS:
        method = cls.__dict__.get(name)
        if inspect.isfunction(method) and not getattr(method, "__labtrack_autolog__", False):
            core.replace(LIBRARY, cls, name, wrap)


def _wrap_booster_fit(fit: Any) -> Any:
    """LightGBM's and XGBoost's estimators record through their own `train`; the scikit-learn
    helpers they fit inside (a label encoder) record nothing."""

    @functools.wraps(fit)
    def booster_fit(self: Any, *args: Any, **kwargs: Any) -> Any:
        with core.library_fit():
            return fit(self, *args, **kwargs)

    return booster_fit


def _wrap_fit(fit: Any) -> Any:
    @functools.wraps(fit)
    def fit_recorded(self: Any, *args: Any, **kwargs: Any) -> Any:
        run = None if core._state.library_fits else core.recording_run(LIBRARY)
        if run is None:
            return fit(self, *args, **kwargs)
        core.guard(
            LIBRARY, "record the fit", record_params, run, self, run=run
        )  # first: a long or failing fit shows them
        started = time.perf_counter()
        with core.outer_fit():
            result = fit(self, *args, **kwargs)
        elapsed = time.perf_counter() - started
        core.guard(LIBRARY, "record the fit", record_result, run, self, elapsed, run=run)
        return result

    return fit_recorded


def record_params(run: Run, estimator: Any) -> None:
    """The estimator's class and params, before it fits."""
    _say_refit(run, estimator)
    log_params(
        run,
        LIBRARY,
        {"estimator_class": type(estimator).__name__, **estimator_params(run, estimator)},
    )


def record_result(run: Run, estimator: Any, elapsed: float) -> None:
    """After the fit: its time, and for a search its candidates as child runs and the best on the run."""
    run.log_metrics({"fit_time": elapsed}, 0)
    if "params" in getattr(estimator, "cv_results_", {}):
        record_search(run, estimator)


def record_fit(run: Run, estimator: Any, elapsed: float) -> None:
    """Everything a fit records (what autolog does around `fit`, in one call).

    >>> record_fit(run, LogisticRegression().fit(X, y), elapsed=0.01)
    """
    record_params(run, estimator)
    record_result(run, estimator, elapsed)


def estimator_params(run: Run, estimator: Any) -> dict[str, Any]:
    """`get_params(deep=True)`, or nothing (and one warning) when it raises."""
    try:
        return dict(estimator.get_params(deep=True))
    except Exception as exc:
        core.warn_once(
            (run.uuid, LIBRARY, "get_params"),
            f"labtrack autolog (sklearn): {type(estimator).__name__}.get_params() raised "
            f"{type(exc).__name__}: {exc}; recorded its class only.",
        )
        return {}


def _say_refit(run: Run, estimator: Any) -> None:
    """A second fit in one run replaces same-named params: say so, once per run."""
    key = (str(run.store.path), run.number)
    label = type(estimator).__name__
    first, fits = _fits.get(key, (label, 0))
    _fits[key] = (first, fits + 1)
    if fits:
        core.warn_once(
            (run.uuid, LIBRARY, "refit"),
            f"labtrack autolog (sklearn): run #{run.number} fitted {label} after {first}; params "
            "of the same name and fit_time keep the last fit's values. Put each model in its own "
            "%%track cell (or lt.run) to keep both.",
        )


def record_search(run: Run, search: Any) -> None:
    """One child run per candidate of a (grid, randomized, halving) search; the best on the parent."""
    results = search.cv_results_
    scorers = sorted(k[len("mean_test_") :] for k in results if k.startswith("mean_test_"))
    keys = [f"{kind}_test_{s}" for s in scorers for kind in ("mean", "std", "rank")]
    keys += [k for k in ("mean_fit_time", "mean_score_time") if k in results]
    keys += [f"mean_train_{s}" for s in scorers if f"mean_train_{s}" in results]
    iterations = results.get("iter")  # halving searches: the candidate's round
    label = type(search).__name__
    children = []
    for i, candidate in enumerate(results["params"]):
        metrics = {k: results[k][i] for k in keys}
        if iterations is not None:
            metrics["iter"] = iterations[i]
        children.append(Child(f"{label}-{i}", candidate, metrics))
    child_runs(run, LIBRARY, children)
    best: dict[str, Any] = {}
    if isinstance(getattr(search, "best_params_", None), dict):
        log_params(run, LIBRARY, {"best_params": search.best_params_})
    if (score := number(getattr(search, "best_score_", None))) is not None:
        best["best_score"] = score
    if best:
        run.log_metrics(best, 0)


def _wrap_cross_validate(cross_validate: Any) -> Any:
    @functools.wraps(cross_validate)
    def cross_validate_recorded(estimator: Any, *args: Any, **kwargs: Any) -> Any:
        run = None if core._state.library_fits else core.recording_run(LIBRARY)
        if run is None:
            return cross_validate(estimator, *args, **kwargs)
        with core.outer_fit():
            result = cross_validate(estimator, *args, **kwargs)
        core.guard(
            LIBRARY,
            "record the cross-validation",
            record_cross_validation,
            run,
            estimator,
            result,
            run=run,
        )
        return result

    return cross_validate_recorded


def record_cross_validation(run: Run, estimator: Any, result: dict[str, Any]) -> None:
    """The estimator's params; each score per fold (step = fold) and its mean (`<score>_mean`)."""
    log_params(
        run,
        LIBRARY,
        {"estimator_class": type(estimator).__name__, **estimator_params(run, estimator)},
    )
    for key, values in result.items():
        if not (key.startswith(("test_", "train_")) or key in ("fit_time", "score_time")):
            continue
        folds = [number(v) for v in values]
        for fold, value in enumerate(folds):
            if value is not None:
                run.log_metrics({f"cv_{key}": value}, fold)
        usable = [v for v in folds if v is not None]
        if usable:
            run.log_metrics({f"cv_{key}_mean": sum(usable) / len(usable)}, 0)
    tag_source(run, LIBRARY)
