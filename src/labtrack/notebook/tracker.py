"""The work behind `%%track` and `%track`: a `Tracker` per shell records tracked cells as runs
through the public API. It hooks cells only through IPython's events API (pre_run_cell,
post_execute, post_run_cell). Every tracking step is guarded: on failure it warns once per cell
and the cell carries on; the user's own exception propagates as it would without tracking.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from IPython.core.error import UsageError

from ..errors import LabtrackError, StoreError
from ..fluent import runs as api
from ..fluent import session
from ..tracking.autolog import core as autolog
from ..tracking.failures import cause_of, new_cell, warn_once
from ..tracking.run import Run, status_for
from .assigned import NamedValues, failed_line, unassigned_message
from .capture import Environment, NotebookLocator
from .cells import (
    UntrackedRun,
    end_run,
    execution_count,
    failure_message,
    remove_from_stack,
    run_body,
    user_warning,
    warn,
)
from .figures import FigureCapture
from .literals import assigned_names, literal_params
from .options import OpenRun, RunOptions
from .widgets.live import LiveJob, LiveViews, MetricTrail, RunSummary

FIRST_CELL_WAIT_S = 3.0  # the first tracked cell waits this long, at most, for the environment


class Tracker:
    """Records tracked cells as runs. `live_view` / `live_delay` tune the view under long cells.

    >>> tracker = Tracker(get_ipython()); tracker.register()
    """

    live_view = True
    live_delay = 0.5  # seconds a cell runs before its live view appears

    def __init__(self, shell: Any):
        self.shell = shell
        self.environment = Environment()
        self.figures = FigureCapture(shell, self._failed)
        self.notebook = NotebookLocator(shell.user_ns)
        self.open: OpenRun | None = None
        self.views = LiveViews()
        self._cell_source: str | None = None
        self._warned = False
        self._start_failed = False
        self._notebook_pending = (
            True  # until the notebook's path is known (it names the experiment)
        )
        self._env_ids: dict[tuple[str, int], int] = {}  # (store path, snapshot version) -> id
        self._prepare = threading.Thread(
            target=self._prepare_environment, name="labtrack-env", daemon=True
        )
        self._prepare.start()

    # -- hooks ------------------------------------------------------------------------------
    def register(self) -> None:
        events = self.shell.events
        events.register("pre_run_cell", self._on_pre_run_cell)
        events.register("post_execute", self._on_post_execute)
        events.register("post_run_cell", self._on_post_run_cell)
        # %metric / %hypothesis / lt.metric before the first run: they too join the notebook's experiment
        self._guard("find the notebook's path", self._notebook)

    def unregister(self) -> None:
        """Undo `register`; a run left open by `%track start` ends as finished."""
        for event, hook in (
            ("pre_run_cell", self._on_pre_run_cell),
            ("post_execute", self._on_post_execute),
            ("post_run_cell", self._on_post_run_cell),
        ):
            if hook in self.shell.events.callbacks.get(event, []):
                self.shell.events.unregister(event, hook)
        if self.open is not None:
            self.stop()
        self.views.close()
        self.figures.end()
        self._guard("restore the figure printer", self.figures.unwrap_png_printer)

    def _on_pre_run_cell(self, info: Any) -> None:
        self._warned = False
        new_cell()
        if self._notebook_pending and self.notebook.path(wait=0) is not None:
            self._guard(
                "find the notebook's path", self._notebook
            )  # found by the server lookup since
        self._cell_source = getattr(info, "raw_cell", None)
        self.figures.end()
        if self.open is not None:
            self._guard("watch the cell's figures", self._watch_figures, self.open.run)

    def _watch_figures(self, run: Run) -> None:
        self.figures.begin(run)
        # The inline backend closes figures in its own post_execute hook: run ours first.
        callbacks = self.shell.events.callbacks.get("post_execute", [])
        hook = self._on_post_execute
        if callbacks and callbacks[0] != hook and hook in callbacks:
            callbacks.remove(hook)
            callbacks.insert(0, hook)

    def _on_post_execute(self) -> None:
        if self.open is not None and self.figures.run is self.open.run:
            self._guard("save the cell's figures", self.figures.save_open)

    def _on_post_run_cell(self, result: Any) -> None:
        self.figures.end()
        if self.open is not None and self._cell_source:
            count = getattr(result, "execution_count", None)
            error = getattr(result, "error_in_exec", None)
            self._guard(
                "record the cell's code", self._add_cell, self.open, self._cell_source, count, error
            )
        self._cell_source = None

    # -- %%track ----------------------------------------------------------------------------
    def track_cell(self, options: RunOptions, line: str, body: str) -> Any:
        """Run `body` as one run and return its last expression's value (as IPython would)."""
        __tracebackhide__ = True
        if self._cell_source is None:  # called without a cell around it (run_cell_magic)
            self._warned = False
        header = f"%%track {line}".rstrip()
        source = self._cell_source or ""
        code = (
            source
            if source.lstrip().startswith("%%") and body.strip() in source
            else f"{header}\n{body}"
        )
        started = time.monotonic()
        run = self._begin(options, code)
        if run is None:
            stand_in = UntrackedRun()
            session.enter(stand_in)  # so the cell's lt.log(...) calls still work
            try:
                return run_body(self.shell, body, header)
            finally:
                remove_from_stack(stand_in)
        live, source = None, ""
        named = NamedValues.take(self.shell.user_ns, [*options.metrics, *options.params])
        try:  # from here on, whatever happens (an interrupt included) ends the run
            if options.given:
                self._guard("record the cell's parameters", run.log_params, **options.given)
            source = self.shell.transform_cell(body)
            self._guard("watch the cell's figures", self.figures.begin, run)
            live = self._guard("show the live view", self._watch, run, started, self.live_delay)
            value = run_body(self.shell, body, header, source)
        except BaseException as exc:
            self._guard(
                "record the cell's parameters", self._log_literals, run, source, options, exc, 1
            )
            self._guard("end the run", self._finish, run, options, started, live, exc, named, set)
            raise
        self._guard("record the cell's parameters", self._log_literals, run, source, options, None)
        self._guard(
            "end the run",
            self._finish,
            run,
            options,
            started,
            live,
            None,
            named,
            lambda: assigned_names(source),
        )
        return value

    # -- %track start / stop / status -------------------------------------------------------
    def start(self, options: RunOptions) -> None:
        """Open a run that records every following cell until `stop()`."""
        if self.open is not None:
            raise UsageError(
                f"{_label(self.open.run)} is still open; end it with %track stop first"
            )
        self._start_failed = False
        started = time.monotonic()
        run = self._begin(options, "")
        if run is None:
            self._start_failed = True
            return
        self.open = OpenRun(
            run,
            options,
            started,
            named=NamedValues.take(self.shell.user_ns, [*options.metrics, *options.params]),
        )
        self._guard("watch the cell's figures", self._watch_figures, run)
        self.open.live = self._guard("show the live view", self._watch, run, started, 0.0, 0.5)

    def stop(self) -> RunSummary | None:
        """End the open run as finished and return its summary."""
        current = self.open
        if current is None:
            if self._start_failed:  # its start failed and warned already: stay quiet
                self._start_failed = False
                return None
            raise UsageError(
                "no run is open; start one with %track start NAME, or put %%track on a single cell"
            )
        self.open = None
        if self._cell_source:
            self._guard(
                "record the cell's code",
                self._add_cell,
                current,
                self._cell_source,
                execution_count(self.shell),
            )
            self._cell_source = None
        return self._guard(
            "end the run",
            self._finish,
            current.run,
            current.options,
            current.started,
            current.live,
            None,
            current.named,
            lambda: current.assigned,
            here=True,
        )

    def status(self) -> str:
        """A line about the open run (or the API's active run), for `%track status`."""
        current = self.open.run if self.open else session.active_run()
        if current is None or not isinstance(current, Run):
            return "No run open. Start one with %track start NAME, or put %%track on a cell."
        trail = MetricTrail(current)
        trail.sample()
        latest = (
            ", ".join(f"{k} {v:.4g} @ step {s}" for k, (s, v) in trail.latest.items())
            or "no metrics yet"
        )
        how = f"{len(self.open.cells)} cell(s) recorded" if self.open else "started from Python"
        return f"{_label(current)} running ({how}; experiment {current.experiment}): {latest}"

    def experiment(self) -> str:
        """The experiment new runs join: the notebook's file stem when known, else the default."""
        self._guard("find the notebook's path", self._notebook)
        return session.default_experiment()

    # -- the steps ------------------------------------------------------------------------
    def _begin(self, options: RunOptions, code: str) -> Run | None:
        """Start the run (the notebook, the environment and the cell's count recorded with it)."""
        notebook = self._guard("find the notebook's path", self._notebook)
        fields: dict[str, Any] = {
            "code": code,
            "notebook": notebook,
            "execution_count": execution_count(self.shell),
        }
        env_error = None
        try:
            fields["environment_id"] = self._environment_id()
        except (
            Exception
        ) as exc:  # reported below, unless starting the run fails too (the cause then)
            env_error = exc
        try:
            run = api.start_run(
                options.name,
                hypothesis=options.hypothesis,
                tags=options.tags or None,
                nested=True,
                fields=fields,
            )
        except Exception as exc:
            if isinstance(exc, (LabtrackError, ValueError)) and not isinstance(
                exc, (StoreError, OSError)
            ):
                raise UsageError(str(exc)) from None  # a mistake in the magic's arguments
            self._failed("start a run", exc)
            return None
        if env_error is not None:
            self._failed("record the environment", env_error)
        if not options.autolog:
            autolog.skip_run(run)
        return run

    def _finish(
        self,
        run: Run,
        options: RunOptions,
        started: float,
        live: LiveJob | None,
        exc: BaseException | None,
        named: NamedValues,
        assigned: Callable[[], set[str]],
        here: bool = False,
    ) -> RunSummary:
        """Record what is known after the code ran, end the run, and settle its view into a
        summary (also displayed in this cell when `here`: the view may be cells above).
        `named`: the --metrics / --params variables' objects when the run began; `assigned()`: the
        names its code assigns (worked out only when a value is the same object as before)."""
        if live is not None:
            self._guard("stop the live view", self.views.halt, live)
        if options.metrics or options.params:
            self._guard(
                "record --metrics and --params",
                self._record_named,
                run,
                options,
                exc,
                named,
                assigned,
                here,
            )
        self._guard("save the cell's figures", self.figures.save_open)
        trail = live.view.trail if live is not None and live.view is not None else MetricTrail(run)
        self._guard("read the run's metrics", trail.sample)
        self._guard("record the environment", self._update_environment, run)
        status = status_for(exc)
        self._guard("end the run", end_run, run, status, exc)
        summary = RunSummary(
            run.number,
            run.name,
            status,
            time.monotonic() - started,
            metrics={k: v for k, (_, v) in trail.latest.items()},
            history={k: list(v) for k, v in trail.history.items()},
            figures=self.figures.count if self.figures.run is run else 0,
            error=f"{type(exc).__name__}: {exc}"[:200]
            if status == "failed" and exc is not None
            else None,
        )
        self._guard("show the run's summary", self._show_summary, live, summary, here)
        return summary

    def _add_cell(
        self, current: OpenRun, source: str, count: int | None, error: BaseException | None = None
    ) -> None:
        current.cells.append(f"# In[{count if count is not None else ' '}]:\n{source.rstrip()}\n")
        current.run.set_fields(code="\n".join(current.cells))
        transformed = self.shell.transform_cell(source)
        self._log_literals(current.run, transformed, current.options, error)
        if error is None and (current.options.metrics or current.options.params):
            current.assigned |= assigned_names(transformed)

    def _log_literals(
        self,
        run: Run,
        source: str,
        options: RunOptions,
        error: BaseException | None,
        offset: int = 0,
    ) -> None:
        """Record the cell's literal assignments (not the variables named as metrics); of a cell
        that failed, only those above the line that failed. `offset`: lines compiled above the source."""
        before = None
        if error is not None:
            line = failed_line(error, self.shell.user_global_ns)
            before = 1 if line is None else line - offset
        found = literal_params(source, before)
        params = {k: v for k, v in found.items() if k not in options.metrics}
        if params:
            run.log_params(**params)

    def _record_named(
        self,
        run: Run,
        options: RunOptions,
        exc: BaseException | None,
        named: NamedValues,
        assigned: Callable[[], set[str]],
        here: bool,
    ) -> None:
        """--metrics and --params: the values the run assigned, and one warning for the rest."""
        report = named.read(
            self.shell.user_ns,
            options.metrics,
            options.params,
            assigned=assigned,
            failed=exc is not None,
        )
        for line in report.skipped():
            user_warning(line)
        if report.metrics:
            self._guard("record --metrics", run.log_metrics, report.metrics)
        for name, value in report.params.items():  # one at a time: a bad one spoils no other
            self._guard(f"record --params {name}", run.log_params, **{name: value})
        if report.unassigned:
            warn(
                unassigned_message(
                    options.metrics,
                    options.params,
                    report.unassigned,
                    failed=exc is not None,
                    cell=not here,
                )
            )

    def _watch(self, run: Run, started: float, delay: float, every: float = 0.25) -> LiveJob | None:
        if not self.live_view or getattr(self.shell, "kernel", None) is None:
            return None  # a terminal or an in-process shell: only the summary, at the end
        return self.views.watch(run, started, delay=delay, every=every)

    def _show_summary(self, live: LiveJob | None, summary: RunSummary, here: bool) -> None:
        if live is not None and self.views.settle(live, summary) and not here:
            return
        from IPython.display import display

        display(summary._repr_mimebundle_(), raw=True)  # raw: no formatter pass on this hot path

    def _notebook(self) -> str | None:
        """The notebook's path; the first time it is known, new runs and definitions join its experiment."""
        path = self.notebook.path(wait=FIRST_CELL_WAIT_S)
        self._notebook_pending = path is None
        if path and session.default_experiment() == session.DEFAULT_EXPERIMENT:
            session.set_experiment(Path(path).stem)  # runs made from a notebook join its experiment
        return path

    def _prepare_environment(self) -> None:
        try:
            path = self.notebook.path(wait=10.0)
            self.environment.prepare(str(Path(path).parent) if path else None)
        except Exception:  # recorded as missing; the first tracked cell says why, if it matters
            pass

    def _environment_id(self) -> int | None:
        if not self.environment.ready:
            self._prepare.join(FIRST_CELL_WAIT_S)
            if not self.environment.ready:
                return None
        self.environment.refresh()
        lab = session.default_lab()
        key = (str(lab.path), self.environment.version)
        env_id = self._env_ids.get(key)
        if env_id is None:
            env_id = self._env_ids[key] = lab.environment_id(self.environment.snapshot())
        return env_id

    def _update_environment(self, run: Run) -> None:
        """Packages the cell imported join the run's environment (a new snapshot, stored once)."""
        version = self.environment.version
        self.environment.refresh()
        if self.environment.version != version and self.environment.ready:
            env_id = self._environment_id()
            if env_id is not None:
                run.set_fields(environment_id=env_id)

    # -- failing soft ---------------------------------------------------------------------
    def _guard(self, step: str, func: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            self._failed(step, exc)
            return None

    def _failed(self, step: str, exc: BaseException) -> None:
        """Warn about a failed tracking step, once per cell (the first failure says why)."""
        kind = cause_of(exc).key
        if kind == "data":  # each value skipped is said, with how to record it instead
            warn(failure_message(step, exc))
            return
        if self._warned:
            return
        self._warned = True
        if kind == "bug":
            warn(failure_message(step, exc))
        else:  # a full disk or a read-only store: once until it is writable again, whoever noticed first
            warn_once(exc, failure_message(step, exc))


def _label(run: Run) -> str:
    return f"run #{run.number}" + (f" {run.name!r}" if run.name else "")
