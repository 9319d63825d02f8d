"""Opening a store file safely: refuse foreign or newer files untouched, migrate old ones, set WAL."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from ..errors import NotALabtrackStore, StoreError, StoreTooNew
from .schema import MIGRATION_NAMES, MIGRATION_SET, build_migrations
from .sql_functions import register_functions

BUSY_TIMEOUT_S = 60.0


def open_connection(
    db_path: Path, *, create: bool = True, allow_read_only: bool = True
) -> tuple[sqlite3.Connection, str | None]:
    """A connection to the store at `db_path` and, when it could only be opened for reading (a
    read-only mount or copy, a full disk, a file-size limit), why. Reading never writes: when the
    store cannot be written no WAL switch, migration or -wal/-shm file is attempted.

    >>> conn, read_only = open_connection(Path("/tmp/project/.labtrack/labtrack.db"))
    """
    from ..tracking.failures import cannot_write, ignore_file_size_signal

    ignore_file_size_signal()  # past a file-size limit, write() must fail (EFBIG), not kill the process
    reason = unwritable(db_path)
    if reason is None:
        existed = {p: p.exists() for p in _side_files(db_path)}
        try:
            return connect(db_path, create=create), None
        except (NotALabtrackStore, StoreTooNew):
            raise
        except (sqlite3.Error, OSError, StoreError) as exc:
            if not allow_read_only or not cannot_write(exc) or not db_path.exists():
                raise
            reason = f"{type(exc).__name__}: {exc}"
            for (
                path,
                was,
            ) in existed.items():  # leave no trace: the empty -wal/-shm this attempt made
                if not was and path.exists() and path.stat().st_size == 0:
                    path.unlink(missing_ok=True)
    if not allow_read_only or not db_path.exists():
        raise StoreError(f"cannot open the store at {db_path} for writing: {reason}")
    return connect_read_only(db_path), reason


def unwritable(db_path: Path) -> str | None:
    """Why the store surely cannot be written now (checked without writing), or None."""
    folder = db_path.parent
    if not folder.exists():
        return None
    if not os.access(folder, os.W_OK) or (db_path.exists() and not os.access(db_path, os.W_OK)):
        return f"{folder} is read-only (attempt to write a readonly database)"
    try:
        space = os.statvfs(folder)
        if space.f_bavail * space.f_frsize < MIN_FREE_BYTES:
            return f"the disk holding {folder} is full (database or disk is full)"
    except OSError:
        pass
    soft = _file_size_limit()
    if soft is not None and soft < MIN_FREE_BYTES:
        return f"this process may not grow files past {soft} bytes (RLIMIT_FSIZE: database or disk is full)"
    return None


MIN_FREE_BYTES = 64 * 1024  # a write needs room for a few pages and the -shm index


def _file_size_limit() -> int | None:
    try:
        import resource
    except ImportError:  # not POSIX
        return None
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    return None if soft == resource.RLIM_INFINITY else soft


def _side_files(db_path: Path) -> list[Path]:
    return [Path(f"{db_path}-wal"), Path(f"{db_path}-shm")]


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
                raise StoreError(
                    f"{db_path} stayed locked by another process for {BUSY_TIMEOUT_S:.0f} s"
                ) from exc
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
            tables = {
                row[0] for row in ro.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as exc:
            if not strict:
                raise
            if not is_sqlite_file(db_path):
                raise NotALabtrackStore(
                    f"{db_path} is not a SQLite database ({exc}); point LABTRACK_DIR or lt.open() at a"
                    " labtrack store folder, or move this file away"
                ) from None
            raise StoreError(
                f"cannot read {db_path} ({exc}); `labtrack doctor` says what is wrong"
            ) from exc
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


SQLITE_HEADER = b"SQLite format 3\x00"


def is_sqlite_file(db_path: Path) -> bool:
    """True if the file starts with SQLite's header (whatever state its pages are in)."""
    try:
        with open(db_path, "rb") as file:
            return file.read(16) == SQLITE_HEADER
    except OSError:
        return True  # unreadable: not evidence that it is something else


def connect_read_only(db_path: Path) -> sqlite3.Connection:
    """A connection that never writes, for a store on a read-only mount, a write-protected copy or a
    full disk. Without a -wal file it reads the file as immutable (no -shm to create); else it reads
    through the -wal left by the writer.

    >>> connect_read_only(Path("/mnt/readonly/.labtrack/labtrack.db")).execute("SELECT count(*) FROM runs")
    """
    if not (db_path.exists() and db_path.stat().st_size > 0):
        raise StoreError(f"no labtrack store at {db_path}; run a tracked cell or `lt.open()` first")
    uri = db_path.absolute().as_uri()
    queries = ["mode=ro", "mode=ro&immutable=1"]
    if not Path(f"{db_path}-wal").exists():
        queries.reverse()
    error: Exception | None = None
    for query in queries:
        try:
            pending = _inspect_with(db_path, query)
        except (NotALabtrackStore, StoreTooNew):
            raise
        except (StoreError, sqlite3.Error) as exc:
            error = exc
            continue
        if pending:
            raise StoreError(
                f"{db_path} needs a schema upgrade, which needs write access, and it cannot be written now;"
                " open it once where it is writable (or with the labtrack version that wrote it)"
            )
        try:
            conn = sqlite3.connect(
                f"{uri}?{query}",
                uri=True,
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.execute("SELECT count(*) FROM runs").fetchone()
            register_functions(conn)  # filters call them: a read-only store must filter too
            return conn
        except sqlite3.Error as exc:
            error = exc
    raise StoreError(f"cannot read {db_path} ({error}); `labtrack doctor` says what is wrong")


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
