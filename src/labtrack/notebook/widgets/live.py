"""The live view under a tracked cell: run number, name, elapsed time, and each metric's latest
value with a sparkline of its history. It refreshes from a background thread a few times a
second (reading `Run.latest()`, never hooking `log()`), and when the cell ends it is replaced by
a static one-line summary, which every front end renders and which survives a reload.

ipywidgets is imported only when a view is shown, never on the path of a short cell.
"""

from __future__ import annotations

import contextlib
import contextvars
import html
import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...present.text import fmt_duration

if TYPE_CHECKING:
    from ...tracking.run import Run

REFRESH_EVERY_S = 0.25  # at most four refreshes a second: cheap next to a tight logging loop
TEXT_REFRESH_EVERY_S = 1.0  # without widgets, each refresh re-sends the whole output
HISTORY_POINTS = 60
STATUS_MARK = {"running": "●", "finished": "✓", "failed": "✗", "interrupted": "■", "crashed": "✗"}
STATUS_COLOR = {
    "running": "#1a73e8",
    "finished": "#188038",
    "failed": "#d93025",
    "interrupted": "#e37400",
    "crashed": "#d93025",
}


class MetricTrail:
    """Each metric's latest (step, value) and a short history of it, sampled at each refresh."""

    def __init__(self, run: Run):
        self.run = run
        self.latest: dict[str, tuple[int, float]] = {}
        self.history: dict[str, deque[float]] = {}

    def sample(self) -> None:
        latest = _latest(self.run, self.latest)
        for name, (step, value) in latest.items():
            trail = self.history.get(name)
            if trail is None:
                trail = self.history[name] = deque(maxlen=HISTORY_POINTS)
            if self.latest.get(name) != (step, value) or not trail:
                trail.append(value)
        self.latest = latest


def _latest(run: Run, known: dict[str, tuple[int, float]]) -> dict[str, tuple[int, float]]:
    try:
        return dict(run.latest())
    except Exception:  # a view must not fail the cell: keep what was last seen
        return dict(known)


@dataclass
class RunSummary:
    """How a tracked run ended, as one line of text or HTML (displayed when the cell ends)."""

    number: int
    name: str | None
    status: str
    seconds: float
    metrics: dict[str, float] = field(default_factory=dict)
    history: dict[str, list[float]] = field(default_factory=dict)
    figures: int = 0
    error: str | None = None

    @property
    def label(self) -> str:
        return f"run #{self.number}" + (f" {self.name}" if self.name else "")

    def _extras(self) -> list[str]:
        extras = [f"+{len(self.metrics) - 8} more"] if len(self.metrics) > 8 else []
        if self.figures:
            extras.append(f"{self.figures} figure" + ("s" if self.figures > 1 else ""))
        return extras

    def text(self) -> str:
        head = f"{STATUS_MARK.get(self.status, '·')} labtrack {self.label} {self.status} in {_fmt_seconds(self.seconds)}"
        if self.error:
            head += f": {self.error}"
        metrics = [f"{name} {_fmt(value)}" for name, value in list(self.metrics.items())[:8]]
        return " · ".join([head, *metrics, *self._extras()])

    def html(self) -> str:
        color = STATUS_COLOR.get(self.status, "inherit")
        metrics = "".join(
            f" · {html.escape(name)} <b>{html.escape(_fmt(value))}</b>"
            f"{sparkline(self.history.get(name, []), 48, 12)}"
            for name, value in list(self.metrics.items())[:8]
        )
        error = f": {html.escape(self.error)}" if self.error else ""
        return (
            '<div class="labtrack-summary" style="font-size:var(--jp-ui-font-size1,13px)">'
            f'<span style="color:{color}">{STATUS_MARK.get(self.status, "·")}</span> labtrack'
            f' <b>{html.escape(self.label)}</b> <span style="color:{color}">{html.escape(self.status)}</span>'
            f" in {_fmt_seconds(self.seconds)}{error}{metrics}"
            + "".join(f" · {html.escape(extra)}" for extra in self._extras())
            + "</div>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": self.text(), "text/html": self.html()}


