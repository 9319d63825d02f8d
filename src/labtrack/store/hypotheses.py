"""SQL for metric definitions, hypotheses and their links to runs (the logic is in labtrack.hypotheses)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import LabtrackError

if TYPE_CHECKING:
    from .store import Store

STORE_WIDE = 0  # experiment_id of definitions that apply to every experiment


@dataclass(frozen=True)
class MetricDefinition:
    """What "better" means for a metric: its goal, an optional target, and the summary to compare."""

    name: str
    goal: str
    target: float | None = None
    summary: str = "last"
    experiment: str | None = None  # None: the store-wide default


@dataclass(frozen=True)
class HypothesisRecord:
    id: int
    experiment: str | None
    statement: str
    metric: str
    expect: str
    min_effect: float
    baseline: dict[str, Any] | None
    status: str
    created: float
    closed: float | None
    note: str | None
    verdict: dict[str, Any] | None  # frozen when closed
    change: str | None = None  # what the hypothesis tests, e.g. "params.dropout"
    definition: dict[str, Any] | None = None  # the metric's goal and summary when it was stated
    restated: bool = False  # True when stating it again returned this open one (no duplicate)


def pick_summary(
    summary: str,
    goal: str,
    last: float | None,
    lo: float | None,
    hi: float | None,
    mean: float | None,
) -> float | None:
    """The value a definition's summary names: `last`, `best` (max for goal max, else min) or `mean`."""
    if summary == "best":
        return hi if goal == "max" else lo
    return mean if summary == "mean" else last


class HypothesisNotFound(LabtrackError, LookupError):
    """No hypothesis with that id."""


def put_definition(store: Store, d: MetricDefinition) -> None:
    exp_id = STORE_WIDE if d.experiment is None else store.experiment_id(d.experiment)
    with store.write() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO metric_definitions (experiment_id, name, goal, target, summary, created)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (exp_id, d.name, d.goal, d.target, d.summary, time.time()),
        )


def definitions(store: Store, experiment: str | None = None) -> dict[str, MetricDefinition]:
    """Definitions in force for `experiment`: the store-wide ones, overridden by the experiment's own."""
    rows = store.read(
        "SELECT d.name, d.goal, d.target, d.summary, e.name FROM metric_definitions d"
        " LEFT JOIN experiments e ON e.id = d.experiment_id"
        " WHERE d.experiment_id = 0 OR e.name IS ? ORDER BY d.experiment_id != 0",
        (experiment,),
    )
    return {
        name: MetricDefinition(name, goal, target, summary, exp)
        for name, goal, target, summary, exp in rows
    }


def insert_hypothesis(
    store: Store,
    experiment: str,
    statement: str,
    metric: str,
    expect: str,
    min_effect: float,
    baseline: dict[str, Any] | None,
    change: str | None = None,
    definition: dict[str, Any] | None = None,
) -> int:
    exp_id = store.experiment_id(experiment)
    with store.write() as conn:
        cur = conn.execute(
            "INSERT INTO hypotheses (experiment_id, statement, metric, expect, min_effect, baseline, status,"
            " created, change, definition) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
            (
                exp_id,
                statement,
                metric,
                expect,
                min_effect,
                json.dumps(baseline) if baseline else None,
                time.time(),
                change,
                json.dumps(definition) if definition else None,
            ),
        )
        return int(cur.lastrowid)


def find_open_hypothesis(
    store: Store, experiment: str, statement: str, metric: str, expect: str
) -> HypothesisRecord | None:
    """The newest open hypothesis of `experiment` with this statement, metric and expectation."""
    rows = store.read(
        _SELECT + " WHERE e.name IS ? AND h.statement = ? AND h.metric = ? AND h.expect = ?"
        " AND h.status = 'open' ORDER BY h.id DESC LIMIT 1",
        (experiment, statement, metric, expect),
    )
    return _record(rows[0]) if rows else None


