"""Compare at 12 and 50 runs, the code diff, single-value charts, parallel coordinates with
brushing, theme changes and live charts, on runs a real kernel recorded (`sweep.py`); at
1400×900 with the side bar at 280 px, in the light and the dark theme.
"""

from __future__ import annotations

import re
import time

import pytest
from panel_driver import (
    PANEL,
    ROW,
    TAB,
    apply_filter,
    open_panel,
    record_timing,
    row,
    screenshot,
)
from playwright.async_api import expect
from sweep import SWEEP_RUNS
from test_panel_runs import record_runs

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

VIEW = ".jp-labtrack-CompareView[data-runs]"


async def compare_first(page, count: int, *, sidebar: int = 280):
    """Select runs #1..#count in the panel (filter, then Ctrl+A) and open their comparison."""
    panel = await open_panel(page, width=sidebar)
    await apply_filter(page, f"attributes.number <= {count}")
    await expect(page.locator(f"{PANEL} .jp-labtrack-runCount")).to_have_text(
        re.compile(rf"^{count} (of|runs)")
    )
    if count <= 20:  # all in the virtual table's window
        await expect(page.locator(ROW)).to_have_count(count)
    button = panel.locator(".jp-labtrack-CompareButton")
    for _ in range(3):  # the table may re-render under the first click
        await page.locator(ROW).first.click()
        await page.keyboard.press("Control+a")
        try:
            await expect(button).to_have_text(f"Compare ({count})", timeout=3_000)
            break
        except AssertionError:
            continue
    await expect(button).to_have_text(f"Compare ({count})")
    started = time.perf_counter()
    await panel.locator(".jp-labtrack-CompareButton").click()
    view = page.locator(VIEW)
    await view.wait_for(timeout=15_000)
    await view.locator(".jp-labtrack-ParamsTable").wait_for(timeout=15_000)
    params = time.perf_counter() - started
    await view.locator(".jp-labtrack-CodeDiff").wait_for(timeout=30_000)
    if count >= 12:
        record_timing(f"compare {count} runs: params table shown", params)
        record_timing(f"compare {count} runs: code diff shown", time.perf_counter() - started)
    return view


async def switch_theme(page, name: str) -> None:
    """Change the theme through the command palette, as a user does."""
    await page.keyboard.press("Control+Shift+C")
    palette = page.locator("#command-palette")
    await palette.locator("input").fill(f"Use Theme: {name}")
    await expect(palette.locator(".lm-CommandPalette-item.lm-mod-active")).to_contain_text(name)
    await palette.locator("input").press("Enter")
    light = "false" if "Dark" in name else "true"
    await page.wait_for_function(f"document.body.dataset.jpThemeLight === '{light}'")


async def test_compare_12_runs_fits_one_screen_with_sticky_header(sweep_lab) -> None:
    async with sweep_lab.page(height=900) as page:
        view = await compare_first(page, 12)
        # Folding the side bar gives the view the width; every run column is on screen.
        await page.locator(TAB).click()
        table = view.locator(".jp-labtrack-ParamsTable")
        await expect(table.locator("thead th")).to_have_count(13)
        box = await table.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1400
        # Six chips, then the rest folded into "+6 more".
        more = view.locator(".jp-labtrack-RunChips-more > summary")
        await expect(more).to_have_text("+6 more")
        await more.click()
        await expect(view.locator(".jp-labtrack-RunChips-list li")).to_have_count(6)
        await more.click()
        # Param names never break mid-word: one line each, the long one truncated with a tooltip.
        long = view.locator(
            '.jp-labtrack-ParamsTable tr[data-param="learning_rate_schedule_warmup_steps"] th'
        )
        assert await long.get_attribute("title") == "learning_rate_schedule_warmup_steps"
        heights = await view.locator(".jp-labtrack-ParamsTable tbody th").evaluate_all(
            "cells => cells.map(c => c.getBoundingClientRect().height)"
        )
        assert max(heights) < 30
        await page.wait_for_timeout(300)
        await screenshot(page, "compare-12.png", "compare-12-runs.png")

        # Scrolled down to the charts, the header with the differences switch stays in view.
        await view.locator(".jp-labtrack-ParallelSection").scroll_into_view_if_needed()
        toggle = view.locator(".jp-labtrack-DiffToggle")
        assert await toggle.is_visible()
        top = await toggle.bounding_box()
        assert top is not None and 0 <= top["y"] < 200
        await toggle.click()
        await expect(toggle).to_have_attribute("aria-checked", "true")


