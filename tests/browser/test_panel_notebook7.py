"""The Experiments panel in Jupyter Notebook 7 (issue 15, item 7): its left sidebar on the notebook
page, the palette command that opens it, the column chooser, and Compare in its bottom area.
"""

from __future__ import annotations

import re

import pytest
from panel_driver import (
    PANEL,
    ROW,
    count_text,
    resize_sidebar,
    row,
    screenshot,
    table_fits,
)
from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import expect

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

# Notebook 7.6's own shortcuts plugin raises this on load, with or without labtrack.
NOTEBOOK7_OWN_ERROR = ("reading 'schema'",)


async def open_from_palette(page) -> None:
    """Open the panel as a Notebook 7 user would: the command palette, "Open experiments panel"."""
    await page.locator(".jp-NotebookPanel").wait_for(timeout=30_000)
    search = page.locator(".lm-CommandPalette-input")
    for _ in range(5):  # the starting kernel may take the focus and close the palette: again
        await page.locator(".lm-MenuBar-itemLabel", has_text="View").click()
        await page.locator(".lm-Menu-item", has_text="Activate Command Palette").click()
        try:
            await search.fill("Open experiments panel", timeout=3_000)
            item = page.locator('.lm-CommandPalette-item[data-command="labtrack:open"]')
            await expect(item).to_have_class(re.compile("lm-mod-active"), timeout=3_000)
            await search.press("Enter", timeout=3_000)
            break
        except (AssertionError, PlaywrightTimeout):
            await page.keyboard.press("Escape")
    await page.locator(PANEL).wait_for(state="visible", timeout=15_000)


@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_panel_and_commands_work_in_notebook_7(notebook7, theme) -> None:
    notebook7.use_theme("JupyterLab Dark" if theme == "dark" else "JupyterLab Light")
    try:
        async with notebook7.page(
            "notebooks/study.ipynb", width=1400, height=900, ignore=NOTEBOOK7_OWN_ERROR
        ) as page:
            await open_from_palette(page)
            await row(page, 6)
            assert await count_text(page) == "6 runs"
            # The left sidebar at 280 px: status, number, name and the first metric, no scrolling.
            await resize_sidebar(page, 280)
            assert (await page.locator(PANEL).bounding_box())["width"] <= 290
            assert await table_fits(page, "metrics.acc")
            clip = await page.locator(PANEL).bounding_box()
            await screenshot(page, f"notebook7-{theme}.png", f"notebook7-{theme}.png", clip=clip)

            # A param column in two clicks.
            panel = page.locator(PANEL)
            await panel.locator(".jp-labtrack-ColumnChooser-button").click()
            chooser = panel.locator(".jp-labtrack-ColumnChooser-popup")
            await chooser.locator('input[data-column="params.depth"]').uncheck()
            await chooser.locator('input[data-column="params.depth"]').check()
            await expect(panel.locator('[data-column="params.depth"]').first).to_be_visible()
            await page.keyboard.press("Escape")

            # Compare opens in Notebook 7's bottom area (its main area holds the notebook).
            # Click the names, as a user does (the row's middle may lie off to the right).
            await page.locator(f'{ROW}[data-run="6"] [data-column="name"]').click()
            await page.locator(f'{ROW}[data-run="5"] [data-column="name"]').click(
                modifiers=["Control"]
            )
            await panel.locator(".jp-labtrack-CompareButton").click()
            compare = page.locator(".jp-labtrack-CompareView")
            await expect(compare).to_be_visible(timeout=15_000)
            assert (await compare.bounding_box())["height"] > 200
            assert await page.locator(".jp-NotebookPanel").is_visible()
            await expect(compare.get_by_text("Comparing…")).to_have_count(0, timeout=15_000)
            await screenshot(
                page, f"notebook7-compare-{theme}.png", f"notebook7-compare-{theme}.png"
            )
    finally:
        notebook7.use_theme("JupyterLab Light")


async def test_the_sidebar_menu_lists_the_panel(notebook7) -> None:
    async with notebook7.page("notebooks/study.ipynb", ignore=NOTEBOOK7_OWN_ERROR) as page:
        await page.locator(".jp-NotebookPanel").wait_for(timeout=30_000)
        await page.locator(".lm-MenuBar-itemLabel", has_text="View").click()
        await page.locator(".lm-Menu-item", has_text="Left Sidebar").hover()
        await page.locator(".lm-Menu-item", has_text="Show Experiments").click()
        await expect(page.locator(PANEL)).to_be_visible(timeout=15_000)
        await row(page, 1)
