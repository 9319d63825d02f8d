"""The one rule for export file names, used by the widget, the CLI and the REST `export` route."""

from __future__ import annotations

from collections.abc import Sequence

NAMED_RUNS = 8  # run numbers spelled out in a file name; the rest are counted


def export_name(numbers: Sequence[int], suffix: str, *, diff: bool = False) -> str:
    """`labtrack-compare-3-4[-and-N-more][-diff].<suffix>` for a comparison of these runs.

    >>> export_name([3, 4], ".md", diff=True)
    'labtrack-compare-3-4-diff.md'
    """
    shown = "-".join(str(n) for n in numbers[:NAMED_RUNS])
    more = len(numbers) - NAMED_RUNS
    stem = f"labtrack-compare-{shown}" + (f"-and-{more}-more" if more > 0 else "")
    return stem + ("-diff" if diff else "") + (suffix if suffix.startswith(".") else f".{suffix}")
