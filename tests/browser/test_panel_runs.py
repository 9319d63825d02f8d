"""The Experiments panel on runs a real kernel recorded (tests/browser/data/study.ipynb): list, sort,
group, filter, select, compare, export, run details, open in notebook, hypotheses, live updates.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from panel_driver import (
    PANEL,
    ROW,
    TAB,
    apply_filter,
    count_text,
    open_panel,
    record_timing,
    row,
    screenshot,
    shown_numbers,
)
from playwright.async_api import expect

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

XSS = "<img src=x onerror=window.__xss=1>"


def record_runs(lab, code: str) -> subprocess.Popen:
    """Run Python `code` in another process that records into the lab's store (as a kernel would)."""
    script = f"import labtrack as lt, time\nlt.open({str(lab.store)!r})\n{code}"
    return subprocess.Popen([sys.executable, "-c", script])


async def test_panel_lists_sorts_groups_and_filters_the_notebook_runs(lab, study) -> None:
    total = len(lab.api("runs")["runs"])
    async with lab.page() as page:
        panel = await open_panel(page)
        await page.wait_for_selector(f'{ROW}[data-run="{study.first("diverged")}"]', timeout=15_000)
        assert await count_text(page) == f"{total} runs"
        # Newest first, with status badges and the headline metrics (those with a definition).
        assert (await shown_numbers(page))[0] == max(n for ns in study.numbers.values() for n in ns)
        failed = await row(page, study.first("diverged"))
        assert await failed.get_attribute("data-status") == "failed"
        headers = await panel.locator(".jp-labtrack-RunsTable-th").all_inner_texts()
        assert "val_acc ↑" in [h.strip() for h in headers] and "val_loss ↓" in [
            h.strip() for h in headers
        ]

        # Sort by val_acc: best first (its goal is max).
        await panel.locator('.jp-labtrack-RunsTable-th[data-column="metrics.val_acc"]').click()
        ranked = lab.api("runs", sort="metrics.val_acc", order="desc")["runs"]
        assert (await shown_numbers(page))[:3] == [r["number"] for r in ranked[:3]]

        # Group by hypothesis: one header a hypothesis, plus the runs without one.
        await panel.locator(".jp-labtrack-GroupSelect select").select_option("hypothesis")
        groups = await panel.locator(".jp-labtrack-RunsTable-group").all_inner_texts()
        assert any("Scaling the inputs" in g for g in groups) and any("(none)" in g for g in groups)
        await panel.locator(".jp-labtrack-GroupSelect select").select_option("none")

        # A filter in the filter language, answered by the server.
        await apply_filter(page, "metrics.val_acc > 0.9 and params.width = 64")
        matching = lab.api("runs", filter="metrics.val_acc > 0.9 and params.width = 64")["runs"]
        await page.wait_for_function(
            f"document.querySelector('{PANEL} .jp-labtrack-runCount').innerText.startsWith('{len(matching)} of')"
        )
        assert sorted(await shown_numbers(page)) == sorted(r["number"] for r in matching)

        # A malformed filter: the server's message inline, the last good result kept.
        await apply_filter(page, "metrics.val_acc >")
        error = panel.locator(".jp-labtrack-FilterError")
        await error.wait_for(timeout=10_000)
        message = await error.inner_text()
        assert "val_acc" in message or "position" in message or "expected" in message.lower(), (
            message
        )
        await panel.locator(".jp-labtrack-FilterBox-clear").click()
        await page.wait_for_function(
            f"document.querySelector('{PANEL} .jp-labtrack-runCount').innerText === '{total} runs'"
        )
        assert await panel.locator(".jp-labtrack-FilterError").count() == 0

        # Select three with click, ctrl-click and shift-click; the toolbar offers to compare them.
        await panel.locator('.jp-labtrack-RunsTable-th[data-column="number"]').click()
        scaled = study.numbers["scaled"]
        await (await row(page, study.first("baseline"))).click()
        await (await row(page, scaled[0])).click(modifiers=["Control"])
        await (await row(page, scaled[-1])).click(modifiers=["Shift"])
        await expect(page.locator(f'{ROW}[aria-selected="true"]')).to_have_count(1 + len(scaled))
        await expect(panel.locator(".jp-labtrack-CompareButton")).to_have_text("Compare (4)")
        # The picture for the docs: grouped by hypothesis, four runs selected.
        await panel.locator(".jp-labtrack-GroupSelect select").select_option("hypothesis")
        await page.locator('.jp-labtrack-RunsTable-group[data-group="(none)"]').click()  # fold it
        await expect(page.locator(".jp-labtrack-RunsTable-group")).to_have_count(3)
        box = await page.locator("#jp-left-stack").bounding_box()
        clip = {"x": 0, "y": 0, "width": box["x"] + box["width"] + 2, "height": 362}
        await screenshot(page, "panel.png", "panel.png", clip=clip)


