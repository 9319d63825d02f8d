"""The bound client: `Lab`, one object over one store that serves every face."""

from __future__ import annotations

from ..evidence.verdicts import Verdict
from ..store.hypotheses import HypothesisNotFound, HypothesisRecord, MetricDefinition
from ..store.listing import ColumnError, check_field
from ..store.location import STORE_DIRNAME
from ..store.reads import RUN_COLUMNS, ArtifactRecord, MetricSummary, RunRecord
from .evidence import HypothesisClosed, parse_id
from .lab import Lab

__all__ = [
    "ColumnError",
    "check_field",
    "RUN_COLUMNS",
    "STORE_DIRNAME",
    "ArtifactRecord",
    "HypothesisClosed",
    "HypothesisNotFound",
    "HypothesisRecord",
    "Lab",
    "MetricDefinition",
    "MetricSummary",
    "RunRecord",
    "Verdict",
    "parse_id",
]
