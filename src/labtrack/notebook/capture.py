"""What a tracked cell records by itself (DESIGN §4): literal params, the notebook's path and the
environment (figures: `figures.py`; the literal params: `literals.py`). Lookups here fail soft: they return None or an empty result
rather than raise into the user's cell.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import platform
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import ProxyHandler, Request, build_opener

from ..tracking.failures import TrackingWarning  # noqa: F401 - its old home; importers find it here
from .literals import literal_params  # noqa: F401 - the name this module has always offered

# -- the notebook's path -------------------------------------------------------------------
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def notebook_from_kernel(user_ns: dict[str, Any]) -> str | None:
    """The notebook's path from what the kernel knows without asking anyone: LABTRACK_NOTEBOOK,
    VS Code's `__vsc_ipynb_file__`, then JPY_SESSION_NAME (set by jupyter_server at kernel start)."""
    override = os.environ.get("LABTRACK_NOTEBOOK")
    if override:
        return str(Path(override).expanduser().absolute())
    vscode = user_ns.get("__vsc_ipynb_file__")
    if isinstance(vscode, str) and vscode:
        return vscode
    session = os.environ.get("JPY_SESSION_NAME", "")
    if session.endswith(".ipynb"):
        path = Path(session)
        if path.is_absolute():
            return str(path)
        local = (
            Path.cwd() / path.name
        )  # a path relative to the server's root; the kernel runs beside it
        if local.is_file():
            return str(local)
    return None


def notebook_from_servers(
    kernel_id: str | None, runtime_dir: str | None = None, timeout: float = 0.5
) -> str | None:
    """Ask each local Jupyter server (its `jpserver-*.json` in the runtime dir) which session
    holds kernel `kernel_id`; return that notebook's absolute path, or None."""
    if not kernel_id:
        return None
    if runtime_dir is None:
        from jupyter_core.paths import jupyter_runtime_dir

        runtime_dir = jupyter_runtime_dir()
    files = sorted(Path(runtime_dir).glob("jpserver-*.json"), key=_mtime, reverse=True)
    opener = build_opener(ProxyHandler({}))  # localhost only: never through a proxy
    for info_file in files:
        try:
            info = json.loads(info_file.read_text())
            url = str(info.get("url") or "")
            if urlparse(url).hostname not in LOCAL_HOSTS:
                continue
            request = Request(
                url.rstrip("/") + "/api/sessions",
                headers={"Authorization": f"token {info.get('token') or ''}"},
            )
            with opener.open(request, timeout=timeout) as response:
                sessions = json.load(response)
            for session in sessions:
                if (session.get("kernel") or {}).get("id") == kernel_id:
                    root = Path(info.get("root_dir") or info.get("notebook_dir") or ".")
                    return str((root / session["path"]).expanduser())
        except Exception:  # a dead or foreign server: try the next one
            continue
    return None


def current_kernel_id() -> str | None:
    """This kernel's id (from its connection file's name), or None outside a Jupyter kernel."""
    if "ipykernel" not in sys.modules:
        return None
    try:
        from ipykernel.connect import get_connection_file

        name = Path(get_connection_file()).name
    except Exception:
        return None
    if name.startswith("kernel-") and name.endswith(".json"):
        return name[len("kernel-") : -len(".json")]
    return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


class NotebookLocator:
    """Finds the notebook's path once per kernel. The server lookup (HTTP) runs in a background
    thread started here, so no cell waits on it unless it needs the answer first."""

    def __init__(self, user_ns: dict[str, Any]):
        self.user_ns = user_ns
        self._from_server: str | None = None
        self._thread: threading.Thread | None = None
        if notebook_from_kernel(user_ns) is None and "ipykernel" in sys.modules:
            self._thread = threading.Thread(
                target=self._ask_servers, name="labtrack-notebook", daemon=True
            )
            self._thread.start()

    def _ask_servers(self) -> None:
        with contextlib.suppress(Exception):
            self._from_server = notebook_from_servers(current_kernel_id())

    def path(self, wait: float = 1.0) -> str | None:
        """The notebook's absolute path, or None when nothing tells it (a script, a plain console)."""
        quick = notebook_from_kernel(self.user_ns)
        if quick is not None:
            return quick
        if self._thread is not None:
            self._thread.join(wait)
        return self._from_server


# -- the environment -----------------------------------------------------------------------
def git_state(folder: str | os.PathLike[str]) -> dict[str, Any] | None:
    """Commit, branch, dirty state and root of the git repository holding `folder`, or None."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(folder), *args],
                capture_output=True,
                text=True,
                timeout=5,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    status = git("status", "--porcelain=v2", "--branch", "--untracked-files=no")
    if status is None:
        return None
    state: dict[str, Any] = {"commit": None, "branch": None, "dirty": False}
    for line in status.splitlines():
        if line.startswith("# branch.oid "):
            oid = line.split()[2]
            state["commit"] = None if oid == "(initial)" else oid
        elif line.startswith("# branch.head "):
            state["branch"] = line.split(maxsplit=2)[2]
        elif line and not line.startswith("#"):
            state["dirty"] = True
    root = git("rev-parse", "--show-toplevel")
    state["root"] = root.strip() if root else None
    return state


class Environment:
    """The kernel's environment: Python, platform, host and git are captured once; package
    versions grow as the kernel imports more (checked in O(1) per cell: `len(sys.modules)`).
    `version` changes whenever the snapshot does, so callers store each version once."""

    def __init__(self) -> None:
        self.version = 0
        self._base: dict[str, Any] | None = None
        self._packages: dict[str, str] = {}
        self._seen: set[str] = set()
        self._modules_seen = -1
        self._lock = threading.Lock()

    def prepare(self, folder: str | None) -> None:
        """The slow part (git, platform), meant for a background thread."""
        base = {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "executable": sys.executable,
            "platform": platform.platform(),
            "machine": platform.machine(),
            "host": socket.gethostname(),
            "git": git_state(folder or os.getcwd()),
        }
        with self._lock:
            self._base = base
            self._modules_seen = -1
            self.version += 1
        self.refresh()

    @property
    def ready(self) -> bool:
        return self._base is not None

    def refresh(self) -> None:
        """Add the versions of packages imported since the last call (cheap when none were)."""
        if len(sys.modules) == self._modules_seen or self._base is None:
            return
        with self._lock:
            self._modules_seen = len(sys.modules)
            stdlib = getattr(sys, "stdlib_module_names", frozenset())
            added = False
            for name, module in list(sys.modules.items()):
                if "." in name or name in self._seen or name.startswith("_") or name in stdlib:
                    continue
                self._seen.add(name)
                version = _version_of(name, module)
                if version:
                    self._packages[name] = version
                    added = True
            if added:
                self.version += 1

    def snapshot(self) -> dict[str, Any]:
        """The environment as a JSON-able dict (packages sorted by name)."""
        with self._lock:
            return {**(self._base or {}), "packages": dict(sorted(self._packages.items()))}


def _version_of(name: str, module: Any) -> str | None:
    """The version of the distribution named like the module, else the module's `__version__`
    (asked second: some packages deprecate it with a warning). `packages_distributions()` would
    map every module to its distribution, but costs ~0.5 s."""
    for dist in dict.fromkeys((name, name.replace("_", "-"))):
        try:
            return importlib.metadata.version(dist)
        except Exception:
            continue
    version = getattr(module, "__version__", None)
    return version if isinstance(version, str) else None
