"""Copy every row that can still be read from a damaged store into a new file (`labtrack doctor
--salvage`): for when sqlite3's `.recover` is not at hand (it needs a shell built with the dbpage
table, which some distributions leave out)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import StoreError


@dataclass
class Salvage:
    """What `salvage` copied: rows per table, and the tables it could read only in part (or not at all)."""

    target: str
    rows: dict[str, int] = field(default_factory=dict)
    partial: dict[str, str] = field(default_factory=dict)


def salvage(source: Path, target: Path) -> Salvage:
    """Copy the schema and every readable row of `source` into the new file `target`; never writes `source`.

    >>> salvage(Path(".labtrack/labtrack.db"), Path(".labtrack/recovered.db")).partial
    {}
    """
    if target.exists():
        raise StoreError(f"{target} exists already; name a new file to salvage into")
    src = sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
    dst = sqlite3.connect(target, isolation_level=None)
    report = Salvage(str(target))
    try:
        objects = src.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
            " ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END"
        ).fetchall()
        dst.execute("BEGIN")
        for _kind, _, sql in objects:
            dst.execute(sql)
        for kind, name, _ in objects:
            if kind == "table":
                _copy_table(src, dst, name, report)
        dst.execute("COMMIT")
    finally:
        src.close()
        dst.close()
    return report


def _copy_table(
    src: sqlite3.Connection, dst: sqlite3.Connection, table: str, report: Salvage
) -> None:
    """Rows in key order until the damage, then from the other end back to it: both sides of a
    damaged page are kept."""
    quoted = '"' + table.replace('"', '""') + '"'
    columns = [row[1] for row in src.execute(f"PRAGMA table_info({quoted})")]
    keys = [
        row[1]
        for row in sorted(src.execute(f"PRAGMA table_info({quoted})"), key=lambda r: r[5])
        if row[5]
    ]
    order = ", ".join(f'"{k}"' for k in keys) if keys else "rowid"
    marks = ", ".join("?" for _ in columns)
    insert = f"INSERT OR IGNORE INTO {quoted} VALUES ({marks})"
    copied = 0
    for direction in ("ASC", "DESC"):
        descending = ", ".join(f"{part} {direction}" for part in order.split(", "))
        try:
            for row in src.execute(
                f"SELECT {', '.join(map(_quote, columns))} FROM {quoted} ORDER BY {descending}"
            ):
                copied += dst.execute(insert, row).rowcount
            break  # read to the end: nothing to fetch from the other side
        except sqlite3.DatabaseError as exc:
            report.partial[table] = f"{type(exc).__name__}: {exc}"
    report.rows[table] = copied


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
