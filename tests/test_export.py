"""Every export of a Comparison, read back by a real reader."""

from __future__ import annotations

import base64
import io
import json
import math
import re
import shutil
import subprocess
from html.parser import HTMLParser

import jsonschema
import pandas as pd
import pytest

from labtrack.comparisons.comparison import Comparison
from labtrack.comparisons.json_export import schema
from labtrack.comparisons.latex import latex_escape

NASTY = "<script>alert('x')</script> & 50% $x_1$ #{a}~^\\ | end"
HYPOTHESES = [
    {
        "id": 7,
        "statement": "more trees <help>",
        "metric": "acc",
        "expect": "increase",
        "min_effect": 0.01,
        "verdict": {
            "label": "supported",
            "effect": 0.05,
            "ci_low": 0.02,
            "ci_high": 0.08,
            "n_treatment": 2,
            "n_baseline": 2,
            "reason": "ci_low > min_effect",
        },
    }
]


def make_comparison(at_step: int | None = None) -> Comparison:
    """Two runs across experiments, with strings that every format must escape."""
    runs = pd.DataFrame(
        {
            "number": [1, 2],
            "uuid": ["u1", "u2"],
            "name": ["base|line", "trees & more"],
            "experiment": ["exp", "exp_2"],
            "status": ["finished", "finished"],
            "start_time": pd.to_datetime(["2024-05-01 10:00", "2024-05-01 11:00"], utc=True),
            "end_time": pd.to_datetime(["2024-05-01 10:01", None], utc=True),
            "duration": [60.0, 5.5],
            "parent": [None, None],
            "hypothesis_id": [None, 7],
            "notebook": ["nb.ipynb", "nb.ipynb"],
            "params.model": pd.Series(["rf", NASTY], dtype=object),
            "params.n": pd.Series([1, 1.0], dtype=object),
            "params.seed": pd.Series([0, 0], dtype=object),
            "metrics.acc": [0.9, 0.95],
        }
    )
    history = pd.DataFrame(
        {
            "number": [1, 1, 2, 2, 1, 2],
            "metric": ["acc", "acc", "acc", "acc", "loss", "loss"],
            "step": [0, 1, 0, 1, 0, 0],
            "value": [0.8, 0.9, 0.85, 0.95, math.inf, 1.0],
        }
    )
    code = {1: "model = 'rf'\nprint('<b>')", 2: "n = 1.0"}
    definitions = {"acc": {"goal": "max", "summary": "best"}}
    return Comparison(runs, history, definitions, HYPOTHESES, code, at_step=at_step)


@pytest.fixture
def cmp() -> Comparison:
    return make_comparison()


