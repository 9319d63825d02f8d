"""A real `jupyter lab` for browser tests, and headless Chromium (Debian's) driven by Playwright's async API.

The server runs once per session with its own config, runtime, settings and workspace folders and
its own store (LABTRACK_DIR), on a free 127.0.0.1 port. Nothing here downloads a browser.
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
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

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


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: where it answers, its token, and the store its panel shows."""

    url: str
    token: str
    store: Path
    log: Path

    @contextlib.asynccontextmanager
    async def page(self, path: str = "lab") -> AsyncIterator:
        """A fresh headless Chromium page, logged in, with JupyterLab loaded and ready.

        Fails at the end of the block if the page raised, or logged an error naming labtrack
        (JupyterLab logs a plugin that failed to activate to the console).
        """
        from playwright.async_api import async_playwright

        errors: list[str] = []
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                page = await browser.new_page(viewport={"width": 1280, "height": 720})
                page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
                page.on(
                    "console",
                    lambda msg: (
                        errors.append(f"console: {msg.text}")
                        if msg.type == "error" and "labtrack" in msg.text.lower()
                        else None
                    ),
                )
                await page.goto(f"{self.url}{path}?token={self.token}")
                await page.wait_for_selector("#jp-main-dock-panel", timeout=60_000)
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


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """Start `jupyter lab` once for the session; stop it at the end."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    if shutil.which("jupyter", path=str(Path(sys.executable).parent)) is None:
        pytest.fail(
            "jupyter is not installed beside this Python; install labtrack with its test extra"
        )
    base = tmp_path_factory.mktemp("lab")
    store, root = base / "store", base / "root"
    root.mkdir()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "LABTRACK_DIR": str(store),
    }
    # No news or update toast over the page.
    _write_json(
        base / "settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings",
        {"fetchNews": "false", "checkForUpdates": False},
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = base / "jupyter-lab.log"
    command = [
        str(Path(sys.executable).parent / "jupyter"),
        "lab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={TOKEN}",
        "--LabApp.news_url=",
    ]
    with log.open("w") as log_file:
        process = subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(f"{url}api/status?token={TOKEN}", process, log)
        yield Lab(url=url, token=TOKEN, store=store, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
