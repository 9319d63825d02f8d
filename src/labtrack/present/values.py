"""What a value is, the same for every face: missing or not, its plain Python form, equality with
its type, how a param shows its type, and the one JSON rule for numbers.

The JSON rule (docs/rest-api.md), for every face: a finite number is a JSON number; +inf and -inf are
the strings "inf" and "-inf" (they round-trip: `from_json(json_number(x)) == x`); a missing number is
null, and so is a NaN metric number, because in frames and summaries NaN is how pandas spells "no
value". A param or tag whose value *is* the float NaN keeps it as "nan" (`json_safe`).
Nothing here imports pandas or numpy.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

__all__ = [
    "display_value",
    "from_json",
    "is_missing",
    "json_number",
    "json_safe",
    "plain",
    "run_label",
    "same_value",
]

_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def is_missing(value: Any) -> bool:
    """True for None, pd.NA and NaT: a value that is not there (NaN is a value)."""
    return value is None or type(value).__name__ in ("NAType", "NaTType")


def plain(value: Any) -> Any:
    """The Python value of a numpy scalar (np.int64(1) -> 1); other values unchanged."""
    if type(value).__module__ == "numpy" and getattr(value, "shape", None) == ():  # a numpy scalar
        return value.item()
    return value


def same_value(a: Any, b: Any) -> bool:
    """Equal values of the same type: `same_value(1, 1.0)` is False; NaN equals NaN.

    >>> same_value(float("nan"), float("nan")), same_value(1, "1")
    (True, False)
    """
    a, b = plain(a), plain(b)
    if is_missing(a) or is_missing(b):
        return is_missing(a) and is_missing(b)
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return True
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # e.g. arrays
        return repr(a) == repr(b)


def display_value(value: Any) -> str | None:
    """How a param value is shown, so that its type is visible: `1`, `1.0`, `'1'`; None if missing.

    >>> display_value("rf"), display_value(1.0), display_value(None)
    ("'rf'", '1.0', None)
    """
    value = plain(value)
    return None if is_missing(value) else repr(value)


def run_label(number: int, name: Any) -> str:
    """How a run is named in tables and legends: `#3 baseline`, or `#3` for a run without a name."""
    return f"#{number}" if is_missing(name) or name == "" or name != name else f"#{number} {name}"


def json_number(value: Any) -> float | int | str | None:
    """A metric number as strict JSON: +inf, -inf as "inf", "-inf"; NaN and missing as None.

    >>> json_number(float("inf")), json_number(float("nan")), json_number(0.5)
    ('inf', None, 0.5)
    """
    value = plain(value)
    if is_missing(value):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def from_json(value: Any) -> Any:
    """The inverse of `json_number` for one value: "nan", "inf", "-inf" become floats again."""
    return _NON_FINITE.get(value, value) if isinstance(value, str) else value


def json_safe(value: Any) -> Any:
    """Any value as strict JSON: numbers per `json_number`, tuples as lists, times ISO 8601, the rest repr()."""
    value = plain(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if is_missing(value) or isinstance(value, (bool, int, float, str)):
        return None if is_missing(value) else value
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (datetime, date)):  # pd.Timestamp is a datetime
        return value.isoformat()
    if hasattr(value, "tolist"):  # a numpy array
        return json_safe(value.tolist())
    return repr(value)