async def test_compare_50_runs_at_sidebar_width_and_dark_theme(sweep_lab) -> None:
    async with sweep_lab.page(height=900) as page:
        view = await compare_first(page, SWEEP_RUNS)
        await expect(view.locator(".jp-labtrack-RunChips-more > summary")).to_have_text("+44 more")
        # The params table scrolls inside itself; its header row and first column stay put.
        scroller = view.locator(".jp-labtrack-ParamsSection .jp-labtrack-stickyTable")
        await scroller.evaluate("el => { el.scrollLeft = 2000; el.scrollTop = 2000; }")
        first = view.locator(".jp-labtrack-ParamsTable thead th").first
        name = view.locator(".jp-labtrack-ParamsTable tbody th").first
        outer = await scroller.bounding_box()
        head = await first.bounding_box()
        cell = await name.bounding_box()
        assert outer and head and cell
        assert abs(head["y"] - outer["y"]) < 3 and abs(cell["x"] - outer["x"]) < 3
        assert await view.locator(".jp-labtrack-DiffToggle").is_visible()
        await page.wait_for_timeout(300)
        await screenshot(page, "compare-50.png", "compare-50-runs.png")

        await switch_theme(page, "JupyterLab Dark")
        await scroller.evaluate("el => { el.scrollLeft = 0; el.scrollTop = 0; }")
        await view.locator(".jp-labtrack-HistoryChart-plot[data-drawn]").first.wait_for()
        await page.wait_for_timeout(400)
        await screenshot(page, "compare-50-dark.png", "compare-50-runs-dark.png")
        await switch_theme(page, "JupyterLab Light")


async def test_code_diff_highlights_and_links_params(sweep_lab) -> None:
    async with sweep_lab.page(height=900) as page:
        view = await compare_first(page, 4, sidebar=280)
        code = view.locator(".jp-labtrack-CodeDiff")
        await code.wait_for(timeout=15_000)
        # One diff a run against #1; CodeMirror's classes colour the tokens.
        blocks = code.locator(".jp-labtrack-CodeDiff-block")
        await expect(blocks).to_have_count(3)
        assert "#1" in await blocks.first.locator("summary").inner_text()
        added = blocks.first.locator(".jp-labtrack-CodeDiff-line.jp-mod-add")
        removed = blocks.first.locator(".jp-labtrack-CodeDiff-line.jp-mod-del")
        assert await added.count() > 0 and await removed.count() > 0
        assert any("lr = " in t for t in await added.all_inner_texts())
        await expect(code.locator(".jp-labtrack-CodeDiff-code span[class]").first).to_be_attached(
            timeout=10_000
        )
        colours = await code.locator(".jp-labtrack-CodeDiff-code span[class]").evaluate_all(
            "spans => [...new Set(spans.map(s => getComputedStyle(s).color))]"
        )
        assert len(colours) >= 2, colours  # keywords, numbers, strings: not one plain colour
        # A differing param links to the lines that set it.
        link = view.locator('.jp-labtrack-ParamsTable tr[data-param="lr"] .jp-labtrack-ParamLink')
        await link.click()
        focused = code.locator(".jp-labtrack-CodeDiff-line.jp-mod-focus")
        await expect(focused.first).to_be_visible()
        assert "lr =" in await focused.first.inner_text()
        await page.locator(TAB).click()
        await page.wait_for_timeout(300)
        await screenshot(page, "code-diff.png", "compare-code-diff.png")


