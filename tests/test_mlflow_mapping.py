"""The mapping of labtrack runs onto MLflow's model: names MLflow accepts, and batches within its limits."""

from __future__ import annotations

import json

import pytest

from labtrack.mlflow_bridge.mapping import (
    MAX_BATCH_BYTES,
    STATUS,
    artifact_path,
    clip,
    mlflow_key,
    pack_batches,
    param_text,
    unique_keys,
)


@pytest.mark.parametrize(
    "name, key",
    [
        ("acc", "acc"),
        ("val/loss", "val/loss"),
        ("acc@1", "acc_1"),
        ("/abs", "_abs"),
        ("a//b", "a__b"),
        ("..", "_.."),
        ("é ok:1", "é ok:1"),
    ],
)
def test_mlflow_key_makes_names_mlflow_accepts(name, key):
    assert mlflow_key(name) == key


def test_unique_keys_keep_valid_names_and_separate_collisions():
    assert unique_keys(["a_b", "a@b", "a#b"]) == {"a_b": "a_b", "a#b": "a_b_2", "a@b": "a_b_3"}


def test_batches_stay_within_mlflow_limits():
    params = [(f"p{i}", "v" * 6000) for i in range(150)]
    tags = [(f"t{i}", "w" * 8000) for i in range(30)]
    points = [("loss", 0.5, 0, i) for i in range(2500)]
    batches = list(pack_batches(params, tags, points))
    assert sum(len(p) for p, _, _ in batches) == 150 and sum(len(m) for _, _, m in batches) == 2500
    for p, t, m in batches:
        assert (
            len(p) <= 100 and len(t) <= 100 and len(m) <= 1000 and len(p) + len(t) + len(m) <= 1000
        )
        assert len(json.dumps([p, t, m])) < MAX_BATCH_BYTES


@pytest.mark.parametrize(
    "value, text",
    [
        (0.01, "0.01"),
        (True, "True"),
        (None, "None"),
        ([64, 32], "[64, 32]"),
        ({"b": 1, "a": 2}, '{"a": 2, "b": 1}'),
        (float("nan"), "nan"),
    ],
)
def test_param_text_is_what_mlflow_log_param_would_store(value, text):
    assert param_text(value) == text


def test_long_values_are_cut_with_an_ellipsis():
    assert clip("x" * 7000, 6000) == ("x" * 5999 + "…", True) and clip("ok", 6000) == ("ok", False)


@pytest.mark.parametrize(
    "name, path",
    [
        ("fig.png", "fig.png"),
        ("a/../b.txt", "a/b.txt"),
        ("/etc/x", "etc/x"),
        ("labtrack/run.json", "_labtrack/run.json"),
    ],
)
def test_artifact_paths_stay_inside_the_run(name, path):
    assert artifact_path(name) == path


def test_every_labtrack_status_has_an_mlflow_status():
    assert STATUS == {
        "finished": "FINISHED",
        "failed": "FAILED",
        "crashed": "FAILED",
        "interrupted": "KILLED",
        "running": "RUNNING",
    }