async def test_compare_three_runs_then_export_html(lab, study) -> None:
    runs = [*study.numbers["baseline"][:2], *study.numbers["scaled"][:2]]
    async with lab.page(height=1180) as page:
        panel = await open_panel(page, width=560)
        for i, number in enumerate(runs):
            await (await row(page, number)).locator("input[type=checkbox]").click()
            await expect(page.locator(f'{ROW}[aria-selected="true"]')).to_have_count(i + 1)
        await panel.locator(".jp-labtrack-CompareButton").click()
        view = page.locator(".jp-labtrack-CompareView[data-runs]")
        await view.wait_for(timeout=15_000)
        assert await view.get_attribute("data-runs") == ",".join(map(str, sorted(runs)))

        # Params: all of them, then only those that differ.
        params = view.locator(".jp-labtrack-ParamsTable tbody tr")
        await params.first.wait_for()
        every = await params.count()
        await view.locator(".jp-labtrack-DiffToggle").click()
        assert await view.locator(".jp-labtrack-DiffToggle").get_attribute("aria-checked") == "true"
        differing = await params.count()
        assert 0 < differing < every
        assert (
            await view.locator(".jp-labtrack-ParamsTable tbody tr.jp-mod-differs").count()
            == differing
        )
        assert await view.locator('.jp-labtrack-ParamsTable tr[data-param="scaled"]').count() == 1
        assert await view.locator('.jp-labtrack-ParamsTable tr[data-param="width"]').count() == 0

        # Charts: the defined metrics first; switch to loss.
        charts = view.locator(".jp-labtrack-HistoryChart-plot[data-drawn]")
        await charts.first.wait_for(timeout=15_000)
        await view.locator('.jp-labtrack-Chip[data-metric="loss"]').click()
        await view.locator('.jp-labtrack-Chip[data-metric="val_acc"]').click()
        loss = view.locator(
            '.jp-labtrack-HistoryChart[data-metric="loss"] .jp-labtrack-HistoryChart-plot[data-drawn]'
        )
        await loss.wait_for(timeout=15_000)
        assert await view.locator('.jp-labtrack-HistoryChart[data-metric="val_acc"]').count() == 0
        await view.locator(".jp-labtrack-Smoothing input").fill("0.6")
        await view.locator(".jp-labtrack-HistoryPanel .jp-labtrack-Toggle").click()  # log scale
        await loss.wait_for(timeout=15_000)
        assert await view.locator(".jp-labtrack-ParallelCoordinates-plot[data-drawn]").count() == 1
        images = view.locator(".jp-labtrack-ArtifactGallery img.jp-labtrack-ArtifactImage")
        await images.nth(len(runs) - 1).wait_for(timeout=15_000)
        assert await images.count() == len(runs)
        await view.locator('.jp-labtrack-Chip[data-metric="val_acc"]').click()
        await view.locator('.jp-labtrack-Chip[data-metric="loss"]').click()
        await view.locator(".jp-labtrack-HistoryPanel .jp-labtrack-Toggle").click()
        await view.locator(".jp-labtrack-Smoothing input").fill("0.3")
        await page.locator(TAB).click()  # fold the side bar: the view gets the whole width
        await expect(view.locator(".jp-labtrack-HistoryChart-plot[data-drawn]")).to_have_count(2)
        await page.wait_for_timeout(300)
        await screenshot(page, "compare.png", "compare.png")

        # The HTML report, made by the server, downloaded by the browser.
        async with page.expect_download() as download_info:
            await view.locator('.jp-labtrack-ExportButtons [data-format="html"]').click()
        download = await download_info.value
        assert download.suggested_filename.endswith(".html")
        html = (await download.path()).read_text(encoding="utf-8") if await download.path() else ""
        assert "<html" in html.lower()
        for number in runs:
            assert f"#{number}" in html
        assert "scaled" in html and "val_acc" in html


