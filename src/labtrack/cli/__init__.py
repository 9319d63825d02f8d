"""The `labtrack` command line: a thin layer over the Python API."""

from __future__ import annotations

from .main import cli, main

__all__ = ["cli", "main"]