async def test_single_value_metric_is_a_bar_chart(sweep_lab) -> None:
    async with sweep_lab.page(height=900) as page:
        view = await compare_first(page, 8)
        chart = view.locator('.jp-labtrack-BarChart[data-metric="acc"]')
        await chart.locator(".jp-labtrack-HistoryChart-plot[data-drawn]").wait_for(timeout=15_000)
        assert await chart.get_attribute("data-bars") == "8"
        # The text alternative: one row a run with the value.
        await chart.locator(".jp-labtrack-ChartTable summary").click()
        rows = chart.locator(".jp-labtrack-ChartTable tbody tr")
        await expect(rows).to_have_count(8)
        acc = sweep_lab.api("runs", numbers="1")["runs"][0]["metrics"]["acc"]
        assert f"{acc:.4g}"[:4] in await rows.first.inner_text()
        # The canvas is not blank: bars are drawn in the runs' colours.
        painted = await chart.locator("canvas").evaluate(
            """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                      let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""
        )
        assert painted > 2000
        await page.locator(TAB).click()
        await chart.scroll_into_view_if_needed()
        await page.wait_for_timeout(300)
        box = await chart.bounding_box()
        assert box
        await screenshot(page, "single-value.png", "chart-single-value.png", clip=box)


async def test_parallel_coordinates_legend_missing_and_brush_filters_table(sweep_lab) -> None:
    async with sweep_lab.page(height=900) as page:
        view = await compare_first(page, 12, sidebar=280)
        section = view.locator(".jp-labtrack-ParallelSection")
        await section.scroll_into_view_if_needed()
        plot = section.locator(".jp-labtrack-ParallelCoordinates-plot[data-drawn]")
        await plot.wait_for(timeout=15_000)
        legend = section.locator(".jp-labtrack-ColorLegend")
        await expect(legend).to_contain_text("acc")
        await expect(legend).to_contain_text("higher is better")
        # dropout is set in every third run only: the others sit on a "missing" tick, so the
        # params table and the axes agree.
        assert (
            await view.locator(
                '.jp-labtrack-ParamsTable tr[data-param="dropout"] td.jp-mod-missing'
            ).count()
            == 8
        )
        await screenshot(
            page, "parallel.png", "parallel-coordinates.png", clip=await section.bounding_box()
        )

        # Brush the first axis (a drag along it): the runs table shows only the brushed runs.
        over = plot.locator(".u-over")
        box = await over.bounding_box()
        assert box
        x = box["x"] + 1
        await page.mouse.move(x, box["y"] + box["height"] * 0.02)
        await page.mouse.down()
        await page.mouse.move(x, box["y"] + box["height"] * 0.45, steps=5)
        await page.mouse.up()
        brushed = await plot.get_attribute("data-brushed")
        assert brushed
        kept = sorted(int(i) for i in brushed.split(","))
        assert 0 < len(kept) < 12
        box_text = page.locator(f"{PANEL} .jp-labtrack-FilterBox input")
        await expect(box_text).to_have_value(
            "(attributes.number <= 12) and attributes.number IN ("
            + ", ".join(str(k + 1) for k in kept)
            + ")"
        )
        await expect(page.locator(ROW)).to_have_count(len(kept))
        await expect(section.locator(".jp-labtrack-BrushNote")).to_contain_text(
            f"{len(kept)} brushed run"
        )
        await screenshot(page, "parallel-brushed.png")
        # A theme change redraws the plot and keeps the brush (and the table's filter).
        await switch_theme(page, "JupyterLab Dark")
        await expect(plot).to_have_attribute("data-brushed", brushed)
        await expect(page.locator(ROW)).to_have_count(len(kept))
        await switch_theme(page, "JupyterLab Light")
        # Clearing the brush gives the table its filter back.
        await section.locator(".jp-labtrack-ClearBrushes").click()
        await expect(box_text).to_have_value("attributes.number <= 12")


async def test_theme_switch_recolours_open_charts(sweep_lab) -> None:
    async with sweep_lab.page(height=900) as page:
        view = await compare_first(page, 3)
        plot = view.locator(".jp-labtrack-HistoryChart-plot[data-axis-color]").first
        await plot.wait_for(timeout=15_000)
        light = await plot.get_attribute("data-axis-color")
        await switch_theme(page, "JupyterLab Dark")
        expected = await page.evaluate(
            "getComputedStyle(document.body).getPropertyValue('--jp-ui-font-color2').trim()"
        )
        await expect(plot).to_have_attribute("data-axis-color", expected)
        assert expected != light
        await switch_theme(page, "JupyterLab Light")
        await expect(plot).to_have_attribute("data-axis-color", light or "")


async def test_running_run_details_chart_follows_new_points(sweep_lab) -> None:
    worker = record_runs(
        sweep_lab,
        "with lt.run('live-chart', experiment='live'):\n"
        "    for s in range(100):\n"
        "        lt.log(step=s, loss=1 / (s + 1))\n"
        "        time.sleep(0.2)",
    )
    try:
        async with sweep_lab.page() as page:
            await open_panel(page, width=480)
            number = SWEEP_RUNS + 1
            await (await row(page, number)).dblclick()
            view = page.locator(f'.jp-labtrack-RunDetailsView[data-run="{number}"]')
            chart = view.locator('.jp-labtrack-HistoryChart[data-metric="loss"]')
            await chart.wait_for(timeout=15_000)
            first = int(await chart.get_attribute("data-points") or 0)
            assert first < 100
            # the chart itself (not only its props) gets every new step, without a reload
            plot = chart.locator(".jp-labtrack-HistoryChart-plot")
            await expect(plot).to_have_attribute("data-steps", "100", timeout=40_000)
    finally:
        worker.wait(timeout=90)


async def test_open_in_notebook_lands_on_the_cell_and_stays(sweep_lab) -> None:
    number = 40  # recorded by the cell "%%track sweep-39", the 41st of the notebook
    async with sweep_lab.page(height=900) as page:
        await open_panel(page, width=480)
        await (await row(page, number)).dblclick()
        view = page.locator(f'.jp-labtrack-RunDetailsView[data-run="{number}"]')
        await view.locator(".jp-labtrack-OpenInNotebook").click()
        started = time.perf_counter()
        await page.wait_for_function(
            """() => { const cell = document.querySelector(
                   '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell.jp-mod-active');
                   if (!cell || !cell.innerText.includes('sweep-39')) return false;
                   const r = cell.getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= innerHeight; }""",
            timeout=15_000,
        )
        record_timing("open in notebook: the cell in view", time.perf_counter() - started)
        active = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell.jp-mod-active")
        first = await active.bounding_box()
        # No jump later: the cell stays where it landed while the rest of the notebook renders.
        for _ in range(12):
            await page.wait_for_timeout(250)
            now = await active.bounding_box()
            assert first and now and abs(now["y"] - first["y"]) < 2
        await screenshot(page, "open-in-notebook-sweep.png")


async def test_charts_and_parallel_coordinates_in_the_dark_theme(sweep_lab) -> None:
    async with sweep_lab.page(height=900) as page:
        view = await compare_first(page, 12)
        await switch_theme(page, "JupyterLab Dark")
        section = view.locator(".jp-labtrack-ParallelSection")
        await section.scroll_into_view_if_needed()
        await section.locator(".jp-labtrack-ParallelCoordinates-plot[data-drawn]").wait_for()
        await page.wait_for_timeout(300)
        await screenshot(page, "dark-parallel.png", "parallel-coordinates-dark.png")
        bars = view.locator('.jp-labtrack-BarChart[data-metric="acc"]')
        await bars.scroll_into_view_if_needed()
        await page.wait_for_timeout(300)
        await screenshot(page, "dark-charts.png", "charts-dark.png")
        # the single run's details: its one value as one visible bar
        await view.locator(".jp-labtrack-RunChips .jp-labtrack-RunHeading", has_text="#3 ").click()
        details = page.locator('.jp-labtrack-RunDetailsView[data-run="3"]')
        await details.wait_for(timeout=15_000)
        bar = details.locator('.jp-labtrack-BarChart[data-metric="acc"]')
        await bar.locator(".jp-labtrack-HistoryChart-plot[data-drawn]").wait_for(timeout=15_000)
        await bar.scroll_into_view_if_needed()
        await page.wait_for_timeout(300)
        await screenshot(page, "dark-run-details.png", "run-details-single-value-dark.png")
        await switch_theme(page, "JupyterLab Light")
