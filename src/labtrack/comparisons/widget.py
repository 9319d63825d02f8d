"""The compare view: pick runs, see what differs, chart a metric, export the comparison to a file.

`Comparison.widget()` and `%track compare RUN RUN...` show it. Everything it computes comes from
the `Lab` that made the comparison (`comparison.source`: its `runs()` and `compare()`) and the
`Comparison`'s own HTML tables and exports; the widget only arranges them. Its state holds run labels, metric names and a folder: no secrets.

>>> lt.compare(3, 4).widget()  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import contextlib
import copy
import html
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..present.names import export_name
from ..present.values import run_label

if TYPE_CHECKING:
    from .comparison import Comparison

__all__ = ["EXPORTS", "CompareWidget", "export_name"]

EXPORTS = {"Markdown": ".md", "CSV": ".csv", "JSON": ".json", "LaTeX": ".tex", "HTML": ".html"}
MAX_PICKABLE_RUNS = 2000  # the newest runs offered by the picker; compared runs are always offered


def _message(text: str, *, error: bool = False) -> str:
    colour = "#cf222e" if error else "#1a7f37"
    return f'<span style="color: {colour}">{html.escape(text)}</span>'


class CompareWidget:
    """Runs side by side in the notebook: a run picker, a differences-only switch, the tables, a
    metric chart and export buttons. A plain class owning a `VBox`; it displays as the box.

    >>> view = CompareWidget(lt.compare(3, 4))  # doctest: +SKIP
    >>> view.picker.value = ["#3 baseline", "#4 deeper", "#5 wider"]  # doctest: +SKIP
    """

    def __init__(self, comparison: Comparison, *, folder: str | Path | None = None) -> None:
        self.comparison = copy.copy(comparison)  # the whole comparison; the switch picks the view
        self.comparison.differences_only = False
        self._quiet = False
        self._numbers: dict[str, int] = {}  # picker label -> run number
        self.picker = widgets.TagsInput(
            value=[],
            allow_duplicates=False,
            placeholder="add a run: #12 name",
            description="Runs",
            layout=widgets.Layout(flex="1 1 auto"),
        )
        self.refresh_button = widgets.Button(
            description="Refresh",
            icon="refresh",
            tooltip="Reload the store's runs and this comparison",
        )
        self.differences = widgets.Checkbox(
            value=comparison.differences_only, description="Differences only", indent=False
        )
        self.tables = widgets.HTML()
        self.metric = widgets.Dropdown(description="Metric", options=[])
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="900px"))
        self.folder = widgets.Text(
            value=str(Path.cwd() if folder is None else Path(folder)),
            description="Folder",
            placeholder="where export buttons write",
            layout=widgets.Layout(width="min(100%, 520px)"),
        )
        self.export_buttons = {
            name: widgets.Button(description=name, tooltip=f"Save as {suffix} in the folder")
            for name, suffix in EXPORTS.items()
        }
        self.status = widgets.HTML()
        self._rows = [
            widgets.HBox([self.picker, self.refresh_button]),
            widgets.HBox([self.folder, *self.export_buttons.values()]),
        ]
        self.box = widgets.VBox()
        self.box.children = [
            self._rows[0],
            self.differences,
            self.tables,
            self.metric,
            self.chart,
            self._rows[1],
            self.status,
        ]
        self.picker.observe(self._on_picker_value, names="value")
        self.differences.observe(self._on_differences_value, names="value")
        self.metric.observe(self._on_metric_value, names="value")
        self.refresh_button.on_click(self._on_refresh_button_click)
        for button in self.export_buttons.values():
            button.on_click(self._on_export_click)
        self._load_choices()
        self._show()

    # --- what the view shows --------------------------------------------------------------------

    @property
    def shown(self) -> Comparison:
        """The comparison as shown: only what differs when the switch is on."""
        return self.comparison.diff() if self.differences.value else self.comparison

    def _load_choices(self) -> None:
        """The picker's choices (the store's newest runs plus the compared ones) and its value."""
        labels: dict[str, int] = {}
        source = self.comparison.source
        try:
            if source is None:
                raise ValueError("it was made from frames, not from a store")
            frame = source.runs().tail(MAX_PICKABLE_RUNS)
        except Exception as exc:  # a comparison made from frames has no store behind it
            self.status.value = _message(f"cannot list the store's runs: {exc}", error=True)
        else:
            for number, name in zip(frame["number"], frame["name"], strict=True):
                labels[run_label(int(number), name)] = int(number)
        labels.update(zip(self.comparison.labels, self.comparison.numbers, strict=True))
        self._numbers = labels
        with self._quietly():
            self.picker.value = []  # allowed_tags must hold every value, so clear them first
            self.picker.allowed_tags = list(labels)
            self.picker.value = list(self.comparison.labels)

    def _show(self) -> None:
        """Render the tables, the metric choices and the chart for the current comparison."""
        self.tables.value = self.shown._repr_html_()
        from .charts import has_history

        metrics = [m for m in self.comparison.metric_names if has_history(self.comparison, m)]
        current = self.metric.value
        preferred = [m for m in metrics if m in self.comparison.definitions] + metrics
        with self._quietly():
            self.metric.options = metrics
            self.metric.value = current if current in metrics else (preferred or [None])[0]
        self._draw_chart()

    def _draw_chart(self) -> None:
        from .charts import history_png

        metric = self.metric.value
        if metric is None:
            self.chart.value = b""
            self.chart.layout.display = "none"
            return
        self.chart.value = base64.b64decode(history_png(self.comparison, metric))
        self.chart.layout.display = None

    @contextlib.contextmanager
    def _quietly(self) -> Iterator[None]:
        """Set widget values from code without their handlers running (no loops back)."""
        self._quiet, before = True, self._quiet
        try:
            yield
        finally:
            self._quiet = before

    def _compare(self, numbers: list[int]) -> None:
        source = self.comparison.source
        if source is None:
            raise ValueError(
                "this comparison was made from frames; it has no store to re-compute from"
            )
        self.comparison = source.compare(*numbers, at_step=self.comparison.at_step)

    # --- public ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the store's runs (new ones become pickable) and recompute the comparison."""
        try:
            self._compare(self.comparison.numbers)
        except Exception as exc:
            self.status.value = _message(f"cannot refresh: {exc}", error=True)
            return
        self._load_choices()
        self._show()

    def export(self, suffix: str) -> Path:
        """Write the comparison as shown (`.md .csv .json .tex .html`) into the folder; its path.

        >>> view.export(".html")  # doctest: +SKIP
        PosixPath('/home/me/work/labtrack-compare-3-4.html')
        """
        folder = Path(self.folder.value.strip() or ".").expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        name = export_name(self.comparison.numbers, suffix, diff=self.differences.value)
        path = self.shown.save(folder / name)
        return path.resolve()

    def close(self) -> None:
        """Close the view and every widget in it."""
        for row in self._rows:
            for child in row.children:
                child.close()
        for child in self.box.children:
            child.close()
        self.box.close()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict | None:
        return self.box._repr_mimebundle_(**kwargs)

    # --- handlers -------------------------------------------------------------------------------

    def _on_picker_value(self, change: dict) -> None:
        if self._quiet:
            return
        numbers = [self._numbers[label] for label in change["new"] if label in self._numbers]
        if not numbers:
            self.status.value = _message("pick at least one run to compare", error=True)
            return
        try:
            self._compare(numbers)
        except Exception as exc:
            self.status.value = _message(f"cannot compare these runs: {exc}", error=True)
            return
        self.status.value = ""
        self._show()

    def _on_differences_value(self, change: dict) -> None:
        if not self._quiet:
            self.tables.value = self.shown._repr_html_()

    def _on_metric_value(self, change: dict) -> None:
        if not self._quiet:
            self._draw_chart()

    def _on_refresh_button_click(self, button: widgets.Button) -> None:
        self.refresh()

    def _on_export_click(self, button: widgets.Button) -> None:
        suffix = EXPORTS[button.description]
        try:
            path = self.export(suffix)
        except Exception as exc:  # a bad folder, a read-only disk: say so in the view
            self.status.value = _message(
                f"could not save the {button.description} file: {exc}", error=True
            )
            return
        self.status.value = _message(f"Saved {button.description} to {path}")
