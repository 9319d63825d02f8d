"""lt.log_artifact and lt.log_dataset: every kind of object, content-addressed on disk."""

from __future__ import annotations

import io

import matplotlib
import pandas as pd
import pytest

import labtrack as lt

matplotlib.use("Agg")


def stored(name):
    artifact = {a.name: a for a in lt.get_run(1).artifacts}[name]
    return artifact, artifact.path.read_bytes()


def test_file_path_keeps_its_name_and_bytes(store, tmp_path):
    path = tmp_path / "model.pkl"
    path.write_bytes(b"\x00weights")
    with lt.run():
        assert lt.log_artifact(path) == "model.pkl"
    artifact, data = stored("model.pkl")
    assert data == b"\x00weights" and artifact.size == 8
    assert (
        artifact.path.parent.parent.name == "sha256"
        and artifact.path.parent.name == artifact.sha256[:2]
    )


def test_bytes_text_and_dedup(store):
    with lt.run():
        lt.log_artifact(b"same", "a.bin")
        lt.log_artifact(b"same", "b.bin")
        lt.log_artifact("hello ünïcode", "notes.md")
    (a, _), (b, _) = stored("a.bin"), stored("b.bin")
    notes, text = stored("notes.md")
    assert a.sha256 == b.sha256 and a.path == b.path
    assert text.decode() == "hello ünïcode" and notes.media_type.startswith("text/markdown")


def test_figure_is_stored_as_png(store):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    with lt.run():
        name = lt.log_artifact(fig, "curve")
    artifact, data = stored(name)
    assert (
        name == "curve.png"
        and artifact.media_type == "image/png"
        and data[:8] == b"\x89PNG\r\n\x1a\n"
    )
    plt.close(fig)


@pytest.mark.parametrize(("fmt", "reader"), [("parquet", pd.read_parquet), ("csv", pd.read_csv)])
def test_dataframe_round_trips(store, fmt, reader):
    frame = pd.DataFrame({"x": [1, 2], "label": ["a", "b"]})
    with lt.run():
        name = lt.log_artifact(frame, "table", format=fmt)
    _, data = stored(name)
    pd.testing.assert_frame_equal(reader(io.BytesIO(data)), frame)


@pytest.mark.parametrize(
    ("obj", "name", "message"),
    [
        ("no/such/file.txt", None, "no file at 'no/such/file.txt'; to store text, pass a name"),
        (object(), "x", "cannot store a object as an artifact"),
    ],
)
def test_bad_artifacts_say_how_to_fix(store, obj, name, message):
    with lt.run(), pytest.raises(ValueError, match=message):
        lt.log_artifact(obj, name)


def test_dataset_fingerprint_schema_and_shape(store):
    frame = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, 0.25, 0.0]})
    with lt.run():
        first = lt.log_dataset(frame, "train")
        assert lt.log_dataset(frame.copy(), "again") == first
        assert lt.log_dataset(frame.assign(b=[0.5, 0.25, 1.0]), "changed") != first
    dataset = {d["name"]: d for d in lt.get_run(1).datasets}["train"]
    assert (dataset["n_rows"], dataset["n_cols"], dataset["schema"]) == (
        3,
        2,
        {"a": "int64", "b": "float64"},
    )
