"""`lt.log_artifact(df)` of a frame Parquet refuses (a column mixing numbers and text) never fails the
cell: it is stored as CSV, one warning says so and how to keep the types."""

from __future__ import annotations

import io
import warnings

import pandas as pd

import labtrack as lt
from labtrack.notebook.capture import TrackingWarning

CELL = """%%track
import pandas as pd
import labtrack as lt
df = pd.DataFrame({"id": [1, "b7", 3.5], "score": [0.1, 0.2, 0.3]})
lt.log_artifact(df, "scores")
len(df)"""


def test_a_frame_with_a_mixed_column_is_stored_as_csv_and_the_cell_succeeds(ip):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = ip.run_cell(CELL)
    said = [str(w.message) for w in caught if issubclass(w.category, TrackingWarning)]
    assert result.success and result.result == 3
    assert (
        len(said) == 1
        and "could not be stored as Parquet" in said[0]
        and "stored as 'scores.csv'" in said[0]
    )
    assert "astype(str)" in said[0]
    (artifact,) = lt.get_run(1).artifacts
    assert artifact.name == "scores.csv" and artifact.media_type.startswith("text/csv")
    back = pd.read_csv(io.BytesIO(artifact.path.read_bytes()))
    assert back["id"].astype(str).tolist() == ["1", "b7", "3.5"] and back["score"].tolist() == [
        0.1,
        0.2,
        0.3,
    ]


def test_a_frame_parquet_accepts_is_still_parquet_without_a_warning(store):
    with warnings.catch_warnings(record=True) as caught, lt.run():
        warnings.simplefilter("always")
        name = lt.log_artifact(pd.DataFrame({"a": [1, 2]}), "ok")
    assert name == "ok.parquet" and not [
        w for w in caught if issubclass(w.category, TrackingWarning)
    ]
