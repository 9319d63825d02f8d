"""Read queries of the store: run lookup, one run's record, the runs table, metric histories."""

from __future__ import annotations

import json
import math
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RunNotFound
from ..tracking.values import decode_param
from .listing import RUN_COLUMNS  # noqa: F401 - re-exported: server.queries reads it here

if TYPE_CHECKING:
    import pandas as pd

    from .artifacts import ArtifactFiles


@dataclass(frozen=True)
class MetricSummary:
    """One metric of one run: last value (at the largest step), min, max, mean, counts."""

    last: float
    last_step: int
    min: float
    max: float
    mean: float
    count: int
    nan_count: int


@dataclass(frozen=True)
class ArtifactRecord:
    name: str
    sha256: str
    size: int
    media_type: str
    path: Path


@dataclass(frozen=True)
class RunRecord:
    """Everything recorded about one run, as returned by `lt.get_run(ref)`."""

    number: int
    uuid: str
    name: str | None
    experiment: str
    status: str
    start_time: float
    end_time: float | None
    params: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, MetricSummary] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    artifacts: list[ArtifactRecord] = field(default_factory=list)
    datasets: list[dict[str, Any]] = field(default_factory=list)
    parent: int | None = None
    hypothesis_id: int | None = None
    notebook: str | None = None
    code: str | None = None
    execution_count: int | None = None
    environment: dict[str, Any] | None = None
    error_type: str | None = None
    error_message: str | None = None
    traceback: str | None = None

    @property
    def duration(self) -> float | None:
        return None if self.end_time is None else self.end_time - self.start_time

    @property
    def label(self) -> str:
        return f"#{self.number}" + (f" {self.name}" if self.name else "")


_NUMBER = re.compile(r"^#?(\d+)$")
_HEX = re.compile(r"^[0-9a-f]{6,32}$")


def resolve_run(conn: sqlite3.Connection, ref: int | str) -> int:
    """The run number for `12`, `'#12'`, a uuid or uuid prefix (6+ hex digits), or a run name (newest wins)."""
    if isinstance(ref, bool) or not isinstance(ref, (int, str)):
        raise RunNotFound(f"a run reference is a number, '#12', a uuid or a name, not {ref!r}")
    text = ref if isinstance(ref, int) else ref.strip()
    if isinstance(ref, int) or _NUMBER.match(text):
        number = int(ref) if isinstance(ref, int) else int(_NUMBER.match(text).group(1))
        if conn.execute("SELECT 1 FROM runs WHERE id = ?", (number,)).fetchone():
            return number
        if isinstance(ref, int) or text.startswith("#") or not _HEX.match(text):
            raise RunNotFound(f"no run #{number} in this store; `labtrack runs` lists the runs")
        # else: digits only, but maybe a uuid prefix (or a name): look further
    if _HEX.match(text.lower()):
        rows = conn.execute(
            "SELECT id FROM runs WHERE uuid >= ? AND uuid < ? LIMIT 2",
            (text.lower(), text.lower() + "g"),
        ).fetchall()
        if len(rows) == 1:
            return rows[0][0]
    row = conn.execute(
        "SELECT id FROM runs WHERE name = ? ORDER BY id DESC LIMIT 1", (text,)
    ).fetchone()
    if row:
        return row[0]
    raise RunNotFound(f"no run named or numbered {text!r}; `labtrack runs` lists the runs")


def summary_from_row(last, last_step, lo, hi, total, count, nans) -> MetricSummary:
    nan = math.nan
    return MetricSummary(
        last=nan if last is None else last,
        last_step=last_step,
        min=nan if lo is None else lo,
        max=nan if hi is None else hi,
        mean=total / count
        if count and not (lo == -math.inf and hi == math.inf)
        else nan,  # +inf & -inf: NaN
        count=count,
        nan_count=nans,
    )


