"""Page operations the browser tests share: open the panel, filter, select, time, take screenshots.

Timings are measured inside the page (`performance.now()`), from the user's input event to the
frame after the DOM shows the answer, so Playwright's own round trips do not count.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "test-results"
SCREENSHOTS = RESULTS / "screenshots"
DOCS_SCREENSHOTS = REPO / "docs" / "screenshots"
TIMINGS = RESULTS / "panel-timings.json"

# The big store of the speed tests: many runs, and a few long ones.
BIG_RUNS, LONG_RUNS, LONG_STEPS = 10_000, 20, 10_000
# The store of the paging test: the table must not load it whole.
HUGE_RUNS = 100_000

PANEL = "#labtrack-panel"
TAB = '.jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id="labtrack-panel"]'
ROW = f"{PANEL} .jp-labtrack-RunsTable-row"


async def open_panel(page: Any, *, width: int | None = 700) -> Any:
    """Click the Experiments tab (unless its panel is already shown), widen the side bar, wait for the panel."""
    tab = page.locator(TAB)
    await tab.wait_for(timeout=30_000)
    panel = page.locator(PANEL)
    if not await panel.is_visible():
        await tab.click()
    await panel.wait_for(state="visible", timeout=15_000)
    if width:
        await widen_sidebar(page, width)
    return panel


async def widen_sidebar(page: Any, width: int) -> None:
    """Drag the handle between the left side bar and the main area so the side bar is `width` px wide."""
    stack = await page.locator("#jp-left-stack").bounding_box()
    handle = await page.locator("#jp-main-split-panel > .lm-SplitPanel-handle").first.bounding_box()
    y = handle["y"] + handle["height"] / 2
    await page.mouse.move(handle["x"] + handle["width"] / 2, y)
    await page.mouse.down()
    await page.mouse.move(stack["x"] + width, y, steps=4)
    await page.mouse.up()


async def resize_sidebar(page: Any, width: int) -> None:
    """Drag the split handle at the panel's right edge so the panel is `width` px wide (JupyterLab
    and Notebook 7 alike).
    """
    box = await page.locator(PANEL).bounding_box()
    edge = box["x"] + box["width"]
    handles = await page.locator(".lm-SplitPanel-handle").evaluate_all(
        """(hs, edge) => hs.map(h => h.getBoundingClientRect())
            .filter(r => r.width > 0 && r.height > 100)
            .map(r => [r.x + r.width / 2, r.y + r.height / 2, Math.abs(r.x - edge)])""",
        edge,
    )
    x, y, _ = min(handles, key=lambda h: h[2])
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(box["x"] + width, y, steps=4)
    await page.mouse.up()


async def table_fits(page: Any, column: str) -> bool:
    """True when the header of `column` lies inside the table's visible width (no sideways scroll)."""
    return await page.evaluate(
        """([panel, column]) => {
            const table = document.querySelector(`${panel} .jp-labtrack-RunsTable`);
            const header = table.querySelector(`.jp-labtrack-RunsTable-th[data-column="${column}"]`);
            const t = table.getBoundingClientRect(), h = header.getBoundingClientRect();
            return table.scrollLeft === 0 && h.left >= t.left && h.right <= t.left + table.clientWidth + 0.5;
        }""",
        [PANEL, column],
    )


async def row(page: Any, number: int) -> Any:
    """The table row of run `number` (scrolled into view)."""
    locator = page.locator(f'{ROW}[data-run="{number}"]')
    await locator.wait_for(timeout=15_000)
    return locator


async def shown_numbers(page: Any) -> list[int]:
    """The run numbers of the rows in the DOM, top to bottom (the table is virtual: only those in view)."""
    values = await page.locator(ROW).evaluate_all("rows => rows.map(r => Number(r.dataset.run))")
    return list(values)


async def apply_filter(page: Any, text: str) -> None:
    box = page.locator(f"{PANEL} .jp-labtrack-FilterBox input")
    await box.fill(text)
    await box.press("Enter")


async def count_text(page: Any) -> str:
    return await page.locator(f"{PANEL} .jp-labtrack-runCount").inner_text()


async def start_timer(page: Any, start: str, event: str, done: str) -> None:
    """Arm an in-page stopwatch: it starts on `event` at the element `start` (a selector) and stops on
    the first animation frame after the JavaScript expression `done` holds.
    """
    await page.evaluate(
        """([start, event, done]) => {
            const timer = (window.__labtrackTimer = {});
            const check = new Function(`return (${done});`);
            const element = document.querySelector(start);
            element.addEventListener(event, () => {
                timer.t0 = performance.now();
                const poll = () => {
                    if (check()) {
                        requestAnimationFrame(() => (timer.ms = performance.now() - timer.t0));
                    } else {
                        requestAnimationFrame(poll);
                    }
                };
                poll();
            }, { capture: true, once: true });
        }""",
        [start, event, done],
    )


async def read_timer(page: Any, timeout_ms: int = 30_000) -> float:
    """The stopwatch's reading in seconds, once it stopped."""
    await page.wait_for_function(
        "window.__labtrackTimer && window.__labtrackTimer.ms !== undefined", timeout=timeout_ms
    )
    return await page.evaluate("window.__labtrackTimer.ms") / 1000


async def screenshot(
    target: Any, name: str, doc_name: str | None = None, clip: dict | None = None
) -> Path:
    """Save a screenshot (of a page, a locator, or a page's `clip` rectangle) to
    test-results/screenshots/; with LABTRACK_UPDATE_DOCS=1 also to docs/screenshots/`doc_name`.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    if clip is None:
        await target.screenshot(path=str(path))
    else:
        await target.screenshot(path=str(path), clip=clip)
    if doc_name and os.environ.get("LABTRACK_UPDATE_DOCS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SCREENSHOTS / doc_name)
    return path


def record_timing(name: str, seconds: float, target: float | None = None) -> None:
    """Print a measured figure and keep it in test-results/panel-timings.json for the notes."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    data[name] = {"seconds": round(seconds, 3), "target": target}
    TIMINGS.write_text(json.dumps(data, indent=2, sort_keys=True))
    goal = f" (target ≤ {target} s)" if target is not None else ""
    print(f"\n[timing] {name}: {seconds:.3f} s{goal}")
