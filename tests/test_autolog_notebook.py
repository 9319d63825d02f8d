"""notebooks/autolog.ipynb, run top to bottom in a real kernel with nbclient: each of the five
libraries records into its `%%track` cell's run, with the names the README lists."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import labtrack as lt

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "autolog.ipynb"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook executed in a fresh kernel of this venv, and the store it recorded into."""
    folder = tmp_path_factory.mktemp("autolog")
    path = folder / "autolog.ipynb"
    shutil.copy(NOTEBOOK, path)
    nb = nbformat.read(path, as_version=4)
    env = {
        "LABTRACK_DIR": str(folder / ".labtrack"),
        "JPY_SESSION_NAME": str(path),
        "KERAS_BACKEND": "jax",
    }
    saved = {
        k: os.environ.get(k)
        for k in [*env, "LABTRACK_NOTEBOOK", "LABTRACK_EXPERIMENT", "LABTRACK_AUTOLOG"]
    }
    os.environ.update(env)
    for key in ("LABTRACK_NOTEBOOK", "LABTRACK_EXPERIMENT", "LABTRACK_AUTOLOG"):
        os.environ.pop(key, None)
    try:
        NotebookClient(
            nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(folder)}}
        ).execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    lt.open(folder / ".labtrack")
    yield nb
    from session_reset import reset_session

    reset_session()


def test_the_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(
        not c.get("outputs") and c.get("execution_count") is None
        for c in nb.cells
        if c.cell_type == "code"
    )


def test_each_library_records_into_its_cells_run(executed):
    top = lt.runs("attributes.parent IS NULL", experiment="autolog")
    assert list(top["name"]) == ["forest", "search", "lightgbm", "xgboost", "keras", "study"]
    assert set(top["status"]) == {"finished"}
    assert list(top["tags.autolog"]) == [
        "sklearn",
        "sklearn",
        "lightgbm",
        "xgboost",
        "keras",
        "optuna",
    ]


def test_sklearn_names(executed):
    forest = lt.get_run("forest")
    assert (
        forest.params["estimator_class"],
        forest.params["n_estimators"],
        forest.params["max_depth"],
    ) == ("RandomForestClassifier", 50, 4)
    search = lt.get_run("search")
    assert (
        search.params["estimator__clf__max_iter"] == 500 and "best_params.clf__C" in search.params
    )
    kids = lt.runs(f"attributes.parent = {search.number}")
    assert list(kids["name"]) == [f"GridSearchCV-{i}" for i in range(4)]
    assert (
        list(kids["params.clf__C"]) == [0.01, 0.1, 1.0, 10.0]
        and kids["metrics.mean_test_score"].notna().all()
    )


def test_boosting_names(executed):
    lgb_run = lt.get_run("lightgbm")
    assert {"training.binary_logloss", "valid_1.binary_logloss", "best_iteration"} <= set(
        lgb_run.metrics
    )
    assert lgb_run.params["learning_rate"] == 0.1 and lgb_run.params["num_boost_round"] == 200
    assert [a.name for a in lgb_run.artifacts] == [
        "feature_importance.csv",
        "feature_importance.svg",
    ]
    xgb_run = lt.get_run("xgboost")
    assert (
        set(xgb_run.metrics) == {"validation_0.logloss"}
        and xgb_run.metrics["validation_0.logloss"].count == 60
    )
    assert xgb_run.params["max_depth"] == 3


def test_keras_and_optuna_names(executed):
    keras_run = lt.get_run("keras")
    assert (
        keras_run.params["epochs"],
        keras_run.params["batch_size"],
        keras_run.params["optimizer"],
    ) == (5, 64, "Adam")
    assert (
        keras_run.params["optimizer.learning_rate"] == 0.01 and keras_run.params["param_count"] > 0
    )
    assert set(keras_run.metrics) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert keras_run.metrics["val_loss"].count == 5
    study = lt.get_run("study")
    trials = lt.runs(f"attributes.parent = {study.number}")
    assert list(trials["name"]) == [f"trial-{i}" for i in range(8)] and set(trials["status"]) == {
        "finished"
    }
    assert study.params["optuna.direction"] == "maximize" and "best_params.C" in study.params
    assert "estimator_class" not in study.params  # the trials' fits record nothing on the parent


def test_autologged_params_show_in_track_show(executed):
    cell = next(c for c in executed.cells if c.source.startswith("%track show forest"))
    shown = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
    assert "n_estimators" in shown and "autolog" in shown
