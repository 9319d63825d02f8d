"""`labtrack doctor` on a damaged store: a page overwritten with garbage is reported (what is damaged,
what is intact, how to recover with sqlite3's `.recover`), it never crashes, exits 1, and the
recovery it prints works."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import labtrack as lt
from session_reset import reset_session


@pytest.fixture
def closed_store(tmp_path):
    """A store with 30 runs and 20,000 points, closed (no -wal), so its pages are all in the file."""
    folder = tmp_path / ".labtrack"
    reset_session()
    lt.open(folder)
    for i in range(30):
        with lt.run(f"try-{i}", params={"lr": i / 100}):
            for step in range(20_000 // 30):
                lt.log(loss=1.0 / (step + 1))
    reset_session()
    return folder / "labtrack.db"


def overwrite_root_page(db: Path, table: str) -> None:
    conn = sqlite3.connect(db)
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    conn.close()
    with open(db, "r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(os.urandom(page_size))


def doctor(db: Path, *args: str) -> subprocess.CompletedProcess:
    code = f"import sys; from labtrack.cli import main; sys.argv = ['labtrack', '--store', {str(db)!r}, 'doctor', *{list(args)!r}]; main()"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )


@pytest.mark.parametrize("table", ["metric_points", "runs"])
def test_doctor_names_the_damaged_table_the_intact_ones_and_the_recovery(closed_store, table):
    overwrite_root_page(closed_store, table)
    done = doctor(closed_store)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"  {table}: " in done.stdout and "PROBLEMS FOUND" in done.stdout
    intact = next(line for line in done.stdout.splitlines() if line.startswith("intact"))
    assert table not in intact.split(", ") and "experiments" in intact
    assert ".recover" in done.stdout and "not a SQLite database" not in done.stdout
    report = json.loads(doctor(closed_store, "--json").stdout)
    assert (
        report["ok"] is False and table in report["damaged"] and "experiments" in report["intact"]
    )


def test_the_printed_salvage_rebuilds_a_store_that_doctor_passes(closed_store):
    overwrite_root_page(closed_store, "runs")
    report = json.loads(doctor(closed_store, "--json").stdout)
    recover, salvage = report["recover"][:2]
    assert recover.startswith("sqlite3 ") and recover.endswith(
        ".recover | sqlite3 " + str(closed_store.with_name("recovered.db"))
    )
    assert "--salvage" in salvage
    done = subprocess.run(
        salvage,
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "PYTHONPATH": os.pathsep.join(sys.path),
        },
    )
    assert done.returncode == 0 and "metric_points       19,980 row(s)" in done.stdout, (
        done.stdout + done.stderr
    )
    assert "runs                0 row(s)  (partly: DatabaseError" in done.stdout
    checked = json.loads(doctor(closed_store.with_name("recovered.db"), "--json").stdout)
    assert checked["integrity"] == "ok" and checked["counts"]["metric_points"] == 19_980


def test_doctor_on_a_file_that_is_not_sqlite_says_so_and_exits_1(tmp_path):
    db = tmp_path / "labtrack.db"
    db.write_bytes(b"PK\x03\x04 a zip file, not a database" * 100)
    done = doctor(db)
    assert (
        done.returncode == 1
        and "not a SQLite database" in done.stdout
        and "Traceback" not in done.stderr
    )


def test_doctor_on_a_read_only_healthy_store_writes_nothing(closed_store):
    before = {p.name: p.read_bytes() for p in closed_store.parent.iterdir() if p.is_file()}
    done = doctor(closed_store)
    assert done.returncode == 0 and done.stdout.rstrip().endswith("OK")
    assert {p.name: p.read_bytes() for p in closed_store.parent.iterdir() if p.is_file()} == before
    assert shutil.which("sqlite3")  # the recovery the doctor prints needs it
