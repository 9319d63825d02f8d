"""How verdict text writes a number."""

from __future__ import annotations

import math

__all__ = ["number"]


def number(x: float) -> str:
    """Three significant digits, without an exponent for ordinary magnitudes: 0.0421, 12.3, 1234."""
    if x == 0.0 or not math.isfinite(x):
        return f"{x:g}"
    if not 1e-4 <= abs(x) < 1e6:
        return f"{x:.3g}"
    decimals = max(0, 2 - math.floor(math.log10(abs(x))))
    text = f"{x:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
