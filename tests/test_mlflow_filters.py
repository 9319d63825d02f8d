"""Same filter, same answer: MLflow's own search-test filters, run on a real MLflow SQLite store and on a
labtrack store holding the same runs (brought in by `labtrack import`). A disagreement fails the test
unless the README's table of deliberate differences lists that exact filter."""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import pytest

from labtrack.client import Lab
from labtrack.errors import FilterError
from labtrack.store.filters import compile_filter
from mlflow_search_filters import FILTERS

pytestmark = pytest.mark.slow
README = Path(__file__).resolve().parents[1] / "README.md"

# name, status, start ms, end ms, user, params, tags, metrics (key, value, timestamp ms, step), datasets
RUNS = [
    ("run_name1", "FINISHED", 1, 5, "alice",
     {"generic_param": "p_val", "generic_2": "some value", "p_a": "abc", "learning_rate": "0.01",
      "batch_size": "32", "m": "LR", "cat dog": "pets", "model": "LinearRegression", "my_param": "A",
      "lr": "1e-05", "flag": "True", "x": "0.30000000000000004", "path": "C:\\new\\table", "p.a.r.a.m": "a",
      "b": "val", "model_class": "LR"},
     {"generic_tag": "p_val", "generic_2": "some value", "p_a": "abc", "version": "commit-hash",
      "t.a.g": "a", "source_name": "a notebook", "env": "prod"},
     [("common", 1.0, 0, 1), ("measure_a", 1.0, 0, 1), ("m_a", 2.0, 0, 2), ("key1", 121, 0, 0),
      ("acc", 0.94, 0, 0), ("legit name", 0.243, 0, 0), ("XYZ", 3, 0, 0), ("X-Y-Z", 3, 0, 0),
      ("accuracy.2.0", 6, 0, 0), ("spacey name", 6, 0, 0), ("a", 0.1, 0, 0), ("rmse", 0.5, 0, 0),
      ("nanny", math.nan, 0, 0)],
     [("name1", "digest1", "train"), ("name2", "digest2", "eval")]),
    ("run_name2", "RUNNING", 2, None, "bob",
     {"generic_param": "p_val", "generic_2": "another value", "p_b": "ABC", "learning_rate": "0.02",
      "m": "tf", "my_param": "A", "lr": "0.001", "flag": "False", "x": "0.3", "model_class": "LR"},
     {"generic_tag": "p_val", "generic_2": "another value", "p_b": "ABC", "tag1": "C"},
     [("common", 1.0, 0, 1), ("measure_a", 200.0, 2, 2), ("measure_a", 400.0, 3, 3), ("m_b", 3.0, 2, 0),
      ("m_b", 4.0, 8, 0), ("m_b", 8.0, 3, 0), ("key1", 123, 0, 0), ("acc", 0.9, 0, 0), ("rmse", 2.0, 0, 0),
      ("nanny", 1.0, 0, 0)],
     [("name1", "digest1", "train"), ("name3", "digest3", "eval")]),
    ("run_name3", "FAILED", 3, 300, "alice", {"my_param": "B", "m": "LR"}, {"tag1": "D"},
     [("key1", 125, 0, 0)], [("name2", "digest2", "test")]),
    ("killed", "KILLED", 1796102691177, 1796102691999, "carol", {"lr": "10.0"}, {},
     [("acc", math.nan, 0, 0)], []),
]  # fmt: skip


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """(MLflow client, experiment id, labtrack store, placeholders) holding the same runs."""
    from mlflow import MlflowClient
    from mlflow.entities import Dataset, DatasetInput, InputTag, Metric, Param, RunTag

    root = tmp_path_factory.mktemp("mlflow-filters")
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    uri = f"sqlite:///{root / 'mlflow.db'}"
    client = MlflowClient(tracking_uri=uri)
    exp = client.create_experiment("search", artifact_location=str(root / "art"))
    ids = []
    for name, status, start, end, user, params, tags, metrics, datasets in RUNS:
        run_id = client.create_run(
            exp, start_time=start, run_name=name, tags={"mlflow.user": user}
        ).info.run_id
        client.log_batch(
            run_id,
            metrics=[Metric(*m) for m in metrics],
            params=[Param(k, v) for k, v in params.items()],
            tags=[RunTag(k, v) for k, v in tags.items()],
        )
        client.log_inputs(
            run_id,
            [
                DatasetInput(Dataset(n, d, "local", "src"), [InputTag("mlflow.data.context", c)])
                for n, d, c in datasets
            ],
        )
        if status != "RUNNING":
            client.set_terminated(run_id, status, end_time=end)
        ids.append(run_id)
    lab = Lab.open(root / "labtrack")
    report = lab.import_mlflow(uri, progress=False)
    store = lab.store
    assert len(report.imported) == len(RUNS) and not report.failed
    holes = {
        "art": str(root / "art"),
        **{f"r{i}": r for i, r in enumerate(ids, 1)},
        **{f"R{i}": r.upper() for i, r in enumerate(ids, 1)},
    }
    yield client, exp, store, holes
    store.close()


def allowed_differences() -> set[str]:
    """The filters in the first column of the README's table of deliberate differences."""
    section = (
        README.read_text()
        .split("### Filters: deliberate differences from MLflow", 1)[1]
        .split("\n#", 1)[0]
    )
    return {m.group(1) for m in re.finditer(r"^\| `([^`|]+(?:`[^`|]+`[^`|]*)*)` \|", section, re.M)}


def answers(stores, text: str) -> tuple[set[str] | str, set[str] | str]:
    client, exp, store, _ = stores
    from mlflow.exceptions import MlflowException

    try:
        theirs: set[str] | str = {
            r.info.run_name for r in client.search_runs([exp], text, max_results=1000)
        }
    except MlflowException as exc:
        theirs = f"error: {exc.message[:60]}"
    try:
        sql, params = compile_filter(text)
        rows = store.read(
            f"SELECT r.name FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE {sql}",
            params,
        )
        ours: set[str] | str = {row[0] for row in rows}
    except FilterError as exc:
        ours = f"error: {exc}"
    return theirs, ours


@pytest.mark.parametrize("template", FILTERS)
def test_a_filter_mlflow_accepts_means_the_same_here(stores, template):
    text = template.format(**stores[3])
    theirs, ours = answers(stores, text)
    if isinstance(theirs, str):
        return  # MLflow refuses it: labtrack may refuse it too, or read it as an extension
    assert theirs == ours or template in allowed_differences(), (
        f"{text!r}: MLflow {theirs}, labtrack {ours}"
    )


def test_every_listed_difference_is_still_a_difference(stores):
    for text in allowed_differences():
        theirs, ours = answers(stores, text)
        assert theirs != ours, f"{text!r} now agrees: take it out of the README's table"


def test_the_filters_cover_every_field_the_issue_names():
    joined = " ".join(FILTERS)
    for needle in (
        "`metric`.",
        "`Run name`",
        "attributes.created",
        "user_id",
        "artifact_uri",
        "datasets.context",
        "datasets.digest",
        "'KILLED'",
        "'1e-05'",
        "'True'",
        "C:\\new",
    ):
        assert needle in joined
