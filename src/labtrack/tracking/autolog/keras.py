"""Keras 3: `model.fit` records epochs, batch size, the optimizer's class and config
(`optimizer.learning_rate`, ...), the model's parameter count, and every epoch's logs
(`loss`, `val_loss`, `accuracy`, ...) as histories with step = epoch."""

from __future__ import annotations

import functools
import inspect
import sys
import warnings
from typing import TYPE_CHECKING, Any

from . import core
from .record import log_params, number

if TYPE_CHECKING:
    from ..run import Run

LIBRARY = "keras"
DEFAULT_BATCH_SIZE = 32  # what Keras uses for arrays when batch_size is None


def patch(module: str) -> None:
    """Wrap `keras.Model.fit` (Sequential and functional models inherit it)."""
    model = sys.modules["keras"].Model
    core.replace(LIBRARY, model, "fit", _wrap_fit)


def _callback(run: Run) -> Any:
    """A Keras callback that logs each epoch's logs at step = epoch."""
    import keras

    log = run.log_metrics

    class LogEpochs(keras.callbacks.Callback):
        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            values = {k: x for k, v in (logs or {}).items() if (x := number(v)) is not None}
            if values:
                log(values, epoch)

    return LogEpochs()


def _wrap_fit(fit: Any) -> Any:
    signature = inspect.signature(fit)

    @functools.wraps(fit)
    def fit_recorded(self: Any, *args: Any, **kwargs: Any) -> Any:
        run = core.recording_run(LIBRARY)
        if run is None:
            return fit(self, *args, **kwargs)
        call = core.guard(
            LIBRARY, "read fit's arguments", _prepare, signature, run, self, args, kwargs, run=run
        )
        if call is None:
            return fit(self, *args, **kwargs)
        args, kwargs = call
        with core.outer_fit():
            history = fit(self, *args, **kwargs)
        core.guard(LIBRARY, "record the model's size", _record_size, run, self, run=run)
        return history

    return fit_recorded


def _prepare(
    signature: inspect.Signature, run: Run, model: Any, args: tuple, kwargs: dict
) -> tuple[tuple, dict]:
    """Record the training settings; add the epoch callback (the user's list is copied, not changed)."""
    bound = signature.bind(model, *args, **kwargs)
    bound.apply_defaults()
    arguments = bound.arguments
    batch_size = arguments.get("batch_size")
    if batch_size is None and _is_array(arguments.get("x")):
        batch_size = DEFAULT_BATCH_SIZE
    params: dict[str, Any] = {"epochs": arguments.get("epochs"), "batch_size": batch_size}
    if arguments.get("validation_split"):
        params["validation_split"] = arguments["validation_split"]
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None:
        params["optimizer"] = type(optimizer).__name__
        with (
            warnings.catch_warnings()
        ):  # Keras' own NumPy 2 deprecation notice, not the user's concern
            warnings.simplefilter("ignore", DeprecationWarning)
            config = {k: _float32(v) for k, v in optimizer.get_config().items() if k != "name"}
        params.update({f"optimizer.{k}": v for k, v in config.items()})
    log_params(run, LIBRARY, params)
    callbacks = arguments.get("callbacks")
    arguments["callbacks"] = [*(callbacks or []), _callback(run)]
    return bound.args[1:], bound.kwargs


def _record_size(run: Run, model: Any) -> None:
    run.log_params(param_count=int(model.count_params()))


def _is_array(x: Any) -> bool:
    return hasattr(x, "shape") and hasattr(x, "dtype") or isinstance(x, (list, tuple, dict))


def _float32(value: Any) -> Any:
    """Optimizer settings live in float32: 0.009999999776 is 0.01 as the user wrote it."""
    if isinstance(value, float):
        import numpy as np

        return float(str(np.float32(value)))
    return value
