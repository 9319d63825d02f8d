"""What a tracked cell records by itself, written the way people write notebooks: only the values the
cell assigned, the params people write (dicts, arithmetic, f-strings, numpy literals) flattened into
dotted names, and honest warnings for values that are data rather than params or metrics."""

from __future__ import annotations

import warnings

import pytest

import labtrack as lt
from labtrack.notebook.capture import TrackingWarning, literal_params


def run(ip, source: str):
    return ip.run_cell(source, store_history=True)


def last_run():
    return lt.get_run(int(lt.runs()["number"].iloc[-1]))


def tracking_warnings(record) -> list[str]:
    return [str(w.message) for w in record if issubclass(w.category, TrackingWarning)]


# -- 1. only this cell's values ------------------------------------------------------------------
def test_a_failed_cell_records_no_metric_left_from_an_earlier_cell(ip):
    run(ip, "%%track good --metrics acc\nacc = 0.75")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run(ip, "%%track bad --metrics acc,loss\nloss = 0.5\n1 / 0\nacc = 0.9")
    assert isinstance(result.error_in_exec, ZeroDivisionError)
    bad = last_run()
    assert (
        bad.status == "failed" and set(bad.metrics) == {"loss"} and bad.metrics["loss"].last == 0.5
    )
    assert tracking_warnings(caught) == [
        "labtrack: --metrics acc: not assigned by this cell before it failed; nothing recorded for it"
        " (a value left from an earlier cell is not this run's)"
    ]


def test_params_and_metrics_from_an_earlier_cell_are_not_this_runs(ip):
    run(ip, "depth = 3\nacc = 0.5")
    with pytest.warns(
        TrackingWarning, match="--metrics acc, --params depth: not assigned by this cell;"
    ):
        run(ip, "%%track --params depth --metrics acc\nx = 1")
    assert (last_run().params, last_run().metrics) == ({"x": 1}, {})


def test_a_small_int_assigned_again_counts_as_assigned(ip):
    run(ip, "n_errors = 5")
    run(ip, "%%track --metrics n_errors\nn_errors = 5")
    assert last_run().metrics["n_errors"].last == 5


def test_a_failed_cell_keeps_the_literal_params_above_the_failing_line(ip):
    run(ip, "%%track\nlr = 0.1\nsizes = (64, 32)\nraise ValueError('diverged')\nepochs = 10")
    assert last_run().params == {"lr": 0.1, "sizes": [64, 32]}


def test_a_run_over_cells_records_what_its_cells_assigned(ip):
    run(ip, "acc = 0.1\nq = 7")
    run(ip, "%track start multi --metrics acc --params q")
    run(ip, "acc = 0.8")
    with pytest.warns(TrackingWarning, match="--params q: not assigned by the run's cells;"):
        run(ip, "%track stop")
    record = lt.get_run("multi")
    assert record.metrics["acc"].last == 0.8 and "q" not in record.params


def test_a_failed_cell_of_a_run_over_cells_does_not_count_as_assigning(ip):
    run(ip, "acc = 0.1")
    run(ip, "%track start multi --metrics acc")
    run(ip, "lr = 0.5\n1 / 0\nacc = 0.9\nepochs = 3")
    with pytest.warns(TrackingWarning, match="--metrics acc: not assigned by the run's cells;"):
        run(ip, "%track stop")
    record = lt.get_run("multi")
    assert record.metrics == {} and record.params == {"lr": 0.5}


