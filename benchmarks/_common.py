"""Helpers shared by the benchmarks: timing, a fresh store, an MLflow client on a local SQLite file."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Median wall time of `fn` over `repeat` calls, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def fresh_labtrack(name: str = "store"):
    """A new, empty labtrack store made the API's current one; returns (module, store)."""
    import labtrack as lt
    from labtrack.fluent import runs as api

    folder = Path(tempfile.mkdtemp(prefix=f"labtrack-bench-{name}-"))
    if api._session.store is not None:
        api._session.store.close()
        api._session.store = None
    os.environ["LABTRACK_DIR"] = str(folder / ".labtrack")
    return lt, lt.open(folder / ".labtrack")


def fresh_mlflow(name: str = "mlflow"):
    """MLflow with its SQLite store in a temp folder (nothing leaves this machine)."""
    import logging

    import mlflow

    logging.getLogger("mlflow").setLevel(logging.ERROR)
    logging.getLogger("alembic").setLevel(logging.ERROR)
    folder = Path(tempfile.mkdtemp(prefix=f"labtrack-bench-{name}-"))
    mlflow.set_tracking_uri(f"sqlite:///{folder / 'mlflow.db'}")
    # artifacts in the temp folder too (MLflow's default is ./mlruns, wherever the benchmark runs)
    mlflow.create_experiment(f"bench-{name}", artifact_location=(folder / "artifacts").as_uri())
    mlflow.set_experiment(f"bench-{name}")
    return mlflow


ROWS_FILE = "LABTRACK_BENCH_ROWS"  # run_all.py collects every benchmark's rows here (JSON lines)


def print_table(title: str, rows: list[tuple[str, str, str, str, str]]) -> None:
    """rows: (what, labtrack, peer, ratio, target). Printed here, and handed to run_all.py's one table."""
    headers = ("what", "labtrack", "peer (same process)", "ratio", "target")
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(5)]
    print(f"\n## {title}")
    for row in [headers, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))
    emit(rows)


def emit(rows: list[tuple[str, str, str, str, str]]) -> None:
    """Hand rows (what, labtrack, MLflow or reference, ratio, target) to `make bench`'s one table."""
    import json

    path = os.environ.get(ROWS_FILE)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps([str(cell) for cell in row]) + "\n")
