"""Import benchmark (issue 17): metric points per second that `lt.import_mlflow` brings from a real
`mlflow server` on 127.0.0.1 into a fresh store (reading and writing), against MLflow's own client
reading the same runs' histories with `get_metric_history` (reading only). Target: >= 80 %.

Run with `make bench` (or `python benchmarks/bench_import.py [--quick]`).
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from _common import fresh_labtrack, print_table
from bench_push import QUIET, start_server

QUICK = "--quick" in sys.argv
RUNS = 10
POINTS = 10_000 if QUICK else 100_000  # per run, one metric


def log_runs(db: Path) -> None:
    """RUNS runs of POINTS points each, written with MLflow's client straight into its SQLite store
    (1,000 a batch, its limit) before the server starts: the same rows, without HTTP's cost."""
    from mlflow import MlflowClient
    from mlflow.entities import Metric

    client = MlflowClient(tracking_uri=f"sqlite:///{db}")
    exp = client.create_experiment(
        "bench-import", artifact_location="mlflow-artifacts:/bench-import"
    )
    now = int(time.time() * 1000)
    for r in range(RUNS):
        run_id = client.create_run(exp, run_name=f"run-{r}").info.run_id
        points = [Metric("loss", 1.0 / (i + 1), now + i, i) for i in range(POINTS)]
        for start in range(0, POINTS, 1000):
            client.log_batch(run_id, metrics=points[start : start + 1000])
        client.set_terminated(run_id)


def mlflow_reads(uri: str) -> float:
    """Points/s of MLflow's client reading every run's history."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=uri)
    exp = client.get_experiment_by_name("bench-import").experiment_id
    ids = [run.info.run_id for run in client.search_runs([exp])]
    t0 = time.perf_counter()
    total = sum(len(client.get_metric_history(run_id, "loss")) for run_id in ids)
    assert total == RUNS * POINTS
    return total / (time.perf_counter() - t0)


def labtrack_import(uri: str) -> tuple[float, float]:
    """(points/s of an import into a fresh store, seconds of a second import that adds nothing)."""
    lt, _ = fresh_labtrack("import")
    t0 = time.perf_counter()
    report = lt.import_mlflow(uri, experiments=["bench-import"], progress=False)
    rate = report.points / (time.perf_counter() - t0)
    assert report.points == RUNS * POINTS
    t0 = time.perf_counter()
    assert lt.import_mlflow(uri, experiments=["bench-import"], progress=False).imported == []
    return rate, time.perf_counter() - t0


def main() -> None:
    os.environ.update(QUIET)
    root = Path(tempfile.mkdtemp(prefix="labtrack-bench-import-"))
    log_runs(root / "mlflow.db")
    uri, server = start_server(root)
    try:
        peer = mlflow_reads(uri)
        rate, again = labtrack_import(uri)
        peer = max(peer, mlflow_reads(uri))  # the better of two reads: no warm-up advantage
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(15)
    print_table(
        f"import from MLflow ({RUNS} runs x {POINTS:,} points, local mlflow server, SQLite)",
        [
            (
                "points/s imported",
                f"{rate:,.0f}",
                f"{peer:,.0f} (get_metric_history)",
                f"{rate / peer:.0%}",
                ">= 80 %",
            ),
            ("second import, nothing new (s)", f"{again:.3f}", "", "", ""),
        ],
    )


if __name__ == "__main__":
    main()
