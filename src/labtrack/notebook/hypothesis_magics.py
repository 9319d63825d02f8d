"""`%hypothesis` and `%metric`: state what "better" means and what you expect, in the notebook."""

from __future__ import annotations

import html
import re
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from ..errors import LabtrackError
from ..evidence.verdicts import BADGE_COLOURS, Verdict, badge
from ..fluent import evidence as hyp

_KEPT = " its baseline, minimum effect and change stay as first stated"
_COLOURS = {
    "green": "#1a7f37",
    "red": "#cf222e",
    "blue": "#0969da",
    "amber": "#9a6700",
    "grey": "#6e7781",
}


class VerdictCard:
    """A hypothesis with its verdict: HTML in Jupyter, plain text elsewhere. `facts` are what else
    a face shows with the badge (`hypothesis_facts`): confounds, the adjusted p-value, definitions."""

    def __init__(
        self, record: hyp.HypothesisRecord, verdict: Verdict, facts: dict[str, Any] | None = None
    ):
        self.record = record
        self.verdict = verdict
        self.facts = facts or {}

    def _lines(self) -> tuple[str, list[str], list[str]]:
        """(the expectation, the lines under the reason, the confound warnings)."""
        r, v, f = self.record, self.verdict, self.facts
        change = f", testing {r.change}" if r.change else ""
        expectation = f"metric {r.metric}, expected to {r.expect} by at least {r.min_effect:g}{change} ({r.status})"
        lines = []
        spec = r.baseline or {}
        if "filter" in spec and "runs" in spec:
            lines.append(f"baseline frozen when stated: {spec['filter']} -> "
                         + (", ".join(f"#{n}" for n in spec["runs"]) or "no runs"))  # fmt: skip
        stated, now = f.get("definition"), f.get("current_definition")
        if stated and now and stated != now:
            lines.append(f"metric definition: stated as {stated['summary']} ({stated['goal']}), now "
                         f"{now['summary']} ({now['goal']}); the verdict keeps the stated one")  # fmt: skip
        adjusted = f.get("adjusted") or {}
        if adjusted.get("p_adjusted") is not None:
            method = "Holm" if adjusted["method"] == "holm" else "BH"
            lines.append(f"{adjusted['tested']} hypotheses tested in this experiment; {method}-adjusted"
                         f" p = {adjusted['p_adjusted']:.3g}")  # fmt: skip
        if adjusted.get("note"):
            lines.append(adjusted["note"])
        lines += [f"note: {n}" for n in v.comparability]
        return expectation, lines, list(v.confounds)

    def __repr__(self) -> str:
        r, v = self.record, self.verdict
        expectation, lines, confounds = self._lines()
        out = [f"H{r.id} [{badge(v)}] {r.statement}"]
        out += [f"  ⚠ confound: {c}" for c in confounds]
        out += [f"  {expectation}", f"  {v.reason}", *(f"  {line}" for line in lines)]
        if self.facts.get("restated"):
            out.insert(
                0, f"H{r.id} is already open with this statement: using it (no duplicate;{_KEPT})."
            )
        return "\n".join(out)

    def _repr_html_(self) -> str:
        r, v = self.record, self.verdict
        colour = _COLOURS[BADGE_COLOURS[v.label]]
        e = html.escape
        expectation, lines, confounds = self._lines()
        runs = ", ".join(f"#{n}" for n in v.treatment_runs) or "none"
        base = ", ".join(f"#{n}" for n in v.baseline_runs) or "none"
        warn = "".join(
            f'<br><span style="color:{_COLOURS["amber"]}">⚠ confound: {e(c)}</span>'
            for c in confounds
        )
        extra = "".join(f"<br><small>{e(line)}</small>" for line in lines)
        restated = ""
        if self.facts.get("restated"):
            restated = f"<small>H{r.id} is already open with this statement: using it (no duplicate;{_KEPT}).</small><br>"
        return (
            f'<div class="labtrack-hypothesis" style="border-left:4px solid {colour};padding:4px 10px">'
            f'{restated}<b>H{r.id}</b> <span style="background:{colour};color:white;border-radius:8px;padding:1px 8px">'
            f"{e(badge(v))}</span> {e(r.statement)}{warn}<br>"
            f"<small>{e(expectation)}</small><br>{e(v.reason)}<br>"
            f"<small>treatment {e(runs)} · baseline {e(base)}</small>{extra}</div>"
        )


def card(record: hyp.HypothesisRecord, verdict: Verdict | None = None) -> VerdictCard:
    """The card of a hypothesis with everything shown beside its badge."""
    facts = hyp.hypothesis_facts(record)
    return VerdictCard(
        record, verdict or facts.pop("verdict"), {**facts, "restated": record.restated}
    )


def _unquote(text: str | None) -> str | None:
    """magic_arguments keeps the quotes of a quoted value: drop one matching pair."""
    if text and len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _baseline(text: str | None) -> Any:
    """`--baseline 3,4,#5` -> run refs; anything else is a filter."""
    text = _unquote(text)
    if text is None:
        return None
    if re.fullmatch(r"\s*#?\d+(\s*,\s*#?\d+)*\s*", text):
        return [int(part.strip().lstrip("#")) for part in text.split(",")]
    return text


