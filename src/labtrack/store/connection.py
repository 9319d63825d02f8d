"""Opening a store file safely: refuse foreign or newer files untouched, migrate old ones, set WAL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import NotALabtrackStore, StoreError, StoreTooNew
from .schema import MIGRATION_NAMES, MIGRATION_SET, build_migrations

BUSY_TIMEOUT_S = 60.0


def connect(db_path: Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (creating or upgrading when needed) the labtrack database at `db_path`.

    Nothing is written to a file that is not a labtrack store or that a newer labtrack wrote.
    """
    exists = db_path.exists() and db_path.stat().st_size > 0
    if exists:
        pending = _inspect(db_path)
    elif not create:
        raise StoreError(f"no labtrack store at {db_path}; run a tracked cell or `lt.open()` first")
    else:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        pending = True
    conn = sqlite3.connect(
        db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    if pending:
        _migrate(conn)
    return conn


def _inspect(db_path: Path) -> bool:
    """Check, read-only, that `db_path` is a labtrack store this code can open; True if it needs migrating."""
    uri = f"{db_path.absolute().as_uri()}?mode=ro"
    try:
        ro = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:  # pragma: no cover - permissions and the like
        raise StoreError(f"cannot open {db_path}: {exc}") from exc
    try:
        try:
            tables = {row[0] for row in ro.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            raise NotALabtrackStore(
                f"{db_path} is not a SQLite database ({exc}); point LABTRACK_DIR or lt.open() at a"
                " labtrack store folder, or move this file away"
            ) from None
        if not tables:
            return True
        applied: list[str] = []
        if "_sqlite_migrations" in tables:
            applied = [
                row[0]
                for row in ro.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                    [MIGRATION_SET],
                )
            ]
        if not applied:
            raise NotALabtrackStore(
                f"{db_path} is a SQLite database but not a labtrack store (its tables:"
                f" {', '.join(sorted(tables)[:5])}); nothing was changed. Use another folder for labtrack."
            )
        unknown = [name for name in applied if name not in MIGRATION_NAMES]
        if unknown:
            raise StoreTooNew(
                f"{db_path} was written by a newer labtrack (schema {applied[-1]!r}, this one knows up to"
                f" {MIGRATION_NAMES[-1]!r}); nothing was changed. Upgrade: pip install -U labtrack"
            )
        return len(applied) < len(MIGRATION_NAMES)
    finally:
        ro.close()


def _migrate(conn: sqlite3.Connection) -> None:
    """Apply pending migrations under one write lock, so concurrent openers migrate once."""
    from sqlite_utils import Database

    db = Database(conn)
    migrations = build_migrations()
    conn.execute("BEGIN IMMEDIATE")
    try:
        migrations.apply(db)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def schema_version(conn: sqlite3.Connection) -> str:
    """The name of the last migration applied to this store."""
    row = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid DESC LIMIT 1",
        [MIGRATION_SET],
    ).fetchone()
    return row[0] if row else ""
