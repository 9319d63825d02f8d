"""The magics in an in-process IPython shell: each magic, each option, --help and each usage error."""

from __future__ import annotations

import json
import subprocess
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

import labtrack as lt
from labtrack.fluent import runs as api
from labtrack.fluent import session
from labtrack.fluent.session import default_lab
from labtrack.notebook import figures, magics
from labtrack.notebook.capture import (
    TrackingWarning,
    git_state,
    literal_params,
    notebook_from_servers,
)
from labtrack.notebook.tracker import Tracker
from labtrack.notebook.widgets.live import LiveView, LiveViews, RunSummary, sparkline


def run(ip, source: str):
    """Run a cell as a notebook would (events fire); return its ExecutionResult."""
    return ip.run_cell(source, store_history=True)


def last_run():
    frame = lt.runs()
    return lt.get_run(int(frame["number"].iloc[-1]))


# -- %%track -----------------------------------------------------------------------------
def test_track_records_the_cell_and_returns_its_value(ip):
    result = run(
        ip,
        "%%track first --tag owner=me\nlr = 0.01\nlayers = [64, 32]\nimport labtrack as lt\n"
        "for i in range(3):\n    lt.log(loss=1 / (i + 1))\nlr * 100",
    )
    assert result.success and result.result == 1.0
    record = last_run()
    assert (record.name, record.status, record.tags) == ("first", "finished", {"owner": "me"})
    assert record.params == {"lr": 0.01, "layers": [64, 32]}
    assert record.metrics["loss"].count == 3
    assert record.code.startswith("%%track first") and "lt.log(loss" in record.code
    assert record.execution_count == result.execution_count
    assert record.environment["python"] and "IPython" in record.environment["packages"]


def test_output_and_value_match_an_untracked_cell(ip, capsys):
    plain = run(ip, "print('hello')\n41 + 1")
    out_plain = capsys.readouterr().out
    tracked = run(ip, "%%track\nprint('hello')\n41 + 1")
    out_tracked = capsys.readouterr().out
    assert tracked.result == plain.result == 42
    assert out_tracked.startswith("hello\n") and "run #1 finished" in out_tracked
    assert out_plain.startswith("hello\n")


def test_a_trailing_semicolon_silences_the_value(ip):
    assert run(ip, "%%track\n41 + 1;").result is None


def test_params_and_metrics_options_read_variables_after_the_cell(ip):
    run(
        ip,
        "%%track --params model,depth --metrics acc,loss\nmodel = 'rf' + '-1'\ndepth = int('3')\n"
        "acc = 0.5 + 0.4\nloss = 0.1",
    )
    record = last_run()
    assert record.params == {"model": "rf-1", "depth": 3}  # loss is a metric, not a literal param
    assert record.metrics["acc"].last == pytest.approx(0.9) and record.metrics["loss"].last == 0.1


def test_a_missing_metrics_variable_warns_and_the_cell_still_runs(ip):
    with pytest.warns(TrackingWarning, match="--metrics nope: not assigned by this cell"):
        result = run(ip, "%%track --metrics nope\nx = 1")
    assert result.success and last_run().status == "finished"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("lr = 0.01", {"lr": 0.01}),
        ("a, b = 1, 'x'", {"a": 1, "b": "x"}),
        ("n: int = -3", {"n": -3}),
        ("cfg = {'k': [1, 2]}", {"cfg": {"k": [1, 2]}}),
        ("x = f(1)\ny = x", {}),
        ("def f():\n    inner = 1", {}),
        ("lr = 0.1\nlr = 0.2", {"lr": 0.2}),
        ("not python (", {}),
    ],
)
def test_literal_params(source, expected):
    assert literal_params(source) == expected


def test_failing_cell_records_a_failed_run_and_the_same_exception_reaches_the_user(ip):
    plain = run(ip, "x = 1\n1 / 0")
    tracked = run(ip, "%%track boom\nx = 1\n1 / 0")
    assert type(tracked.error_in_exec) is type(plain.error_in_exec) is ZeroDivisionError
    assert tracked.error_in_exec.args == plain.error_in_exec.args
    record = last_run()
    assert (record.status, record.error_type, record.error_message) == (
        "failed",
        "ZeroDivisionError",
        "division by zero",
    )
    assert "1 / 0" in record.traceback and "labtrack" not in record.traceback
    assert session.active_run() is None


def test_keyboard_interrupt_records_an_interrupted_run(ip):
    result = run(ip, "%%track\nraise KeyboardInterrupt")
    assert isinstance(result.error_in_exec, KeyboardInterrupt)
    assert last_run().status == "interrupted"


