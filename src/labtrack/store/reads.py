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
            "SELECT id FROM runs WHERE uuid >= ? AND uuid < ? LIMIT 2", (text.lower(), text.lower() + "g")
        ).fetchall()
        if len(rows) == 1:
            return rows[0][0]
    row = conn.execute("SELECT id FROM runs WHERE name = ? ORDER BY id DESC LIMIT 1", (text,)).fetchone()
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
        mean=total / count if count and not (lo == -math.inf and hi == math.inf) else nan,  # +inf & -inf: NaN
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
    params = {k: decode_param(v, kind) for k, v, kind in conn.execute(
        "SELECT key, value, kind FROM params WHERE run_id = ? ORDER BY key", (number,))}
    metrics = {name: summary_from_row(*rest) for name, *rest in conn.execute(
        "SELECT k.name, s.last, s.last_step, s.min, s.max, s.sum, s.count, s.nan_count"
        " FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id WHERE s.run_id = ? ORDER BY k.name",
        (number,))}
    tags = dict(conn.execute("SELECT key, value FROM tags WHERE run_id = ? ORDER BY key", (number,)))
    artifacts = [
        ArtifactRecord(name, digest, size, media, files.path_for(digest))
        for name, digest, size, media in conn.execute(
            "SELECT name, sha256, size, media_type FROM artifacts WHERE run_id = ? ORDER BY created, name",
            (number,))
    ]
    datasets = [
        {"name": n, "fingerprint": f, "n_rows": r, "n_cols": c, "schema": json.loads(s), "context": x}
        for n, f, r, c, s, x in conn.execute(
            "SELECT name, fingerprint, n_rows, n_cols, schema, context FROM datasets WHERE run_id = ? ORDER BY name",
            (number,))
    ]
    (num, uid, name, exp, status, start, end, parent, hyp, notebook, code, count, env,
     etype, emsg, tb) = row
    return RunRecord(
        number=num, uuid=uid, name=name, experiment=exp, status=status, start_time=start,
        end_time=end, params=params, metrics=metrics, tags=tags, artifacts=artifacts,
        datasets=datasets, parent=parent, hypothesis_id=hyp, notebook=notebook, code=code,
        execution_count=count, environment=json.loads(env) if env else None, error_type=etype,
        error_message=emsg, traceback=tb,
    )


_STORED_AS_IS = frozenset({"int", "str"})  # param kinds whose stored value is the Python value

RUN_COLUMNS = ["number", "uuid", "name", "experiment", "status", "start_time", "end_time",
               "duration", "parent", "hypothesis_id", "notebook"]


def runs_frame(conn: sqlite3.Connection, filter: str | None, experiment: str | None) -> pd.DataFrame:
    """One row per run: attributes, `params.*` (typed), `metrics.*` (last values), `tags.*`."""
    import pandas as pd

    from .filters import compile_filter

    where, args = compile_filter(filter)
    if experiment is not None:
        where = f"({where}) AND e.name = ?"
        args = [*args, experiment]
    selected = f"SELECT r.id FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE {where}"
    rows = conn.execute(
        "SELECT r.id, r.uuid, r.name, e.name, r.status, r.start_time, r.end_time,"
        " COALESCE(r.end_time, r.heartbeat, r.start_time) - r.start_time, r.parent_id,"
        f" r.hypothesis_id, r.notebook FROM runs r JOIN experiments e ON e.id = r.experiment_id"
        f" WHERE {where} ORDER BY r.id",
        args,
    ).fetchall()
    columns: dict[str, list] = {name: list(values) for name, values in zip(RUN_COLUMNS, zip(*rows))} \
        if rows else {name: [] for name in RUN_COLUMNS}
    position = {run_id: i for i, run_id in enumerate(columns["number"])}
    n = len(rows)
    scope = "" if filter is None and experiment is None else f" WHERE run_id IN ({selected})"
    scope_args = args if scope else []

    def spread(prefix: str, sql: str, typed: bool = False) -> dict[str, list]:
        # Rows come in primary-key order (no sort); columns are sorted by name at the end.
        out: dict[str, list] = {}
        for run_id, key, value, *kind in conn.execute(sql + scope, scope_args):
            column = out.get(key)
            if column is None:
                column = out[key] = [None] * n
            if typed and kind[0] not in _STORED_AS_IS:
                value = decode_param(value, kind[0])
            column[position[run_id]] = value
        return {prefix + key: out[key] for key in sorted(out)}

    params = spread("params.", "SELECT run_id, key, value, kind FROM params", typed=True)
    metrics = spread(
        "metrics.",
        "SELECT run_id, key, last FROM (SELECT s.run_id AS run_id, k.name AS key, s.last AS last"
        " FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id)",
    )
    tags = spread("tags.", "SELECT run_id, key, value FROM tags")
    frame = pd.DataFrame(columns)
    for name in ("start_time", "end_time"):
        frame[name] = pd.to_datetime(frame[name], unit="s", utc=True)
    extra = {k: pd.Series(v, dtype=object) for k, v in params.items()}
    extra.update({k: pd.Series(v, dtype="float64") for k, v in metrics.items()})
    extra.update({k: pd.Series(v, dtype=object) for k, v in tags.items()})
    if extra:
        frame = pd.concat([frame, pd.DataFrame(extra)], axis=1)
    return frame


def history_frame(conn: sqlite3.Connection, run_ids: list[int], metrics: list[str]) -> pd.DataFrame:
    """Tidy metric history: number, name, metric, step, value, time — sorted by number, metric, step."""
    import pandas as pd

    run_marks = ",".join("?" for _ in run_ids) or "NULL"
    metric_marks = ",".join("?" for _ in metrics) or "NULL"
    names = dict(conn.execute(f"SELECT id, name FROM runs WHERE id IN ({run_marks})", run_ids))
    keys = dict(conn.execute(f"SELECT id, name FROM metric_keys WHERE name IN ({metric_marks})", metrics))
    rows = conn.execute(
        f"SELECT run_id, key_id, step, value, wall_ms FROM metric_points"
        f" WHERE run_id IN ({run_marks}) AND key_id IN ({','.join('?' for _ in keys) or 'NULL'})"
        " ORDER BY run_id, key_id, step",
        [*run_ids, *keys],
    ).fetchall()
    if rows:
        run_col, key_col, step, value, wall = zip(*rows)
    else:
        run_col = key_col = step = value = wall = ()
    frame = pd.DataFrame({
        "number": pd.Series(run_col, dtype="int64"),
        "name": pd.Series([names.get(r) for r in run_col], dtype=object),
        "metric": pd.Series([keys[k] for k in key_col], dtype=object),
        "step": pd.Series(step, dtype="int64"),
        "value": pd.Series(value, dtype="float64"),
        "time": pd.to_datetime(pd.Series(wall, dtype="int64"), unit="ms", utc=True),
    })
    return frame.sort_values(["number", "metric", "step"], kind="stable", ignore_index=True)
