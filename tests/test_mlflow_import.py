"""`labtrack import --mlflow` / `lt.import_mlflow` against a real `mlflow server` and a `sqlite:///` store:
the round trip (push, then import into an empty store, equal point by point), idempotence, resuming,
and clear failures that write nothing half-way."""

from __future__ import annotations

import json
import math
import socket
import uuid
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import labtrack as lt
from labtrack import push_mlflow
from labtrack.cli import cli
from labtrack.client import Lab
from labtrack.mlflow_bridge.importer import ImportFailed, ImportReport, import_runs
from labtrack.store.sync import metric_points
from test_mlflow_sync import QUIET, MlflowServer, make_showcase

pytestmark = pytest.mark.slow
MAX_FLOAT = 1.7976931348623157e308


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        for key, value in QUIET.items():
            mp.setenv(key, value)
        running = MlflowServer(tmp_path_factory.mktemp("mlflow-import"))
        try:
            yield running
        finally:
            running.stop()


@pytest.fixture
def client(server):
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=server.ready())


@pytest.fixture
def experiment() -> str:
    return f"import-{uuid.uuid4().hex[:10]}"


def log_runs(client, experiment: str, artifacts: Path | None = None) -> list[str]:
    """Three MLflow runs made with MLflow's client: a parent with a child, params as MLflow text,
    a history that repeats step 0, a dataset and an artifact."""
    from mlflow.entities import Dataset, DatasetInput, InputTag, Metric, Param

    exp = client.create_experiment(experiment, artifact_location=artifacts and artifacts.as_uri())
    parent = client.create_run(exp, run_name="sweep", tags={"team": "vision"}).info.run_id
    child = client.create_run(
        exp, run_name="fold-1", tags={"mlflow.parentRunId": parent}
    ).info.run_id
    client.log_batch(
        child,
        metrics=[Metric("loss", 1 / (i + 1), 1_000 + i, i) for i in range(500)],
        params=[Param("lr", "0.01"), Param("flag", "True"), Param("width", "0.10")],
    )
    client.log_batch(parent, metrics=[Metric("acc", v, t, 0) for v, t in ((0.5, 5), (0.7, 9))])
    client.log_inputs(
        child,
        [
            DatasetInput(
                Dataset("train", "d1g3st", "local", "src"),
                [InputTag("mlflow.data.context", "training")],
            )
        ],
    )
    client.log_text(child, "hello\n", "notes/readme.txt")
    client.set_terminated(child, "KILLED")
    client.set_terminated(parent, "FINISHED")
    return [parent, child]


def test_runs_come_in_whole_and_a_second_import_adds_nothing(store, client, server, experiment):
    parent, child = log_runs(client, experiment)
    report = lt.import_mlflow(server.uri, experiments=[experiment], progress=False)
    assert sorted(report.imported) == sorted([parent, child]) and report.points == 502
    fold = lt.get_run(report.numbers[child])
    assert (fold.name, fold.status, fold.parent) == (
        "fold-1",
        "interrupted",
        report.numbers[parent],
    )
    assert fold.params == {
        "lr": 0.01,
        "flag": True,
        "width": "0.10",
    }  # "0.10" is not how 0.1 prints
    assert [a.name for a in fold.artifacts] == ["notes/readme.txt"]
    assert fold.datasets[0]["name"] == "train" and fold.tags["mlflow.user"]
    assert lt.runs("datasets.context = 'training' and attributes.status = 'KILLED'")[
        "name"
    ].tolist() == ["fold-1"]
    sweep = metric_points(store, report.numbers[parent])["acc"]
    assert [(step, value) for step, value, _ in sweep] == [
        (0, 0.5),
        (1, 0.7),
    ]  # step 0 twice: renumbered
    again = lt.import_mlflow(server.uri, experiments=[experiment], progress=False)
    assert (again.imported, sorted(again.skipped)) == ([], sorted([parent, child]))
    assert store.run_count() == 2


