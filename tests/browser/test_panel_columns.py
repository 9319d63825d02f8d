"""The runs table at sidebar width, the column chooser, group rows, filter completion and the hidden
selection (issue 15, items 1, 6, 9, 10), on the runs the study notebook recorded, in light and dark.
"""

from __future__ import annotations

import pytest
from panel_driver import (
    PANEL,
    ROW,
    apply_filter,
    count_text,
    open_panel,
    resize_sidebar,
    row,
    screenshot,
    shown_numbers,
    table_fits,
)
from playwright.async_api import expect

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
HEADERS = f"{PANEL} .jp-labtrack-RunsTable-th"


async def panel_clip(page) -> dict:
    """The side panel's rectangle, for screenshots of it alone."""
    return await page.locator(PANEL).bounding_box()


@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_at_sidebar_width_the_first_metric_shows_without_scrolling(lab, study, theme) -> None:
    lab.use_theme(THEMES[theme])
    try:
        async with lab.page(width=1400, height=900) as page:
            await open_panel(page, width=None)
            await resize_sidebar(page, 280)
            await row(page, study.first("wide"))
            assert (await page.locator(f"{PANEL}").bounding_box())["width"] <= 290
            columns = await page.locator(HEADERS).evaluate_all(
                "hs => hs.map(h => h.dataset.column || '')"
            )
            # select, status, number, name, then the defined metrics (val_acc ↑ first).
            assert columns[1:5] == ["status", "number", "name", "metrics.val_acc"]
            assert await table_fits(page, "metrics.val_acc")
            # The name truncates with its full text as the tooltip.
            name = page.locator(
                f'{ROW}[data-run="{study.first("baseline")}"] .jp-labtrack-RunsTable-name'
            )
            assert await name.get_attribute("title") == "baseline"
            dark = await page.evaluate("document.body.dataset.jpThemeLight")
            assert dark == ("false" if theme == "dark" else "true")
            await screenshot(
                page, f"runs-280-{theme}.png", f"runs-280-{theme}.png", clip=await panel_clip(page)
            )
            await resize_sidebar(page, 720)
            await screenshot(
                page, f"runs-720-{theme}.png", f"runs-720-{theme}.png", clip=await panel_clip(page)
            )
    finally:
        lab.use_theme(THEMES["light"])


async def test_column_chooser_adds_a_param_in_two_clicks_and_remembers_it(lab, study) -> None:
    async with lab.page() as page:
        panel = await open_panel(page, width=560)
        await row(page, study.first("wide"))
        headers = await panel.locator(".jp-labtrack-RunsTable-th").evaluate_all(
            "hs => hs.map(h => h.dataset.column || '')"
        )
        # Defaults: the params that differ among the runs shown.
        assert "params.lr" in headers and "params.width" in headers
        # Two clicks: "Columns", then the param.
        await panel.locator(".jp-labtrack-ColumnChooser-button").click()
        seed = panel.locator('.jp-labtrack-ColumnChooser-popup input[data-column="params.seed"]')
        if await seed.is_checked():  # already a default column: take it out and back
            await seed.click()
        await screenshot(
            page, "column-chooser.png", "column-chooser.png", clip=await panel_clip(page)
        )
        await seed.click()
        await expect(
            panel.locator('.jp-labtrack-RunsTable-th[data-column="params.seed"]')
        ).to_have_count(1)
        await panel.locator(
            '.jp-labtrack-ColumnChooser-popup input[data-column="attributes.experiment"]'
        ).click()
        await expect(
            panel.locator('.jp-labtrack-RunsTable-th[data-column="experiment"]')
        ).to_have_count(1)
        cell = page.locator(f'{ROW}[data-run="{study.first("wide")}"] [data-column="params.seed"]')
        assert await cell.inner_text() == "3"
        await page.keyboard.press("Escape")
        await page.wait_for_timeout(1500)  # the state database saves into the workspace

    # A new page on the same store: the chosen columns are back.
    async with lab.page() as page:
        panel = await open_panel(page, width=560)
        await expect(
            panel.locator('.jp-labtrack-RunsTable-th[data-column="experiment"]')
        ).to_have_count(1)
        await panel.locator(".jp-labtrack-ColumnChooser-button").click()
        await panel.locator(".jp-labtrack-ColumnChooser-footer button").click()  # Defaults
        await expect(
            panel.locator('.jp-labtrack-RunsTable-th[data-column="experiment"]')
        ).to_have_count(0)
        await page.wait_for_timeout(1500)


