"""Recording what autolog found: params (flat, dotted names), the source tag, child runs, and
feature importance as a CSV and an SVG bar chart (drawn here: no plotting library on the fit's path)."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from ..values import encode_param
from .core import warn_once

if TYPE_CHECKING:
    from ..run import Run

SOURCE_TAG = (
    "autolog"  # tag autolog=sklearn (libraries joined by commas) keeps where params came from
)
MAX_TEXT = 250  # a param shown as text (a repr) longer than this is skipped, not truncated
MAX_ARRAY = 100  # an array param with more elements is skipped
_SKIP = object()
_sources: dict[
    tuple[str, int], set[str]
] = {}  # (store path, run number) -> libraries that recorded


def log_params(run: Run, library: str, params: Mapping[str, Any], *, what: str = "") -> None:
    """Record `params` (nested dicts flattened to dotted names) into `run`, tagged as autologged.
    Values that cannot be recorded are skipped, with one warning per run naming them.

    >>> log_params(run, "sklearn", {"C": 1.0, "cfg": {"lr": 0.1}})   # params C and cfg.lr
    """
    flat = recordable(run, library, params)
    if flat:
        run.log_params(**flat)
    tag_source(run, library)


def recordable(run: Run, library: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """`params` flattened, as plain values; those without a faithful plain form are left out, and
    one warning per run (of `run`) names them."""
    flat, skipped = {}, []
    for name, value in flatten(params).items():
        value = plain(value)
        try:
            if value is _SKIP:
                raise ValueError
            encode_param(name, value)  # checks the size now: one bad value must not lose the others
        except Exception:
            skipped.append(name)
            continue
        flat[name] = value
    if skipped:
        warn_once(
            (run.uuid, library, "skipped"),
            f"labtrack autolog ({library}) recorded the params it could but skipped "
            f"{', '.join(skipped[:10])}{' ...' if len(skipped) > 10 else ''}: their values are not "
            "numbers, text or small lists; record them yourself with lt.log_params if they matter.",
        )
    return flat


def tag_source(run: Run, library: str) -> None:
    """Tag the run `autolog=<library>` (once per run and library)."""
    key = (str(run.store.path), run.number)
    libraries = _sources.setdefault(key, set())
    if library not in libraries:
        libraries.add(library)
        run.set_tags(**{SOURCE_TAG: ",".join(sorted(libraries))})


def flatten(params: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts as dotted names, as labtrack records params.

    >>> flatten({"optimizer": {"learning_rate": 0.01}})
    {'optimizer.learning_rate': 0.01}
    """
    out: dict[str, Any] = {}
    for key, value in params.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value and all(isinstance(k, str) for k in value):
            out.update(flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def plain(value: Any) -> Any:
    """A param value as numbers, text and lists, or _SKIP when it has no faithful plain form.

    >>> plain(LogisticRegression())   # an estimator inside another: its class name
    'LogisticRegression'
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "get_params") and hasattr(value, "fit"):  # an estimator inside another
        return type(value).__name__
    if isinstance(value, type) or callable(value) and hasattr(value, "__qualname__"):
        return getattr(value, "__qualname__", getattr(value, "__name__", _SKIP))
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:  # a numpy scalar
        return plain(value.item())
    if hasattr(value, "tolist") and getattr(value, "size", MAX_ARRAY + 1) <= MAX_ARRAY:
        return plain(value.tolist())
    if isinstance(value, (list, tuple)):
        items = [plain(v) for v in value]
        return _SKIP if any(v is _SKIP for v in items) else items
    if isinstance(value, Mapping):
        items = {str(k): plain(v) for k, v in value.items()}
        return _SKIP if any(v is _SKIP for v in items.values()) else items
    text = repr(value)
    if (
        " at 0x" in text or len(text) > MAX_TEXT
    ):  # an address or a dump: not a setting anyone can read
        return _SKIP
    return text


def number(value: Any) -> float | None:
    """A metric value as a float, or None."""
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result


def child_runs(parent: Run, library: str, children: list[Child]) -> list[int]:
    """Record finished child runs of `parent` (search candidates, trials) in two transactions and
    return their numbers. They never become the active run, so threads (Optuna's n_jobs) may record
    children at once.

    >>> child_runs(run, "sklearn", [Child("GridSearchCV-0", {"C": 0.1}, {"mean_test_score": 0.9})])
    [4]
    """
    from ...store.children import ChildRun, add_children

    rows = []
    for child in children:
        points = [(k, 0, x) for k, v in child.metrics.items() if (x := number(v)) is not None]
        for key, history in child.histories.items():
            points += [(key, int(step), x) for step, v in history if (x := number(v)) is not None]
        rows.append(
            ChildRun(
                child.name,
                child.status,
                recordable(parent, library, child.params),
                {SOURCE_TAG: library, **child.tags},
                points,
                child.started,
            )
        )
    return add_children(parent.store, parent.number, parent.experiment, rows)


@dataclass
class Child:
    """A finished child run to record: a search candidate or a trial."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)
    metrics: Mapping[str, Any] = field(default_factory=dict)
    histories: Mapping[str, Iterable[tuple[int, Any]]] = field(default_factory=dict)
    status: str = "finished"
    tags: Mapping[str, Any] = field(default_factory=dict)
    started: float | None = None


def importance_artifacts(
    run: Run, features: list[str], columns: Mapping[str, list[float]], chart: str
) -> None:
    """Log feature importance as `feature_importance.csv` (a column per kind) and
    `feature_importance.svg` (the top 20 by `chart`)."""
    kinds = list(columns)
    rows = ["feature," + ",".join(kinds)]
    for i, feature in enumerate(features):
        rows.append(_csv(feature) + "," + ",".join(_fmt(columns[k][i]) for k in kinds))
    run.log_artifact("\n".join(rows) + "\n", "feature_importance.csv")
    run.log_artifact(
        importance_svg(features, columns[chart], f"Feature importance ({chart})"),
        "feature_importance.svg",
    )


def importance_svg(features: list[str], values: list[float], title: str, top: int = 20) -> str:
    """A horizontal bar chart of the `top` largest values, as SVG text.

    >>> importance_svg(["a", "b"], [3.0, 1.0], "Feature importance (gain)")[:4]
    '<svg'
    """
    pairs = sorted(((v, f) for f, v in zip(features, values) if math.isfinite(v)), reverse=True)[
        :top
    ]
    label_w, bar_w, row_h, top_pad = 160, 360, 20, 34
    height = top_pad + row_h * max(len(pairs), 1) + 10
    high = max((v for v, _ in pairs), default=0.0) or 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 80}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="100%" height="100%" fill="white"/><text x="8" y="20" font-size="14">{escape(title)}</text>',
    ]
    for row, (value, feature) in enumerate(pairs):
        y = top_pad + row * row_h
        width = max(bar_w * value / high, 0.0)
        label = feature if len(feature) <= 24 else feature[:23] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row_h - 6}" fill="#4c78a8"/>'
            f'<text x="{label_w + width + 4:.1f}" y="{y + 14}">{value:.4g}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _csv(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def _fmt(value: float) -> str:
    return repr(float(value))


def now() -> float:
    return time.perf_counter()
