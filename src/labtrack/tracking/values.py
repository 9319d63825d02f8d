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
MAX_PARAM_ITEMS = 10_000  # a list, dict or array longer than this is data, not a param
MAX_ARRAY_PARAM = 100  # an array of up to this many items is kept as a list (a layer sizes array)

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
    problem = param_problem(value)
    if problem is not None:  # checked by size first: never serialise a 100 MB array to refuse it
        raise ValueTooLarge(f"param {key!r} is {problem}")
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


def a_kind(value: Any) -> str:
    """`value`'s type with its article, for messages: 'an ndarray', 'a DataFrame'."""
    kind = type(value).__name__
    vowel = kind[:1].lower() in "aeiou" or kind.startswith("nd")  # "an ndarray"
    return ("an " if vowel else "a ") + kind


def param_problem(value: Any) -> str | None:
    """Why `value` is data rather than a param (a frame, a big array or list), or None if it may be
    one. Cheap whatever the size: it looks at lengths and shapes, never serialises.

    >>> param_problem(list(range(20_000)))
    'a list of 20,000 items, too big for a param. Record data with lt.log_dataset(df, name) or lt.log_artifact(obj, name)'
    """
    fix = "Record data with lt.log_dataset(df, name) or lt.log_artifact(obj, name)"
    kind = a_kind(value)
    if hasattr(value, "iloc"):  # a pandas DataFrame or Series
        return f"{kind} of shape {tuple(value.shape)}, which is data, not a param. {fix}"
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple) and shape != () and not isinstance(value, type):
        size = getattr(value, "size", None)
        if not isinstance(size, int) or size > MAX_ARRAY_PARAM:
            nbytes = getattr(value, "nbytes", None)
            weight = f" ({nbytes / 1e6:,.1f} MB)" if isinstance(nbytes, int) else ""
            return f"{kind} of shape {shape}{weight}, which is data, not a param. {fix}"
        return None
    if isinstance(value, (bytes, bytearray)) and len(value) > MAX_PARAM_BYTES:
        return f"{len(value):,} bytes, too big for a param. {fix}"
    if isinstance(value, (list, tuple, dict, set)) and len(value) > MAX_PARAM_ITEMS:
        return f"{kind} of {len(value):,} items, too big for a param. {fix}"
    return None


def flatten_params(params: dict[str, Any]) -> dict[str, Any]:
    """Nested dicts become dotted names, so each value can be filtered and compared on its own;
    an empty dict, or one whose keys cannot name a param, stays one JSON value.

    >>> flatten_params({"cfg": {"lr": 0.1, "opt": {"name": "adam"}}, "seed": 1})
    {'cfg.lr': 0.1, 'cfg.opt.name': 'adam', 'seed': 1}
    """
    if not any(isinstance(v, dict) for v in params.values()):
        return params  # the usual case: nothing to walk
    flat: dict[str, Any] = {}
    for key, value in params.items():
        _flatten_into(flat, key, value)
    return flat


def _flatten_into(flat: dict[str, Any], key: str, value: Any) -> None:
    if (
        isinstance(value, dict)
        and value
        and len(value) <= MAX_PARAM_ITEMS
        and all(
            isinstance(k, str) and k and "\x00" not in k and len(key) + len(k) < MAX_NAME_LENGTH
            for k in value
        )
    ):
        for k, v in value.items():
            _flatten_into(flat, f"{key}.{k}", v)
    else:
        flat[key] = value


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
