"""Autolog for scikit-learn, as users fit models: in a `%%track` cell and inside `lt.run`."""

from __future__ import annotations

import warnings

import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    RandomizedSearchCV,
    cross_val_score,
    cross_validate,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import labtrack as lt
from labtrack.tracking.autolog.core import AutologWarning

X, Y = make_classification(n_samples=200, n_features=6, random_state=0)


@pytest.fixture(autouse=True)
def autolog_on(store_dir):
    lt.autolog()
    yield
    lt.autolog()


def children(parent: int):
    return lt.runs(f"attributes.parent = {parent}").sort_values("number")


def test_a_tracked_cell_records_the_estimators_params_with_sklearns_names(ip):
    ip.user_ns.update(X=X, y=Y)
    result = ip.run_cell(
        "%%track forest\nfrom sklearn.ensemble import RandomForestClassifier\n"
        "clf = RandomForestClassifier(n_estimators=20, max_depth=3, random_state=0).fit(X, y)\n"
        "clf.score(X, y)"
    )
    assert result.success and 0.8 < result.result <= 1.0
    record = lt.get_run("forest")
    from sklearn.ensemble import RandomForestClassifier

    assert set(record.params) == {
        "estimator_class",
        *RandomForestClassifier().get_params(deep=True),
    }
    assert record.params["estimator_class"] == "RandomForestClassifier"
    assert (record.params["n_estimators"], record.params["max_depth"]) == (20, 3)
    assert list(record.metrics) == ["fit_time"] and record.metrics["fit_time"].last > 0
    assert record.tags == {"autolog": "sklearn"}


def test_a_pipeline_records_its_steps_params_once(store_dir):
    with lt.run("pipe") as run:
        pipe = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression(C=0.5))]).fit(X, Y)
    params = lt.get_run(run.number).params
    assert set(params) == {"estimator_class", *pipe.get_params(deep=True)}
    assert (
        params["clf__C"] == 0.5
        and params["clf"] == "LogisticRegression"
        and params["scale__with_mean"] is True
    )
    assert params["steps"] == [["scale", "StandardScaler"], ["clf", "LogisticRegression"]]
    assert (
        params["estimator_class"] == "Pipeline"
    )  # the steps' own fits made no record of their own


def test_the_fit_returns_the_same_model_as_without_autolog(store_dir):
    plain = LogisticRegression(max_iter=200).fit(X, Y)
    with lt.run():
        tracked = LogisticRegression(max_iter=200).fit(X, Y)
    assert (tracked.coef_ == plain.coef_).all() and isinstance(tracked, LogisticRegression)


def test_a_grid_search_makes_one_child_run_per_candidate_and_puts_the_best_on_the_parent(ip):
    ip.user_ns.update(X=X, y=Y, GridSearchCV=GridSearchCV, LogisticRegression=LogisticRegression)
    assert ip.run_cell(
        "%%track search\n"
        "search = GridSearchCV(LogisticRegression(), {'C': [0.01, 0.1, 1.0]}, cv=3).fit(X, y)"
    ).success
    parent = lt.get_run("search")
    search = ip.user_ns["search"]
    assert (
        parent.params["best_params.C"] == search.best_params_["C"]
        and parent.params["estimator_class"] == "GridSearchCV"
    )
    assert (
        parent.params["param_grid.C"] == [0.01, 0.1, 1.0] and parent.params["estimator__C"] == 1.0
    )
    assert parent.metrics["best_score"].last == pytest.approx(search.best_score_)
    kids = children(parent.number)
    assert list(kids["name"]) == ["GridSearchCV-0", "GridSearchCV-1", "GridSearchCV-2"]
    assert list(kids["params.C"]) == [0.01, 0.1, 1.0] and set(kids["status"]) == {"finished"}
    child = lt.get_run(int(kids["number"].iloc[1]))
    assert set(child.metrics) == {
        "mean_test_score",
        "std_test_score",
        "rank_test_score",
        "mean_fit_time",
        "mean_score_time",
    }
    assert child.metrics["mean_test_score"].last == pytest.approx(
        search.cv_results_["mean_test_score"][1]
    )
    assert child.tags == {"autolog": "sklearn"} and child.parent == parent.number


def test_a_randomized_search_with_two_scorers_names_each_score(store_dir):
    search = RandomizedSearchCV(
        LogisticRegression(),
        {"C": [0.1, 1.0]},
        n_iter=2,
        cv=3,
        random_state=0,
        scoring=["accuracy", "f1"],
        refit="accuracy",
    )
    with lt.run() as run:
        search.fit(X, Y)
    child = lt.get_run(int(children(run.number)["number"].iloc[0]))
    assert set(child.metrics) == {
        f"{k}_test_{s}" for k in ("mean", "std", "rank") for s in ("accuracy", "f1")
    } | {"mean_fit_time", "mean_score_time"}


