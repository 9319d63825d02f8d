"""Big stores on disk for the benchmarks, built fast with direct SQL (what is *measured* is the API).

A store is opened through `Store.open` (so its schema is labtrack's own, migrations included), then
filled with `INSERT ... SELECT` over recursive counters, so SQLite does the work in C:

>>> folder = runs_store(100_000)          # 100,000 finished runs x 20 params x 5 metrics
>>> folder, number = points_store(5_000_000)  # one run with a 5,000,000-point `loss`

Stores are cached under $TMPDIR/labtrack-bench-stores/ by shape, so a second `make bench` reuses them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

CACHE = Path(
    os.environ.get("LABTRACK_BENCH_STORES") or Path(tempfile.gettempdir()) / "labtrack-bench-stores"
)
BUILDER_VERSION = (
    1  # bump when the shape of the built stores changes: cached stores are then rebuilt
)
N_PARAMS, N_METRICS = 20, 5
T0 = 1_760_000_000.0  # a fixed start time, so stores are the same from one build to the next


def _counter(n: int) -> str:
    return f"WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < {n - 1})"


def _new_store(name: str) -> tuple[Path, bool]:
    """(the store folder for `name`, whether it is already built)."""
    from labtrack.store.schema import MIGRATION_NAMES

    # the schema's newest migration in the key: a store built by another schema is rebuilt, not reused
    folder = CACHE / f"v{BUILDER_VERSION}-{MIGRATION_NAMES[-1]}-{name}" / ".labtrack"
    if (folder / "built").exists():
        return folder, True
    if folder.parent.exists():
        shutil.rmtree(folder.parent)
    from labtrack.store import Store

    Store.open(folder).close()  # labtrack's schema, by its own migrations
    return folder, False


def _fill(folder: Path, statements: list[str]) -> None:
    conn = sqlite3.connect(folder / "labtrack.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    for sql in statements:
        conn.execute(sql)
    conn.execute("UPDATE changes SET version = version + 1")
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    (folder / "built").write_text(time.ctime())


def runs_store(runs: int, params: int = N_PARAMS, metrics: int = N_METRICS) -> Path:
    """A store of `runs` finished runs, each with `params` params (floats, ints and strings mixed)
    and `metrics` metrics (one point each, summaries included); returns its folder."""
    folder, built = _new_store(f"runs-{runs}x{params}x{metrics}")
    if built:
        return folder
    from labtrack.store.schema import runs_wide_sql

    names = [f"p{j}" for j in range(params)]
    keys = [f"m{k}" for k in range(metrics)]
    rnd = "(abs(random()) % 1000000) / 1000000.0"
    _fill(
        folder,
        [
            "INSERT INTO experiments (id, name, created) VALUES (1, 'bench', 0)",
            f"{_counter(runs)} INSERT INTO runs (id, uuid, experiment_id, name, status, start_time, end_time,"
            " notebook, host, pid)"
            f" SELECT i + 1, lower(hex(randomblob(16))), 1, 'run-' || i, 'finished', {T0} + i, {T0} + i + 30,"
            " 'bench.ipynb', 'bench', 0 FROM c",
            # a param of each kind in turn: p0 float, p1 str, p2 int, p3 float, ...
            f"{_counter(params)} INSERT INTO params (run_id, key, value, kind)"
            f" SELECT r.id, 'p' || c.i, CASE c.i % 3 WHEN 0 THEN {rnd} WHEN 1 THEN"
            " CASE abs(random()) % 3 WHEN 0 THEN 'rf' WHEN 1 THEN 'svm' ELSE 'gbm' END"
            " ELSE abs(random()) % 10 END,"
            " CASE c.i % 3 WHEN 0 THEN 'float' WHEN 1 THEN 'str' ELSE 'int' END FROM runs r, c",
            f"{_counter(metrics)} INSERT INTO metric_keys (id, name) SELECT i + 1, 'm' || i FROM c",
            "INSERT INTO metric_summaries (run_id, key_id, last, last_step, count)"
            f" SELECT r.id, k.id, {rnd}, 0, 1 FROM runs r, metric_keys k ORDER BY r.id, k.id",
            "UPDATE metric_summaries SET min = last, max = last, sum = last",
            # the same values as points (one each), so histories and summaries agree
            "INSERT INTO metric_points (run_id, key_id, step, value, wall_ms)"
            f" SELECT run_id, key_id, 0, last, CAST(({T0} + run_id) * 1000 AS INTEGER) FROM metric_summaries",
            "DROP VIEW runs_wide",
            runs_wide_sql(names, keys),
        ],
    )
    return folder


def points_store(points: int) -> tuple[Path, int]:
    """A store with one finished run (#1) holding `points` points of `loss` (a falling, noisy curve);
    returns (its folder, the run's number)."""
    folder, built = _new_store(f"points-{points}")
    if built:
        return folder, 1
    from labtrack.store.schema import runs_wide_sql

    _fill(
        folder,
        [
            "INSERT INTO experiments (id, name, created) VALUES (1, 'bench', 0)",
            "INSERT INTO runs (id, uuid, experiment_id, name, status, start_time, end_time, host, pid)"
            f" VALUES (1, lower(hex(randomblob(16))), 1, 'long', 'finished', {T0}, {T0} + {points / 1000}, 'bench', 0)",
            "INSERT INTO params (run_id, key, value, kind) VALUES (1, 'lr', 0.01, 'float')",
            "INSERT INTO metric_keys (id, name) VALUES (1, 'loss')",
            f"{_counter(points)} INSERT INTO metric_points (run_id, key_id, step, value, wall_ms)"
            f" SELECT 1, 1, i, 1.0 / (i + 1) + (abs(random()) % 1000) / 100000.0,"
            f" CAST({T0 * 1000} AS INTEGER) + i FROM c",
            "INSERT INTO metric_summaries (run_id, key_id, last, last_step, min, max, sum, count, nan_count)"
            " SELECT 1, 1, (SELECT value FROM metric_points WHERE run_id = 1 AND key_id = 1"
            "  ORDER BY step DESC LIMIT 1), max(step), min(value), max(value), sum(value), count(*), 0"
            " FROM metric_points WHERE run_id = 1 AND key_id = 1",
            "DROP VIEW runs_wide",
            runs_wide_sql(["lr"], ["loss"]),
        ],
    )
    return folder, 1


def curves_store(runs: int, steps: int, metrics: int = 1) -> Path:
    """A store of `runs` finished runs (#1..), each with `metrics` metrics (`loss`, then `m1`,
    `m2`, ...) of `steps` points, and a `lr` param; returns its folder."""
    folder, built = _new_store(f"curves-{runs}x{steps}x{metrics}")
    if built:
        return folder
    from labtrack.store.schema import runs_wide_sql

    names = ["loss"] + [f"m{k}" for k in range(1, metrics)]
    _fill(
        folder,
        [
            "INSERT INTO experiments (id, name, created) VALUES (1, 'bench', 0)",
            f"{_counter(runs)} INSERT INTO runs (id, uuid, experiment_id, name, status, start_time,"
            " end_time, host, pid) SELECT i + 1, lower(hex(randomblob(16))), 1, 'curve-' || i,"
            f" 'finished', {T0} + i * 60, {T0} + i * 60 + 50, 'bench', 0 FROM c",
            "INSERT INTO params (run_id, key, value, kind)"
            " SELECT id, 'lr', 1.0 / (10 + id), 'float' FROM runs",
            *(
                f"INSERT INTO metric_keys (id, name) VALUES ({k + 1}, '{name}')"
                for k, name in enumerate(names)
            ),
            f"{_counter(steps)} INSERT INTO metric_points (run_id, key_id, step, value, wall_ms)"
            " SELECT r.id, k.id, c.i, k.id * 0.1 + 1.0 / (c.i + 1) + (abs(random()) % 1000) / 100000.0,"
            f" CAST(({T0} + r.id * 60) * 1000 AS INTEGER) + c.i FROM runs r, metric_keys k, c"
            " ORDER BY r.id, k.id, c.i",
            "INSERT INTO metric_summaries (run_id, key_id, last, last_step, min, max, sum, count, nan_count)"
            " SELECT run_id, key_id, (SELECT value FROM metric_points q WHERE q.run_id = p.run_id AND"
            " q.key_id = p.key_id ORDER BY step DESC LIMIT 1), max(step), min(value), max(value),"
            " sum(value), count(*), 0 FROM metric_points p GROUP BY run_id, key_id",
            "DROP VIEW runs_wide",
            runs_wide_sql(["lr"], sorted(names)),
        ],
    )
    return folder


def _mlflow_db(name: str) -> tuple[Path, str, bool]:
    """(MLflow's SQLite file for `name`, its tracking URI, whether it is already built)."""
    folder = CACHE / f"v{BUILDER_VERSION}-mlflow-{name}"
    db = folder / "mlflow.db"
    uri = f"sqlite:///{db}"
    if (folder / "built").exists():
        return db, uri, True
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    import logging

    logging.getLogger("mlflow").setLevel(logging.ERROR)
    logging.getLogger("alembic").setLevel(logging.ERROR)
    from mlflow.tracking import MlflowClient

    MlflowClient(uri).create_experiment("bench")  # MLflow's own schema, by its own migrations
    return db, uri, False


def _mlflow_fill(db: Path, statements: list[str]) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    for sql in statements:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    (db.parent / "built").write_text(time.ctime())


_MLFLOW_RUN = (  # one finished run per counter value, in experiment 'bench'
    "INSERT INTO runs (run_uuid, name, source_type, user_id, status, start_time, end_time,"
    " lifecycle_stage, artifact_uri, experiment_id)"
    " SELECT lower(hex(randomblob(16))), 'run-' || i, 'UNKNOWN', 'bench', 'FINISHED',"
    " {t0} + i * 1000, {t0} + i * 1000 + 30000, 'active', '{root}/' || i,"
    " (SELECT experiment_id FROM experiments WHERE name = 'bench') FROM c"
)


def mlflow_runs_store(runs: int, params: int = N_PARAMS, metrics: int = N_METRICS) -> str:
    """MLflow's SQLite store with `runs` finished runs x `params` params x `metrics` metrics (the
    shape of `runs_store`); returns its tracking URI."""
    db, uri, built = _mlflow_db(f"runs-{runs}x{params}x{metrics}")
    if built:
        return uri
    rnd = "(abs(random()) % 1000000) / 1000000.0"
    t0 = int(T0 * 1000)
    _mlflow_fill(
        db,
        [
            f"{_counter(runs)} " + _MLFLOW_RUN.format(t0=t0, root=db.parent),
            f"{_counter(params)} INSERT INTO params (key, value, run_uuid)"
            f" SELECT 'p' || c.i, CAST({rnd} AS TEXT), r.run_uuid FROM runs r, c",
            f"{_counter(metrics)} INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid)"
            f" SELECT 'm' || c.i, {rnd}, r.start_time, 0, 0, r.run_uuid FROM runs r, c",
            "INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan)"
            " SELECT key, value, timestamp, run_uuid, step, is_nan FROM latest_metrics",
            "INSERT INTO tags (key, value, run_uuid) SELECT 'mlflow.runName', name, run_uuid FROM runs",
        ],
    )
    return uri


def mlflow_points_store(points: int) -> tuple[str, str]:
    """MLflow's SQLite store with one run holding `points` points of `loss` (the curve of
    `points_store`); returns (its tracking URI, the run's id)."""
    db, uri, built = _mlflow_db(f"points-{points}")
    if not built:
        t0 = int(T0 * 1000)
        _mlflow_fill(
            db,
            [
                f"{_counter(1)} " + _MLFLOW_RUN.format(t0=t0, root=db.parent),
                f"{_counter(points)} INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan)"
                " SELECT 'loss', 1.0 / (i + 1) + (abs(random()) % 1000) / 100000.0,"
                f" {t0} + i, (SELECT run_uuid FROM runs), i, 0 FROM c",
                "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid)"
                " SELECT key, value, timestamp, step, is_nan, run_uuid FROM metrics"
                " ORDER BY step DESC LIMIT 1",
            ],
        )
    (run_id,) = sqlite3.connect(db).execute("SELECT run_uuid FROM runs").fetchone()
    return uri, run_id


if (
    __name__ == "__main__"
):  # build (or find) the stores `make bench` reads, and say how long it took
    for build, size in ((runs_store, 100_000), (points_store, 5_000_000)):
        began = time.perf_counter()
        print(build.__name__, size, build(size), f"{time.perf_counter() - began:.1f} s")