class LiveView:
    """The view of one running run. Build it, `show()` it, `refresh()` it, then `settle()` it.

    >>> view = LiveView(run, started=time.monotonic()); view.show(); view.refresh()
    """

    def __init__(self, run: Run, started: float):
        self.run = run
        self.started = started
        self.trail = MetricTrail(run)
        self.handle: Any = None
        self._last_text = 0.0
        try:
            import ipywidgets

            self._body = ipywidgets.HTML(value=self.live_html())
            self.box: Any = ipywidgets.VBox([self._body])
        except ImportError:  # no widgets: the same view as HTML/text, re-sent once a second
            self.box = None

    def show(self) -> None:
        from IPython.display import display

        self.handle = display(self, display_id=True)

    def refresh(self) -> None:
        """Sample the run's metrics and redraw (safe to call from a background thread)."""
        self.trail.sample()
        if self.box is not None:
            self._body.value = self.live_html()
        elif self.handle is not None and time.monotonic() - self._last_text >= TEXT_REFRESH_EVERY_S:
            self._last_text = time.monotonic()
            self.handle.update(self)

    def settle(self, summary: RunSummary) -> None:
        """Replace the live view by the run's one-line summary, for every front end."""
        if self.handle is not None:
            self.handle.update(summary)
        self.close()

    def close(self) -> None:
        if self.box is not None:
            with contextlib.suppress(Exception):
                self._body.close()
                self.box.close()
            self.box = None

    def live_text(self) -> str:
        latest = ", ".join(
            f"{k} {_fmt(v)} @{s}" for k, (s, v) in list(self.trail.latest.items())[:8]
        )
        elapsed = _fmt_seconds(time.monotonic() - self.started)
        return f"● labtrack {_label(self.run)} running {elapsed}" + (
            f" · {latest}" if latest else ""
        )

    def live_html(self) -> str:
        rows = "".join(
            f"<tr><td style='padding:0 8px 0 0'>{html.escape(name)}</td>"
            f"<td style='padding:0 8px;text-align:right'><b>{html.escape(_fmt(value))}</b></td>"
            f"<td style='padding:0 8px;color:var(--jp-ui-font-color2,#666)'>step {step}</td>"
            f"<td>{sparkline(list(self.trail.history.get(name, [])), 120, 20)}</td></tr>"
            for name, (step, value) in list(self.trail.latest.items())[:20]
        )
        elapsed = _fmt_seconds(time.monotonic() - self.started)
        head = (
            f"<div><span style='color:{STATUS_COLOR['running']}'>●</span> labtrack "
            f"<b>{html.escape(_label(self.run))}</b> running · {elapsed}</div>"
        )
        table = (
            f"<table style='border-collapse:collapse;margin-top:2px'>{rows}</table>" if rows else ""
        )
        return f"<div class='labtrack-live' style='font-size:var(--jp-ui-font-size1,13px)'>{head}{table}</div>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        data: dict[str, Any] = {"text/plain": self.live_text()}
        if self.box is not None:
            data.update(
                {k: v for k, v in self.box._repr_mimebundle_().items() if k != "text/plain"}
            )
        else:
            data["text/html"] = self.live_html()
        return data


@dataclass(eq=False)
class LiveJob:
    """One run being watched: its view appears after `delay` seconds and refreshes every `every`.
    `context` is a copy of the cell's context, so ipykernel sends what the thread displays to
    the cell that started the run."""

    run: Run
    started: float
    delay: float
    every: float
    context: contextvars.Context
    view: LiveView | None = None
    due: float = 0.0
    error: BaseException | None = None


class LiveViews:
    """Shows and refreshes the live views of running runs from one background thread (started
    once: a thread per cell would cost a millisecond of each tracked cell).

    >>> views = LiveViews(); job = views.watch(run, time.monotonic(), delay=0.5)
    >>> views.settle(job, summary)
    """

    def __init__(self) -> None:
        self._jobs: list[LiveJob] = []
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def watch(
        self, run: Run, started: float, delay: float = 0.5, every: float = REFRESH_EVERY_S
    ) -> LiveJob:
        """Watch `run`. With no delay the view is shown now, from the calling thread (output
        displayed after the cell's reply would be dropped by front ends)."""
        job = LiveJob(run, started, delay, every, contextvars.copy_context(), due=started + delay)
        if delay <= 0:
            job.view = LiveView(run, started)
            job.view.show()
        with self._cond:
            self._jobs.append(job)
            if self._thread is None or not self._thread.is_alive():
                self._closed = False
                self._thread = threading.Thread(
                    target=self._loop, name="labtrack-live", daemon=True
                )
                self._thread.start()
            self._cond.notify()
        return job

    def halt(self, job: LiveJob) -> None:
        """Stop refreshing `job` (waits for a refresh under way); its view stays as it is."""
        with self._cond:
            if job in self._jobs:
                self._jobs.remove(job)

    def settle(self, job: LiveJob, summary: RunSummary) -> bool:
        """Halt `job` and turn its view into `summary`; False when no view was shown."""
        self.halt(job)
        if job.view is None:
            return False
        job.view.settle(summary)
        return True

    def close(self) -> None:
        """Stop the thread (views left as they are)."""
        with self._cond:
            self._jobs.clear()
            self._closed = True
            self._cond.notify()

    def _loop(self) -> None:
        with self._cond:
            while not self._closed:
                now = time.monotonic()
                due = [job for job in self._jobs if job.due <= now]
                for job in due:  # under the lock: `halt` waits for the refresh to end
                    job.due = now + job.every
                    job.context.run(self._step, job)
                if not due:
                    wake = min((job.due for job in self._jobs), default=None)
                    self._cond.wait(None if wake is None else max(wake - now, 0.001))

    @staticmethod
    def _step(job: LiveJob) -> None:
        try:
            if job.view is None:
                job.view = LiveView(job.run, job.started)
                job.view.show()
            job.view.refresh()
        except Exception as exc:  # the view is a nicety: keep the error, stop showing it
            job.error, job.due = exc, float("inf")


def sparkline(values: list[float], width: int = 120, height: int = 20) -> str:
    """A tiny inline SVG line chart of `values` (non-finite values skipped)."""
    points = [v for v in values if isinstance(v, (int, float)) and math.isfinite(v)]
    if len(points) < 2:
        return ""
    lo, hi = min(points), max(points)
    span = (hi - lo) or 1.0
    step = (width - 2) / (len(points) - 1)
    coords = " ".join(
        f"{1 + i * step:.1f},{height - 1 - (v - lo) / span * (height - 2):.1f}"
        for i, v in enumerate(points)
    )
    return (
        f"<svg width='{width}' height='{height}' style='vertical-align:middle;margin-left:4px'>"
        f"<polyline fill='none' stroke='currentColor' stroke-width='1.2' points='{coords}'/></svg>"
    )


def _label(run: Run) -> str:
    return f"run #{run.number}" + (f" {run.name}" if run.name else "")


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return "nan" if math.isnan(value) else f"{value:.4g}"
    return str(value)


def _fmt_seconds(seconds: float) -> str:
    return fmt_duration(seconds)
