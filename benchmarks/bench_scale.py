"""Scale benchmarks (issue 16): lists and histories read from real stores on disk, end to end.

- `lt.runs()` at 1,000 / 5,500 / 10,000 / 100,000 runs x 20 params x 5 metrics, next to MLflow's
  `search_runs` at 1,000 and 10,000 runs (its SQLite store, same process);
- `labtrack runs --limit 20` on 100,000 runs: the whole process;
- REST `runs?limit=50`, first call, at 1,000 / 10,000 / 100,000 runs, through a real jupyter server;
- `lt.history` of one run at 10,000 / 1,000,000 / 5,000,000 points (time and peak memory of the
  process), next to MLflow's `get_metric_history` at 1,000,000 points;
- `lt.compare` and REST `compare` of the 5,000,000-point run.

Stores are built with direct SQL by `_stores.py` (and cached); what is timed is the public API, the
CLI process or the HTTP route. Growth rows print time per item: a rising column is superlinear.
Run with `make bench` (or `python benchmarks/bench_scale.py [--quick]`).
"""

from __future__ import annotations

import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from _common import emit, timed
from _stores import mlflow_points_store, mlflow_runs_store, points_store, runs_store

QUICK = "--quick" in sys.argv
RUN_SIZES = (1_000, 5_500, 10_000) if QUICK else (1_000, 5_500, 10_000, 100_000)
POINT_SIZES = (10_000, 1_000_000) if QUICK else (10_000, 1_000_000, 5_000_000)
BIG_RUNS, BIG_POINTS = RUN_SIZES[-1], POINT_SIZES[-1]
SRC = Path(__file__).resolve().parents[1] / "src"
ENV = {**os.environ, "PYTHONPATH": str(SRC)}


class Timing(NamedTuple):
    """Median wall and CPU seconds (this process and its children): on a machine shared with other
    work, the CPU time shows what the wall time would be on an idle one."""

    wall: float
    cpu: float

    def show(self, items: int | None = None, unit: str = "") -> str:
        each = f", {self.wall / items * 1e6:.2f} us/{unit}" if items else ""
        return f"{self.wall:.3f} s (cpu {self.cpu:.3f} s{each})"


def with_cpu(fn: Callable[[], object], repeat: int) -> Timing:
    walls, cpus = [], []
    for _ in range(repeat):
        own, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - began)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        cpus.append(time.process_time() - own + spent)
    return Timing(statistics.median(walls), statistics.median(cpus))


def lab_runs(folder: Path) -> Timing:
    """Median seconds of `lt.runs()` (every column) over the store at `folder`, after a warm call."""
    import labtrack as lt

    lt.open(folder)
    lt.runs(limit=1)  # imports pandas, opens the store
    return with_cpu(lambda: lt.runs(), repeat=3)


def mlflow_search(runs: int) -> float:
    """Seconds of `mlflow.search_runs` over every run of a store of `runs` runs (one call)."""
    import mlflow
    from mlflow.tracking import MlflowClient

    uri = mlflow_runs_store(runs)
    mlflow.set_tracking_uri(uri)
    experiment = MlflowClient(uri).get_experiment_by_name("bench").experiment_id
    mlflow.search_runs([experiment], max_results=10)  # warm: opens the database
    return timed(lambda: mlflow.search_runs([experiment], max_results=200_000), repeat=1)


def cli_limit(folder: Path) -> Timing:
    """Median wall seconds of the whole `labtrack runs --limit 20` process."""
    command = [
        sys.executable,
        "-c",
        "from labtrack.cli import main; main()",
        "--store",
        str(folder),
        "runs",
        "--limit",
        "20",
    ]
    subprocess.run(command, env=ENV, check=True, capture_output=True)  # warm the file cache

    def run() -> None:
        subprocess.run(command, env=ENV, check=True, capture_output=True)

    return with_cpu(run, repeat=3)


HISTORY = """
import json, sys, time
import labtrack as lt
lt.open(sys.argv[1]); lt.runs(limit=1)  # imports pandas, opens the store
began, cpu = time.perf_counter(), time.process_time()
frame = lt.history(1, "loss")
seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
assert len(frame) == int(sys.argv[2]), len(frame)
# VmHWM: this process's peak resident memory (ru_maxrss would count the forking parent's)
status = open("/proc/self/status").read().split("VmHWM:")[1]
peak = int(status.split()[0]) / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak}))
"""


