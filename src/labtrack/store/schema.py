"""The store's schema, versioned with sqlite-utils `Migrations` (DESIGN §3).

Each migration is a small function applied once, in order, in its own transaction. Never edit a
released migration: add a new one, and add a frozen store made by the version before it to
`tests/data/` (see `tests/make_frozen_store.py`).

Tables (all readable with plain `sqlite3`):

- `experiments`: a notebook or a named study.
- `runs`: one try. `id` is the short number users type (`#12`); `uuid` is global, for export and sync.
  `status` is running | finished | failed | interrupted | crashed; `heartbeat` is refreshed while running.
- `params`: one row per run and name. `value` keeps the SQLite type of the Python value (an int stays
  INTEGER, a float REAL, a str TEXT); `kind` says how to read it back (int, float, str, bool, none, json,
  repr).
- `metric_keys`: metric names, stored once and referenced by integer.
- `metric_points`: one row per (run, metric, step): `value` (NULL stands for NaN, which SQLite cannot
  store) and `wall_ms` (milliseconds since the Unix epoch). A WITHOUT ROWID table, so points are compact.
- `metric_summaries`: per run and metric, kept current on every flush: last value and step, min, max,
  sum and count of the non-NaN values, count of NaN values.
- `tags`, `artifacts` (name -> sha256 -> `artifacts/sha256/ab/cdef...`), `datasets` (with the
  `context` MLflow gives a dataset, since m002),
  `environments` (deduplicated by hash), `metric_definitions`, `hypotheses`, `hypothesis_runs`.
- `runs_wide` (a view, rebuilt when a new param or metric name appears): one row per run with its
  attributes, a `params.NAME` column per param and a `metrics.NAME` column per metric's last value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils imports pandas: load it only when a migration must run
    from sqlite_utils import Database

MIGRATION_SET = "labtrack"

# The names of every migration this code knows, in order. A store that has applied one not listed
# here was written by a newer labtrack.
MIGRATION_NAMES = ("m001_initial", "m002_dataset_context")


def m001_initial(db: Database) -> None:
    """The first schema."""
    statements = [
        """CREATE TABLE experiments (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created REAL NOT NULL,
            description TEXT
        )""",
        """CREATE TABLE environments (
            id INTEGER PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            data TEXT NOT NULL,
            created REAL NOT NULL
        )""",
        """CREATE TABLE hypotheses (
            id INTEGER PRIMARY KEY,
            experiment_id INTEGER REFERENCES experiments(id),
            statement TEXT NOT NULL,
            metric TEXT NOT NULL,
            expect TEXT NOT NULL,
            min_effect REAL NOT NULL DEFAULT 0,
            baseline TEXT,
            status TEXT NOT NULL DEFAULT 'open',
            created REAL NOT NULL,
            closed REAL,
            note TEXT,
            verdict TEXT
        )""",
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uuid TEXT NOT NULL UNIQUE,
            experiment_id INTEGER NOT NULL REFERENCES experiments(id),
            name TEXT,
            status TEXT NOT NULL,
            start_time REAL NOT NULL,
            end_time REAL,
            heartbeat REAL,
            parent_id INTEGER REFERENCES runs(id),
            environment_id INTEGER REFERENCES environments(id),
            hypothesis_id INTEGER REFERENCES hypotheses(id),
            notebook TEXT,
            code TEXT,
            execution_count INTEGER,
            error_type TEXT,
            error_message TEXT,
            traceback TEXT,
            host TEXT,
            pid INTEGER
        )""",
        "CREATE INDEX runs_experiment ON runs(experiment_id)",
        "CREATE INDEX runs_status ON runs(status)",
        "CREATE INDEX runs_name ON runs(name)",
        """CREATE TABLE params (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            key TEXT NOT NULL,
            value,
            kind TEXT NOT NULL,
            PRIMARY KEY (run_id, key)
        ) WITHOUT ROWID""",
        "CREATE INDEX params_key ON params(key)",
        """CREATE TABLE metric_keys (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        )""",
        """CREATE TABLE metric_points (
            run_id INTEGER NOT NULL,
            key_id INTEGER NOT NULL,
            step INTEGER NOT NULL,
            value REAL,
            wall_ms INTEGER NOT NULL,
            PRIMARY KEY (run_id, key_id, step)
        ) WITHOUT ROWID""",
        """CREATE TABLE metric_summaries (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            key_id INTEGER NOT NULL REFERENCES metric_keys(id),
            last REAL,
            last_step INTEGER NOT NULL,
            min REAL,
            max REAL,
            sum REAL NOT NULL DEFAULT 0,
            count INTEGER NOT NULL DEFAULT 0,
            nan_count INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (run_id, key_id)
        ) WITHOUT ROWID""",
        """CREATE TABLE tags (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (run_id, key)
        ) WITHOUT ROWID""",
        """CREATE TABLE artifacts (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            media_type TEXT NOT NULL,
            created REAL NOT NULL,
            PRIMARY KEY (run_id, name)
        )""",
        "CREATE INDEX artifacts_sha256 ON artifacts(sha256)",
        """CREATE TABLE datasets (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            name TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            n_rows INTEGER NOT NULL,
            n_cols INTEGER NOT NULL,
            schema TEXT NOT NULL,
            created REAL NOT NULL,
            PRIMARY KEY (run_id, name)
        )""",
        """CREATE TABLE metric_definitions (
            experiment_id INTEGER NOT NULL DEFAULT 0,
            name TEXT NOT NULL,
            goal TEXT NOT NULL,
            target REAL,
            summary TEXT NOT NULL DEFAULT 'last',
            created REAL NOT NULL,
            PRIMARY KEY (experiment_id, name)
        )""",
        """CREATE TABLE hypothesis_runs (
            hypothesis_id INTEGER NOT NULL REFERENCES hypotheses(id),
            run_id INTEGER NOT NULL REFERENCES runs(id),
            role TEXT NOT NULL DEFAULT 'treatment',
            PRIMARY KEY (hypothesis_id, run_id)
        )""",
        "CREATE INDEX hypothesis_runs_run ON hypothesis_runs(run_id)",
        # A single-row counter bumped by every write: the panel's cheap change marker.
        "CREATE TABLE changes (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)",
        "INSERT INTO changes (id, version) VALUES (1, 0)",
    ]
    for sql in statements:
        db.execute(sql)
    db.execute(runs_wide_sql([], []))


