"""The `labtrack` command line: a thin layer over the Python API. Each module adds its commands."""

from __future__ import annotations

from . import compare, hypotheses, imports, maintenance, push, runs  # noqa: F401 - importing registers the commands
from .main import cli, main

__all__ = ["cli", "main"]
