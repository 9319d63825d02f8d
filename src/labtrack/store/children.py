"""Finished child runs written in bulk: a search's 50 candidates or a study's trials cost one
transaction for the runs, params and tags, and one for their metric points, not six each."""

from __future__ import annotations

import time
import uuid as uuidlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..tracking.values import check_name, encode_param, encode_tag

if TYPE_CHECKING:
    from .store import Store


@dataclass
class ChildRun:
    """A finished run to record under a parent: its params, tags and (key, step, value) points."""

    name: str
    status: str = "finished"
    params: Mapping[str, Any] = field(default_factory=dict)
    tags: Mapping[str, Any] = field(default_factory=dict)
    points: list[tuple[str, int, float]] = field(default_factory=list)
    start_time: float | None = None


def add_children(
    store: Store, parent_id: int, experiment: str, children: list[ChildRun]
) -> list[int]:
    """Record finished `children` of run `parent_id`; return their run numbers, in order.
    A param or tag that cannot be encoded raises before anything is written.

    >>> add_children(store, 3, "Default", [ChildRun("GridSearchCV-0", params={"C": 0.1}, points=[("score", 0, 0.9)])])
    [4]
    """
    from .store import HOST

    exp_id = store.experiment_id(experiment)
    now = time.time()
    rows = [
        (
            [(check_name(k, "param name"), *encode_param(k, v)) for k, v in child.params.items()],
            [(check_name(k, "tag name"), encode_tag(k, v)) for k, v in child.tags.items()],
        )
        for child in children
    ]
    key_ids = {key: store.key_id(key) for child in children for key, _, _ in child.points}
    numbers: list[int] = []
    with store.write() as conn:
        for child, (params, tags) in zip(children, rows):
            cur = conn.execute(
                "INSERT INTO runs (uuid, experiment_id, name, status, start_time, end_time, parent_id, host, pid)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                (
                    uuidlib.uuid4().hex,
                    exp_id,
                    child.name,
                    child.status,
                    child.start_time or now,
                    now,
                    parent_id,
                    HOST,
                ),
            )
            run_id = int(cur.lastrowid)
            numbers.append(run_id)
            conn.executemany(
                "INSERT OR REPLACE INTO params (run_id, key, value, kind) VALUES (?, ?, ?, ?)",
                [(run_id, *p) for p in params],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO tags (run_id, key, value) VALUES (?, ?, ?)",
                [(run_id, *t) for t in tags],
            )
        store._note_param_keys(conn, sorted({p[0] for params, _ in rows for p in params}))
    wall_ms = int(now * 1000)
    points = [
        (number, key_ids[key], int(step), float(value), wall_ms)
        for number, child in zip(numbers, children)
        for key, step, value in child.points
    ]
    if points:
        store.write_points(points)
    return numbers
