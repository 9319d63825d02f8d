"""The REST API as calls on a `Lab`, with no web framework in sight (handlers call it in a thread).

The service opens its own `Lab` on the server's store folder (never the process-wide `lt` default),
so every answer comes from the store the panel shows; the Lab is safe to share across threads. What is
here is HTTP's part: query checks, caches keyed by the store's change marker, JSON text, file names.

>>> service = LabService(Path("/tmp/project/.labtrack"), root_dir="/tmp/project")
>>> service.status()["runs"]
0
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from ..errors import ArtifactNotFound
from ..present import records as present
from ..present.names import export_name
from ..present.values import json_number
from . import records
from .queries import MAX_POINTS, QueryError, RunsQuery

if TYPE_CHECKING:
    from ..client import Lab
    from ..comparisons.comparison import Comparison

CRASH_CHECK_EVERY_S = 5.0  # how often `status` (the panel's poll) looks for runs whose kernel died
RUNS_CACHE_SIZE = 4  # whole runs tables, one per (filter, experiment): ~40 MB each at 10,000 runs
SERIES_CACHE_SIZE = 128  # thinned histories (run, metric, max_points): ~100 kB each
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MEDIA_TYPE = re.compile(r"[\w.+-]+/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+-]+)*")  # type/subtype; k=v
# Shown inline (the panel's <img>); everything else downloads. Not SVG: it can carry scripts.
INLINE_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp"}
)
# format -> (file suffix, Content-Type, Comparison method)
EXPORTS = {
    "md": (".md", "text/markdown; charset=utf-8", "to_markdown"),
    "csv": (".csv", "text/csv; charset=utf-8", "to_csv"),
    "json": (".json", "application/json; charset=utf-8", "to_json"),
    "latex": (".tex", "application/x-tex; charset=utf-8", "to_latex"),
    "html": (".html", "text/html; charset=utf-8", "to_html"),
}


class Status(TypedDict):
    """`GET /labtrack/api/status`: which store, which labtrack, how many runs, the change marker."""

    store: str
    version: str
    runs: int
    change: int


@dataclass(frozen=True)
class Download:
    """A file to send as an attachment."""

    body: bytes
    media_type: str
    filename: str


@dataclass(frozen=True)
class ArtifactFile:
    """An artifact file of the store, ready to serve: inline only for raster images."""

    path: Path
    media_type: str
    filename: str
    size: int
    inline: bool


@dataclass(frozen=True)
class CachedRuns:
    """The runs of one (filter, experiment) at one change marker, as `Run` records (cached), and the
    JSON text of each record once a request has needed it (re-sorting and paging then encode nothing)."""

    change: int
    rows: list[dict[str, Any]]
    params: list[str]
    metrics: list[str]
    definitions: dict[str, dict[str, Any]]
    encoded: dict[int, str] = field(default_factory=dict)

    def json_of(self, row: dict[str, Any]) -> str:
        text = self.encoded.get(row["number"])
        if text is None:
            text = self.encoded[row["number"]] = records.encode_json(row)
        return text


def _chart_series(data: dict[str, Any]) -> dict[str, Any]:
    """A thinned series as JSON: NaN and infinite values become null (a gap in the chart)."""
    inf = float("inf")
    values = [
        v if v is None or (v == v and v != inf and v != -inf) else None for v in data["values"]
    ]
    return {
        "steps": data["steps"],
        "values": values,
        "count": data["count"],
        "downsampled": data["downsampled"],
    }


def labtrack_version() -> str:
    """The installed labtrack's version (the one in jupyter_ext/package.json at build time)."""
    try:
        return version("labtrack")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


