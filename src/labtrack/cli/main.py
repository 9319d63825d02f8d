"""The `labtrack` command group; each file beside this one adds its commands to it."""

from __future__ import annotations

import sys

import click

from ..errors import LabtrackError


class _Group(click.Group):
    """Turns labtrack's own errors into one clear line and exit code 1, without a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LabtrackError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    "store_path",
    envvar="LABTRACK_DIR",
    type=click.Path(),
    help="Store folder or .db file (default: $LABTRACK_DIR, else the nearest .labtrack/ upwards).",
)
@click.version_option(package_name="labtrack")
@click.pass_context
def cli(ctx: click.Context, store_path: str | None) -> None:
    """labtrack: runs, metrics, hypotheses and verdicts in a local SQLite store."""
    ctx.obj = {"store_path": store_path}


def open_store(ctx: click.Context, *, create: bool = False):
    """The store named by --store (or found as usual), made the API's current store."""
    from ..fluent import runs as api
    from ..store import Store

    store = Store.open(ctx.obj.get("store_path"), create=create)
    api._session.store = store
    return store


def main() -> None:
    """Entry point of the `labtrack` console script (commands register in cli/__init__.py)."""
    cli()
