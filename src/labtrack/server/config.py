"""The server extension's settings, read from Jupyter's config files and command line.

>>> # jupyter_server_config.py
>>> c.LabtrackExtension.store_dir = "/data/project/.labtrack"
"""

from __future__ import annotations

import os
from pathlib import Path

from traitlets import Unicode
from traitlets.config import Configurable

from ..store.location import STORE_DIRNAME, StoreLocation, resolve_store


class LabtrackExtension(Configurable):
    """Settings of labtrack's Jupyter server extension (`c.LabtrackExtension.<name>`)."""

    store_dir = Unicode(
        "",
        config=True,
        help=(
            "The store the panel shows (a folder, or its labtrack.db file). Empty: LABTRACK_DIR if"
            " set, else <root_dir>/.labtrack. When set, kernels started by this server record there too."
        ),
    )

    def store_location(self, root_dir: str | os.PathLike[str]) -> StoreLocation:
        """Where the store is: `store_dir`, else LABTRACK_DIR, else `<root_dir>/.labtrack`."""
        if self.store_dir:
            return resolve_store(self.store_dir)
        if os.environ.get("LABTRACK_DIR"):
            return resolve_store(os.environ["LABTRACK_DIR"])
        return resolve_store(Path(root_dir).expanduser() / STORE_DIRNAME)
