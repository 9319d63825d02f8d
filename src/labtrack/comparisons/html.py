"""Export a `Comparison` as one self-contained HTML page, and its compact notebook view.

The page loads nothing from outside (its Content-Security-Policy allows only inline styles and
`data:` images), runs no script, and escapes every user string with `html.escape`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from html import escape
from typing import TYPE_CHECKING

from .charts import has_history, history_png
from .tables import (
    Table,
    comparison_tables,
    hypotheses_table,
    metrics_table,
    params_table,
    runs_table,
)

if TYPE_CHECKING:
    from .comparison import Comparison

__all__ = ["html_table", "repr_html", "to_html"]

CSS = """
.labtrack-report { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em auto;
  max-width: 1200px; color: #1f2328; }
.lt-table { border-collapse: collapse; font-size: 13px; margin: 0.5em 0 1.2em; }
.lt-table th, .lt-table td { border-bottom: 1px solid #d0d7de; padding: 3px 10px; text-align: right;
  font-variant-numeric: tabular-nums; }
.lt-table th.lt-key, .lt-table td.lt-key { text-align: left; font-weight: 600; }
.lt-table th.lt-text, .lt-table td.lt-text { text-align: left; }
.lt-table thead th { border-bottom: 2px solid #57606a; }
.lt-table tr.lt-differs td { background: #fff8c5; }
.lt-table td.lt-missing { color: #8c959f; }
.lt-note { color: #57606a; font-size: 13px; }
.lt-legend { background: #fff8c5; padding: 0 4px; }
.lt-charts { display: flex; flex-wrap: wrap; gap: 12px; }
.lt-charts figure { margin: 0; }
.lt-charts figcaption { font-size: 12px; color: #57606a; text-align: center; }
.lt-verdict { border-radius: 8px; padding: 1px 8px; color: #fff; font-weight: 600; }
.lt-verdict-supported { background: #1a7f37; }
.lt-verdict-refuted { background: #cf222e; }
.lt-verdict-inconclusive { background: #bf8700; }
.lt-verdict-negligible { background: #0969da; }
.lt-verdict-untested { background: #6e7781; }
.labtrack-report pre { background: #f6f8fa; padding: 8px; overflow-x: auto; font-size: 12px; }
.labtrack-report details { margin: 0.3em 0; }
.labtrack-report.labtrack-comparison { margin: 0; max-width: none; }
"""
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _cell(text: str | None, tag: str = "td", classes: str = "", verdict: bool = False) -> str:
    if text is None:
        return f'<{tag} class="lt-missing">—</{tag}>'
    content = escape(text)
    if verdict:
        content = f'<span class="lt-verdict lt-verdict-{escape(text.lower())}">{content}</span>'
    return f'<{tag} class="{classes}">{content}</{tag}>' if classes else f"<{tag}>{content}</{tag}>"


def _classes(table: Table, column: int) -> str:
    """`lt-key` for label columns (bold, left), `lt-text` for other left-aligned columns."""
    if column < table.keys:
        return "lt-key"
    return "" if table.right_aligned(column) else "lt-text"


def html_table(table: Table, *, max_rows: int | None = None) -> str:
    """A `<table class="lt-table">`; rows whose values differ between runs get `class="lt-differs"`."""
    head = "".join(_cell(h, "th", _classes(table, i)) for i, h in enumerate(table.header))
    verdict_column = table.header.index("verdict") if table.title == "Hypotheses" else -1
    body = []
    rows = list(zip(table.rows, table.differs, strict=True))
    for row, differs in rows[:max_rows] if max_rows else rows:
        cells = "".join(
            _cell(c, classes=_classes(table, i), verdict=i == verdict_column)
            if c != ""
            else '<td class="lt-key"></td>'
            for i, c in enumerate(row)
        )
        body.append(f'<tr class="lt-differs">{cells}</tr>' if differs else f"<tr>{cells}</tr>")
    more = ""
    if max_rows and len(rows) > max_rows:
        more = f'<p class="lt-note">… {len(rows) - max_rows} more rows (see .{table.title.lower()} or .to_html())</p>'
    return (
        f'<table class="lt-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{more}"
    )


def _section(anchor: str, title: str, content: str) -> str:
    return f'<section id="{anchor}"><h2>{escape(title)}</h2>\n{content}\n</section>'


def _charts(cmp: Comparison, charts: bool | Sequence[str]) -> str:
    if charts is False:
        return ""
    metrics = (
        [m for m in cmp.metric_names if has_history(cmp, m)] if charts is True else list(charts)
    )
    for metric in metrics:
        cmp.check_metric(metric)
    figures = [
        f'<figure><img alt="{escape(m)} by step" src="data:image/png;base64,{history_png(cmp, m)}">'
        f"<figcaption>{escape(m)}</figcaption></figure>"
        for m in metrics
    ]
    return (
        _section("charts", "Metric histories", f'<div class="lt-charts">{"".join(figures)}</div>')
        if figures
        else ""
    )


def _code(cmp: Comparison) -> str:
    blocks = [
        f"<details><summary>{escape(label)}</summary><pre><code>{escape(cmp.code[number])}</code></pre></details>"
        for label, number in zip(cmp.labels, cmp.numbers, strict=True)
        if cmp.code.get(number)
    ]
    return _section("code", "Code", "\n".join(blocks)) if blocks else ""


def to_html(
    cmp: Comparison, *, title: str | None = None, charts: bool | Sequence[str] = True
) -> str:
    """One HTML page that opens offline: the tables (differences highlighted), a chart per metric
    (base64 PNG), the hypotheses and verdicts, and each run's code in a collapsed `<details>`."""
    title = title or f"labtrack comparison of {len(cmp.labels)} runs"
    created = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    note = (
        f'<p class="lt-note">{len(cmp.labels)} runs, made {created}. '
        '<span class="lt-legend">Highlighted rows</span> differ between runs.'
        + (" Only what differs is shown." if cmp.differences_only else "")
        + (
            f" 'at step' rows hold the values at step {cmp.at_step}."
            if cmp.at_step is not None
            else ""
        )
        + "</p>"
    )
    sections = [
        _section(
            t.title.lower(), t.title, html_table(t) if t.rows else '<p class="lt-note">(none)</p>'
        )
        for t in comparison_tables(cmp)
    ]
    sections.insert(3, _charts(cmp, charts))
    sections.append(_code(cmp))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n"
        f'<body>\n<main class="labtrack-report">\n<h1>{escape(title)}</h1>\n{note}\n'
        + "\n".join(s for s in sections if s)
        + "\n</main>\n</body>\n</html>\n"
    )


def repr_html(cmp: Comparison, *, max_rows: int = 30) -> str:
    """The notebook view: a summary line and the tables, each cut to `max_rows` rows; no charts."""
    differing = int(cmp.param_differs.sum())
    summary = (
        f"<b>Comparison</b>{' (differences only)' if cmp.differences_only else ''} of "
        f"{len(cmp.labels)} runs · {len(cmp.params)} params ({differing} differ) · "
        f'{len(cmp.metric_names)} metrics · <span class="lt-legend">highlighted</span> rows differ'
    )
    compact = ("last", "best", "min", "max", "at_step")
    tables = [runs_table(cmp), params_table(cmp), metrics_table(cmp, compact)]
    hypotheses = hypotheses_table(cmp)
    tables += [hypotheses] if hypotheses else []
    parts = [
        f"<h4>{escape(t.title)}</h4>{html_table(t, max_rows=max_rows)}" for t in tables if t.rows
    ]
    return (
        f'<div class="labtrack-report labtrack-comparison"><style>{CSS}</style>'
        f'<p class="lt-note">{summary}</p>{"".join(parts)}</div>'
    )
