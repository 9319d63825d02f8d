"""How Python values become stored values and back: params keep their type, metrics are floats."""

from __future__ import annotations

import json
import math
import warnings
from typing import Any

from ..errors import InvalidValue, ValueTooLarge

MAX_NAME_LENGTH = 250
MAX_PARAM_BYTES = 64 * 1024
MAX_TAG_BYTES = 64 * 1024

_warned_repr: set[str] = set()


def check_name(name: object, what: str = "name") -> str:
    """Return `name` if it can name a param, metric, tag or artifact; else raise with the fix."""
    if not isinstance(name, str) or not name:
        raise InvalidValue(f"a {what} must be a non-empty string, got {name!r}")
    if len(name) > MAX_NAME_LENGTH:
        raise ValueTooLarge(
            f"{what} {name[:40]!r}... is {len(name)} characters long; the limit is {MAX_NAME_LENGTH}"
        )
    if (
        "\x00" in name
    ):  # SQL text (the runs_wide view names a column per param and metric) cannot hold NUL
        raise InvalidValue(f"a {what} cannot contain the NUL character (\\x00): {name[:60]!r}")
    return name


def encode_tag(key: str, value: Any) -> str:
    """Return a tag's value as text, or raise if it is over the size limit."""
    return _checked_size(key, str(value), "tag", MAX_TAG_BYTES)


def encode_param(key: str, value: Any) -> tuple[Any, str]:
    """Return `(stored_value, kind)` for a param value.

    >>> encode_param("lr", 0.01)
    (0.01, 'float')
    """
    if value is None:
        return None, "none"
    if isinstance(value, bool):
        return int(value), "bool"
    if isinstance(value, int):
        if -(2**63) <= value < 2**63:
            return value, "int"
        return _checked_size(key, str(value)), "bigint"
    if isinstance(value, float):
        return value, "float"
    if isinstance(value, str):
        return _checked_size(key, value), "str"
    _refuse_big(key, value)  # before serialising: a 100 MB array must not cost seconds to refuse
    value = _from_numpy(value)
    if isinstance(value, (bool, int, float, str)):
        return encode_param(key, value)
    try:
        text = json.dumps(value, allow_nan=True, sort_keys=isinstance(value, dict))
    except (TypeError, ValueError):
        text = repr(value)
        if key not in _warned_repr:
            _warned_repr.add(key)
            warnings.warn(
                f"labtrack: param {key!r} of type {type(value).__name__} is not JSON-serialisable;"
                " stored as its repr()",
                stacklevel=3,
            )
        return _checked_size(key, text), "repr"
    return _checked_size(key, text), "json"


def decode_param(stored: Any, kind: str) -> Any:
    """Return the Python value of a stored param (the inverse of `encode_param`)."""
    if kind == "none":
        return None
    if kind == "bool":
        return bool(stored)
    if kind == "int":
        return int(stored)
    if kind == "bigint":
        return int(stored)
    if kind == "float":
        return float(stored) if stored is not None else math.nan
    if kind == "json":
        return json.loads(stored)
    return stored


def metric_value(name: str, value: Any) -> float:
    """Return `value` as a float, or raise an error that says what a metric may be and how to
    record this value instead."""
    try:
        return float(value)
    except (TypeError, ValueError):
        pass
    shape = getattr(value, "shape", None)
    if shape is not None or isinstance(value, (list, tuple)):
        what = (
            f"{type(value).__name__} of shape {tuple(shape)}"
            if shape is not None
            else f"{type(value).__name__} of {len(value)}"
        )
        fix = (
            f"log one number per step (for i, v in enumerate(values): lt.log(step=i, {name}=v)),"
            f" a summary (lt.log({name}=float(values.mean()))), or the whole as an artifact (lt.log_artifact)"
        )
    else:
        what = f"{type(value).__name__} {value!r:.60}"
        fix = "log text as a param (lt.log_params) or a tag"
    raise InvalidValue(f"metric {name!r} must be a number, got {what}; {fix}")


def _refuse_big(key: str, value: Any) -> None:
    """Raise at once for arrays, frames and long containers that cannot fit in a param."""
    size = getattr(value, "nbytes", None)
    if size is None and hasattr(value, "memory_usage") and hasattr(value, "shape"):
        size = int(value.memory_usage(index=False, deep=False).sum())  # a pandas frame or series
    if (
        size is None
        and isinstance(value, (list, tuple, dict, set))
        and len(value) > MAX_PARAM_BYTES // 2
    ):
        size = len(value) * 2  # at least a character and a comma each
    if size is not None and size > MAX_PARAM_BYTES:
        shape = getattr(value, "shape", None)
        what = f"{type(value).__name__}" + (
            f" of shape {tuple(shape)}" if shape is not None else ""
        )
        raise ValueTooLarge(
            f"param {key!r} is a {what} of about {size:,} bytes; params are small settings (limit"
            f" {MAX_PARAM_BYTES:,} bytes), so it was not recorded. Record data with lt.log_dataset(df, {key!r})"
            f" (its fingerprint, schema and shape) or store it with lt.log_artifact({key}, name={key!r})"
        )


def _checked_size(key: str, text: str, what: str = "param", limit: int = MAX_PARAM_BYTES) -> str:
    if len(text) > limit // 4 and len(text.encode("utf-8")) > limit:
        raise ValueTooLarge(
            f"{what} {key!r} is {len(text.encode('utf-8')):,} bytes; the limit is {limit:,}."
            " Store large values as an artifact: lt.log_artifact(value, name=...)"
        )
    return text


def _from_numpy(value: Any) -> Any:
    """numpy scalars and arrays become plain Python values (without importing numpy)."""
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "shape", None) == ():
        return item()
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return tolist()
    return value