@magics_class
class HypothesisMagics(Magics):
    """`%hypothesis` and `%metric` (thin: the work is in the evidence layer)."""

    @magic_arguments(name="%hypothesis")
    @argument(
        "words",
        nargs="*",
        help='"STATEMENT" to state one; or: list | close [ID] | show ID | use ID',
    )
    @argument("--metric", metavar="M", help="the metric the hypothesis is about")
    @argument(
        "--expect",
        choices=["increase", "decrease"],
        default="increase",
        help="the expected direction of the metric (default: increase)",
    )
    @argument(
        "--min-effect",
        type=float,
        default=0.0,
        metavar="X",
        help="the smallest change that matters (default 0)",
    )
    @argument(
        "--baseline",
        metavar="RUNS_OR_FILTER",
        help="baseline runs (3,4,5) or a filter (resolved now, in this experiment, and frozen);"
        " default: the repeat group of the best earlier configuration",
    )
    @argument(
        "--change",
        metavar="PARAM",
        help="the change it tests, e.g. params.dropout: any other difference is a confound warning",
    )
    @argument("--note", help="close: a note kept with the frozen verdict")
    @argument("-h", "--help", action="store_true", help="show this help")
    @line_magic("hypothesis")
    def hypothesis(self, line: str) -> Any:
        """State a hypothesis (it becomes the active one: runs tracked from now on test it), or look
        at hypotheses and their verdicts.

        Examples::

            %hypothesis "More trees raise accuracy" --metric acc --expect increase --min-effect 0.01 --change params.trees
            %hypothesis                 # the active one, with its verdict
            %hypothesis list
            %hypothesis close --note "ship it"
        """
        args = parse_argstring(self.hypothesis, line)
        if args.help:
            print(self.hypothesis.parser.format_help())
            return None
        words = args.words
        try:
            if not words:
                current = hyp.active_hypothesis()
                if current is None:
                    print(
                        'No active hypothesis. State one: %hypothesis "STATEMENT" --metric M --expect increase'
                    )
                    return None
                return card(current)
            command = words[0].lower()
            if command == "list" and len(words) == 1:
                return _hypotheses_table()
            if command in ("close", "show", "use") and len(words) <= 2:
                return self._subcommand(
                    command, words[1] if len(words) == 2 else None, _unquote(args.note)
                )
            if args.metric is None:
                raise UsageError(
                    'a hypothesis needs --metric, e.g. %hypothesis "More trees raise acc" --metric acc'
                )
            statement = " ".join(_unquote(w) or "" for w in words)
            record = hyp.hypothesis(
                statement,
                metric=args.metric,
                expect=args.expect,
                min_effect=args.min_effect,
                baseline=_baseline(args.baseline),
                change=_unquote(args.change),
            )
            return card(record)
        except (LabtrackError, ValueError) as exc:
            if isinstance(exc, UsageError):
                raise
            raise UsageError(str(exc)) from None

    def _subcommand(self, command: str, ref: str | None, note: str | None) -> Any:
        if command == "close":
            record = hyp.find_hypothesis(ref)
            verdict = hyp.close(record.id, note)
            return card(hyp.find_hypothesis(record.id), verdict)
        if ref is None:
            raise UsageError(f"%hypothesis {command} needs an id, e.g. %hypothesis {command} H2")
        if command == "use":
            hyp.activate(ref)
        return card(hyp.find_hypothesis(ref))

    @magic_arguments(name="%metric")
    @argument("name", nargs="?", help="the metric's name")
    @argument(
        "--goal", choices=["max", "min"], help="whether bigger (max) or smaller (min) is better"
    )
    @argument(
        "--target", type=float, metavar="X", help="the value a run must reach to meet its target"
    )
    @argument(
        "--summary",
        choices=["last", "best", "mean"],
        default="last",
        help="how a run's history becomes one number (default: last)",
    )
    @argument(
        "--store-wide", action="store_true", help="define it for every experiment of the store"
    )
    @argument("-h", "--help", action="store_true", help="show this help")
    @line_magic("metric")
    def metric(self, line: str) -> Any:
        """Define what "better" means for a metric; tables, comparisons and verdicts use it.

        Example::

            %metric acc --goal max --target 0.95 --summary best
        """
        args = parse_argstring(self.metric, line)
        if args.help:
            print(self.metric.parser.format_help())
            return None
        if not args.name or not args.goal:
            raise UsageError(
                "usage: %metric NAME --goal max|min [--target X] [--summary last|best|mean]"
            )
        d = hyp.metric(
            args.name,
            goal=args.goal,
            target=args.target,
            summary=args.summary,
            store_wide=args.store_wide,
        )
        scope = "every experiment" if d.experiment is None else f"experiment {d.experiment!r}"
        target = "" if d.target is None else f", target {d.target:g}"
        print(f"{d.name}: {d.goal} is better (summary: {d.summary}{target}) in {scope}")
        return None


def _hypotheses_table() -> Any:
    frame = hyp.hypotheses()
    if frame.empty:
        print("No hypotheses yet.")
        return None
    columns = [
        "id",
        "statement",
        "metric",
        "expect",
        "verdict",
        "effect",
        "ci_low",
        "ci_high",
        "n_treatment",
        "n_baseline",
        "tested",
        "p_adjusted",
        "confounds",
        "status",
    ]
    return frame[columns].set_index("id")


def register(ip: Any) -> None:
    """Add %hypothesis and %metric to the shell (part of `%load_ext labtrack`)."""
    ip.register_magics(HypothesisMagics(ip))


def unregister(ip: Any) -> None:
    """Remove %hypothesis and %metric (part of `%unload_ext labtrack`)."""
    manager = ip.magics_manager
    magics = manager.registry.pop("HypothesisMagics", None)
    for name in ("hypothesis", "metric"):
        if (
            magics is not None
            and getattr(manager.magics["line"].get(name), "__self__", None) is magics
        ):
            del manager.magics["line"][name]
