"""The panel at scale: 10,000 runs listed and filtered, 20 runs × 10,000 steps charted.

The figures are measured in the page (see panel_driver.start_timer), printed, and kept in
test-results/panel-timings.json. The tests assert behaviour, not timings: a slow shared CI machine
must not fail them, but the figures go into the notes.
"""

from __future__ import annotations

import pytest
from panel_driver import (
    BIG_RUNS,
    LONG_RUNS,
    LONG_STEPS,
    PANEL,
    ROW,
    TAB,
    apply_filter,
    count_text,
    open_panel,
    read_timer,
    record_timing,
    row,
    shown_numbers,
    start_timer,
    widen_sidebar,
)
from playwright.async_api import expect

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

TOTAL = BIG_RUNS + LONG_RUNS
COUNT = f"(document.querySelector('{PANEL} .jp-labtrack-runCount')?.innerText ?? '')"


async def test_ten_thousand_runs_list_scroll_sort_and_filter(big_lab) -> None:
    async with big_lab.page() as page:
        await page.locator(TAB).wait_for(timeout=30_000)
        await start_timer(page, TAB, "pointerdown", f"document.querySelector('{ROW}') !== null")
        await page.locator(TAB).click()
        first_rows = await read_timer(page)
        record_timing("10,000 runs: first rows after opening the panel", first_rows, 1.5)
        await page.wait_for_function(f"{COUNT}.startsWith('{TOTAL:,} runs')", timeout=30_000)
        rendered = await page.locator(ROW).count()
        assert rendered < 200, f"{rendered} rows in the DOM: the table should be virtual"
        assert (await shown_numbers(page))[0] == TOTAL
        await widen_sidebar(page, 760)

        # Scroll to the end: the oldest run shows, still with few rows in the DOM.
        await page.locator(f"{PANEL} .jp-labtrack-RunsTable").evaluate(
            "t => (t.scrollTop = t.scrollHeight)"
        )
        await (await row(page, 1)).wait_for()
        assert await page.locator(ROW).count() < 200

        # Sort 10,000 rows by a metric in the browser.
        header = f'{PANEL} .jp-labtrack-RunsTable-th[data-column="metrics.acc"]'
        best = big_lab.api("runs", sort="metrics.acc", order="desc", limit=1)["runs"][0]["number"]
        first_is_best = f"document.querySelector('{ROW}')?.dataset.run === '{best}'"
        await start_timer(page, header, "click", first_is_best)
        await page.locator(header).click()
        record_timing("10,000 runs: sort by a metric", await read_timer(page))
        assert (await shown_numbers(page))[0] == best

        # Filter: the server answers, the table shows exactly its matches.
        text = "params.model = 'rf' and metrics.acc > 0.9"
        expected = big_lab.api("runs", filter=text)["total"]
        box = f"{PANEL} .jp-labtrack-FilterBox input"
        await page.locator(box).fill(text)
        await start_timer(page, box, "keydown", f"{COUNT}.startsWith('{expected:,} of')")
        await page.locator(box).press("Enter")
        record_timing("10,000 runs: filter answered", await read_timer(page), 0.3)
        assert await count_text(page) == f"{expected:,} of {TOTAL:,} runs"

        # A second filter, once the server is warm.
        text = "metrics.loss < 0.1"
        expected = big_lab.api("runs", filter=text)["total"]
        await page.locator(box).fill(text)
        await start_timer(page, box, "keydown", f"{COUNT}.startsWith('{expected:,} of')")
        await page.locator(box).press("Enter")
        record_timing("10,000 runs: second filter answered", await read_timer(page), 0.3)

        # Group by experiment: five sweep groups and the long runs.
        await apply_filter(page, "")
        await page.locator(f"{PANEL} .jp-labtrack-GroupSelect select").select_option("experiment")
        groups = page.locator(f"{PANEL} .jp-labtrack-RunsTable-group")
        for folded in range(1, 7):  # fold each group: the next one comes into view
            await groups.nth(folded - 1).click()
            await expect(groups).to_have_count(min(folded + 1, 6))
        labels = sorted(await groups.evaluate_all("gs => gs.map(g => g.dataset.group)"))
        assert labels == ["long", *(f"sweep-{i}" for i in range(5))]


async def test_compare_twenty_runs_of_ten_thousand_steps(big_lab) -> None:
    async with big_lab.page(height=1000) as page:
        panel = await open_panel(page, width=560)
        await apply_filter(page, "attributes.experiment = 'long'")
        await page.wait_for_function(
            f"{COUNT}.startsWith('{LONG_RUNS} of {TOTAL:,} runs')", timeout=30_000
        )
        await panel.locator('input[aria-label="select all runs shown"]').click()
        compare = f"{PANEL} .jp-labtrack-CompareButton"
        await expect(page.locator(compare)).to_have_text(f"Compare ({LONG_RUNS})")
        drawn = "document.querySelectorAll('.jp-labtrack-CompareView .jp-labtrack-HistoryChart-plot[data-drawn]').length >= 2"
        await start_timer(page, compare, "click", drawn)
        await page.locator(compare).click()
        seconds = await read_timer(page)
        record_timing("compare 20 runs × 10,000 steps: charts drawn", seconds, 2.0)
        entries = await page.evaluate("""performance.getEntriesByType('resource')
            .filter(e => e.name.includes('labtrack/api') && !e.name.includes('status'))
            .map(e => [e.name.split('labtrack/api/')[1].slice(0, 50), Math.round(e.startTime), Math.round(e.duration), e.transferSize])""")
        for e in entries[-30:]:
            print("REQ", e)
        chart = page.locator(".jp-labtrack-HistoryChart").first
        assert await chart.locator(".u-legend .u-series").count() == LONG_RUNS + 1  # x + one a run
        history = big_lab.api(
            "history", runs=",".join(str(n) for n in range(1, LONG_RUNS + 1)), metric="loss"
        )
        assert len(history["series"]) == LONG_RUNS
        # Thinned on the server (min and max of each bucket kept): a few thousand points, not 10,000.
        assert all(s["downsampled"] and len(s["steps"]) < LONG_STEPS / 2 for s in history["series"])
