"""The store: the only code that writes SQL (DESIGN §3)."""

from .location import StoreLocation, resolve_store
from .reads import ArtifactRecord, MetricSummary, RunRecord
from .store import Store

__all__ = [
    "ArtifactRecord",
    "MetricSummary",
    "RunRecord",
    "Store",
    "StoreLocation",
    "resolve_store",
]