# --- Markdown --------------------------------------------------------------------------------------


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Each GitHub table as rows of cells, split on unescaped pipes."""
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            current.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
        elif current:
            tables.append(current)
            current = []
    return tables


def test_markdown_tables_have_consistent_rows_and_columns(cmp):
    runs, params, metrics, hypotheses = markdown_tables(cmp.to_markdown())
    assert [len(runs[0]), len(params[0]), len(metrics[0]), len(hypotheses[0])] == [3, 3, 4, 10]
    for table in (runs, params, metrics, hypotheses):
        assert len({len(row) for row in table}) == 1
    assert [len(runs), len(params), len(metrics)] == [2 + 6, 2 + 3, 2 + 6 + 4]  # header, rule, rows
    assert runs[0][1] == "#1 base\\|line"


def test_markdown_escapes_html_and_shows_types(cmp):
    text = cmp.to_markdown()
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "| **n** | 1 | 1.0 |" in text and "| seed | 0 | 0 |" in text  # bold: differs


# --- CSV -------------------------------------------------------------------------------------------


def test_csv_long_form_read_by_pandas(cmp):
    frame = pd.read_csv(io.StringIO(cmp.to_csv()), keep_default_na=False)
    assert frame.columns.tolist() == ["run", "number", "section", "name", "summary", "value"]
    params = frame[frame.section == "param"].set_index(["number", "name"])["value"]
    assert (
        params[(1, "n")] == "1"
        and params[(2, "n")] == "1.0"
        and params[(2, "model")] == repr(NASTY)
    )
    metric = frame[(frame.section == "metric") & (frame.name == "loss") & (frame.summary == "max")]
    assert metric["value"].tolist() == ["inf", "1.0"]
    assert set(frame.section) == {"run", "param", "metric"}


def test_csv_wide_form_has_a_row_per_run(cmp):
    frame = pd.read_csv(io.StringIO(cmp.to_csv(wide=True)), dtype={"params.n": str})
    assert frame["number"].tolist() == [1, 2]
    assert frame["metrics.acc.best"].tolist() == [0.9, 0.95]
    assert frame["params.n"].tolist() == ["1", "1.0"]


# --- JSON ------------------------------------------------------------------------------------------


def test_json_follows_its_schema(cmp):
    record = json.loads(cmp.to_json())
    jsonschema.validate(
        record, schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    n = next(p for p in record["params"] if p["name"] == "n")
    assert [(v["type"], v["value"], v["display"]) for v in n["values"]] == [
        ("int", 1, "1"),
        ("float", 1.0, "1.0"),
    ]
    loss = next(m for m in record["metrics"] if m["name"] == "loss")
    assert loss["values"][0]["max"] == "inf" and loss["values"][0]["best"] is None
    assert record["runs"][0]["code"].startswith("model")
    assert record["hypotheses"][0]["verdict"]["label"] == "supported"


def test_json_of_a_diff_and_at_step_follow_the_schema(cmp):
    diff = Comparison(cmp._frame, None, at_step=1).diff()
    record = json.loads(diff.to_json())
    jsonschema.validate(record, schema())
    assert record["differences_only"] and [p["name"] for p in record["params"]] == ["model", "n"]


# --- LaTeX -----------------------------------------------------------------------------------------


def latex_to_text(latex: str) -> str:
    from pylatexenc import latex2text

    db = latex2text.get_default_latex_context_db()
    db.add_context_category(
        "labtrack",
        prepend=True,
        macros=[
            latex2text.MacroTextSpec(name, simplify_repl=text)
            for name, text in [
                ("textless", "<"),
                ("textgreater", ">"),
                ("textbar", "|"),
                ("textasciicircum", "^"),
                ("textasciitilde", "~"),
                ("textbackslash", "\\"),
            ]
        ],
    )
    return latex2text.LatexNodes2Text(latex_context=db).latex_to_text(latex)


@pytest.mark.parametrize("text", [NASTY, "a_b", "100%", "{}", "~^", "\\textbf{x}", "multi\nline"])
def test_latex_escape_reads_back_as_the_text(text):
    assert latex_to_text(latex_escape(text)) == text.replace("\n", " ")


def test_latex_tabulars_parse_with_consistent_columns(cmp):
    from pylatexenc import latexwalker as walker

    nodes, _, _ = walker.LatexWalker(cmp.to_latex()).get_latex_nodes()
    tabulars = [
        n
        for n in _walk(nodes)
        if isinstance(n, walker.LatexEnvironmentNode) and n.environmentname == "tabular"
    ]
    assert len(tabulars) == 4
    for node in tabulars:
        columns = len(node.nodeargd.argnlist[-1].nodelist[0].chars)
        body = node.latex_verbatim().split(r"\midrule")[1].split(r"\bottomrule")[0]
        for row in filter(None, (r.strip() for r in body.split(r"\\"))):
            assert len(re.split(r"(?<!\\)&", row)) == columns


def _walk(nodes):
    for node in nodes or []:
        yield node
        yield from _walk(getattr(node, "nodelist", None))


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("pdflatex") is None,
    reason="pdflatex is not installed (.ci/run installs it; in CI a skip fails the run)",
)
def test_latex_standalone_compiles_with_pdflatex(cmp, tmp_path):
    (tmp_path / "report.tex").write_text(cmp.to_latex(standalone=True), encoding="utf-8")
    result = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "report.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert (tmp_path / "report.pdf").stat().st_size > 1000


# --- HTML ------------------------------------------------------------------------------------------


class Page(HTMLParser):
    """Collects what the tests look for: rows and their classes, tags, attributes, text."""

    def __init__(self, text: str):
        super().__init__()
        self.tags, self.attributes, self.rows, self.text = [], [], [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, k, v) for k, v in attrs]
        if tag == "tr":
            self.rows.append([dict(attrs).get("class", ""), []])

    def handle_data(self, data):
        self.text.append(data)
        if self.rows:
            self.rows[-1][1].append(data)


def test_html_highlights_differing_rows_and_escapes(cmp):
    page = Page(cmp.to_html())
    differing = {cells[0] for classes, cells in page.rows if "lt-differs" in classes}
    assert {"model", "n", "experiment", "acc"} <= differing and "seed" not in differing
    assert "script" not in page.tags and repr(NASTY) in "".join(page.text)  # shown as typed
    assert not [
        v for _, k, v in page.attributes if k in ("src", "href") and not v.startswith("data:")
    ]


def test_html_is_self_contained_with_charts_code_and_verdicts(cmp):
    text = cmp.to_html()
    page = Page(text)
    images = [v for tag, k, v in page.attributes if tag == "img" and k == "src"]
    assert len(images) == 2 and all(
        base64.b64decode(i.split(",", 1)[1])[:4] == b"\x89PNG" for i in images
    )
    assert page.tags.count("details") == 2 and "http://" not in text and "https://" not in text
    assert ("span", "class", "lt-verdict lt-verdict-supported") in page.attributes


def test_html_parses_strictly_with_html5lib(cmp):
    import html5lib

    html5lib.HTMLParser(strict=True).parse(cmp.to_html(charts=False))


def test_repr_html_is_compact(cmp):
    page = Page(cmp._repr_html_())
    assert "img" not in page.tags and page.tags.count("table") == 4


# --- save ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "start"),
    [
        (".md", "# Comparison"),
        (".csv", "run,number"),
        (".json", "{"),
        (".tex", "% labtrack"),
        (".html", "<!DOCTYPE"),
    ],
)
def test_save_picks_the_format_from_the_suffix(cmp, tmp_path, suffix, start):
    path = cmp.save(tmp_path / f"report{suffix}")
    assert path.read_text(encoding="utf-8").startswith(start)


def test_save_passes_options(cmp, tmp_path):
    assert cmp.save(tmp_path / "wide.csv", wide=True).read_text().startswith("run,number,uuid")


@pytest.mark.parametrize("name", ["report.pdf", "report"])
def test_save_unknown_suffix_says_which_are_supported(cmp, tmp_path, name):
    with pytest.raises(
        ValueError, match=r"unknown suffix .*; use one of \.csv, \.html, \.json, \.md, \.tex"
    ):
        cmp.save(tmp_path / name)


@pytest.mark.parametrize("method", ["to_markdown", "to_csv", "to_json", "to_latex", "to_html"])
def test_every_format_of_a_diff_leaves_out_equal_params(cmp, method):
    text = getattr(cmp.diff(), method)()
    assert "seed" not in text and "model" in text


@pytest.mark.parametrize("method", ["to_markdown", "to_latex", "to_html"])
def test_at_step_rows_are_labelled_with_their_step(method):
    assert "at step 1" in getattr(make_comparison(at_step=1), method)()


def test_charts_of_an_unknown_metric_are_refused(cmp):
    with pytest.raises(
        ValueError, match="no metric 'f1' in this comparison; its metrics are: acc, loss"
    ):
        cmp.to_html(charts=["f1"])


def test_hypotheses_given_as_records_with_verdict_objects():
    from labtrack.evidence.verdicts import Evidence, compute_verdict

    verdict = compute_verdict([Evidence(1, "finished", 0.9)], [], expect="increase")
    hypothesis = {**HYPOTHESES[0], "verdict": verdict}
    cmp = Comparison(make_comparison()._frame, None, hypotheses=[hypothesis])
    jsonschema.validate(json.loads(cmp.to_json()), schema())
    assert "untested" in cmp.to_markdown()
