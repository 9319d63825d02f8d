"""Benchmark comparisons of 20 runs x 10,000 steps of 5 metrics (issue 5): `Comparison` on synthetic
frames (its own cost), and `lt.compare` end to end on a real store of that shape (issue 16: the
figure the README quotes comes from the store, reading included).

Target: `to_html()` with charts <= 2 s.
Run: `.venv/bin/python benchmarks/bench_compare.py`
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from _common import emit

from labtrack.comparisons.comparison import Comparison

RUNS, STEPS, METRICS = 20, 10_000, 5


def synthetic_frames(runs: int = RUNS, steps: int = STEPS, metrics: int = METRICS, seed: int = 0):
    """A runs frame and a history frame shaped like `lt.runs()` and `lt.history()` return them."""
    rng = np.random.default_rng(seed)
    numbers = np.arange(1, runs + 1)
    start = pd.Timestamp("2024-05-01", tz="UTC") + pd.to_timedelta(numbers * 60, unit="s")
    frame = pd.DataFrame(
        {
            "number": numbers,
            "uuid": [f"{n:032x}" for n in numbers],
            "name": [f"run-{n}" for n in numbers],
            "experiment": "bench",
            "status": "finished",
            "start_time": start,
            "end_time": start + pd.Timedelta(seconds=50),
            "duration": 50.0,
            "parent": None,
            "hypothesis_id": None,
            "notebook": "bench.ipynb",
            "params.lr": pd.Series(
                [float(x) for x in 10.0 ** -rng.integers(1, 5, runs)], dtype=object
            ),
            "params.model": pd.Series(
                ["rf", "gbm"] * (runs // 2) + ["rf"] * (runs % 2), dtype=object
            ),
            "params.depth": pd.Series([int(d) for d in rng.integers(2, 12, runs)], dtype=object),
        }
    )
    names = [f"metric_{i}" for i in range(metrics)]
    number = np.repeat(numbers, metrics * steps)
    metric = np.tile(np.repeat(np.array(names, dtype=object), steps), runs)
    step = np.tile(np.arange(steps), runs * metrics)
    value = np.exp(-step / 3000.0) + rng.normal(0, 0.05, len(step))
    run_names = np.array([f"run-{n}" for n in numbers], dtype=object)
    history = pd.DataFrame(
        {  # object columns and this order, as lt.history() returns them
            "number": number,
            "name": pd.Series(run_names[number - 1], dtype=object),
            "metric": pd.Series(metric, dtype=object),
            "step": step,
            "value": value,
            "time": pd.Timestamp("2024-05-01", tz="UTC") + pd.to_timedelta(step, unit="ms"),
        }
    )
    last = value.reshape(runs, metrics, steps)[:, :, -1]
    for i, name in enumerate(names):
        frame[f"metrics.{name}"] = last[:, i]
    return frame, history


def timed(label: str, func, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - began)
    print(f"{label:<58} {best * 1000:8.1f} ms")
    return best


def main() -> None:
    """Time `Comparison` on synthetic frames (its own cost), then `lt.compare` end to end, reading
    a real store of the same shape (what the README quotes)."""
    runs, history = synthetic_frames()
    definitions = {"metric_0": {"goal": "min", "target": None, "summary": "best"}}
    print(f"{RUNS} runs x {STEPS:,} steps x {METRICS} metrics = {len(history):,} points")

    def compare_all() -> Comparison:
        cmp = Comparison(runs, history, definitions, at_step=5000)
        cmp.metrics  # noqa: B018
        cmp.params  # noqa: B018
        for metric in cmp.metric_names:
            cmp.history(metric)
        cmp.diff().metrics  # noqa: B018
        return cmp

    summaries = timed("compare frames: summaries + diff + aligned histories", compare_all)
    cmp = compare_all()
    html = timed("frames: to_html() with 5 charts", lambda: cmp.to_html(), repeat=2)
    for fmt in ("markdown", "csv", "json", "latex"):
        timed(f"to_{fmt}()", getattr(cmp, f"to_{fmt}"))

    from _stores import curves_store

    import labtrack as lt

    lt.open(curves_store(RUNS, STEPS, METRICS))
    numbers = list(range(1, RUNS + 1))

    def from_store() -> Comparison:
        read = lt.compare(*numbers, at_step=5000)
        read.metrics  # noqa: B018
        read.params  # noqa: B018
        for metric in read.metric_names:
            read.history(metric)
        read.diff().metrics  # noqa: B018
        return read

    from_store()  # warm: imports
    end_to_end = timed("lt.compare from the store: summaries + diff + histories", from_store)
    stored = from_store()
    report = timed("lt.compare from the store: to_html() with 5 charts", stored.to_html, repeat=2)
    emit(
        [
            (
                f"lt.compare {RUNS} runs x {STEPS:,} steps x {METRICS} metrics, read from the store",
                f"{end_to_end:.2f} s",
                f"Comparison alone {summaries:.2f} s",
                "",
                "",
            ),
            (
                "... its HTML report with 5 charts",
                f"{report:.2f} s",
                f"from frames {html:.2f} s",
                "",
                "<= 2 s",
            ),
        ]
    )


if __name__ == "__main__":
    main()
