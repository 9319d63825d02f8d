"""The REST API's data routes against a real Jupyter server: histories, comparisons, exports,
hypotheses and artifacts (including path traversal attempts)."""

from __future__ import annotations

import html
import json

import jsonschema
import pytest

import labtrack as lt
from labtrack.comparisons.json_export import schema
from labtrack.server.routes import API_PREFIX
from server_fixtures import *  # noqa: F403 - the fixtures
from server_fixtures import XSS, api_path, get_error, get_json, tiny_png

pytest_plugins = ("pytest_jupyter.jupyter_server",)


async def test_history_is_thinned_keeping_extremes_and_both_ends(jp_fetch, filled) -> None:
    answer = await get_json(jp_fetch, "history", runs="5,1", metric="loss", max_points="200")
    long, short = answer["series"]
    assert (answer["metric"], long["number"], long["name"], long["count"], long["downsampled"]) == (
        "loss",
        5,
        "long",
        10_000,
        True,
    )
    assert len(long["steps"]) <= 202 and long["steps"] == sorted(long["steps"])
    assert (long["steps"][0], long["steps"][-1]) == (0, 9999)
    assert max(long["values"]) == 100.0 and min(long["values"]) == -50.0  # the spikes survive
    assert long["values"][long["steps"].index(4321)] == 100.0
    assert (short["steps"], short["values"], short["downsampled"]) == (
        [0, 1, 2],
        pytest.approx([0.5, 0.3, 0.2]),
        False,
    )


async def test_history_of_a_metric_a_run_lacks_is_empty(jp_fetch, filled) -> None:
    answer = await get_json(jp_fetch, "history", runs="5", metric="acc")
    assert answer["series"] == [
        {"number": 5, "name": "long", "steps": [], "values": [], "count": 0, "downsampled": False}
    ]


async def test_history_of_a_running_run_grows_while_finished_ones_come_from_the_cache(
    jp_fetch, filled
) -> None:
    run = lt.start_run("live")
    for acc in (0.1, 0.2, 0.3):
        lt.log(acc=acc)
    filled.store.points.flush()
    first = await get_json(jp_fetch, "history", runs=f"1,{run.number}", metric="acc")
    lt.log(acc=0.4)
    filled.store.points.flush()
    second = await get_json(jp_fetch, "history", runs=f"1,{run.number}", metric="acc")
    lt.end_run()
    assert [s["count"] for s in first["series"]] == [3, 3]
    assert [s["values"] for s in second["series"]] == [
        [0.5, 0.7, 0.8],
        pytest.approx([0.1, 0.2, 0.3, 0.4]),
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"runs": "1"}, "history needs a metric"),
        ({"metric": "acc"}, "runs is required"),
        (
            {"runs": "1", "metric": "acc", "max_points": "1"},
            "max_points must be between 2 and 100000",
        ),
        ({"runs": ",".join(map(str, range(1, 600))), "metric": "acc"}, "at most 500"),
    ],
)
async def test_bad_history_query_is_400(jp_fetch, filled, params: dict, message: str) -> None:
    code, body = await get_error(jp_fetch, "history", **params)
    assert (code, message in body["message"]) == (400, True), body


@pytest.mark.parametrize("diff", ["0", "1"])
async def test_compare_answers_the_comparison_json(jp_fetch, filled, diff: str) -> None:
    answer = await get_json(jp_fetch, "compare", runs="2,rf-a,#4", diff=diff)
    jsonschema.validate(answer, schema())
    assert [run["number"] for run in answer["runs"]] == [2, 1, 4]
    params = {p["name"] for p in answer["params"]}
    assert params == (
        {"lr", "note"} if diff == "1" else {"lr", "model", "note"}
    )  # model: rf in all three
    assert answer["hypotheses"][0]["verdict"]["label"] in (
        "supported",
        "refuted",
        "inconclusive",
        "untested",
    )


@pytest.mark.parametrize(
    ("fmt", "content_type", "suffix", "expected"),
    [
        ("md", "text/markdown; charset=utf-8", ".md", "| param |"),
        ("csv", "text/csv; charset=utf-8", ".csv", "run,number,section"),
        ("json", "application/json; charset=utf-8", ".json", '"format": "labtrack.comparison"'),
        ("latex", "application/x-tex; charset=utf-8", ".tex", "\\toprule"),
        ("html", "text/html; charset=utf-8", ".html", "<!DOCTYPE html>"),
    ],
)
async def test_export_downloads_a_file_per_format(
    jp_fetch, filled, fmt, content_type, suffix, expected
) -> None:
    response = await jp_fetch(
        *api_path("export"), params={"runs": "1,2", "format": fmt, "diff": "1"}
    )
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="labtrack-compare-1-2-diff{suffix}";'
        f" filename*=UTF-8''labtrack-compare-1-2-diff{suffix}"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert expected in response.body.decode()


async def test_html_export_escapes_user_text(jp_fetch, filled) -> None:
    response = await jp_fetch(*api_path("export"), params={"runs": "1,3", "format": "html"})
    page = response.body.decode()
    assert html.escape(XSS) in page or html.escape(XSS, quote=False) in page
    assert XSS not in page


