"""What the REST API asks of the store, with no web framework in sight (handlers call it in a thread).

>>> from labtrack.store import resolve_store
>>> service = StoreService(resolve_store("/tmp/project/.labtrack"))
>>> service.status()["runs"]
0
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import TypedDict

from ..store.location import StoreLocation

READ_TIMEOUT_S = 5.0


class Status(TypedDict):
    """`GET /labtrack/api/status`: which store, which labtrack, how many runs, the change marker."""

    store: str
    version: str
    runs: int
    change: int


def labtrack_version() -> str:
    """The installed labtrack's version (the one in jupyter_ext/package.json at build time)."""
    try:
        return version("labtrack")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


@dataclass(frozen=True)
class StoreService:
    """The store as the server sees it. Every method blocks: call it with `asyncio.to_thread`."""

    location: StoreLocation

    def status(self) -> Status:
        """The store's path, the run count and the change marker; zeros for a store not yet written."""
        runs = self._scalar("SELECT count(*) FROM runs")
        change = self._scalar("SELECT version FROM changes WHERE id = 1")
        return Status(
            store=str(self.location.folder),
            version=labtrack_version(),
            runs=runs,
            change=change,
        )

    def _scalar(self, sql: str) -> int:
        """One integer from a read-only connection; 0 when the file or table does not exist yet."""
        if not self.location.db_path.exists():
            return 0
        uri = f"{self.location.db_path.as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=READ_TIMEOUT_S)
        try:
            row = conn.execute(sql).fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):  # a fresh store that no kernel has written to yet
                return 0
            raise
        finally:
            conn.close()
        return int(row[0]) if row and row[0] is not None else 0
