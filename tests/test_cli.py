"""The `labtrack` command line over a real store: runs, show, doctor, gc, and its errors."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import labtrack as lt
from labtrack.cli import cli
from labtrack.store.schema import MIGRATION_NAMES
from session_reset import reset_session


def labtrack(*args: str):
    """Run the CLI in this process (as a fresh process would: no store open before, none after)."""
    reset_session()
    result = CliRunner().invoke(cli, list(args))
    reset_session()
    return result


def strict_json(text: str):
    """Parse JSON that must be standard (no NaN or Infinity tokens)."""
    return json.loads(
        text, parse_constant=lambda token: pytest.fail(f"non-standard JSON token {token}")
    )


@pytest.fixture
def runs3(three_runs, store_dir):
    """Three finished runs (see conftest) in the store that LABTRACK_DIR names."""
    return store_dir


def test_runs_lists_every_run_with_params_and_last_metrics(runs3):
    result = labtrack("runs")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[:3] for line in lines[1:4]] == [
        ["1", "try-1", "finished"],
        ["2", "try-2", "finished"],
        ["3", "try-3", "finished"],
    ]
    assert {"model", "lr", "trees", "acc", "loss"} <= set(lines[0].split())


@pytest.mark.parametrize(
    ("filter", "names"),
    [
        ("metrics.acc > 0.5 and params.model = 'rf'", ["try-1", "try-2"]),
        ("params.model = 'svm'", ["try-3"]),
        ("attributes.name LIKE 'try-%' and params.trees = 200", ["try-2"]),
    ],
)
def test_runs_filter_and_json_round_trip(runs3, filter, names):
    result = labtrack("runs", filter, "--json")
    assert result.exit_code == 0, result.output
    rows = strict_json(result.stdout)
    assert [r["name"] for r in rows] == names
    assert all(r["status"] == "finished" and r["params.model"] in ("rf", "svm") for r in rows)


def test_runs_json_has_typed_values_null_for_nan_and_text_for_inf(store, store_dir):
    with lt.run(
        "odd", params={"l": [1, 2], "d": [{"a": None}], "b": True, "n": None, "big": 2**70}
    ):
        lt.log(nan=math.nan, inf=math.inf, x=0.25)
    (row,) = strict_json(labtrack("runs", "--json").stdout)
    assert (
        row["params.l"],
        row["params.d"],
        row["params.b"],
        row["params.n"],
        row["params.big"],
    ) == ([1, 2], [{"a": None}], True, None, 2**70)
    assert (row["metrics.nan"], row["metrics.inf"], row["metrics.x"]) == (
        None,
        "inf",
        0.25,
    )  # REST's rule
    assert row["start_time"].endswith("+00:00") and isinstance(row["duration"], float)


@pytest.mark.parametrize(
    ("args", "message"), [((), "No runs yet."), (("params.x = 1",), "No runs match.")]
)
def test_runs_on_an_empty_store_says_so(store, args, message):
    result = labtrack("runs", *args)
    assert (result.exit_code, result.stdout.strip()) == (0, message)


def test_show_prints_one_run(runs3):
    result = labtrack("show", "#2")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Run #2 try-2  finished  experiment Default")
    assert "model  rf" in out and "acc   last 0.9 @ step 1" in out


def test_show_json_round_trips(runs3):
    data = strict_json(labtrack("show", "try-3", "--json").stdout)
    assert (data["number"], data["name"], data["status"], data["params"]) == (
        3,
        "try-3",
        "finished",
        {"lr": 0.1, "model": "svm", "trees": 100},
    )
    assert data["metrics"]["acc"] == {
        "last": 0.4,
        "last_step": 0,
        "min": 0.4,
        "max": 0.4,
        "mean": 0.4,
        "count": 1,
        "nan_count": 0,
    }
    assert data["uuid"] == lt.get_run(3).uuid


def test_user_text_is_printed_literally_never_as_markup(store):
    with (
        pytest.raises(ValueError),
        lt.run("[/]", params={"p": "[red]x[/] [/]"}, tags={"t": "[bold]"}),
    ):
        raise ValueError("[/oops]")
    listing, shown = labtrack("runs"), labtrack("show", "1")
    assert (listing.exit_code, shown.exit_code) == (0, 0), (listing.output, shown.output)
    assert "[red]x[/] [/]" in listing.stdout and "[/]" in listing.stdout
    assert shown.stdout.startswith("Run #1 [/]") and "ValueError: [/oops]" in shown.stdout


# -- doctor and gc --------------------------------------------------------------------------------
@pytest.fixture
def with_artifact(store, store_dir):
    """One run with an artifact; returns the artifact's file."""
    with lt.run("a") as run:
        run.log_artifact(b"weights", "w.bin")
    return lt.get_run(run.number).artifacts[0].path


