"""The read methods of `Store` (a mixin, so store.py keeps to the writes): runs, records, histories,
counts and the change marker, each in one snapshot. The query code itself is in reads.py,
listing.py, frames.py and downsample.py."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import AbstractContextManager
from typing import Any

from ..errors import RunNotFound
from . import reads
from .artifacts import ArtifactFiles
from .connection import schema_version


class StoreReads:
    """What `Store` answers without writing. Needs `conn`, `lock`, `artifacts`, `read` and `snapshot`."""

    conn: sqlite3.Connection
    lock: threading.RLock
    artifacts: ArtifactFiles

    def read(self, sql: str, params: Any = ()) -> list[tuple]:  # provided by Store
        raise NotImplementedError

    def snapshot(self) -> AbstractContextManager[sqlite3.Connection]:  # provided by Store
        raise NotImplementedError

    def resolve_run(self, ref: int | str) -> int:
        """The run number for a reference: `12`, `'#12'`, a uuid (or its prefix), or a run name."""
        with self.lock:
            return reads.resolve_run(self.conn, ref)

    def run_record(self, ref: int | str) -> reads.RunRecord:
        with self.snapshot() as conn:
            return reads.run_record(conn, reads.resolve_run(conn, ref), self.artifacts)

    def runs_frame(self, filter: str | None = None, experiment: str | None = None, **options: Any):
        """The runs frame; options: columns, order_by, limit, offset (see frames.runs_frame)."""
        # one snapshot: a run written between its queries would otherwise have params but no row
        with self.snapshot() as conn:
            return reads.runs_frame(conn, filter, experiment, **options)

    def runs_table(self, filter: str | None = None, experiment: str | None = None, **only: Any):
        """The runs as plain records, without pandas (see listing.py; `only`: after=N, numbers=[...],
        order_by, limit, offset)."""
        from .listing import runs_table

        with self.snapshot() as conn:
            return runs_table(conn, filter, experiment, **only)

    def history(self, run_ids: list[int], metrics: list[str], **options: Any):
        """Tidy histories (options: thin=N for series thinned to about N points, at_step)."""
        with self.snapshot() as conn:
            return reads.history_frame(conn, run_ids, metrics, **options)

    def exact_summaries(self, run_ids: list[int], metrics: list[str], *, longer_than: int = 0):
        """(run, metric) -> {"mean", "last"} of series longer than `longer_than` (see reads.py)."""
        with self.snapshot() as conn:
            return reads.exact_summaries(conn, run_ids, metrics, longer_than)

    def chart_history(
        self, run_ids: list[int], metric: str, max_points: int = 2000
    ) -> dict[int, dict]:
        """Histories thinned for charts (min and max per bucket of steps); see downsample.py."""
        from .downsample import history_for_chart

        with self.lock:
            return history_for_chart(self.conn, run_ids, metric, max_points)

    def run_code(self, run_ids: list[int]) -> dict[int, str]:
        """The cell code recorded for each of these runs (runs without code are left out)."""
        marks = ",".join("?" for _ in run_ids) or "NULL"
        return dict(
            self.read(
                f"SELECT id, code FROM runs WHERE id IN ({marks}) AND code IS NOT NULL", run_ids
            )
        )

    def change_marker(self) -> int:
        return self.read("SELECT version FROM changes WHERE id = 1")[0][0]

    def run_count(self) -> int:
        """How many runs the store holds."""
        return self.read("SELECT count(*) FROM runs")[0][0]

    def run_names(self, run_ids: list[int]) -> dict[int, str | None]:
        """The name of each run, in the order given; RunNotFound names the first missing one.

        >>> store.run_names([3, 4])
        {3: 'baseline', 4: None}
        """
        marks = ",".join("?" for _ in run_ids) or "NULL"
        found = dict(self.read(f"SELECT id, name FROM runs WHERE id IN ({marks})", run_ids))
        missing = [r for r in run_ids if r not in found]
        if missing:
            raise RunNotFound(f"no run #{missing[0]} in this store; `labtrack runs` lists the runs")
        return {r: found[r] for r in run_ids}

    def metric_counts(self, run_ids: list[int], metric: str) -> dict[int, int]:
        """How many points of `metric` each run has written so far (runs without it are left out): a
        cheap version of its history, which changes whenever points are written."""
        marks = ",".join("?" for _ in run_ids) or "NULL"
        return dict(
            self.read(
                "SELECT s.run_id, s.count + s.nan_count FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id"
                f" WHERE k.name = ? AND s.run_id IN ({marks})",
                [metric, *run_ids],
            )
        )

    def artifact_info(self, digest: str) -> tuple[str, list[str]] | None:
        """The recorded media type and names of the artifact with this sha256; None if no run has it."""
        rows = self.read(
            "SELECT media_type, name FROM artifacts WHERE sha256 = ? ORDER BY created, name",
            (digest,),
        )
        if not rows:
            return None
        return rows[0][0], list(dict.fromkeys(name for _, name in rows))

    def schema_version(self) -> str:
        with self.lock:
            return schema_version(self.conn)
