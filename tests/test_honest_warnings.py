"""Warnings that tell the truth: a user's value that cannot be recorded (an array as a metric, a
100 MB array as a param) says what was skipped and how to record it instead, never "labtrack bug";
the other values of the cell are still recorded; only a real internal error is called a bug."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import labtrack as lt
from labtrack.errors import ValueTooLarge
from labtrack.notebook.capture import TrackingWarning
from labtrack.notebook.cells import failure_message
from labtrack.tracking.values import encode_param


def tracked(ip, source: str) -> tuple[object, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = ip.run_cell(source)
    return result, [str(w.message) for w in caught if issubclass(w.category, TrackingWarning)]


def test_an_array_named_as_a_metric_is_skipped_with_how_to_log_it(ip):
    result, said = tracked(
        ip,
        "%%track --metrics acc,per_class\nimport numpy as np\nacc = 0.9\n"
        "per_class = np.array([0.8, 0.95])\n'done'",
    )
    assert result.result == "done" and len(said) == 1
    assert "--metrics per_class is an ndarray of shape (2,), not a number" in said[0]
    assert "lt.log_artifact" in said[0] and "bug" not in said[0]
    assert lt.get_run(1).metrics["acc"].last == 0.9 and "per_class" not in lt.get_run(1).metrics


def test_a_100_mb_array_named_as_a_param_is_skipped_by_its_size_and_the_others_are_kept(ip):
    source = "%%track --params big,lr\nimport numpy as np\nbig = np.zeros(12_500_000)  # 100 MB\nlr = 0.1\nlr"
    result, said = tracked(ip, source)
    assert result.result == 0.1 and len(said) == 1
    assert (
        "big" in said[0]
        and "ndarray of shape (12500000,) (100.0 MB), which is data, not a param" in said[0]
    )
    assert "lt.log_dataset(df, name)" in said[0] and "lt.log_artifact(obj, name)" in said[0]
    assert "bug" not in said[0]
    assert lt.get_run(1).params == {"lr": 0.1}


@pytest.mark.parametrize("value", [list(range(100_000)), np.ones((300, 300))])
def test_big_containers_are_refused_before_they_are_serialised(value):
    with pytest.raises(ValueTooLarge, match="which is data, not a param|too big for a param"):
        encode_param("weights", value)


def test_a_metric_that_is_text_says_to_log_it_as_a_param(store):
    with lt.run(), pytest.raises(ValueError, match="log text as a param"):
        lt.log(model="rf")


def test_only_an_internal_error_is_called_a_labtrack_bug(store):
    assert "this is a labtrack bug" in failure_message("end the run", KeyError("run_id"))
    assert "bug" not in failure_message(
        "record --params big", ValueTooLarge("param 'big' is too big")
    )
