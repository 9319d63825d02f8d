"""The tables every human format of a comparison shows: runs (attribute x run), params (param x run),
metrics ((metric, summary) x run), and the hypotheses when given. Markdown, LaTeX and HTML render these
`Table`s, each escaping with its own rules; CSV and JSON write the values themselves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..present.text import fmt_duration, fmt_number, fmt_time
from ..present.values import display_value, is_missing

if TYPE_CHECKING:
    from .comparison import Comparison


RUN_ROWS = ("experiment", "status", "start", "duration", "hypothesis", "notebook")
SUMMARY_LABELS = {
    "last": "last",
    "best": "best",
    "best_step": "best at step",
    "min": "min",
    "max": "max",
    "mean": "mean",
    "at_step": "at step",
}
HYPOTHESIS_HEADER = (
    "id",
    "statement",
    "metric",
    "expect",
    "min effect",
    "verdict",
    "effect (treatment - baseline)",
    "interval",
    "n (treatment/baseline)",
    "reason",
)


@dataclass
class Table:
    """A table as shown to people: display strings (None = missing), a `differs` flag per row, and
    `keys` leading label columns (1 for runs and params, 2 for metrics: metric, summary)."""

    title: str
    header: list[str]
    rows: list[list[str | None]]
    differs: list[bool]
    keys: int = 1
    numeric: tuple[int, ...] | None = None  # right-aligned columns; default: all but the keys

    def right_aligned(self, column: int) -> bool:
        return column in self.numeric if self.numeric is not None else column >= self.keys


def format_number(value: Any, integer: bool = False) -> str | None:
    """A metric value for people (present.text's rule); None when missing."""
    return fmt_number(value, integer)


def format_time(value: Any) -> str | None:
    """A UTC time as `2024-05-01 12:00:03` (files are read anywhere); None when missing."""
    return (
        fmt_time(None if is_missing(value) or pd.isna(value) else pd.Timestamp(value), utc=True)
        or None
    )


def format_duration(seconds: Any) -> str | None:
    """`12.3s`, `4m05s`, `2h03m` (present.text's rule); None when missing."""
    return fmt_duration(None if seconds is None or pd.isna(seconds) else seconds) or None


def _attribute(value: Any) -> str | None:
    return (
        None
        if is_missing(value) or (isinstance(value, float) and math.isnan(value))
        else str(value)
    )


def runs_table(cmp: Comparison) -> Table:
    runs = cmp.runs
    rows: list[list[str | None]] = []
    for attribute in RUN_ROWS:
        values = runs[attribute].tolist()
        if attribute == "start":
            cells = [format_time(v) for v in values]
        elif attribute == "duration":
            cells = [format_duration(v) for v in values]
        elif attribute == "hypothesis":
            cells = [None if _attribute(v) is None else f"H{int(v)}" for v in values]
        else:
            cells = [_attribute(v) for v in values]
        rows.append([attribute, *cells])
    differs = [len(set(row[1:])) > 1 for row in rows]
    return Table("Runs", ["", *cmp.labels], rows, differs)


def params_table(cmp: Comparison) -> Table:
    params = cmp.params
    differs = cmp.param_differs.loc[params.index].tolist()
    rows = [
        [str(name), *(display_value(v) for v in values)]
        for name, values in zip(
            params.index, params.itertuples(index=False, name=None), strict=True
        )
    ]
    return Table("Parameters", ["param", *cmp.labels], rows, differs)


def summary_label(cmp: Comparison, summary: str) -> str:
    return (
        f"at step {cmp.at_step}" if summary == "at_step" else SUMMARY_LABELS.get(summary, summary)
    )


def shown_metric_rows(cmp: Comparison) -> pd.DataFrame:
    """`cmp.metrics` without the `best` and `best_step` rows of metrics that have no definition."""
    metrics = cmp.metrics
    metric = metrics.index.get_level_values("metric")
    summary = metrics.index.get_level_values("summary")
    undefined = ~metric.isin(list(cmp.definitions)) & summary.isin(["best", "best_step"])
    return metrics[~undefined]


def metrics_table(cmp: Comparison, summaries: tuple[str, ...] | None = None) -> Table:
    metrics = shown_metric_rows(cmp)
    if summaries is not None:
        metrics = metrics[metrics.index.get_level_values("summary").isin(summaries)]
    differs = cmp.metric_differs.loc[metrics.index].tolist()
    rows, previous = [], None
    for (metric, summary), values in zip(
        metrics.index, metrics.itertuples(index=False, name=None), strict=True
    ):
        integer = summary == "best_step"
        name = str(metric) if metric != previous else ""  # the metric's name on its first row only
        previous = metric
        rows.append(
            [name, summary_label(cmp, summary), *(format_number(v, integer) for v in values)]
        )
    return Table("Metrics", ["metric", "summary", *cmp.labels], rows, differs, keys=2)


def _reason_with_warnings(verdict: dict) -> str | None:
    """The verdict's reason, then its confound warnings (shown wherever the badge is)."""
    reason = verdict.get("reason")
    warnings = [f"confound warning: {c}" for c in verdict.get("confounds") or ()]
    return "; ".join([reason, *warnings]) if reason and warnings else reason


def hypotheses_table(cmp: Comparison) -> Table | None:
    if not cmp.hypotheses:
        return None
    rows = []
    for hypothesis in cmp.hypotheses:
        verdict = hypothesis.get("verdict") or {}
        low, high = format_number(verdict.get("ci_low")), format_number(verdict.get("ci_high"))
        interval = None if low is None and high is None else f"[{low or '?'}, {high or '?'}]"
        counts = (
            f"{verdict.get('n_treatment', 0)}/{verdict.get('n_baseline', 0)}" if verdict else None
        )
        rows.append(
            [
                _attribute(hypothesis.get("id")),
                _attribute(hypothesis.get("statement")),
                _attribute(hypothesis.get("metric")),
                _attribute(hypothesis.get("expect")),
                format_number(hypothesis.get("min_effect")),
                _attribute(verdict.get("label")),
                format_number(verdict.get("effect")),
                interval,
                counts,
                _attribute(_reason_with_warnings(verdict)),
            ]
        )
    numeric = (4, 6, 7, 8)  # min effect, effect, interval, n
    return Table("Hypotheses", list(HYPOTHESIS_HEADER), rows, [False] * len(rows), numeric=numeric)


def comparison_tables(cmp: Comparison) -> list[Table]:
    """The tables every human format shows, in order: runs, params, metrics (, hypotheses)."""
    tables = [runs_table(cmp), params_table(cmp), metrics_table(cmp)]
    hypotheses = hypotheses_table(cmp)
    return tables + ([hypotheses] if hypotheses else [])
