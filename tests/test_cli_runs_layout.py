"""`labtrack runs` on a real store (75 runs × 25 params × 14 metrics) in a 100-column terminal:
headers on one line, the defined metrics first with ↑/↓, values readable, the rest one option away."""

from __future__ import annotations

import random

import pytest
from click.testing import CliRunner

import labtrack as lt
from labtrack.cli import cli

METRICS = [
    "val_accuracy",
    "val_loss",
    "train_accuracy",
    "train_loss",
    "f1_macro",
    "precision_weighted",
    "recall_weighted",
    "roc_auc_ovr",
    "log_loss_on_holdout",
    "fit_seconds",
    "predict_seconds",
    "memory_peak_megabytes",
    "calibration_error",
    "brier_score",
]


@pytest.fixture
def real_store(store_dir):
    rng = random.Random(1)
    lt.metric("val_accuracy", goal="max")
    lt.metric("val_loss", goal="min")
    for i in range(75):
        params = {
            f"param_{j}": rng.choice(
                [0.1, 1e-4, 32, "gradient_boosting_classifier", {"a": [1, 2, 3]}]
            )
            for j in range(25)
        }
        with lt.run(f"experiment-run-with-a-long-name-{i}", params=params):
            lt.log(**{m: rng.random() for m in METRICS})
    return store_dir


def labtrack(*args: str, columns: int = 100) -> str:
    result = CliRunner().invoke(
        cli, list(args), env={"COLUMNS": str(columns)}, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_every_line_fits_and_the_defined_metrics_come_first(real_store):
    out = labtrack("runs", "--limit", "8")
    lines = out.splitlines()
    assert all(len(line) <= 100 for line in lines)
    header = lines[0].split()
    assert header[:5] == ["#", "name", "status", "start", "duration"]
    assert header[5:9] == ["val_accuracy", "↑", "val_loss", "↓"]
    assert len([line for line in lines if line.strip().startswith(("68 ", "75 "))]) == 2
    assert "Showing the newest 8 of 75 runs." in out and "Columns left out to fit" in out


def test_metric_values_are_whole_and_long_values_are_cut(real_store):
    out = labtrack("runs", "-n", "3", "--columns", "metrics.val*,params.param_1*")
    row = out.splitlines()[1]
    value = lt.runs().iloc[-3]["metrics.val_accuracy"]
    assert f"{value:.6g}" in row
    assert "…" in out and "gradient_boosting_classifier" not in out  # cut, never wrapped
    assert out.splitlines()[0].split()[:5] == ["#", "val_accuracy", "↑", "val_loss", "↓"]


def test_wide_shows_every_column_and_whole_values(real_store):
    out = labtrack("runs", "-n", "2", "--wide", columns=100)
    assert "gradient_boosting_classifier" in out or '{"a": [1, 2, 3]}' in out
    assert all(m in out for m in METRICS)


def test_only_columns_the_shown_rows_use(store_dir):
    with lt.run("a", params={"lr": 0.1}):
        lt.log(loss=0.5)
    with lt.run("b", params={"depth": 3}):
        lt.log(acc=0.9)
    out = labtrack("runs", "-n", "1")
    assert "depth" in out and "acc" in out and "lr" not in out.split() and "loss" not in out


def test_store_is_accepted_after_the_command_and_limit_0_says_so(real_store, tmp_path, monkeypatch):
    monkeypatch.delenv("LABTRACK_DIR")
    monkeypatch.chdir(tmp_path)
    out = labtrack("runs", "--store", str(real_store), "--limit", "0")
    assert out.strip() == "75 runs match; --limit 0 shows none of them."
    assert "75" in labtrack("--store", str(real_store), "runs", "-n", "1")
