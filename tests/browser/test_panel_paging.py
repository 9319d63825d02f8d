"""A store of 100,000 runs (issue 15, item 8): the table pages and sorts on the server, fetching only
the rows scrolled into view. Figures are printed and kept (panel_driver.record_timing); the test
asserts behaviour, not timings.
"""

from __future__ import annotations

import pytest
from panel_driver import (
    HUGE_RUNS,
    PANEL,
    ROW,
    TAB,
    count_text,
    read_timer,
    record_timing,
    shown_numbers,
    start_timer,
    widen_sidebar,
)

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

COUNT = f"(document.querySelector('{PANEL} .jp-labtrack-runCount')?.innerText ?? '')"
RUNS_REQUESTS = """performance.getEntriesByType('resource')
    .map(e => e.name).filter(n => n.includes('labtrack/api/runs?'))"""


async def test_a_hundred_thousand_runs_page_on_the_server(huge_lab) -> None:
    async with huge_lab.page() as page:
        await page.locator(TAB).wait_for(timeout=30_000)
        await start_timer(page, TAB, "pointerdown", f"document.querySelector('{ROW}') !== null")
        await page.locator(TAB).click()
        record_timing(
            "100,000 runs: first rows after opening the panel", await read_timer(page), 1.5
        )
        await page.wait_for_function(f"{COUNT}.startsWith('{HUGE_RUNS:,} runs')", timeout=30_000)
        assert (await shown_numbers(page))[0] == HUGE_RUNS
        await widen_sidebar(page, 700)
        # How much of that wait was the server's first page (cold: it builds its table once).
        first_page = await page.evaluate(
            """performance.getEntriesByType('resource')
                .filter(e => e.name.includes('labtrack/api/runs?'))[0].duration / 1000"""
        )
        record_timing("100,000 runs: the first runs page, server side (cold)", first_page, 0.3)

        # Every runs request asked for a page, never the whole store.
        requests = await page.evaluate(RUNS_REQUESTS)
        assert requests and all("limit=" in r or "after=" in r or "numbers=" in r for r in requests)

        # Scroll to the middle: that page comes, and the DOM holds only the rows in view.
        table = page.locator(f"{PANEL} .jp-labtrack-RunsTable")
        await table.evaluate("t => (t.scrollTop = t.scrollHeight / 2)")
        middle = HUGE_RUNS // 2
        await page.wait_for_function(
            f"[...document.querySelectorAll('{ROW}')].some(r => Math.abs(r.dataset.run - {middle}) < 100)",
            timeout=30_000,
        )
        assert await page.locator(ROW).count() < 200

        # Sort by a metric on the server: the best run first.
        header = f'{PANEL} .jp-labtrack-RunsTable-th[data-column="metrics.acc"]'
        best = huge_lab.api("runs", sort="metrics.acc", order="desc", limit=1)["runs"][0]["number"]
        await start_timer(
            page, header, "click", f"document.querySelector('{ROW}')?.dataset.run === '{best}'"
        )
        await page.locator(header).click()
        record_timing("100,000 runs: sort by a metric (server)", await read_timer(page))

        # A filter: the server counts the matches, the table shows the first page of them.
        text = "params.model = 'rf' and metrics.acc > 0.9"
        expected = huge_lab.api("runs", filter=text, limit=1)["total"]
        box = f"{PANEL} .jp-labtrack-FilterBox input"
        await page.locator(box).fill(text)
        await start_timer(page, box, "keydown", f"{COUNT}.startsWith('{expected:,} of')")
        await page.locator(box).press("Enter")
        record_timing("100,000 runs: filter answered", await read_timer(page), 0.5)
        assert await count_text(page) == f"{expected:,} of {HUGE_RUNS:,} runs"
        assert await page.locator(ROW).count() > 0
