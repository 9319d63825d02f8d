"""Compare runs: parameters, metric summaries, aligned histories, differences (DESIGN §4).

Pure code over the frames of `lt.runs()` and `lt.history()`: no store access, so the notebook, the
CLI and the server compute the same comparison. Conventions, shared with `verdicts.summarize_metric`:

- NaN metric points are ignored by every summary; `last` is the value at the largest step (on a
  repeated step, the later point wins); `best` follows the metric's definition (`goal`), and is NaN
  for a metric without one; `best_step` is the first step reaching `best`.
- Params keep their Python type: `1`, `1.0` and `'1'` are different values; NaN equals NaN; None
  (or a missing param) is shown as missing.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..present.values import display_value, is_missing, plain, run_label, same_value
from .history import Histories

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..notebook.widgets.compare import CompareWidget

__all__ = [
    "SUMMARIES",
    "Comparison",
    "display_value",
    "is_missing",
    "plain",
    "run_label",
    "same_value",
]

SUMMARIES = ("last", "best", "best_step", "min", "max", "mean")
RUN_ATTRIBUTES = {  # Comparison.runs column -> runs-frame column
    "number": "number",
    "uuid": "uuid",
    "name": "name",
    "experiment": "experiment",
    "status": "status",
    "start": "start_time",
    "end": "end_time",
    "duration": "duration",
    "parent": "parent",
    "hypothesis": "hypothesis_id",
    "notebook": "notebook",
}
HISTORY_COLUMNS = ("number", "metric", "step", "value")


class Comparison:
    """Runs side by side: `.runs`, `.params`, `.metrics`, `.diff()`, `.history()`, plots, exports.

    >>> cmp = Comparison(lt.runs("params.model = 'rf'"), history)  # doctest: +SKIP
    >>> cmp.diff().save("diff.md")  # doctest: +SKIP
    """

    def __init__(
        self,
        runs: pd.DataFrame,
        history: pd.DataFrame | None = None,
        definitions: Mapping[str, Mapping[str, Any]] | None = None,
        hypotheses: Sequence[Mapping[str, Any]] | None = None,
        code: Mapping[int, str] | None = None,
        *,
        at_step: int | None = None,
        exact: Mapping[tuple[int, str], Mapping[str, float]] | None = None,
    ) -> None:
        _check_columns(runs, ("number",), "runs")
        if history is not None:
            _check_columns(history, HISTORY_COLUMNS, "history")
        if at_step is not None and (
            isinstance(at_step, bool) or not isinstance(plain(at_step), int)
        ):
            raise ValueError(f"at_step must be an int step, not {at_step!r}")
        frame = runs.drop_duplicates("number", keep="first")
        if frame.empty:
            raise ValueError("nothing to compare: the runs frame is empty; pass at least one run")
        self._frame = frame.reset_index(drop=True)
        self.numbers: list[int] = [int(n) for n in self._frame["number"]]
        names = self._frame["name"] if "name" in self._frame else [None] * len(self.numbers)
        self.labels: list[str] = [
            run_label(n, name) for n, name in zip(self.numbers, names, strict=True)
        ]
        self.definitions: dict[str, dict[str, Any]] = _check_definitions(definitions)
        self.hypotheses: list[dict[str, Any]] = [_as_dict(h) for h in hypotheses or ()]
        self.code: dict[int, str] = {int(k): v for k, v in (code or {}).items()}
        self.at_step: int | None = None if at_step is None else int(plain(at_step))
        self.differences_only = False
        self.source: Any = None  # the Lab that made it (its widget re-computes from there), if any
        self._history = Histories(history, self.numbers)
        # (number, metric) -> {"mean": ..., "last": ...} from the store, for thinned histories
        self._exact = {(int(n), m): dict(v) for (n, m), v in (exact or {}).items()}

    def __repr__(self) -> str:
        only = " (differences only)" if self.differences_only else ""
        return (
            f"<Comparison{only} of {len(self.labels)} runs ({', '.join(self.labels[:5])}"
            f"{', ...' if len(self.labels) > 5 else ''}): {len(self.params)} params,"
            f" {len(self.metric_names)} metrics>"
        )

    # --- tables ----------------------------------------------------------------------------------

    @cached_property
    def _runs(self) -> pd.DataFrame:
        data = {}
        for column, source in RUN_ATTRIBUTES.items():
            if source in self._frame:
                data[column] = self._frame[source].to_numpy()
            else:
                data[column] = [pd.NaT if column in ("start", "end") else None] * len(self.labels)
        frame = pd.DataFrame(data, index=pd.Index(self.labels, name="run"))
        for column in ("start", "end"):
            frame[column] = pd.to_datetime(frame[column], utc=True)
        frame["duration"] = pd.to_numeric(frame["duration"], errors="coerce").astype(float)
        for column in ("parent", "hypothesis"):  # ids, though a frame with a None holds floats
            frame[column] = pd.array([_optional_int(v) for v in frame[column]], dtype="Int64")
        return frame

    @property
    def runs(self) -> pd.DataFrame:
        """A row per run (index: its label, e.g. `#3 baseline`): number, uuid, name, experiment,
        status, start, end, duration (seconds), parent, hypothesis, notebook."""
        return self._runs.copy()

    @cached_property
    def _params_all(self) -> pd.DataFrame:
        columns = [c for c in self._frame.columns if isinstance(c, str) and c.startswith("params.")]
        rows = {}
        for column in columns:
            values = [plain(v) for v in self._frame[column].tolist()]
            if not all(is_missing(v) for v in values):
                rows[column[len("params.") :]] = [None if is_missing(v) else v for v in values]
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=self.labels, dtype=object)
        frame.index.name = "param"
        return frame

    @cached_property
    def param_differs(self) -> pd.Series:
        """Per param: True when its value is not the same in every run (type included)."""
        differs = [
            not all(same_value(values[0], v) for v in values[1:])
            for values in self._params_all.itertuples(index=False, name=None)
        ]
        return pd.Series(differs, index=self._params_all.index, dtype=bool)

    @property
    def params(self) -> pd.DataFrame:
        """A row per param, a column per run; values keep their Python type, None where missing."""
        frame = self._params_all
        return (frame[self.param_differs] if self.differences_only else frame).copy()

    @cached_property
    def _metrics_all(self) -> pd.DataFrame:
        fallback = {}  # `last` of runs with no points in the history frame, from `metrics.*`
        for column in self._frame.columns:
            if isinstance(column, str) and column.startswith("metrics."):
                fallback[column[len("metrics.") :]] = self._frame[column].to_numpy(dtype=float)
        goals = {name: d["goal"] for name, d in self.definitions.items()}
        table = self._history.summaries(self.labels, goals, fallback, self.at_step)
        labels = dict(zip(self.numbers, self.labels, strict=True))
        for (
            number,
            metric,
        ), values in self._exact.items():  # a thinned history's mean is not its mean
            if number in labels and (metric, "mean") in table.index:
                for summary, value in values.items():
                    table.loc[(metric, summary), labels[number]] = value
        return table

    @cached_property
    def metric_differs(self) -> pd.Series:
        """Per (metric, summary) row: True when the runs' values are not all equal (NaN == NaN)."""
        values = self._metrics_all.to_numpy(dtype=float)
        first = values[:, :1]
        same = (values == first) | (np.isnan(values) & np.isnan(first))
        return pd.Series(~same.all(axis=1), index=self._metrics_all.index, dtype=bool)

    @property
    def metric_names(self) -> list[str]:
        """The metrics shown: every metric with a value in a run (only differing ones after diff())."""
        names = self._metrics_all.index.get_level_values("metric").unique().tolist()
        if self.differences_only:
            differing = self.metric_differs.groupby(level="metric", sort=False).any()
            names = [name for name in names if differing[name]]
        return names

    @property
    def metrics(self) -> pd.DataFrame:
        """Summaries per metric and run: rows (metric, summary) for summary in last, best,
        best_step, min, max, mean (and at_step when `at_step` was given); a column per run.

        >>> cmp.metrics.loc[("loss", "min"), "#3 baseline"]  # doctest: +SKIP
        """
        frame = self._metrics_all
        if self.differences_only:
            frame = frame[frame.index.get_level_values("metric").isin(self.metric_names)]
        return frame.copy()

    def metrics_at(self, step: int) -> pd.DataFrame:
        """The value of each metric at `step` (NaN where a run has no point there): metric x run."""
        table = self._history.summaries(self.labels, {}, {}, step)
        frame = table.xs("at_step", level="summary")
        return frame.reindex(pd.Index(self.metric_names, name="metric"))

    def diff(self) -> Comparison:
        """The same comparison showing only the params and metrics that differ between runs.

        A metric differs when any of its summaries differs; it is then shown whole.
        >>> cmp.diff().params  # doctest: +SKIP
        """
        view = copy.copy(self)
        view.differences_only = True
        return view

    # --- histories and plots ------------------------------------------------------------------

    def history(self, metric: str) -> pd.DataFrame:
        """`metric` aligned by step: index `step`, a column per run, NaN where a run has no point."""
        return self._history.aligned(self._checked_metric(metric), self.labels)

    @property
    def all_params(self) -> pd.DataFrame:
        """Every param (a row each, a column per run), whether or not only differences are shown."""
        return self._params_all

    @property
    def history_metrics(self) -> list[str]:
        """The metrics that have a step history in this comparison."""
        return list(self._history.metrics)

    def check_metric(self, metric: str) -> str:
        """`metric` if the comparison knows it, else a ValueError that lists the metrics it has."""
        return self._checked_metric(metric)

    def _checked_metric(self, metric: str) -> str:
        summarised = self._metrics_all.index.get_level_values("metric").unique().tolist()
        known = summarised + [m for m in self._history.metrics if m not in summarised]
        if metric not in known:
            raise ValueError(
                f"no metric {metric!r} in this comparison; its metrics are: "
                f"{', '.join(map(str, known)) or '(none)'}"
            )
        return metric

    def points(self, metric: str, max_points: int | None = None) -> pd.DataFrame:
        """The tidy points of `metric` (run, step, value; NaN dropped), each run's series reduced to
        about `max_points` by keeping the min and max of equal buckets (spikes survive)."""
        return self._history.points(self._checked_metric(metric), self.labels, max_points)

    def plot(self, metric: str, ax: Axes | None = None, *, max_points: int = 2000) -> Axes:
        """Overlaid histories of `metric`, one line per run; returns the matplotlib Axes."""
        from .charts import plot_history

        return plot_history(self, metric, ax, max_points=max_points)

    def plot_parallel(
        self, metric: str, ax: Axes | None = None, *, params: Sequence[str] | None = None
    ) -> Axes:
        """Parallel coordinates: the params (those that differ, by default) against `metric`'s
        summary (its definition's, else last). Categorical params get evenly spaced positions."""
        from .charts import plot_parallel

        return plot_parallel(self, metric, ax, params=params)

    def headline(self, metric: str) -> pd.Series:
        """Per run, the summary of `metric` its definition names (`last` without a definition)."""
        summary = self.definitions.get(metric, {}).get("summary") or "last"
        return self._metrics_all.loc[(self._checked_metric(metric), summary)]

    # --- exports ---------------------------------------------------------------------------------

    def to_markdown(self) -> str:
        """GitHub-flavoured Markdown tables: runs, params, metric summaries (and hypotheses)."""
        from .export import to_markdown

        return to_markdown(self)

    def to_csv(self, *, wide: bool = False) -> str:
        """CSV text: long form (run, number, section, name, summary, value) or a row per run."""
        from .export import to_csv

        return to_csv(self, wide=wide)

    def to_json(self, *, indent: int | None = 2) -> str:
        """JSON text following `schemas/comparison.schema.json`."""
        from .json_export import to_json

        return to_json(self, indent=indent)

    def to_latex(self, *, standalone: bool = False) -> str:
        """booktabs tables for papers (`\\usepackage{booktabs}`); `standalone=True` makes a document."""
        from .latex import to_latex

        return to_latex(self, standalone=standalone)

    def to_html(self, *, title: str | None = None, charts: bool | Sequence[str] = True) -> str:
        """One self-contained HTML page: tables with differences highlighted, charts, code."""
        from .html import to_html

        return to_html(self, title=title, charts=charts)

    def save(self, path: str | Path, **options: Any) -> Path:
        """Write the comparison in the format its suffix names (.md .csv .json .tex .html)."""
        from .export import save

        return save(self, path, **options)

    def widget(self) -> CompareWidget:
        """An ipywidgets view: pick runs, differences only, the tables, a metric chart, exports."""
        from .widget import CompareWidget

        return CompareWidget(self)

    def _repr_html_(self) -> str:
        from .html import repr_html

        return repr_html(self)


