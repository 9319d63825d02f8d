"""`Store`: the one object that owns labtrack's SQLite database and artifact folder."""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import socket
import sqlite3
import threading
import time
import uuid as uuidlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..tracking.failures import cannot_write
from ..tracking.values import check_name, encode_param, encode_tag
from .artifacts import ArtifactFiles
from .connection import open_connection
from .imports import RunImport, import_run
from .location import StoreLocation, resolve_store
from .points import PointWriter, group_points, insert_points, recompute_summaries, summarize
from .queries import StoreReads
from .schema import runs_wide_sql

STALE_AFTER_S = 60.0  # a running run whose heartbeat is older than this (on another host) crashed
HOST = socket.gethostname()


class Store(StoreReads):
    """A labtrack store: `labtrack.db` (SQLite, WAL) plus `artifacts/` beside it.

    >>> store = Store.open("/tmp/example/.labtrack")
    >>> run_id, run_uuid = store.create_run("Default", name="baseline")
    """

    def __init__(self, location: StoreLocation, conn: sqlite3.Connection):
        self.location = location
        self.conn = conn
        self.lock = threading.RLock()
        self.artifacts = ArtifactFiles(location.artifacts)
        self.points = PointWriter(self)
        self._key_ids: dict[str, int] = {}
        self._known_params: set[str] | None = None
        self._experiments: dict[str, int] = {}
        self.read_only: str | None = None  # why, when the store could only be opened for reading
        self._writable_tried = 0.0

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
        """Open the store at `path` (a folder or a .db file), or where DESIGN §3 says when None."""
        location = resolve_store(path)
        conn, read_only = open_connection(location.db_path, create=create)
        store = cls(location, conn)
        store.read_only = (
            read_only  # a read-only mount or copy, a full disk: reads work and never write
        )
        try:
            store.mark_crashed_runs()
        except sqlite3.OperationalError as exc:  # no sweep when it cannot write; reads go on
            if not cannot_write(exc):
                raise
        return store

    @property
    def path(self) -> Path:
        return self.location.db_path

    def close(self) -> None:
        """Flush buffered points and close the database."""
        self.points.stop()
        with self.lock:
            self.conn.close()

    # -- transactions ---------------------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE, so concurrent writers queue instead of failing)."""
        if self.read_only and not self._become_writable():
            raise StoreError(
                f"cannot write the store at {self.path}: it was opened for reading only ({self.read_only})"
            )
        with self.lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("UPDATE changes SET version = version + 1 WHERE id = 1")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _become_writable(self) -> bool:
        """A store opened for reading (full disk, read-only mount) tries, at most every few seconds,
        to open for writing again: space may have been freed meanwhile."""
        if time.monotonic() - self._writable_tried < 5.0:
            return False
        self._writable_tried = time.monotonic()
        conn, read_only = open_connection(self.path, create=False, allow_read_only=True)
        if read_only:
            conn.close()
            return False
        with self.lock:
            self.conn.close()
            self.conn, self.read_only = conn, None
        return True

    def read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        """Run a read query and return every row."""
        with self.lock:
            return self.conn.execute(sql, tuple(params)).fetchall()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Reads that see one state of the database, even while other processes write.

        >>> with store.snapshot():
        ...     change, frame = store.change_marker(), store.runs_frame()
        """
        with self.lock:
            conn = self.conn
            if conn.in_transaction:  # nested, or inside a write: already one state
                yield conn
                return
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    # -- experiments and runs ------------------------------------------------------------
    def experiment_id(self, name: str) -> int:
        """The id of experiment `name`, created when missing."""
        cached = self._experiments.get(name)
        if cached is not None:
            return cached
        check_name(name, "experiment name")
        with self.write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO experiments (name, created) VALUES (?, ?)",
                (name, time.time()),
            )
            (exp_id,) = conn.execute(
                "SELECT id FROM experiments WHERE name = ?", (name,)
            ).fetchone()
        self._experiments[name] = exp_id
        return exp_id

    def create_run(
        self,
        experiment: str,
        *,
        name: str | None = None,
        parent_id: int | None = None,
        hypothesis_id: int | None = None,
        fields: dict[str, Any] | None = None,
    ) -> tuple[int, str]:
        """Record a new running run; return its short number and uuid."""
        exp_id = self.experiment_id(experiment)
        run_uuid = uuidlib.uuid4().hex
        now = time.time()
        row = {
            "uuid": run_uuid,
            "experiment_id": exp_id,
            "name": name,
            "status": "running",
            "start_time": now,
            "heartbeat": now,
            "parent_id": parent_id,
            "hypothesis_id": hypothesis_id,
            "host": HOST,
            "pid": os.getpid(),
            **(fields or {}),
        }
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self.write() as conn:
            cur = conn.execute(
                f"INSERT INTO runs ({columns}) VALUES ({marks})", tuple(row.values())
            )
            run_id = int(cur.lastrowid)
            if hypothesis_id is not None:
                conn.execute(
                    "INSERT INTO hypothesis_runs (hypothesis_id, run_id, role) VALUES (?, ?, 'treatment')",
                    (hypothesis_id, run_id),
                )
        self.points.running_runs.add(run_id)
        self.points.start()
        return run_id, run_uuid

    RUN_FIELDS = frozenset(
        {
            "name",
            "notebook",
            "code",
            "execution_count",
            "environment_id",
            "hypothesis_id",
            "error_type",
            "error_message",
            "traceback",
            "parent_id",
        }
    )

    def update_run(self, run_id: int, **fields: Any) -> None:
        """Set attributes of a run (code, notebook, environment_id, ...)."""
        unknown = set(fields) - self.RUN_FIELDS
        if unknown:
            raise ValueError(
                f"unknown run fields {sorted(unknown)}; use one of {sorted(self.RUN_FIELDS)}"
            )
        if not fields:
            return
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self.write() as conn:
            conn.execute(f"UPDATE runs SET {assignments} WHERE id = ?", (*fields.values(), run_id))

    def end_run(self, run_id: int, status: str, **fields: Any) -> None:
        """Flush the run's points and record how it ended (finished, failed, interrupted)."""
        self.points.running_runs.discard(run_id)
        end_time = time.time()

        def record_end() -> None:
            self.update_run(run_id, **fields)
            with self.write() as conn:
                conn.execute(
                    "UPDATE runs SET status = ?, end_time = ?, heartbeat = NULL WHERE id = ?",
                    (status, end_time, run_id),
                )

        try:
            self.points.flush()
            record_end()
        except (
            Exception
        ):  # the store cannot be written now: the flusher records the end when it can
            if record_end not in self.points.pending_ends:
                self.points.pending_ends.append(record_end)
            raise

    def heartbeat(self, run_ids: Iterable[int], conn: sqlite3.Connection | None = None) -> None:
        """Mark runs as alive now (and revive any that another process wrongly marked crashed)."""
        ids = list(run_ids)
        if not ids:
            return
        rows = [(time.time(), run_id) for run_id in ids]
        sql = "UPDATE runs SET heartbeat = ?, status = 'running' WHERE id = ? AND status IN ('running', 'crashed')"
        if conn is not None:
            conn.executemany(sql, rows)
            return
        with self.write() as conn:
            conn.executemany(sql, rows)

    def mark_crashed_runs(self) -> int:
        """Mark running runs whose writer is gone (dead pid here, or stale heartbeat) as crashed."""
        if self.read_only:
            return 0  # reading only: the next writer does the sweep
        # pid NULL: a run imported while it ran elsewhere (MLflow), which no process here writes
        rows = self.read(
            "SELECT id, host, pid, heartbeat FROM runs WHERE status = 'running' AND pid IS NOT NULL"
        )
        now = time.time()
        crashed = [
            run_id
            for run_id, host, pid, beat in rows
            if pid != os.getpid()
            and ((host == HOST and not _pid_alive(pid)) or (beat or 0) < now - STALE_AFTER_S)
        ]
        if crashed:
            with self.write() as conn:
                conn.executemany(
                    "UPDATE runs SET status = 'crashed', end_time = heartbeat WHERE id = ? AND status = 'running'",
                    [(run_id,) for run_id in crashed],
                )
        return len(crashed)

    # -- params and tags ------------------------------------------------------------------
    def set_params(self, run_id: int, params: dict[str, Any]) -> None:
        """Record params (a second value for the same name replaces the first)."""
        rows = [
            (run_id, check_name(k, "param name"), *encode_param(k, v)) for k, v in params.items()
        ]
        with self.write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO params (run_id, key, value, kind) VALUES (?, ?, ?, ?)", rows
            )
            self._note_param_keys(conn, [row[1] for row in rows])

    def set_tags(self, run_id: int, tags: dict[str, Any]) -> None:
        """Record tags (text labels)."""
        rows = [(run_id, check_name(k, "tag name"), encode_tag(k, v)) for k, v in tags.items()]
        with self.write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO tags (run_id, key, value) VALUES (?, ?, ?)", rows
            )

    def _note_param_keys(self, conn: sqlite3.Connection, keys: list[str]) -> None:
        if self._known_params is None:
            self._known_params = {r[0] for r in conn.execute("SELECT DISTINCT key FROM params")}
            self._refresh_runs_wide(conn)
        elif not self._known_params.issuperset(keys):
            self._known_params.update(keys)
            self._refresh_runs_wide(conn)

    def _refresh_runs_wide(self, conn: sqlite3.Connection) -> None:
        params = sorted(r[0] for r in conn.execute("SELECT DISTINCT key FROM params"))
        metrics = sorted(r[0] for r in conn.execute("SELECT name FROM metric_keys"))
        conn.execute("DROP VIEW IF EXISTS runs_wide")
        conn.execute(runs_wide_sql(params, metrics))

    # -- metrics --------------------------------------------------------------------------
    def key_id(self, name: str) -> int:
        """The integer id of metric `name` (interned once per store)."""
        key_id = self._key_ids.get(name)
        if key_id is None:
            check_name(name, "metric name")
            with self.write() as conn:
                cur = conn.execute("INSERT OR IGNORE INTO metric_keys (name) VALUES (?)", (name,))
                key_id = conn.execute(
                    "SELECT id FROM metric_keys WHERE name = ?", (name,)
                ).fetchone()[0]
                if cur.rowcount:
                    self._refresh_runs_wide(conn)
            self._key_ids[name] = key_id
        return key_id

    def write_points(
        self,
        points: list[tuple],
        running: Iterable[int] = (),
        recompute: set | frozenset = frozenset(),
    ) -> None:
        """Write a batch of (run_id, key_id, step, value, wall_ms) points and their summaries;
        the summaries of the `recompute` (run, key) pairs are rebuilt from their whole history."""
        points = group_points(points)
        sums = summarize(points)
        for pair in recompute:
            sums.pop(pair, None)
        with self.write() as conn:
            insert_points(conn, points)
            conn.executemany(_MERGE_SUMMARY, [(*k, *v) for k, v in sums.items()])
            if recompute:
                recompute_summaries(conn, recompute)
            self.heartbeat(running, conn)

    # -- artifacts, datasets, environments -----------------------------------------------
    def add_artifact(self, run_id: int, name: str, data: bytes, media_type: str) -> str:
        """Store `data` content-addressed and record it as the run's artifact `name`; return its sha256."""
        check_name(name, "artifact name")
        digest = self.artifacts.put(data)
        with self.write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO artifacts (run_id, name, sha256, size, media_type, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, name, digest, len(data), media_type, time.time()),
            )
        return digest

    def add_dataset(
        self,
        run_id: int,
        name: str,
        fingerprint: str,
        shape: tuple[int, int],
        schema: dict,
        context: str | None = None,
    ) -> None:
        """Record a dataset a run used: its content fingerprint, shape, column types and role."""
        with self.write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO datasets (run_id, name, fingerprint, n_rows, n_cols, schema, created,"
                " context) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    check_name(name, "dataset name"),
                    fingerprint,
                    shape[0],
                    shape[1],
                    json.dumps(schema),
                    time.time(),
                    context,
                ),
            )

    def environment_id(self, data: dict[str, Any]) -> int:
        """Store an environment snapshot once (deduplicated by hash) and return its id."""
        text = json.dumps(data, sort_keys=True, default=str)
        digest = hashlib.sha256(text.encode()).hexdigest()
        with self.write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO environments (hash, data, created) VALUES (?, ?, ?)",
                (digest, text, time.time()),
            )
            return conn.execute("SELECT id FROM environments WHERE hash = ?", (digest,)).fetchone()[
                0
            ]

    def import_run(self, run: RunImport) -> int:
        """Write a run recorded elsewhere whole, or nothing (see imports.py); return its number."""
        return import_run(self, run)

    def run_number(self, run_uuid: str) -> int | None:
        """The number of the run with this exact uuid, or None."""
        rows = self.read("SELECT id FROM runs WHERE uuid = ?", (run_uuid,))
        return rows[0][0] if rows else None


_MERGE_SUMMARY = """
INSERT INTO metric_summaries (run_id, key_id, last, last_step, min, max, sum, count, nan_count)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (run_id, key_id) DO UPDATE SET
  last = CASE WHEN excluded.last_step >= last_step THEN excluded.last ELSE last END,
  last_step = max(last_step, excluded.last_step),
  min = CASE WHEN min IS NULL OR excluded.min < min THEN excluded.min ELSE min END,
  max = CASE WHEN max IS NULL OR excluded.max > max THEN excluded.max ELSE max END,
  sum = COALESCE(sum + excluded.sum, 0.0),  -- NULL: +inf met -inf (see points._total)
  count = count + excluded.count,
  nan_count = nan_count + excluded.nan_count
"""


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


__all__ = ["Store", "math"]