def lab_history(points: int) -> dict[str, float]:
    """`lt.history` of the one run of a `points`-point store, in a fresh process: seconds, peak MB."""
    folder, _ = points_store(points)
    done = subprocess.run(
        [sys.executable, "-c", HISTORY, str(folder), str(points)],
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def mlflow_history(points: int) -> float:
    """Seconds of MLflow's `get_metric_history` of a `points`-point run (one call)."""
    from mlflow.tracking import MlflowClient

    uri, run_id = mlflow_points_store(points)
    client = MlflowClient(uri)
    client.get_run(run_id)  # warm: opens the database
    return timed(lambda: client.get_metric_history(run_id, "loss"), repeat=1)


def lab_compare(folder: Path) -> Timing:
    """Median seconds of `lt.compare(1)` and its metric summaries over a long run."""
    import labtrack as lt

    lt.open(folder)
    lt.compare(1).metrics  # noqa: B018 - warm: imports
    return with_cpu(lambda: lt.compare(1).metrics, repeat=3)


def http_first_calls(folders: dict[str, Path], points_folder: Path) -> dict[str, float]:
    """Through a real jupyter server per store: `runs?limit=50` (first call, then sorted by a metric)
    and `compare?runs=1` of the long run."""
    from bench_server import get, start_server

    out: dict[str, float] = {}
    servers = []
    try:
        for name, folder in [*folders.items(), ("points", points_folder)]:
            server, base = start_server(folder)
            servers.append(server)
            if name == "points":
                out["compare"] = timed(lambda b=base: get(b, "compare", runs="1"), repeat=3)
                continue
            out[f"runs {name}"] = timed(lambda b=base: get(b, "runs", limit="50"), repeat=1)
            out[f"sorted {name}"] = timed(
                lambda b=base: get(b, "runs", limit="50", sort="metrics.m1", order="desc"), repeat=3
            )
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    return out


def per_item(seconds: float, items: int, unit: str) -> str:
    return f"{seconds / items * 1e6:.2f} us/{unit}"


def main() -> None:
    logging.getLogger("mlflow").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    folders = {f"{n:,}": runs_store(n) for n in RUN_SIZES}
    points_folder, _ = points_store(BIG_POINTS)
    for n in POINT_SIZES:
        points_store(n)
    print(f"stores ready in {time.perf_counter() - t0:.1f} s")
    runs = {name: lab_runs(folder) for name, folder in folders.items()}
    print("lt.runs", runs, flush=True)
    cli = cli_limit(folders[f"{BIG_RUNS:,}"])
    print("cli", cli, flush=True)
    http = http_first_calls(
        {k: folders[k] for k in (f"{n:,}" for n in RUN_SIZES) if k != "5,500"}, points_folder
    )
    print("http", http, flush=True)
    histories = {n: lab_history(n) for n in POINT_SIZES}
    print("history", histories, flush=True)
    compare = lab_compare(points_folder)
    print("compare", compare, flush=True)
    ml_search = {n: mlflow_search(n) for n in (1_000, 10_000)}
    print("mlflow search", ml_search, flush=True)
    ml_points = 100_000 if QUICK else 1_000_000
    ml_history = mlflow_history(ml_points)
    print("mlflow history", ml_history, flush=True)

    rows = []
    for name, timing in runs.items():
        n = int(name.replace(",", ""))
        peer = ratio = ""
        if n in ml_search:
            peer = f"search_runs {ml_search[n]:.2f} s"
            ratio = f"{ml_search[n] / timing.wall:.0f}x faster"
        target = {5_500: "<= 0.15 s", 100_000: "<= 1.0 s", 10_000: "<= 0.3 s"}.get(n, "")
        what = f"lt.runs(), {name} runs x 20 params x 5 metrics"
        rows.append((what, timing.show(n, "run"), peer, ratio, target))
    what = f"labtrack runs --limit 20, {BIG_RUNS:,} runs (whole process)"
    rows.append((what, cli.show(), "", "", "<= 0.5 s"))
    for name in (k for k in folders if k != "5,500"):
        n, first = int(name.replace(",", "")), http[f"runs {name}"]
        what = f"REST runs?limit=50, {name} runs, first call"
        shown = f"{first:.3f} s ({per_item(first, n, 'run')})"
        rows.append((what, shown, "", "", "<= 0.3 s" if n == 100_000 else ""))
    what = f"REST runs?limit=50 sorted by a metric, {BIG_RUNS:,} runs"
    rows.append((what, f"{http[f'sorted {BIG_RUNS:,}']:.3f} s", "", "", ""))
    for n, found in histories.items():
        peer = ratio = ""
        if n == ml_points:
            peer = f"get_metric_history {ml_history:.2f} s"
            ratio = f"{ml_history / found['seconds']:.0f}x faster"
        target = "<= 2 s, <= 400 MB" if n == 5_000_000 else ""
        shown = f"{Timing(found['seconds'], found['cpu']).show(n, 'point')}, peak {found['peak_mb']:.0f} MB"
        rows.append((f"lt.history, one run of {n:,} points", shown, peer, ratio, target))
    rows.append((f"lt.compare of a {BIG_POINTS:,}-point run", compare.show(), "", "", "<= 1 s"))
    what = f"REST compare of a {BIG_POINTS:,}-point run"
    rows.append((what, f"{http['compare']:.3f} s", "", "", "<= 1 s"))
    emit(rows)
    for row in rows:
        print(" | ".join(row))


if __name__ == "__main__":
    main()
