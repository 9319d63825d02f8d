"""Export a `Comparison` as Markdown or CSV, and `save` in the format a file's suffix names.

CSV cells are safe to open in a spreadsheet: text that starts with `=`, `+`, `-` or `@` and is not a
number gets a leading `'`, so `=HYPERLINK(...)` in a run name is shown, never run.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..present.values import display_value, is_missing
from .tables import Table, comparison_tables

if TYPE_CHECKING:
    from .comparison import Comparison


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


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading `'`; numbers (`-1.5`) stay as they are.

    >>> spreadsheet_safe("=HYPERLINK(\"http://x\")"), spreadsheet_safe("-1.5")
    ('\'=HYPERLINK("http://x")', '-1.5')
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def _long_rows(cmp: Comparison) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    runs, params, metrics = cmp.runs, cmp.params, cmp.metrics
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
    frame = cmp.runs.reset_index()
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
        frame = _wide_frame(cmp)
        frame.columns = [spreadsheet_safe(c) for c in frame.columns]
        for column in frame.columns:
            if pd.api.types.is_object_dtype(frame[column]) or pd.api.types.is_string_dtype(
                frame[column]
            ):
                frame[column] = frame[column].map(spreadsheet_safe)
        return frame.to_csv(index=False, lineterminator="\n")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LONG_COLUMNS)
    writer.writerows(tuple(map(spreadsheet_safe, row)) for row in _long_rows(cmp))
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