def set_baseline(store: Store, hypothesis_id: int, spec: dict[str, Any]) -> None:
    """Replace a hypothesis's baseline spec and its baseline links with `spec["runs"]`."""
    with store.write() as conn:
        conn.execute(
            "UPDATE hypotheses SET baseline = ? WHERE id = ?", (json.dumps(spec), hypothesis_id)
        )
        conn.execute(
            "DELETE FROM hypothesis_runs WHERE hypothesis_id = ? AND role = 'baseline'",
            (hypothesis_id,),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO hypothesis_runs (hypothesis_id, run_id, role) VALUES (?, ?, 'baseline')",
            [(hypothesis_id, run) for run in spec.get("runs", [])],
        )


_SELECT = (
    "SELECT h.id, e.name, h.statement, h.metric, h.expect, h.min_effect, h.baseline, h.status, h.created,"
    " h.closed, h.note, h.verdict, h.change, h.definition FROM hypotheses h LEFT JOIN experiments e ON e.id = h.experiment_id"
)


def _record(row: tuple) -> HypothesisRecord:
    (
        hid,
        exp,
        statement,
        metric,
        expect,
        min_effect,
        baseline,
        status,
        created,
        closed,
        note,
        verdict,
    ) = row[:12]
    change, definition = row[12:]
    return HypothesisRecord(
        hid,
        exp,
        statement,
        metric,
        expect,
        min_effect,
        json.loads(baseline) if baseline else None,
        status,
        created,
        closed,
        note,
        json.loads(verdict) if verdict else None,
        change,
        json.loads(definition) if definition else None,
    )


def get_hypothesis(store: Store, hypothesis_id: int) -> HypothesisRecord:
    rows = store.read(_SELECT + " WHERE h.id = ?", (hypothesis_id,))
    if not rows:
        raise HypothesisNotFound(
            f"no hypothesis H{hypothesis_id}; `labtrack hypotheses` lists them"
        )
    return _record(rows[0])


def list_hypotheses(store: Store) -> list[HypothesisRecord]:
    return [_record(row) for row in store.read(_SELECT + " ORDER BY h.id")]


def link_run(store: Store, hypothesis_id: int, run_id: int, role: str = "treatment") -> None:
    with store.write() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO hypothesis_runs (hypothesis_id, run_id, role) VALUES (?, ?, ?)",
            (hypothesis_id, run_id, role),
        )
        if role == "treatment":
            conn.execute("UPDATE runs SET hypothesis_id = ? WHERE id = ?", (hypothesis_id, run_id))


def linked_runs(store: Store, hypothesis_id: int, role: str) -> list[int]:
    return [
        r[0]
        for r in store.read(
            "SELECT run_id FROM hypothesis_runs WHERE hypothesis_id = ? AND role = ? ORDER BY run_id",
            (hypothesis_id, role),
        )
    ]


def close_hypothesis(
    store: Store, hypothesis_id: int, verdict: dict[str, Any], note: str | None
) -> None:
    with store.write() as conn:
        conn.execute(
            "UPDATE hypotheses SET status = 'closed', closed = ?, note = ?, verdict = ? WHERE id = ?",
            (time.time(), note, json.dumps(verdict), hypothesis_id),
        )


def evidence_rows(store: Store, run_ids: list[int], metric: str) -> list[tuple]:
    """(run, status, last, min, max, mean, logged) of `metric` for each run; `logged` is 0 where the
    run lacks the metric (then the values are None), and a None value of a logged metric is NaN."""
    rows: list[tuple] = []
    for start in range(0, len(run_ids), 10_000):  # within SQLite's limit on bound parameters
        chunk = run_ids[start : start + 10_000]
        marks = ",".join("?" for _ in chunk)
        rows += store.read(
            f"SELECT r.id, r.status, s.last, s.min, s.max, CASE WHEN s.count > 0 THEN s.sum / s.count END,"
            f" s.run_id IS NOT NULL"
            f" FROM runs r LEFT JOIN metric_summaries s ON s.run_id = r.id"
            f" AND s.key_id = (SELECT id FROM metric_keys WHERE name = ?) WHERE r.id IN ({marks}) ORDER BY r.id",
            (metric, *chunk),
        )
    return rows


