"""One presentation: a value reads the same in the CLI, a widget, REST, an export and the panel."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
from click.testing import CliRunner

import labtrack as lt
from labtrack.cli import cli
from labtrack.comparisons.export import spreadsheet_safe
from labtrack.notebook.widgets.live import _fmt_seconds
from labtrack.present.names import export_name
from labtrack.present.text import fmt_duration
from labtrack.present.values import from_json, json_number, json_safe


@pytest.mark.parametrize(
    ("seconds", "text"), [(0.42, "0.4s"), (42, "42.0s"), (245.9, "4m05s"), (7380, "2h03m")]
)
def test_one_duration_rule(seconds, text):
    assert fmt_duration(seconds) == _fmt_seconds(seconds) == text


def test_one_json_rule_round_trips_infinities():
    assert [json_number(v) for v in (math.inf, -math.inf, math.nan, None, 0.5)] == [
        "inf",
        "-inf",
        None,
        None,
        0.5,
    ]
    assert (
        from_json(json_number(math.inf)) == math.inf
        and from_json(json_number(-math.inf)) == -math.inf
    )
    assert json_safe({"p": math.nan, "q": (1, math.inf)}) == {"p": "nan", "q": [1, "inf"]}


def test_cli_json_writes_infinity_as_rest_does(store_dir):
    with lt.run("inf"):
        lt.log(up=math.inf, down=-math.inf)
    (row,) = json.loads(CliRunner().invoke(cli, ["runs", "--json"]).output)
    assert (row["metrics.up"], row["metrics.down"]) == ("inf", "-inf")


def test_one_export_name_rule():
    assert export_name([3, 4], ".md") == "labtrack-compare-3-4.md"
    assert (
        export_name(list(range(1, 12)), "csv", diff=True)
        == "labtrack-compare-1-2-3-4-5-6-7-8-and-3-more-diff.csv"
    )


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+cmd", "'+cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-x", "'-x"),
        ("-1.5", "-1.5"),
        ("+3", "+3"),
        ("rf", "rf"),
        (1.5, 1.5),
    ],
)
def test_spreadsheet_formulas_are_neutralised(text, safe):
    assert spreadsheet_safe(text) == safe


def test_csv_export_of_a_formula_name_is_safe(store_dir):
    with lt.run('=HYPERLINK("http://evil","click")', params={"note": "@SUM(A1)", "lr": -0.5}):
        lt.log(acc=-0.25)
    cmp = lt.compare(1)
    for text in (cmp.to_csv(), cmp.to_csv(wide=True)):
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert not any(c.startswith(("=", "+", "@")) for c in cells)
        assert not any(c.startswith("-") and not _number(c) for c in cells)
        assert "-0.25" in cells


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