def test_hypothesis_option_links_the_run(ip):
    hypothesis = lt.hypothesis("Smaller C helps", metric="acc")
    run(ip, f"%%track --hypothesis H{hypothesis.id}\nC = 0.1")
    assert last_run().hypothesis_id == hypothesis.id
    run(ip, "%%track --hypothesis none\nC = 0.2")
    assert last_run().hypothesis_id is None


def test_track_inside_an_open_run_is_its_child(ip):
    run(ip, "%track start outer")
    run(ip, "%%track inner\nx = 1")
    inner = last_run()
    run(ip, "%track stop")
    assert inner.parent == lt.get_run("outer").number


# -- %track start / stop / status ------------------------------------------------------------
def test_a_run_over_several_cells_records_each_cell_in_order(ip, capsys):
    run(ip, "%track start multi --params q --metrics acc --tag kind=multi")
    run(ip, "import labtrack as lt\nq = 5\nlt.log(z=1.0)")
    run(ip, "acc = 0.75\ny = 2")
    run(ip, "%track status")
    assert "run #1 'multi' running" in capsys.readouterr().out
    run(ip, "%track stop")
    record = lt.get_run("multi")
    assert record.status == "finished" and record.tags == {"kind": "multi"}
    assert record.params == {"q": 5, "y": 2}
    assert record.metrics["acc"].last == 0.75 and record.metrics["z"].last == 1.0
    code = record.code
    assert (
        code.index("%track start")
        < code.index("q = 5")
        < code.index("y = 2")
        < code.index("%track stop")
    )


def test_status_with_nothing_open(ip, capsys):
    run(ip, "%track status")
    assert "No run open" in capsys.readouterr().out


# -- %track runs / show ------------------------------------------------------------------------
def test_runs_lists_the_runs_with_params_and_metrics(ip, capsys):
    run(ip, "%%track a --metrics acc\nacc = 0.9\nmodel = 'rf'")
    run(ip, "%%track b --metrics acc\nacc = 0.5\nmodel = 'svm'")
    capsys.readouterr()
    run(ip, "%track runs")
    out = capsys.readouterr().out
    assert "2 runs" in out and "rf" in out and "svm" in out and "0.9" in out
    run(ip, "%track runs -n 1 metrics.acc > 0.6 and params.model = 'rf'")
    out = capsys.readouterr().out
    assert "1 run " in out and " a " in out and "svm" not in out


def test_runs_html_table_escapes_names(ip):
    from labtrack.notebook.widgets.tables import RunsTableView

    run(ip, "%%track <b>bold</b>\nx = 1")
    html = RunsTableView(lt.runs())._repr_html_()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold" not in html


def test_runs_of_the_notebook_experiment_by_default(ip, capsys, monkeypatch, tmp_path):
    run(ip, "%%track elsewhere\nx = 1")
    monkeypatch.setenv("LABTRACK_NOTEBOOK", str(tmp_path / "study.ipynb"))
    session.set_experiment(None)
    run(ip, "%%track here\nx = 2")
    capsys.readouterr()
    run(ip, "%track runs")
    out = capsys.readouterr().out
    assert "experiment 'study'" in out and "here" in out and "elsewhere" not in out
    run(ip, "%track runs --all")
    assert "elsewhere" in capsys.readouterr().out


def test_show_displays_one_run(ip, capsys):
    run(ip, "%%track shown --metrics acc\nacc = 0.8\nlr = 0.1")
    capsys.readouterr()
    run(ip, "%track show shown")
    out = capsys.readouterr().out
    assert "Run #1 shown" in out and "lr" in out and "acc" in out and "%%track shown" in out


def test_compare_and_export(ip, capsys, tmp_path):
    run(ip, "%%track a --metrics acc\nacc = 0.9\nlr = 0.1")
    run(ip, "%%track b --metrics acc\nacc = 0.8\nlr = 0.2")
    assert run(ip, "%track compare a b").success
    target = tmp_path / "cmp.md"
    capsys.readouterr()
    assert run(ip, f"%track export 1 2 --to {target}").success
    assert f"to {target}" in capsys.readouterr().out and "lr" in target.read_text()


