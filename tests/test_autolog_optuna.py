"""Autolog for Optuna: a child run per trial, in a `%%track` cell and inside `lt.run`."""

from __future__ import annotations

import optuna
import pytest

import labtrack as lt

optuna.logging.set_verbosity(optuna.logging.WARNING)


@pytest.fixture(autouse=True)
def autolog_on(store_dir):
    lt.autolog()
    yield
    lt.autolog()


def objective(trial: optuna.Trial) -> float:
    """Pruned when x < -5 (after reporting), failed when x > 8, else (x - 2)^2."""
    x = trial.suggest_float("x", -10, 10)
    kind = trial.suggest_categorical("kind", ["a", "b"])
    for step in range(3):
        trial.report(x + step, step)
    if x < -5:
        raise optuna.TrialPruned()
    if x > 8:
        raise ValueError("too far")
    return (x - 2) ** 2 + (kind == "b")


def trial_runs(parent: int):
    return lt.runs(f"attributes.parent = {parent}").sort_values("number")


def test_optimize_in_a_tracked_cell_makes_a_child_run_per_trial(ip):
    ip.user_ns.update(optuna=optuna, objective=objective)
    cell = (
        "%%track study\nstudy = optuna.create_study(direction='minimize', sampler=optuna.samplers.RandomSampler(seed=1))\n"
        "study.optimize(objective, n_trials=20, catch=(ValueError,))"
    )
    assert ip.run_cell(cell).success
    study = ip.user_ns["study"]
    parent = lt.get_run("study")
    kids = trial_runs(parent.number)
    assert list(kids["name"]) == [f"trial-{t.number}" for t in study.trials]
    states = {"COMPLETE": "finished", "PRUNED": "interrupted", "FAIL": "failed"}
    assert list(kids["status"]) == [states[t.state.name] for t in study.trials]
    assert {"finished", "interrupted", "failed"} == set(kids["status"])  # seed 1 gives all three
    assert list(kids["params.x"]) == pytest.approx([t.params["x"] for t in study.trials])
    assert list(kids["params.kind"]) == [t.params["kind"] for t in study.trials]
    assert list(kids[kids["status"] == "interrupted"]["tags.optuna.state"].unique()) == ["pruned"]
    done = next(t for t in study.trials if t.state.name == "COMPLETE")
    child = lt.get_run(f"trial-{done.number}")
    assert child.metrics["value"].last == pytest.approx(done.value)
    assert list(lt.history(child.number, "intermediate_value")["value"]) == pytest.approx(
        [done.intermediate_values[s] for s in range(3)]
    )
    assert child.tags == {
        "autolog": "optuna",
        "optuna.state": "complete",
        "optuna.trial": str(done.number),
    }
    assert parent.params == {
        "optuna.sampler": "RandomSampler",
        "optuna.pruner": "MedianPruner",
        "optuna.direction": "minimize",
        "optuna.n_trials": 20,
        "best_params.x": study.best_params["x"],
        "best_params.kind": study.best_params["kind"],
    }
    assert parent.metrics["best_value"].last == pytest.approx(study.best_value)
    assert lt.open().definitions(parent.experiment)["value"].goal == "min"


def test_threads_record_every_trial_once(store_dir):
    study = optuna.create_study(direction="maximize")
    with lt.run("threads") as run:
        study.optimize(lambda t: t.suggest_int("n", 0, 100), n_trials=24, n_jobs=4)
    kids = trial_runs(run.number)
    assert sorted(kids["name"]) == sorted(f"trial-{i}" for i in range(24)) and set(
        kids["status"]
    ) == {"finished"}
    assert lt.get_run(run.number).metrics["best_value"].last == study.best_value
    assert lt.open().definitions(run.experiment)["value"].goal == "max"


def test_a_trial_whose_error_ends_the_study_is_still_recorded_as_failed(store_dir):
    def boom(trial):
        trial.suggest_float("x", 0, 1)
        raise RuntimeError("objective broke")

    study = optuna.create_study()
    with pytest.raises(RuntimeError, match="objective broke"), lt.run("boom"):
        study.optimize(boom, n_trials=3)
    kids = trial_runs(lt.get_run("boom").number)
    assert list(kids["name"]) == ["trial-0"] and list(kids["status"]) == ["failed"]


def test_multi_objective_studies_define_each_objective(store_dir):
    study = optuna.create_study(directions=["minimize", "maximize"])
    with lt.run() as run:
        study.optimize(
            lambda t: (t.suggest_float("x", 0, 1), t.suggest_float("y", 0, 1)), n_trials=3
        )
    child = lt.get_run(int(trial_runs(run.number)["number"].iloc[0]))
    assert set(child.metrics) == {"value_0", "value_1"}
    defined = lt.open().definitions(run.experiment)
    assert (defined["value_0"].goal, defined["value_1"].goal) == ("min", "max")
    assert lt.get_run(run.number).params["optuna.directions"] == ["minimize", "maximize"]


def test_fits_inside_trials_do_not_record_into_the_parent(store_dir):
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    X, y = make_classification(100, random_state=0)

    def fit(trial):
        return LogisticRegression(C=trial.suggest_float("C", 0.1, 1)).fit(X, y).score(X, y)

    with lt.run() as run:
        optuna.create_study(direction="maximize").optimize(fit, n_trials=3)
    assert "estimator_class" not in lt.get_run(run.number).params
