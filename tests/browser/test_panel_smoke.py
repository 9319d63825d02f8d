"""The Experiments tab loads in a real JupyterLab and shows the server's store."""

from __future__ import annotations

from pathlib import Path

import pytest

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "panel-smoke.png"

pytestmark = pytest.mark.slow


@pytest.mark.asyncio
async def test_experiments_tab_shows_the_store(lab) -> None:
    async with lab.page() as page:
        tab = page.locator('.jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id="labtrack-panel"]')
        await tab.wait_for(timeout=30_000)
        assert await tab.get_attribute("title") == "Experiments"
        await tab.click()
        panel = page.locator("#labtrack-panel")
        await panel.locator(".jp-labtrack-storePath").wait_for(timeout=15_000)
        assert await panel.locator(".jp-labtrack-storePath").inner_text() == str(lab.store)
        assert await panel.locator(".jp-labtrack-runCount").inner_text() == "0 runs"
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOT))
