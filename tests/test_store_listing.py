"""`Store.runs_table` (the panel's runs, without pandas) lists what `lt.runs()` lists, value for value."""

from __future__ import annotations

import math

import pytest

import labtrack as lt
from labtrack.errors import FilterError

ODD = {
    "none": None,
    "nan": math.nan,
    "inf": -math.inf,
    "flag": True,
    "items": [1, "a"],
    "big": 2**70,
}


@pytest.fixture
def odd_runs(three_runs):
    with lt.run("odd", params=ODD, tags={"team": "x"}, experiment="other"):
        lt.log(acc=math.nan, loss=math.inf)
    return three_runs


def frame_rows(filter, experiment):
    frame = lt.runs(filter, experiment=experiment)
    out = {}
    for record in frame.to_dict("records"):
        section = {"params": {}, "metrics": {}, "tags": {}}
        for column, value in record.items():
            prefix, _, key = column.partition(".")
            if (
                prefix in section
                and value is not None
                and not (prefix == "metrics" and math.isnan(value))
            ):
                section[prefix][key] = value
        out[record["number"]] = (record["name"], record["status"], record["experiment"], section)
    return out


@pytest.mark.parametrize(
    ("filter", "experiment"),
    [
        (None, None),
        ("params.model = 'rf'", None),
        (None, "other"),
        ("metrics.acc > 0.75 or tags.team = 'x'", None),
        ("attributes.number IN (2, 4)", None),
    ],
)
def test_runs_table_matches_runs_frame(odd_runs, filter, experiment) -> None:
    table = odd_runs.runs_table(filter, experiment)
    expected = frame_rows(filter, experiment)
    got = {
        row["number"]: (
            row["name"],
            row["status"],
            row["experiment"],
            {k: row[k] for k in ("params", "metrics", "tags")},
        )
        for row in table.rows
    }
    assert got.keys() == expected.keys()
    for number, (name, status, experiment_name, sections) in got.items():
        e_name, e_status, e_experiment, e_sections = expected[number]
        assert (name, status, experiment_name) == (e_name, e_status, e_experiment)
        assert {k: v for k, v in sections["metrics"].items() if v is not None} == e_sections[
            "metrics"
        ]
        assert sections["tags"] == e_sections["tags"]
        params = {
            k: v for k, v in sections["params"].items() if v is not None
        }  # the frame can't show None
        assert repr(params) == repr(e_sections["params"])  # repr: nan == nan, and 1 != 1.0 != True


def test_runs_table_keeps_a_none_param_and_names_every_column(odd_runs) -> None:
    table = odd_runs.runs_table("attributes.name = 'odd'")
    [row] = table.rows
    assert row["params"]["none"] is None and row["metrics"] == {
        "acc": None,
        "loss": math.inf,
    }  # None: NaN
    assert (table.params, table.metrics) == (sorted(ODD), ["acc", "loss"])


def test_runs_table_reports_bad_filters_like_runs(store) -> None:
    with pytest.raises(FilterError, match="position"):
        store.runs_table("metrics.acc >")
