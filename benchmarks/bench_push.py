"""Push benchmark (issue 8): metric points per second that `lt.push_mlflow` sends to a real
`mlflow server` on 127.0.0.1, against MLflow's own client sending the same points with `log_batch`
to the same server, and the time of a second push that finds nothing to send.

Run with `make bench` (or `python benchmarks/bench_push.py [--quick]`).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import fresh_labtrack, print_table

QUICK = "--quick" in sys.argv
RUNS = 5
POINTS = 4_000 if QUICK else 10_000  # per run, two metrics (a rate: 100,000 points measure it)
QUIET = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "true",
    "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false",
    "MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT": "true",
}


def start_server(root: Path | None = None) -> tuple[str, subprocess.Popen]:
    """`mlflow server` with SQLite (`root`/mlflow.db) and proxied artifacts in `root` (default: a temp
    folder); returns (uri, process)."""
    root = root or Path(tempfile.mkdtemp(prefix="labtrack-bench-mlflow-"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mlflow",
            "server",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--backend-store-uri",
            f"sqlite:///{root / 'mlflow.db'}",
            "--serve-artifacts",
            "--artifacts-destination",
            str(root / "artifacts"),
        ],
        cwd=root,
        env={**os.environ, **QUIET},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    uri = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if urllib.request.urlopen(f"{uri}/health", timeout=2).status == 200:
                return uri, server
        except OSError:
            time.sleep(0.2)
    raise SystemExit("mlflow server did not start")


def labtrack_push(uri: str) -> tuple[float, float]:
    """(points/s of a first push, seconds of a second push that sends nothing)."""
    lt, _ = fresh_labtrack("push")
    from labtrack import push_mlflow

    for r in range(RUNS):
        with lt.run(f"run-{r}", params={"lr": 0.1 * (r + 1)}):
            for i in range(POINTS):
                lt.log(loss=1.0 / (i + 1), acc=i / POINTS)
    t0 = time.perf_counter()
    report = push_mlflow(uri, experiment="bench-labtrack", progress=False)
    rate = report.points / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    assert push_mlflow(uri, experiment="bench-labtrack", progress=False).points == 0
    return rate, time.perf_counter() - t0


def mlflow_log_batch(uri: str) -> float:
    """Points/s of MLflow's client logging the same runs' points, 1,000 per log_batch."""
    from mlflow import MlflowClient
    from mlflow.entities import Metric

    client = MlflowClient(tracking_uri=uri)
    exp = client.create_experiment("bench-mlflow")
    now = int(time.time() * 1000)
    t0 = time.perf_counter()
    for r in range(RUNS):
        run_id = client.create_run(exp, run_name=f"run-{r}").info.run_id
        points = [Metric(k, 0.5, now, i) for i in range(POINTS) for k in ("loss", "acc")]
        for start in range(0, len(points), 1000):
            client.log_batch(run_id, metrics=points[start : start + 1000])
        client.set_terminated(run_id)
    return RUNS * POINTS * 2 / (time.perf_counter() - t0)


def main() -> None:
    os.environ.update(QUIET)
    uri, server = start_server()
    try:
        rate, again = labtrack_push(uri)
        peer = mlflow_log_batch(uri)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(15)
    print_table(
        f"push to MLflow ({RUNS} runs x {POINTS * 2:,} points, local mlflow server, SQLite)",
        [
            (
                "points/s pushed",
                f"{rate:,.0f}",
                f"{peer:,.0f} (log_batch)",
                f"{rate / peer:.0%}",
                "close to log_batch",
            ),
            ("second push, nothing to send (s)", f"{again:.3f}", "", "", ""),
        ],
    )


if __name__ == "__main__":
    main()
