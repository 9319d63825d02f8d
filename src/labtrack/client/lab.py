"""`Lab`: the client bound to one store. Every face — the `lt.*` functions, the magics and widgets,
the CLI, the REST handlers, the MLflow bridge — reads and writes through one of these.

>>> lab = lt.open("/tmp/study/.labtrack")
>>> lab.runs("metrics.acc > 0.9")
>>> lab.compare(3, 4).to_markdown()

It is safe to share between threads (the store serialises its connection); the fluent `lt.*` layer
keeps one default `Lab` plus the active run and hypothesis, like `mlflow` over `MlflowClient`.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RunNotFound
from ..store import Store
from ..store import hypotheses as stored
from ..store.hypotheses import HypothesisNotFound
from . import evidence
from .evidence import HypothesisClosed
from .hypotheses import HypothesesMixin

if TYPE_CHECKING:
    import pandas as pd

    from ..comparisons.comparison import Comparison
    from ..store.listing import RunsListing
    from ..store.maintenance import HealthReport
    from ..store.reads import RunRecord
    from ..tracking.run import Run

__all__ = ["HypothesisClosed", "HypothesisNotFound", "Lab"]

HISTORY_CHUNK = 25  # runs whose histories a comparison with progress loads at a time
COMPARE_POINTS = 4000  # a long compared series is thinned to about this many points
COMPARE_FULL_UP_TO = 100_000  # ... when it has more points than this (unless full=True)
_FILTER_OPERATOR = re.compile(r"[=<>!]|\b(?:like|ilike|in|is)\b", re.IGNORECASE)


class Lab(HypothesesMixin):
    """One store and everything the faces ask of it. Get one with `lt.open(path)` or `Lab.open(path)`.

    >>> with Lab.open("/tmp/study/.labtrack") as lab:
    ...     lab.runs().head()
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Lab:
        """The store at `path` (a folder or a .db file; default: LABTRACK_DIR, the nearest
        `.labtrack/` upwards, else `./.labtrack/`), created if missing unless `create=False`."""
        return cls(Store.open(path, create=create))

    @staticmethod
    def locate(path: str | os.PathLike[str] | None = None) -> Path:
        """The database file `open(path)` would use, found without opening (or creating) anything."""
        from ..store.location import resolve_store

        return resolve_store(path).db_path

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<labtrack Lab {self.path}>"

    @property
    def path(self) -> Path:
        """The store's database file."""
        return self.store.path

    @property
    def folder(self) -> Path:
        """The store's folder (`.labtrack/`)."""
        return self.store.location.folder

    def close(self) -> None:
        """Flush buffered points and close the store."""
        self.store.close()

    def flush(self) -> None:
        """Write buffered metric points before a read (reads do it by themselves); on a store that
        cannot be written (read-only, full disk) the points stay buffered and the read goes on."""
        self.store.points.flush_for_read()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside the block see one state of the store."""
        with self.store.snapshot():
            yield

    # -- runs ---------------------------------------------------------------------------------
    def start_run(
        self,
        experiment: str,
        name: str | None = None,
        *,
        parent: int | None = None,
        hypothesis_id: int | None = None,
        fields: dict[str, Any] | None = None,
    ) -> Run:
        """Create a running run in `experiment` and return its handle (the caller ends it).

        >>> run = lab.start_run("Default", "baseline"); run.log(loss=0.3); run.end()
        """
        from ..tracking.run import Run

        if hypothesis_id is not None:
            record = stored.get_hypothesis(self.store, hypothesis_id)
            if record.status != "open":
                raise HypothesisClosed(
                    f"H{record.id} is closed and takes no new runs; state a new hypothesis"
                )
        number, uuid = self.store.create_run(
            experiment, name=name, parent_id=parent, hypothesis_id=hypothesis_id, fields=fields
        )
        return Run(self.store, number, uuid, name, experiment)

    def update_run(self, number: int, **fields: Any) -> None:
        """Set recorded fields of a run (code, notebook, execution_count, environment_id …)."""
        self.store.update_run(number, **fields)

    def environment_id(self, snapshot: dict[str, Any]) -> int:
        """The id of an environment snapshot (stored once, shared by every run that references it)."""
        return self.store.environment_id(snapshot)

    def runs(
        self,
        filter: str | None = None,
        *,
        experiment: str | None = None,
        columns: list[str] | None = None,
        order_by: str | list[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> pd.DataFrame:
        """One row per run: attributes, `params.*`, `metrics.*` (last values), `tags.*` and `target.*`.
        `columns`, `order_by` ("metrics.acc desc", "-metrics.acc"; missing values last) and
        `limit` / `offset` are applied in SQL, so only what is shown is read.

        >>> lab.runs("metrics.acc > 0.9 and params.model = 'rf'", order_by="-metrics.acc", limit=10)
        """
        self.flush()
        frame = self.store.runs_frame(
            filter, experiment, columns=columns, order_by=order_by, limit=limit, offset=offset
        )
        if columns is not None and not any(c.startswith("target.") for c in columns):
            return frame
        return evidence.add_target_columns(self.store, frame)

    def runs_listing(
        self, filter: str | None = None, experiment: str | None = None, **options: Any
    ) -> RunsListing:
        """The runs as plain records (`rows`), the names of their params and metrics, and `total`.
        Options, applied in SQL: `after`, `numbers`, `order_by`, `limit`, `offset`, `columns`."""
        self.flush()
        return self.store.runs_table(filter, experiment, **options)

    def add_summaries(self, rows: list[dict[str, Any]], chosen: dict[str, tuple[str, str]]) -> None:
        """Add each row's `summaries`: {metric: (summary, goal)} picked per definition (best or mean)."""
        from ..store.listing import add_summaries

        with self.store.snapshot() as conn:
            add_summaries(conn, rows, chosen)

    def get_run(self, ref: int | str) -> RunRecord:
        """Everything about one run, by number (`12`, `'#12'`), uuid (or prefix) or name."""
        self.flush()
        return self.store.run_record(ref)

    def resolve(self, ref: int | str) -> int:
        """The number of the run named by `ref` (number, '#12', uuid or prefix, name)."""
        return self.store.resolve_run(ref)

    def run_numbers(self, runs: Any) -> list[int]:
        """Run numbers from a ref, a Run, a RunRecord, a list of those, or a DataFrame from `runs()`."""
        if hasattr(runs, "columns") and "number" in runs.columns:
            return [int(n) for n in runs["number"]]
        if isinstance(runs, (int, str)) or hasattr(runs, "number"):
            runs = [runs]
        return [int(r.number) if hasattr(r, "number") else self.resolve(r) for r in runs]

    def select(self, *items: Any) -> list[int]:
        """Run numbers, in order and without repeats, from refs, Runs, frames, lists — or, for a string
        that names no run, a filter.

        >>> lab.select(3, "#4", "params.model = 'rf'")
        """
        numbers: list[int] = []
        for item in items:
            numbers.extend(self._numbers_or_filter(item))
        return list(dict.fromkeys(numbers))

    def _numbers_or_filter(self, item: Any) -> list[int]:
        if isinstance(item, str):
            try:
                return [self.resolve(item)]
            except RunNotFound:
                if not _FILTER_OPERATOR.search(item):  # '#99', '99', 'typo': a ref, not a filter
                    raise
                return self.filtered(item)  # a bad filter raises FilterError with its position
        if isinstance(item, (list, tuple)):
            return [n for sub in item for n in self._numbers_or_filter(sub)]
        return self.run_numbers(item)

    def filtered(self, filter: str | None = None) -> list[int]:
        """Numbers of the runs matching `filter` (every run when None), oldest first."""
        from ..store.sync import selected_run_ids

        return selected_run_ids(self.store, filter)

    def experiments(self) -> list[str]:
        """The names of every experiment in the store, oldest first."""
        return [name for (name,) in self.store.read("SELECT name FROM experiments ORDER BY id")]

    def run_names(self, numbers: list[int]) -> dict[int, str | None]:
        return self.store.run_names(numbers)

    def run_code(self, numbers: list[int]) -> dict[int, str]:
        """Each run's recorded cell code."""
        return self.store.run_code(numbers)

    def status(self) -> tuple[int, int]:
        """(number of runs, change marker) from one state of the store; the marker grows on every write."""
        with self.store.snapshot():
            return self.store.run_count(), self.store.change_marker()

    def mark_crashed_runs(self) -> int:
        """Mark running runs whose process is gone as crashed; how many were."""
        return self.store.mark_crashed_runs()

    # -- histories and comparisons -------------------------------------------------------------
    def history(
        self, runs: Any, metric: str | list[str], *, max_points: int | None = None
    ) -> pd.DataFrame:
        """Tidy metric history (number, name, metric, step, value, time) of one or more runs, as
        numpy-backed columns read in chunks. `max_points`: series longer than this are thinned (min
        and max per bucket of steps, both ends kept, in SQL); None reads every point."""
        if max_points is not None and (
            isinstance(max_points, bool) or not isinstance(max_points, int) or max_points < 2
        ):
            raise ValueError(
                f"max_points must be a whole number of at least 2, or None, not {max_points!r}"
            )
        self.flush()
        metrics = [metric] if isinstance(metric, str) else list(metric)
        return self.store.history(self.run_numbers(runs), metrics, thin=max_points)

    def chart_history(
        self, numbers: list[int], metric: str, max_points: int = 2000
    ) -> dict[int, dict]:
        """Each run's history of `metric` thinned to about `max_points` (extremes and ends kept)."""
        self.flush()
        return self.store.chart_history(numbers, metric, max_points)

    def metric_counts(self, numbers: list[int], metric: str) -> dict[int, int]:
        """How many points of `metric` each run has (a cheap version marker for cached charts)."""
        return self.store.metric_counts(numbers, metric)

    def metric_points(self, number: int) -> dict[str, list[tuple[int, float, int]]]:
        """Every point (step, value, wall_ms) of every metric of a run, by name, sorted by step."""
        from ..store.sync import metric_points

        self.flush()
        return metric_points(self.store, number)

    def compare(self, *runs: Any, at_step: int | None = None, full: bool = False) -> Comparison:
        """Compare runs side by side: refs, a filter, Runs, or a frame from `runs()`. Histories longer
        than COMPARE_FULL_UP_TO points are thinned to about COMPARE_POINTS and their means come from
        the store's summaries; `full=True` reads every point.

        >>> lab.compare(3, 4, "sweep-lr").diff().to_markdown()
        """
        if not runs:
            raise ValueError(
                "compare needs runs: lt.compare(3, 4), lt.compare(lt.runs(...)) or"
                " lt.compare(\"params.model = 'rf'\")"
            )
        self.flush()
        numbers = self.select(*runs)
        if not numbers:
            raise ValueError("no runs to compare: the filter matched none")
        return self.comparison(numbers, at_step=at_step, full=full)

    def comparison(
        self,
        numbers: list[int],
        *,
        at_step: int | None = None,
        frame: pd.DataFrame | None = None,
        progress: Callable[[int], None] | None = None,
        full: bool = False,
    ) -> Comparison:
        """The comparison of runs `numbers` (in that order); `frame`, if given, is their `runs()` rows.
        `progress(n)` is told as histories of n more runs are loaded (a chunk at a time)."""
        from ..comparisons.comparison import Comparison

        if frame is None:
            frame = self.store.runs_frame(
                f"attributes.number IN ({', '.join(map(str, numbers))})", None
            )
            frame = frame.set_index("number").loc[numbers].reset_index()
        metrics = [c.removeprefix("metrics.") for c in frame.columns if c.startswith("metrics.")]
        history = self._histories(numbers, metrics, progress, at_step, full)
        exact = (
            None
            if full
            else self.store.exact_summaries(numbers, metrics, longer_than=COMPARE_FULL_UP_TO)
        )
        definitions, hypotheses, code = evidence.comparison_context(self.store, frame)
        comparison = Comparison(
            frame, history, definitions, hypotheses, code, at_step=at_step, exact=exact
        )
        comparison.source = self
        return comparison

    def _histories(
        self,
        numbers: list[int],
        metrics: list[str],
        progress: Callable[[int], None] | None,
        at_step: int | None,
        full: bool,
    ) -> pd.DataFrame | None:
        """The compared runs' histories: series over COMPARE_FULL_UP_TO points thinned unless `full`."""
        thin = None if full else COMPARE_POINTS

        def read(chunk: list[int]) -> pd.DataFrame:
            return self.store.history(
                chunk, metrics, thin=thin, thin_above=COMPARE_FULL_UP_TO, at_step=at_step
            )

        if progress is None:
            return read(numbers)
        import pandas as pd

        parts = []
        for start in range(0, len(numbers), HISTORY_CHUNK):
            chunk = numbers[start : start + HISTORY_CHUNK]
            if metrics:
                parts.append(read(chunk))
            progress(len(chunk))
        found = [part for part in parts if not part.empty]
        return pd.concat(found, ignore_index=True) if found else None

    # -- artifacts, maintenance, MLflow ----------------------------------------------------------
    def artifact_info(self, digest: str) -> tuple[str, list[str]] | None:
        """(media type, recorded names) of an artifact, or None if the store has no such digest."""
        return self.store.artifact_info(digest)

    def artifact_path(self, digest: str) -> Path:
        """Where the file of an artifact is (inside the store's artifact folder)."""
        return self.store.artifacts.path_for(digest)

    @property
    def artifact_root(self) -> Path:
        return self.store.artifacts.root

    def doctor(self) -> HealthReport:
        """The store's health: integrity, counts, schema version, missing or orphaned artifact files."""
        return self.diagnose(self.path)

    @staticmethod
    def diagnose(db_path: str | os.PathLike[str]) -> HealthReport:
        """`labtrack doctor` without opening the store for writing: what is damaged, what is intact,
        how to recover. Never raises for what it finds."""
        from ..store.maintenance import diagnose

        return diagnose(Path(db_path))

    @staticmethod
    def salvage(db_path: str | os.PathLike[str], target: str | os.PathLike[str]) -> Any:
        """Copy every readable row of a damaged store into a new .db file; what was saved."""
        from ..store.salvage import salvage

        return salvage(Path(db_path), Path(target))

    def collect_garbage(self, *, dry_run: bool = False) -> tuple[list[str], int]:
        """Delete artifact files no run references; (removed names, bytes freed)."""
        from ..store.maintenance import collect_garbage

        return collect_garbage(self.store, dry_run=dry_run)

    def import_mlflow(self, uri: str, **options: Any) -> Any:
        """Bring MLflow runs into this store (see `lt.import_mlflow`); a report of what came in."""
        from ..mlflow_bridge.importer import import_mlflow

        return import_mlflow(self, uri, **options)

    def run_number(self, uuid: str) -> int | None:
        """The number of the run with this uuid, or None."""
        return self.store.run_number(uuid)

    def import_run(self, record: Any) -> int:
        """Write a whole run brought from elsewhere (`RunImport`) in one transaction; its number."""
        return self.store.import_run(record)

    def push_mlflow(self, uri: str, runs: Any = None, **options: Any) -> Any:
        """Push runs to an MLflow tracking server (see `lt.push_mlflow`)."""
        from ..mlflow_bridge.sync import push

        return push(self, uri, runs, **options)
