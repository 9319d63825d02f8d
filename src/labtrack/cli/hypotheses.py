"""`labtrack hypotheses` and `labtrack show H<id>`."""

from __future__ import annotations

import click

from .format import console, echo_json, fmt_time, fmt_value
from .main import cli, open_lab

VERDICT_STYLE = {
    "supported": "green",
    "refuted": "red",
    "negligible": "blue",
    "inconclusive": "yellow",
    "untested": "bright_black",
}


@cli.command()
@click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (one object per hypothesis) for scripts."
)
@click.option(
    "--adjust",
    type=click.Choice(["holm", "bh"]),
    default="holm",
    show_default=True,
    help="How p-values are adjusted for the hypotheses an experiment has tested.",
)
@click.pass_context
def hypotheses(ctx: click.Context, as_json: bool, adjust: str) -> None:
    """List hypotheses with their verdicts, the evidence behind them, confound warnings, and
    p-values adjusted for how many hypotheses each experiment has tested."""
    frame = open_lab(ctx).hypotheses(adjust)
    records = frame.to_dict(orient="records")
    if as_json:
        echo_json(records)
        return
    if not records:
        click.echo(
            'No hypotheses yet. State one with %hypothesis "..." --metric M --expect increase, or lt.hypothesis().'
        )
        return
    from rich.markup import escape  # user text must never be read as rich markup
    from rich.table import Table

    out = Table(box=None, header_style="bold")
    p_title = "Holm p" if adjust == "holm" else "BH p"
    for title in (
        "id",
        "statement",
        "metric",
        "verdict",
        "effect",
        "95% CI",
        "n",
        p_title,
        "status",
    ):
        out.add_column(title, overflow="fold")
    warnings = []
    for r in records:
        badge = r["verdict"] + (" (weak)" if r["weak"] else "") + (" ⚠" if r["confounds"] else "")
        ci = (
            ""
            if r["ci_low"] is None or r["ci_low"] != r["ci_low"]
            else f"{fmt_value(r['ci_low'])} to {fmt_value(r['ci_high'])}"
        )
        p_adjusted = (
            ""
            if r["p_adjusted"] is None or r["p_adjusted"] != r["p_adjusted"]
            else f"{r['p_adjusted']:.3g}"
        )
        out.add_row(
            f"H{r['id']}",
            escape(r["statement"]),
            escape(f"{r['metric']} ({r['expect']})"),
            f"[{VERDICT_STYLE[r['verdict']]}]{badge}[/]",
            fmt_value(r["effect"]),
            ci,
            f"{r['n_treatment']} vs {r['n_baseline']}",
            p_adjusted,
            r["status"],
        )
        warnings += [f"H{r['id']} ⚠ confound: {c}" for c in r["confounds"]]
        if r["adjusted_note"]:
            warnings.append(f"H{r['id']}: {r['adjusted_note']}")
    out_console = console()
    out_console.print(out)
    tested = {r["experiment"]: r["tested"] for r in records}
    out_console.print(
        "tested: " + ", ".join(f"{n} in {exp}" for exp, n in tested.items()), markup=False
    )
    for line in warnings:
        out_console.print(line, markup=False)


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
    out.print(
        f"metric {record.metric}, expected to {record.expect} by at least {fmt_value(record.min_effect)}"
    )
    out.print(
        f"created {fmt_time(record.created)}"
        + (f", closed {fmt_time(record.closed)}" if record.closed else "")
    )
    for confound in verdict.confounds:
        out.print(f"⚠ confound: {confound}", style="yellow", markup=False)
    if record.change:
        out.print(f"change under test: {record.change}", markup=False)
    out.print(verdict.reason, markup=False)
    out.print(f"treatment runs: {', '.join(f'#{n}' for n in verdict.treatment_runs) or 'none'}")
    out.print(f"baseline runs:  {', '.join(f'#{n}' for n in verdict.baseline_runs) or 'none'}")
    spec = record.baseline or {}
    if "filter" in spec:
        out.print(
            f"baseline filter {spec['filter']!r}, frozen when stated (lt.rebase re-resolves it)",
            markup=False,
        )
    stated, now = lab.stated_definition(record), lab.current_definition(record)
    if stated != now:
        out.print(
            f"metric definition: stated {stated['summary']} ({stated['goal']}), now {now['summary']}"
            f" ({now['goal']}); the verdict keeps the stated one",
            markup=False,
        )
    for note in verdict.comparability:
        out.print(f"note: {note}", markup=False)
    for number, why in verdict.ignored:
        out.print(f"ignored #{number}: {why}", markup=False)
    if record.note:
        out.print(f"note: {record.note}", markup=False)
