"""Histories at any length: streamed in chunks (equal to one read), thinned in SQL (extremes and ends
kept), and comparisons that read summaries plus thinned histories unless asked for every point."""

from __future__ import annotations

import math

import numpy as np
import pytest

import labtrack as lt
from labtrack.client import lab as lab_module
from labtrack.store import frames


def curve(n: int) -> list[float]:
    """A falling curve with a spike up at n // 3 and one down at 2n // 3."""
    return [100.0 if i == n // 3 else -50.0 if i == 2 * n // 3 else 1.0 / (i + 1) for i in range(n)]


@pytest.fixture
def long_run(store):
    with lt.run("long") as run:
        for value in curve(5000):
            lt.log(loss=value)
    return run.number


def test_history_read_in_small_chunks_equals_one_read(long_run, monkeypatch):
    whole = lt.history(long_run, "loss")
    monkeypatch.setattr(frames, "HISTORY_CHUNK", 7)
    chunked = lt.history(long_run, "loss")
    assert chunked.equals(whole)
    assert whole["value"].tolist() == curve(5000) and whole["step"].tolist() == list(range(5000))


def test_sparse_nan_and_relogged_steps_come_back_as_logged(store):
    with lt.run("odd") as run:
        lt.log(step=10, loss=1.0)
        lt.log(step=30, loss=math.nan)
        lt.log(step=20, loss=3.0)
        lt.log(step=20, loss=2.0)  # the same step again: the later point wins
        lt.log(step=1000, loss=math.inf)
    frame = lt.history(run.number, "loss")
    assert frame["step"].tolist() == [10, 20, 30, 1000]
    values = frame["value"].tolist()
    assert values[:2] == [1.0, 2.0] and math.isnan(values[2]) and values[3] == math.inf
    assert list(frame.columns) == ["number", "name", "metric", "step", "value", "time"]


def test_history_columns_are_numpy_arrays(long_run):
    frame = lt.history(long_run, "loss")
    assert [str(t) for t in frame.dtypes[["number", "step", "value"]]] == [
        "int64",
        "int64",
        "float64",
    ]
    assert str(frame["time"].dtype).startswith("datetime64")


def test_thinned_history_keeps_extremes_spikes_and_both_ends(long_run):
    whole = lt.history(long_run, "loss")
    thin = lt.history(long_run, "loss", max_points=200)
    assert len(thin) <= 202
    assert (thin["value"].min(), thin["value"].max()) == (-50.0, 100.0)
    assert (thin["step"].iloc[0], thin["step"].iloc[-1]) == (0, 4999)
    merged = thin.merge(whole, on="step", suffixes=("", "_all"))  # every kept point is a real one
    assert len(merged) == len(thin) and (merged["value"] == merged["value_all"]).all()


@pytest.mark.parametrize("max_points", [0, 1, 2.5, True])
def test_max_points_must_be_a_count(long_run, max_points):
    with pytest.raises(ValueError, match="max_points must be a whole number"):
        lt.history(long_run, "loss", max_points=max_points)


def test_chart_history_thins_wide_buckets_one_range_at_a_time(store):
    with lt.run("wide") as run:
        for step in range(0, 600_000, 100):  # 6,000 points over 600,000 steps: buckets of 600 steps
            lt.log(step=step, loss=math.sin(step / 5000))
    series = store.chart_history([run.number], "loss", max_points=100)[run.number]
    assert series["count"] == 6000 and series["downsampled"] and len(series["steps"]) <= 102
    assert (series["steps"][0], series["steps"][-1]) == (0, 599_900)
    assert max(series["values"]) == pytest.approx(1.0, abs=1e-4)


def test_compare_of_thinned_histories_keeps_exact_summaries(long_run, store, monkeypatch):
    lt.metric("loss", goal="min")
    full = lt.compare(long_run, full=True, at_step=1234)
    monkeypatch.setattr(lab_module, "COMPARE_FULL_UP_TO", 1000)
    monkeypatch.setattr(lab_module, "COMPARE_POINTS", 100)
    thinned = lt.compare(long_run, at_step=1234)
    assert len(thinned.history("loss")) < 200 < len(full.history("loss"))
    assert np.allclose(
        thinned.metrics.to_numpy(), full.metrics.to_numpy(), equal_nan=True, rtol=1e-12
    )
