"""Faults and bad input (DESIGN §7): concurrent writers, killed writers, crash detection, the flusher,
special floats, odd and oversized values, injection through a filter."""

from __future__ import annotations

import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import labtrack as lt
from labtrack.store import Store

# A writer process: says "ready", waits for the go file, then logs N points to its own run,
# flushing every 1,000 points so that the writers contend for the lock many times.
WRITER = """
import sys, time, pathlib
import labtrack as lt
path, name, n, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), pathlib.Path(sys.argv[4])
print("ready", flush=True)
while not go.exists():
    time.sleep(0.001)
store = lt.open(path).store
with lt.run(name):
    for step in range(n):
        lt.log(x=float(step))
        if step % 1000 == 999:
            store.points.flush()
"""

# A writer that logs N points, says so, and idles: the test kills it with SIGKILL.
LOG_THEN_IDLE = """
import sys, time
import labtrack as lt
lt.open(sys.argv[1])
run = lt.start_run("doomed")
for step in range(int(sys.argv[2])):
    lt.log(x=float(step))
print("logged", flush=True)
time.sleep(60)
"""

# A writer that logs a point every ~2 ms, its value the wall time at logging, until killed.
LOG_FOREVER = """
import sys, time
import labtrack as lt
lt.open(sys.argv[1])
run = lt.start_run("doomed")
print("started", flush=True)
step = 0
while True:
    lt.log(step=step, t=time.time())
    step += 1
    time.sleep(0.002)
"""


def _python(script: str, *args: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)  # reaped: a zombie's pid would still look alive


@pytest.mark.slow
def test_four_processes_write_every_point_and_nobody_sees_a_lock(tmp_path):
    go, folder, n = tmp_path / "go", tmp_path / ".labtrack", 50_000
    procs = [_python(WRITER, folder, f"writer-{i}", n, go) for i in range(4)]
    assert [p.stdout.readline() for p in procs] == ["ready\n"] * 4
    go.touch()  # all four open the (not yet existing) store and write at once
    results = [p.communicate(timeout=120) for p in procs]
    assert [(p.returncode, err) for p, (_, err) in zip(procs, results)] == [(0, "")] * 4
    store = Store.open(folder)
    rows = store.read(
        "SELECT r.name, r.status, count(*), min(step), max(step), sum(value)"
        " FROM metric_points p JOIN runs r ON r.id = p.run_id GROUP BY r.id ORDER BY r.name"
    )
    assert rows == [(f"writer-{i}", "finished", n, 0, n - 1, n * (n - 1) / 2) for i in range(4)]
    store.close()


class _LockedAtFirst:
    """A connection whose first journal-mode switches fail as SQLite's deadlock avoidance makes them
    fail when processes create a store at the same moment (the busy handler is not called then)."""

    def __init__(self, failures: int):
        self.failures = failures

    def execute(self, sql: str):
        if self.failures:
            self.failures -= 1
            raise sqlite3.OperationalError("database is locked")
        return sqlite3.connect(":memory:").execute("SELECT 'wal'")


def test_switching_to_wal_waits_out_a_concurrent_creator(tmp_path):
    from labtrack.store.connection import _enable_wal

    conn = _LockedAtFirst(failures=3)
    _enable_wal(conn, tmp_path / "labtrack.db")
    assert conn.failures == 0


def test_points_logged_before_a_sigkill_survive_and_the_run_reads_crashed(tmp_path):
    proc = _python(LOG_THEN_IDLE, tmp_path, 1000)
    assert proc.stdout.readline() == "logged\n"
    time.sleep(1.5)  # the flusher writes at least once a second
    _kill(proc)
    store = Store.open(tmp_path)
    assert store.read("SELECT status, end_time IS NOT NULL FROM runs") == [("crashed", 1)]
    assert store.read("SELECT count(*), max(step) FROM metric_points") == [(1000, 999)]
    store.close()


def test_a_killed_writer_loses_at_most_the_last_second(tmp_path):
    proc = _python(LOG_FOREVER, tmp_path)
    assert proc.stdout.readline() == "started\n"
    time.sleep(2.8)  # late in the flusher's period: the newest flushed points are ~0.8 s old
    killed_at = time.time()
    _kill(proc)
    store = Store.open(tmp_path)
    ((count, last_step, last_logged),) = store.read(
        "SELECT count(*), max(step), max(value) FROM metric_points"
    )
    assert count == last_step + 1  # no holes
    assert last_logged >= killed_at - 1.1  # every point older than ~1 s before the kill is there
    assert store.read("SELECT status FROM runs") == [("crashed",)]
    store.close()


