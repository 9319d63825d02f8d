"""Real `jupyter lab` servers for browser tests, and headless Chromium (Debian's) driven by Playwright's async API.

Two servers, each started once per session with its own config, runtime, settings and workspace
folders and its own store (LABTRACK_DIR), on a free 127.0.0.1 port:
- `lab`: a store that a real kernel fills by executing `data/study.ipynb` (the `study` fixture);
- `big_lab`: 10,000 runs and 20 runs of 10,000 steps, filled fast through the Python API.
Nothing here downloads a browser.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from panel_driver import BIG_RUNS, HUGE_RUNS, LONG_RUNS, LONG_STEPS
from sweep import SWEEP_RUNS, run_sweep

CHROMIUM = os.environ.get("LABTRACK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 90.0
TOKEN = "labtrack-browser-test"
HERE = Path(__file__).resolve().parent
STUDY_NOTEBOOK = HERE / "data" / "study.ipynb"


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: where it answers, its token, its root folder and the store its panel shows."""

    url: str
    token: str
    store: Path
    root: Path
    log: Path
    app: str = "lab"

    def use_theme(self, name: str) -> None:
        """Make pages opened from now on use the theme `name` ("JupyterLab Dark", "JupyterLab Light")."""
        _write_json(
            self.store.parent
            / "settings/@jupyterlab/apputils-extension/themes.jupyterlab-settings",
            {"theme": name},
        )

    def api(self, path: str, **query: Any) -> Any:
        """GET a labtrack REST route (JSON), for tests to check what the panel should show."""
        search = urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        request = urllib.request.Request(
            f"{self.url}labtrack/api/{path}" + (f"?{search}" if search else ""),
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    @contextlib.asynccontextmanager
    async def page(
        self,
        path: str | None = None,
        *,
        width: int = 1400,
        height: int = 860,
        ignore: tuple[str, ...] = (),
    ) -> AsyncIterator:
        """A fresh headless Chromium page, logged in, with JupyterLab (or Notebook 7) loaded and ready.

        Fails at the end of the block if the page raised, or logged an error naming labtrack
        (JupyterLab logs a plugin that failed to activate to the console), unless it contains
        one of the `ignore` texts (a test that stops the server expects failed requests; Notebook
        7.6 itself raises one error on load).
        """
        path = path or ("lab" if self.app == "lab" else "tree")
        from playwright.async_api import async_playwright

        errors: list[str] = []
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                context = await browser.new_context(
                    viewport={"width": width, "height": height}, accept_downloads=True
                )
                page = await context.new_page()
                page.on(
                    "pageerror",
                    lambda error: (
                        errors.append(f"page error: {error}")
                        if not any(text in str(error) for text in ignore)
                        else None
                    ),
                )
                page.on(
                    "console",
                    lambda msg: (
                        errors.append(f"console: {msg.text}")
                        if msg.type == "error"
                        and "labtrack" in msg.text.lower()
                        and not any(text in msg.text for text in ignore)
                        else None
                    ),
                )
                await page.goto(f"{self.url}{path}?token={self.token}")
                ready = "#jp-main-dock-panel" if self.app == "lab" else "#jp-main-vsplit-panel"
                await page.wait_for_selector(ready, timeout=60_000)
                yield page
            finally:
                await browser.close()
        assert not errors, "\n".join(errors)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"jupyter lab exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"jupyter lab did not answer {url} in {START_TIMEOUT_S:.0f} s:\n{log.read_text()}")


def _check_tools() -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    if shutil.which("jupyter", path=str(Path(sys.executable).parent)) is None:
        pytest.fail(
            "jupyter is not installed beside this Python; install labtrack with its test extra"
        )


@contextlib.contextmanager
def running_lab(base: Path, *, app: str = "lab", port: int | None = None) -> Iterator[Lab]:
    """Start `jupyter lab` (or `jupyter notebook`: app="notebook") on `base/root` with the store
    `base/store`, on `port` (else a free one); stop it at the end.
    """
    store, root = base / "store", base / "root"
    root.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "LABTRACK_DIR": str(store),
    }
    # No news or update toast over the page (Notebook 7 has neither, and errors on these settings).
    if app == "lab":
        _write_json(
            base / "settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings",
            {"fetchNews": "false", "checkForUpdates": False},
        )
    port = port or _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = base / "jupyter-lab.log"
    command = [
        str(Path(sys.executable).parent / "jupyter"),
        app,
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={TOKEN}",
        *(["--LabApp.news_url="] if app == "lab" else []),
    ]
    with log.open("w") as log_file:
        process = subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(f"{url}api/status?token={TOKEN}", process, log)
        yield Lab(url=url, token=TOKEN, store=store, root=root, log=log, app=app)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A `jupyter lab` for the session (its store starts empty)."""
    _check_tools()
    with running_lab(tmp_path_factory.mktemp("lab")) as server:
        yield server


@dataclass(frozen=True)
class Study:
    """What the study notebook recorded: run numbers by name, and where the notebook is."""

    notebook: Path
    numbers: dict[str, list[int]]

    def first(self, name: str) -> int:
        return self.numbers[name][0]


@pytest.fixture(scope="session")
def study(lab: Lab) -> Study:
    """Execute `data/study.ipynb` with a real kernel into the lab's store, saved into its root."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(STUDY_NOTEBOOK, as_version=4)
    path = lab.root / STUDY_NOTEBOOK.name
    kernel_env = {"LABTRACK_DIR": str(lab.store), "LABTRACK_NOTEBOOK": str(path)}
    saved = {key: os.environ.get(key) for key in kernel_env}
    os.environ.update(kernel_env)  # the kernel inherits this process's environment
    try:
        started = time.perf_counter()
        NotebookClient(
            notebook,
            timeout=180,
            kernel_name="python3",
            resources={"metadata": {"path": str(lab.root)}},
        ).execute()
        print(f"\nstudy notebook executed in {time.perf_counter() - started:.1f} s")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    nbformat.write(notebook, path)
    numbers: dict[str, list[int]] = {}
    for run in lab.api("runs", sort="number", order="asc")["runs"]:
        numbers.setdefault(run["name"], []).append(run["number"])
    return Study(notebook=path, numbers=numbers)


