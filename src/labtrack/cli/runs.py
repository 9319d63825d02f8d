"""`labtrack runs` and `labtrack show`."""

from __future__ import annotations

import math

import click

from .format import console, echo_json, fmt_duration, fmt_time, fmt_value
from .main import cli, open_store

STATUS_STYLE = {"finished": "green", "failed": "red", "crashed": "red", "interrupted": "yellow",
                "running": "cyan"}


@cli.command()
@click.argument("filter", required=False)
@click.option("--experiment", "-e", help="Only runs of this experiment.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per run) for scripts.")
@click.option("--limit", "-n", type=int, default=None, help="Show only the newest N runs.")
@click.pass_context
def runs(ctx: click.Context, filter: str | None, experiment: str | None, as_json: bool, limit: int | None) -> None:
    """List runs, optionally matching FILTER (e.g. "metrics.acc > 0.9 and params.model = 'rf'")."""
    from ..fluent import runs as api

    open_store(ctx)
    frame = api.runs(filter, experiment=experiment)
    if limit is not None:
        frame = frame.tail(limit)
    records = frame.to_dict(orient="records")
    if as_json:
        echo_json(records)
        return
    if not records:
        click.echo("No runs match." if filter else "No runs yet.")
        return
    from rich.markup import escape  # user text must never be read as rich markup
    from rich.table import Table

    params = [c for c in frame.columns if c.startswith("params.")]
    metrics = [c for c in frame.columns if c.startswith("metrics.")]
    table = Table(box=None, header_style="bold", caption="params in cyan, metrics (last value) in magenta")
    for title in ("#", "name", "status", "experiment", "start", "duration"):
        table.add_column(title, justify="right" if title == "#" else "left", no_wrap=True)
    for column in params:
        table.add_column(escape(column.removeprefix("params.")), style="cyan", overflow="fold")
    for column in metrics:
        table.add_column(escape(column.removeprefix("metrics.")), style="magenta", justify="right")
    for row in records:
        status = row["status"]
        table.add_row(
            str(row["number"]),
            escape(row["name"] or ""),
            f"[{STATUS_STYLE.get(status, 'white')}]{status}[/]",
            escape(row["experiment"]),
            fmt_time(row["start_time"].timestamp())[5:16],
            fmt_duration(row["duration"]),
            *(escape(fmt_value(row[c])) for c in params + metrics),
        )
    console().print(table)


@cli.command()
@click.argument("run")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def show(ctx: click.Context, run: str, as_json: bool) -> None:
    """Show one run — RUN is a number (12 or #12), a uuid (or prefix) or a run name — or a hypothesis (H3)."""
    import re
    from dataclasses import asdict

    from ..fluent import runs as api

    if re.fullmatch(r"[Hh]\d+", run.strip()):
        from .hypotheses import show_hypothesis

        show_hypothesis(ctx, run, as_json)
        return

    open_store(ctx)
    record = api.get_run(run)
    if as_json:
        data = asdict(record)
        data["artifacts"] = [{**a, "path": str(a["path"])} for a in data["artifacts"]]
        data["duration"] = record.duration
        echo_json(data)
        return
    from rich.markup import escape  # user text must never be read as rich markup

    out = console()
    style = STATUS_STYLE.get(record.status, "white")
    out.print(f"[bold]Run {escape(record.label)}[/]  [{style}]{record.status}[/]  experiment {escape(record.experiment)}")
    out.print(f"uuid {record.uuid}")
    out.print(f"started {fmt_time(record.start_time)}   duration {fmt_duration(record.duration)}")
    if record.notebook:
        out.print(f"notebook {escape(record.notebook)}" + (f" [{record.execution_count}]" if record.execution_count else ""))
    if record.parent:
        out.print(f"parent #{record.parent}")
    if record.error_type:
        out.print(f"[red]{escape(f'{record.error_type}: {record.error_message}')}[/]")
    _section(out, "params", {k: fmt_value(v) for k, v in record.params.items()})
    _section(out, "metrics", {
        k: f"last {fmt_value(m.last)} @ step {m.last_step}   min {fmt_value(m.min)}   max {fmt_value(m.max)}"
           f"   mean {fmt_value(m.mean)}   n {m.count}" + (f" (+{m.nan_count} NaN)" if m.nan_count else "")
        for k, m in record.metrics.items()
    })
    _section(out, "tags", record.tags)
    _section(out, "artifacts", {a.name: f"{a.media_type}, {a.size:,} bytes, {a.path}" for a in record.artifacts})
    _section(out, "datasets", {d["name"]: f"{d['n_rows']}x{d['n_cols']} {d['fingerprint'][:12]}" for d in record.datasets})
    if record.code:
        from rich.syntax import Syntax

        out.print("[bold]code[/]")
        out.print(Syntax(record.code, "python", line_numbers=False, word_wrap=True))
    if record.traceback:
        out.print("[bold]traceback[/]")
        out.print(record.traceback, markup=False)


def _section(out, title: str, items: dict[str, str]) -> None:
    if not items:
        return
    out.print(f"[bold]{title}[/]")
    width = max(len(k) for k in items)
    for key, value in items.items():
        out.print(f"  {key:<{width}}  {value}", markup=False)


__all__ = ["math", "runs", "show"]
