"""Benchmark `Comparison` on synthetic frames: 20 runs x 10,000 steps of 5 metrics (issue 5).

Targets: summaries and aligned histories <= 0.2 s; `to_html()` with charts <= 2 s.
Run: `.venv/bin/python benchmarks/bench_compare.py`
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

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

    summaries = timed("compare: summaries + diff + aligned histories (target 200)", compare_all)
    cmp = compare_all()
    html = timed("to_html() with 5 charts (target 2000)", lambda: cmp.to_html(), repeat=2)
    for fmt in ("markdown", "csv", "json", "latex"):
        timed(f"to_{fmt}()", getattr(cmp, f"to_{fmt}"))
    timed("to_csv(wide=True)", lambda: cmp.to_csv(wide=True))
    timed("_repr_html_()", cmp._repr_html_)
    print("OK" if summaries <= 0.2 and html <= 2.0 else "SLOWER THAN TARGET")


if __name__ == "__main__":
    main()