# -- 2. params people write -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("cfg = dict(lr=0.1, epochs=5)", {"cfg": {"lr": 0.1, "epochs": 5}}),
        ("frac = 1 - 0.75\nneg = -frac", {"frac": 0.25, "neg": -0.25}),
        ("sizes = (64, 32)", {"sizes": [64, 32]}),
        ("depth = 3\nname = f'rf-{depth:02d}'", {"depth": 3, "name": "rf-03"}),
        ("import numpy as np\neps = np.float32(0.1)\nn = np.int64(7)", {"eps": 0.1, "n": 7}),
        (
            "cfg = {'opt': {'name': 'adam', 'lr': 1e-3}}",
            {"cfg": {"opt": {"name": "adam", "lr": 0.001}}},
        ),
        ("lr = 0.1\nlr = schedule(lr)", {}),
        ("x = 'a' * 10**9", {}),
        (
            "scores = []\nfor d in (2, 4):\n    scores.append(d)",
            {},
        ),  # an accumulator is not a param
        (
            "cfg = {'lr': 0.1}\ncfg['lr'] = 0.2",
            {},
        ),  # changed after the literal: not what the cell left
    ],
)
def test_literal_params_people_write(source, expected):
    assert literal_params(source) == expected


def test_a_config_dict_becomes_dotted_params_that_filters_and_comparisons_use(ip):
    run(ip, "%%track adam\ncfg = dict(lr=0.1, opt={'name': 'adam', 'beta': 0.9})\nfrac = 1 - 0.75")
    run(ip, "%%track sgd\ncfg = dict(lr=0.01, opt={'name': 'sgd', 'beta': 0.9})\nfrac = 1 - 0.5")
    assert lt.get_run("adam").params == {
        "cfg.lr": 0.1,
        "cfg.opt.name": "adam",
        "cfg.opt.beta": 0.9,
        "frac": 0.25,
    }
    assert list(lt.runs("params.`cfg.lr` = 0.1")["name"]) == ["adam"]
    assert list(lt.runs("params.cfg.opt.name = 'sgd'")["name"]) == ["sgd"]
    assert set(lt.compare("adam", "sgd").diff().params.index) == {"cfg.lr", "cfg.opt.name", "frac"}


def test_log_params_and_run_params_flatten_too(store):
    with lt.run("api", params={"cfg": {"lr": 0.1}}):
        lt.log_params(model={"kind": "rf", "trees": 100})
    assert lt.get_run("api").params == {"cfg.lr": 0.1, "model.kind": "rf", "model.trees": 100}


# -- 8. honest warnings about data that is not a param or a metric ----------------------------------------
def test_a_big_array_in_params_is_skipped_by_size_with_what_to_do(ip):
    run(ip, "import numpy as np\nbig = np.zeros(100_000_000 // 8)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run(
            ip, "%%track --params big\nbig = big + 0\nlr = 0.1"
        )  # skipped by size, never serialised
    assert result.success and last_run().params == {"lr": 0.1}
    (message,) = tracking_warnings(caught)
    assert message.startswith(
        "labtrack: --params big is an ndarray of shape (12500000,) (100.0 MB), which is data"
    )
    assert "lt.log_dataset" in message and "labtrack bug" not in message


def test_an_array_in_metrics_says_what_was_skipped_and_how_to_record_it(ip):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(
            ip,
            "%%track --metrics preds,acc\nimport numpy as np\npreds = np.arange(4) / 4\nacc = preds.mean()",
        )
    assert list(last_run().metrics) == ["acc"]
    (message,) = tracking_warnings(caught)
    assert message.startswith(
        "labtrack: --metrics preds is an ndarray of shape (4,), not a number; nothing recorded"
    )
    assert "labtrack bug" not in message


def test_a_big_param_from_the_api_is_refused_quickly_with_the_fix(store):
    import numpy as np

    with (
        lt.run(),
        pytest.raises(lt.LabtrackError, match=r"param 'big' is an ndarray .* lt.log_dataset"),
    ):
        lt.log_params(big=np.zeros(10**7))