def run_record(conn: sqlite3.Connection, number: int, files: ArtifactFiles) -> RunRecord:
    row = conn.execute(
        "SELECT r.id, r.uuid, r.name, e.name, r.status, r.start_time, r.end_time, r.parent_id,"
        " r.hypothesis_id, r.notebook, r.code, r.execution_count, env.data, r.error_type,"
        " r.error_message, r.traceback FROM runs r JOIN experiments e ON e.id = r.experiment_id"
        " LEFT JOIN environments env ON env.id = r.environment_id WHERE r.id = ?",
        (number,),
    ).fetchone()
    if row is None:
        raise RunNotFound(f"no run #{number} in this store")
    params = {
        k: decode_param(v, kind)
        for k, v, kind in conn.execute(
            "SELECT key, value, kind FROM params WHERE run_id = ? ORDER BY key", (number,)
        )
    }
    metrics = {
        name: summary_from_row(*rest)
        for name, *rest in conn.execute(
            "SELECT k.name, s.last, s.last_step, s.min, s.max, s.sum, s.count, s.nan_count"
            " FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id WHERE s.run_id = ? ORDER BY k.name",
            (number,),
        )
    }
    tags = dict(
        conn.execute("SELECT key, value FROM tags WHERE run_id = ? ORDER BY key", (number,))
    )
    artifacts = [
        ArtifactRecord(name, digest, size, media, files.path_for(digest))
        for name, digest, size, media in conn.execute(
            "SELECT name, sha256, size, media_type FROM artifacts WHERE run_id = ? ORDER BY created, name",
            (number,),
        )
    ]
    datasets = [
        {
            "name": n,
            "fingerprint": f,
            "n_rows": r,
            "n_cols": c,
            "schema": json.loads(s),
            "context": x,
        }
        for n, f, r, c, s, x in conn.execute(
            "SELECT name, fingerprint, n_rows, n_cols, schema, context FROM datasets WHERE run_id = ? ORDER BY name",
            (number,),
        )
    ]
    (
        num,
        uid,
        name,
        exp,
        status,
        start,
        end,
        parent,
        hyp,
        notebook,
        code,
        count,
        env,
        etype,
        emsg,
        tb,
    ) = row
    return RunRecord(
        number=num,
        uuid=uid,
        name=name,
        experiment=exp,
        status=status,
        start_time=start,
        end_time=end,
        params=params,
        metrics=metrics,
        tags=tags,
        artifacts=artifacts,
        datasets=datasets,
        parent=parent,
        hypothesis_id=hyp,
        notebook=notebook,
        code=code,
        execution_count=count,
        environment=json.loads(env) if env else None,
        error_type=etype,
        error_message=emsg,
        traceback=tb,
    )


def runs_frame(
    conn: sqlite3.Connection, filter: str | None, experiment: str | None, **options: Any
) -> pd.DataFrame:
    """One row per run (see `frames.runs_frame`; options: columns, order_by, limit, offset)."""
    from .frames import runs_frame

    return runs_frame(conn, filter, experiment, **options)


def history_frame(
    conn: sqlite3.Connection, run_ids: list[int], metrics: list[str], **options: Any
) -> pd.DataFrame:
    """Tidy metric history: number, name, metric, step, value, time — sorted by number, metric,
    step (see `frames.history_frame`; options: thin, at_step)."""
    from .frames import history_frame

    return history_frame(conn, run_ids, metrics, **options)


def exact_summaries(
    conn: sqlite3.Connection, run_ids: list[int], metrics: list[str], longer_than: int = 0
) -> dict[tuple[int, str], dict[str, float]]:
    """(run, metric) -> {"mean", and "last" unless it is NaN} from the stored summaries, for series
    of more than `longer_than` points: what a comparison of thinned histories cannot compute."""
    marks = ",".join("?" for _ in run_ids) or "NULL"
    out: dict[tuple[int, str], dict[str, float]] = {}
    for run_id, name, *row in conn.execute(
        "SELECT s.run_id, k.name, s.last, s.last_step, s.min, s.max, s.sum, s.count, s.nan_count"
        " FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id"
        f" WHERE s.run_id IN ({marks}) AND s.count + s.nan_count > ?",
        [*run_ids, longer_than],
    ):
        if name in metrics:
            summary = summary_from_row(*row)
            out[(run_id, name)] = {"mean": summary.mean}
            if summary.last == summary.last:  # not NaN: the comparison's last too
                out[(run_id, name)]["last"] = summary.last
    return out