async def test_run_details_open_the_notebook_at_the_cell(lab, study) -> None:
    number = study.first("scaled")  # recorded by a %%track cell
    async with lab.page() as page:
        await open_panel(page, width=480)
        await (await row(page, number)).dblclick()
        view = page.locator(f'.jp-labtrack-RunDetailsView[data-run="{number}"]')
        await view.wait_for(timeout=15_000)
        code = await view.locator(".jp-labtrack-CellCode").inner_text()
        assert code.startswith("%%track scaled")
        assert (
            await view.locator('.jp-labtrack-Params tr[data-key="scaled"] td').inner_text()
            == "true"
        )
        await view.locator("img.jp-labtrack-ArtifactImage").first.wait_for(timeout=15_000)
        await view.locator(".jp-labtrack-HistoryChart-plot[data-drawn]").first.wait_for(
            timeout=15_000
        )
        assert await view.locator(".jp-labtrack-EnvironmentView tr").count() > 0
        await screenshot(page, "run-details.png")

        await view.locator(".jp-labtrack-OpenInNotebook").click()
        active = page.locator(
            ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell.jp-mod-active"
        )
        await active.wait_for(timeout=30_000)
        await page.wait_for_function(
            "document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell.jp-mod-active')"
            "?.innerText.includes('%%track scaled')",
            timeout=15_000,
        )
        assert await active.is_visible()
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
        assert "study.ipynb" in await tab.first.inner_text()
        await screenshot(page, "open-in-notebook.png")


