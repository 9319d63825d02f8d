"""`labtrack runs` and `labtrack show`."""

from __future__ import annotations

import click

from .format import console, echo_json, fmt_duration, fmt_time, fmt_value
from .main import cli, open_lab

STATUS_STYLE = {
    "finished": "green",
    "failed": "red",
    "crashed": "red",
    "interrupted": "yellow",
    "running": "cyan",
}


@cli.command()
@click.argument("filter", required=False)
@click.option("--experiment", "-e", help="Only runs of this experiment.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (one object per run) for scripts."
)
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=0),
    default=None,
    help="Show only the newest N runs (only they are read).",
)
@click.option(
    "--columns",
    "-c",
    metavar="GLOBS",
    help="Columns to show, e.g. 'metrics.*,params.lr' (comma-separated, * matches anything).",
)
@click.option(
    "--wide", is_flag=True, help="Show every column and whole values (no cutting to the terminal)."
)
@click.pass_context
def runs(
    ctx: click.Context,
    filter: str | None,
    experiment: str | None,
    as_json: bool,
    limit: int | None,
    columns: str | None,
    wide: bool,
) -> None:
    """List runs, optionally matching FILTER (e.g. "metrics.acc > 0.9 and params.model = 'rf'").

    The defined metrics come first (↑ higher is better, ↓ lower), then other metrics, then params;
    only columns that the listed runs use are shown."""
    from .layout import build_columns, choose, fit, flat_row, ordered_keys

    lab = open_lab(ctx)
    newest = (
        None if limit is None else "number desc"
    )  # the newest N (only they are read), shown oldest first
    if as_json:
        frame = lab.runs(filter, experiment=experiment, order_by=newest, limit=limit)
        echo_json((frame.iloc[::-1] if newest else frame).to_dict(orient="records"))
        return
    # plain records, no pandas: a page of 100,000 runs prints in a fraction of a second
    listing = lab.runs_listing(filter, experiment, order_by=newest, limit=limit)
    records = [flat_row(row) for row in (listing.rows[::-1] if newest else listing.rows)]
    if not records:
        if listing.total:
            click.echo(f"{listing.total} runs match; --limit 0 shows none of them.")
        else:
            click.echo("No runs match." if filter or experiment else "No runs yet.")
        return
    from rich.markup import escape  # user text must never be read as rich markup
    from rich.table import Table

    goals: dict[
        str, str
    ] = {}  # the definitions of the listed runs' experiments, first found winning
    for name in [experiment] if experiment else dict.fromkeys(r["experiment"] for r in records):
        for metric, d in lab.definitions(name).items():
            goals.setdefault(metric, d.goal)
    keys = choose(ordered_keys(list(dict.fromkeys(k for r in records for k in r)), goals), columns)
    shown = build_columns(records, keys, goals, wide=wide)
    # --wide: as wide as the columns need (lines may run past the terminal, like `less -S`)
    out = console(sum(c.width + 2 for c in shown) + 8) if wide else console()
    kept, left_out = (shown, []) if wide else fit(shown, out.width)
    notes = ["Metrics in magenta (↑ higher is better, ↓ lower), params in cyan."]
    if len(records) < listing.total:
        notes.append(f"Showing the newest {len(records)} of {listing.total} runs.")
    if left_out:
        notes.append(
            f"Columns left out to fit: {len(left_out)}; --columns 'GLOBS' picks, --wide shows all."
        )
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in kept:
        style = (
            "magenta"
            if column.key.startswith("metrics.")
            else "cyan"
            if column.key.startswith("params.")
            else None
        )
        table.add_column(
            escape(column.header),
            justify="right" if column.numeric else "left",
            no_wrap=True,
            style=style,
            min_width=column.width if not wide else None,
        )
    for i, row in enumerate(records):
        cells = []
        for column in kept:
            text = escape(column.cells[i])
            if column.key == "status":
                text = f"[{STATUS_STYLE.get(row['status'], 'white')}]{text}[/]"
            cells.append(text)
        table.add_row(*cells)
    out.print(table)
    for note in notes:
        out.print(note, style="dim", markup=False)


@cli.command()
@click.argument("run")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def show(ctx: click.Context, run: str, as_json: bool) -> None:
    """Show one run — RUN is a number (12 or #12), a uuid (or prefix) or a run name — or a hypothesis (H3)."""
    import re
    from dataclasses import asdict

    if re.fullmatch(r"[Hh]\d+", run.strip()):
        from .hypotheses import show_hypothesis

        show_hypothesis(ctx, run, as_json)
        return

    record = open_lab(ctx).get_run(run)
    if as_json:
        data = asdict(record)
        data["artifacts"] = [{**a, "path": str(a["path"])} for a in data["artifacts"]]
        data["duration"] = record.duration
        echo_json(data)
        return
    from rich.markup import escape  # user text must never be read as rich markup

    out = console()
    style = STATUS_STYLE.get(record.status, "white")
    out.print(
        f"[bold]Run {escape(record.label)}[/]  [{style}]{record.status}[/]  experiment {escape(record.experiment)}"
    )
    out.print(f"uuid {record.uuid}")
    out.print(f"started {fmt_time(record.start_time)}   duration {fmt_duration(record.duration)}")
    if record.notebook:
        out.print(
            f"notebook {escape(record.notebook)}"
            + (f" [{record.execution_count}]" if record.execution_count else "")
        )
    if record.parent:
        out.print(f"parent #{record.parent}")
    if record.error_type:
        out.print(f"[red]{escape(f'{record.error_type}: {record.error_message}')}[/]")
    _section(out, "params", {k: fmt_value(v) for k, v in record.params.items()})
    _section(
        out,
        "metrics",
        {
            k: f"last {fmt_value(m.last)} @ step {m.last_step}   min {fmt_value(m.min)}   max {fmt_value(m.max)}"
            f"   mean {fmt_value(m.mean)}   n {m.count}"
            + (f" (+{m.nan_count} NaN)" if m.nan_count else "")
            for k, m in record.metrics.items()
        },
    )
    _section(out, "tags", record.tags)
    _section(
        out,
        "artifacts",
        {a.name: f"{a.media_type}, {a.size:,} bytes, {a.path}" for a in record.artifacts},
    )
    _section(
        out,
        "datasets",
        {
            d["name"]: f"{d['n_rows']}x{d['n_cols']} {d['fingerprint'][:12]}"
            for d in record.datasets
        },
    )
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


__all__ = ["runs", "show"]
