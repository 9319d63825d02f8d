"""notebooks/compare.ipynb runs top to bottom on a real kernel (this venv's Python) and saves its report."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import html5lib
import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "compare.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_the_committed_notebook_has_no_outputs():
    cells = [c for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code"]
    assert cells and all(not c.outputs and c.execution_count is None for c in cells)


@pytest.mark.slow
def test_notebook_runs_on_a_real_kernel_and_saves_an_html_report(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import os, sys\nprint(sys.executable)\nprint(os.environ['LABTRACK_DIR'])"
        )
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LABTRACK_EXPERIMENT", "MPLBACKEND")}
    env["LABTRACK_DIR"] = str(tmp_path / ".labtrack")
    client = NotebookClient(
        nb, kernel_name="python3", timeout=180, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute(env=env)

    executable, store = nb.cells[-1].outputs[0]["text"].splitlines()
    assert (
        Path(executable).resolve() == Path(sys.executable).resolve()
        and store == env["LABTRACK_DIR"]
    )
    runs = sqlite3.connect(tmp_path / ".labtrack" / "labtrack.db").execute(
        "select count(*) from runs"
    )
    assert runs.fetchone()[0] == 3
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any(WIDGET_VIEW in o.get("data", {}) for o in outputs)  # the compare widget was shown
    assert any("image/png" in o.get("data", {}) for o in outputs)  # and the plot

    report = (tmp_path / "compare-report.html").read_text()
    html5lib.HTMLParser(strict=True).parse(report)
    # two charts: acc, and fit_time that autolog recorded for the forest's fits
    assert report.count("data:image/png;base64,") == 2 and 'class="lt-differs"' in report
    assert all(f"#{n} forest" in report for n in (1, 2, 3))
