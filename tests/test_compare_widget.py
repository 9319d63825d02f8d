"""The compare widget through widget values and `get_state()`, as a front end would see it."""

from __future__ import annotations

import html

import pytest

import labtrack as lt
from labtrack.comparisons.widget import EXPORTS, CompareWidget, export_name
from labtrack.notebook.magics import compare_magic_view

PNG = b"\x89PNG"


@pytest.fixture
def view(three_runs, tmp_path):
    widget = CompareWidget(lt.compare(1, 2), folder=tmp_path / "out")
    yield widget
    widget.close()


def state(widget):
    return widget.get_state()


def test_it_shows_the_runs_tables_and_a_chart(view):
    assert state(view.picker)["value"] == ["#1 try-1", "#2 try-2"]
    assert state(view.picker)["allowed_tags"] == ["#1 try-1", "#2 try-2", "#3 try-3"]
    assert state(view.metric)["_options_labels"] == ("acc", "loss")
    assert state(view.chart)["value"][:4] == PNG and "#2 try-2" in state(view.tables)["value"]


def test_comparison_widget_and_the_magic_view_build_it(three_runs):
    assert isinstance(lt.compare(1, 3).widget(), CompareWidget)
    assert compare_magic_view(["1", "#3", "try-2"]).comparison.numbers == [1, 3, 2]
    with pytest.raises(ValueError, match="name the runs"):
        compare_magic_view([])


@pytest.mark.parametrize(
    ("picked", "numbers"),
    [
        (["#1 try-1", "#2 try-2", "#3 try-3"], [1, 2, 3]),
        (["#2 try-2"], [2]),
        (["#3 try-3", "#1 try-1"], [3, 1]),
    ],
)
def test_picking_runs_recompares(view, picked, numbers):
    view.picker.value = picked
    assert view.comparison.numbers == numbers
    assert all(label in state(view.tables)["value"] for label in picked)


def test_removing_every_run_keeps_the_comparison_and_says_why(view):
    view.picker.value = []
    assert (
        view.comparison.numbers == [1, 2] and "pick at least one run" in state(view.status)["value"]
    )


def test_differences_only_hides_equal_params(view):
    assert ">model<" in state(view.tables)["value"]  # 'rf' in both runs
    view.differences.value = True
    assert ">model<" not in state(view.tables)["value"] and ">trees<" in state(view.tables)["value"]
    view.differences.value = False
    assert ">model<" in state(view.tables)["value"]


def test_a_diff_opens_with_the_switch_on_and_can_show_everything(three_runs):
    view = lt.compare(1, 2).diff().widget()
    assert view.differences.value and ">model<" not in state(view.tables)["value"]
    view.differences.value = False
    assert ">model<" in state(view.tables)["value"]


def test_switching_metric_redraws_the_chart(view):
    before = state(view.chart)["value"]
    view.metric.value = "loss"
    assert state(view.chart)["value"][:4] == PNG and state(view.chart)["value"] != before


def test_new_runs_become_pickable_after_refresh(view):
    with lt.run("try-4"):
        lt.log(acc=0.95)
    view.refresh()
    assert "#4 try-4" in state(view.picker)["allowed_tags"]
    view.picker.value = [*view.picker.value, "#4 try-4"]
    assert view.comparison.metrics.loc[("acc", "last")].tolist() == [0.8, 0.9, 0.95]


def test_at_step_survives_picking(three_runs):
    view = CompareWidget(lt.compare(1, at_step=1))
    view.picker.value = ["#1 try-1", "#2 try-2"]
    assert view.comparison.at_step == 1 and "at step 1" in state(view.tables)["value"]


@pytest.mark.parametrize(("button", "suffix"), EXPORTS.items())
def test_export_buttons_write_the_file_and_say_where(view, tmp_path, button, suffix):
    view.export_buttons[button].click()
    path = tmp_path / "out" / f"labtrack-compare-1-2{suffix}"
    assert path.stat().st_size > 0
    assert f"Saved {button} to {html.escape(str(path))}" in state(view.status)["value"]


def test_export_writes_what_is_shown(view, tmp_path):
    view.differences.value = True
    view.export_buttons["Markdown"].click()
    text = (tmp_path / "out" / "labtrack-compare-1-2-diff.md").read_text()  # one name rule: -diff
    assert "(differences only)" in text and "| model |" not in text and "trees" in text


def test_export_to_a_folder_that_cannot_be_made_shows_an_error(view, tmp_path):
    (tmp_path / "file").write_text("")
    view.folder.value = str(tmp_path / "file")
    view.export_buttons["CSV"].click()
    assert "could not save the CSV file" in state(view.status)["value"]


def test_export_name_spells_out_the_first_runs():
    assert export_name([3, 4], ".md") == "labtrack-compare-3-4.md"
    assert (
        export_name(list(range(1, 12)), ".csv") == "labtrack-compare-1-2-3-4-5-6-7-8-and-3-more.csv"
    )


def test_it_displays_as_its_box_and_closes_every_widget(view):
    bundle = view._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.box.model_id
    view.close()
    assert (
        view.box.comm is None
        and view.picker.comm is None
        and view.export_buttons["HTML"].comm is None
    )


def test_no_widget_state_holds_a_token_or_the_store_path(view, store_dir):
    states = [state(w) for w in (view.picker, view.tables, view.metric, view.folder, view.status)]
    assert not any(str(store_dir) in str(s) or "token" in str(s).lower() for s in states)
