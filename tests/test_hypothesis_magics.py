"""`%hypothesis` and `%metric` in a real IPython shell."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

import labtrack as lt
from labtrack.notebook.hypothesis_magics import VerdictCard


def make_runs(values):
    for value in values:
        with lt.run():
            lt.log(acc=value)


def test_state_a_hypothesis_then_see_its_verdict(ip):
    make_runs([0.80, 0.81, 0.79])
    card = ip.run_line_magic(
        "hypothesis", '"More trees raise acc" --metric acc --min-effect 0.01 --baseline 1,2,3'
    )
    assert isinstance(card, VerdictCard) and card.verdict.label == "untested"
    make_runs([0.90, 0.91, 0.89])
    card = ip.run_line_magic("hypothesis", "")
    assert card.verdict.label == "supported" and card.record.statement == "More trees raise acc"
    assert "supported" in card._repr_html_() and "H1 [supported]" in repr(card)


def test_statement_is_escaped_in_html(ip):
    card = ip.run_line_magic("hypothesis", '"<script>x</script>" --metric acc')
    assert "<script>" not in card._repr_html_() and "&lt;script&gt;" in card._repr_html_()


def test_baseline_filter_list_use_and_close(ip):
    make_runs([0.5, 0.51, 0.49])
    ip.run_line_magic("hypothesis", '"A" --metric acc --baseline "metrics.acc < 0.6"')
    ip.run_line_magic("hypothesis", '"B" --metric acc --expect decrease')
    assert list(ip.run_line_magic("hypothesis", "list").index) == [1, 2]
    ip.run_line_magic("hypothesis", "use H1")
    make_runs([0.7, 0.71, 0.69])
    with lt.run(
        hypothesis="none"
    ):  # matches the filter now, but the baseline was frozen when stated
        lt.log(acc=0.55)
    closed = ip.run_line_magic("hypothesis", 'close --note "enough"')
    assert (closed.record.id, closed.record.status, closed.record.note) == (1, "closed", "enough")
    assert closed.verdict.label == "supported" and closed.verdict.baseline_runs == (1, 2, 3)
    assert "baseline frozen when stated: metrics.acc < 0.6 -> #1, #2, #3" in repr(closed)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('"no metric"', "a hypothesis needs --metric"),
        ('"x" --metric acc --min-effect -1', "cannot be negative"),
        ("show", "needs an id"),
        ("show H7", "no hypothesis H7"),
        ('"x" --metric acc --baseline "params.x >"', "position"),
    ],
)
def test_usage_errors_say_how_to_fix(ip, line, message):
    with pytest.raises(UsageError, match=message):
        ip.run_line_magic("hypothesis", line)


def test_metric_defines_what_better_means(ip, capsys):
    ip.run_line_magic("metric", "acc --goal max --target 0.9 --summary best")
    assert (
        "acc: max is better (summary: best, target 0.9) in experiment 'Default'"
        in capsys.readouterr().out
    )
    from labtrack.fluent.evidence import metric_definitions

    assert metric_definitions()["acc"].summary == "best"
    with pytest.raises(UsageError, match="usage: %metric NAME --goal max"):
        ip.run_line_magic("metric", "acc")


@pytest.mark.parametrize("magic", ["hypothesis", "metric"])
def test_help(ip, capsys, magic):
    ip.run_line_magic(magic, "--help")
    assert "--" in capsys.readouterr().out
