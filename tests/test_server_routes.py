"""The server extension's REST API against a real Jupyter server (pytest-jupyter's `jp_fetch`):
status, settings, auth, errors, the runs list and one run. Data routes: test_server_data.py."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import tornado.web
from tornado.httpclient import HTTPClientError

import labtrack as lt
from labtrack.errors import FilterError
from labtrack.server.config import LabtrackExtension
from labtrack.server.routes import API_PREFIX, ROUTES, error_status
from server_fixtures import *  # noqa: F403 - the fixtures
from server_fixtures import XSS, api_path, get_error, get_json

pytest_plugins = ("pytest_jupyter.jupyter_server",)

# One request per route, so every route is checked for auth (test_every_route_has_an_auth_sample).
SAMPLES = {
    "status": "status",
    "runs": "runs",
    r"runs/([^/]+)": "runs/1",
    "history": "history?runs=1&metric=acc",
    "compare": "compare?runs=1,2",
    "export": "export?runs=1,2&format=md",
    "hypotheses": "hypotheses",
    r"hypotheses/([^/]+)": "hypotheses/1",
    r"artifacts/(.*)": "artifacts/" + "0" * 64,
}


async def test_status_of_a_new_store(jp_fetch, served_store: Path) -> None:
    status = await get_json(jp_fetch, "status")
    assert status["store"] == str(served_store)
    assert (status["runs"], status["change"]) == (0, 0)
    assert isinstance(status["version"], str)
    assert served_store.is_dir()  # created when the server started


async def test_change_marker_moves_after_a_write(jp_fetch, filled) -> None:
    before = await get_json(jp_fetch, "status")
    assert before["runs"] == 5
    assert (await get_json(jp_fetch, "runs"))["change"] == before["change"]
    with lt.run("new", params={"model": "knn"}):
        lt.log(acc=0.1)
    after = await get_json(jp_fetch, "status")
    assert (after["runs"], after["change"] > before["change"]) == (6, True)
    runs = await get_json(jp_fetch, "runs", after="5")  # what the panel asks for on a change
    assert (runs["change"], [r["name"] for r in runs["runs"]]) == (after["change"], ["new"])


@pytest.mark.parametrize("labtrack_config", [{"store_dir": "configured"}])
async def test_store_dir_setting_overrides_labtrack_dir(jp_fetch, tmp_path: Path) -> None:
    status = await get_json(jp_fetch, "status")
    assert status["store"] == str(tmp_path / "configured")


@pytest.mark.parametrize("labtrack_dir_env", [None])
async def test_default_store_is_under_the_root_dir(jp_fetch, jp_root_dir: Path) -> None:
    status = await get_json(jp_fetch, "status")
    assert status["store"] == str(jp_root_dir / ".labtrack")
    assert (jp_root_dir / ".labtrack").is_dir()


async def test_errors_are_json_with_a_message(jp_fetch, served_store: Path) -> None:
    (served_store / "labtrack.db").write_bytes(b"not sqlite at all" * 100)
    code, body = await get_error(jp_fetch, "status")
    assert code == 500
    assert "not a database" in body["message"]


def test_every_route_and_setting_is_documented() -> None:
    root = Path(__file__).resolve().parents[1]
    contract, readme = (root / "docs" / "rest-api.md").read_text(), (root / "README.md").read_text()
    for path, _ in ROUTES:
        assert f"`GET {path.split('(')[0]}" in contract, (
            f"docs/rest-api.md does not document {path}"
        )
        assert path.split("/")[0] in readme
    for name in LabtrackExtension.class_traits(config=True):
        assert f"c.LabtrackExtension.{name}" in readme, f"README does not document {name}"


def test_every_route_has_an_auth_sample() -> None:
    assert sorted(SAMPLES) == sorted(path for path, _ in ROUTES)


@pytest.mark.parametrize("sample", SAMPLES.values())
async def test_no_route_answers_without_auth(
    jp_serverapp, http_server_client, filled, sample: str
) -> None:
    response = await http_server_client.fetch(
        f"{jp_serverapp.base_url}{API_PREFIX}/{sample}", raise_error=False
    )
    assert response.code == 403
    assert b"rf-a" not in response.body


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (LookupError("no run #9"), (404, "no run #9")),
        (ValueError("bad filter"), (400, "bad filter")),
        (tornado.web.HTTPError(409, "busy"), (409, "busy")),
        (RuntimeError("boom"), (500, "internal error: RuntimeError: boom")),
    ],
)
def test_error_status(exc: BaseException, expected: tuple[int, str]) -> None:
    assert error_status(exc, 500, "Internal Server Error") == expected


@pytest.mark.parametrize(
    ("params", "numbers", "total"),
    [
        ({}, [1, 2, 3, 4, 5], 5),
        ({"filter": "params.model = 'rf'"}, [1, 2, 4], 3),
        ({"filter": "metrics.acc > 0.75 or params.model = 'svm'"}, [1, 2, 3, 4], 4),
        ({"experiment": "other"}, [3], 1),
        ({"sort": "metrics.acc", "order": "desc"}, [4, 2, 1, 3, 5], 5),  # #5 has no acc: last
        ({"sort": "metrics.acc"}, [3, 1, 2, 4, 5], 5),
        ({"sort": "name", "order": "desc"}, [3, 4, 2, 1, 5], 5),
        ({"sort": "params.lr", "order": "desc"}, [1, 3, 4, 2, 5], 5),
        ({"offset": "1", "limit": "2"}, [2, 3], 5),
        ({"sort": "number", "order": "desc", "limit": "2"}, [5, 4], 5),
        ({"after": "3"}, [4, 5], 2),
        ({"numbers": "2,4,99"}, [2, 4], 2),
        ({"numbers": ""}, [], 0),
        (
            {"filter": "params.model = 'rf'", "after": "1", "sort": "params.lr", "limit": "1"},
            [2],
            2,
        ),
    ],
)
async def test_runs_filter_sort_and_pages(
    jp_fetch, filled, params: dict, numbers: list[int], total: int
) -> None:
    answer = await get_json(jp_fetch, "runs", **params)
    assert [run["number"] for run in answer["runs"]] == numbers
    assert answer["total"] == total


async def test_runs_answer_names_columns_and_returns_values_as_plain_json(jp_fetch, filled) -> None:
    answer = await get_json(jp_fetch, "runs", numbers="1")
    assert (answer["params"], answer["metrics"]) == (["lr", "model", "note"], ["acc", "loss"])
    assert answer["definitions"] == {"acc": {"goal": "max", "target": None, "summary": "last"}}
    run = answer["runs"][0]
    assert run["params"] == {
        "lr": 0.1,
        "model": "rf",
        "note": XSS,
    }  # text as is: escaping is the panel's job
    assert (run["name"], run["status"], run["experiment"], run["metrics"]["acc"]) == (
        "rf-a",
        "finished",
        "Default",
        0.8,
    )
    assert run["end_time"] >= run["start_time"] > 1e9 and run["duration"] >= 0


async def test_non_finite_values_are_strict_json(jp_fetch, filled) -> None:
    with lt.run("odd", params={"x": math.nan, "y": math.inf}) as run:
        lt.log(acc=math.nan, loss=math.inf)
    [row] = (await get_json(jp_fetch, "runs", numbers=str(run.number)))["runs"]
    detail = await get_json(jp_fetch, "runs", str(run.number))
    assert (row["params"], row["metrics"]) == (
        {"x": "nan", "y": "inf"},
        {"acc": None, "loss": "inf"},
    )
    assert (detail["metrics"]["acc"]["last"], detail["metrics"]["loss"]["max"]) == (None, "inf")


async def test_runs_summaries_follow_the_metric_definitions(jp_fetch, filled) -> None:
    lt.metric("acc", goal="max", summary="best", store_wide=True)
    lt.metric("loss", goal="min", summary="mean", store_wide=True)
    with lt.run("dip") as run:
        for acc in (0.7, 0.9, 0.6):
            lt.log(acc=acc, loss=1 - acc)
    with lt.run("nan-only") as nan_run:
        lt.log(acc=math.nan)
    answer = await get_json(jp_fetch, "runs", numbers=f"5,{run.number},{nan_run.number}")
    long, dip, nan_only = answer["runs"]
    assert dip["metrics"]["acc"] == 0.6  # `metrics` stays the last values (the filter's)
    assert dip["summaries"] == {"acc": 0.9, "loss": pytest.approx(0.8 / 3)}
    long_loss = (await get_json(jp_fetch, "runs", "5"))["metrics"]["loss"]["mean"]
    assert (long["summaries"], nan_only["summaries"]) == ({"loss": long_loss}, {"acc": None})
    assert answer["definitions"]["acc"] == {"goal": "max", "target": None, "summary": "best"}
    sorted_desc = await get_json(jp_fetch, "runs", sort="metrics.acc", order="desc", numbers="1,2")
    assert [r["summaries"]["acc"] for r in sorted_desc["runs"]] == [0.9, 0.8]


@pytest.mark.parametrize("text", ["metrics.acc >", "params.model = 'rf' and and", "bogus.x = 1"])
async def test_bad_filter_is_400_with_message_and_position(jp_fetch, filled, text: str) -> None:
    code, body = await get_error(jp_fetch, "runs", filter=text)
    with pytest.raises(FilterError) as expected:
        lt.runs(text)
    assert code == 400
    assert (body["message"], body["position"]) == (str(expected.value), expected.value.position)
    assert f"at position {body['position']}" in body["message"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sort": "colour"}, "cannot sort by 'colour'"),
        ({"order": "up"}, "order must be asc or desc"),
        ({"limit": "-1"}, "limit must be at least 0"),
        ({"offset": "x"}, "offset must be an integer"),
        ({"numbers": "a,b"}, "numbers must be run numbers"),
    ],
)
async def test_bad_runs_query_is_400(jp_fetch, filled, params: dict, message: str) -> None:
    code, body = await get_error(jp_fetch, "runs", **params)
    assert (code, message in body["message"]) == (400, True)


@pytest.mark.parametrize("ref", ["1", "#1", "rf-a", "uuid", "uuid-prefix"])
async def test_one_run_by_any_reference(jp_fetch, filled, ref: str) -> None:
    uuid = filled.store.run_record(1).uuid
    ref = {"uuid": uuid, "uuid-prefix": uuid[:8]}.get(ref, ref)
    run = await get_json(jp_fetch, "runs", ref)
    assert (run["number"], run["name"], run["code"]) == (1, "rf-a", "lr = 0.1\nfit()")
    assert (
        run["notebook_path"] == "work/nb.ipynb"
    )  # relative to the Jupyter root: the panel opens it
    assert run["metrics"]["acc"] == {
        "last": 0.8,
        "last_step": 2,
        "min": 0.5,
        "max": 0.8,
        "mean": pytest.approx(2 / 3),
        "count": 3,
        "nan_count": 0,
    }
    assert [(a["name"], a["media_type"]) for a in run["artifacts"]] == [
        ("plot.png", "image/png"),
        ("page.html", "text/html; charset=utf-8"),
    ]
    assert run["artifacts"][0]["url"] == f"artifacts/{filled.digests['png']}?name=plot.png"
    assert run["hypothesis"] is None and run["params"]["note"] == XSS


async def test_run_testing_a_hypothesis_names_it(jp_fetch, filled) -> None:
    run = await get_json(jp_fetch, "runs", "4")
    assert run["hypothesis"] == {"id": 1, "statement": "rf beats svm"}
    assert run["notebook_path"] is None


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (("runs", "999"), "no run #999"),
        (("runs", "no-such-run"), "no run named or numbered 'no-such-run'"),
        (("hypotheses", "99"), "no hypothesis H99"),
        (("history",), "no run #42"),
        (("compare",), "no run #42"),
        (("artifacts", "ab" * 32), f"no artifact {'ab' * 32} in this store"),
    ],
)
async def test_unknown_things_are_404(
    jp_fetch, filled, path: tuple[str, ...], message: str
) -> None:
    params = {"runs": "1,42", "metric": "acc"} if path[0] in ("history", "compare") else {}
    code, body = await get_error(jp_fetch, *path, **params)
    assert (code, message in body["message"]) == (404, True), body


async def test_an_unknown_route_is_not_ours(jp_fetch, filled) -> None:
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch(*api_path("nothing-here"))
    assert info.value.code == 404
    assert "rf-a" not in json.dumps(info.value.response.body.decode(errors="replace"))