@pytest.mark.parametrize(
    ("host", "pid", "age_s", "status"),
    [
        ("this", "dead", 0, "crashed"),  # this host, its process gone
        ("this", "alive", 0, "running"),  # this host, its process alive (our parent)
        ("elsewhere", "alive", 120, "crashed"),  # another host, heartbeat stale
        ("elsewhere", "alive", 5, "running"),  # another host, heartbeat fresh
    ],
)
def test_opening_the_store_marks_runs_of_gone_writers_crashed(store, host, pid, age_s, status):
    from labtrack.store.store import HOST

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    number, _ = store.create_run("Default", name="other")
    store.points.running_runs.discard(number)  # not ours: our flusher must not keep it alive
    with store.write() as conn:
        conn.execute(
            "UPDATE runs SET host = ?, pid = ?, heartbeat = ? WHERE id = ?",
            (
                HOST if host == "this" else host,
                int(dead.stdout) if pid == "dead" else os.getppid(),
                time.time() - age_s,
                number,
            ),
        )
    other = Store.open(store.path)
    assert other.read("SELECT status FROM runs WHERE id = ?", [number]) == [(status,)]
    other.close()


def _watch(path: Path) -> sqlite3.Connection:
    """A second connection, as another process would read the store (autocommit)."""
    return sqlite3.connect(path, isolation_level=None)


def test_the_heartbeat_refreshes_and_revives_a_run_wrongly_marked_crashed(store):
    run = lt.start_run()
    watcher = _watch(store.path)
    (before,) = watcher.execute("SELECT heartbeat FROM runs WHERE id = ?", [run.number]).fetchone()
    watcher.execute("UPDATE runs SET status = 'crashed' WHERE id = ?", [run.number])
    time.sleep(1.5)  # no logging at all: the flusher still beats
    after = watcher.execute(
        "SELECT heartbeat, status FROM runs WHERE id = ?", [run.number]
    ).fetchone()
    watcher.close()
    assert after[0] > before and after[1] == "running"
    lt.end_run()


@pytest.mark.parametrize("fill_buffer_first", [False, True])
def test_the_flusher_writes_within_about_a_second_without_run_end(store, fill_buffer_first):
    store.points.limit = 100  # a full buffer is flushed by the logger itself
    run = lt.start_run()
    if fill_buffer_first:
        time.sleep(0.7)  # so the flusher's next tick comes soon after the loggers' flush
        for i in range(100):
            lt.log(x=float(i))
    lt.log(y=42.0)
    time.sleep(
        1.2
    )  # a tick skipped right after the loggers' flush must not delay this point a period
    watcher = _watch(store.path)
    seen = watcher.execute(
        "SELECT value FROM metric_points p JOIN metric_keys k ON k.id = p.key_id"
        " WHERE run_id = ? AND k.name = 'y'",
        [run.number],
    ).fetchall()
    watcher.close()
    assert seen == [(42.0,)]
    lt.end_run()


# -- special floats -------------------------------------------------------------------------------
@pytest.mark.parametrize("flush_between", [False, True])
@pytest.mark.parametrize(
    "values",
    [
        [math.inf, -math.inf],
        [math.nan, math.inf, 1.0, -math.inf],
        [1e308, 1e308],  # their exact sum is beyond float range
        [1e308, 1e308, -math.inf],  # ... and then an infinity
        [-1.7976931348623157e308, -1e308, 5e-324],
    ],
)
def test_any_floats_in_one_metric_never_break_the_store(store, values, flush_between):
    with lt.run() as run:
        for v in values:
            lt.log(x=v)
            if flush_between:
                store.points.flush()
        lt.log(after=1.0)  # later points are still written
    got = lt.history(run.number, ["x", "after"])
    assert [str(v) for v in got["value"]] == [str(float(v)) for v in [1.0, *values]]
    summary = lt.get_run(run.number).metrics["x"]
    finite = [v for v in values if v == v]
    assert (summary.count, summary.nan_count, summary.min, summary.max) == (
        len(finite),
        len(values) - len(finite),
        min(finite),
        max(finite),
    )
    if math.inf in values and -math.inf in values:
        assert math.isnan(summary.mean)


