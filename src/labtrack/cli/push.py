"""`labtrack push --mlflow URI`: send runs to an MLflow tracking server."""

from __future__ import annotations

import click

from .format import echo_json
from .main import cli, open_lab


@cli.command()
@click.argument("targets", nargs=-1, metavar="[FILTER | RUN...]")
@click.option(
    "--mlflow",
    "uri",
    required=True,
    metavar="URI",
    help="The MLflow tracking URI, e.g. http://mlflow.example.org:5000.",
)
@click.option(
    "--experiment",
    metavar="NAME",
    help="Put every run in this MLflow experiment (default: each run's labtrack experiment).",
)
@click.option(
    "--include-running",
    is_flag=True,
    help="Also push runs still running; a later push completes them.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the push report as JSON for scripts.")
@click.pass_context
def push(
    ctx: click.Context,
    targets: tuple[str, ...],
    uri: str,
    experiment: str | None,
    include_running: bool,
    as_json: bool,
) -> None:
    """Push runs to MLflow: every run, those matching FILTER, or the RUNs named.

    Pushing again sends only what is missing, so a push that was interrupted completes on the next
    call, and a run pushed before is not duplicated.
    """
    lab = open_lab(ctx)
    selection: str | list[str] | None = None
    if len(targets) == 1:
        selection = targets[0]  # a filter, or else one run's number, uuid or name
    elif targets:
        selection = list(targets)
    report = lab.push_mlflow(
        uri, selection, experiment=experiment, include_running=include_running, progress=not as_json
    )
    if as_json:
        echo_json(report.to_dict())
    else:
        click.echo(report.summary())
