"""`labtrack doctor` and `labtrack gc`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .format import echo_json
from .main import cli, open_lab


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option(
    "--salvage",
    "salvage_to",
    type=click.Path(),
    default=None,
    help="Copy every readable row of a damaged store into this new .db file.",
)
@click.pass_context
def doctor(ctx: click.Context, as_json: bool, salvage_to: str | None) -> None:
    """Check the store: integrity, counts, schema version, orphaned or missing artifact files; for a
    damaged file, what is damaged, what is intact and how to recover. Reads only; exits 1 on problems."""
    from ..client import Lab

    db_path = Lab.locate(ctx.obj.get("store_path"))
    if not db_path.exists():
        raise click.ClickException(f"no labtrack store at {db_path}")
    if salvage_to:
        saved = Lab.salvage(db_path, Path(salvage_to))
        for table, rows in saved.rows.items():
            click.echo(
                f"{table:<20}{rows:,} row(s)"
                + (f"  (partly: {saved.partial[table]})" if table in saved.partial else "")
            )
        click.echo(
            f"salvaged into {saved.target}; check it with: labtrack --store {saved.target} doctor"
        )
        return
    report = Lab.diagnose(db_path)  # read-only, and never raises for what it finds
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(f"store           {report.store}")
        click.echo(f"schema          {report.schema_version}")
        click.echo(f"integrity       {report.integrity}")
        click.echo(f"size            {report.size_bytes:,} bytes")
        statuses = ", ".join(f"{n} {s}" for s, n in report.runs_by_status.items()) or "none"
        click.echo(f"runs            {statuses}")
        for table, count in report.counts.items():
            click.echo(f"  {table:<20}{count:,}")
        click.echo(
            f"orphaned files  {len(report.orphaned_files)}"
            + ("  (run `labtrack gc` to delete them)" if report.orphaned_files else "")
        )
        click.echo(f"missing files   {len(report.missing_files)}")
        for digest in report.missing_files:
            click.echo(f"  missing {digest}")
        if report.damaged:
            click.echo("damaged         " + ", ".join(report.damaged))
            for table, why in report.damaged.items():
                click.echo(f"  {table}: {why}")
            click.echo("intact          " + (", ".join(report.intact) or "none"))
        if report.recover:
            click.echo("to recover (stop the kernels and servers using this store first):")
            for command in report.recover:
                click.echo(f"  {command}")
        click.echo("OK" if report.ok else "PROBLEMS FOUND")
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
@click.pass_context
def gc(ctx: click.Context, dry_run: bool) -> None:
    """Delete artifact files that no run refers to."""
    removed, freed = open_lab(ctx).collect_garbage(dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    for path in removed:
        click.echo(f"{verb} {path}")
    click.echo(f"{verb} {len(removed)} unreferenced file(s), {freed:,} bytes")
