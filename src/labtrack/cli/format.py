"""Terminal and JSON formatting shared by the commands."""

from __future__ import annotations

import json
import math
import sys
from datetime import datetime, timezone
from typing import Any

import click


def fmt_value(value: Any) -> str:
    """A short, unambiguous rendering of a param or metric value for a table cell."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return f"{value:.6g}"
    if isinstance(value, str):
        return value
    return json.dumps(value) if isinstance(value, (list, dict)) else str(value)


def fmt_time(epoch: float | None) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, tz=timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def fmt_duration(seconds: float | None) -> str:
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return ""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


def to_jsonable(value: Any) -> Any:
    """JSON-safe: NaN and infinities become None, timestamps ISO strings."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
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


def console():
    """A rich Console that writes where click writes (so tests capture it)."""
    from rich.console import Console

    stream = sys.stdout  # what click's CliRunner captures, too
    width = None if stream.isatty() else 240  # piped output: don't squeeze columns to 80
    return Console(file=stream, highlight=False, soft_wrap=False, width=width)
