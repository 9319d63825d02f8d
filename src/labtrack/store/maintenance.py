"""Store health (`labtrack doctor`) and artifact garbage collection (`labtrack gc`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import Store


@dataclass
class HealthReport:
    """What `labtrack doctor` prints: integrity, counts, schema version, artifact consistency."""

    store: str
    schema_version: str
    integrity: str
    runs_by_status: dict[str, int]
    counts: dict[str, int]
    size_bytes: int
    orphaned_files: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.missing_files

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def health_report(store: Store) -> HealthReport:
    """Check the database and the artifact folder; change nothing."""
    store.points.flush_for_read()
    integrity = "; ".join(row[0] for row in store.read("PRAGMA integrity_check"))
    by_status = dict(store.read("SELECT status, count(*) FROM runs GROUP BY status ORDER BY status"))
    counts = {
        table: store.read(f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608 - fixed table names
        for table in ("experiments", "runs", "params", "metric_keys", "metric_points", "tags",
                      "artifacts", "datasets", "environments", "hypotheses", "metric_definitions")
    }
    referenced = {row[0] for row in store.read("SELECT DISTINCT sha256 FROM artifacts")}
    on_disk = dict(store.artifacts.digests_on_disk())
    size = sum(p.stat().st_size for p in store.path.parent.glob(store.path.name + "*") if p.is_file())
    return HealthReport(
        store=str(store.path),
        schema_version=store.schema_version(),
        integrity=integrity,
        runs_by_status=by_status,
        counts=counts,
        size_bytes=size + sum(p.stat().st_size for p in on_disk.values()),
        orphaned_files=sorted(str(on_disk[d]) for d in set(on_disk) - referenced),
        missing_files=sorted(referenced - set(on_disk)),
    )


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
