"""What the store keeps is what happened: steps are whole numbers, a step logged again keeps the newer
point, the summaries equal the history, a bad step or value is refused without a trace, and a run
ended by `sys.exit(0)` is finished."""

from __future__ import annotations

import math

import numpy as np
import pytest

import labtrack as lt
from labtrack.errors import InvalidValue
from labtrack.fluent.session import default_lab


def summary_matches_history(run_number: int, metric: str) -> None:
    history = lt.history(run_number, metric)["value"].tolist()
    finite = [v for v in history if not math.isnan(v)]
    summary = lt.get_run(run_number).metrics[metric]
    assert summary.count == len(finite) and summary.nan_count == len(history) - len(finite)
    assert (summary.min, summary.max, summary.last) == (min(finite), max(finite), history[-1])
    assert summary.mean == pytest.approx(sum(finite) / len(finite))


@pytest.mark.parametrize("flush_between", [False, True])
def test_a_step_logged_again_keeps_the_newer_point_and_the_summary_follows(store, flush_between):
    with lt.run() as run:
        for step, value in enumerate([1.0, 100.0, 3.0, 4.0, 5.0]):
            lt.log(step=step, acc=value)
        if flush_between:
            store.points.flush()
        lt.log(step=1, acc=7.0)
        lt.log(step=0, acc=float("nan"))
    assert lt.history(run.number, "acc")["value"].tolist()[1:] == [7.0, 3.0, 4.0, 5.0]
    summary_matches_history(run.number, "acc")


def test_an_epoch_loop_that_logs_the_same_step_many_times_keeps_one_point_per_step(store):
    with lt.run() as run:
        for epoch in range(3):
            for batch in range(500):
                lt.log(step=epoch, loss=epoch * 1000.0 + batch)
    assert lt.history(run.number, "loss")["value"].tolist() == [499.0, 1499.0, 2499.0]
    summary_matches_history(run.number, "loss")


@pytest.mark.parametrize("step", [0.5, 2.25, float("nan"), "3", np.float64(1.5)])
def test_a_fractional_step_is_refused_with_the_fix_and_uses_nothing(store, step):
    with lt.run() as run:
        with pytest.raises(InvalidValue, match="not a whole number.*log it as a metric"):
            lt.log(step=step, loss=1.0)
        lt.log(loss=2.0)
    assert lt.history(run.number, "loss")["step"].tolist() == [0]


@pytest.mark.parametrize(
    "step, stored", [(2.0, 2), (np.int64(5), 5), (np.float32(3.0), 3), (True, 1)]
)
def test_whole_steps_of_any_numeric_type_are_kept(store, step, stored):
    with lt.run() as run:
        lt.log(step=step, loss=1.0)
    assert lt.history(run.number, "loss")["step"].tolist() == [stored]


def test_a_step_past_2_63_is_refused_and_later_points_still_flush(store):
    with lt.run() as run:
        lt.log(loss=1.0)
        with pytest.raises(InvalidValue, match="out of range"):
            lt.log(step=2**63, loss=2.0)
        with pytest.raises(InvalidValue, match="out of range"):
            lt.log(step=-(2**63) - 1, loss=2.0)
        store.points.flush()
        lt.log(loss=3.0)
    assert lt.history(run.number, "loss")["value"].tolist() == [1.0, 3.0]


def test_a_refused_value_uses_no_step(store):
    with lt.run() as run:
        lt.log(acc=0.5)
        with pytest.raises(InvalidValue, match="must be a number"):
            lt.log(acc="high")
        with pytest.raises(InvalidValue, match="must be a number"):
            lt.log(acc=np.array([0.1, 0.2]))
        lt.log(acc=0.7)
    assert lt.history(run.number, "acc")["step"].tolist() == [0, 1]
    summary_matches_history(run.number, "acc")


@pytest.mark.parametrize(
    "code, status", [(0, "finished"), (None, "finished"), (1, "failed"), ("bye", "failed")]
)
def test_sys_exit_ends_the_run_by_its_code(store, code, status):
    with pytest.raises(SystemExit), lt.run() as run:
        raise SystemExit(code)
    assert lt.get_run(run.number).status == status


def test_summaries_of_a_long_run_with_nan_and_a_rewritten_tail_equal_the_history(store):
    with lt.run() as run:
        for i in range(250_000):
            lt.log(loss=float("nan") if i % 1000 == 0 else 1.0 / (i + 1))
        for i in range(249_990, 250_000):
            lt.log(step=i, loss=-1.0)
    assert default_lab().store.read("SELECT count(*) FROM metric_points")[0][0] == 250_000
    summary_matches_history(run.number, "loss")