def _as_dict(record: Any) -> dict[str, Any]:
    """A hypothesis (or its verdict) as a dict, from a mapping, a record with `to_dict`, or a
    dataclass; a hypothesis's `verdict` likewise."""
    if hasattr(record, "to_dict"):
        data = dict(record.to_dict())
    elif dataclasses.is_dataclass(record) and not isinstance(record, type):
        data = dataclasses.asdict(record)
    else:
        data = dict(record)
    if data.get("verdict") is not None:
        data["verdict"] = _as_dict(data["verdict"])
    return data


def _optional_int(value: Any) -> int | None:
    value = plain(value)
    return (
        None
        if is_missing(value) or (isinstance(value, float) and math.isnan(value))
        else int(value)
    )


def _check_columns(frame: Any, required: Sequence[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"{what} must be a pandas DataFrame (as lt.{what}() returns), not {type(frame).__name__}"
        )
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(
            f"the {what} frame lacks column(s) {', '.join(missing)}; pass lt.{what}()'s frame"
        )


def _check_definitions(definitions: Mapping[str, Mapping[str, Any]] | None) -> dict[str, dict]:
    checked = {}
    for name, definition in (definitions or {}).items():
        goal = definition.get("goal")
        if goal not in ("max", "min"):
            raise ValueError(f"metric {name!r}: goal must be 'max' or 'min', not {goal!r}")
        summary = definition.get("summary") or "last"
        if summary not in ("last", "best", "mean"):
            raise ValueError(
                f"metric {name!r}: summary must be last, best or mean, not {summary!r}"
            )
        checked[name] = {"goal": goal, "target": definition.get("target"), "summary": summary}
    return checked
