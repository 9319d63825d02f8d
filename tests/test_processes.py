"""Worker processes (multiprocessing fork and spawn) and the parent's run: a worker's `lt.log` into
the parent's run is refused with a clear error at the first call, never lost silently; a worker never
ends the parent's run; a worker that records its own run writes every point."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys

import pytest

import labtrack as lt
from labtrack.errors import ActiveRunError

POINTS = 50_000
WORKERS = 6


def log_into_parent(worker: int) -> int:
    for i in range(POINTS):
        lt.log(loss=float(i))
    return worker


def log_into_own_run(worker: int) -> int:
    with lt.run(f"worker-{worker}") as run:
        for i in range(POINTS):
            lt.log(loss=float(i), worker=float(worker))
    return run.number


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_worker_logging_into_the_parents_run_gets_a_clear_error_and_the_run_is_intact(
    store, method
):
    with lt.run("parent") as parent:
        lt.log(loss=0.5)
        with (
            multiprocessing.get_context(method).Pool(WORKERS) as pool,
            pytest.raises(
                ActiveRunError, match=r"worker process .* Return the values from the worker"
            ),
        ):
            pool.map(log_into_parent, range(WORKERS))
        lt.log(loss=0.25)
        assert parent.status == "running"
    record = lt.get_run(parent.number)
    assert record.status == "finished"
    assert lt.history(parent.number, "loss")["value"].tolist() == [0.5, 0.25]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_workers_recording_runs_of_their_own_write_every_point(store, method):
    with lt.run("parent") as parent:
        with multiprocessing.get_context(method).Pool(WORKERS) as pool:
            numbers = pool.map(log_into_own_run, range(WORKERS))
        assert parent.status == "running"
    assert len(set(numbers)) == WORKERS and parent.number not in numbers
    for number in numbers:
        record = lt.get_run(number)
        assert record.status == "finished"
        assert record.metrics["loss"].count == POINTS and record.metrics["loss"].last == POINTS - 1
    assert len(lt.history(numbers, "loss")) == WORKERS * POINTS


FORK_AND_EXIT = """
import os, sys
import labtrack as lt
from labtrack.errors import ActiveRunError
run = lt.start_run("parent")
lt.log(loss=1.0)
pid = os.fork()
if pid == 0:  # the child ends as a script does: atexit handlers run
    try:
        lt.log(loss=2.0)
    except ActiveRunError:
        sys.exit(0)
    sys.exit(3)
_, status = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(status), lt.get_run(run.number).status)
"""


def test_a_forked_child_that_exits_leaves_the_parents_run_running(store_dir):
    done = subprocess.run(
        [sys.executable, "-c", FORK_AND_EXIT],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert done.stdout.split() == ["0", "running"], done.stderr
    record = lt.get_run(1)
    assert record.status == "finished" and record.metrics["loss"].count == 1
