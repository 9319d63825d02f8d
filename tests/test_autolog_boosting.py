"""Autolog for LightGBM and XGBoost: their native `train` and their scikit-learn estimators, in a
`%%track` cell and inside `lt.run`."""

from __future__ import annotations

import lightgbm as lgb
import numpy as np
import pytest
import xgboost as xgb

import labtrack as lt

rng = np.random.default_rng(0)
X = rng.random((300, 4))
Y = (X[:, 0] + 0.2 * rng.random(300) > 0.6).astype(int)
TRAIN, VALID = slice(0, 200), slice(200, 300)


@pytest.fixture(autouse=True)
def autolog_on(store_dir):
    lt.autolog()
    yield
    lt.autolog()


def steps(run: int, metric: str) -> list[int]:
    return list(lt.history(run, metric)["step"])


# -- LightGBM ---------------------------------------------------------------------------------
def test_lgb_train_in_a_tracked_cell_records_params_curves_best_and_importance(ip):
    ip.user_ns.update(X=X, y=Y)
    cell = (
        "%%track lgb\nimport lightgbm as lgb\n"
        "train = lgb.Dataset(X[:200], y[:200]); valid = lgb.Dataset(X[200:], y[200:], reference=train)\n"
        "booster = lgb.train({'objective': 'binary', 'learning_rate': 0.3, 'verbose': -1}, train, 40,\n"
        "                    valid_sets=[valid], callbacks=[lgb.early_stopping(3, verbose=False)])"
    )
    assert ip.run_cell(cell).success
    record = lt.get_run("lgb")
    booster = ip.user_ns["booster"]
    assert {
        "objective": "binary",
        "learning_rate": 0.3,
        "verbose": -1,
        "num_boost_round": 40,
    }.items() <= record.params.items()
    assert (
        record.params["num_leaves"] == 31 and record.params["boosting"] == "gbdt"
    )  # resolved defaults
    assert "data" not in record.params and "machines" not in record.params
    assert set(record.metrics) == {
        "valid_0.binary_logloss",
        "best_iteration",
        "best_score.valid_0.binary_logloss",
    }
    assert steps(record.number, "valid_0.binary_logloss") == list(
        range(booster.best_iteration + 3)
    )  # up to the stop
    assert record.metrics["best_iteration"].last == booster.best_iteration
    assert record.metrics["best_score.valid_0.binary_logloss"].last == pytest.approx(
        booster.best_score["valid_0"]["binary_logloss"]
    )
    assert [a.name for a in record.artifacts] == [
        "feature_importance.csv",
        "feature_importance.svg",
    ]
    csv = record.artifacts[0].path.read_text().splitlines()
    assert (
        csv[0] == "feature,split,gain"
        and [line.split(",")[0] for line in csv[1:]] == booster.feature_name()
    )
    assert record.artifacts[1].path.read_text().startswith("<svg") and record.tags == {
        "autolog": "lightgbm"
    }


def test_lgbm_classifier_with_two_eval_sets_uses_lightgbms_names(store_dir):
    model = lgb.LGBMClassifier(n_estimators=15, num_leaves=7, verbose=-1)
    with lt.run("lgbm") as run:
        model.fit(X[TRAIN], Y[TRAIN], eval_X=(X[TRAIN], X[VALID]), eval_y=(Y[TRAIN], Y[VALID]))
    record = lt.get_run(run.number)
    assert set(record.metrics) == {"valid_0.binary_logloss", "valid_1.binary_logloss"}
    assert steps(run.number, "valid_1.binary_logloss") == list(range(15))
    assert record.params["num_leaves"] == 7 and record.params["num_boost_round"] == 15
    assert (
        "estimator_class" not in record.params
    )  # its own integration records it, not scikit-learn's
    assert lt.runs().shape[0] == 1


def test_lgb_callbacks_list_of_the_user_is_left_unchanged(store_dir):
    callbacks = [lgb.record_evaluation(result := {})]
    train = lgb.Dataset(X[TRAIN], Y[TRAIN])
    with lt.run():
        lgb.train(
            {"objective": "binary", "verbose": -1},
            train,
            5,
            valid_sets=[train],
            callbacks=callbacks,
        )
    assert len(callbacks) == 1 and len(result["training"]["binary_logloss"]) == 5


def test_lgb_result_is_the_same_with_autolog(store_dir):
    params = {"objective": "binary", "verbose": -1, "deterministic": True, "num_threads": 1}
    plain = lgb.train(params, lgb.Dataset(X, Y), 10).predict(X)
    with lt.run():
        tracked = lgb.train(params, lgb.Dataset(X, Y), 10).predict(X)
    assert np.array_equal(plain, tracked)


# -- XGBoost ----------------------------------------------------------------------------------
def test_xgb_train_records_params_curves_best_and_importance(store_dir):
    dtrain, dvalid = xgb.DMatrix(X[TRAIN], Y[TRAIN]), xgb.DMatrix(X[VALID], Y[VALID])
    with lt.run("xgb") as run:
        booster = xgb.train(
            {"objective": "binary:logistic", "eta": 0.3, "max_depth": 3},
            dtrain,
            30,
            evals=[(dtrain, "train"), (dvalid, "eval")],
            early_stopping_rounds=3,
            verbose_eval=False,
        )
    record = lt.get_run(run.number)
    assert {
        "objective": "binary:logistic",
        "eta": 0.3,
        "max_depth": 3,
        "num_boost_round": 30,
        "early_stopping_rounds": 3,
    }.items() <= record.params.items()
    assert (
        record.params["tree_method"] == "auto" and record.params["subsample"] == 1
    )  # resolved defaults
    assert set(record.metrics) == {"train.logloss", "eval.logloss", "best_iteration", "best_score"}
    assert steps(run.number, "eval.logloss") == list(range(booster.num_boosted_rounds()))
    assert record.metrics["best_iteration"].last == booster.best_iteration
    assert record.metrics["best_score"].last == pytest.approx(booster.best_score)
    assert [a.name for a in record.artifacts] == [
        "feature_importance.csv",
        "feature_importance.svg",
    ]
    assert record.artifacts[0].path.read_text().splitlines()[0] == "feature,weight,gain"
    assert record.tags == {"autolog": "xgboost"}


def test_xgb_classifier_in_a_tracked_cell_uses_xgboosts_names(ip):
    ip.user_ns.update(X=X, y=Y)
    cell = (
        "%%track xgbc\nfrom xgboost import XGBClassifier\n"
        "model = XGBClassifier(n_estimators=12, max_depth=2).fit(X[:200], y[:200],\n"
        "    eval_set=[(X[:200], y[:200]), (X[200:], y[200:])], verbose=False)"
    )
    assert ip.run_cell(cell).success
    record = lt.get_run("xgbc")
    assert set(record.metrics) == {"validation_0.logloss", "validation_1.logloss"}
    assert steps(record.number, "validation_0.logloss") == list(range(12))
    assert record.params["max_depth"] == 2 and record.params["num_boost_round"] == 12
    assert "estimator_class" not in record.params


def test_xgb_disabled_records_nothing_while_others_go_on(store_dir):
    lt.autolog(disable=["xgboost"])
    with lt.run() as run:
        xgb.train({"objective": "binary:logistic"}, xgb.DMatrix(X, Y), 3)
        lgb.train({"objective": "binary", "verbose": -1}, lgb.Dataset(X, Y), 3)
    record = lt.get_run(run.number)
    assert record.tags == {"autolog": "lightgbm"} and "tree_method" not in record.params
