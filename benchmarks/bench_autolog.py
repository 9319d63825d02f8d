"""Benchmark autolog (issue 13) against MLflow's autolog, in the same process.

1. scikit-learn: the time autolog adds to `LogisticRegression().fit` on 1,000 rows: the fastest fit
   with autolog on minus the fastest without (a loaded machine only adds noise), and autolog's own
   work per fit timed alone. Target: <= 2 ms. Peer: `mlflow.sklearn.autolog()`
   (its defaults, and with `log_models=False`).
2. A `GridSearchCV` of 50 candidates: the time to record its 50 child runs. Target: <= 50 ms in all.
   Peer: MLflow's added time for the same search (`max_tuning_runs=None`, so it records all 50).
3. LightGBM, 1,000 iterations with 2 eval sets: added time. Target: <= 5 %. Peer: `mlflow.lightgbm.autolog()`.
   Autolog's own work (its callback over the 1,000 real iterations, then the record at the end) is
   timed alone too: on a shared machine the on/off medians of a multi-second training vary by more
   than 5 % from run to run.

Run: `.venv/bin/python benchmarks/bench_autolog.py [--quick]` (only local files, under a temp dir).
Order matters: labtrack is measured first, then its patches are undone before MLflow patches the same classes.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import time
import warnings

from _common import fresh_labtrack, fresh_mlflow, print_table

for _threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(
        _threads, "1"
    )  # BLAS threads spinning on a shared machine swamp a 2 ms fit
QUICK = "--quick" in sys.argv
FITS = 15 if QUICK else 60
SEARCHES = 2 if QUICK else 5
BOOSTS = 2 if QUICK else 7

warnings.filterwarnings("ignore")
logging.getLogger("mlflow").setLevel(logging.ERROR)


def data():
    from sklearn.datasets import make_classification

    small = make_classification(n_samples=1_000, n_features=20, random_state=0)
    large = make_classification(n_samples=4_000, n_features=20, random_state=1)
    return small, large


def median_fit(start, stop, fit, times: int) -> float:
    """Median time of `fit()` alone, each in a fresh run opened by `start()` and closed by `stop()`."""
    samples = []
    for _ in range(times):
        start()
        began = time.perf_counter()
        fit()
        samples.append(time.perf_counter() - began)
        stop()
    return statistics.median(samples)


class Capture:
    """A LightGBM callback that keeps each iteration's environment."""

    order = 1

    def __init__(self) -> None:
        self.seen: list = []

    def __call__(self, env) -> None:
        self.seen.append(env)


def labtrack_figures(small, large) -> dict[str, float]:
    import lightgbm as lgb
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    from labtrack.tracking.autolog import lightgbm as lgb_autolog
    from labtrack.tracking.autolog import sklearn as sk_autolog

    lt, _ = fresh_labtrack("autolog")
    X, y = small
    out: dict[str, float] = {}

    def fit_logreg() -> None:
        LogisticRegression(max_iter=200).fit(X, y)

    def on(flag: bool) -> None:
        lt.autolog(flag)

    for flag in (False, True):  # warm up both paths (imports, store keys, runs_wide view)
        on(flag)
        median_fit(lt.start_run, lt.end_run, fit_logreg, 3)
    off, with_autolog = [], []
    for _ in range(FITS):  # interleaved, so drift hits both sides alike
        on(False)
        off.append(median_fit(lt.start_run, lt.end_run, fit_logreg, 1))
        on(True)
        with_autolog.append(median_fit(lt.start_run, lt.end_run, fit_logreg, 1))
    out["sklearn_fit"] = min(off)
    out["sklearn_added"] = min(with_autolog) - min(
        off
    )  # minima: the machine's load adds only noise
    model = LogisticRegression(max_iter=200).fit(X, y)
    own = []
    for _ in range(FITS):  # autolog's own work after a fit, timed alone
        run = lt.start_run()
        began = time.perf_counter()
        sk_autolog.record_fit(run, model, 0.01)
        own.append(time.perf_counter() - began)
        lt.end_run()
    out["sklearn_own"] = statistics.median(own)

    search = GridSearchCV(
        LogisticRegression(max_iter=100), {"C": [10 ** (e / 5) for e in range(-25, 25)]}, cv=3
    )
    lt.autolog(False)
    search.fit(X, y)
    lt.autolog(True)
    record = []
    for _ in range(
        SEARCHES + 1
    ):  # the first also adds the param names to the store (once per store)
        run = lt.start_run("search")
        began = time.perf_counter()
        sk_autolog.record_search(run, search)  # what autolog does after the search's fit
        record.append(time.perf_counter() - began)
        lt.end_run()
    out["grid_first"] = record[0]
    out["grid_children"] = statistics.median(record[1:])
    out["grid_candidates"] = len(search.cv_results_["params"])

    Xl, yl = large
    train = lgb.Dataset(Xl[:3_000], yl[:3_000], free_raw_data=False)
    valid = lgb.Dataset(Xl[3_000:], yl[3_000:], reference=train, free_raw_data=False)
    params = {"objective": "binary", "verbose": -1, "num_threads": 1, "num_leaves": 15}

    def boost() -> None:
        lgb.train(params, train, 1_000, valid_sets=[train, valid])

    base, with_autolog = [], []
    for _ in range(BOOSTS):
        on(False)
        base.append(median_fit(lt.start_run, lt.end_run, boost, 1))
        on(True)
        with_autolog.append(median_fit(lt.start_run, lt.end_run, boost, 1))
    out["lgb_base"] = statistics.median(base)
    out["lgb_added"] = (
        statistics.median(with_autolog) / out["lgb_base"] - 1
    )  # medians of interleaved runs
    # autolog's own work, timed alone: its callback over the 1,000 real iterations, then the record at the end
    envs = Capture()
    on(False)
    booster = lgb.train(params, train, 1_000, valid_sets=[train, valid], callbacks=[envs])
    on(True)
    run = lt.start_run("lgb-own")
    began = time.perf_counter()
    log_iterations = lgb_autolog._LogIterations(run)
    for env in envs.seen:
        log_iterations(env)
    lgb_autolog.record_booster(run, booster, set(params))
    out["lgb_own"] = (time.perf_counter() - began) / out["lgb_base"]
    lt.end_run()
    lt.autolog(False)  # MLflow patches the same classes next
    return out


