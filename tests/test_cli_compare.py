"""`labtrack compare` and `labtrack export` end to end on a store made by the tests."""

from __future__ import annotations

import io
import json
import re

import html5lib
import jsonschema
import pandas as pd
import pytest
from click.testing import CliRunner
from pylatexenc.latexwalker import LatexEnvironmentNode, LatexWalker

import labtrack as lt
from labtrack.cli import cli
from labtrack.comparisons.json_export import schema

LABELS = ["#1 try-1", "#2 try-2", "#3 try-3"]


def labtrack(*args: str, **env: str):
    return CliRunner().invoke(cli, list(args), env=env or None)


def markdown_rows(text: str, title: str) -> list[list[str]]:
    """The cells of the Markdown table under `## title` (header and rule rows included)."""
    block = text.split(f"## {title}\n\n", 1)[1].split("\n\n", 1)[0]
    return [re.split(r"(?<!\\)\|", line)[1:-1] for line in block.splitlines()]


def parsed_md(text: str) -> list[str]:
    params = markdown_rows(text, "Parameters")
    assert {len(row) for row in params} == {4} and len(params) == 2 + 3
    return [c.strip() for c in params[0][1:]]


def parsed_csv(text: str) -> list[str]:
    frame = pd.read_csv(io.StringIO(text))
    assert set(frame["section"]) == {"run", "param", "metric"}
    return list(dict.fromkeys(frame["run"]))


def parsed_json(text: str) -> list[str]:
    record = json.loads(text)
    jsonschema.validate(record, schema())
    return [run["label"] for run in record["runs"]]


def parsed_html(text: str) -> list[str]:
    html5lib.HTMLParser(strict=True).parse(text)
    assert 'class="lt-differs"' in text and "data:image/png;base64," in text
    return [label for label in LABELS if f"<th>{label}</th>" in text]


def parsed_latex(text: str) -> list[str]:
    nodes, _, _ = LatexWalker(text).get_latex_nodes()
    tabulars = [
        n
        for n in walk(nodes)
        if isinstance(n, LatexEnvironmentNode) and n.environmentname == "tabular"
    ]
    assert len(tabulars) == 3 and r"\toprule" in text
    return [label for label in LABELS if label.replace("#", r"\#") in text]


def walk(nodes):
    for node in nodes or []:
        yield node
        yield from walk(getattr(node, "nodelist", None))


PARSERS = {
    "md": parsed_md,
    "csv": parsed_csv,
    "json": parsed_json,
    "html": parsed_html,
    "latex": parsed_latex,
}
SUFFIXES = {"md": ".md", "csv": ".csv", "json": ".json", "html": ".html", "latex": ".tex"}


def test_terminal_tables_highlight_rows_that_differ(three_runs):
    result = labtrack("compare", "1", "2", "3", FORCE_COLOR="1")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    trees, experiment = (
        next(line for line in lines if word in line) for word in ("trees", "experiment")
    )
    assert "\x1b[1;33m" in trees and "\x1b[1;33m" not in experiment
    plain = labtrack("compare", "1", "2", "3").output
    assert all(word in plain for word in ("Parameters", "Metrics", "'svm'", "0.666667", *LABELS))


@pytest.mark.parametrize("fmt", PARSERS)
def test_each_format_printed_to_stdout_parses_back(three_runs, fmt):
    result = labtrack("compare", "1", "#2", "try-3", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert PARSERS[fmt](result.output) == LABELS


@pytest.mark.parametrize("fmt", PARSERS)
def test_output_file_format_comes_from_its_suffix(three_runs, tmp_path, fmt):
    path = tmp_path / "sub" / f"cmp{SUFFIXES[fmt]}"
    result = labtrack("compare", "1", "2", "3", "-o", str(path))
    assert result.exit_code == 0 and f"Wrote {path} ({fmt}, 3 runs)" in result.output
    assert PARSERS[fmt](path.read_text()) == LABELS


def test_format_option_wins_over_the_suffix(three_runs, tmp_path):
    path = tmp_path / "cmp.txt"
    assert labtrack("compare", "1", "2", "3", "-f", "json", "--output", str(path)).exit_code == 0
    assert parsed_json(path.read_text()) == LABELS


def test_unknown_suffix_without_format_is_a_usage_error(three_runs, tmp_path):
    result = labtrack("compare", "1", "2", "-o", str(tmp_path / "cmp.txt"))
    assert result.exit_code == 2 and "cannot tell the format of 'cmp.txt'" in result.output


@pytest.mark.parametrize("fmt", ["md", None])
def test_diff_leaves_out_what_is_equal(three_runs, fmt):
    args = ("compare", "1", "2") + (("--format", fmt) if fmt else ())
    assert "model" in labtrack(*args).output
    result = labtrack(*args, "--diff")
    assert "model" not in result.output and "trees" in result.output
    assert "differences only" in result.output


def test_at_step_adds_its_rows(three_runs):
    result = labtrack("compare", "1", "2", "--at-step", "1", "-f", "csv")
    frame = pd.read_csv(io.StringIO(result.output))
    at_step = frame[(frame.name == "acc") & (frame.summary == "at_step=1")]
    assert at_step["value"].astype(float).tolist() == [0.7, 0.9]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("#99",), "Error: no run #99"),
        (("99",), "Error: no run"),
        (("params.lr >",), "Error: expected a value after '>' (at position 11)"),
        (("params.model = 'nope'",), "Error: no runs to compare: the filter matched none"),
    ],
)
def test_compare_errors_are_one_clear_line(three_runs, args, message):
    result = labtrack("compare", *args)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_export_with_a_filter(three_runs, tmp_path):
    path = tmp_path / "rf.csv"
    result = labtrack("export", "params.model = 'rf'", "-o", str(path))
    assert result.exit_code == 0 and "(csv, 2 runs)" in result.output
    assert parsed_csv(path.read_text()) == LABELS[:2]


def test_export_shows_its_progress_on_a_terminal_only(three_runs, tmp_path):
    path = str(tmp_path / "all.md")
    assert "loading histories" in labtrack("export", "-o", path, FORCE_COLOR="1").output
    assert "loading histories" not in labtrack("export", "-o", path).output


def test_export_an_experiment_in_a_chosen_format(three_runs, tmp_path):
    with lt.run("other", experiment="study", params={"model": "rf"}):
        lt.log(acc=0.99)
    path = tmp_path / "study.out"
    result = labtrack(
        "export", "--experiment", "study", "--format", "json", "-o", str(path), "--diff"
    )
    assert result.exit_code == 0, result.output
    record = json.loads(path.read_text())
    assert [r["label"] for r in record["runs"]] == ["#4 other"] and record["differences_only"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("params.model = 'zz'", "-o", "x.md"), 1, "Error: no runs match \"params.model = 'zz'\""),
        (("-e", "nope", "-o", "x.md"), 1, "Error: no runs of experiment 'nope' to export"),
        (("params.x >", "-o", "x.md"), 1, "expected a value after '>'"),
        (("params.model = 'rf'",), 2, "Missing option '--output'"),
    ],
)
def test_export_errors(three_runs, tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    result = labtrack("export", *args)
    assert result.exit_code == code and message in result.output
