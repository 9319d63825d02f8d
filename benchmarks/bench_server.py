"""Server benchmarks of issue 7: the REST routes the panel waits on, over a store filled through the API.

- `runs` with a filter over 10,000 runs x 20 params x 5 metrics (target <= 0.3 s), each request a cache
  miss (a new filter), plus the whole table unfiltered and a re-sort served from the cache;
- `history` of 20 runs x 10,000 steps, thinned to 2,000 points a series (target <= 0.2 s).

Timed twice: calling the service as a handler does (store work and JSON encoding), and over HTTP
through a real `jupyter server` with the extension (token auth, tornado, the client's JSON parse).
Run with `make bench` (or `python benchmarks/bench_server.py [--quick]`).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from _common import emit, timed

QUICK = "--quick" in sys.argv
RUNS = 1_000 if QUICK else 10_000
CURVES, STEPS = 20, 10_000
REPEAT = 5
TOKEN = "labtrack-bench"


def fill_store() -> tuple[Path, Path, list[int]]:
    """RUNS runs x 20 params x 5 metrics, and CURVES runs x STEPS steps of `loss` (two stores, built
    with SQL by _stores.py); returns both folders and the numbers of the long runs."""
    from _stores import curves_store, runs_store

    return runs_store(RUNS), curves_store(CURVES, STEPS), list(range(1, CURVES + 1))


def filters() -> Callable[[], str]:
    """A new filter each call (so every request misses the cache), matching about a quarter of the runs."""
    count = iter(range(10**9))
    return lambda: f"metrics.m0 > {0.5 + next(count) / 1e6} and params.p1 = 'rf' or params.p2 > 5"


def time_service(folder: Path, curves_folder: Path, curves: list[int]) -> dict[str, float]:
    from labtrack.server.queries import RunsQuery
    from labtrack.server.records import encode_json
    from labtrack.server.service import LabService

    service = LabService(folder, root_dir=folder.parent)
    long_runs = LabService(curves_folder, root_dir=curves_folder.parent)
    next_filter = filters()
    runs = [str(n) for n in curves]

    def runs_route(**args: str) -> None:
        service.runs_json(RunsQuery.parse(args))

    runs_route()  # warm: imports pandas and opens the store
    return {
        "runs, filtered": timed(lambda: runs_route(filter=next_filter()), REPEAT),
        "runs, first page": timed(
            lambda: (
                service._runs_cache.clear(),
                runs_route(sort="metrics.m1", order="desc", limit="200"),
            ),
            REPEAT,
        ),
        "runs, all": timed(lambda: (service._runs_cache.clear(), runs_route()), REPEAT),
        "runs, re-sorted (cached)": timed(
            lambda: runs_route(sort="metrics.m3", order="desc"), REPEAT
        ),
        "history": timed(
            lambda: (
                long_runs._series_cache.clear(),
                encode_json(long_runs.history(runs, "loss", 2000)),
            ),
            REPEAT,
        ),
        "history, cached": timed(
            lambda: encode_json(long_runs.history(runs, "loss", 2000)), REPEAT
        ),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        "--allow-root",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={folder.parent}",
        "--ServerApp.jpserver_extensions=labtrack.server=True",
        f"--LabtrackExtension.store_dir={folder}",
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    log = open(folder.parent / "jupyter-server.log", "wb")  # noqa: SIM115 - the server's lifetime
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/labtrack/api/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            get(base, "status")
            return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"jupyter server did not answer within 60 s; see {log.name}")


def get(base: str, path: str, **params: str) -> object:
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def time_http(folder: Path, curves_folder: Path, curves: list[int]) -> dict[str, float]:
    server, base = start_server(folder)
    curve_server, curve_base = start_server(curves_folder)
    try:
        next_filter, count = filters(), iter(range(1, 10**9))  # a new filter: a cache miss
        runs = ",".join(map(str, curves))
        get(base, "runs")  # warm
        return {
            "runs, filtered": timed(lambda: get(base, "runs", filter=next_filter()), REPEAT),
            "runs, first page": timed(
                lambda: get(
                    base,
                    "runs",
                    filter=f"attributes.number > -{next(count)}",
                    sort="metrics.m1",
                    order="desc",
                    limit="200",
                ),
                REPEAT,
            ),
            "runs, all": timed(
                lambda: get(base, "runs", filter=f"attributes.number > -{next(count)}"), REPEAT
            ),
            "runs, re-sorted (cached)": timed(
                lambda: get(base, "runs", sort="metrics.m3", order="desc"), REPEAT
            ),
            "history": timed(  # a new max_points each time: a cache miss
                lambda: get(
                    curve_base,
                    "history",
                    runs=runs,
                    metric="loss",
                    max_points=str(2000 - next(count)),
                ),
                REPEAT,
            ),
            "history, cached": timed(
                lambda: get(curve_base, "history", runs=runs, metric="loss"), REPEAT
            ),
        }
    finally:
        for each in (server, curve_server):
            each.terminate()
            each.wait(timeout=30)


WHAT = {
    "runs, filtered": (f"runs: a filter over {RUNS:,} runs, a cache miss", "<= 0.3 s"),
    "runs, first page": (f"runs: first 200 of {RUNS:,}, sorted by a metric, a cache miss", ""),
    "runs, all": (f"runs: all {RUNS:,}, a cache miss", ""),
    "runs, re-sorted (cached)": (f"runs: all {RUNS:,} re-sorted, same change marker", ""),
    "history": (
        f"history: {CURVES} runs x {STEPS:,} steps -> 2,000 points each, a cache miss",
        "<= 0.2 s",
    ),
    "history, cached": ("history: the same again (finished runs: cached)", ""),
}


def main() -> None:
    t0 = time.perf_counter()
    folder, curves_folder, curves = fill_store()
    print(
        f"stores of {RUNS:,} runs + {CURVES} x {STEPS:,} steps ready in {time.perf_counter() - t0:.1f} s"
    )
    service = time_service(folder, curves_folder, curves)
    http = time_http(folder, curves_folder, curves)
    rows = [
        ("route (median of 5)", "service (s)", "HTTP (s)", "target"),
        *(
            (what, f"{service[key]:.3f}", f"{http[key]:.3f}", target)
            for key, (what, target) in WHAT.items()
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    print(
        "\n## server routes (service: store work + JSON in the handler's thread; HTTP: a real jupyter server)"
    )
    for row in [rows[0], tuple("-" * w for w in widths), *rows[1:]]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)))
    emit(
        [
            (f"REST {what}", f"{http[key]:.3f} s", f"in-process {service[key]:.3f} s", "", target)
            for key, (what, target) in WHAT.items()
            if key in ("runs, filtered", "runs, first page", "history")
        ]
    )


if __name__ == "__main__":
    main()