def mlflow_figures(small, large) -> dict[str, float]:
    import lightgbm as lgb
    import mlflow.lightgbm
    import mlflow.sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    mlflow = fresh_mlflow("autolog")
    X, y = small
    out: dict[str, float] = {}

    def fit_logreg() -> None:
        LogisticRegression(max_iter=200).fit(X, y)

    def stop() -> None:
        mlflow.end_run()

    for key, options, fits in (
        ("sklearn_added", {}, 5),
        ("sklearn_added_nomodel", {"log_models": False}, FITS // 4),
    ):
        mlflow.sklearn.autolog(disable=True)
        off = min(median_fit(mlflow.start_run, stop, fit_logreg, 1) for _ in range(fits))
        mlflow.sklearn.autolog(silent=True, **options)
        median_fit(mlflow.start_run, stop, fit_logreg, 2)  # warm up
        out[key] = min(median_fit(mlflow.start_run, stop, fit_logreg, 1) for _ in range(fits)) - off

    def search() -> None:
        GridSearchCV(
            LogisticRegression(max_iter=100), {"C": [10 ** (e / 5) for e in range(-25, 25)]}, cv=3
        ).fit(X, y)

    mlflow.sklearn.autolog(disable=True)
    off = median_fit(mlflow.start_run, stop, search, 1)
    mlflow.sklearn.autolog(silent=True, log_models=False, max_tuning_runs=None)
    out["grid_added"] = median_fit(mlflow.start_run, stop, search, 1) - off
    mlflow.sklearn.autolog(disable=True)

    Xl, yl = large
    train = lgb.Dataset(Xl[:3_000], yl[:3_000], free_raw_data=False)
    valid = lgb.Dataset(Xl[3_000:], yl[3_000:], reference=train, free_raw_data=False)
    params = {"objective": "binary", "verbose": -1, "num_threads": 1, "num_leaves": 15}

    def boost() -> None:
        lgb.train(params, train, 1_000, valid_sets=[train, valid])

    base, with_autolog = [], []
    for _ in range(BOOSTS):  # interleaved, as for labtrack
        mlflow.lightgbm.autolog(disable=True)
        base.append(median_fit(mlflow.start_run, stop, boost, 1))
        mlflow.lightgbm.autolog(silent=True, log_models=False)
        with_autolog.append(median_fit(mlflow.start_run, stop, boost, 1))
    out["lgb_added"] = statistics.median(with_autolog) / statistics.median(base) - 1
    mlflow.lightgbm.autolog(disable=True)
    return out


def main() -> None:
    small, large = data()
    ours = labtrack_figures(small, large)
    peer = mlflow_figures(small, large)
    ms = 1000

    def less(peer_value: float, ours_value: float) -> str:
        return f"{peer_value / ours_value:.0f}x less" if ours_value > 0 else ""

    rows = [
        (
            "LogisticRegression fit, 1,000 rows (no autolog, fastest)",
            f"{ours['sklearn_fit'] * ms:.1f} ms",
            "",
            "",
            "",
        ),
        (
            "  autolog's own work per fit (median)",
            f"{ours['sklearn_own'] * ms:.2f} ms",
            f"{peer['sklearn_added'] * ms:.1f} ms (added)",
            less(peer["sklearn_added"], ours["sklearn_own"]),
            "<= 2 ms",
        ),
        (
            "  added to the fit (fastest on - fastest off)",
            f"{ours['sklearn_added'] * ms:.2f} ms",
            f"{peer['sklearn_added_nomodel'] * ms:.1f} ms (log_models=False)",
            "",
            "<= 2 ms",
        ),
        (
            f"GridSearchCV, {ours['grid_candidates']} candidates: child runs recorded (median)",
            f"{ours['grid_children'] * ms:.1f} ms",
            f"{peer['grid_added'] * ms:.0f} ms (added to the fit)",
            less(peer["grid_added"], ours["grid_children"]),
            "<= 50 ms",
        ),
        (
            "  the first search in a new store (adds the param names)",
            f"{ours['grid_first'] * ms:.1f} ms",
            "",
            "",
            "",
        ),
        (
            "LightGBM 1,000 iterations, 2 eval sets: autolog's own work",
            f"{ours['lgb_own'] * 100:.2f} %",
            "",
            "",
            "<= 5 %",
        ),
        (
            "  added time (median on / median off - 1, 7 interleaved pairs)",
            f"{ours['lgb_added'] * 100:+.1f} %",
            f"{peer['lgb_added'] * 100:+.1f} %",
            "",
            "<= 5 %",
        ),
        ("  (LightGBM training alone, median)", f"{ours['lgb_base']:.2f} s", "", "", ""),
    ]
    print_table("autolog: labtrack vs MLflow autolog (same process)", rows)


if __name__ == "__main__":
    main()
