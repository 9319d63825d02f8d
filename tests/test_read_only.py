"""Reading never writes: a write-protected copy of a store (folder and files without write permission)
and a store on a full disk are read by every face — `lt.runs`, `lt.get_run`, `lt.history`,
`labtrack runs / show / compare / doctor`, `%track runs` and the server's read routes — and stay byte
for byte the same.

Each face runs in a child process that cannot write: as root, without the capability that lets root
ignore file modes; on a "full disk", under a file-size limit of 0 bytes (RLIMIT_FSIZE)."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import labtrack as lt
from session_reset import reset_session

ROOT_WITHOUT_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]

API = """
import labtrack as lt
frame = lt.runs()
print(sorted(frame["name"]), lt.get_run("b").metrics["acc"].last, len(lt.history([1, 2], "acc")))
print(lt.compare(1, 2).to_markdown().count("acc") > 0)
"""

SERVER = """
import json, os
from labtrack.server.queries import RunsQuery
from labtrack.server.service import LabService

service = LabService(os.environ["LABTRACK_DIR"])
runs = json.loads(service.runs_json(RunsQuery()))
print(service.status()["runs"], runs["total"], service.run("2")["name"],
      len(service.history(["1", "2"], "acc")["series"]), "acc" in service.compare_json(["1", "2"]))
"""

MAGIC = """
from IPython.testing.globalipapp import start_ipython
ip = start_ipython()
ip.run_line_magic("load_ext", "labtrack")
ip.run_line_magic("track", "runs")
"""

CLI = [["runs"], ["show", "2"], ["compare", "1", "2"], ["doctor"]]


@pytest.fixture
def store_copy(tmp_path):
    """A store with two runs, closed, copied, and the copy made read-only (folder and files)."""
    folder = tmp_path / "src" / ".labtrack"
    reset_session()
    lt.open(folder)
    for name, acc in (("a", 0.5), ("b", 0.75)):
        with lt.run(name, params={"lr": acc / 10}):
            lt.log(acc=acc - 0.25)
            lt.log(acc=acc)
    reset_session()
    copy = tmp_path / "copy" / ".labtrack"
    shutil.copytree(folder, copy)
    yield copy
    for path in [copy, *copy.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def write_protect(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def no_file_growth() -> None:
    """In the child: a full disk (any write that grows a file fails with EFBIG)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))


def run_face(args: list[str], store: Path, how: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "LABTRACK_DIR": str(store),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    if how == "read-only copy":
        write_protect(store)
        prefix = ROOT_WITHOUT_OVERRIDE if os.geteuid() == 0 else []
        return subprocess.run(
            [*prefix, *args], env=env, capture_output=True, text=True, timeout=120
        )
    return subprocess.run(
        args, env=env, capture_output=True, text=True, timeout=120, preexec_fn=no_file_growth
    )


def python(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


def cli(*args: str) -> list[str]:
    return python(
        f"import sys; from labtrack.cli import main; sys.argv = ['labtrack', *{list(args)!r}]; main()"
    )


HOW = ["read-only copy", "full disk"]


@pytest.mark.parametrize("how", HOW)
def test_the_python_api_reads_a_store_it_cannot_write(store_copy, how):
    before = fingerprint(store_copy)
    done = run_face(python(API), store_copy, how)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["['a', 'b'] 0.75 4", "True"]
    assert fingerprint(store_copy) == before


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("command", CLI, ids=" ".join)
def test_the_cli_reads_a_store_it_cannot_write(store_copy, how, command):
    before = fingerprint(store_copy)
    done = run_face(cli(*command), store_copy, how)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "Traceback" not in done.stderr and "not a SQLite database" not in done.stdout + done.stderr
    )
    assert "acc" in done.stdout or "OK" in done.stdout
    assert fingerprint(store_copy) == before


@pytest.mark.parametrize("how", HOW)
def test_the_servers_read_routes_read_a_store_they_cannot_write(store_copy, how):
    before = fingerprint(store_copy)
    done = run_face(python(SERVER), store_copy, how)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "2", "b", "2", "True"]
    assert fingerprint(store_copy) == before


def test_a_file_that_is_not_sqlite_is_still_called_so(tmp_path):
    folder = tmp_path / ".labtrack"
    folder.mkdir()
    (folder / "labtrack.db").write_text("hello, I am a text file\n" * 10)
    done = run_face(cli("runs"), folder, "full disk")
    assert done.returncode == 1 and "is not a SQLite database" in done.stderr


def test_the_track_runs_magic_reads_a_store_it_cannot_write(store_copy):
    # (read-only only: under a 0-byte file-size limit IPython itself cannot start, it writes temp files)
    before = fingerprint(store_copy)
    done = run_face(python(MAGIC), store_copy, "read-only copy")
    assert done.returncode == 0 and "Traceback" not in done.stderr + done.stdout, (
        done.stdout + done.stderr
    )
    assert "0.75" in done.stdout and "labtrack could not" not in done.stdout + done.stderr
    assert fingerprint(store_copy) == before
