"""The numeric core of `Comparison`: metric summaries and aligned histories, vectorised with numpy.

The history frame is reduced once to arrays grouped by (metric, run) and sorted by step inside each
group, so every summary is one `reduceat` over contiguous segments: no Python loop over points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

SUMMARY_ROWS = ("last", "best", "best_step", "min", "max", "mean")


class Histories:
    """The points of the compared runs, as arrays: `metric` and `run` codes, `step`, `value`."""

    def __init__(self, history: pd.DataFrame | None, numbers: Sequence[int]) -> None:
        self.n_runs = len(numbers)
        if history is None or history.empty:
            self.metrics: list[str] = []
            self.key = self.step = np.zeros(0, dtype=np.int64)
            self.value = np.zeros(0, dtype=float)
            self.groups = self.metric_code = self.key
            return
        run = pd.Index(numbers).get_indexer(history["number"].to_numpy())
        all_codes, uniques = factorize_metrics(history["metric"])
        keep = (run >= 0) & (all_codes >= 0)  # points of runs not compared are ignored
        codes = all_codes[keep]
        used = np.bincount(codes, minlength=len(uniques)) > 0
        self.metrics = [str(m) for m, u in zip(uniques, used, strict=True) if u]
        codes = (np.cumsum(used) - 1)[codes]  # renumber the metrics that compared runs have
        key = codes.astype(np.int64) * self.n_runs + run[keep]
        step = history["step"].to_numpy()[keep].astype(np.int64)
        value = history["value"].to_numpy(dtype=float)[keep]
        if not _grouped_and_sorted(key, step):
            order = np.lexsort(
                (step, key)
            )  # stable: on a repeated step the later point stays later
            key, step, value = key[order], step[order], value[order]
        self.key, self.step, self.value = key, step, value
        self.metric_code = key // self.n_runs
        self.groups = key[first_of_runs(key)]  # the (metric, run) keys that have points

    def summaries(
        self,
        labels: Sequence[str],
        goals: Mapping[str, str],
        fallback: Mapping[str, np.ndarray],
        at_step: int | None,
    ) -> pd.DataFrame:
        """(metric, summary) x run table; `fallback[metric]` gives `last` of runs with no points."""
        rows = list(SUMMARY_ROWS) + (["at_step"] if at_step is not None else [])
        extra = [m for m, v in fallback.items() if m not in self.metrics and not np.isnan(v).all()]
        metrics = self.metrics + extra
        table = np.full((len(metrics), len(rows), self.n_runs), np.nan)
        finite = ~np.isnan(self.value)
        key, step, value = self.key[finite], self.step[finite], self.value[finite]
        if len(key):
            starts = np.flatnonzero(first_of_runs(key))
            ends = np.r_[starts[1:], len(key)]
            metric, run = np.divmod(key[starts], self.n_runs)
            low = np.minimum.reduceat(value, starts)
            high = np.maximum.reduceat(value, starts)
            table[metric, rows.index("last"), run] = value[ends - 1]
            table[metric, rows.index("min"), run] = low
            table[metric, rows.index("max"), run] = high
            table[metric, rows.index("mean"), run] = np.add.reduceat(value, starts) / (
                ends - starts
            )
            goal = np.array([goals.get(m) for m in self.metrics], dtype=object)[metric]
            best = np.where(goal == "max", high, np.where(goal == "min", low, np.nan))
            table[metric, rows.index("best"), run] = best
            # the first step reaching `best` in each segment (NaN never equals, so no-goal rows skip)
            hits = np.flatnonzero(value == np.repeat(best, ends - starts))
            segment = np.searchsorted(starts, hits, side="right") - 1
            first = first_of_runs(segment)
            table[metric[segment[first]], rows.index("best_step"), run[segment[first]]] = step[
                hits[first]
            ]
            if at_step is not None:
                at = np.flatnonzero(step == at_step)
                last = last_of_runs(key[at])  # on a repeated step, the later point wins
                at_metric, at_run = np.divmod(key[at[last]], self.n_runs)
                table[at_metric, rows.index("at_step"), at_run] = value[at[last]]
        if fallback:
            has_points = np.zeros((len(metrics), self.n_runs), dtype=bool)
            has_points.flat[self.groups] = True
            for i, name in enumerate(metrics):
                if name in fallback:
                    missing = ~has_points[i]
                    table[i, rows.index("last"), missing] = fallback[name][missing]
        index = pd.MultiIndex.from_product([metrics, rows], names=["metric", "summary"])
        columns = pd.Index(list(labels), name="run")
        return pd.DataFrame(table.reshape(len(metrics) * len(rows), self.n_runs), index, columns)

    def _metric_points(self, metric: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(run, step, value) of one metric, grouped by run and sorted by step; one point per step."""
        code = self.metrics.index(metric)
        mask = self.metric_code == code
        run, step, value = self.key[mask] % self.n_runs, self.step[mask], self.value[mask]
        unique = last_of_runs(run) | last_of_runs(step)  # on a repeated step, the later point wins
        return run[unique], step[unique], value[unique]

    def aligned(self, metric: str, labels: Sequence[str]) -> pd.DataFrame:
        """Index `step`, a column per run, NaN where a run has no point at that step."""
        columns = pd.Index(list(labels), name="run")
        if metric not in self.metrics:
            return pd.DataFrame(
                index=pd.Index([], dtype=np.int64, name="step"), columns=columns, dtype=float
            )
        run, step, value = self._metric_points(metric)
        steps, row = _union_of_steps(step)
        table = np.full((len(steps), self.n_runs), np.nan)
        table[row, run] = value
        return pd.DataFrame(table, index=pd.Index(steps, name="step"), columns=columns)

    def points(self, metric: str, labels: Sequence[str], max_points: int | None) -> pd.DataFrame:
        """Tidy non-NaN points (run, step, value); each run's series reduced to about `max_points`
        by keeping the first minimum and maximum of equal-width buckets of consecutive points."""
        if metric not in self.metrics:
            run = step = np.zeros(0, dtype=np.int64)
            value = np.zeros(0, dtype=float)
        else:
            run, step, value = self._metric_points(metric)
            finite = ~np.isnan(value)
            run, step, value = run[finite], step[finite], value[finite]
        if max_points is not None and len(run):
            counts = np.bincount(run, minlength=self.n_runs)
            if counts.max() > max_points:
                starts = np.r_[0, np.cumsum(counts)[:-1]]
                position = np.arange(len(run)) - starts[run]
                buckets = max(max_points // 2, 1)
                bucket = np.where(
                    counts[run] > max_points, position * buckets // counts[run], position
                )
                frame = pd.DataFrame(
                    {"group": run.astype(np.int64) * (len(run) + 1) + bucket, "value": value}
                )
                grouped = frame.groupby("group", sort=False)["value"]
                keep = np.unique(np.r_[grouped.idxmin().to_numpy(), grouped.idxmax().to_numpy()])
                run, step, value = run[keep], step[keep], value[keep]
        names = np.asarray(list(labels), dtype=object)
        return pd.DataFrame({"run": names[run], "step": step, "value": value})


def factorize_metrics(metric: pd.Series) -> tuple[np.ndarray, list[str]]:
    """`pd.factorize` of the metric column, faster on object strings sorted by metric within runs:
    only the first of each run of equal names is hashed."""
    if metric.dtype != object:  # arrow strings and categoricals factorize fast already
        codes, uniques = pd.factorize(metric)
        return codes, list(uniques)
    names = metric.to_numpy()
    starts = np.flatnonzero(first_of_runs(names))
    codes, uniques = pd.factorize(names[starts])
    return np.repeat(codes, np.diff(np.r_[starts, len(names)])), list(uniques)


def first_of_runs(array: np.ndarray) -> np.ndarray:
    """True where a run of equal consecutive values starts: [3, 3, 5] -> [True, False, True]."""
    return np.r_[True, array[1:] != array[:-1]][: len(array)]


def last_of_runs(array: np.ndarray) -> np.ndarray:
    """True where a run of equal consecutive values ends: [3, 3, 5] -> [False, True, True]."""
    return np.r_[array[1:] != array[:-1], True][: len(array)]


def _grouped_and_sorted(key: np.ndarray, step: np.ndarray) -> bool:
    """True when each key's points are contiguous and sorted by step (as `lt.history` returns)."""
    if len(key) < 2:
        return True
    change = key[1:] != key[:-1]
    if np.count_nonzero(change) + 1 != np.count_nonzero(np.bincount(key)):
        return False
    return bool(np.all(change | (step[1:] >= step[:-1])))


def _union_of_steps(step: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct steps and each point's row among them (`np.unique(..., return_inverse)`),
    in linear time when the steps span a range not much wider than their count."""
    if len(step) == 0:
        return step, step
    low, high = int(step.min()), int(step.max())
    if high - low > 4 * len(step) + 1024:
        return np.unique(step, return_inverse=True)
    present = np.zeros(high - low + 1, dtype=bool)
    present[step - low] = True
    rows = np.cumsum(present) - 1
    return np.flatnonzero(present) + low, rows[step - low]
