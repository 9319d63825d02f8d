"""Frozen stores made by older schemas open with the current code, upgraded, with nothing lost.

Each `tests/data/store-mNNN.db` was written by `tests/make_frozen_store.py` with the code of that
schema; the checks below compare what the current code reads against the script's spec, value by
value, and every raw row of the old file against the upgraded one.
"""

from __future__ import annotations

import math
import shutil
import sqlite3

import pytest

import labtrack as lt
from labtrack.fluent.session import default_lab
from labtrack.store.maintenance import health_report
from labtrack.store.schema import MIGRATION_NAMES
from make_frozen_store import (
    ARTIFACTS,
    DATA,
    DATASET,
    ENVIRONMENT,
    EVERY_PARAM_KIND,
    FAILED_WITH,
    FIGURE_NAME,
    HYPOTHESIS,
    METRIC_DEFINITION,
    REPR_PARAM,
    RUN_FIELDS,
    RUNS,
)
from session_reset import same

FROZEN = sorted(DATA.glob("store-m*.db"))
# Columns that opening a store may rightly change: a run left running becomes crashed.
MAY_CHANGE = {"runs": {"status", "end_time"}, "changes": {"version"}}


def test_there_is_a_frozen_store_for_the_first_schema():
    assert DATA / "store-m001.db" in FROZEN and (DATA / "store-m001-artifacts").is_dir()


@pytest.fixture(params=FROZEN, ids=lambda p: p.stem)
def frozen(request, store_dir):
    """A copy of one frozen store (and its artifacts) in `store_dir`, opened by the current code."""
    store_dir.mkdir()
    shutil.copyfile(request.param, store_dir / "labtrack.db")
    shutil.copytree(
        request.param.with_name(request.param.stem + "-artifacts"), store_dir / "artifacts"
    )
    return request.param, default_lab().store


def _rows(conn: sqlite3.Connection) -> dict[str, tuple[list[str], set[tuple]]]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    out = {}
    for table in tables:
        columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
        kept = [c for c in columns if c not in MAY_CHANGE.get(table, ())]
        out[table] = (kept, set(conn.execute(f'SELECT {", ".join(kept)} FROM "{table}"')))
    return out


def test_upgrade_keeps_every_row_of_every_table(frozen):
    path, store = frozen
    old = _rows(sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True))
    new_conn = sqlite3.connect(store.path)
    for table, (columns, rows) in old.items():
        new_rows = set(new_conn.execute(f'SELECT {", ".join(columns)} FROM "{table}"'))
        assert rows <= new_rows, f"rows lost from {table}"


def test_upgrade_reaches_the_current_schema(frozen):
    _, store = frozen
    assert store.schema_version() == MIGRATION_NAMES[-1]
    assert health_report(store).ok


def test_runs_keep_status_experiment_and_links(frozen):
    frame = lt.runs()
    assert list(frame["name"]) == list(RUNS)
    assert list(frame["status"]) == [spec[1] for spec in RUNS.values()]
    assert list(frame["experiment"]) == [spec[0] for spec in RUNS.values()]
    assert lt.get_run("child").parent == lt.get_run("parent").number
    assert lt.get_run("parent").hypothesis_id == 1


@pytest.mark.parametrize("name", list(RUNS))
def test_params_tags_and_metric_histories_survive_value_by_value(frozen, name):
    _, _, params, points, tags = RUNS[name]
    record = lt.get_run(name)
    expected = {**params, REPR_PARAM[0]: REPR_PARAM[2]} if name == "baseline" else params
    assert record.params.keys() == expected.keys()
    assert all(same(record.params[k], v) for k, v in expected.items()), record.params
    assert record.tags == tags
    history = lt.history(record.number, sorted({m for m, _, _ in points}))
    got = list(zip(history["metric"], history["step"], history["value"]))
    want = sorted(points, key=lambda p: (p[0], p[1]))
    assert [(m, s) for m, s, _ in got] == [(m, s) for m, s, _ in want]
    assert all(same(float(g), float(w)) or g == w for (_, _, g), (_, _, w) in zip(got, want))


def test_metric_summaries_survive(frozen):
    metrics = lt.get_run("special floats").metrics
    assert (
        metrics["nan_metric"].count,
        metrics["nan_metric"].nan_count,
        metrics["nan_metric"].last,
    ) == (2, 1, 3.0)
    assert (metrics["pos_inf"].max, metrics["neg_inf"].min, metrics["neg_inf"].last) == (
        math.inf,
        -math.inf,
        0.5,
    )
    assert (
        math.isnan(metrics["all_nan"].last)
        and lt.get_run("baseline").metrics["acc"].last_step == 100
    )


def test_failed_run_keeps_its_error_and_fields(frozen):
    failed = lt.get_run(list(RUNS)[2])
    assert (failed.error_type, failed.error_message) == FAILED_WITH and FAILED_WITH[
        1
    ] in failed.traceback
    baseline = lt.get_run("baseline")
    assert {k: getattr(baseline, k) for k in RUN_FIELDS} == RUN_FIELDS
    assert baseline.environment == ENVIRONMENT


def test_artifacts_and_datasets_survive(frozen):
    _, store = frozen
    for run_name, files in ARTIFACTS.items():
        record = lt.get_run(run_name)
        stored = {a.name: a.path.read_bytes() for a in record.artifacts}
        assert {k: stored[k] for k in files} == files
    figure = next(a for a in lt.get_run("baseline").artifacts if a.name == FIGURE_NAME)
    assert figure.media_type == "image/png" and figure.path.read_bytes().startswith(b"\x89PNG")
    (dataset,) = lt.get_run("baseline").datasets
    assert (dataset["name"], dataset["n_rows"], dataset["n_cols"]) == (DATASET[0], 3, 2)
    assert set(dataset["schema"]) == set(DATASET[1]) and len(dataset["fingerprint"]) == 64


def test_tables_without_an_api_yet_survive(frozen):
    _, store = frozen
    assert store.read("SELECT statement, metric, expect, min_effect, baseline FROM hypotheses") == [
        HYPOTHESIS
    ]
    assert store.read("SELECT * FROM metric_definitions")[0][:5] == METRIC_DEFINITION
    assert sorted(store.read("SELECT run_id, role FROM hypothesis_runs")) == [
        (1, "baseline"),
        (5, "treatment"),
    ]


def test_upgraded_store_takes_new_runs_and_filters(frozen):
    with lt.run("after upgrade", params={"str": "rf"}):
        lt.log(acc=0.99)
    assert list(lt.runs("params.str = 'rf'")["name"]) == ["baseline", "after upgrade"]
    assert lt.runs("metrics.acc >= 0.9")["name"].tolist() == ["baseline", "after upgrade"]
    assert set(EVERY_PARAM_KIND) <= {c.removeprefix("params.") for c in lt.runs().columns}
