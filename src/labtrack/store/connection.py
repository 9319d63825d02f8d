"""Opening a store file safely: refuse foreign or newer files untouched, migrate old ones, set WAL."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from ..errors import NotALabtrackStore, StoreError, StoreTooNew
from .schema import MIGRATION_NAMES, MIGRATION_SET, build_migrations
from .sql_functions import register_functions

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
    register_functions(conn)
    _enable_wal(conn, db_path)
    conn.execute("PRAGMA synchronous=NORMAL")
    if pending:
        _migrate(conn)
    return conn


def _enable_wal(conn: sqlite3.Connection, db_path: Path) -> None:
    """Switch the file to WAL. Processes creating a store at once can get "database is locked" here
    without the busy handler running (SQLite's deadlock avoidance), so retry within the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
            if time.monotonic() > deadline:
                conn.close()
                raise StoreError(f"{db_path} stayed locked by another process for {BUSY_TIMEOUT_S:.0f} s") from exc
        time.sleep(0.005)


def _inspect(db_path: Path) -> bool:
    """Check, read-only, that `db_path` is a labtrack store this code can open; True if it needs migrating."""
    # Without a -wal file no connection has the file open, so read it as immutable: an ordinary
    # read-only connection to a WAL database leaves -wal and -shm files behind.
    wal = Path(f"{db_path}-wal")
    if not wal.exists():
        try:
            return _inspect_with(db_path, "mode=ro&immutable=1", strict=False)
        except sqlite3.DatabaseError:
            pass  # not a database, or a writer came meanwhile: the ordinary read decides
        except StoreError:
            if not wal.exists():
                raise  # still nobody has it open: the verdict stands
    return _inspect_with(db_path, "mode=ro")


def _inspect_with(db_path: Path, query: str, strict: bool = True) -> bool:
    uri = f"{db_path.absolute().as_uri()}?{query}"
    try:
        ro = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as exc:  # pragma: no cover - permissions and the like
        raise StoreError(f"cannot open {db_path}: {exc}") from exc
    try:
        try:
            tables = {row[0] for row in ro.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            if not strict:
                raise
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
