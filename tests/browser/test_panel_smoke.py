"""The Experiments tab loads in a real JupyterLab and shows the server's store."""

from __future__ import annotations

import re

import pytest
from panel_driver import TAB, open_panel, screenshot

pytestmark = pytest.mark.slow


@pytest.mark.asyncio
async def test_experiments_tab_shows_the_store(lab) -> None:
    async with lab.page() as page:
        tab = page.locator(TAB)
        await tab.wait_for(timeout=30_000)
        assert await tab.get_attribute("title") == "Experiments"
        panel = await open_panel(page, width=None)
        await panel.locator(".jp-labtrack-storePath").wait_for(timeout=15_000)
        assert await panel.locator(".jp-labtrack-storePath").inner_text() == str(lab.store)
        count = await panel.locator(".jp-labtrack-storeCount").inner_text()
        assert re.fullmatch(r"[\d,]+ runs?", count), count
        await screenshot(page, "panel-smoke.png")
