"""labtrack: a lab notebook for data exploration in Jupyter.

>>> import labtrack as lt
>>> with lt.run("baseline", params={"lr": 0.01}):
...     lt.log(loss=0.31, acc=0.88)
>>> lt.runs("metrics.acc > 0.8")
"""

from __future__ import annotations

from .api import (
    active_run,
    compare,
    end_run,
    get_run,
    history,
    log,
    log_artifact,
    log_dataset,
    log_params,
    open,
    run,
    runs,
    start_run,
)
from .errors import (
    ActiveRunError,
    FilterError,
    LabtrackError,
    NotALabtrackStore,
    RunNotFound,
    StoreError,
    StoreTooNew,
)
from .hypotheses_api import close as close_hypothesis
from .hypotheses_api import hypotheses, hypothesis, metric, repeat, verdict

__version__ = "0.1.0"

__all__ = [
    "ActiveRunError",
    "FilterError",
    "LabtrackError",
    "NotALabtrackStore",
    "RunNotFound",
    "StoreError",
    "StoreTooNew",
    "active_run",
    "close_hypothesis",
    "compare",
    "hypotheses",
    "hypothesis",
    "metric",
    "repeat",
    "verdict",
    "end_run",
    "get_run",
    "history",
    "log",
    "log_artifact",
    "log_dataset",
    "log_params",
    "open",
    "run",
    "runs",
    "start_run",
]