class LabService:
    """The store as the server sees it. Every method blocks: call it with `asyncio.to_thread`."""

    def __init__(self, folder: str | Path, root_dir: str | Path | None = None) -> None:
        self.folder = Path(folder)
        self.root_dir = Path(root_dir).expanduser().resolve() if root_dir else None
        self._lab: Lab | None = None
        self._open_lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._runs_cache: OrderedDict[tuple, CachedRuns] = OrderedDict()
        self._series_cache: OrderedDict[tuple, tuple[int, dict[str, Any]]] = OrderedDict()
        self._crash_checked = 0.0

    @property
    def lab(self) -> Lab:
        """The server's own Lab, opened (and its store created if missing) on first use."""
        lab = self._lab
        if lab is None:
            with self._open_lock:
                if self._lab is None:
                    from ..client import Lab

                    self._lab = Lab.open(self.folder)
                lab = self._lab
        return lab

    def close(self) -> None:
        with self._open_lock:
            if self._lab is not None:
                self._lab.close()
                self._lab = None

    # -- status and runs ------------------------------------------------------------------
    def status(self) -> Status:
        """The store's path, the run count and the change marker (runs whose kernel died become crashed)."""
        lab = self.lab
        if time.monotonic() - self._crash_checked > CRASH_CHECK_EVERY_S:
            self._crash_checked = time.monotonic()
            lab.mark_crashed_runs()
        runs, change = lab.status()
        return Status(store=str(self.folder), version=labtrack_version(), runs=runs, change=change)

    def runs_json(self, query: RunsQuery) -> str:
        """`GET runs`: the runs matching the query, sorted and paged, with the names of every column (JSON text).

        A page (`limit`, `offset` or `columns`) is sorted and cut in SQL and only its runs (and
        only the named columns) are read, so the
        first page of 100,000 runs answers cold in a fraction of a second; a request for every
        run reads (and caches) the whole table."""
        if query.limit is not None or query.offset or query.columns is not None:
            return self._runs_page_json(query)
        table = self._runs_table(query)
        rows = table.rows
        if query.sort != "number" or query.descending:
            rows = records.sort_rows(rows, query.sort, query.descending)
        end = None if query.limit is None else query.offset + query.limit
        head = {
            "total": len(rows),
            "change": table.change,
            "params": table.params,
            "metrics": table.metrics,
            "definitions": table.definitions,
        }
        page = ",".join(table.json_of(row) for row in rows[query.offset : end])
        return f'{records.encode_json(head)[:-1]},"runs":[{page}]}}'

    def _runs_page_json(self, query: RunsQuery) -> str:
        """One page of runs, sorted, cut and read in SQL (no cache: each page is cheap)."""
        lab = self.lab
        order = f"{query.sort} {'desc' if query.descending else 'asc'}"
        with lab.snapshot():
            change = lab.status()[1]
            listed = lab.runs_listing(
                query.filter,
                query.experiment,
                after=query.after,
                numbers=None if query.numbers is None else list(query.numbers),
                order_by=order,
                limit=query.limit,
                offset=query.offset,
                columns=query.columns,
            )
            # the page's experiments first, then every other one (first definition wins)
            experiments = [row["experiment"] for row in listed.rows]
            experiments += lab.experiments()
            definitions = self._definitions(query.experiment, experiments)
            self._add_summaries(listed.rows, definitions)
        head = {
            "total": listed.total,
            "change": change,
            "params": listed.params,
            "metrics": listed.metrics,
            "definitions": definitions,
        }
        page = ",".join(records.encode_json(row) for row in present.jsonable_rows(listed.rows))
        return f'{records.encode_json(head)[:-1]},"runs":[{page}]}}'

    def _runs_table(self, query: RunsQuery) -> CachedRuns:
        """The runs a query selects; whole tables (no `after` / `numbers`) are cached until the next write."""
        lab = self.lab
        key = (query.filter, query.experiment)
        whole = query.after is None and query.numbers is None
        with lab.snapshot():  # the marker and the runs from one state of the store
            change = lab.status()[1]
            with self._cache_lock:
                cached = self._runs_cache.get(key) if whole else None
                if cached is not None and cached.change == change:
                    self._runs_cache.move_to_end(key)
                    return cached
            numbers = None if query.numbers is None else list(query.numbers)
            listed = lab.runs_listing(
                query.filter, query.experiment, after=query.after, numbers=numbers
            )
            experiments = [row["experiment"] for row in listed.rows]
            definitions = self._definitions(query.experiment, experiments)
            self._add_summaries(listed.rows, definitions)
        rows = present.jsonable_rows(listed.rows)
        table = CachedRuns(change, rows, listed.params, listed.metrics, definitions)
        if whole:  # one table per (filter, experiment): the marker only grows, older ones are dead
            with self._cache_lock:
                self._runs_cache[key] = table
                self._runs_cache.move_to_end(key)
                while len(self._runs_cache) > RUNS_CACHE_SIZE:
                    self._runs_cache.popitem(last=False)
        return table

    def _definitions(
        self, experiment: str | None, experiments: list[str]
    ) -> dict[str, dict[str, Any]]:
        """Metric definitions in force: the experiment's, else merged over the runs' experiments (first wins)."""
        merged: dict[str, dict[str, Any]] = {}
        for name in [experiment] if experiment else [*dict.fromkeys(experiments), None]:
            for metric, d in self.lab.definitions(name).items():
                merged.setdefault(
                    metric, {"goal": d.goal, "target": json_number(d.target), "summary": d.summary}
                )
        return merged

    def _add_summaries(
        self, rows: list[dict[str, Any]], definitions: dict[str, dict[str, Any]]
    ) -> None:
        """Each row's `summaries`: the summary its definition names (best or mean) of each defined metric."""
        chosen = {
            metric: (d["summary"], d["goal"])
            for metric, d in definitions.items()
            if d["summary"] != "last"
        }
        self.lab.add_summaries(rows, chosen)

    def run(self, ref: str) -> dict[str, Any]:
        """`GET runs/<ref>`: everything about one run (ref: number, #number, uuid or its prefix, name)."""
        from ..client import HypothesisNotFound

        record = self.lab.get_run(ref)
        hypothesis = None
        if record.hypothesis_id is not None:
            try:
                found = self.lab.get_hypothesis(record.hypothesis_id)
                hypothesis = {"id": found.id, "statement": found.statement}
            except HypothesisNotFound:
                pass
        return present.run_detail(
            record, notebook_path=self.notebook_path(record.notebook), hypothesis=hypothesis
        )

    def notebook_path(self, notebook: str | None) -> str | None:
        """`notebook` relative to the Jupyter root (as JupyterLab opens it); None outside the root."""
        if not notebook or self.root_dir is None:
            return None
        try:
            return Path(notebook).expanduser().resolve().relative_to(self.root_dir).as_posix()
        except ValueError:
            return None

    def _numbers(self, refs: list[str]) -> list[int]:
        """Run numbers for refs (number, #number, uuid, name), duplicates dropped; RunNotFound for a stranger."""
        return list(dict.fromkeys(self.lab.resolve(ref) for ref in refs))

    # -- histories, comparisons, exports ---------------------------------------------------
    def history(self, refs: list[str], metric: str, max_points: int = 2000) -> dict[str, Any]:
        """`GET history`: each run's history of `metric`, thinned to about `max_points` (extremes kept).

        Thinned series are cached per run until it writes more points of the metric, so a live chart
        re-reads only its running runs."""
        if not 2 <= max_points <= MAX_POINTS:
            raise QueryError(f"max_points must be between 2 and {MAX_POINTS}, not {max_points}")
        lab = self.lab
        numbers = self._numbers(refs)
        names = lab.run_names(numbers)
        # versions before points: a write in between makes the next request read again
        versions = lab.metric_counts(numbers, metric)
        with self._cache_lock:
            cached = {n: self._series_cache.get((n, metric, max_points)) for n in numbers}
            for n in numbers:
                if cached[n] is not None:
                    self._series_cache.move_to_end((n, metric, max_points))
        stale = [n for n in numbers if cached[n] is None or cached[n][0] != versions.get(n, 0)]
        if stale:
            for number, data in lab.chart_history(stale, metric, max_points).items():
                cached[number] = (versions.get(number, 0), _chart_series(data))
            with self._cache_lock:
                for number in stale:
                    self._series_cache[(number, metric, max_points)] = cached[number]
                while len(self._series_cache) > SERIES_CACHE_SIZE:
                    self._series_cache.popitem(last=False)
        series = [{"number": n, "name": names[n], **cached[n][1]} for n in numbers]
        return {"metric": metric, "series": series}

    def comparison(
        self, refs: list[str], *, diff: bool = False, at_step: int | None = None
    ) -> Comparison:
        """The `Comparison` of these runs, computed as `lt.compare` does (differences only with `diff`)."""
        comparison = self.lab.comparison(self._numbers(refs), at_step=at_step)
        return comparison.diff() if diff else comparison

    def compare_json(
        self, refs: list[str], *, diff: bool = False, at_step: int | None = None
    ) -> str:
        """`GET compare`: the comparison JSON (schemas/comparison.schema.json), as text."""
        return self.comparison(refs, diff=diff, at_step=at_step).to_json(indent=None)

    def export(
        self, refs: list[str], fmt: str, *, diff: bool = False, at_step: int | None = None
    ) -> Download:
        """`GET export`: the comparison as a file in `fmt` (md, csv, json, latex, html)."""
        if fmt not in EXPORTS:
            raise QueryError(f"format must be one of {', '.join(EXPORTS)}, not {fmt[:40]!r}")
        suffix, media_type, method = EXPORTS[fmt]
        comparison = self.comparison(refs, diff=diff, at_step=at_step)
        body = getattr(comparison, method)()
        return Download(
            body.encode("utf-8"), media_type, export_name(comparison.numbers, suffix, diff=diff)
        )

    # -- hypotheses --------------------------------------------------------------------------
    def hypotheses(self, adjust: str = "holm") -> list[dict[str, Any]]:
        """`GET hypotheses`: every hypothesis with its verdict, the numbers behind it, and its p-value
        adjusted over the hypotheses its experiment has tested (`adjust`: holm or bh)."""
        from ..client.evidence import ADJUSTMENTS

        if adjust not in ADJUSTMENTS:
            raise QueryError(f"adjust must be 'holm' or 'bh', not {adjust[:40]!r}")
        lab = self.lab
        return [
            present.hypothesis_record(h, v, a.to_dict(), lab.current_definition(h))
            for h, v, a in lab.hypothesis_verdicts(adjust)
        ]

    def hypothesis(self, ref: str) -> dict[str, Any]:
        """`GET hypotheses/<id>`: one hypothesis (3 or H3) with its treatment and baseline runs in full."""
        lab = self.lab
        record = lab.get_hypothesis(ref)
        found = {h.id: a for h, _, a in lab.hypothesis_verdicts()}
        adjusted = found[record.id].to_dict() if record.id in found else None
        return {
            **present.hypothesis_record(
                record, lab.verdict(record), adjusted, lab.current_definition(record)
            ),
            "runs": self._rows_of(lab.linked_runs(record.id, "treatment")),
            "baseline_runs": self._rows_of(lab.baseline_runs(record)),
        }

    def _rows_of(self, numbers: list[int]) -> list[dict[str, Any]]:
        """`Run` records of these runs, in this order."""
        if not numbers:
            return []
        with self.lab.snapshot():
            listed = self.lab.runs_listing(numbers=numbers)
            experiments = [row["experiment"] for row in listed.rows]
            self._add_summaries(listed.rows, self._definitions(None, experiments))
        by_number = {row["number"]: row for row in present.jsonable_rows(listed.rows)}
        return [by_number[n] for n in numbers if n in by_number]

    # -- artifacts ---------------------------------------------------------------------------
    def artifact(self, digest: str, name: str | None = None) -> ArtifactFile:
        """The file of the artifact with sha256 `digest`: only a digest recorded in the store, only
        a file inside its artifact folder. `name` picks the download name among the recorded ones."""
        if not _SHA256.fullmatch(digest):
            raise ArtifactNotFound(
                f"no artifact {digest[:80]!r}: artifacts are named by the 64 hex digits"
                " of their sha256"
            )
        lab = self.lab
        info = lab.artifact_info(digest)
        if info is None:
            raise ArtifactNotFound(f"no artifact {digest} in this store")
        media_type, names = info
        path = lab.artifact_path(digest).resolve()
        if not path.is_relative_to(lab.artifact_root.resolve()) or not path.is_file():
            raise ArtifactNotFound(
                f"artifact {digest} is recorded but its file is missing"
                " (`labtrack doctor` checks the store)"
            )
        media_type = media_type.strip().lower()
        if not _MEDIA_TYPE.fullmatch(media_type):
            media_type = "application/octet-stream"
        filename = name if name in names else names[0]
        inline = media_type.split(";")[0].strip() in INLINE_TYPES
        return ArtifactFile(path, media_type, filename, path.stat().st_size, inline)
