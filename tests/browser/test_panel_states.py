"""The panel when the Jupyter server goes away and comes back (issue 15, item 9)."""

from __future__ import annotations

import pytest
from panel_driver import PANEL, open_panel, row, screenshot
from playwright.async_api import expect

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

BANNER = f"{PANEL} .jp-labtrack-ConnectionBanner"
# Requests to a stopped server fail in the console; that is what this test does on purpose.
EXPECTED = ("ERR_CONNECTION_REFUSED", "Failed to fetch", "Failed to load resource")


async def test_a_lost_server_shows_a_banner_and_retry_brings_the_panel_back(
    restartable_lab,
) -> None:
    lab = restartable_lab.lab
    async with lab.page(ignore=EXPECTED) as page:
        await open_panel(page, width=420)
        await row(page, 2)
        restartable_lab.stop()
        banner = page.locator(BANNER)
        await expect(banner).to_be_visible(timeout=20_000)
        assert "Lost the connection to the Jupyter server" in await banner.inner_text()
        await expect(banner.get_by_role("button", name="Retry now")).to_be_enabled()
        # The runs already shown stay, and the footer does not repeat the error.
        await row(page, 2)
        await page.keyboard.press("Escape")  # JupyterLab's own dialog, if it came already
        await screenshot(
            page,
            "lost-server.png",
            "lost-server.png",
            clip=await page.locator(PANEL).bounding_box(),
        )

        restartable_lab.start()
        # JupyterLab's own "Server Connection Error" dialog: dismiss it, as a user would.
        dialog = page.locator(".jp-Dialog")
        if await dialog.count() > 0:
            await dialog.locator(".jp-Dialog-footer button").last.click()
            await expect(dialog).to_have_count(0)
        await banner.get_by_role("button", name="Retry now").click()
        await expect(banner).to_have_count(0, timeout=20_000)
        await row(page, 1)