# -- 4. definitions join the notebook's experiment ----------------------------------------------------
def test_definitions_before_the_first_run_join_the_notebooks_experiment(ip, monkeypatch, tmp_path):
    monkeypatch.setenv("LABTRACK_NOTEBOOK", str(tmp_path / "study.ipynb"))
    lt.unload_ipython_extension(ip)
    lt.load_ipython_extension(ip)  # as `%load_ext labtrack` at the top of study.ipynb
    run(ip, "%metric acc --goal max --target 0.9")
    run(ip, "import labtrack as lt\nlt.metric('loss', goal='min')")
    hypothesis = lt.hypothesis("Smaller C helps", metric="acc")
    run(ip, "%%track --metrics acc\nacc = 0.95")
    assert last_run().experiment == "study" and hypothesis.experiment == "study"
    assert set(lt.runs(experiment="study").filter(like="target.").columns) == {"target.acc"}
    assert lt.runs(experiment="study")["target.acc"].tolist() == [True]


def test_an_old_store_with_definitions_in_default_is_repaired_once_when_opened(store_dir, caplog):
    from labtrack.fluent.session import default_lab

    lt.metric(
        "acc", goal="max", target=0.9
    )  # stated before the notebook's first run, as older versions did
    hypothesis = lt.hypothesis("More trees help", metric="acc")
    with lt.run("tree", experiment="study") as tree:
        tree.store.update_run(tree.number, notebook="/work/study.ipynb")
        lt.log(acc=0.95)
    store = default_lab().store
    with store.write() as conn:  # the store as the previous schema left it
        conn.execute(
            "DELETE FROM _sqlite_migrations WHERE name = ?",
            ("m002_definitions_join_notebook_experiments",),
        )
    lt.open(store_dir)
    assert "moved definitions" in caplog.text and "metric 'acc' -> 'study'" in caplog.text
    assert f"hypothesis H{hypothesis.id} -> 'study'" in caplog.text
    assert lt.runs(experiment="study")["target.acc"].tolist() == [True]
    assert lt.hypotheses().set_index("id").loc[hypothesis.id, "experiment"] == "study"
    caplog.clear()
    lt.open(store_dir)
    assert "moved definitions" not in caplog.text  # once


# -- 3. figures, however they leave the cell ----------------------------------------------------------
@pytest.fixture
def agg_pyplot():
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    plt.close("all")
    yield plt
    plt.close("all")


def test_figures_saved_and_closed_in_a_loop_are_kept_once_named_by_title(ip, agg_pyplot, tmp_path):
    source = (
        "%%track\nimport matplotlib.pyplot as plt\n"
        "for name in ('Loss', 'Loss', 'Confusion matrix'):\n"
        "    fig, ax = plt.subplots()\n    ax.set_title(name)\n"
        f"    fig.savefig({str(tmp_path / 'f.png')!r})\n    plt.close(fig)\n"
        "fig = plt.figure()\nfig.suptitle('Summary: all runs')\nplt.close('all')"
    )
    assert run(ip, source).success
    names = [a.name for a in last_run().artifacts]
    assert names == ["loss.png", "loss-2.png", "confusion-matrix.png", "summary-all-runs.png"]


def test_no_hook_is_left_on_pyplot_after_a_tracked_cell(ip, agg_pyplot):
    from matplotlib._pylab_helpers import Gcf

    before = (Gcf.__dict__["destroy"], Gcf.__dict__["destroy_all"])
    run(ip, "%%track\nfig = plt.figure()\nplt.close(fig)")
    assert (Gcf.__dict__["destroy"], Gcf.__dict__["destroy_all"]) == before
    run(ip, "fig = plt.figure()\nplt.close(fig)")  # untracked: closed as usual, kept nowhere
    assert Gcf.get_num_fig_managers() == 0 and [a.name for a in last_run().artifacts] == [
        "figure-1.png"
    ]


def test_a_figure_the_cell_logs_itself_is_kept_once(ip, agg_pyplot):
    run(
        ip,
        "%%track\nimport matplotlib.pyplot as plt\nimport labtrack as lt\n"
        "fig, ax = plt.subplots()\nax.set_title('curves')\nlt.log_artifact(fig, 'curves.png')\nplt.close(fig)",
    )
    assert [a.name for a in last_run().artifacts] == ["curves.png"]
