"""`%%track` and `%track`: the notebook's way to record runs (DESIGN §4 "Magics").

    %load_ext labtrack

The magics only parse; `extension.Tracker` does the work and `widgets` draw the results.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from ..errors import FilterError, LabtrackError, RunNotFound
from ..fluent import runs as api
from ..fluent.session import default_lab
from .options import RunOptions
from .tracker import Tracker

try:  # IPython >= 8.12: a trailing `;` in the cell silences its value, as in any cell
    from IPython.core.magic import output_can_be_silenced
except ImportError:  # pragma: no cover

    def output_can_be_silenced(func: Any) -> Any:
        return func


COMMANDS = ("start", "stop", "status", "runs", "show", "compare", "export")
RUNS_LIMIT = 50


def _run_options(func: Any) -> Any:
    """The options shared by `%%track` and `%track start`."""
    options = [
        argument(
            "--hypothesis",
            metavar="H",
            help="the hypothesis this run tests: its id (3 or H3), or 'none' for no hypothesis",
        ),
        argument(
            "--params",
            metavar="a,b",
            help="also record these variables' values after the code ran, as params",
        ),
        argument(
            "--metrics", metavar="x,y", help="record these variables' final values as metrics"
        ),
        argument(
            "--tag",
            action="append",
            default=[],
            metavar="K=V",
            help="attach a tag (repeat for more)",
        ),
        argument(
            "--no-autolog",
            action="store_true",
            help="record no model settings or learning curves automatically (see lt.autolog)",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@magics_class
class TrackMagics(Magics):
    """`%%track` and `%track`; `tracker` holds the state."""

    def __init__(self, shell: Any, tracker: Tracker):
        super().__init__(shell)
        self.tracker = tracker

    @magic_arguments(name="%track")
    @argument("name", nargs="?", help="the run's name (quote it if it has spaces)")
    @_run_options
    @argument(
        "--repeat",
        type=int,
        metavar="N",
        help="run the cell N times, one run each, with `seed` set to 0..N-1 (grouped as repeats)",
    )
    @argument("-h", "--help", action="store_true", help="show this help")
    @output_can_be_silenced
    @cell_magic("track")
    def track_cell(self, line: str, cell: str) -> Any:
        """Record this cell as one run: its code, the literal values it assigns (lr = 0.01) as
        params, what it logs with labtrack.log(...), its figures, the environment, and how it
        ended. The cell runs and fails exactly as it would without %%track.

        Example::

            %%track baseline --metrics acc --tag model=logreg
            C = 1.0
            acc = fit_and_score(C)
        """
        __tracebackhide__ = True
        args = parse_argstring(self.track_cell, line)
        if args.help:
            print(self.track_cell.parser.format_help())
            return None
        options = run_options(args)
        if args.repeat is None:
            return self.tracker.track_cell(options, line, cell)
        return self._repeat(options, args.repeat, line, cell)

    def _repeat(self, options: RunOptions, times: int, line: str, cell: str) -> Any:
        """`%%track --repeat N`: the cell once per seed 0..N-1, each its own run with a `seed`
        param and a shared `repeat_group` tag (lt.repeats() shows their mean and spread)."""
        __tracebackhide__ = True
        if times < 1:
            raise UsageError(f"--repeat takes a number of runs (1 or more), not {times}")
        import uuid

        group = uuid.uuid4().hex[:12]
        value = None
        for seed in range(times):
            self.shell.user_ns["seed"] = seed
            repeat = replace(
                options,
                given={**options.given, "seed": seed},
                tags={**options.tags, "repeat_group": group},
            )
            value = self.tracker.track_cell(repeat, line, cell)
        return value

    @magic_arguments(name="track")
    @argument(
        "command", nargs="?", default="status", help=" | ".join(COMMANDS) + " (default: status)"
    )
    @argument(
        "args",
        nargs="*",
        help="start: NAME; runs: FILTER; show: RUN (12, #12, a uuid or a name);"
        " compare / export: RUN...",
    )
    @_run_options
    @argument("-n", "--limit", type=int, help="runs: only the newest N runs (default 50)")
    @argument("-e", "--experiment", help="runs: runs of this experiment (default: this notebook's)")
    @argument("--all", action="store_true", help="runs: runs of every experiment")
    @argument(
        "--to",
        metavar="FILE",
        help="export: the file to write; its suffix picks the format (.md .csv .json .html .tex)",
    )
    @argument("-h", "--help", action="store_true", help="show this help")
    @line_magic("track")
    def track_line(self, line: str) -> None:
        """Runs that span several cells, and a look at the runs recorded:

          %track start [NAME] [--params a,b] ...   record every cell from here on as one run
          %track stop                              end that run
          %track status                            what is being recorded now
          %track runs [FILTER]                     the runs of this notebook (options before FILTER)
          %track show RUN                          one run: params, metrics, artifacts, code
          %track compare RUN RUN...                compare runs side by side
          %track export RUN... --to FILE           write their comparison to a file

        FILTER uses MLflow's syntax plus `or` and parentheses, e.g.
        %track runs metrics.acc > 0.9 and params.model = 'rf'
        """
        command, _, rest = line.strip().partition(" ")
        filter_text = None
        if command == "runs":
            rest, filter_text = split_runs_filter(rest)
        args = parse_argstring(self.track_line, f"{command} {rest}".strip())
        if args.help:
            print(self.track_line.parser.format_help())
            return
        if args.command not in COMMANDS:
            raise UsageError(
                f"unknown command {args.command!r}; use one of: {', '.join(COMMANDS)} (see %track --help)"
            )
        _check_options(args)
        if args.command == "start":
            if len(args.args) > 1:
                raise UsageError(
                    '%track start takes one NAME; quote a name with spaces: %track start "my run"'
                )
            self.tracker.start(run_options(args, name=args.args[0] if args.args else None))
        elif args.command == "stop":
            self.tracker.stop()
        elif args.command == "status":
            print(self.tracker.status())
        elif args.command == "runs":
            self._show_runs(filter_text, args)
        elif args.command == "show":
            if len(args.args) != 1:
                raise UsageError(
                    "%track show takes one RUN: a number (12 or #12), a uuid or a run name"
                )
            self._show_run(args.args[0])
        elif args.command == "compare":
            self._compare(args.args)
        else:
            self._export(args.args, args.to)

    def _show_runs(self, filter_text: str | None, args: Any) -> None:
        from IPython.display import display

        from .widgets.tables import RunsTableView

        experiment = None if args.all else (args.experiment or self.tracker.experiment())
        try:
            frame = api.runs(filter_text, experiment=experiment)
        except FilterError as exc:
            raise UsageError(str(exc)) from None
        limit = args.limit or RUNS_LIMIT
        lab = default_lab()
        defined = lab.definitions(experiment)  # --all: the store-wide ones
        numbers = [int(n) for n in frame["number"].tail(limit)] if not frame.empty else []
        summaries = {
            name: lab.summary_values(numbers, d)
            for name, d in defined.items()
            if d.summary != "last" and f"metrics.{name}" in frame.columns
        }
        display(
            RunsTableView(
                frame, limit=limit, experiment=experiment, definitions=defined, summaries=summaries
            )
        )

    def _show_run(self, ref: str) -> None:
        from IPython.display import display

        from .widgets.tables import RunDetails

        try:
            record = api.get_run(ref)
        except RunNotFound as exc:
            raise UsageError(str(exc)) from None
        display(RunDetails(record))

    def _compare(self, refs: list[str]) -> None:
        from IPython.display import display

        try:
            display(compare_magic_view(refs))
        except (LabtrackError, ValueError) as exc:
            raise UsageError(str(exc)) from None

    def _export(self, refs: list[str], to: str | None) -> None:
        if not refs or not to:
            raise UsageError("name the runs and the file: %track export 3 4 --to comparison.html")
        try:
            path = api.compare(*refs).save(to)
        except (LabtrackError, ValueError) as exc:
            raise UsageError(str(exc)) from None
        print(f"Wrote the comparison of {len(refs)} run(s) to {path}")


def compare_magic_view(refs: list[str]) -> Any:
    """The view `%track compare RUN RUN...` shows: refs are numbers, '#3', uuids, names or a filter.

    >>> compare_magic_view(["3", "#4", "baseline"])  # doctest: +SKIP
    """
    if not refs:
        raise ValueError(
            "name the runs to compare, e.g. %track compare 3 4 or %track compare '#3' baseline"
        )
    return default_lab().compare(*refs).widget()


_RUNS_OPTION = re.compile(
    r"\s*(--all\b|-h\b|--help\b|(?:-n|--limit)\s+\S+|(?:-e|--experiment)\s+(?:'[^']*'|\"[^\"]*\"|\S+))"
)


def split_runs_filter(rest: str) -> tuple[str, str | None]:
    """Split `%track runs`'s arguments into its options and the raw FILTER, which keeps its quotes.

    >>> split_runs_filter("-n 5 params.model = 'rf'")
    ('-n 5', "params.model = 'rf'")
    """
    options, position = [], 0
    while match := _RUNS_OPTION.match(rest, position):
        options.append(match.group(1))
        position = match.end()
    return " ".join(options), rest[position:].strip() or None


def _check_options(args: Any) -> None:
    run_given = [
        f"--{o}" for o in ("hypothesis", "params", "metrics") if getattr(args, o) is not None
    ]
    run_given += ["--tag"] if args.tag else []
    run_given += ["--no-autolog"] if args.no_autolog else []
    runs_given = [
        o
        for o, v in (
            ("--limit", args.limit),
            ("--experiment", args.experiment),
            ("--all", args.all),
        )
        if v
    ]
    if args.to and args.command != "export":
        raise UsageError("--to only goes with %track export")
    if run_given and args.command != "start":
        raise UsageError(
            f"{', '.join(run_given)} only go with %track start (or %%track); not with %track {args.command}"
        )
    if runs_given and args.command != "runs":
        raise UsageError(f"{', '.join(runs_given)} only go with %track runs")
    if args.args and args.command in ("stop", "status"):
        raise UsageError(f"%track {args.command} takes no arguments")


def run_options(args: Any, name: str | None = None) -> RunOptions:
    """`RunOptions` from parsed magic arguments; a malformed option raises `UsageError` with the fix."""
    return RunOptions(
        name=name if name is not None else getattr(args, "name", None),
        hypothesis=parse_hypothesis(args.hypothesis),
        params=parse_names(args.params, "--params"),
        metrics=parse_names(args.metrics, "--metrics"),
        tags=parse_tags(args.tag),
        autolog=not args.no_autolog,
    )


def parse_hypothesis(text: str | None) -> int | str | None:
    """`--hypothesis`: an id (3 or H3) or 'none'; None when not given (the active hypothesis applies)."""
    if text is None:
        return None
    value = text.strip()
    if value.lower() == "none":
        return "none"
    match = re.fullmatch(r"[Hh]?(\d+)", value)
    if not match:
        raise UsageError(f"--hypothesis takes a hypothesis id (3 or H3) or 'none', not {text!r}")
    return int(match.group(1))


def parse_names(text: str | None, option: str) -> list[str]:
    """`--params a,b` / `--metrics x,y`: variable names separated by commas."""
    if text is None:
        return []
    names = [n.strip() for n in text.split(",") if n.strip()]
    for name in names:
        if not name.isidentifier():
            raise UsageError(
                f"{option}: {name!r} is not a variable name; give names separated by commas, e.g. {option} lr,depth"
            )
    if not names:
        raise UsageError(
            f"{option} needs variable names separated by commas, e.g. {option} lr,depth"
        )
    return names


def parse_tags(items: list[str]) -> dict[str, str]:
    """`--tag k=v` (repeatable)."""
    tags = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--tag takes KEY=VALUE, e.g. --tag model=rf; got {item!r}")
        tags[key.strip()] = value.strip()
    return tags


def load_ipython_extension(ip: Any) -> None:
    """`%load_ext labtrack`: register %%track, %track and the cell hooks."""
    from ..tracking.autolog import core as autolog

    autolog.on_load_extension()
    tracker = Tracker(ip)
    tracker.register()
    ip.register_magics(TrackMagics(ip, tracker))


def unload_ipython_extension(ip: Any) -> None:
    """`%unload_ext labtrack`: remove the magics and hooks (a run left open ends as finished)."""
    manager = ip.magics_manager
    magics = manager.registry.pop("TrackMagics", None)
    if magics is None:
        return
    magics.tracker.unregister()
    from ..tracking.autolog import core as autolog

    autolog.on_unload_extension()
    for kind in ("line", "cell"):
        if getattr(manager.magics[kind].get("track"), "__self__", None) is magics:
            del manager.magics[kind]["track"]
