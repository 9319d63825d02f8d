"""Export a `Comparison`: the tables every format shares, Markdown, CSV, and `save` by suffix.

Every format shows the same content: a runs table (attribute x run), a params table (param x run)
and a metrics table ((metric, summary) x run), plus the hypotheses when given. The human formats
(Markdown, LaTeX, HTML) render the `Table`s built here, each escaping with its own rules; CSV and
JSON write the values themselves.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .comparison import display_value, is_missing

if TYPE_CHECKING:
    from .comparison import Comparison

__all__ = ["FORMATS", "Table", "comparison_tables", "save", "to_csv", "to_markdown"]

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
    "effect",
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
    """A metric value for people: 6 significant digits; None when missing (NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if integer and math.isfinite(value):
        return str(int(value))
    return f"{value:.6g}"


def format_time(value: Any) -> str | None:
    """A UTC time as `2024-05-01 12:00:03`; None when missing."""
    if is_missing(value) or pd.isna(value):
        return None
    return pd.Timestamp(value).tz_convert("UTC").strftime("%Y-%m-%d %H:%M:%S")


def format_duration(seconds: Any) -> str | None:
    """`12.3 s`, `4 min 05 s`, `2 h 03 min`; None when missing."""
    if seconds is None or pd.isna(seconds):
        return None
    seconds = float(seconds)
    if seconds < 60:
        return f"{seconds:.1f} s"
    if seconds < 3600:
        return f"{int(seconds // 60)} min {int(seconds % 60):02d} s"
    return f"{int(seconds // 3600)} h {int(seconds % 3600 // 60):02d} min"


def _attribute(value: Any) -> str | None:
    return (
        None
        if is_missing(value) or (isinstance(value, float) and math.isnan(value))
        else str(value)
    )


def runs_table(cmp: Comparison) -> Table:
    runs = cmp._runs
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
                _attribute(verdict.get("reason")),
            ]
        )
    numeric = (4, 6, 7, 8)  # min effect, effect, interval, n
    return Table("Hypotheses", list(HYPOTHESIS_HEADER), rows, [False] * len(rows), numeric=numeric)


def comparison_tables(cmp: Comparison) -> list[Table]:
    """The tables every human format shows, in order: runs, params, metrics (, hypotheses)."""
    tables = [runs_table(cmp), params_table(cmp), metrics_table(cmp)]
    hypotheses = hypotheses_table(cmp)
    return tables + ([hypotheses] if hypotheses else [])


# --- Markdown --------------------------------------------------------------------------------------


def markdown_cell(text: str | None) -> str:
    """A GitHub table cell: `|` and `\\` escaped, HTML-special characters as entities, one line."""
    if text is None:
        return "—"
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text


def markdown_table(table: Table) -> str:
    """A GitHub table; the label cells of rows that differ between runs are in bold."""
    rule = ("---:" if table.right_aligned(i) else ":---" for i in range(len(table.header)))
    lines = ["| " + " | ".join(markdown_cell(h) if h else " " for h in table.header) + " |"]
    lines.append("|" + "|".join(rule) + "|")
    for row, differs in zip(table.rows, table.differs, strict=True):
        cells = [markdown_cell(c) if c != "" else " " for c in row]
        if differs:
            cells[: table.keys] = [f"**{c}**" if c.strip() else c for c in cells[: table.keys]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def to_markdown(cmp: Comparison) -> str:
    """GitHub-flavoured Markdown: a `##` heading and a table per section."""
    heading = "# Comparison" + (" (differences only)" if cmp.differences_only else "")
    if cmp.at_step is not None:
        heading += f"\n\nMetric values at step {cmp.at_step} are in the `at step` rows."
    parts = [heading, "Rows whose label is in **bold** differ between runs."]
    for table in comparison_tables(cmp):
        body = markdown_table(table) if table.rows else "_(none)_"
        parts.append(f"## {table.title}\n\n{body}")
    return "\n\n".join(parts) + "\n"


# --- CSV -------------------------------------------------------------------------------------------

LONG_COLUMNS = ("run", "number", "section", "name", "summary", "value")


def csv_cell(value: Any) -> Any:
    """A run attribute for CSV: times in ISO 8601, missing values empty."""
    if is_missing(value) or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _long_rows(cmp: Comparison) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    runs, params, metrics = cmp._runs, cmp.params, cmp.metrics
    for label, number in zip(cmp.labels, cmp.numbers, strict=True):
        run = runs.loc[label]
        for attribute in runs.columns:
            if attribute != "number":
                rows.append((label, number, "run", attribute, "", csv_cell(run[attribute])))
        for name, value in params[label].items():
            rows.append((label, number, "param", name, "", display_value(value) or ""))
        for (metric, summary), value in metrics[label].items():
            value = int(value) if summary == "best_step" and math.isfinite(value) else float(value)
            summary = f"at_step={cmp.at_step}" if summary == "at_step" else summary
            rows.append((label, number, "metric", metric, summary, csv_cell(value)))
    return rows


def _wide_frame(cmp: Comparison) -> pd.DataFrame:
    frame = cmp._runs.reset_index()
    for name, values in cmp.params.iterrows():
        frame[f"params.{name}"] = [display_value(v) for v in values]
    for (metric, summary), values in cmp.metrics.iterrows():
        column = values.to_numpy()
        if summary == "best_step":
            column = pd.array(column, dtype="Int64")  # a step is an integer, or missing
        summary = f"at_step={cmp.at_step}" if summary == "at_step" else summary
        frame[f"metrics.{metric}.{summary}"] = column
    for column in ("start", "end"):
        frame[column] = [csv_cell(v) for v in frame[column]]
    return frame


def to_csv(cmp: Comparison, *, wide: bool = False) -> str:
    """Long form: a row per (run, section, name, summary) — sections run, param, metric — with
    param values shown typed (`1`, `1.0`, `'1'`). Wide form: a row per run, like `lt.runs()`."""
    if wide:
        return _wide_frame(cmp).to_csv(index=False, lineterminator="\n")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LONG_COLUMNS)
    writer.writerows(_long_rows(cmp))
    return out.getvalue()


# --- save ------------------------------------------------------------------------------------------


def _formats() -> Mapping[str, Callable[..., str]]:
    from .html import to_html
    from .json_export import to_json
    from .latex import to_latex

    return {
        ".md": to_markdown,
        ".csv": to_csv,
        ".json": to_json,
        ".tex": to_latex,
        ".html": to_html,
    }


FORMATS = (".csv", ".html", ".json", ".md", ".tex")


def save(cmp: Comparison, path: str | Path, **options: Any) -> Path:
    """Write `cmp` to `path` in the format its suffix names; returns the path.

    >>> save(cmp, "report.html")  # doctest: +SKIP
    """
    path = Path(path)
    writer = _formats().get(path.suffix.lower())
    if writer is None:
        raise ValueError(
            f"cannot save {path.name!r}: unknown suffix {path.suffix or '(none)'!r};"
            f" use one of {', '.join(FORMATS)}"
        )
    path.write_text(writer(cmp, **options), encoding="utf-8")
    return path
