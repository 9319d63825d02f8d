"""Shared fixtures: every test gets its own real store on disk and a clean API session."""

from __future__ import annotations

import pytest

import labtrack as lt
from labtrack.fluent.session import default_lab
from session_reset import reset_session


@pytest.fixture
def store_dir(tmp_path, monkeypatch):
    """A fresh store folder, made the default through LABTRACK_DIR."""
    folder = tmp_path / ".labtrack"
    monkeypatch.setenv("LABTRACK_DIR", str(folder))
    monkeypatch.delenv("LABTRACK_EXPERIMENT", raising=False)
    reset_session()
    yield folder
    reset_session()


@pytest.fixture
def ip(store_dir, monkeypatch):
    """An IPython shell with `%load_ext labtrack` done (and undone after the test)."""
    from IPython.testing import globalipapp

    for name in ("LABTRACK_NOTEBOOK", "JPY_SESSION_NAME"):
        monkeypatch.delenv(name, raising=False)
    shell = globalipapp.start_ipython() or globalipapp.get_ipython()
    lt.load_ipython_extension(shell)
    yield shell
    lt.unload_ipython_extension(shell)
    shell.user_ns.pop("__vsc_ipynb_file__", None)


@pytest.fixture
def store(store_dir):
    """The API's current store, opened in `store_dir`."""
    return default_lab().store


@pytest.fixture
def three_runs(store):
    """Three finished runs with params and metric histories."""
    specs = [
        ("rf", 0.1, 100, [0.5, 0.7, 0.8]),
        ("rf", 0.01, 200, [0.6, 0.9]),
        ("svm", 0.1, 100, [0.4]),
    ]
    for i, (model, lr, trees, accs) in enumerate(specs, start=1):
        with lt.run(f"try-{i}", params={"model": model, "lr": lr, "trees": trees}):
            for acc in accs:
                lt.log(acc=acc, loss=1 - acc)
    return store


# `make test-fast` leaves out the tests that start a real kernel, Jupyter server, MLflow server or
# browser (marker `external`); `make test` and CI run them all.
_EXTERNAL = (
    "nbclient",
    "jupyter_client",
    "execute_interactive",
    "jp_fetch",
    "mlflow server",
    "mlflow_server",
    "playwright",
    "KernelManager",
)
_external_files: dict[str, bool] = {}


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = str(item.path)
        if path not in _external_files:
            text = item.path.read_text(errors="replace")
            _external_files[path] = "browser" in item.path.parts or any(
                w in text for w in _EXTERNAL
            )
        if _external_files[path] or "jp_fetch" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.external)


# CI must run every test: in CI (CI=true) a skipped test fails the session.
_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    import os

    if os.environ.get("CI") and _skipped and session.exitstatus == 0:
        print(f"\nCI runs every test, but {len(_skipped)} skipped: {', '.join(_skipped[:10])}")
        session.exitstatus = 1
