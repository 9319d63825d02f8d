"""What `%track runs` and `%track show` display: an HTML table in Jupyter, aligned text elsewhere
(each object offers both; the front end picks). Every user string is escaped."""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ...present.text import fmt_duration
from ...present.text import fmt_value as _fmt_value
from .live import STATUS_COLOR

if TYPE_CHECKING:
    import pandas as pd

    from ...client import MetricDefinition, RunRecord


def fmt_value(value: Any) -> str:
    """A table cell: NaN reads as blank (in a table of runs it mostly means the metric is missing)."""
    return _fmt_value(value, nan="")


MAX_INLINE_IMAGE_BYTES = 2_000_000
_TABLE_STYLE = "border-collapse:collapse;font-size:var(--jp-ui-font-size1,13px)"
_CELL = "padding:2px 8px;text-align:left;white-space:nowrap;border-bottom:1px solid var(--jp-border-color2,#ddd)"


def fmt_time(epoch: float | None) -> str:
    return "" if epoch is None else datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")


class RunsTableView:
    """The runs of `lt.runs()` as a table: number, name, status, metrics, params, start, duration.
    A metric shows its last value, or the run's value in `summaries` (metric -> {number: value}) when
    given; `definitions` mark the headers (`acc ↑`, `acc ↑ best` for a summary shown).

    >>> RunsTableView(lt.runs(), limit=20)
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        limit: int = 50,
        experiment: str | None = None,
        *,
        definitions: Mapping[str, MetricDefinition] | None = None,
        summaries: Mapping[str, Mapping[int, float | None]] | None = None,
    ):
        self.total = len(frame)
        self.frame = frame.tail(limit) if limit else frame
        self.experiment = experiment
        self.params = [c for c in frame.columns if c.startswith("params.")]
        self.metrics = [c for c in frame.columns if c.startswith("metrics.")]
        self.definitions = definitions or {}
        self.summaries = summaries or {}

    def _metric(self, record: dict[str, Any], column: str) -> Any:
        shown = self.summaries.get(column.removeprefix("metrics."))
        return record[column] if shown is None else shown.get(int(record["number"]))

    def _metric_header(self, column: str) -> str:
        name = column.removeprefix("metrics.")
        d = self.definitions.get(name)
        if d is None:
            return name
        return f"{name} {'↑' if d.goal == 'max' else '↓'}" + (
            f" {d.summary}" if name in self.summaries else ""
        )

    def _rows(self) -> list[list[str]]:
        rows = []
        for record in self.frame.to_dict(orient="records"):
            start = record["start_time"]
            rows.append(
                [
                    str(record["number"]),
                    record["name"] or "",
                    record["status"],
                    *(fmt_value(self._metric(record, c)) for c in self.metrics),
                    *(fmt_value(record[c]) for c in self.params),
                    ""
                    if start is None or str(start) == "NaT"
                    else fmt_time(start.timestamp())[5:16],
                    fmt_duration(record["duration"]),
                ]
            )
        return rows

    def _headers(self) -> list[str]:
        return [
            "#",
            "name",
            "status",
            *(self._metric_header(c) for c in self.metrics),
            *(c.removeprefix("params.") for c in self.params),
            "start",
            "duration",
        ]

    def _caption(self) -> str:
        where = f" in experiment {self.experiment!r}" if self.experiment else ""
        if not self.total:
            return f"No runs{where} yet." + (
                "" if not self.experiment else " (%track runs --all lists every experiment)"
            )
        shown = f", showing the newest {len(self.frame)}" if len(self.frame) < self.total else ""
        return f"{self.total} run{'s' if self.total != 1 else ''}{where}{shown}"

    def __repr__(self) -> str:
        if not self.total:
            return self._caption()
        headers, rows = self._headers(), self._rows()
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths))]
        lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in rows]
        return "\n".join([self._caption(), *lines])

    def _repr_html_(self) -> str:
        if not self.total:
            return f"<p>{html.escape(self._caption())}</p>"
        n_metrics, n_params = len(self.metrics), len(self.params)

        def style(i: int) -> str:  # metrics in purple and right-aligned, then params in blue
            if 3 <= i < 3 + n_metrics:
                return ";color:#8430ce;text-align:right"
            return ";color:#1a73e8" if 3 + n_metrics <= i < 3 + n_metrics + n_params else ""

        head = "".join(
            f"<th style='{_CELL}{style(i)}'>{html.escape(h)}</th>"
            for i, h in enumerate(self._headers())
        )
        body = []
        for row in self._rows():
            cells = []
            for i, value in enumerate(row):
                extra = f";color:{STATUS_COLOR.get(value, 'inherit')}" if i == 2 else ""
                extra += ";text-align:right" if i == 0 or 3 <= i < 3 + n_metrics else ""
                cells.append(f"<td style='{_CELL}{extra}'>{html.escape(value)}</td>")
            body.append(f"<tr>{''.join(cells)}</tr>")
        caption = (
            f"<div style='margin-top:4px'>{html.escape(self._caption())}"
            " · metrics (last value, or the summary the header names) in purple, params in blue</div>"
        )
        return (
            f"<div class='labtrack-runs' style='overflow-x:auto'><table style='{_TABLE_STYLE}'>"
            f"<tr>{head}</tr>{''.join(body)}</table>{caption}</div>"
        )


class RunDetails:
    """One run as `%track show` displays it: attributes, params, metric summaries, tags,
    artifacts (PNG figures inline), code and traceback."""

    def __init__(self, record: RunRecord):
        self.record = record

    def _facts(self) -> list[tuple[str, str]]:
        r = self.record
        facts = [
            ("status", r.status),
            ("experiment", r.experiment),
            ("started", fmt_time(r.start_time)),
            ("duration", fmt_duration(r.duration)),
            ("uuid", r.uuid),
        ]
        if r.notebook:
            facts.append(
                ("notebook", r.notebook + (f" [{r.execution_count}]" if r.execution_count else ""))
            )
        if r.parent:
            facts.append(("parent", f"#{r.parent}"))
        if r.hypothesis_id:
            facts.append(("hypothesis", f"H{r.hypothesis_id}"))
        env = r.environment or {}
        git = env.get("git") or {}
        if git.get("commit"):
            facts.append(("git", git["commit"][:12] + (" (dirty)" if git.get("dirty") else "")))
        if env.get("python"):
            facts.append(("python", f"{env['python']} on {env.get('host', '?')}"))
        return facts

    def _metric_rows(self) -> dict[str, list[str]]:
        return {
            name: [
                fmt_value(m.last),
                str(m.last_step),
                fmt_value(m.min),
                fmt_value(m.max),
                fmt_value(m.mean),
                str(m.count),
            ]
            for name, m in self.record.metrics.items()
        }

    def __repr__(self) -> str:
        r = self.record
        lines = [f"Run {r.label}"] + [f"  {k:<11} {v}" for k, v in self._facts()]
        if r.error_type:
            lines.append(f"  error       {r.error_type}: {r.error_message}")
        sections = [
            ("params", {k: fmt_value(v) for k, v in r.params.items()}),
            (
                "metrics (last @ step, min, max, mean, n)",
                {
                    k: "  ".join([f"{v[0]} @ {v[1]}", *v[2:]])
                    for k, v in self._metric_rows().items()
                },
            ),
            ("tags", dict(r.tags)),
            ("artifacts", {a.name: f"{a.media_type}, {a.size:,} bytes" for a in r.artifacts}),
        ]
        for title, items in sections:
            if items:
                width = max(len(k) for k in items)
                lines += [title] + [f"  {k:<{width}}  {v}" for k, v in items.items()]
        if r.code:
            lines += ["code", *("  " + line for line in r.code.splitlines())]
        if r.traceback:
            lines += ["traceback", *("  " + line for line in r.traceback.splitlines())]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        r = self.record
        e = html.escape
        color = STATUS_COLOR.get(r.status, "inherit")
        parts = [
            f"<div class='labtrack-run'><h4 style='margin:4px 0'>Run {e(r.label)} "
            f"<span style='color:{color}'>{e(r.status)}</span></h4>"
        ]
        parts.append(_kv_table([(k, v) for k, v in self._facts() if k != "status"]))
        if r.error_type:
            parts.append(
                f"<p style='color:{STATUS_COLOR['failed']}'>{e(r.error_type)}: {e(r.error_message or '')}</p>"
            )
        if r.params:
            parts.append(
                "<h5>params</h5>" + _kv_table([(k, fmt_value(v)) for k, v in r.params.items()])
            )
        if r.metrics:
            header = "".join(
                f"<th style='{_CELL}'>{h}</th>"
                for h in ("metric", "last", "step", "min", "max", "mean", "n")
            )
            rows = "".join(
                f"<tr><td style='{_CELL}'>{e(name)}</td>"
                + "".join(f"<td style='{_CELL};text-align:right'>{e(v)}</td>" for v in values)
                + "</tr>"
                for name, values in self._metric_rows().items()
            )
            parts.append(
                f"<h5>metrics</h5><table style='{_TABLE_STYLE}'><tr>{header}</tr>{rows}</table>"
            )
        if r.tags:
            parts.append("<h5>tags</h5>" + _kv_table(list(r.tags.items())))
        if r.artifacts:
            parts.append("<h5>artifacts</h5>" + "".join(_artifact_html(a) for a in r.artifacts))
        if r.code:
            parts.append(f"<h5>code</h5><pre style='font-size:12px'>{e(r.code)}</pre>")
        if r.traceback:
            parts.append(f"<h5>traceback</h5><pre style='font-size:12px'>{e(r.traceback)}</pre>")
        return "".join(parts) + "</div>"


def _kv_table(items: list[tuple[str, str]]) -> str:
    rows = "".join(
        f"<tr><th style='{_CELL}'>{html.escape(k)}</th><td style='{_CELL}'>{html.escape(v)}</td></tr>"
        for k, v in items
    )
    return f"<table style='{_TABLE_STYLE}'>{rows}</table>"


def _artifact_html(artifact: Any) -> str:
    label = f"{html.escape(artifact.name)} <small>({html.escape(artifact.media_type)}, {artifact.size:,} bytes)</small>"
    if artifact.media_type == "image/png" and artifact.size <= MAX_INLINE_IMAGE_BYTES:
        try:
            data = base64.b64encode(artifact.path.read_bytes()).decode()
        except OSError:
            return f"<div>{label} (file missing)</div>"
        return (
            f"<figure style='display:inline-block;margin:4px'><img style='max-width:360px' "
            f"src='data:image/png;base64,{data}'/><figcaption>{label}</figcaption></figure>"
        )
    return f"<div>{label}</div>"
