"""Short renderings of values, times and durations, shared by the CLI and the notebook tables."""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from typing import Any


def fmt_value(value: Any, nan: str = "nan") -> str:
    """A short, unambiguous rendering of a param or metric value for a table cell (`nan`: how NaN
    reads; tables of many runs pass "", since there NaN mostly means the run lacks the metric)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return nan if math.isnan(value) else f"{value:.6g}"
    if isinstance(value, str):
        return value
    return json.dumps(value) if isinstance(value, (list, dict)) else str(value)


def fmt_time(epoch: float | None) -> str:
    """Local date and time of an epoch timestamp."""
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, tz=timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def fmt_duration(seconds: float | None) -> str:
    """12.3s, 4m05s or 2h03m."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return ""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"