def test_doctor_on_a_healthy_store(with_artifact):
    result = labtrack("doctor")
    assert result.exit_code == 0, result.output
    assert "integrity       ok" in result.stdout and result.stdout.rstrip().endswith("OK")
    report = strict_json(labtrack("doctor", "--json").stdout)
    assert (
        report["ok"],
        report["integrity"],
        report["runs_by_status"],
        report["counts"]["artifacts"],
    ) == (True, "ok", {"finished": 1}, 1)
    assert (
        report["schema_version"] == MIGRATION_NAMES[-1]
        and report["missing_files"] == report["orphaned_files"] == []
    )


def test_doctor_reports_a_missing_artifact_file_and_exits_1(with_artifact):
    with_artifact.unlink()
    result = labtrack("doctor")
    assert (
        result.exit_code == 1
        and "missing files   1" in result.stdout
        and "PROBLEMS FOUND" in result.stdout
    )
    report = strict_json(labtrack("doctor", "--json").stdout)
    assert report["ok"] is False and report["missing_files"] == [
        with_artifact.parent.name + with_artifact.name
    ]


def test_gc_dry_run_lists_but_keeps_an_orphan_and_gc_deletes_it(store, with_artifact):
    orphan = store.artifacts.path_for(store.artifacts.put(b"nobody refers to me"))
    report = strict_json(labtrack("doctor", "--json").stdout)
    assert report["ok"] and report["orphaned_files"] == [str(orphan)]
    dry = labtrack("gc", "--dry-run")
    assert (
        dry.exit_code == 0
        and f"would delete {orphan}" in dry.stdout
        and "would delete 1 unreferenced file(s), 19 bytes" in dry.stdout
    )
    assert orphan.exists()
    real = labtrack("gc")
    assert real.exit_code == 0 and f"deleted {orphan}" in real.stdout
    assert not orphan.exists() and with_artifact.exists()


# -- errors ---------------------------------------------------------------------------------------
def test_a_bad_filter_shows_the_position_and_exits_1(runs3):
    result = labtrack("runs", "metrics.acc >> 1")
    assert result.exit_code == 1 and result.stdout == ""
    assert (
        result.stderr.startswith("Error: ")
        and "position 13" in result.stderr
        and "^" in result.stderr
    )


def test_an_unknown_run_exits_1_with_a_hint(runs3):
    result = labtrack("show", "99")
    assert (result.exit_code, result.stderr.strip()) == (
        1,
        "Error: no run #99 in this store; `labtrack runs` lists the runs",
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("hello"), "is not a SQLite database"),
        (lambda p: None, "no labtrack store at"),
    ],
)
def test_store_option_pointing_at_no_store_exits_1_and_creates_nothing(
    tmp_path, monkeypatch, make, message
):
    monkeypatch.delenv("LABTRACK_DIR", raising=False)
    target = tmp_path / "thing.db"
    make(target)
    before = sorted(tmp_path.iterdir())
    result = labtrack("--store", str(target), "runs")
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output
    assert sorted(tmp_path.iterdir()) == before


def test_the_installed_command_runs_in_a_real_process(runs3):
    command = Path(sys.executable).with_name("labtrack")
    done = subprocess.run(
        [str(command), "--store", str(runs3), "runs", "--json", "params.model = 'rf'"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert [r["number"] for r in strict_json(done.stdout)] == [1, 2]


def test_runs_limit_shows_the_newest_runs_oldest_first(runs3):
    result = labtrack("runs", "--limit", "2")
    assert result.exit_code == 0, result.output
    lines = [line.split()[:2] for line in result.output.splitlines() if line.strip()[:1].isdigit()]
    assert lines == [["2", "try-2"], ["3", "try-3"]]
    assert "the newest 2 of 3 runs" in result.output


def test_runs_limit_0_on_a_full_store_says_how_many_match(runs3):
    result = labtrack("runs", "--limit", "0")
    assert (result.exit_code, result.output.strip()) == (
        0,
        "3 runs match; --limit 0 shows none of them.",
    )


def test_runs_limit_json_reads_the_newest(runs3):
    result = labtrack("runs", "--limit", "1", "--json")
    assert [run["name"] for run in strict_json(result.output)] == ["try-3"]


def test_runs_negative_limit_is_a_usage_error(runs3):
    result = labtrack("runs", "--limit", "-1")
    assert result.exit_code == 2 and "-1 is not in the range x>=0" in result.output
