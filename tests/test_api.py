"""The Python API of DESIGN §4 against a real store file."""

from __future__ import annotations

import math
import sqlite3

import pytest

import labtrack as lt


def test_run_context_manager_finishes_and_records(store):
    with lt.run("baseline", params={"lr": 0.01}, tags={"team": "a"}) as run:
        lt.log(loss=0.5)
    record = lt.get_run(run.number)
    assert (record.status, record.name, record.params, record.tags) == (
        "finished",
        "baseline",
        {"lr": 0.01},
        {"team": "a"},
    )
    assert record.end_time >= record.start_time


def test_exception_marks_run_failed_and_propagates(store):
    with pytest.raises(ZeroDivisionError), lt.run("boom") as run:
        1 / 0  # noqa: B018
    record = lt.get_run(run.number)
    assert (record.status, record.error_type) == ("failed", "ZeroDivisionError")
    assert "1 / 0" in record.traceback and record.error_message == "division by zero"


def test_keyboard_interrupt_marks_run_interrupted(store):
    with pytest.raises(KeyboardInterrupt), lt.run() as run:
        raise KeyboardInterrupt
    assert lt.get_run(run.number).status == "interrupted"


def test_starting_a_second_run_says_how_to_end_the_first(store):
    lt.start_run("first")
    with pytest.raises(
        lt.ActiveRunError, match=r"run #1 is still active; end it with lt.end_run\(\)"
    ):
        lt.start_run("second")
    lt.end_run()


def test_nested_run_records_its_parent(store):
    with lt.run("outer") as outer, lt.run("inner", nested=True) as inner:
        lt.log(x=1)
    assert lt.get_run(inner.number).parent == outer.number
    assert lt.get_run(outer.number).metrics == {}


def test_log_without_a_run_says_what_to_do(store):
    with pytest.raises(
        lt.ActiveRunError, match="no active run: wrap the code in `with lt.run\\(\\):`"
    ):
        lt.log(loss=1.0)


def test_auto_step_counts_per_metric_and_follows_explicit_steps(store):
    with lt.run() as run:
        lt.log(a=1.0, b=2.0)
        lt.log(a=1.5)
        lt.log(step=10, b=3.0)
        lt.log(b=4.0)
    hist = lt.history(run.number, ["a", "b"])
    steps = {m: list(g["step"]) for m, g in hist.groupby("metric")}
    assert steps == {"a": [0, 1], "b": [0, 10, 11]}


def test_log_accepts_a_mapping_for_names_that_are_not_identifiers(store):
    with lt.run() as run:
        lt.log({"val/loss": 0.25, "step": 0.5})
    assert set(lt.get_run(run.number).metrics) == {"val/loss", "step"}


def test_metric_must_be_a_number(store):
    with lt.run(), pytest.raises(ValueError, match="metric 'acc' must be a number, got str"):
        lt.log(acc="high")


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 0.0, -1e308, 5e-324])
def test_special_floats_round_trip_as_metrics(store, value):
    with lt.run() as run:
        lt.log(x=value)
    got = lt.history(run.number, "x")["value"].iloc[0]
    assert (math.isnan(got) and math.isnan(value)) or got == value


def test_logging_to_an_ended_run_is_refused(store):
    with lt.run() as run:
        pass
    with pytest.raises(lt.ActiveRunError, match="has ended"):
        run.log(x=1.0)


def test_get_run_by_number_hash_uuid_prefix_and_name(three_runs):
    record = lt.get_run(2)
    assert (
        lt.get_run("#2")
        == record
        == lt.get_run(record.uuid)
        == lt.get_run(record.uuid[:8])
        == lt.get_run("try-2")
    )
    with pytest.raises(lt.RunNotFound, match="no run #9 in this store"):
        lt.get_run(9)


def test_runs_frame_has_attributes_params_and_last_metrics(three_runs):
    frame = lt.runs()
    assert list(frame["number"]) == [1, 2, 3]
    assert list(frame["params.model"]) == ["rf", "rf", "svm"]
    assert list(frame["metrics.acc"]) == [0.8, 0.9, 0.4]
    assert str(frame["start_time"].dtype) == "datetime64[ns, UTC]" or "UTC" in str(
        frame["start_time"].dtype
    )
    assert {
        "uuid",
        "name",
        "experiment",
        "status",
        "duration",
        "parent",
        "hypothesis_id",
        "notebook",
    } <= set(frame.columns)


