"""Real kernels: the quickstart notebook run top to bottom with nbclient, and the notebook's path
found through a real Jupyter server's sessions API. Then the store is checked."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import labtrack as lt

ROOT = Path(__file__).resolve().parents[1]
QUICKSTART = ROOT / "notebooks" / "quickstart.ipynb"

pytestmark = pytest.mark.slow


def code_cells(nb) -> dict[str, str]:
    """Each code cell's source, keyed by its first line."""
    return {c.source.splitlines()[0]: c.source for c in nb.cells if c.cell_type == "code"}


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory):
    """The quickstart, executed in a fresh kernel of this venv; returns (notebook, its path, store)."""
    folder = tmp_path_factory.mktemp("quickstart")
    path = folder / "quickstart.ipynb"
    shutil.copy(QUICKSTART, path)
    nb = nbformat.read(path, as_version=4)
    env = {
        "LABTRACK_DIR": str(folder / ".labtrack"),
        "JPY_SESSION_NAME": str(path),
    }  # as jupyter_server sets it
    saved = {k: os.environ.get(k) for k in [*env, "LABTRACK_NOTEBOOK", "LABTRACK_EXPERIMENT"]}
    os.environ.update(env)
    os.environ.pop("LABTRACK_NOTEBOOK", None)
    os.environ.pop("LABTRACK_EXPERIMENT", None)
    try:
        NotebookClient(
            nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(folder)}}
        ).execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    store = lt.open(folder / ".labtrack").store
    yield nb, path, store
    from session_reset import reset_session

    reset_session()


def test_quickstart_source_is_committed_without_outputs():
    nb = nbformat.read(QUICKSTART, as_version=4)
    assert all(
        not c.get("outputs") and c.get("execution_count") is None
        for c in nb.cells
        if c.cell_type == "code"
    )


def test_quickstart_records_every_try(quickstart):
    nb, path, _ = quickstart
    frame = lt.runs(experiment="quickstart")
    assert list(frame["name"]) == [
        "baseline",
        "stronger-regularisation",
        "forest",
        "forest-sweep",
        "forest-sweep",
        "forest-sweep",
        "svm",
        "boosting",
    ]
    assert list(frame["status"]) == ["finished"] * 6 + ["failed", "finished"]
    assert frame["metrics.acc"].drop(6).between(0.8, 1.0).all()
    tracked = frame[frame["name"] != "forest-sweep"]
    assert set(tracked["notebook"]) == {str(path)}


def test_quickstart_params_metrics_and_code(quickstart):
    nb, _, _ = quickstart
    cells = code_cells(nb)
    baseline = lt.get_run("baseline")
    assert baseline.params["C"] == 1.0 and 0.8 < baseline.metrics["acc"].last <= 1
    assert baseline.params["logisticregression__C"] == 1.0 and baseline.tags == {
        "autolog": "sklearn"
    }  # autolog
    assert baseline.code == cells["%%track baseline --metrics acc"]
    assert baseline.execution_count == 2
    assert lt.get_run("stronger-regularisation").params["C"] == 0.05
    forest = lt.get_run("forest")
    assert {"n_estimators": 40, "max_depth": 3}.items() <= forest.params.items()
    assert forest.tags == {"model": "rf", "autolog": "sklearn"}
    assert forest.metrics["acc"].count == 8 and forest.metrics["acc"].last_step == 40
    env = baseline.environment
    assert env["python"] and "sklearn" in env["packages"] and env["packages"]["labtrack"]


def test_quickstart_failing_cell_is_a_failed_run_with_its_traceback(quickstart):
    nb, _, _ = quickstart
    svm = lt.get_run("svm")
    assert svm.status == "failed" and svm.error_type == "InvalidParameterError"
    assert "gamma" in svm.error_message and "SVC(kernel=kernel, gamma=gamma)" in svm.traceback
    assert {"kernel": "rbf", "gamma": "sometimes"}.items() <= svm.params.items()
    assert (
        svm.params["estimator_class"] == "SVC"
    )  # autolog records the settings before the fit fails
    cell = next(c for c in nb.cells if c.source.startswith("%%track svm"))
    assert [o.ename for o in cell.outputs if o.output_type == "error"] == ["InvalidParameterError"]


