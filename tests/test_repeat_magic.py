"""`%%track --repeat N`: the cell once per seed, each its own run, grouped as repeats."""

from __future__ import annotations

import pytest

import labtrack as lt


def test_repeat_runs_the_cell_once_per_seed(ip):
    result = ip.run_cell(
        "%%track sweep --repeat 3 --metrics acc\nacc = 0.5 + seed / 10\nacc", store_history=True
    )
    assert result.success and result.result == pytest.approx(0.7)
    frame = lt.runs()
    assert list(frame["name"]) == ["sweep"] * 3 and list(frame["params.seed"]) == [0, 1, 2]
    assert list(frame["metrics.acc"]) == pytest.approx([0.5, 0.6, 0.7])
    table = lt.repeats()
    assert list(table["n"]) == [3] and table.loc[0, "acc.mean"] == pytest.approx(0.6)


def test_a_failing_repeat_stops_and_raises_as_usual(ip):
    result = ip.run_cell(
        "%%track --repeat 3\nif seed == 1:\n    raise ValueError('bad seed')", store_history=True
    )
    assert isinstance(result.error_in_exec, ValueError)
    assert list(lt.runs()["status"]) == ["finished", "failed"]


def test_repeat_must_be_positive(ip):
    result = ip.run_cell("%%track --repeat 0\npass")
    assert "--repeat takes a number of runs (1 or more)" in str(
        result.error_in_exec or result.error_before_exec
    )
