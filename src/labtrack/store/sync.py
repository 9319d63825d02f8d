"""Read queries that pushing to another tracker needs: which runs to send, and every metric point."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .store import Store

# One metric point as pushed: (step, value, wall_ms); NaN is stored as NULL and read back as NaN.
Point = tuple[int, float, int]


def selected_run_ids(store: Store, filter: str | None = None) -> list[int]:
    """Numbers of the runs matching `filter` (all runs when None), oldest first.

    >>> selected_run_ids(store, "attributes.status = 'finished'")
    [1, 2, 4]
    """
    from .filters import compile_filter

    where, args = compile_filter(filter)
    return [
        row[0]
        for row in store.read(
            f"SELECT r.id FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE {where} ORDER BY r.id",
            args,
        )
    ]


def metric_points(store: Store, run_id: int) -> dict[str, list[Point]]:
    """Every metric point of a run, by metric name, each list sorted by step.

    >>> metric_points(store, 3)["loss"][:2]
    [(0, 0.9, 1732550400000), (1, 0.7, 1732550400012)]
    """
    out: dict[str, list[Point]] = {}
    nan = math.nan
    for name, step, value, wall_ms in store.read(
        "SELECT k.name, p.step, p.value, p.wall_ms FROM metric_points p"
        " JOIN metric_keys k ON k.id = p.key_id WHERE p.run_id = ? ORDER BY k.name, p.step",
        (run_id,),
    ):
        out.setdefault(name, []).append((step, nan if value is None else value, wall_ms))
    return out