async def test_hypotheses_show_verdicts_and_link_their_runs(lab, study) -> None:
    async with lab.page() as page:
        panel = await open_panel(page, width=480)
        # Through the command palette, where every labtrack command is listed under "labtrack".
        await page.keyboard.press("Control+Shift+C")
        palette = page.locator("#command-palette")
        await palette.locator("input").fill("labtrack")
        items = await palette.locator(
            ".lm-CommandPalette-item:not(.lm-mod-hidden) .lm-CommandPalette-itemLabel"
        ).all_inner_texts()
        for label in (
            "Compare selected runs",
            "Open experiments panel",
            "Show hypotheses",
            "Refresh",
        ):
            assert label in items, items
        await palette.locator("input").fill("show hypotheses")
        await palette.locator("input").press("Enter")
        await expect(panel.locator('.jp-labtrack-tab[data-tab="hypotheses"]')).to_have_attribute(
            "aria-selected", "true"
        )
        cards = panel.locator(".jp-labtrack-HypothesisCard")
        await cards.first.wait_for(timeout=15_000)
        scaling = panel.locator(".jp-labtrack-HypothesisCard", has_text="Scaling the inputs")
        badge = scaling.locator(".jp-labtrack-VerdictBadge")
        assert await badge.get_attribute("data-verdict") == "supported"
        assert (
            "3 treatment · 3 baseline"
            in await scaling.locator(".jp-labtrack-Evidence-n").inner_text()
        )
        assert (await scaling.locator(".jp-labtrack-Evidence-effect").inner_text()).startswith("+")
        assert "rose by" in await scaling.locator(".jp-labtrack-Evidence-moved").inner_text()
        assert (
            "Holm-adjusted p"
            in await scaling.locator(".jp-labtrack-HypothesisCard-multiplicity").inner_text()
        )
        # One run a side is an anecdote, never green or red; its other differences are confounds.
        wider = panel.locator(".jp-labtrack-HypothesisCard", has_text="wider network")
        wider_badge = wider.locator(".jp-labtrack-VerdictBadge")
        assert await wider_badge.get_attribute("data-verdict") == "untested"
        assert "anecdote" in (await wider_badge.inner_text()).lower()
        assert "jp-mod-confounded" in await wider_badge.get_attribute("class")
        confounds = await wider.locator(".jp-labtrack-HypothesisCard-confounds").inner_text()
        assert "params differ" in confounds
        box = await panel.bounding_box()
        last = await cards.last.bounding_box()
        clip = {**box, "height": last["y"] + last["height"] + 8 - box["y"]}
        await screenshot(page, "hypotheses.png", "hypotheses.png", clip=clip)

        treated = study.numbers["scaled"][0]
        await scaling.locator(f'.jp-labtrack-RunLink[data-run="{treated}"]').click()
        await page.locator(f'.jp-labtrack-RunDetailsView[data-run="{treated}"]').wait_for(
            timeout=15_000
        )


async def test_new_and_finished_runs_appear_without_reload(lab, study) -> None:
    async with lab.page() as page:
        await open_panel(page, width=480)
        await page.wait_for_selector(ROW, timeout=15_000)
        newest = max(await shown_numbers(page))

        started = time.perf_counter()
        record_runs(
            lab,
            "with lt.run('live-probe', params={'lr': 0.5}, experiment='live'):\n"
            "    lt.log(val_acc=0.5)",
        ).wait(timeout=60)
        recorded = time.perf_counter()
        probe = page.locator(f'{ROW}[data-run="{newest + 1}"]')
        await probe.wait_for(timeout=10_000)
        appeared = time.perf_counter() - recorded
        record_timing("live: finished run appears after it was recorded", appeared, 2.0)
        assert "live-probe" in await probe.inner_text()
        assert started < recorded

        # A run that is still running shows as such, then as finished, without a reload.
        worker = record_runs(
            lab,
            "with lt.run('live-running', experiment='live'):\n"
            "    for s in range(30):\n"
            "        lt.log(step=s, val_acc=s / 30)\n"
            "        time.sleep(0.1)",
        )
        running = page.locator(f'{ROW}[data-run="{newest + 2}"]')
        await running.wait_for(timeout=10_000)
        assert await running.get_attribute("data-status") == "running"
        worker.wait(timeout=60)
        ended = time.perf_counter()
        await page.wait_for_selector(
            f'{ROW}[data-run="{newest + 2}"][data-status="finished"]', timeout=10_000
        )
        record_timing(
            "live: running run shows as finished after it ended", time.perf_counter() - ended, 2.0
        )


async def test_markup_in_a_param_is_shown_as_text(lab, study) -> None:
    number = study.first("wide")
    async with lab.page() as page:
        await open_panel(page, width=480)
        await (await row(page, number)).dblclick()
        view = page.locator(f'.jp-labtrack-RunDetailsView[data-run="{number}"]')
        cell = view.locator('.jp-labtrack-Params tr[data-key="label"] td')
        await cell.wait_for(timeout=15_000)
        assert await cell.inner_text() == XSS
        assert await cell.locator("img").count() == 0
        await view.locator(".jp-labtrack-CellCode").wait_for()
        await page.wait_for_timeout(300)
        assert await page.evaluate("window.__xss") is None
        assert await page.locator('img[src="x"]').count() == 0