def test_cross_val_score_records_each_fold_as_a_step_and_the_mean(store_dir):
    with lt.run() as run:
        scores = cross_val_score(LogisticRegression(), X, Y, cv=4)
    record = lt.get_run(run.number)
    assert set(record.metrics) == {
        "cv_test_score",
        "cv_test_score_mean",
        "cv_fit_time",
        "cv_fit_time_mean",
        "cv_score_time",
        "cv_score_time_mean",
    }
    history = lt.history(run.number, "cv_test_score")
    assert list(history["step"]) == [0, 1, 2, 3] and list(history["value"]) == pytest.approx(
        list(scores)
    )
    assert record.metrics["cv_test_score_mean"].last == pytest.approx(scores.mean())
    assert record.params["estimator_class"] == "LogisticRegression" and lt.runs().shape[0] == 1


def test_cross_validate_with_train_scores(store_dir):
    with lt.run() as run:
        cross_validate(LogisticRegression(), X, Y, cv=3, return_train_score=True)
    assert {"cv_train_score", "cv_train_score_mean"} <= set(lt.get_run(run.number).metrics)


def test_fitting_twice_in_one_run_keeps_the_last_fit_and_says_so_once(store_dir):
    with lt.run() as run, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for c in (0.1, 0.2, 0.3):
            LogisticRegression(C=c).fit(X, Y)
    assert lt.get_run(run.number).params["C"] == 0.3
    said = [w for w in caught if issubclass(w.category, AutologWarning)]
    assert len(said) == 1 and "keep the last fit's values" in str(said[0].message)


class Moody(ClassifierMixin, BaseEstimator):
    """An estimator whose get_params fails, or returns what cannot be a param."""

    def __init__(self, mood="ok", table=None):
        self.mood = mood
        self.table = table

    def get_params(self, deep=True):
        if self.mood == "raise":
            raise RuntimeError("no params today")
        return {"mood": self.mood, "table": self.table}

    def fit(self, X, y):
        self.classes_ = sorted(set(y))
        return self


def test_get_params_that_raises_records_the_class_and_one_warning(store_dir):
    with lt.run() as run, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = Moody("raise").fit(X, Y)
    assert model.classes_ == [0, 1]
    assert lt.get_run(run.number).params == {"estimator_class": "Moody"}
    assert [str(w.message) for w in caught if issubclass(w.category, AutologWarning)] == [
        "labtrack autolog (sklearn): Moody.get_params() raised RuntimeError: no params today; recorded its class only."
    ]


def test_params_that_cannot_be_recorded_are_skipped_with_one_warning(store_dir):
    with lt.run() as run, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Moody("ok", table=object()).fit(X, Y)
    assert lt.get_run(run.number).params == {"estimator_class": "Moody", "mood": "ok"}
    said = [str(w.message) for w in caught if issubclass(w.category, AutologWarning)]
    assert len(said) == 1 and "skipped table" in said[0]


def test_outside_a_run_nothing_is_recorded(store_dir):
    LogisticRegression().fit(X, Y)
    assert lt.runs().empty


def test_no_autolog_cell_records_only_the_cell(ip):
    ip.user_ns.update(X=X, y=Y, LogisticRegression=LogisticRegression)
    assert ip.run_cell(
        "%%track plain --no-autolog\nC = 0.5\nLogisticRegression(C=C).fit(X, y)"
    ).success
    assert lt.get_run("plain").params == {"C": 0.5}


def test_track_start_spans_cells_and_records_their_fits(ip):
    ip.user_ns.update(X=X, y=Y, LogisticRegression=LogisticRegression)
    ip.run_line_magic("track", "start multi")
    ip.run_cell("model = LogisticRegression(C=2.0).fit(X, y)")
    ip.run_line_magic("track", "stop")
    assert lt.get_run("multi").params["C"] == 2.0


def test_track_start_no_autolog_spans_cells_without_recording_fits(ip):
    ip.user_ns.update(X=X, y=Y, LogisticRegression=LogisticRegression)
    ip.run_line_magic("track", "start quiet --no-autolog")
    ip.run_cell("model = LogisticRegression(C=2.0).fit(X, y)")
    ip.run_line_magic("track", "stop")
    assert lt.get_run("quiet").params == {}


def test_a_failing_fit_keeps_its_settings_and_its_exception(ip):
    ip.user_ns.update(X=X, y=Y, LogisticRegression=LogisticRegression)
    result = ip.run_cell("%%track bad\nLogisticRegression(C=-1.0).fit(X, y)")
    assert type(result.error_in_exec).__name__ == "InvalidParameterError"
    record = lt.get_run("bad")
    assert (
        record.status == "failed"
        and record.params["C"] == -1.0
        and "fit_time" not in record.metrics
    )


def test_a_halving_search_records_each_candidates_round(store_dir):
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import HalvingGridSearchCV

    search = HalvingGridSearchCV(
        LogisticRegression(), {"C": [0.01, 0.1, 1.0, 10.0]}, cv=3, factor=2, random_state=0
    )
    with lt.run() as run:
        search.fit(X, Y)
    kids = children(run.number)
    assert len(kids) == len(search.cv_results_["params"]) and list(kids["metrics.iter"]) == list(
        search.cv_results_["iter"]
    )
    assert lt.get_run(run.number).params["best_params.C"] == search.best_params_["C"]
