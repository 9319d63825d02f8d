"""`labtrack compare RUN...` and `labtrack export [FILTER]`: comparisons in the terminal or as files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .format import console
from .main import cli, open_lab

if TYPE_CHECKING:
    import pandas as pd
    from rich.progress import Progress

    from ..client import Lab
    from ..comparisons.comparison import Comparison
    from ..comparisons.tables import Table

FORMATS = ("md", "csv", "json", "html", "latex")
SUFFIX_FORMATS = {
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".tex": "latex",
}
T = TypeVar("T")


def format_option(default: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(FORMATS, case_sensitive=False),
        help=f"Output format (default: {default}).",
    )


diff_option = click.option(
    "--diff", is_flag=True, help="Only the params and metrics that differ between runs."
)
at_step_option = click.option(
    "--at-step", type=int, metavar="N", help="Add each metric's value at step N to the summaries."
)


def render(cmp: Comparison, fmt: str) -> str:
    """The comparison as text in `fmt` (md, csv, json, html, latex)."""
    writers: dict[str, Callable[[], str]] = {
        "md": cmp.to_markdown,
        "csv": cmp.to_csv,
        "json": cmp.to_json,
        "html": cmp.to_html,
        "latex": cmp.to_latex,
    }
    return writers[fmt]()


def output_format(fmt: str | None, output: Path | None) -> str | None:
    """--format if given, else the one FILE's suffix names; None means the terminal table."""
    if fmt is not None:
        return fmt.lower()
    if output is None:
        return None
    found = SUFFIX_FORMATS.get(output.suffix.lower())
    if found is None:
        raise click.UsageError(
            f"cannot tell the format of {output.name!r} from its suffix; name it"
            f" {', '.join(sorted(SUFFIX_FORMATS))} or pass --format {'|'.join(FORMATS)}"
        )
    return found


def deliver(cmp: Comparison, fmt: str | None, output: Path | None) -> None:
    """Print the terminal table, print `fmt` to stdout, or write it to `output`."""
    if fmt is None:
        print_tables(cmp)
    else:
        write(render(cmp, fmt), fmt, output, len(cmp.labels))


def write(text: str, fmt: str, output: Path | None, n_runs: int) -> None:
    """`text` to stdout, or to `output` (its folder made if needed) with a line saying so."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {output} ({fmt}, {n_runs} runs)")


def print_tables(cmp: Comparison) -> None:
    """Runs, params and metric summaries (and hypotheses) as rich tables; rows that differ between
    runs in bold yellow. User text goes in as `Text`, so rich never reads it as markup."""
    from ..comparisons.tables import comparison_tables

    out = console()
    title = f"Comparison of {len(cmp.labels)} runs" + (
        " (differences only)" if cmp.differences_only else ""
    )
    out.print(f"[bold]{title}[/]   [bold yellow]highlighted[/] rows differ between runs")
    for table in comparison_tables(cmp):
        out.print(rich_table(table) if table.rows else f"[bold]{table.title}[/]: (none)")


def rich_table(table: Table) -> Any:
    from rich.table import Table as RichTable
    from rich.text import Text

    out = RichTable(
        title=Text(table.title, style="bold"), title_justify="left", header_style="bold"
    )
    for i, header in enumerate(table.header):
        out.add_column(
            Text(header),
            justify="right" if table.right_aligned(i) else "left",
            overflow="fold",
            style="bold" if i < table.keys else None,
        )
    for row, differs in zip(table.rows, table.differs, strict=True):
        cells = [Text("—", style="dim") if c is None else Text(c) for c in row]
        out.add_row(*cells, style="bold yellow" if differs else None)
    return out


def _usage_errors(call: Callable[[], T]) -> T:
    """A mistake in the call (no runs matched, a bad at-step) as one `Error:` line, exit 1."""
    try:
        return call()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.argument("runs", nargs=-1, required=True)
@format_option("tables in the terminal; with -o, from FILE's suffix")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write to FILE instead of stdout.",
)
@diff_option
@at_step_option
@click.pass_context
def compare(
    ctx: click.Context,
    runs: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    diff: bool,
    at_step: int | None,
) -> None:
    """Compare RUNs side by side: numbers (12 or #12), uuids, names, or a quoted filter.

    \b
    labtrack compare 3 4 5 --diff
    labtrack compare "params.model = 'rf'" -o rf.html
    """
    fmt = output_format(fmt, output)
    lab = open_lab(ctx)
    cmp = _usage_errors(lambda: lab.compare(*runs, at_step=at_step))
    deliver(cmp.diff() if diff else cmp, fmt, output)


@cli.command()
@click.argument("filter", required=False)
@click.option("--experiment", "-e", metavar="NAME", help="Only runs of this experiment.")
@format_option("from FILE's suffix")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    required=True,
    help="The file to write.",
)
@diff_option
@at_step_option
@click.pass_context
def export(
    ctx: click.Context,
    filter: str | None,
    experiment: str | None,
    fmt: str | None,
    output: Path,
    diff: bool,
    at_step: int | None,
) -> None:
    """Export every run matching FILTER (and --experiment), or all runs, as one comparison file.

    \b
    labtrack export --experiment churn -o churn.html
    labtrack export "metrics.acc > 0.9" -o best.csv
    """
    fmt = output_format(fmt, output)
    lab = open_lab(ctx)
    frame = _usage_errors(lambda: lab.runs(filter, experiment=experiment))
    if frame.empty:
        where = f" of experiment {experiment!r}" if experiment else ""
        raise click.ClickException(
            f"no runs{where} match {filter!r}" if filter else f"no runs{where} to export"
        )
    with export_progress() as progress:
        cmp = _usage_errors(lambda: load_comparison(lab, frame, at_step, progress))
        cmp = cmp.diff() if diff else cmp
        progress.update(progress.task_ids[0], description=f"writing {fmt}")
        text = render(cmp, fmt)
    write(text, fmt, output, len(cmp.labels))


def export_progress() -> Progress:
    """A progress display on stderr, shown only on a terminal (scripts and pipes see nothing)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    stderr = Console(stderr=True)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=stderr, transient=True, disable=not stderr.is_terminal)


def load_comparison(
    lab: Lab, frame: pd.DataFrame, at_step: int | None, progress: Progress
) -> Comparison:
    """What `lt.compare(frame)` builds, its histories loaded a chunk of runs at a time so that
    `progress` moves on a long export."""
    numbers = [int(n) for n in frame["number"]]
    task = progress.add_task("loading histories", total=len(numbers))
    return lab.comparison(
        numbers, at_step=at_step, frame=frame, progress=lambda done: progress.advance(task, done)
    )