# -- --help and usage errors ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("%%track --help\npass", "%%track [--hypothesis H]"),
        ("%track --help", "%track [--hypothesis H]"),
        ("%track runs --help", "%track [--hypothesis H]"),
    ],
)
def test_help(ip, capsys, source, expected):
    assert run(ip, source).success
    out = capsys.readouterr().out
    assert expected in out and "--params" in out
    assert lt.runs().empty


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("%track bogus", "unknown command 'bogus'"),
        ("%track stop", "no run is open"),
        ("%track show", "takes one RUN"),
        ("%track show 1 2", "takes one RUN"),
        ("%track show 99", "no run #99"),
        ("%track status now", "takes no arguments"),
        ("%track stop --params a", "only go with %track start"),
        ("%track status --all", "only go with %track runs"),
        ("%track start a b", "takes one NAME"),
        ("%track runs metrics.acc >", "position"),
        ("%track runs -n x", "invalid int"),
        ("%track compare", "name the runs"),
        ("%track compare 98 99", "no run #98"),
        ("%track export 1", "--to comparison.html"),
        ("%track status --to x.md", "--to only goes with %track export"),
        ("%%track --tag nokv\nnever_ran = 1", "--tag takes KEY=VALUE"),
        ("%%track --hypothesis maybe\nnever_ran = 1", "--hypothesis takes"),
        ("%%track --params 1x\nnever_ran = 1", "is not a variable name"),
        ("%%track a b\nnever_ran = 1", "unrecognized arguments"),
        ("%%track --hypothesis 999\nnever_ran = 1", "999"),
    ],
)
def test_usage_errors(ip, capsys, source, message):
    from IPython.core.error import UsageError

    result = run(ip, source)
    assert isinstance(result.error_in_exec, UsageError)
    assert message in str(result.error_in_exec)
    assert "never_ran" not in ip.user_ns  # the cell did not run


def test_start_twice_is_a_usage_error(ip):
    run(ip, "%track start one")
    result = run(ip, "%track start two")
    assert "run #1 'one' is still open; end it with %track stop" in str(result.error_in_exec)
    run(ip, "%track stop")


# -- loading and unloading -------------------------------------------------------------------------
def test_unload_removes_magics_and_hooks_and_ends_an_open_run(ip):
    run(ip, "%track start left-open")
    magics.unload_ipython_extension(ip)
    assert (
        "track" not in ip.magics_manager.magics["line"]
        and "track" not in ip.magics_manager.magics["cell"]
    )
    hooks = [
        h
        for hs in ip.events.callbacks.values()
        for h in hs
        if isinstance(getattr(h, "__self__", None), Tracker)
    ]
    assert hooks == []
    assert lt.get_run("left-open").status == "finished"
    magics.load_ipython_extension(ip)  # loads again cleanly
    assert run(ip, "%%track again\nx = 1").success


# -- the notebook's path, the environment --------------------------------------------------------------
def test_notebook_path_from_override_names_the_experiment(ip, monkeypatch, tmp_path):
    monkeypatch.setenv("LABTRACK_NOTEBOOK", str(tmp_path / "churn.ipynb"))
    run(ip, "%%track\nx = 1")
    record = last_run()
    assert record.notebook == str(tmp_path / "churn.ipynb") and record.experiment == "churn"


def test_notebook_path_from_vscode(ip, tmp_path):
    ip.user_ns["__vsc_ipynb_file__"] = str(tmp_path / "vs.ipynb")
    run(ip, "%%track\nx = 1")
    assert last_run().notebook == str(tmp_path / "vs.ipynb")


def test_notebook_path_from_jpy_session_name(ip, monkeypatch, tmp_path):
    monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / "server.ipynb"))
    run(ip, "%%track\nx = 1")
    assert last_run().notebook == str(tmp_path / "server.ipynb")


def test_notebook_unknown_is_recorded_as_none(ip):
    run(ip, "%%track\nx = 1")
    assert last_run().notebook is None and last_run().experiment == "Default"


