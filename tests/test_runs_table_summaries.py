"""`%track runs` shows a defined metric's summary (best or mean) in its column, named in the header."""

from __future__ import annotations

import math

import pytest

import labtrack as lt
from labtrack.client import MetricDefinition
from labtrack.fluent.session import default_lab


def log_runs() -> list[int]:
    numbers = []
    for accs in ([0.7, 0.95, 0.6], [0.5, 0.55], [math.nan]):
        with lt.run() as run:
            for acc in accs:
                lt.log(acc=acc, loss=1 - acc)
        numbers.append(run.number)
    return numbers


def test_summary_values_follow_the_definition(store_dir) -> None:
    first, second, nan_only = log_runs()
    lab = default_lab()
    best = lab.summary_values(
        [first, second, nan_only, 99], MetricDefinition("acc", "max", None, "best", None)
    )
    assert {k: v for k, v in best.items() if k != nan_only} == {first: 0.95, second: 0.55}
    assert math.isnan(best[nan_only]) and 99 not in best
    mean = lab.summary_values([first], MetricDefinition("loss", "min", None, "mean", None))
    assert mean == {first: pytest.approx((0.3 + 0.05 + 0.4) / 3)}


def test_track_runs_shows_the_defined_summary(ip, capsys) -> None:
    log_runs()
    lt.metric("acc", goal="max", summary="best")
    lt.metric("loss", goal="min")
    capsys.readouterr()
    ip.run_cell("%track runs", store_history=True)
    out = capsys.readouterr().out
    header = out.splitlines()[1]
    assert "acc ↑ best" in header and "loss ↓" in header and "loss ↓ last" not in header
    rows = [line.split() for line in out.splitlines()[2:]]
    assert [row[2:4] for row in rows[:2]] == [
        ["0.95", "0.4"],
        ["0.55", "0.45"],
    ]  # best acc, last loss
    assert (
        rows[2][:2] == ["3", "finished"] and len(rows[2]) == 5
    )  # only NaN acc, no loss: blank cells


def test_track_runs_all_uses_the_store_wide_definitions(ip, capsys) -> None:
    log_runs()
    lt.metric("acc", goal="max", summary="mean", store_wide=True)
    lt.metric("acc", goal="max", summary="best")  # the Default experiment's own: not for --all
    capsys.readouterr()
    ip.run_cell("%track runs --all", store_history=True)
    out = capsys.readouterr().out
    assert "acc ↑ mean" in out.splitlines()[1]
    assert out.splitlines()[2].split()[2] == f"{(0.7 + 0.95 + 0.6) / 3:.4g}"