def runs_before(store: Store, experiment: str, before: float) -> list[int]:
    """Finished runs of `experiment` that started before `before` (a hypothesis's creation time)."""
    return [
        r[0]
        for r in store.read(
            "SELECT r.id FROM runs r JOIN experiments e ON e.id = r.experiment_id"
            " WHERE e.name = ? AND r.status = 'finished' AND r.start_time < ? ORDER BY r.id",
            (experiment, before),
        )
    ]


def filtered_run_ids(store: Store, filter: str, experiment: str | None = None) -> list[int]:
    """Runs matching `filter`, only those of `experiment` when it is given."""
    from .filters import compile_filter

    where, args = compile_filter(filter)
    scope, more = (" AND e.name = ?", [experiment]) if experiment is not None else ("", [])
    return [
        r[0]
        for r in store.read(
            f"SELECT r.id FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE ({where}){scope}"
            " ORDER BY r.id",
            [*args, *more],
        )
    ]


def treatment_run_ids(store: Store) -> set[int]:
    """Every run linked to some hypothesis as its treatment."""
    return {r[0] for r in store.read("SELECT run_id FROM hypothesis_runs WHERE role = 'treatment'")}


@dataclass(frozen=True)
class RunProfile:
    """What makes two runs comparable: params, cell code, dataset fingerprints, package versions."""

    run: int
    params: dict[str, Any]
    code: str | None
    datasets: dict[str, str]  # name -> fingerprint
    packages: dict[str, str]  # name -> version
    tags: dict[str, str]


def run_configs(
    store: Store, experiment: str | None, skip: tuple[str, ...] = ("seed",)
) -> dict[int, str]:
    """For each finished run of `experiment`, a text naming its params (those in `skip` aside):
    runs with equal texts tried the same configuration; a run without params has ''."""
    marks = ",".join("?" for _ in skip) or "NULL"
    rows = store.read(
        "SELECT r.id, (SELECT group_concat(item, char(31)) FROM (SELECT p.key || char(30) || p.kind"
        " || char(30) || quote(p.value) AS item FROM params p WHERE p.run_id = r.id"
        f" AND p.key NOT IN ({marks}) ORDER BY p.key)) FROM runs r JOIN experiments e"
        " ON e.id = r.experiment_id WHERE e.name IS ? AND r.status = 'finished' ORDER BY r.id",
        (*skip, experiment),
    )
    return {run: config or "" for run, config in rows}


def run_params(store: Store, run_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each run's params (decoded), by number; a run without params is absent."""
    from ..tracking.values import decode_param

    params: dict[int, dict[str, Any]] = {}
    for start in range(0, len(run_ids), 10_000):
        chunk = run_ids[start : start + 10_000]
        marks = ",".join("?" for _ in chunk)
        for run, key, value, kind in store.read(
            f"SELECT run_id, key, value, kind FROM params WHERE run_id IN ({marks})", chunk
        ):
            params.setdefault(run, {})[key] = decode_param(value, kind)
    return params


def run_profiles(store: Store, run_ids: list[int]) -> dict[int, RunProfile]:
    """The `RunProfile` of each run, by number."""
    found: dict[int, RunProfile] = {}
    for start in range(0, len(run_ids), 10_000):
        chunk = run_ids[start : start + 10_000]
        marks = ",".join("?" for _ in chunk)
        params = run_params(store, chunk)
        data: dict[int, dict[str, str]] = {}
        for run, name, fingerprint in store.read(
            f"SELECT run_id, name, fingerprint FROM datasets WHERE run_id IN ({marks})", chunk
        ):
            data.setdefault(run, {})[name] = fingerprint
        tags: dict[int, dict[str, str]] = {}
        for run, key, value in store.read(
            f"SELECT run_id, key, value FROM tags WHERE run_id IN ({marks})", chunk
        ):
            tags.setdefault(run, {})[key] = value
        for run, code, env in store.read(
            f"SELECT r.id, r.code, v.data FROM runs r LEFT JOIN environments v ON v.id = r.environment_id"
            f" WHERE r.id IN ({marks})",
            chunk,
        ):
            packages = (json.loads(env) or {}).get("packages", {}) if env else {}
            found[run] = RunProfile(
                run,
                params.get(run, {}),
                code,
                data.get(run, {}),
                packages if isinstance(packages, dict) else {},
                tags.get(run, {}),
            )
    return found
