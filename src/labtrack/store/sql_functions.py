"""SQL functions labtrack's queries use, registered on every connection the store opens."""

from __future__ import annotations

import math
import sqlite3
from typing import Any


def param_text(stored: Any, kind: str) -> str | None:
    """A stored param as the text MLflow holds for it: `str(value)`, lists and dicts as JSON (as
    `labtrack push` writes them). Filters compare quoted values with this text.

    >>> param_text(1e-05, "float"), param_text(1, "bool"), param_text(None, "none")
    ('1e-05', 'True', 'None')
    """
    if kind == "none":
        return "None"
    if kind == "bool":
        return str(bool(stored))
    if kind == "float":
        return str(math.nan if stored is None else float(stored))  # SQLite holds NaN as NULL
    if kind == "int":
        return str(int(stored))
    return None if stored is None else str(stored)  # str, bigint, json, repr: stored as their text


def register_functions(conn: sqlite3.Connection) -> None:
    """Make labtrack's SQL functions available on `conn` (any sqlite3 connection, e.g. a test's)."""
    conn.create_function("lt_param_text", 2, param_text, deterministic=True)
