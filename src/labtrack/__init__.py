"""labtrack: a lab notebook for data exploration in Jupyter.

>>> import labtrack as lt
>>> with lt.run("baseline", params={"lr": 0.01}):
...     lt.log(loss=0.31, acc=0.88)
>>> lt.runs("metrics.acc > 0.8")
"""

from __future__ import annotations

from .client import Lab
from .errors import (
    ActiveRunError,
    FilterError,
    LabtrackError,
    NotALabtrackStore,
    RunNotFound,
    StoreError,
    StoreTooNew,
)
from .fluent.evidence import close as close_hypothesis
from .fluent.evidence import hypotheses, hypothesis, metric, rebase, repeat, repeats, verdict
from .fluent.runs import (
    compare,
    end_run,
    get_run,
    history,
    import_mlflow,
    log,
    log_artifact,
    log_dataset,
    log_params,
    push_mlflow,
    run,
    runs,
    start_run,
)
from .fluent.session import active_run, open
from .tracking.autolog.core import autolog
from .tracking.autolog.core import install as _install_autolog

_install_autolog(
    active_run
)  # on by default: records fits into the active run (LABTRACK_AUTOLOG=0: off)

try:
    from ._version import __version__  # written by the build from jupyter_ext/package.json
except ImportError:  # a source tree that was never installed
    __version__ = "0.0.0"


def load_ipython_extension(ip) -> None:  # noqa: ANN001 - IPython's shell
    """`%load_ext labtrack`: %%track, %track, %hypothesis, %metric and the cell hooks."""
    from .notebook import hypothesis_magics, magics

    magics.load_ipython_extension(ip)
    hypothesis_magics.register(ip)


def unload_ipython_extension(ip) -> None:  # noqa: ANN001
    """`%unload_ext labtrack`: remove the magics and hooks."""
    from .notebook import hypothesis_magics, magics

    magics.unload_ipython_extension(ip)
    hypothesis_magics.unregister(ip)


# Entry points of the JupyterLab extension (cheap: the server code loads only when Jupyter calls them).
from .server import (  # noqa: E402, F401
    _jupyter_labextension_paths,
    _jupyter_server_extension_points,
    _load_jupyter_server_extension,  # noqa: E402, F401
)

__all__ = [
    "ActiveRunError",
    "Lab",
    "FilterError",
    "LabtrackError",
    "NotALabtrackStore",
    "RunNotFound",
    "StoreError",
    "StoreTooNew",
    "active_run",
    "autolog",
    "close_hypothesis",
    "compare",
    "hypotheses",
    "hypothesis",
    "metric",
    "rebase",
    "repeat",
    "repeats",
    "verdict",
    "end_run",
    "get_run",
    "history",
    "import_mlflow",
    "import_mlflow",
    "log",
    "log_artifact",
    "log_dataset",
    "log_params",
    "open",
    "push_mlflow",
    "run",
    "runs",
    "start_run",
]
