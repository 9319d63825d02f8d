"""The REST runs route at scale: pages sorted and cut in SQL, and bad input answered with a clear
400 (never a 500) — negative or huge limit/offset, `after` beyond SQLite's integers, unknown fields."""

from __future__ import annotations

import pytest

from server_fixtures import *  # noqa: F403 - the fixtures
from server_fixtures import get_error, get_json

pytest_plugins = ("pytest_jupyter.jupyter_server",)

HUGE = str(2**64)


async def test_a_page_comes_sorted_with_the_total_and_every_column_name(jp_fetch, filled) -> None:
    answer = await get_json(jp_fetch, "runs", limit="2", sort="metrics.acc", order="desc")
    assert [run["number"] for run in answer["runs"]] == [4, 2]
    assert (answer["total"], answer["metrics"]) == (5, ["acc", "loss"])
    assert answer["params"] == ["lr", "model", "note"]
    assert answer["runs"][0]["summaries"] == {}  # acc's definition summarises by its last value


async def test_a_page_and_the_whole_list_agree(jp_fetch, filled) -> None:
    whole = await get_json(jp_fetch, "runs", sort="params.lr")
    pages = [
        await get_json(jp_fetch, "runs", sort="params.lr", limit="2", offset=str(at))
        for at in (0, 2, 4)
    ]
    assert [r for page in pages for r in page["runs"]] == whole["runs"]


async def test_after_beyond_the_newest_run_is_an_empty_page(jp_fetch, filled) -> None:
    answer = await get_json(jp_fetch, "runs", after="1000000")
    assert (answer["runs"], answer["total"]) == ([], 0)


@pytest.mark.parametrize(
    ("route", "params", "message"),
    [
        ("runs", {"limit": "-5"}, "limit must be at least 0"),
        ("runs", {"limit": HUGE}, "limit must be at most"),
        ("runs", {"offset": HUGE}, "offset must be at most"),
        ("runs", {"after": HUGE}, "after must be at most"),
        ("runs", {"after": "9" * 5000}, "at most 40 digits"),
        ("runs", {"numbers": HUGE}, "numbers must be run numbers between"),
        ("runs", {"sort": "params."}, "cannot sort by 'params.'"),
        ("compare", {"runs": "1", "at_step": HUGE}, "at_step must be at most"),
        ("runs", {"columns": "params.lr,colour"}, "unknown column 'colour'"),
    ],
)
async def test_bad_numbers_and_fields_are_400(jp_fetch, filled, route, params, message) -> None:
    code, body = await get_error(jp_fetch, route, **params)
    assert (code, message in body["message"]) == (400, True), body


async def test_a_sort_field_is_a_name_never_sql(jp_fetch, filled) -> None:
    answer = await get_json(jp_fetch, "runs", sort="metrics.acc; DROP TABLE runs", limit="2")
    assert ([r["number"] for r in answer["runs"]], answer["total"]) == ([1, 2], 5)


async def test_columns_bring_only_the_named_values(jp_fetch, filled) -> None:
    answer = await get_json(jp_fetch, "runs", columns="params.lr,metrics.acc,tags.none")
    first = answer["runs"][0]
    assert (first["params"], first["metrics"], first["tags"]) == ({"lr": 0.1}, {"acc": 0.8}, {})
    assert (answer["total"], answer["params"]) == (5, ["lr", "model", "note"])  # every name still
