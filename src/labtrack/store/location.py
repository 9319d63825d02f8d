"""Where the store lives (DESIGN §3): LABTRACK_DIR, else the nearest `.labtrack/` upwards, else `./.labtrack/`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

STORE_DIRNAME = ".labtrack"
DB_FILENAME = "labtrack.db"


@dataclass(frozen=True)
class StoreLocation:
    """The store's folder (artifacts live under it) and its SQLite file."""

    folder: Path
    db_path: Path

    @property
    def artifacts(self) -> Path:
        return self.folder / "artifacts"


def resolve_store(
    explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None
) -> StoreLocation:
    """Return where the store is (or will be), without creating anything.

    >>> resolve_store("/tmp/project/.labtrack").db_path
    PosixPath('/tmp/project/.labtrack/labtrack.db')
    """
    if explicit is not None:
        return _location(Path(explicit).expanduser())
    env = os.environ.get("LABTRACK_DIR")
    if env:
        return _location(Path(env).expanduser())
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        candidate = folder / STORE_DIRNAME
        if candidate.is_dir():
            return _location(candidate)
    return _location(start / STORE_DIRNAME)


def _location(path: Path) -> StoreLocation:
    """Accept either the store folder or a database file (then its folder holds the artifacts)."""
    path = path.absolute()
    if path.is_file() or path.suffix in {".db", ".sqlite", ".sqlite3"}:
        return StoreLocation(path.parent, path)
    return StoreLocation(path, path / DB_FILENAME)
