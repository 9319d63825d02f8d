"""Helpers shared by the tests: resetting labtrack's process-wide session, and equality that keeps
types (a module of its own because `from conftest import ...` is ambiguous with tests/browser/conftest.py)."""

from __future__ import annotations

import contextlib
import math

from labtrack.fluent import session
from labtrack.tracking import failures


def reset_session() -> None:
    """Forget the process's store and active runs (as a fresh interpreter would have none)."""
    with contextlib.suppress(Exception):
        session.reset()
    session._session.stack.clear()
    session._session.lab = None
    failures.new_cell()  # warnings "once per cause" start afresh, as in a new cell


def same(a, b) -> bool:
    """Equal with types kept: NaN equals NaN, -0.0 differs from 0.0, containers compared deeply."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (
            a == b and math.copysign(1, a) == math.copysign(1, b)
        )
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b
