"""`import labtrack` stays light: heavy libraries load only where first needed (DESIGN §2)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = [
    "pandas",
    "numpy",
    "matplotlib",
    "sqlite_utils",
    "ipywidgets",
    "IPython",
    "click",
    "rich",
    "jupyter_server",
    "tornado",
    "mlflow",
]


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_import_labtrack_loads_no_heavy_library():
    assert loaded_after("import labtrack").isdisjoint(HEAVY)


def test_logging_a_run_needs_no_heavy_library(tmp_path):
    code = f"import labtrack as lt\nlt.open({str(tmp_path)!r})\nwith lt.run(params={{'a': 1}}):\n    lt.log(x=1.0)"
    loaded_after(code)  # creating the store runs the sqlite-utils migrations (which load pandas)
    assert loaded_after(code).isdisjoint(HEAVY)


def test_public_surface_is_the_documented_api():
    import labtrack

    documented = {
        "run",
        "start_run",
        "end_run",
        "active_run",
        "log",
        "log_params",
        "log_artifact",
        "log_dataset",
        "runs",
        "get_run",
        "history",
        "open",
    }
    assert documented <= set(labtrack.__all__)