async def test_export_refuses_an_unknown_format(jp_fetch, filled) -> None:
    code, body = await get_error(jp_fetch, "export", runs="1", format="docx")
    assert (code, body["message"]) == (
        400,
        "format must be one of md, csv, json, latex, html, not 'docx'",
    )


async def test_hypotheses_come_with_verdicts_and_their_runs(jp_fetch, filled) -> None:
    [listed] = await get_json(jp_fetch, "hypotheses")
    one = await get_json(jp_fetch, "hypotheses", "H1")
    assert (listed["id"], listed["statement"], listed["metric"], listed["expect"]) == (
        1,
        "rf beats svm",
        "acc",
        "increase",
    )
    verdict = listed["verdict"]
    assert (verdict["label"], verdict["weak"], verdict["badge"]) == (
        "untested",
        True,
        "untested (anecdote)",
    )
    assert verdict["confounds"] == [
        "3 params differ (params.lr, params.model, params.note): the effect cannot be put down to one of them;"
        " name the change under test (--change)"
    ]
    assert listed["multiplicity"] == {
        "tested": 0,
        "method": "holm",
        "p_value": None,
        "p_adjusted": None,
        "note": None,
    }
    assert (
        listed["definition"] == listed["current_definition"] == {"goal": "max", "summary": "last"}
    )
    assert (verdict["treatment_runs"], verdict["baseline_runs"], verdict["effect"]) == (
        [4],
        [3],
        pytest.approx(0.55),
    )
    assert {k: v for k, v in one.items() if k not in ("runs", "baseline_runs")} == listed
    assert [(r["number"], r["metrics"]["acc"]) for r in one["runs"]] == [(4, 0.95)]
    assert [r["number"] for r in one["baseline_runs"]] == [3]


async def test_hypotheses_adjust_by_bh_on_request_and_refuse_an_unknown_one(
    jp_fetch, filled
) -> None:
    [listed] = await get_json(jp_fetch, "hypotheses", adjust="bh")
    assert listed["multiplicity"]["method"] == "bh"
    code, body = await get_error(jp_fetch, "hypotheses", adjust="sidak")
    assert (code, body["message"]) == (400, "adjust must be 'holm' or 'bh', not 'sidak'")


async def test_routes_read_the_served_store_not_the_process_session(
    jp_fetch, filled, tmp_path
) -> None:
    lt.open(tmp_path / "elsewhere")  # this process's `lt` session now points at an empty store
    assert [h["verdict"]["label"] for h in await get_json(jp_fetch, "hypotheses")] == ["untested"]
    compared = await get_json(jp_fetch, "compare", runs="1,4")
    assert compared["hypotheses"][0]["verdict"]["treatment_runs"] == [4]
    assert (await get_json(jp_fetch, "runs"))["total"] == 5


async def test_a_malformed_hypothesis_id_is_400(jp_fetch, filled) -> None:
    code, body = await get_error(jp_fetch, "hypotheses", "first")
    assert (code, body["message"]) == (
        400,
        "a hypothesis is named by its id, like 3 or H3, not 'first'",
    )


@pytest.mark.parametrize(
    ("kind", "name", "content_type", "disposition"),
    [
        ("png", None, "image/png", "inline; filename=\"plot.png\"; filename*=UTF-8''plot.png"),
        (
            "html",
            None,
            "text/html; charset=utf-8",
            "attachment; filename=\"page.html\"; filename*=UTF-8''page.html",
        ),
        (
            "html",
            "other.html",
            "text/html; charset=utf-8",
            "attachment; filename=\"page.html\"; filename*=UTF-8''page.html",
        ),
    ],
)
async def test_artifact_served_with_its_media_type(
    jp_fetch, filled, kind, name, content_type, disposition
) -> None:
    params = {"name": name} if name else {}
    response = await jp_fetch(*api_path("artifacts", filled.digests[kind]), params=params)
    assert (response.headers["Content-Type"], response.headers["Content-Disposition"]) == (
        content_type,
        disposition,
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.body == (tiny_png() if kind == "png" else b"<script>alert(1)</script>")


@pytest.mark.parametrize(
    "tail",
    [
        "../../labtrack.db",
        "..%2f..%2flabtrack.db",
        "%2e%2e/%2e%2e/labtrack.db",
        "%2e%2e%2f%2e%2e%2flabtrack.db",
        "%2Fetc%2Fpasswd",
        "/etc/passwd",
        "sha256/ab/" + "c" * 62,
        "ABCDEF" + "0" * 58,  # upper-case hex: not how digests are written
        "0" * 63,
        "0" * 64 + "/../../labtrack.db",
        "0" * 64,  # well-formed, but no artifact of the store has it
        "{digest}%00",
        "{digest}/",
    ],
)
async def test_artifact_path_traversal_is_refused(
    jp_serverapp, http_server_client, jp_auth_header, filled, tail: str
) -> None:
    url = (
        f"{jp_serverapp.base_url}{API_PREFIX}/artifacts/{tail.format(digest=filled.digests['png'])}"
    )
    response = await http_server_client.fetch(url, headers=jp_auth_header, raise_error=False)
    assert response.code == 404
    assert b"SQLite format" not in response.body and b"root:" not in response.body
    if response.headers.get("Content-Type") == "application/json":
        assert json.loads(response.body)["message"]