def test_runs_filter_and_experiment(three_runs):
    assert list(lt.runs("metrics.acc > 0.5 and params.model = 'rf'")["number"]) == [1, 2]
    assert list(lt.runs("params.lr = 0.1 or params.trees = 200")["number"]) == [1, 2, 3]
    assert lt.runs(experiment="other").empty
    with pytest.raises(lt.FilterError, match="position"):
        lt.runs("metrics.acc >")


def test_history_of_several_runs_is_tidy(three_runs):
    hist = lt.history(lt.runs("params.model = 'rf'"), "acc")
    assert list(hist.columns) == ["number", "name", "metric", "step", "value", "time"]
    assert list(zip(hist["number"], hist["step"], hist["value"])) == [
        (1, 0, 0.5),
        (1, 1, 0.7),
        (1, 2, 0.8),
        (2, 0, 0.6),
        (2, 1, 0.9),
    ]


def test_params_keep_their_types(store):
    params = {"i": 1, "f": 1.0, "s": "1", "b": True, "n": None, "l": [64, 32], "big": 2**70}
    with lt.run(params={**params, "d": {"a": 1, "e": {}}}) as run:
        pass
    got = lt.get_run(run.number).params
    assert got == {**params, "d.a": 1, "d.e": {}}  # a nested dict: one param per leaf
    assert type(got["i"]) is int and type(got["f"]) is float and type(got["b"]) is bool


def test_non_json_param_is_stored_as_repr_with_one_warning(store):
    class Model:
        def __repr__(self) -> str:
            return "Model(depth=3)"

    with pytest.warns(UserWarning, match="not JSON-serialisable") as caught, lt.run() as run:
        lt.log_params(model=Model())
        lt.log_params(model=Model())
    assert len(caught) == 1
    assert lt.get_run(run.number).params["model"] == "Model(depth=3)"


@pytest.mark.parametrize(
    "name", ['it\'s "quoted"', "ünïcødé λ", "select", "drop table runs; --", "a.b/c d"]
)
def test_odd_names_round_trip(store, name):
    with lt.run(name) as run:
        lt.log_params(**{name: name})
        lt.log({name: 1.5})
        run.set_tags(**{name: name})
    record = lt.get_run(run.number)
    assert (record.name, record.params, record.tags, list(record.metrics)) == (
        name,
        {name: name},
        {name: name},
        [name],
    )


def test_oversized_param_is_refused_with_the_fix(store):
    with (
        lt.run(),
        pytest.raises(ValueError, match="the limit is 65,536. Store large values as an artifact"),
    ):
        lt.log_params(blob="x" * 70_000)


def test_sqlite3_users_can_read_runs_wide(three_runs):
    conn = sqlite3.connect(three_runs.path)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM runs_wide ORDER BY number")]
    assert [(r["name"], r["params.model"], r["metrics.acc"]) for r in rows] == [
        ("try-1", "rf", 0.8),
        ("try-2", "rf", 0.9),
        ("try-3", "svm", 0.4),
    ]


def test_open_switches_store(store_dir, tmp_path):
    other = lt.open(tmp_path / "elsewhere")
    with lt.run("there"):
        pass
    assert other.path == tmp_path / "elsewhere" / "labtrack.db"
    assert list(lt.runs()["name"]) == ["there"]


def test_chart_history_keeps_extremes_and_endpoints(store):
    with lt.run() as run:
        for i in range(5000):
            lt.log(loss=100.0 if i == 2345 else float(i % 7))
    store.points.flush()
    series = store.chart_history([run.number], "loss", max_points=200)[run.number]
    assert series["count"] == 5000 and series["downsampled"] and len(series["steps"]) <= 203
    assert (
        max(series["values"]) == 100.0 and series["steps"][0] == 0 and series["steps"][-1] == 4999
    )
    assert series["steps"] == sorted(series["steps"])


def test_a_script_that_dies_ends_its_open_run_as_failed(tmp_path):
    import subprocess
    import sys

    script = (
        "import labtrack as lt\nlt.start_run('script')\nlt.log(x=1.0)\nraise ValueError('boom')\n"
    )
    env = {**__import__("os").environ, "LABTRACK_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 1 and "ValueError: boom" in done.stderr
    row = (
        sqlite3.connect(tmp_path / "labtrack.db")
        .execute("SELECT status, error_type FROM runs")
        .fetchone()
    )
    assert row == ("failed", "ValueError")


def test_logging_a_step_again_replaces_its_value(store):
    with lt.run() as run:
        for i in range(250):  # more than one multi-row INSERT statement
            lt.log(step=i % 120, x=float(i))
    hist = lt.history(run.number, "x")
    assert len(hist) == 120 and hist.set_index("step")["value"][5] == 245.0
