"""The push's progress bar on a terminal: runs, and metric points."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..client import RunRecord


def point_count(record: RunRecord) -> int:
    """How many metric points a run has (NaN points included)."""
    return sum(m.count + m.nan_count for m in record.metrics.values())


class PushProgress:
    """A rich progress bar (runs, and metric points) on stderr, or nothing when disabled."""

    def __init__(self, enabled: bool, records: list[RunRecord]):
        self.enabled = enabled and bool(records)
        self.total_runs = len(records)
        self.total_points = sum(point_count(r) for r in records)
        self.bar: Any = None

    def __enter__(self) -> PushProgress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(
                TextColumn("{task.description:<24}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
            )
            self.bar.start()
            self.runs = self.bar.add_task("runs", total=self.total_runs)
            self.points = self.bar.add_task("metric points", total=self.total_points)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def start_run(self, record: RunRecord) -> None:
        if self.bar is not None:
            self.bar.update(self.runs, description=f"run {record.label}"[:24])

    def end_run(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.runs)

    def advance(self, points: int) -> None:
        if self.bar is not None and points:
            self.bar.advance(self.points, points)
