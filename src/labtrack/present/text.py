"""How numbers, durations and times read, the same in the CLI, widgets, exports and (through REST) the panel.

- numbers: 6 significant digits (`0.912346`, `1.5e-05`); NaN as `nan` (tables of many runs pass "");
- durations: `12.3s`, `4m05s`, `2h03m` (jupyter_ext/src/format.ts follows the same rule);
- times: `2026-12-01 09:30:00`, local time on screens, UTC in files (`utc=True`).
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from typing import Any

from .values import is_missing


def fmt_value(value: Any, nan: str = "nan") -> str:
    """A short, unambiguous rendering of a param or metric value for a table cell (`nan`: how NaN
    reads; tables of many runs pass "", since there NaN mostly means the run lacks the metric)."""
    if is_missing(value):
        return ""
    if isinstance(value, float):
        return nan if math.isnan(value) else f"{value:.6g}"
    if isinstance(value, str):
        return value
    return json.dumps(value) if isinstance(value, (list, dict)) else str(value)


def fmt_number(value: Any, integer: bool = False) -> str | None:
    """A metric value for people (6 significant digits); None when missing or NaN."""
    if is_missing(value) or (isinstance(value, float) and math.isnan(value)):
        return None
    if integer and math.isfinite(value):
        return str(int(value))
    return f"{value:.6g}"


def fmt_time(value: Any, *, utc: bool = False) -> str:
    """An epoch timestamp (seconds) or a datetime as `2026-12-01 09:30:00`; "" when missing."""
    if is_missing(value) or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    else:
        moment = datetime.fromtimestamp(float(value), tz=timezone.utc)
    moment = moment.astimezone(timezone.utc) if utc else moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def fmt_duration(seconds: Any) -> str:
    """`12.3s`, `4m05s` or `2h03m`; "" when missing.

    >>> fmt_duration(245), fmt_duration(7380)
    ('4m05s', '2h03m')
    """
    if is_missing(seconds) or (isinstance(seconds, float) and math.isnan(seconds)):
        return ""
    seconds = float(seconds)
    if math.isinf(seconds):
        return "∞"
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"