def test_quickstart_multi_cell_run(quickstart):
    nb, _, _ = quickstart
    cells = list(code_cells(nb).values())
    start = next(i for i, c in enumerate(cells) if c.startswith("%track start"))
    stop = next(i for i, c in enumerate(cells) if c.startswith("%track stop"))
    boosting = lt.get_run("boosting")
    positions = [boosting.code.index(c) for c in cells[start : stop + 1]]
    assert positions == sorted(positions)  # every cell, in order
    assert {"learning_rate": 0.1, "max_iter": 50}.items() <= boosting.params.items()
    assert boosting.params["estimator_class"] == "HistGradientBoostingClassifier"  # autolog
    assert 0.8 < boosting.metrics["acc"].last <= 1


def test_quickstart_figures_are_png_artifacts(quickstart):
    for name in ("forest", "boosting"):
        artifacts = lt.get_run(name).artifacts
        assert [a.media_type for a in artifacts] == ["image/png"]
        assert artifacts[0].path.read_bytes().startswith(b"\x89PNG")


def test_quickstart_shows_summaries_and_the_runs_table(quickstart):
    nb, _, _ = quickstart
    outputs = {c.source.splitlines()[0]: c.outputs for c in nb.cells if c.cell_type == "code"}
    summary = [
        o for o in outputs["%%track baseline --metrics acc"] if "text/html" in o.get("data", {})
    ]
    assert "labtrack run #1 baseline finished" in summary[0].data["text/plain"]
    table = outputs["%track runs"][0].data
    assert (
        "8 runs in experiment 'quickstart'" in table["text/plain"]
        and "<table" in table["text/html"]
    )


# -- the notebook's path, from a real Jupyter server --------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(url: str, token: str, method: str = "GET", body: dict | None = None):
    request = urllib.request.Request(
        url,
        method=method,
        data=json.dumps(body).encode() if body else None,
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=30) as response:
        return json.load(response)


def test_notebook_path_found_through_the_server_sessions_api(tmp_path):
    """The kernel forgets JPY_SESSION_NAME, so only the sessions API can tell it its notebook."""
    from jupyter_client import BlockingKernelClient

    runtime, root, token = tmp_path / "runtime", tmp_path / "root", "t0ken"
    (root / "sub").mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), root / "sub" / "study.ipynb")
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "LABTRACK_DIR": str(tmp_path / ".labtrack"),
    }
    env.pop("LABTRACK_NOTEBOOK", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--allow-root",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 60
        while True:  # the runtime file can appear before the server accepts connections
            assert time.monotonic() < deadline and server.poll() is None, (
                "the Jupyter server did not start"
            )
            if list(runtime.glob("jpserver-*.json")):
                try:
                    _api(url + "api/status", token)
                    break
                except OSError:
                    pass
            time.sleep(0.2)
        session = _api(
            url + "api/sessions",
            token,
            "POST",
            {
                "path": "sub/study.ipynb",
                "type": "notebook",
                "name": "study.ipynb",
                "kernel": {"name": "python3"},
            },
        )
        client = BlockingKernelClient(
            connection_file=str(runtime / f"kernel-{session['kernel']['id']}.json")
        )
        client.load_connection_file()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            for code in (
                "import os; os.environ.pop('JPY_SESSION_NAME', None)",
                "%load_ext labtrack",
                "%%track probe\nx = 1",
            ):
                reply = client.execute_interactive(code, timeout=60, output_hook=lambda msg: None)
                assert reply["content"]["status"] == "ok", reply["content"]
        finally:
            client.stop_channels()
        store = lt.open(tmp_path / ".labtrack").store
        record = lt.get_run("probe")
        assert record.notebook == str(root / "sub" / "study.ipynb") and record.experiment == "study"
        store.close()
    finally:
        from session_reset import reset_session

        reset_session()
        server.terminate()
        server.wait(timeout=30)
