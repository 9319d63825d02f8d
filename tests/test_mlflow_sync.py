"""`lt.push_mlflow` against a real `mlflow server` (SQLite backend, proxied artifacts), read back through
MLflow's own client and compared with labtrack's records point by point."""

from __future__ import annotations

import hashlib
import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

import labtrack as lt
from labtrack import push_mlflow
from labtrack.cli.main import cli
from labtrack.mlflow_bridge import pusher as mlflow_pusher
from labtrack.mlflow_bridge.mapping import (
    STATUS,
    artifact_path,
    clip,
    mlflow_key,
    param_text,
)
from labtrack.mlflow_bridge.sync import MlflowNotInstalled, PushError

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
QUICKSTART = ROOT / "notebooks" / "quickstart.ipynb"
QUIET = {
    "MLFLOW_DISABLE_TELEMETRY": "true",
    "DO_NOT_TRACK": "true",
    "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false",
}


class MlflowServer:
    """`mlflow server` on 127.0.0.1 with a temporary SQLite store and artifact folder. It starts at
    once; `ready()` waits for it, so a test can build its store while the server starts."""

    def __init__(self, root: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.uri, self.log = f"http://127.0.0.1:{port}", root / "server.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "mlflow",
                    "server",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--workers",
                    "1",
                    "--backend-store-uri",
                    f"sqlite:///{root / 'mlflow.db'}",
                    "--serve-artifacts",
                    "--artifacts-destination",
                    str(root / "artifacts"),
                ],
                cwd=root,
                env={**os.environ, **QUIET},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.up = False

    def ready(self) -> str:
        deadline = time.monotonic() + 90
        while not self.up:
            try:
                self.up = urllib.request.urlopen(f"{self.uri}/health", timeout=2).status == 200
            except OSError:
                assert self.process.poll() is None and time.monotonic() < deadline, (
                    self.log.read_text()[-3000:]
                )
                time.sleep(0.2)
        return self.uri

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)  # the server and the workers it started
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def mlflow_server(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        for key, value in QUIET.items():
            mp.setenv(key, value)
        server = MlflowServer(tmp_path_factory.mktemp("mlflow-server"))
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def mlflow_uri(mlflow_server) -> str:
    return mlflow_server.ready()


@pytest.fixture
def client(mlflow_uri):
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=mlflow_uri)


@pytest.fixture
def experiment() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


CODE = "lr = 0.1\nfor epoch in range(1200):\n    lt.log(loss=1 / (epoch + 1), acc=epoch / 1200)\n"
PARAMS = {
    "lr": 0.1,
    "epochs": 1200,
    "model": "rf",
    "flag": True,
    "none": None,
    "layers": [64, 32],
    "opts": {"b": 1, "a": [1.5]},
    "huge": 2**70,
    "nanny": math.nan,
    "long": "x" * 7000,
    "acc@1": 3,
}


