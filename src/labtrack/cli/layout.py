"""Which columns `labtrack runs` shows, in what order, and how wide, so a real store reads on one screen.

Order: the run's attributes, the defined metrics (↑ max / ↓ min), the other metrics, then params —
only columns that the shown rows use. Long values are cut with `…`; columns that do not fit the
terminal are left out and counted in the caption (`--columns` picks, `--wide` shows all).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..present.text import fmt_duration, fmt_time, fmt_value

ATTRIBUTES = ("number", "name", "status", "start_time", "duration")
HEADERS = {"number": "#", "start_time": "start", "duration": "duration"}
MAX_CELL = 18  # characters of a value before it is cut with …
GAP = 2  # spaces between columns


@dataclass(frozen=True)
class Column:
    """One column: the frame column it shows, its header and the cells of the shown rows."""

    key: str
    header: str
    cells: list[str]
    numeric: bool

    @property
    def width(self) -> int:
        return max([len(self.header), *map(len, self.cells)])


def cut(text: str, width: int = MAX_CELL) -> str:
    """`text` on one line, at most `width` characters (the last one `…` when cut)."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def flat_row(row: dict[str, Any]) -> dict[str, Any]:
    """A runs-listing record (params, metrics and tags nested) as one flat row: `params.lr`, …"""
    flat = {k: v for k, v in row.items() if k not in ("params", "metrics", "tags", "summaries")}
    for section in ("params", "metrics", "tags"):
        flat.update({f"{section}.{k}": v for k, v in row.get(section, {}).items()})
    return flat


def _cell(key: str, value: Any, wide: bool) -> str:
    if key == "start_time":
        return fmt_time(value)[5:16]
    if key == "duration":
        return fmt_duration(value)
    text = fmt_value(value, nan="" if key.startswith("metrics.") else "nan")
    return text if wide else cut(text)


def _used(rows: list[dict[str, Any]], key: str) -> bool:
    return any(row.get(key) is not None and row.get(key) == row.get(key) for row in rows)


def ordered_keys(columns: Sequence[str], goals: dict[str, str]) -> list[str]:
    """Attributes, defined metrics, other metrics, params, tags: the order of a runs table."""
    metrics = [c for c in columns if c.startswith("metrics.")]
    defined = [f"metrics.{m}" for m in goals if f"metrics.{m}" in metrics]
    others = [c for c in metrics if c not in defined]
    params = [c for c in columns if c.startswith("params.")]
    tags = [c for c in columns if c.startswith("tags.")]
    return [*ATTRIBUTES, *defined, *others, *params, *tags]


def choose(keys: list[str], patterns: str | None) -> list[str]:
    """The keys matching `--columns` (comma-separated globs, e.g. 'metrics.*,params.lr'), in
    the order given; the run number always comes first."""
    if not patterns:
        return keys
    chosen: list[str] = ["number"]
    for pattern in (p.strip() for p in patterns.split(",")):
        chosen += [k for k in keys if fnmatch.fnmatchcase(k, pattern) and k not in chosen]
    return chosen


def build_columns(
    rows: list[dict[str, Any]], keys: list[str], goals: dict[str, str], *, wide: bool
) -> list[Column]:
    """The columns the rows use (attributes always), each with its cells."""
    out = []
    for key in keys:
        if key not in ATTRIBUTES and not _used(rows, key):
            continue
        header = HEADERS.get(key, key.split(".", 1)[-1])
        if key.startswith("metrics.") and key[len("metrics.") :] in goals:
            header += " ↑" if goals[key[len("metrics.") :]] == "max" else " ↓"
        cells = [_cell(key, row.get(key), wide) for row in rows]
        numeric = key.startswith("metrics.") or key in ("number", "duration")
        out.append(Column(key, header if wide else cut(header, max(MAX_CELL, 12)), cells, numeric))
    return out


def fit(columns: list[Column], width: int) -> tuple[list[Column], list[Column]]:
    """The columns that fit `width` characters, in order, and those left out. The attributes and
    the first metric are kept first; the name column gives way (it is cut) before metrics drop."""
    kept: list[Column] = []
    used = 0
    left_out: list[Column] = []
    for column in columns:
        need = column.width + (GAP if kept else 0)
        if used + need <= width:
            kept.append(column)
            used += need
        else:
            left_out.append(column)
    return kept, left_out
