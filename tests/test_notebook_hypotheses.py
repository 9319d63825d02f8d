"""notebooks/hypotheses.ipynb runs on a real kernel and ends with the verdicts it promises."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import labtrack as lt
from labtrack.fluent.evidence import metric_definitions

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "hypotheses.ipynb"


@pytest.mark.slow
def test_hypotheses_notebook_ends_supported_and_refuted(store_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", str(NOTEBOOK))  # as jupyter_server sets it: the notebook is known
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(tmp_path)}}).execute()
    frame = lt.hypotheses().set_index("id")
    # %metric and %hypothesis came before any run: they joined the notebook's experiment, as its runs did
    assert set(frame["experiment"]) == {"hypotheses"} and set(lt.runs()["experiment"]) == {"hypotheses"}
    assert metric_definitions("hypotheses")["accuracy"].goal == "max"
    assert list(frame["verdict"]) == ["supported", "refuted"]
    assert list(frame["status"]) == ["closed", "closed"]
    assert (frame["n_treatment"] == 5).all() and (frame["n_baseline"] == 5).all()
    assert frame.loc[1, "ci_low"] > 0.02 and frame.loc[2, "ci_high"] < 0
    assert "supported: mean accuracy rose by" in frame.loc[1, "reason"]
    outputs = "".join(str(o.get("data", {}).get("text/html", "")) for c in nb.cells for o in c.get("outputs", []))
    assert "labtrack-hypothesis" in outputs  # the verdict cards rendered in the notebook
