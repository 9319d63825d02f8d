"""Store health (`labtrack doctor`) and artifact garbage collection (`labtrack gc`)."""

from __future__ import annotations

import shlex
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .connection import schema_version

if TYPE_CHECKING:
    from .artifacts import ArtifactFiles
    from .store import Store


TABLES = (
    "experiments",
    "runs",
    "params",
    "metric_keys",
    "metric_points",
    "metric_summaries",
    "tags",
    "artifacts",
    "datasets",
    "environments",
    "hypotheses",
    "metric_definitions",
)


@dataclass
class HealthReport:
    """What `labtrack doctor` prints: integrity, counts, schema version, artifact consistency, and for
    a damaged file which tables are damaged, which are intact, and how to recover."""

    store: str
    schema_version: str
    integrity: str
    runs_by_status: dict[str, int]
    counts: dict[str, int]
    size_bytes: int
    orphaned_files: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)
    damaged: dict[str, str] = field(default_factory=dict)  # table -> what reading it said
    intact: list[str] = field(default_factory=list)
    recover: list[str] = field(default_factory=list)  # shell commands, when damaged

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.missing_files and not self.damaged

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def health_report(store: Store) -> HealthReport:
    """Check the database and the artifact folder; change nothing."""
    store.points.flush_for_read()
    with store.lock:
        return examine(store.conn, store.path, store.artifacts)


def diagnose(db_path: Path) -> HealthReport:
    """`labtrack doctor` without opening the store as usual: a read-only look that works on a damaged,
    read-only or full store and never raises for what it finds.

    >>> diagnose(Path(".labtrack/labtrack.db")).damaged
    {}
    """
    from .artifacts import ArtifactFiles
    from .connection import is_sqlite_file

    artifacts = ArtifactFiles(db_path.parent / "artifacts")
    if not is_sqlite_file(db_path):
        return _unreadable(
            db_path, "not a SQLite database (its first bytes are not SQLite's header)"
        )
    uri = db_path.absolute().as_uri()
    queries = (
        ["mode=ro", "mode=ro&immutable=1"]
        if Path(f"{db_path}-wal").exists()
        else ["mode=ro&immutable=1"]
    )
    error = ""
    for query in queries:
        try:
            conn = sqlite3.connect(f"{uri}?{query}", uri=True, timeout=10)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            error = f"{type(exc).__name__}: {exc}"
            continue
        try:
            return examine(conn, db_path, artifacts)
        finally:
            conn.close()
    return _unreadable(db_path, f"its schema page cannot be read ({error})")


def examine(conn: sqlite3.Connection, db_path: Path, artifacts: ArtifactFiles) -> HealthReport:
    """Every check, each on its own: one that fails is reported and the others still run."""
    integrity = _try(
        lambda: "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check(50)"))
    )
    damaged: dict[str, str] = {}
    counts: dict[str, int] = {}
    roots = _try(
        lambda: dict(
            conn.execute("SELECT rootpage, tbl_name FROM sqlite_master WHERE rootpage > 0")
        ),
        {},
    )
    for table in TABLES:
        try:  # a full scan reads every page of the table (LIMIT -1: not flattened into an index count)
            counts[table] = conn.execute(
                f"SELECT count(*) FROM (SELECT * FROM {table} LIMIT -1)"
            ).fetchone()[0]  # noqa: S608
        except sqlite3.Error as exc:
            damaged[table] = f"{type(exc).__name__}: {exc}"
    if integrity != "ok":
        for root, table in roots.items():  # integrity_check names the b-trees it found broken
            if table in TABLES and table not in damaged and f"Tree {root} " in integrity:
                damaged[table] = "integrity_check: " + _lines_about(integrity, f"Tree {root} ")
    by_status = _try(
        lambda: dict(
            conn.execute("SELECT status, count(*) FROM runs GROUP BY status ORDER BY status")
        ),
        {},
    )
    version = _try(lambda: schema_version(conn))
    referenced = _try(
        lambda: {row[0] for row in conn.execute("SELECT DISTINCT sha256 FROM artifacts")}, set()
    )
    on_disk = dict(artifacts.digests_on_disk())
    size = sum(p.stat().st_size for p in db_path.parent.glob(db_path.name + "*") if p.is_file())
    broken = bool(damaged) or integrity != "ok"
    return HealthReport(
        store=str(db_path),
        schema_version=version,
        integrity=integrity,
        runs_by_status=by_status,
        counts=counts,
        size_bytes=size + sum(p.stat().st_size for p in on_disk.values()),
        orphaned_files=sorted(str(on_disk[d]) for d in set(on_disk) - referenced)
        if "artifacts" not in damaged
        else [],
        missing_files=sorted(referenced - set(on_disk)),
        damaged=damaged,
        intact=[t for t in TABLES if t not in damaged] if broken else [],
        recover=recovery_commands(db_path) if broken else [],
    )


def recovery_commands(db_path: Path) -> list[str]:
    """How to rebuild a damaged store with sqlite3's `.recover` (stop the kernels writing to it first)."""
    db, rescued = shlex.quote(str(db_path)), shlex.quote(str(db_path.with_name("recovered.db")))
    return [
        f"sqlite3 {db} .recover | sqlite3 {rescued}",
        f"labtrack --store {db} doctor --salvage {rescued}   # instead, if .recover says 'SQL logic error'",
        f"labtrack --store {rescued} doctor",
        f"mv {db} {db}.damaged && mv {rescued} {db}",
    ]


def _unreadable(db_path: Path, why: str) -> HealthReport:
    size = db_path.stat().st_size if db_path.exists() else 0
    recover = recovery_commands(db_path) if "header" not in why else []
    return HealthReport(
        str(db_path), "", why, {}, {}, size, damaged={"(whole file)": why}, recover=recover
    )


def _try(read: Callable[[], Any], default: Any = "") -> Any:
    try:
        return read()
    except sqlite3.Error as exc:
        return default if default != "" else f"{type(exc).__name__}: {exc}"


def _lines_about(text: str, marker: str) -> str:
    return "; ".join(part.strip() for part in text.split(";") if marker in part)[:300]


def collect_garbage(store: Store, dry_run: bool = False) -> tuple[list[str], int]:
    """Delete artifact files no run refers to; return (paths, bytes freed). `dry_run` deletes nothing."""
    referenced = {row[0] for row in store.read("SELECT DISTINCT sha256 FROM artifacts")}
    removed: list[str] = []
    freed = 0
    for digest, path in store.artifacts.digests_on_disk():
        if digest in referenced:
            continue
        freed += path.stat().st_size
        removed.append(str(path))
        if not dry_run:
            path.unlink(missing_ok=True)
    return removed, freed
