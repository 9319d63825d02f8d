"""notebooks/hypotheses.ipynb runs on a real kernel, ends with the verdicts it promises, and running
it again (Restart & Run All) leaves the same hypotheses with the same verdicts and run counts."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import labtrack as lt
from labtrack.fluent.evidence import metric_definitions

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "hypotheses.ipynb"
SHOWN = ["verdict", "status", "effect", "ci_low", "ci_high", "n_treatment", "n_baseline", "tested"]


def execute(tmp_path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    return nb


@pytest.mark.slow
def test_hypotheses_notebook_ends_supported_and_refuted_and_reruns_the_same(
    store_dir, tmp_path, monkeypatch
):
    monkeypatch.setenv(
        "JPY_SESSION_NAME", str(NOTEBOOK)
    )  # as jupyter_server sets it: the notebook is known
    nb = execute(tmp_path)
    first = lt.hypotheses().set_index("id")
    # %metric and %hypothesis came before any run: they joined the notebook's experiment, as its runs did
    assert set(first["experiment"]) == {"hypotheses"} and set(lt.runs()["experiment"]) == {
        "hypotheses"
    }
    assert metric_definitions("hypotheses")["accuracy"].goal == "max"
    assert list(first["verdict"]) == ["supported", "refuted"]
    assert (first["n_treatment"] == 5).all() and (first["n_baseline"] == 5).all()
    assert first.loc[1, "ci_low"] > 0.02 and first.loc[2, "ci_high"] < 0
    assert "supported: mean accuracy rose by" in first.loc[1, "reason"]
    assert "paired by seed: 5 pairs" in first.loc[2, "reason"]
    assert list(first["confounds"]) == [[], []]
    outputs = "".join(
        str(o.get("data", {}).get("text/html", "")) for c in nb.cells for o in c.get("outputs", [])
    )
    assert "labtrack-hypothesis" in outputs  # the verdict cards rendered in the notebook

    nb = execute(tmp_path)  # Restart & Run All
    again = lt.hypotheses().set_index("id")
    assert again[SHOWN].to_dict() == first[SHOWN].to_dict()
    assert all("5 exact re-runs counted once" in reason for reason in again["reason"])
    outputs = "".join(
        str(o.get("text", "")) + str(o.get("data", {}))
        for c in nb.cells
        for o in c.get("outputs", [])
    )
    assert "H1 is already open with this statement" in outputs
