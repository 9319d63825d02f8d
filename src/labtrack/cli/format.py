"""Terminal and JSON formatting shared by the commands."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from ..present.text import fmt_duration, fmt_time, fmt_value  # noqa: F401 - used by the commands
from ..present.values import json_number


def to_jsonable(value: Any) -> Any:
    """JSON by the REST rule (docs/rest-api.md): infinities as "inf" / "-inf", NaN as null (in a runs
    frame NaN is how pandas spells a metric the run lacks), timestamps as ISO strings."""
    if isinstance(value, float):
        return json_number(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return None if str(value) == "NaT" else value.isoformat()
    if hasattr(value, "item"):
        return to_jsonable(value.item())
    return value


def echo_json(data: Any) -> None:
    click.echo(json.dumps(to_jsonable(data), indent=2, ensure_ascii=False))


def console(width: int | None = None):
    """A rich Console that writes where click writes (so tests capture it)."""
    from rich.console import Console

    stream = sys.stdout  # what click's CliRunner captures, too
    # piped output: don't squeeze columns to 80, unless COLUMNS says how wide (rich reads it)
    if width is None:
        width = None if stream.isatty() or os.environ.get("COLUMNS") else 240
    return Console(file=stream, highlight=False, soft_wrap=False, width=width)
