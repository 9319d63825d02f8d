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
@click.option("--limit", "-n", type=click.IntRange(min=0), default=None,
              help="Show only the newest N runs (only they are read).")
@click.pass_context
def runs(ctx: click.Context, filter: str | None, experiment: str | None, as_json: bool, limit: int | None) -> None:
    """List runs, optionally matching FILTER (e.g. "metrics.acc > 0.9 and params.model = 'rf'")."""
    from ..fluent import runs as api

    store = open_store(ctx)
    newest = None if limit is None else "number desc"  # the newest N, shown oldest first
    if as_json:
        frame = api.runs(filter, experiment=experiment, order_by=newest, limit=limit)
        echo_json(frame.iloc[::-1].to_dict(orient="records") if newest else frame.to_dict(orient="records"))
        return
    store.points.flush()
    # plain records, no pandas: a page of 100,000 runs prints in a fraction of a second
    table_of = store.runs_table(filter, experiment, order_by=newest, limit=limit)
    records = table_of.rows[::-1] if newest else table_of.rows
    if not records:
        if table_of.total:
            click.echo(f"{table_of.total} runs match; --limit 0 shows none of them.")
        else:
            click.echo("No runs match." if filter or experiment else "No runs yet.")
        return
    from rich.markup import escape  # user text must never be read as rich markup
    from rich.table import Table

    params = sorted({key for row in records for key in row["params"]})
    metrics = sorted({key for row in records for key in row["metrics"]})
    shown = f"; the newest {len(records)} of {table_of.total}" if len(records) < table_of.total else ""
    table = Table(box=None, header_style="bold",
                  caption=f"params in cyan, metrics (last value) in magenta{shown}")
    for title in ("#", "name", "status", "experiment", "start", "duration"):
        table.add_column(title, justify="right" if title == "#" else "left", no_wrap=True)
    for column in params:
        table.add_column(escape(column), style="cyan", overflow="fold")
    for column in metrics:
        table.add_column(escape(column), style="magenta", justify="right")
    for row in records:
        status = row["status"]
        table.add_row(
            str(row["number"]),
            escape(row["name"] or ""),
            f"[{STATUS_STYLE.get(status, 'white')}]{status}[/]",
            escape(row["experiment"]),
            fmt_time(row["start_time"])[5:16],
            fmt_duration(row["duration"]),
            *(escape(fmt_value(row["params"].get(c))) for c in params),
            *(escape(fmt_value(_nan(row["metrics"], c))) for c in metrics),
        )
    console().print(table)


def _nan(metrics: dict, name: str) -> float | None:
    """A run's last value of `name` as the frame shows it: NaN when it is NaN or missing."""
    value = metrics.get(name)
    return math.nan if value is None else value


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
