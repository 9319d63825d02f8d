"""Core benchmarks of issue 3: write rate, import time, bytes per point — vs MLflow (the runs table
is measured on stores of 1,000 to 100,000 runs by bench_scale.py).

Run with `make bench` (or `python benchmarks/bench_core.py [--quick]`).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import fresh_labtrack, fresh_mlflow, print_table

QUICK = "--quick" in sys.argv
POINTS = 100_000 if QUICK else 1_000_000


ROUNDS = 1 if QUICK else 3


def write_rates() -> tuple[float, float, float, float, float]:
    """(labtrack, floor) points/s by wall time and by CPU time, and bytes per point: the best of
    ROUNDS rounds, the two taking turns, so that load from other processes on a shared machine
    (which only ever slows a round down) weighs on both sides alike."""
    best = [0.0, 0.0, 0.0, 0.0]
    for _ in range(ROUNDS):
        (wall, cpu), bytes_per_point = labtrack_write_rate()
        floor_wall, floor_cpu = sqlite_floor()
        best = [max(b, v) for b, v in zip(best, (wall, cpu, floor_wall, floor_cpu))]
    return best[0], best[2], best[1], best[3], bytes_per_point


def labtrack_write_rate() -> tuple[tuple[float, float], float]:
    """Points/s logged one call at a time and persisted (run end included), by wall and by CPU time
    (every thread of the process); bytes per point."""
    lt, store = fresh_labtrack("points")
    t0, c0 = time.perf_counter(), time.process_time()
    with lt.run("points"):
        log = lt.log
        for i in range(POINTS):
            log(loss=1.0 / (i + 1))
    rates = POINTS / (time.perf_counter() - t0), POINTS / (time.process_time() - c0)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return rates, store.path.stat().st_size / POINTS


def sqlite_floor() -> tuple[float, float]:
    """Raw sqlite3 executemany of the same rows into the same table (WAL, 100k-row transactions),
    points/s by wall and by CPU time."""
    path = Path(tempfile.mkdtemp(prefix="labtrack-bench-floor-")) / "floor.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE metric_points (run_id INTEGER NOT NULL, key_id INTEGER NOT NULL, step INTEGER NOT NULL,"
        " value REAL, wall_ms INTEGER NOT NULL, PRIMARY KEY (run_id, key_id, step)) WITHOUT ROWID"
    )
    now = int(time.time() * 1000)
    rows = [(1, 1, i, 1.0 / (i + 1), now) for i in range(POINTS)]
    t0, c0 = time.perf_counter(), time.process_time()
    for start in range(0, POINTS, 100_000):
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO metric_points VALUES (?, ?, ?, ?, ?)", rows[start : start + 100_000]
        )
        conn.execute("COMMIT")
    return POINTS / (time.perf_counter() - t0), POINTS / (time.process_time() - c0)


def mlflow_write_rates() -> tuple[float, float]:
    """MLflow log_metric (one call per point) and log_batch (1,000 points per call), points/s."""
    mlflow = fresh_mlflow("points")
    from mlflow.entities import Metric

    n_single = 200  # a rate (about 30 ms a call): 200 calls measure it
    with mlflow.start_run():
        t0 = time.perf_counter()
        for i in range(n_single):
            mlflow.log_metric("loss", 1.0 / (i + 1), step=i)
        single = n_single / (time.perf_counter() - t0)
        client = mlflow.tracking.MlflowClient()
        run_id = mlflow.active_run().info.run_id
        n_batch = (
            10_000 if QUICK else 30_000
        )  # a rate: 30 batches measure it (and keep make bench short)
        now = int(time.time() * 1000)
        t0 = time.perf_counter()
        for start in range(0, n_batch, 1000):
            client.log_batch(
                run_id, metrics=[Metric("loss2", 0.5, now, i) for i in range(start, start + 1000)]
            )
        batch = n_batch / (time.perf_counter() - t0)
    return single, batch


def import_time(module: str) -> float:
    """Seconds to import `module` in a fresh interpreter, minus the interpreter's own start-up."""

    def run(code: str) -> float:
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
        )
        return time.perf_counter() - t0

    base = min(run("pass") for _ in range(3))
    return min(run(f"import {module}") for _ in range(3)) - base


def main() -> None:
    rate, floor, rate_cpu, floor_cpu, bytes_per_point = write_rates()
    single, batch = mlflow_write_rates()
    lt_import = import_time("labtrack")
    ml_import = import_time("mlflow")
    print_table(
        f"core ({POINTS:,} points)",
        [
            (
                "points/s, one call per point, persisted",
                f"{rate:,.0f}",
                f"{single:,.0f} (log_metric)",
                f"{rate / single:,.0f}x",
                ">= 300,000/s",
            ),
            (
                "points/s vs MLflow log_batch",
                f"{rate:,.0f}",
                f"{batch:,.0f} (log_batch)",
                f"{rate / batch:,.1f}x",
                "",
            ),
            (
                "points/s vs raw sqlite3 executemany",
                f"{rate:,.0f}",
                f"{floor:,.0f} (floor)",
                f"{rate / floor:.0%}",
                ">= 50%",
            ),
            (
                "  the same by CPU time",
                f"{rate_cpu:,.0f}",
                f"{floor_cpu:,.0f} (floor)",
                f"{rate_cpu / floor_cpu:.0%}",
                ">= 50%",
            ),
            (
                "import time (s)",
                f"{lt_import:.3f}",
                f"{ml_import:.3f} (import mlflow)",
                f"{ml_import / lt_import:,.0f}x faster",
                "<= 0.15 s",
            ),
            ("bytes on disk per metric point", f"{bytes_per_point:.1f}", "", "", "<= 40"),
        ],
    )


if __name__ == "__main__":
    main()