# -- odd and oversized values ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "value", "stored"),
    [
        ("a_set", {3}, "{3}"),
        ("a_complex", 1 + 2j, "(1+2j)"),
        ("nested_object", [1, object], "[1, <class 'object'>]"),
        ("a_path", Path("/tmp/x"), "PosixPath('/tmp/x')"),
    ],
)
def test_a_non_json_param_is_stored_as_its_repr_with_exactly_one_warning(
    store, name, value, stored
):
    warning = f"param '{name}' of type .* not JSON-serialisable"
    with pytest.warns(UserWarning, match=warning) as caught, lt.run() as run:
        lt.log_params(**{name: value})
        lt.log_params(**{name: value})
    assert len(caught) == 1 and lt.get_run(run.number).params == {name: stored}


@pytest.mark.parametrize(
    "name",
    [
        'O\'Brien "the" `x`',
        "ünïcødé λ 🧪 中文",
        "SELECT * FROM runs",
        "); DROP TABLE params; --",
        "params.lr",
        "a\\b%_[]",
        " padded ",
        "x" * 250,
    ],
)
def test_odd_names_round_trip_everywhere(store, name):
    with lt.run(name, experiment=name) as run:
        lt.log_params(**{name: name})
        lt.log({name: 1.5})
        run.set_tags(**{name: name})
        run.log_artifact(b"data", name)
    record = lt.get_run(run.number)
    assert (record.name, record.experiment, record.params, record.tags) == (
        name,
        name,
        {name: name},
        {name: name},
    )
    assert list(record.metrics) == [name] and [a.name for a in record.artifacts] == [name]
    assert lt.runs(experiment=name)[f"params.{name}"].tolist() == [name]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: lt.log_params(blob="x" * 65_537),
            lt.LabtrackError,
            "param 'blob' is 65,537 bytes; the limit is 65,536. Store large values as an artifact",
        ),
        (lambda: lt.log_params(blob="é" * 40_000), lt.LabtrackError, "is 80,000 bytes"),
        (lambda: lt.log_params(blob=["x" * 10] * 9_000), lt.LabtrackError, "the limit is 65,536"),
        (
            lambda: lt.log_params(blob=list(range(20_000))),
            lt.LabtrackError,
            "a list of 20,000 items, too big for a param",
        ),
        (
            lambda: lt.active_run().set_tags(note="x" * 70_000),
            lt.LabtrackError,
            "tag 'note' is 70,000 bytes",
        ),
        (
            lambda: lt.log_params(**{"x" * 251: 1}),
            lt.LabtrackError,
            "is 251 characters long; the limit is 250",
        ),
        (
            lambda: lt.log(**{"m" * 251: 1.0}),
            lt.LabtrackError,
            "metric name 'mmm.*the limit is 250",
        ),
        (lambda: lt.log({"a\x00b": 1.0}), lt.LabtrackError, "cannot contain the NUL character"),
        (
            lambda: lt.log_params(**{"a\x00b": 1}),
            lt.LabtrackError,
            "cannot contain the NUL character",
        ),
        (lambda: lt.log(acc=[1, 2]), lt.LabtrackError, "metric 'acc' must be a number, got list"),
        (
            lambda: lt.log(step=2**64, x=1.0),
            lt.LabtrackError,
            "step 18446744073709551616 is out of range",
        ),
    ],
)
def test_oversized_or_impossible_values_are_refused_clearly_and_nothing_is_half_written(
    store, call, error, message
):
    with lt.run() as run, pytest.raises(error, match=message):
        call()
    record = lt.get_run(run.number)
    assert (record.params, record.tags, record.metrics) == ({}, {}, {})


def test_a_param_of_exactly_the_limit_is_kept(store):
    with lt.run(params={"blob": "x" * 65_536}) as run:
        pass
    assert len(lt.get_run(run.number).params["blob"]) == 65_536


def test_filters_that_try_sql_injection_are_never_executed(three_runs):
    attacks = [
        "params.model = 'rf'; DROP TABLE runs; --",
        "params.model = 'x' OR 1=1 --",
        "params.model = 'rf' UNION SELECT name FROM sqlite_master",
    ]
    for attack in attacks:
        with pytest.raises(lt.FilterError):
            lt.runs(attack)
    literal = (
        "params.model = 'rf''; DROP TABLE runs; --'"  # a quote inside a string: taken literally
    )
    assert lt.runs(literal).empty
    assert lt.runs()["number"].tolist() == [1, 2, 3]
