"""The records of a run recorded elsewhere (an MLflow import), as the bridge builds them and
`Store.import_run` writes them: plain dataclasses, shared by the store and the MLflow bridge."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# (step, value, wall_ms): one point of a metric's history
HistoryPoint = tuple[int, float, int]


@dataclass
class DatasetImport:
    """A dataset the run used, as MLflow describes it (digest: MLflow's; kept as the fingerprint)."""

    name: str
    digest: str
    context: str | None = None
    n_rows: int = 0
    n_cols: int = 0
    schema: dict[str, Any] = field(default_factory=dict)


@dataclass
class ArtifactImport:
    """An artifact's bytes, already fetched, under its name in the run."""

    name: str
    data: bytes
    media_type: str = "application/octet-stream"


@dataclass
class RunImport:
    """Everything one run brings: written together by `Store.import_run`, or not at all."""

    uuid: str
    experiment: str
    name: str | None
    status: str  # a labtrack status: finished, failed, interrupted, running, crashed
    start_time: float  # epoch seconds
    end_time: float | None = None
    params: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, list[HistoryPoint]] = field(default_factory=dict)
    datasets: list[DatasetImport] = field(default_factory=list)
    artifacts: list[ArtifactImport] = field(default_factory=list)
    parent_uuid: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # code, notebook, execution_count, error_*
