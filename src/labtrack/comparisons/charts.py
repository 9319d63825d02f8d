"""Charts of a `Comparison`: overlaid metric histories and parallel coordinates (matplotlib).

matplotlib is imported here, when a chart is first drawn. Charts for files are drawn on a bare
`Figure` with the Agg canvas (no pyplot state, safe in a server thread); `plot(...)` without an `ax`
uses pyplot so that the figure shows in a notebook.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..present.values import display_value, is_missing, same_value

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .comparison import Comparison

__all__ = ["chart_png", "plot_history", "plot_parallel"]


def _new_axes() -> Axes:
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(7, 4))
    return ax


def plain_text(text: str) -> str:
    """`text` as matplotlib shows it literally (a `$` would start mathtext)."""
    return str(text).replace("$", r"\$")


def run_colours(n: int) -> list[Any]:
    """Distinct colours for `n` runs: tab10, tab20 beyond 10 runs, then cycling."""
    from matplotlib import colormaps

    palette = colormaps["tab10" if n <= 10 else "tab20"].colors
    return [palette[i % len(palette)] for i in range(n)]


def plot_history(
    cmp: Comparison, metric: str, ax: Axes | None = None, *, max_points: int = 2000
) -> Axes:
    """One line per run of `metric` against step, each reduced to about `max_points` points."""
    ax = ax if ax is not None else _new_axes()
    points = cmp.points(metric, max_points)
    colours = dict(zip(cmp.labels, run_colours(len(cmp.labels)), strict=True))
    for label, series in points.groupby("run", sort=False):
        ax.plot(
            series["step"].to_numpy(),
            series["value"].to_numpy(),
            label=plain_text(label),
            color=colours[label],
            linewidth=1.2,
            marker="o" if len(series) <= 50 else None,  # a short series stays visible
            markersize=3,
        )
    ax.set_xlabel("step")
    ax.set_ylabel(plain_text(metric))
    goal = cmp.definitions.get(metric, {}).get("goal")
    title = f"{metric} ({'higher' if goal == 'max' else 'lower'} is better)" if goal else metric
    ax.set_title(plain_text(title))
    target = cmp.definitions.get(metric, {}).get("target")
    if target is not None:
        ax.axhline(float(target), color="grey", linestyle="--", linewidth=1, label="target")
    if len(points):  # outside the axes, on the right: loc="best" is slow with many points
        ax.legend(
            fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), ncol=1 + len(cmp.labels) // 25
        )
    ax.grid(True, alpha=0.3)
    return ax


def _axis_positions(values: list[Any]) -> tuple[np.ndarray, list[tuple[float, str]]]:
    """Each value's position in [0, 1] and the ticks (position, text) of its axis. Numbers keep
    their scale; any other param (or a mix of types) is categorical, its values evenly spaced."""
    present = [v for v in values if not is_missing(v)]
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present)
    if present and numeric and all(type(v) is type(present[0]) for v in present):
        array = np.array([np.nan if is_missing(v) else float(v) for v in values])
        low, high = np.nanmin(array), np.nanmax(array)
        if not (np.isfinite(low) and np.isfinite(high)) or high == low:
            return np.where(np.isnan(array), np.nan, 0.5), [(0.5, f"{low:.4g}")]
        logarithmic = low > 0 and high / low >= 100  # e.g. learning rates 1e-4 .. 1e-1
        scale = np.log10 if logarithmic else (lambda x: x)
        position = (scale(array) - scale(low)) / (scale(high) - scale(low))
        middle = 10 ** ((np.log10(low) + np.log10(high)) / 2) if logarithmic else (low + high) / 2
        return position, [(0.0, f"{low:.4g}"), (0.5, f"{middle:.3g}"), (1.0, f"{high:.4g}")]
    categories: list[Any] = []
    for value in present:
        if not any(same_value(value, c) for c in categories):
            categories.append(value)
    step = 1.0 / max(len(categories) - 1, 1)
    positions = [
        np.nan
        if is_missing(v)
        else next(i for i, c in enumerate(categories) if same_value(v, c)) * step
        for v in values
    ]
    return np.array(positions, dtype=float), [
        (i * step, display_value(c) or "") for i, c in enumerate(categories)
    ]


def plot_parallel(
    cmp: Comparison, metric: str, ax: Axes | None = None, *, params: Sequence[str] | None = None
) -> Axes:
    """Parallel coordinates: an axis per param (the differing ones by default) and a last axis for
    `metric`'s headline summary; a line per run, coloured by the metric."""
    from matplotlib import colormaps

    headline = cmp.headline(metric)
    table = cmp.all_params
    if params is None:
        params = [p for p in table.index if cmp.param_differs[p]] or list(table.index)
    unknown = [p for p in params if p not in table.index]
    if unknown:
        raise ValueError(
            f"no param {unknown[0]!r} in this comparison; its params are: {', '.join(table.index)}"
        )
    ax = ax if ax is not None else _new_axes()
    axes = [_axis_positions(table.loc[p].tolist()) for p in params]
    axes.append(_axis_positions([None if np.isnan(v) else float(v) for v in headline.to_numpy()]))
    names = [*map(str, params), metric]
    matrix = np.column_stack([positions for positions, _ in axes]) if axes else np.zeros((0, 0))
    values = headline.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    low, high = (finite.min(), finite.max()) if len(finite) else (0.0, 1.0)
    colours = colormaps["viridis"]
    x = np.arange(len(names))
    for row, (label, value) in enumerate(zip(cmp.labels, values, strict=True)):
        colour = colours(
            0.5 if not np.isfinite(value) or high == low else (value - low) / (high - low)
        )
        ax.plot(
            x,
            matrix[row],
            color=colour,
            linewidth=1.5,
            alpha=0.85,
            label=plain_text(label),
            marker="o",
            markersize=3,
        )
    for i, (_, ticks) in enumerate(axes):
        ax.axvline(i, color="black", linewidth=0.8)
        for position, text in ticks:
            ax.annotate(
                plain_text(text),
                (i, position),
                xytext=(4, 0),
                textcoords="offset points",
                fontsize=7,
                va="center",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            )
    ax.set_xticks(x, [plain_text(n) for n in names])
    ax.set_yticks([])
    ax.set_ylim(-0.05, 1.05)
    ax.set_title(plain_text(f"params against {metric}"))
    if len(cmp.labels) <= 12:
        ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1.0))
    else:  # too many runs to name: the colour scale tells the metric instead
        from matplotlib.cm import ScalarMappable
        from matplotlib.colors import Normalize

        ax.figure.colorbar(
            ScalarMappable(Normalize(low, high), colours), ax=ax, label=plain_text(metric)
        )
    return ax


def chart_png(draw: Any, *, width: float = 8.0, height: float = 3.6, dpi: int = 90) -> str:
    """Call `draw(ax)` on a fresh Agg figure; return the PNG as base64 text (no metadata, so the
    file names no software or URL)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(figure)
    # a fixed layout: constrained layout would draw every chart twice; the legend sits at the right
    figure.subplots_adjust(left=0.1, right=0.7, bottom=0.14, top=0.9)
    draw(figure.add_subplot())
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def history_png(cmp: Comparison, metric: str, *, max_points: int = 1000) -> str:
    """The overlaid histories of `metric` as base64 PNG, taller when many runs fill the legend."""
    height = max(3.6, 0.16 * min(len(cmp.labels), 25) + 0.8)
    return chart_png(lambda ax: plot_history(cmp, metric, ax, max_points=max_points), height=height)


def has_history(cmp: Comparison, metric: str) -> bool:
    return metric in cmp.history_metrics