def m002_dataset_context(db: Database) -> None:
    """A dataset's role in the run ("training", "eval"): MLflow's `mlflow.data.context`, so that
    `datasets.context` filters work and imported runs keep it."""
    db.execute("ALTER TABLE datasets ADD COLUMN context TEXT")


MIGRATIONS = {"m001_initial": m001_initial, "m002_dataset_context": m002_dataset_context}


def build_migrations():
    """Return the sqlite-utils `Migrations` set for labtrack, in order."""
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)
    for name in MIGRATION_NAMES:
        migrations(name=name)(MIGRATIONS[name])
    return migrations


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def runs_wide_sql(param_keys: list[str], metric_names: list[str]) -> str:
    """The `CREATE VIEW runs_wide` statement for the given param and metric names."""
    columns = [
        "r.id AS number",
        "r.uuid",
        "r.name",
        "e.name AS experiment",
        "r.status",
        "datetime(r.start_time, 'unixepoch') AS start",
        "datetime(r.end_time, 'unixepoch') AS end",
        "r.end_time - r.start_time AS duration_s",
        "r.notebook",
        "r.hypothesis_id",
    ]
    for key in param_keys:
        columns.append(
            f"(SELECT value FROM params p WHERE p.run_id = r.id AND p.key = {_literal(key)})"
            f" AS {_quote('params.' + key)}"
        )
    for name in metric_names:
        columns.append(
            "(SELECT s.last FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id"
            f" WHERE s.run_id = r.id AND k.name = {_literal(name)}) AS {_quote('metrics.' + name)}"
        )
    body = ",\n  ".join(columns)
    return (
        "CREATE VIEW runs_wide AS SELECT\n  "
        + body
        + "\nFROM runs r JOIN experiments e ON e.id = r.experiment_id"
    )