class _Sessions(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the http.server API
        ok = self.path == "/lab/api/sessions" and self.headers["Authorization"] == "token secret"
        body = json.dumps(
            [{"path": "sub/found.ipynb", "kernel": {"id": "k-1"}}] if ok else {"message": "no"}
        )
        self.send_response(200 if ok else 403)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


def test_notebook_path_from_the_jupyter_server_sessions_api(tmp_path):
    server = HTTPServer(("127.0.0.1", 0), _Sessions)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        info = {
            "url": f"http://127.0.0.1:{server.server_port}/lab/",
            "token": "secret",
            "root_dir": str(tmp_path),
        }
        (tmp_path / "jpserver-1.json").write_text(json.dumps(info))
        (tmp_path / "jpserver-2.json").write_text(
            json.dumps({**info, "url": "http://example.com:1/"})
        )
        assert notebook_from_servers("k-1", str(tmp_path)) == str(tmp_path / "sub" / "found.ipynb")
        assert notebook_from_servers("other", str(tmp_path)) is None
        info["token"] = "wrong"
        (tmp_path / "jpserver-1.json").write_text(json.dumps(info))
        assert notebook_from_servers("k-1", str(tmp_path)) is None
    finally:
        server.shutdown()


def test_environment_is_stored_once_and_grows_with_imports(ip):
    run(ip, "%%track\nx = 1")
    run(ip, "%%track\nx = 2")
    first, second = lt.get_run(1), lt.get_run(2)
    assert first.environment == second.environment
    assert default_lab().store.read("SELECT count(*) FROM environments")[0][0] == 1


def test_git_state(tmp_path):
    assert git_state(tmp_path) is None
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a.txt").write_text("a")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "add", "a.txt"], check=True)
    subprocess.run([*git, "commit", "-qm", "a"], check=True)
    state = git_state(tmp_path)
    assert len(state["commit"]) == 40 and state["dirty"] is False
    (tmp_path / "a.txt").write_text("b")
    assert git_state(tmp_path)["dirty"] is True


# -- figures -------------------------------------------------------------------------------------------
@pytest.fixture
def plt():
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    plt.close("all")
    yield plt
    plt.close("all")


def test_figures_the_cell_makes_are_saved(ip, plt):
    run(ip, "import matplotlib.pyplot as plt\nold = plt.figure()")
    run(ip, "%%track\nplt.figure('loss curve'); plt.plot([1, 2])\nplt.figure(); plt.plot([2, 1]);")
    names = [a.name for a in last_run().artifacts]
    assert names == ["loss-curve.png", "figure-2.png"]
    assert last_run().artifacts[0].path.read_bytes().startswith(b"\x89PNG")
    run(ip, "%%track\nx = 1")  # figures left open from before are not saved again
    assert last_run().artifacts == []


def test_figures_displayed_mid_cell_are_saved_once(ip, plt, monkeypatch):
    from matplotlib.figure import Figure

    monkeypatch.setattr(ip.display_formatter, "active_types", ["text/plain", "image/png"])
    formatter = ip.display_formatter.formatters["image/png"]
    formatter.for_type(Figure, lambda fig: b"\x89PNG fake")
    try:
        run(ip, "from IPython.display import display\nimport matplotlib.pyplot as plt\n")
        run(ip, "%%track\nf = plt.figure(); plt.plot([1])\ndisplay(f); display(f)\nplt.close(f)")
        artifacts = last_run().artifacts
        assert [a.name for a in artifacts] == ["figure-1.png"]
        assert artifacts[0].path.read_bytes() == b"\x89PNG fake"
    finally:
        figures.FigureCapture(ip, lambda *a: None).unwrap_png_printer()
        formatter.pop(Figure, None)


# -- the live view -------------------------------------------------------------------------------------
def test_live_view_shows_the_run_and_settles_into_a_summary(store, capsys):
    run_ = lt.start_run("live<1>")
    view = LiveView(run_, started=0.0)
    for i in range(3):
        lt.log(loss=1 / (i + 1))
        view.refresh()
    state = view._body.get_state()
    assert (
        "run #1 live&lt;1&gt;" in state["value"]
        and "loss" in state["value"]
        and "<svg" in state["value"]
    )
    summary = RunSummary(
        1, "live<1>", "finished", 1.5, {"loss": 0.2}, {"loss": [1, 0.5, 0.2]}, figures=2
    )
    assert summary.text() == "✓ labtrack run #1 live<1> finished in 1.5s · loss 0.2 · 2 figures"
    assert "live&lt;1&gt;" in summary.html() and "<svg" in summary.html()
    lt.end_run()


def test_live_views_show_refresh_and_settle(store, capsys):
    views = LiveViews()
    run_ = lt.start_run("ticking")
    job = views.watch(run_, started=0.0, delay=0.0, every=0.01)
    lt.log(acc=0.5)
    late = views.watch(run_, started=time.monotonic(), delay=60)  # never due: never shown
    time.sleep(0.1)
    summary = RunSummary(run_.number, "ticking", "finished", 0.1, {"acc": 0.5})
    assert views.settle(job, summary) is True and views.settle(late, summary) is False
    out = capsys.readouterr().out
    assert "labtrack run #1 ticking running" in out and "finished in 0.1s" in out
    assert "acc 0.5 @0" in job.view.live_text() and job.error is None
    views.close()
    lt.end_run()


def test_sparkline_skips_non_finite_values():
    assert sparkline([1.0]) == ""
    assert sparkline([1.0, float("nan"), 2.0]).count(",") == 2


def test_tracking_failures_warn_once_per_cell(ip, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("the store vanished")

    monkeypatch.setattr(api, "start_run", broken)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run(ip, "%%track\nimport labtrack as lt\nlt.log(a=1)\n7")
    assert result.result == 7
    assert [str(w.message) for w in caught] == [
        "labtrack could not start a run (OSError: the store vanished); this cell ran without tracking."
        f" To fix: check the store at {default_lab().store.path} (`labtrack doctor`), or set LABTRACK_DIR to another folder."
    ]
