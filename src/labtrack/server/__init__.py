"""labtrack's Jupyter server extension (`labtrack.server`) and the entry points of its JupyterLab panel."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jupyter_server.serverapp import ServerApp


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where the built JupyterLab extension is (used by `jupyter-builder develop`).

    An absolute `src`, so the answer holds whichever module re-exports this function.
    """
    return [{"src": str(Path(__file__).parent.parent / "labextension"), "dest": "labtrack"}]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "labtrack.server"}]


def _load_jupyter_server_extension(server_app: ServerApp) -> None:
    """Make sure the store folder exists, then register the REST routes."""
    from .config import LabtrackExtension
    from .routes import setup_routes
    from .service import LabService

    settings = LabtrackExtension(parent=server_app)
    folder = settings.store_folder(server_app.root_dir)
    folder.mkdir(parents=True, exist_ok=True)
    if settings.store_dir:  # kernels this server starts then record into the store the panel shows
        os.environ["LABTRACK_DIR"] = str(folder)
    setup_routes(server_app.web_app, LabService(folder, root_dir=server_app.root_dir))
    server_app.log.info("labtrack: store %s", folder)