@pytest.fixture(scope="session")
def big_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A `jupyter lab` whose store holds 10,000 runs and 20 runs of 10,000 steps."""
    _check_tools()
    base = tmp_path_factory.mktemp("big-lab")
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(HERE / "fill_store.py"),
            str(base / "store"),
            "--runs",
            str(BIG_RUNS),
            "--long",
            str(LONG_RUNS),
            "--steps",
            str(LONG_STEPS),
        ],
        check=True,
    )
    print(f"\nbig store filled in {time.perf_counter() - started:.1f} s")
    with running_lab(base) as server:
        yield server


@pytest.fixture(scope="session")
def sweep_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A `jupyter lab` whose store holds the runs of the sweep notebook (`sweep.py`), recorded by a
    real kernel: 50 `%%track` cells whose code and params differ."""
    _check_tools()
    base = tmp_path_factory.mktemp("sweep-lab")
    (base / "root").mkdir()
    run_sweep(base / "root", base / "store", SWEEP_RUNS)
    with running_lab(base) as server:
        yield server


@pytest.fixture(scope="session")
def huge_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A `jupyter lab` whose store holds 100,000 runs (filled in about two minutes)."""
    _check_tools()
    base = tmp_path_factory.mktemp("huge-lab")
    started = time.perf_counter()
    command = [sys.executable, str(HERE / "fill_store.py"), str(base / "store")]
    subprocess.run([*command, "--runs", str(HUGE_RUNS), "--long", "0"], check=True)
    print(f"\nhuge store filled in {time.perf_counter() - started:.1f} s")
    with running_lab(base) as server:
        yield server


NOTEBOOK7_RUNS = """
import labtrack as lt
lt.open(STORE)
lt.metric("acc", goal="max", store_wide=True)
for i in range(6):
    with lt.run(f"try-{i}", params={"lr": 0.01 * (i + 1), "depth": 2 + i % 3}):
        lt.log(acc=0.7 + i / 50, loss=0.5 - i / 40)
"""


@pytest.fixture(scope="session")
def notebook7(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """`jupyter notebook` (7) over a store of six runs, with `study.ipynb` in its root."""
    import nbformat

    _check_tools()
    base = tmp_path_factory.mktemp("notebook7")
    script = f"STORE = {str(base / 'store')!r}\n{NOTEBOOK7_RUNS}"
    subprocess.run([sys.executable, "-c", script], check=True)
    (base / "root").mkdir()
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": kernel})
    notebook.cells.append(nbformat.v4.new_code_cell("%load_ext labtrack"))
    nbformat.write(notebook, base / "root" / "study.ipynb")
    with running_lab(base, app="notebook") as server:
        yield server


class RestartableLab:
    """A `jupyter lab` a test can stop and start again on the same port and store."""

    def __init__(self, base: Path) -> None:
        self.base, self.port = base, _free_port()
        self._stack: contextlib.ExitStack | None = None
        self.lab: Lab | None = None

    def start(self) -> Lab:
        self._stack = contextlib.ExitStack()
        self.lab = self._stack.enter_context(running_lab(self.base, port=self.port))
        return self.lab

    def stop(self) -> None:
        if self._stack is not None:
            self._stack.close()
            self._stack = None


@pytest.fixture
def restartable_lab(tmp_path: Path) -> Iterator[RestartableLab]:
    """A lab over a store of two runs, started; stopped at the end whatever happened."""
    _check_tools()
    script = f"import labtrack as lt\nlt.open({str(tmp_path / 'store')!r})\n" + (
        "for i in range(2):\n    with lt.run(f'r{i}', params={'lr': i}):\n        lt.log(acc=i / 2)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    server = RestartableLab(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()
