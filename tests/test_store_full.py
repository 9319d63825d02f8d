"""A full disk in a real kernel: a `%%track` cell whose store hits a file-size limit (RLIMIT_FSIZE)
while logging 200,000 points keeps its value and output, shows exactly one warning, and the points
and the run's end land once the limit is lifted."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest

import labtrack as lt
from session_reset import reset_session

pytestmark = pytest.mark.slow

CAP = """
import resource
from pathlib import Path
folder = Path({folder!r})
largest = max(p.stat().st_size for p in folder.glob("labtrack.db*"))
resource.setrlimit(resource.RLIMIT_FSIZE, (largest + 64 * 1024, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
"""

BIG_CELL = """%%track big
import labtrack as lt
for i in range(200_000):
    lt.log(loss=1.0 / (i + 1))
print("logged")
total = 41 + 1
total"""

LIFT = "resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))"


def run(client, code: str) -> tuple[dict, list[dict]]:
    messages: list[dict] = []
    reply = client.execute_interactive(code, timeout=240, output_hook=messages.append)
    return reply["content"], messages


def streamed(messages: list[dict], name: str) -> str:
    return "".join(
        m["content"]["text"]
        for m in messages
        if m["msg_type"] == "stream" and m["content"]["name"] == name
    )


def stored(db: Path) -> tuple[str | None, int]:
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT id, status FROM runs WHERE name = 'big'").fetchone()
        if row is None:
            return None, 0
        (count,) = conn.execute(
            "SELECT count(*) FROM metric_points WHERE run_id = ?", (row[0],)
        ).fetchone()
        return row[1], count
    finally:
        conn.close()


def test_a_tracked_cell_over_a_file_size_limit_runs_on_and_its_points_land_later(store_dir):
    from jupyter_client.manager import KernelManager

    reset_session()
    km = KernelManager(kernel_name="python3")
    km.start_kernel(env={**os.environ, "LABTRACK_DIR": str(store_dir)}, cwd=str(store_dir.parent))
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        for code in (
            "%load_ext labtrack",
            "%%track warm-up\nx = 1",
            CAP.format(folder=str(store_dir)),
        ):
            reply, messages = run(client, code)
            assert reply["status"] == "ok", (reply, messages)
        reply, messages = run(client, BIG_CELL)
        assert reply["status"] == "ok", reply
        results = [
            m["content"]["data"]["text/plain"]
            for m in messages
            if m["msg_type"] == "execute_result"
        ]
        assert results == ["42"] and streamed(messages, "stdout") == "logged\n"
        warnings = [
            line
            for line in streamed(messages, "stderr").splitlines()
            if "labtrack could not" in line
        ]
        assert len(warnings) == 1, streamed(messages, "stderr")
        assert "ulimit" in warnings[0] or "disk space" in warnings[0]
        assert (
            stored(store_dir / "labtrack.db")[1] < 200_000
        )  # the limit held: not everything is written yet

        reply, _ = run(client, LIFT)
        assert reply["status"] == "ok"
        deadline = time.monotonic() + 60
        while (
            stored(store_dir / "labtrack.db") != ("finished", 200_000)
            and time.monotonic() < deadline
        ):
            time.sleep(0.2)
        assert stored(store_dir / "labtrack.db") == ("finished", 200_000)
        reply, messages = run(client, "lt.get_run('big').metrics['loss'].count")
        assert [
            m["content"]["data"]["text/plain"]
            for m in messages
            if m["msg_type"] == "execute_result"
        ] == ["200000"]
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)


BOUNDED = """
import resource, warnings
from pathlib import Path
import labtrack as lt
from labtrack.fluent.session import default_lab
warnings.simplefilter("always")
folder = Path({folder!r})
lt.open(folder)
store = default_lab().store
store.points.max_buffered = 150_000
with lt.run("warm-up"):
    lt.log(x=1.0)
largest = max(p.stat().st_size for p in folder.glob("labtrack.db*"))
hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
resource.setrlimit(resource.RLIMIT_FSIZE, (largest + 64 * 1024, hard))
with lt.run("bounded") as run:
    for i in range(400_000):
        lt.log(loss=float(i))
print("cell value", sum(range(10)))
resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, hard))
store.points.flush()
record = lt.get_run(run.number)
print("stored", record.status, record.metrics["loss"].count, record.metrics["loss"].last)
"""


def test_memory_stays_bounded_while_the_store_is_full_and_the_drop_is_counted(tmp_path):
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", BOUNDED.format(folder=str(tmp_path / ".labtrack"))],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "cell value 45"
    status, count, last = lines[1].split()[1:]
    assert status == "finished" and float(last) == 399_999.0
    warned = [line for line in done.stderr.splitlines() if "labtrack" in line and "Warning" in line]
    assert len([w for w in warned if "could not save metric points" in w]) == 1, done.stderr
    dropped = [w for w in warned if "were dropped" in w]
    assert len(dropped) == 1 and f"{400_000 - int(count):,} metric point(s)" in dropped[0], (
        done.stderr
    )
    assert 135_000 <= int(count) <= 150_000  # the newest, less at most a tenth of the bound


LEFT_OPEN = """
import resource
from pathlib import Path
import labtrack as lt
folder = Path({folder!r})
lt.open(folder)
with lt.run("warm-up"):
    lt.log(x=1.0)
largest = max(p.stat().st_size for p in folder.glob("labtrack.db*"))
resource.setrlimit(resource.RLIMIT_FSIZE, (largest + 64 * 1024, resource.RLIM_INFINITY))
lt.start_run("left open")
for i in range(150_000):
    lt.log(loss=float(i))
print("script ends")
"""


def test_a_script_that_exits_while_the_store_is_full_says_what_it_lost(store_dir):
    import subprocess

    folder = store_dir
    done = subprocess.run(
        [sys.executable, "-c", LEFT_OPEN.format(folder=str(folder))],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert done.returncode == 0 and done.stdout == "script ends\n", done.stderr
    assert "150,000 metric point(s) could not be saved before the store closed" in done.stderr
    reset_session()
    lt.open(folder)
    assert (
        lt.get_run("left open").status == "crashed"
    )  # its process is gone: never a false "finished"
