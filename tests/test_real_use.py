"""notebooks/real_use.ipynb, written as people write notebooks (a config dict, a confusion matrix with its
own pyplot import, a failing cell, figures saved and closed in a loop), executed twice in a row on real
kernels ("Restart & Run All"); then what the store holds is checked run by run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import labtrack as lt

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "real_use.ipynb"
NAMES = ["logreg", "forest", "confusion", "svm", "figures", "report"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook run top to bottom twice, each time in a fresh kernel; returns the last run's notebook."""
    folder = tmp_path_factory.mktemp("real_use")
    path = folder / "real_use.ipynb"
    shutil.copy(NOTEBOOK, path)
    env = {
        "LABTRACK_DIR": str(folder / ".labtrack"),
        "JPY_SESSION_NAME": str(path),
    }  # as jupyter_server sets it
    saved = {k: os.environ.get(k) for k in [*env, "LABTRACK_NOTEBOOK", "LABTRACK_EXPERIMENT"]}
    os.environ.update(env)
    os.environ.pop("LABTRACK_NOTEBOOK", None)
    os.environ.pop("LABTRACK_EXPERIMENT", None)
    try:
        for _ in range(2):
            nb = nbformat.read(path, as_version=4)
            NotebookClient(
                nb,
                kernel_name="python3",
                timeout=300,
                resources={"metadata": {"path": str(folder)}},
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


def runs_named(name: str) -> list:
    frame = lt.runs(f"attributes.name = '{name}'", experiment="real_use")
    return [lt.get_run(int(n)) for n in frame["number"]]


def test_every_try_of_both_passes_is_a_run_of_the_notebooks_experiment(executed):
    frame = lt.runs()
    assert list(frame["name"]) == NAMES * 2 and set(frame["experiment"]) == {"real_use"}
    assert (
        list(frame["status"])
        == ["finished", "finished", "finished", "failed", "finished", "finished"] * 2
    )


def test_the_config_dict_and_the_arithmetic_are_params_and_filter_by_dotted_name(executed):
    for run in runs_named("logreg"):
        literal = {"cfg.C": 0.5, "cfg.max_iter": 2000, "cfg.solver.name": "lbfgs", "frac": 0.25}
        assert run.params.items() >= literal.items()
        # and autolog recorded the estimator's own settings, under sklearn's names
        assert (run.params["estimator_class"], run.params["C"], run.tags["autolog"]) == (
            "LogisticRegression",
            0.5,
            "sklearn",
        )
    assert {r.params["forest.n_estimators"] for r in runs_named("forest")} == {50}
    assert (
        list(lt.runs("params.`cfg.solver.name` = 'lbfgs' and params.cfg.C < 1")["name"])
        == ["logreg"] * 2
    )


def test_the_failed_cell_records_what_it_assigned_and_no_older_metric(executed):
    for run in runs_named("svm"):
        assert (run.status, run.error_type) == ("failed", "InvalidParameterError")
        assert run.params.items() >= {"kernel": "rbf", "C": -1.0}.items() and run.metrics == {}
    svm_cell = next(c for c in executed.cells if c.source.startswith("%%track svm"))
    text = "".join(o.get("text", "") for o in svm_cell.outputs)
    assert "--metrics acc: not assigned by this cell before it failed" in text


def test_every_figure_is_kept_once_named_by_its_title(executed):
    for run in runs_named("confusion"):  # pyplot first imported in this cell, shown with plt.show()
        assert [a.name for a in run.artifacts] == ["confusion-matrix.png"]
    for run in runs_named("figures"):  # savefig + close in a loop, display(fig), pandas .plot()
        assert sorted(a.name for a in run.artifacts) == [
            "a-digit.png",
            "accuracy-by-depth.png",
            "importance-depth-2.png",
            "importance-depth-4.png",
        ]
        assert all(a.path.read_bytes().startswith(b"\x89PNG") for a in run.artifacts)
    for run in runs_named(
        "report"
    ):  # the Agg backend: the figure stays open and is kept at the end
        assert [a.name for a in run.artifacts] == ["accuracy-by-depth.png"]


def test_the_metric_defined_before_any_run_applies_to_the_notebooks_runs(executed):
    frame = lt.runs("metrics.acc > 0", experiment="real_use")
    assert len(frame) == 6 and frame["target.acc"].tolist() == [True] * 6
    assert "in experiment 'real_use'" in "".join(
        o.get("text", "") for o in executed.cells[3].outputs
    )
