"""The `labtrack` command group; each file beside this one adds its commands to it."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from ..errors import LabtrackError

if TYPE_CHECKING:
    from ..client import Lab


def _remember_store(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(dict)["store_path"] = value


# Every command also takes --store after its name (`labtrack runs --store X`), as the README says.
_STORE_OPTION = click.Option(
    ["--store", "store_path"],
    type=click.Path(),
    expose_value=False,
    is_eager=True,
    callback=_remember_store,
    help="Store folder or .db file (same as `labtrack --store PATH COMMAND`).",
)


class _Group(click.Group):
    """Turns labtrack's own errors into one clear line and exit code 1, without a traceback;
    gives every command the --store option."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not any(p.name == "store_path" for p in cmd.params):
            cmd.params.append(_STORE_OPTION)
        super().add_command(cmd, name)

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


def open_lab(ctx: click.Context, *, create: bool = False) -> Lab:
    """The `Lab` of the store named by --store (or found as usual), also the `lt.*` default."""
    from ..client import Lab
    from ..fluent.session import use

    # a command runs in its own process; in-process callers (tests, notebooks) keep their Lab open
    return use(Lab.open(ctx.obj.get("store_path"), create=create), close_previous=False)


def main() -> None:
    """Entry point of the `labtrack` console script (commands register in cli/__init__.py)."""
    cli()