def test_round_trip_push_then_import_is_equal_point_by_point(
    store, client, server, experiment, tmp_path
):
    numbers = make_showcase(store)
    lt.end_run()
    with lt.run("with data"):
        lt.log_dataset(
            pd.DataFrame({"x": [1.5, 2.5], "y": ["a", "b"]}), "train", context="training"
        )
    push_mlflow(server.ready(), experiment=experiment, progress=False)
    pushed = [int(n) for n in lt.runs("attributes.status != 'running'")["number"]]
    empty = Lab.open(tmp_path / "empty")
    report = empty.import_mlflow(server.uri, experiments=[experiment], progress=False)
    empty = empty.store
    assert len(report.imported) == len(pushed)
    for number in pushed:
        want = store.run_record(number)
        got = empty.run_record(want.uuid)  # runs that came from labtrack keep their uuid
        for name in (
            "name",
            "experiment",
            "status",
            "start_time",
            "end_time",
            "params",
            "notebook",
            "code",
            "execution_count",
            "error_type",
            "error_message",
            "traceback",
        ):
            assert same(getattr(got, name), getattr(want, name)), (want.name, name)
        assert {k: v for k, v in got.tags.items() if not k.startswith("mlflow.")} == want.tags
        assert got.datasets == want.datasets
        assert [(a.name, a.sha256, a.media_type) for a in got.artifacts] == [
            (a.name, a.sha256, a.media_type) for a in want.artifacts
        ]
        if want.parent is not None:
            assert empty.run_record(got.parent).uuid == store.run_record(want.parent).uuid
        theirs, ours = metric_points(empty, got.number), metric_points(store, number)
        assert theirs.keys() == ours.keys()
        for metric, points in ours.items():  # infinities come back as MLflow holds them: ±1.8e308
            expected = [
                (s, math.copysign(MAX_FLOAT, v) if math.isinf(v) else v, t) for s, v, t in points
            ]
            assert all(same(a, b) for a, b in zip(theirs[metric], expected)) and len(
                theirs[metric]
            ) == len(points)
    assert numbers["baseline"] in pushed


def same(got, want) -> bool:
    if isinstance(want, float) and isinstance(got, float):
        return got == want or (math.isnan(got) and math.isnan(want))
    if isinstance(want, (tuple, list)) and isinstance(got, (tuple, list)):
        return len(got) == len(want) and all(same(a, b) for a, b in zip(got, want))
    if isinstance(want, dict) and isinstance(got, dict):
        return got.keys() == want.keys() and all(same(got[k], want[k]) for k in want)
    return got == want


@pytest.mark.parametrize("kind", ["sqlite", "file"])
def test_cli_imports_a_local_mlflow_store_and_prints_json(store_dir, tmp_path, monkeypatch, kind):
    from mlflow import MlflowClient

    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")  # MLflow 3 asks for it to open ./mlruns
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}" if kind == "sqlite" else str(tmp_path / "mlruns")
    run_ids = log_runs(MlflowClient(tracking_uri=uri), "local", tmp_path / "artifacts")
    result = CliRunner().invoke(
        cli, ["import", "--mlflow", uri, "--experiment", "local", "--json", "metrics.loss < 1"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["imported"] == [run_ids[1]] and report["points"] == 500 and report["failed"] == {}


def test_an_artifact_that_fails_writes_nothing_of_its_run_and_a_second_import_resumes(
    store_dir, store, client, server, experiment, monkeypatch
):
    monkeypatch.setenv(
        "MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0"
    )  # MLflow's client retries for minutes
    parent, child = log_runs(client, experiment)
    root = Path(server.log).parent / "artifacts"
    files = [f for f in root.rglob("readme.txt") if child in str(f)]
    assert files, sorted(root.rglob("*"))[:5]
    files[0].unlink()
    files[0].symlink_to(
        files[0].with_name("gone.txt")
    )  # listed by the server, but it cannot be read
    result = CliRunner().invoke(cli, ["import", "--mlflow", server.uri, "--experiment", experiment])
    assert result.exit_code == 1
    assert f"failed: run {child}: artifacts under notes could not be listed" in result.output
    assert "run the same import again" in result.output
    assert lt.runs()["name"].tolist() == ["sweep"] and store.run_number(child) is None
    files[0].unlink()
    files[0].write_text("hello\n")  # mended: the same import again brings only what is missing
    again = CliRunner().invoke(
        cli, ["import", "--mlflow", server.uri, "--experiment", experiment, "--json"]
    )
    assert again.exit_code == 0 and json.loads(again.stdout)["imported"] == [child]
    assert sorted(lt.runs()["name"]) == ["fold-1", "sweep"]


def test_a_run_deleted_while_importing_is_not_written(store, client, server, experiment):
    from mlflow.entities import ViewType

    parent, child = log_runs(client, experiment)
    exp = client.get_experiment_by_name(experiment)
    runs = client.search_runs([exp.experiment_id], run_view_type=ViewType.ALL)
    client.delete_run(child)  # after the search found it, before its points are read
    report = ImportReport(server.uri)
    with pytest.raises(ImportFailed, match="deleted in MLflow while it was being imported"):
        import_runs(client, runs, {exp.experiment_id: experiment}, Lab(store), report)
    assert report.imported == [parent] and store.run_number(child) is None


def test_wrong_experiment_and_unreachable_server_are_clear_errors(store_dir, server):
    result = CliRunner().invoke(
        cli, ["import", "--mlflow", server.ready(), "--experiment", "no-such-thing"]
    )
    assert result.exit_code == 1 and "Error: no experiment named 'no-such-thing'" in result.output
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = CliRunner().invoke(cli, ["import", "--mlflow", f"http://127.0.0.1:{port}", "--json"])
    assert (
        result.exit_code == 1
        and "cannot reach the MLflow server" in json.loads(result.stdout)["error"]
    )
