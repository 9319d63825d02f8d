"""`labtrack import --mlflow URI`: bring MLflow runs into the local store."""

from __future__ import annotations

import click

from .format import echo_json
from .main import cli, open_lab


@cli.command("import")
@click.argument("filter", required=False, metavar="[FILTER]")
@click.option(
    "--mlflow",
    "uri",
    required=True,
    metavar="URI",
    help="The MLflow tracking URI: http://host:5000, sqlite:///mlflow.db or a ./mlruns folder.",
)
@click.option(
    "--experiment",
    "experiments",
    multiple=True,
    metavar="NAME",
    help="Import this MLflow experiment (repeatable; default: every active experiment).",
)
@click.option(
    "--max-artifact-mb",
    type=float,
    default=100.0,
    show_default=True,
    help="Leave out artifact files larger than this (0: no limit).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the import report as JSON for scripts."
)
@click.pass_context
def import_(
    ctx: click.Context,
    filter: str | None,
    uri: str,
    experiments: tuple[str, ...],
    max_artifact_mb: float,
    as_json: bool,
) -> None:
    """Import MLflow runs (those matching FILTER, in MLflow's syntax) into the local store.

    Importing again adds nothing new, so an interrupted import resumes where it stopped. Each run
    comes in whole or not at all; runs that failed are listed and the exit code is 1.
    """
    from ..mlflow_bridge.importer import ImportFailed

    lab = open_lab(ctx, create=True)
    limit = None if max_artifact_mb <= 0 else int(max_artifact_mb * 2**20)
    try:
        report = lab.import_mlflow(
            uri,
            experiments=list(experiments) or None,
            filter=filter,
            max_artifact_bytes=limit,
            progress=not as_json,
        )
    except ImportFailed as exc:
        if as_json and exc.report is not None:
            echo_json({**exc.report.to_dict(), "error": str(exc)})
            ctx.exit(1)
        raise
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.summary())