@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_group_rows_show_counts_and_verdicts_with_none_last(lab, study, theme) -> None:
    hypotheses = {h["id"]: h for h in lab.api("hypotheses")}
    runs = lab.api("runs")["runs"]
    lab.use_theme(THEMES[theme])
    try:
        async with lab.page(width=1400, height=900) as page:
            panel = await open_panel(page, width=None)
            await resize_sidebar(page, 280)
            await row(page, study.first("wide"))
            await panel.locator(".jp-labtrack-GroupSelect select").select_option("hypothesis")
            groups = panel.locator(".jp-labtrack-RunsTable-group")
            await expect(groups).to_have_count(len(hypotheses) + 1)
            labels = await groups.evaluate_all("gs => gs.map(g => g.dataset.group)")
            assert labels[-1] == "(none)"
            assert [label.split(" · ")[0] for label in labels[:-1]] == [
                f"H{i}" for i in sorted(hypotheses)
            ]
            for index, hid in enumerate(sorted(hypotheses)):
                group = groups.nth(index)
                count = sum(1 for r in runs if r["hypothesis_id"] == hid)
                assert await group.locator(".jp-labtrack-RunsTable-groupCount").inner_text() == str(
                    count
                )
                verdict = hypotheses[hid]["verdict"]["label"]
                await expect(group.locator(".jp-labtrack-VerdictBadge")).to_have_attribute(
                    "data-verdict", verdict
                )
            none = groups.last
            assert await none.get_attribute("aria-expanded") == "false"
            grouped = sum(1 for r in runs if r["hypothesis_id"] is not None)
            assert len(await shown_numbers(page)) == grouped
            # Keyboard: the group rows take focus; Enter unfolds "(none)".
            await none.focus()
            await page.keyboard.press("Enter")
            await expect(none).to_have_attribute("aria-expanded", "true")
            assert len(await shown_numbers(page)) == len(runs)
            await screenshot(
                page,
                f"group-rows-{theme}.png",
                f"group-rows-{theme}.png",
                clip=await panel_clip(page),
            )
            # Tab from the group select reaches the group rows.
            await panel.locator(".jp-labtrack-GroupSelect select").focus()
            reached = []
            for _ in range(40):
                await page.keyboard.press("Tab")
                reached.append(
                    await page.evaluate(
                        "document.activeElement.dataset.group || document.activeElement.className"
                    )
                )
            assert labels[0] in reached, reached
            await panel.locator(".jp-labtrack-GroupSelect select").select_option("none")
    finally:
        lab.use_theme(THEMES["light"])


async def test_filter_box_completes_field_names_and_hypothesis_ids(lab, study) -> None:
    # A workspace of its own: a notebook restored from other tests takes the focus when its
    # kernel starts, which would close the completion list mid-test.
    async with lab.page("lab/workspaces/completion") as page:
        panel = await open_panel(page, width=480)
        await row(page, study.first("wide"))
        box = panel.locator(".jp-labtrack-FilterBox input")
        await box.click()
        await box.press_sequentially("val_")
        options = panel.locator(".jp-labtrack-FilterBox-completion")
        await expect(options.first).to_be_visible()
        texts = await options.all_inner_texts()
        assert any(t.startswith("metrics.val_acc") for t in texts)
        await page.keyboard.press("ArrowDown")
        await page.keyboard.press("Enter")
        assert (await box.input_value()).startswith("metrics.val_")

        await box.fill("")
        await box.press_sequentially("hypothesis = ")
        await expect(options.first).to_be_visible()
        assert (await options.first.inner_text()).startswith("'H1'")
        await screenshot(
            page, "filter-completion.png", "filter-completion.png", clip=await panel_clip(page)
        )
        await box.press("Tab")
        await expect(box).to_have_value("hypothesis = 'H1'")
        await page.keyboard.press("Enter")
        expected = lab.api("runs", filter="hypothesis = 'H1'")["runs"]
        assert expected and all(r["hypothesis_id"] == 1 for r in expected)
        await page.wait_for_function(
            f"document.querySelector('{PANEL} .jp-labtrack-runCount').innerText.startsWith('{len(expected)} of')"
        )
        assert sorted(await shown_numbers(page)) == sorted(r["number"] for r in expected)
        await apply_filter(page, "")


async def test_a_selection_hidden_by_the_filter_is_shown(lab, study) -> None:
    async with lab.page() as page:
        panel = await open_panel(page, width=480)
        await (await row(page, study.first("wide"))).click()
        await (await row(page, study.first("baseline"))).click(modifiers=["Control"])
        await apply_filter(page, "attributes.name = 'wide'")
        await page.wait_for_function(
            f"document.querySelector('{PANEL} .jp-labtrack-runCount').innerText.includes('hidden')"
        )
        assert "2 selected, 1 hidden" in await count_text(page)
        await expect(panel.locator(".jp-labtrack-CompareButton")).to_have_attribute(
            "title", "Compare the 2 selected runs, 1 of them hidden by the filter"
        )
        await panel.locator(".jp-labtrack-linkButton").click()
        assert "1 selected" in await count_text(page)
        assert "hidden" not in await count_text(page)
        await apply_filter(page, "")
