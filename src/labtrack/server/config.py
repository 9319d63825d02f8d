"""The server extension's settings, read from Jupyter's config files and command line.

>>> # jupyter_server_config.py
>>> c.LabtrackExtension.store_dir = "/data/project/.labtrack"
"""

from __future__ import annotations

import os
from pathlib import Path

from traitlets import Unicode
from traitlets.config import Configurable

from ..client import STORE_DIRNAME, Lab


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

    def store_folder(self, root_dir: str | os.PathLike[str]) -> Path:
        """The store's folder: `store_dir`, else LABTRACK_DIR, else `<root_dir>/.labtrack`."""
        if self.store_dir:
            return Lab.locate(self.store_dir).parent
        if os.environ.get("LABTRACK_DIR"):
            return Lab.locate(os.environ["LABTRACK_DIR"]).parent
        return Lab.locate(Path(root_dir).expanduser() / STORE_DIRNAME).parent
