"""`labtrack hypotheses` and `labtrack show H<id>`."""

from __future__ import annotations

import click

from .format import console, echo_json, fmt_time, fmt_value
from .main import cli, open_lab

VERDICT_STYLE = {"supported": "green", "refuted": "red", "negligible": "blue", "inconclusive": "yellow",
                 "untested": "bright_black"}


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per hypothesis) for scripts.")
@click.pass_context
def hypotheses(ctx: click.Context, as_json: bool) -> None:
    """List hypotheses with their verdicts and the evidence behind them."""
    frame = open_lab(ctx).hypotheses()
    records = frame.to_dict(orient="records")
    if as_json:
        echo_json(records)
        return
    if not records:
        click.echo('No hypotheses yet. State one with %hypothesis "..." --metric M --expect increase, or lt.hypothesis().')
        return
    from rich.markup import escape  # user text must never be read as rich markup
    from rich.table import Table

    out = Table(box=None, header_style="bold")
    for title in ("id", "statement", "metric", "verdict", "effect", "95% CI", "n", "status"):
        out.add_column(title, overflow="fold")
    for r in records:
        badge = r["verdict"] + (" (weak)" if r["weak"] else "")
        ci = "" if r["ci_low"] is None or r["ci_low"] != r["ci_low"] else f"{fmt_value(r['ci_low'])} to {fmt_value(r['ci_high'])}"
        out.add_row(f"H{r['id']}", escape(r["statement"]), escape(f"{r['metric']} ({r['expect']})"),
                    f"[{VERDICT_STYLE[r['verdict']]}]{badge}[/]", fmt_value(r["effect"]), ci,
                    f"{r['n_treatment']} vs {r['n_baseline']}", r["status"])
    console().print(out)


def show_hypothesis(ctx: click.Context, ref: str, as_json: bool) -> None:
    """The body of `labtrack show H3`."""
    from ..evidence.verdicts import badge
    from ..present.records import hypothesis_record

    lab = open_lab(ctx)
    record = lab.get_hypothesis(ref)
    verdict = lab.verdict(record)
    if as_json:
        echo_json(hypothesis_record(record, verdict))
        return
    out = console()
    style = VERDICT_STYLE[verdict.label]
    out.print(f"[bold]H{record.id}[/]  [{style}]{badge(verdict)}[/]  ({record.status})")
    out.print(record.statement, markup=False)
    out.print(f"metric {record.metric}, expected to {record.expect} by at least {fmt_value(record.min_effect)}")
    out.print(f"created {fmt_time(record.created)}" + (f", closed {fmt_time(record.closed)}" if record.closed else ""))
    out.print(verdict.reason, markup=False)
    out.print(f"treatment runs: {', '.join(f'#{n}' for n in verdict.treatment_runs) or 'none'}")
    out.print(f"baseline runs:  {', '.join(f'#{n}' for n in verdict.baseline_runs) or 'none'}")
    for number, why in verdict.ignored:
        out.print(f"ignored #{number}: {why}", markup=False)
    if record.note:
        out.print(f"note: {record.note}", markup=False)
