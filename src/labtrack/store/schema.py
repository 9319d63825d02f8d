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
  SQLite allows 2,000 columns: past WIDE_NAMES names in all, the view holds the first names of each
  kind in alphabetical order (params and metrics share the budget; neither gets less than half
  unless the other needs less), and `runs_long` holds them all.
- `runs_long` (a view, m004): one row per run and name, every name: `number`, `kind` (param,
  metric or tag), `name`, `value` (a metric's last value; NULL for NaN).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite_utils imports pandas: load it only when a migration must run
    from sqlite_utils import Database

MIGRATION_SET = "labtrack"

# The names of every migration this code knows, in order. A store that has applied one not listed
# here was written by a newer labtrack.
MIGRATION_NAMES = (
    "m001_initial",
    "m002_definitions_join_notebook_experiments",
    "m003_hypothesis_audit",
    "m004_runs_long",
    "m005_dataset_context",
)
WIDE_NAMES = 1990  # params + metrics in runs_wide: SQLite's default limit is 2,000 columns


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


def m002_definitions_join_notebook_experiments(db: Database) -> None:
    """A one-time repair. Before labtrack bound `%metric` and `%hypothesis` to the notebook's
    experiment, those stated before a notebook's first tracked run landed in `Default` while its
    runs went to the notebook's experiment, so they never applied. When `Default` holds no run,
    its definitions move to every notebook experiment that has none of that name, and each of its
    hypotheses to the experiment of the runs linked to it (or to the only notebook experiment)."""
    import logging

    conn = db.conn
    row = conn.execute("SELECT id FROM experiments WHERE name = 'Default'").fetchone()
    if (
        row is None
        or conn.execute("SELECT 1 FROM runs WHERE experiment_id = ? LIMIT 1", row).fetchone()
    ):
        return  # `Default` has runs of its own: its definitions are theirs
    default = row[0]
    notebooks = dict(
        conn.execute(
            "SELECT DISTINCT e.id, e.name FROM runs r JOIN experiments e ON e.id = r.experiment_id"
            " WHERE r.notebook IS NOT NULL ORDER BY e.id"
        ).fetchall()
    )
    if not notebooks:
        return
    moved: list[str] = []
    for (hid,) in conn.execute(
        "SELECT id FROM hypotheses WHERE experiment_id = ?", (default,)
    ).fetchall():
        linked = {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT r.experiment_id FROM hypothesis_runs h JOIN runs r ON r.id = h.run_id"
                " WHERE h.hypothesis_id = ?",
                (hid,),
            )
        }
        target = (
            linked.pop()
            if len(linked) == 1
            else next(iter(notebooks))
            if not linked and len(notebooks) == 1
            else None
        )
        if target is not None:
            conn.execute("UPDATE hypotheses SET experiment_id = ? WHERE id = ?", (target, hid))
            name = (
                notebooks.get(target)
                or conn.execute("SELECT name FROM experiments WHERE id = ?", (target,)).fetchone()[
                    0
                ]
            )
            moved.append(f"hypothesis H{hid} -> {name!r}")
    definitions = conn.execute(
        "SELECT name, goal, target, summary, created FROM metric_definitions WHERE experiment_id = ?",
        (default,),
    ).fetchall()
    for name, goal, target, summary, created in definitions:
        for exp_id, exp_name in notebooks.items():
            added = conn.execute(
                "INSERT OR IGNORE INTO metric_definitions (experiment_id, name, goal, target, summary, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (exp_id, name, goal, target, summary, created),
            ).rowcount
            if added:
                moved.append(f"metric {name!r} -> {exp_name!r}")
        conn.execute(
            "DELETE FROM metric_definitions WHERE experiment_id = ? AND name = ?", (default, name)
        )
    if moved:
        logging.getLogger("labtrack").warning(
            "labtrack moved definitions stated before a notebook's first run from experiment 'Default' to the"
            " notebook's experiment, where its runs are (once, on upgrading this store): %s",
            "; ".join(moved),
        )


