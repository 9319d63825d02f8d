"""Tracking never breaks the cell: an unwritable store, a full disk, a failing step or a user's
exception leave the cell's value, output and exception as they would be without %%track."""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import time
import warnings
from pathlib import Path

import pytest

import labtrack as lt
from labtrack.fluent import session
from labtrack.fluent.session import default_lab
from labtrack.notebook.capture import TrackingWarning
from labtrack.store import connection
from labtrack.store.store import Store
from session_reset import reset_session


@pytest.fixture(params=["read-only store file", "full disk"])
def broken_store(request, store_dir, monkeypatch):
    """A store that refuses every write, the way the parameter says; yields the expected cause."""
    with lt.run("before"):
        pass
    if request.param == "full disk":

        def full(self):
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(Store, "write", full)
        yield ("database or disk is full",), "free some disk space"
        return
    db = default_lab().store.path
    reset_session()
    db.chmod(0o444)
    if os.geteuid() == 0:  # root writes through file modes: make SQLite itself refuse writes
        connect = connection.connect

        def read_only(*args, **kwargs):
            conn = connect(*args, **kwargs)
            conn.execute("PRAGMA query_only = ON")
            return conn

        monkeypatch.setattr("labtrack.store.connection.connect", read_only)
    yield ("readonly database", "unable to open"), "make the store writable"
    db.chmod(0o644)


def run_cell(ip, source):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = ip.run_cell(source, store_history=True)
    return result, [w for w in caught if issubclass(w.category, TrackingWarning)]


def printed(capsys) -> str:
    return re.sub(r"Out\[\d+\]", "Out", capsys.readouterr().out)


CELL = "print('hello')\ntotal = sum(range(10))\ntotal"


def test_unwritable_store_leaves_value_and_output_unchanged_with_one_warning(
    ip, broken_store, capsys
):
    causes, fix = broken_store
    plain, _ = run_cell(ip, CELL)
    expected = printed(capsys)
    tracked, caught = run_cell(ip, "%%track try\n" + CELL)
    assert tracked.success and tracked.result == plain.result == 45
    assert printed(capsys) == expected
    assert len(caught) == 1
    message = str(caught[0].message)
    assert (
        "could not start a run" in message and any(c in message for c in causes) and fix in message
    )


def test_logging_in_an_untracked_cell_still_works(ip, broken_store):
    result, caught = run_cell(
        ip,
        "%%track --metrics acc\nimport labtrack as lt\nlt.log(loss=0.5)\n"
        "lt.log_params(lr=0.1)\nacc = 0.9\nacc",
    )
    assert result.success and result.result == 0.9 and len(caught) == 1
    assert session.active_run() is None


def test_user_exception_propagates_unchanged_when_the_store_is_broken(ip, broken_store):
    result, caught = run_cell(ip, "%%track\nerr = ValueError('bad value')\nraise err")
    assert result.error_in_exec is ip.user_ns["err"] and len(caught) == 1


def test_failing_cell_records_failed_run_with_traceback_and_the_same_exception(ip):
    result, caught = run_cell(
        ip, "%%track risky\nerr = KeyError('missing')\ndef f():\n    raise err\nf()"
    )
    assert result.error_in_exec is ip.user_ns["err"] and caught == []
    record = lt.get_run("risky")
    assert (record.status, record.error_type, record.error_message) == (
        "failed",
        "KeyError",
        "'missing'",
    )
    assert "raise err" in record.traceback and "in f" in record.traceback


@pytest.mark.parametrize("step", ["end_run", "add_artifact", "set_params"])
def test_a_step_failing_mid_cell_warns_once_and_the_cell_completes(ip, monkeypatch, step):
    import matplotlib

    matplotlib.use("agg")

    def fail(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, step, fail)
    result, caught = run_cell(
        ip, "%%track\nimport matplotlib.pyplot as plt\nlr = 0.1\nplt.plot([1, 2])\n'done'"
    )
    ip.run_cell("plt.close('all')")
    assert result.success and result.result == "done"
    assert len(caught) == 1 and "disk is full" in str(caught[0].message)
    assert session.active_run() is None


# -- a real kernel, interrupted --------------------------------------------------------------
@pytest.mark.slow
def test_interrupting_a_real_kernel_records_an_interrupted_run(store_dir):
    from jupyter_client.manager import KernelManager

    reset_session()
    km = KernelManager(kernel_name="python3")
    km.start_kernel(env={**os.environ, "LABTRACK_DIR": str(store_dir)}, cwd=str(store_dir.parent))
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        prefix = []
        reply = client.execute_interactive(
            "import sys; print(sys.prefix)",
            timeout=60,
            output_hook=lambda m: prefix.append(m["content"].get("text", "")),
        )
        assert reply["content"]["status"] == "ok"
        assert Path("".join(prefix).strip()) == Path(
            sys.prefix
        )  # the kernel runs this venv's Python
        reply = client.execute_interactive("%load_ext labtrack", timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
        msg_id = client.execute(
            "%%track sleeper\nimport time\nfor i in range(1200):\n    time.sleep(0.05)"
        )
        wait_for_status(store_dir / "labtrack.db", "running")
        time.sleep(0.5)  # into the user's loop
        km.interrupt_kernel()
        reply = _reply_to(client, msg_id)
        assert (
            reply["content"]["status"] == "error"
            and reply["content"]["ename"] == "KeyboardInterrupt"
        )
        assert wait_for_status(store_dir / "labtrack.db", "interrupted")
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)


def wait_for_status(db: Path, status: str, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db.exists():
            conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
            try:
                rows = conn.execute("SELECT status FROM runs WHERE name = 'sleeper'").fetchall()
            except sqlite3.OperationalError:
                rows = []
            finally:
                conn.close()
            if rows and rows[0][0] == status:
                return True
        time.sleep(0.1)
    raise AssertionError(f"run 'sleeper' never reached status {status!r}")


def _reply_to(client, msg_id: str) -> dict:
    while True:
        reply = client.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply
