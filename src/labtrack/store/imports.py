"""Writing a whole run that was recorded elsewhere (an MLflow import): one transaction, all or nothing.

>>> run = RunImport(uuid="3f2a...", experiment="Default", name="baseline", status="finished",
...                 start_time=1714521600.0, end_time=1714521660.0, params={"lr": 0.01})
>>> number = store.import_run(run)
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

from ..tracking.imported import DatasetImport, RunImport
from ..tracking.values import check_name, encode_param, encode_tag
from .points import group_points, insert_points, summarize

if TYPE_CHECKING:
    from .store import Store

_FIELDS = ("code", "notebook", "execution_count", "error_type", "error_message", "traceback")


def import_run(store: Store, run: RunImport) -> int:
    """Write `run` whole in one transaction and return its number; a run with this uuid already in
    the store is left as it is (importing twice adds nothing) and its number returned."""
    if (number := store.run_number(run.uuid)) is not None:
        return number
    exp_id = store.experiment_id(run.experiment)
    key_ids = {name: store.key_id(name) for name in run.metrics}  # interned outside: harmless alone
    digests = [(a, store.artifacts.put(a.data)) for a in run.artifacts]  # unreferenced files: `gc`
    params = [(check_name(k, "param name"), *encode_param(k, v)) for k, v in run.params.items()]
    tags = [(check_name(k, "tag name"), encode_tag(k, v)) for k, v in run.tags.items()]
    unknown = set(run.fields) - set(_FIELDS)
    if unknown:
        raise ValueError(f"unknown run fields {sorted(unknown)}; use some of {list(_FIELDS)}")
    now = time.time()
    with store.write() as conn:
        parent = None
        if run.parent_uuid:
            row = conn.execute("SELECT id FROM runs WHERE uuid = ?", (run.parent_uuid,)).fetchone()
            parent = row[0] if row else None
        extra = ", ".join(run.fields)
        cur = conn.execute(
            f"INSERT INTO runs (uuid, experiment_id, name, status, start_time, end_time, parent_id"
            f"{', ' + extra if extra else ''}) VALUES (?, ?, ?, ?, ?, ?, ?{', ?' * len(run.fields)})",
            (
                run.uuid,
                exp_id,
                run.name,
                run.status,
                run.start_time,
                run.end_time,
                parent,
                *run.fields.values(),
            ),
        )
        number = int(cur.lastrowid)
        conn.executemany(
            "INSERT INTO params (run_id, key, value, kind) VALUES (?, ?, ?, ?)",
            [(number, *p) for p in params],
        )
        conn.executemany(
            "INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?)", [(number, *t) for t in tags]
        )
        points = [  # NaN goes in as NaN: SQLite stores it as NULL, summaries count it
            (number, key_ids[name], step, value, wall_ms)
            for name, history in run.metrics.items()
            for step, value, wall_ms in history
        ]
        if points:
            points = group_points(points)
            insert_points(conn, points)
            conn.executemany(_SUMMARY, [(*k, *v) for k, v in summarize(points).items()])
        conn.executemany(
            "INSERT INTO datasets (run_id, name, fingerprint, n_rows, n_cols, schema, created, context)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (number, d.name, d.digest, d.n_rows, d.n_cols, json.dumps(d.schema), now, d.context)
                for d in _one_per_name(run.datasets)
            ],
        )
        conn.executemany(
            "INSERT OR REPLACE INTO artifacts (run_id, name, sha256, size, media_type, created)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(number, a.name, digest, len(a.data), a.media_type, now) for a, digest in digests],
        )
        store._note_param_keys(conn, [p[0] for p in params])  # runs_wide: new columns
    return number


def _one_per_name(datasets: list[DatasetImport]) -> list[DatasetImport]:
    """A run holds one dataset per name: the last one given wins, as `lt.log_dataset` does."""
    return list({d.name: d for d in datasets}.values())


_SUMMARY = (
    "INSERT INTO metric_summaries (run_id, key_id, last, last_step, min, max, sum, count, nan_count)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