def m003_hypothesis_audit(db: Database) -> None:
    """Hypotheses keep what they were stated with (issue 14): the change they test, the metric
    definition then in force, and a filter baseline frozen as a list of runs."""
    import json

    from .filters import compile_filter

    db.execute("ALTER TABLE hypotheses ADD COLUMN change TEXT")
    db.execute("ALTER TABLE hypotheses ADD COLUMN definition TEXT")
    rows = db.execute(
        "SELECT h.id, h.experiment_id, h.metric, h.expect, h.baseline, h.created FROM hypotheses h"
    ).fetchall()
    for hid, exp_id, metric, expect, baseline, created in rows:
        found = db.execute(  # the experiment's own definition wins over the store-wide one
            "SELECT goal, summary FROM metric_definitions WHERE name = ? AND experiment_id IN (0, ?)"
            " ORDER BY experiment_id != 0 DESC LIMIT 1",
            (metric, exp_id),
        ).fetchone()
        goal, summary = found or ("max" if expect == "increase" else "min", "last")
        db.execute(
            "UPDATE hypotheses SET definition = ? WHERE id = ?",
            (json.dumps({"goal": goal, "summary": summary}), hid),
        )
        spec = json.loads(baseline) if baseline else {}
        if "filter" not in spec or "runs" in spec:
            continue
        try:
            where, args = compile_filter(spec["filter"])
        except Exception:  # a filter the parser no longer reads: keep it as it was
            continue
        treatment = {
            r[0]
            for r in db.execute(
                "SELECT run_id FROM hypothesis_runs WHERE hypothesis_id = ? AND role = 'treatment'",
                (hid,),
            )
        }
        matched = [
            r[0]
            for r in db.execute(
                f"SELECT r.id FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE ({where})"
                " AND r.experiment_id = ? ORDER BY r.id",
                (*args, exp_id),
            )
            if r[0] not in treatment
        ]
        # Runs from before the hypothesis was stated are what the user meant; later ones drifted in.
        earlier = [
            r
            for r in matched
            if db.execute("SELECT start_time < ? FROM runs WHERE id = ?", (created, r)).fetchone()[
                0
            ]
        ]
        spec["runs"] = earlier or matched
        db.execute("UPDATE hypotheses SET baseline = ? WHERE id = ?", (json.dumps(spec), hid))
        db.conn.executemany(
            "INSERT OR IGNORE INTO hypothesis_runs (hypothesis_id, run_id, role) VALUES (?, ?, 'baseline')",
            [(hid, r) for r in spec["runs"]],
        )


RUNS_LONG = """CREATE VIEW runs_long AS
SELECT run_id AS number, 'param' AS kind, key AS name, value FROM params
UNION ALL
SELECT s.run_id, 'metric', k.name, s.last FROM metric_summaries s JOIN metric_keys k ON k.id = s.key_id
UNION ALL
SELECT run_id, 'tag', key, value FROM tags"""


def m004_runs_long(db: Database) -> None:
    """`runs_long`: every param, metric (last value) and tag of every run, one row each, for
    stores with more names than `runs_wide` can hold as columns."""
    db.execute(RUNS_LONG)


def m005_dataset_context(db: Database) -> None:
    """A dataset's role in the run ("training", "eval"): MLflow's `mlflow.data.context`, so that
    `datasets.context` filters work and imported runs keep it."""
    db.execute("ALTER TABLE datasets ADD COLUMN context TEXT")


MIGRATIONS = {
    "m001_initial": m001_initial,
    "m002_definitions_join_notebook_experiments": m002_definitions_join_notebook_experiments,
    "m003_hypothesis_audit": m003_hypothesis_audit,
    "m004_runs_long": m004_runs_long,
    "m005_dataset_context": m005_dataset_context,
}


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
    """The `CREATE VIEW runs_wide` statement for the given param and metric names (sorted); past
    WIDE_NAMES names, the first of each kind (see `wide_names`)."""
    param_keys, metric_names = wide_names(list(param_keys), list(metric_names))
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


def wide_names(
    params: list[str], metrics: list[str], budget: int = WIDE_NAMES
) -> tuple[list[str], list[str]]:
    """The param and metric names `runs_wide` shows: all of them if they fit in `budget`, else the
    first of each kind, half the budget each (a kind needing less leaves the rest to the other).

    >>> wide_names(["a", "b", "c"], ["x"], budget=2)
    (['a'], ['x'])
    """
    if len(params) + len(metrics) <= budget:
        return params, metrics
    half = budget // 2
    n_params = min(len(params), max(half, budget - len(metrics)))
    return params[:n_params], metrics[: budget - n_params]