def make_showcase(store) -> dict[str, int]:
    """A store with runs of each status, params of each kind, long histories with NaN and inf, a figure,
    files, code and notebook fields, a nested run and a hypothesis with linked runs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lt.metric("acc", goal="max")
    base = lt.start_run(
        "baseline",
        params=PARAMS,
        tags={"team": "vision", "odd tag!": "yes"},
        fields={"code": CODE, "notebook": "notebooks/quickstart.ipynb", "execution_count": 3},
    )
    for epoch in range(1200):
        lt.log(loss=1 / (epoch + 1), acc=epoch / 1200)
    lt.log({"val/loss": 0.5, "top@5": 0.1})
    for value in (math.nan, math.inf, -math.inf, 0.25):
        lt.log({"val/loss": value})
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    lt.log_artifact(fig, "loss")
    plt.close(fig)
    lt.log_artifact("all good\n", name="reports/summary.txt")
    lt.end_run()
    with pytest.raises(ValueError), lt.run("broken", params={"lr": 10.0}):
        lt.log(loss=9.0)
        raise ValueError("diverged")
    with pytest.raises(KeyboardInterrupt), lt.run("stopped"):
        lt.log(loss=0.7)
        raise KeyboardInterrupt
    lt.start_run("lost")
    lt.log(loss=0.6)
    lt.end_run("crashed")
    with lt.run("sweep") as sweep, lt.run("fold-1", nested=True) as fold:
        lt.log(acc=0.8)
    h = lt.hypothesis(
        "More trees raise accuracy",
        metric="acc",
        expect="increase",
        min_effect=0.01,
        baseline=[base.number],
    )
    for acc in (0.995, 0.997):
        with lt.run("more-trees", params={"trees": 100}):
            lt.log(acc=acc)
    live = lt.start_run("live", hypothesis="none")
    lt.log(loss=0.5)
    store.points.flush()
    return {
        "baseline": base.number,
        "sweep": sweep.number,
        "fold": fold.number,
        "live": live.number,
        "hypothesis": h.id,
    }


def make_small(store) -> None:
    """Three runs: one with two batches of points and files, one short, one failed."""
    lt.start_run("long", params={"lr": 0.1}, fields={"code": CODE, "notebook": "nb.ipynb"})
    for step in range(1500):
        lt.log(loss=1 / (step + 1))
    lt.log_artifact("all good\n", name="notes.txt")
    lt.end_run()
    with lt.run("short", params={"lr": 0.2}):
        lt.log(loss=0.5)
        lt.log_artifact(b"\x00\x01", name="weights.bin")
    with pytest.raises(ValueError), lt.run("broken"):
        lt.log(loss=9.0)
        raise ValueError("diverged")
    store.points.flush()


def quickstart_store(store, tmp_path, monkeypatch) -> None:
    """The store made by executing notebooks/quickstart.ipynb (the showcase store if it is missing)."""
    if not QUICKSTART.exists():
        make_showcase(store)
        lt.end_run()
        return
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("LABTRACK_NOTEBOOK", str(QUICKSTART))
    notebook = nbformat.read(QUICKSTART, as_version=4)
    NotebookClient(notebook, timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()


def finished_numbers() -> list[int]:
    return [int(n) for n in lt.runs("attributes.status != 'running'")["number"]]


def artifact_files(client, run_id: str, folder: str | None = None) -> dict[str, int]:
    files = {}
    for info in client.list_artifacts(run_id, folder):
        files.update(
            artifact_files(client, run_id, info.path)
            if info.is_dir
            else {info.path: info.file_size}
        )
    return files


def same_value(got: float, want: float) -> bool:
    if math.isnan(want):
        return math.isnan(got)
    return got == (math.copysign(1.7976931348623157e308, want) if math.isinf(want) else want)


def assert_pushed_exactly(client, report, numbers: list[int], tmp_path: Path) -> None:
    """Every run reads back from MLflow as labtrack recorded it."""
    assert sorted(report.run_ids) == sorted(numbers)
    for number in numbers:
        rec = lt.get_run(number)
        run = client.get_run(report.run_ids[number])
        assert (run.info.run_name, run.info.status) == (
            rec.name or f"#{number}",
            STATUS[rec.status],
        )
        assert (run.info.start_time, run.info.end_time) == (
            round(rec.start_time * 1000),
            round(rec.end_time * 1000),
        )
        tags = run.data.tags
        assert tags["labtrack.uuid"] == rec.uuid and tags["labtrack.status"] == rec.status
        assert "labtrack.push_complete" in tags
        assert {k: tags[mlflow_key(k)] for k in rec.tags} == rec.tags
        assert run.data.params == {
            mlflow_key(k): clip(param_text(v), 6000)[0] for k, v in rec.params.items()
        }
        if rec.notebook:
            assert (tags["mlflow.source.name"], tags["mlflow.source.type"]) == (
                rec.notebook,
                "NOTEBOOK",
            )
        for name in rec.metrics:
            want = lt.history(number, name)
            got = sorted(
                client.get_metric_history(run.info.run_id, mlflow_key(name)), key=lambda m: m.step
            )
            assert [m.step for m in got] == want["step"].tolist()
            assert [m.timestamp for m in got] == [t.value // 10**6 for t in want["time"]]
            assert all(same_value(m.value, v) for m, v in zip(got, want["value"]))
        files = artifact_files(client, run.info.run_id)
        assert set(files) - {artifact_path(a.name) for a in rec.artifacts} <= {
            "labtrack/run.json",
            "labtrack/code.py",
            "labtrack/hypotheses.json",
        }
        for artifact in rec.artifacts:
            assert files[artifact_path(artifact.name)] == artifact.size
            local = client.download_artifacts(
                run.info.run_id, artifact_path(artifact.name), str(tmp_path)
            )
            assert hashlib.sha256(Path(local).read_bytes()).hexdigest() == artifact.sha256
        document = json.loads(
            Path(
                client.download_artifacts(run.info.run_id, "labtrack/run.json", str(tmp_path))
            ).read_text()
        )
        assert (document["uuid"], document["params"].keys()) == (rec.uuid, rec.params.keys())
        if rec.code:
            code = client.download_artifacts(run.info.run_id, "labtrack/code.py", str(tmp_path))
            assert Path(code).read_text() == rec.code


def mlflow_totals(client, experiment: str) -> tuple[int, int, int]:
    """Runs (deleted ones too), metric points and artifact files in an MLflow experiment."""
    from mlflow.entities import ViewType

    exp = client.get_experiment_by_name(experiment)
    runs = client.search_runs([exp.experiment_id], run_view_type=ViewType.ALL)
    points = sum(
        len(client.get_metric_history(r.info.run_id, k)) for r in runs for k in r.data.metrics
    )
    return len(runs), points, sum(len(artifact_files(client, r.info.run_id)) for r in runs)


def local_points(numbers: list[int]) -> int:
    return sum(m.count + m.nan_count for n in numbers for m in lt.get_run(n).metrics.values())


def test_quickstart_store_reads_back_exactly_and_a_second_push_adds_nothing(
    store, mlflow_server, experiment, tmp_path, monkeypatch
):
    from mlflow import MlflowClient

    quickstart_store(store, tmp_path, monkeypatch)
    mlflow_uri = mlflow_server.ready()
    client = MlflowClient(tracking_uri=mlflow_uri)
    numbers = finished_numbers()
    records = [lt.get_run(n) for n in numbers]
    assert (
        any(r.artifacts for r in records)
        and any(r.notebook for r in records)
        and any(r.code for r in records)
    )
    first = push_mlflow(mlflow_uri, experiment=experiment, progress=False)
    assert first.created == numbers
    assert_pushed_exactly(client, first, numbers, tmp_path)
    totals = mlflow_totals(client, experiment)
    assert totals[:2] == (len(numbers), local_points(numbers))
    again = push_mlflow(mlflow_uri, experiment=experiment, progress=False)
    assert (again.unchanged, again.created, again.points, again.artifacts) == (numbers, [], 0, 0)
    assert mlflow_totals(client, experiment) == totals


def test_showcase_mapping_of_values_tags_and_hypotheses(
    store, mlflow_uri, client, experiment, tmp_path
):
    ids = make_showcase(store)
    report = push_mlflow(mlflow_uri, experiment=experiment, progress=False)
    assert report.skipped == [ids["live"]] and "--include-running" in report.notes[0]
    assert_pushed_exactly(client, report, finished_numbers(), tmp_path)
    base = client.get_run(report.run_ids[ids["baseline"]]).data
    assert {
        k: base.params[k]
        for k in ("lr", "flag", "none", "layers", "opts.a", "opts.b", "huge", "nanny", "acc_1")
    } == {
        "lr": "0.1",
        "flag": "True",
        "none": "None",
        "layers": "[64, 32]",
        "opts.a": "[1.5]",
        "opts.b": "1",  # a dict: a param a leaf
        "huge": str(2**70),
        "nanny": "nan",
        "acc_1": "3",
    }
    assert len(base.params["long"]) == 6000 and base.tags["labtrack.truncated_params"] == "long"
    assert base.tags["odd tag_"] == "yes" and "top_5" in base.metrics
    statuses = {
        client.get_run(i).data.tags["mlflow.runName"]: client.get_run(i).info.status
        for i in report.run_ids.values()
    }
    assert {k: statuses[k] for k in ("broken", "stopped", "lost")} == {
        "broken": "FAILED",
        "stopped": "KILLED",
        "lost": "FAILED",
    }
    fold = client.get_run(report.run_ids[ids["fold"]]).data.tags
    assert fold["mlflow.parentRunId"] == report.run_ids[ids["sweep"]]
    verdict = lt.verdict(ids["hypothesis"])
    for number in [*verdict.treatment_runs, ids["baseline"]]:
        tags = client.get_run(report.run_ids[number]).data.tags
        assert (tags["labtrack.hypothesis.id"], tags["labtrack.hypothesis.verdict"]) == (
            f"H{ids['hypothesis']}",
            verdict.label,
        )
        assert tags["labtrack.hypothesis.statement"] == "More trees raise accuracy"
    links = json.loads(
        Path(
            client.download_artifacts(
                report.run_ids[ids["baseline"]], "labtrack/hypotheses.json", str(tmp_path)
            )
        ).read_text()
    )
    assert [(link["role"], link["verdict"]["label"]) for link in links] == [
        ("baseline", verdict.label)
    ]


@pytest.mark.parametrize(
    "method, call",
    [("create_run", 1), ("log_batch", 2), ("log_artifact", 2), ("set_terminated", 2)],
)
def test_push_that_failed_half_way_completes_exactly(
    store, mlflow_uri, client, experiment, tmp_path, monkeypatch, method, call
):
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    make_small(store)
    original, calls = getattr(MlflowClient, method), []

    def fails_after(self, *args, **kwargs):  # the request is done, but the client never hears back
        result = original(self, *args, **kwargs)
        calls.append(1)
        if len(calls) == call:
            raise MlflowException("connection lost")
        return result

    monkeypatch.setattr(MlflowClient, method, fails_after)
    with pytest.raises(PushError, match="run the same push again") as failed:
        push_mlflow(mlflow_uri, experiment=experiment, progress=False)
    monkeypatch.setattr(MlflowClient, method, original)
    report = push_mlflow(mlflow_uri, experiment=experiment, progress=False)
    numbers = finished_numbers()
    assert (
        len(report.resumed) == 1
        and sorted(report.resumed + report.created + report.unchanged) == numbers
    )
    assert failed.value.report.run_ids.keys() <= report.run_ids.keys()
    assert_pushed_exactly(client, report, numbers, tmp_path)
    assert mlflow_totals(client, experiment)[:2] == (len(numbers), local_points(numbers))


def test_push_killed_half_way_completes_on_the_next_push(
    store_dir, store, mlflow_uri, client, experiment, tmp_path
):
    make_small(store)
    script = (
        "import os, signal\nfrom mlflow import MlflowClient\nfrom labtrack import push_mlflow\n"
        "original, calls = MlflowClient.log_batch, []\n"
        "def dying(self, *args, **kwargs):\n"
        "    calls.append(1)\n"
        "    if len(calls) == 2:\n        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return original(self, *args, **kwargs)\n"
        "MlflowClient.log_batch = dying\n"
        f"push_mlflow({mlflow_uri!r}, experiment={experiment!r}, progress=False)\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "LABTRACK_DIR": str(store_dir)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert 0 < mlflow_totals(client, experiment)[1] < local_points(finished_numbers())
    report = push_mlflow(mlflow_uri, experiment=experiment, progress=False)
    numbers = finished_numbers()
    assert len(report.resumed) == 1 and report.created == numbers[1:]
    assert_pushed_exactly(client, report, numbers, tmp_path)
    assert mlflow_totals(client, experiment)[:2] == (len(numbers), local_points(numbers))


def test_running_run_is_pushed_with_include_running_and_completed_later(
    store, mlflow_uri, client, experiment, tmp_path
):
    run = lt.start_run("live", params={"lr": 0.1})
    for step in range(10):
        lt.log(loss=1 / (step + 1))
    assert push_mlflow(mlflow_uri, experiment=experiment, progress=False).skipped == [run.number]
    first = push_mlflow(mlflow_uri, experiment=experiment, include_running=True, progress=False)
    pushed = client.get_run(first.run_ids[run.number])
    assert pushed.info.status == "RUNNING" and "labtrack.push_complete" not in pushed.data.tags
    for step in range(10, 15):
        lt.log(loss=1 / (step + 1))
    lt.end_run()
    report = push_mlflow(mlflow_uri, experiment=experiment, progress=False)
    assert report.resumed == [run.number] and report.points == 5
    assert_pushed_exactly(client, report, [run.number], tmp_path)


def test_a_change_after_the_push_is_sent_without_duplicates(
    store, mlflow_uri, client, experiment, monkeypatch
):
    with lt.run("done") as run:
        lt.log(acc=0.9)
    push_mlflow(mlflow_uri, experiment=experiment, progress=False)
    run.set_tags(reviewed="yes")
    monkeypatch.setattr(
        mlflow_pusher, "SCAN_ABOVE", 0
    )  # find pushed runs by listing the experiment
    report = push_mlflow(mlflow_uri, experiment=experiment, progress=False)
    assert report.updated == [run.number] and report.points == 0
    assert client.get_run(report.run_ids[run.number]).data.tags["reviewed"] == "yes"
    assert mlflow_totals(client, experiment)[:2] == (1, 1)


def test_cli_pushes_a_filter_and_prints_json(store_dir, store, mlflow_uri, client, experiment):
    from labtrack.cli import push  # noqa: F401 - registers the command

    for lr in (0.1, 0.01):
        with lt.run("sgd", params={"lr": lr}):
            lt.log(loss=lr)
    args = ["--store", str(store_dir), "push", "--mlflow", mlflow_uri, "--experiment", experiment]
    result = CliRunner().invoke(cli, [*args, "--json", "params.lr < 0.05"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["created"] == [2]
    result = CliRunner().invoke(cli, [*args, "1", "2"])
    assert result.exit_code == 0 and "1 created, 0 resumed, 0 updated, 1 unchanged" in result.stdout
    assert f"{experiment}: {mlflow_uri}/#/experiments/" in result.stdout


def test_missing_mlflow_names_the_extra(store, monkeypatch):
    monkeypatch.setitem(sys.modules, "mlflow", None)
    with pytest.raises(MlflowNotInstalled, match=r"pip install 'labtrack\[mlflow\]'"):
        push_mlflow("http://127.0.0.1:5000")


def test_unreachable_server_is_a_clear_error(store):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(PushError, match="cannot reach the MLflow server"):
        push_mlflow(f"http://127.0.0.1:{port}", progress=False)
    from labtrack.cli import push  # noqa: F401 - registers the command

    result = CliRunner().invoke(cli, ["push", "--mlflow", f"http://127.0.0.1:{port}"])
    assert result.exit_code == 1 and "Error: cannot reach the MLflow server" in result.output
