"""`Lab`'s metric definitions, hypotheses and verdicts (a mixin, so lab.py stays short).

>>> h = lab.hypothesis("More trees", metric="acc", experiment="Default", change="params.trees")
>>> lab.verdict(h).reason
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..store import hypotheses as stored
from ..store.hypotheses import HypothesisRecord, MetricDefinition
from . import evidence
from .baselines import resolve_filter
from .evidence import HypothesisClosed

if TYPE_CHECKING:
    import pandas as pd

    from ..evidence.verdicts import Verdict
    from ..store import Store

__all__ = ["HypothesesMixin"]


class HypothesesMixin:
    """What `Lab` offers about metric definitions, hypotheses and their verdicts."""

    store: Store  # and, from Lab: flush(), run_numbers()

    def metric(
        self,
        name: str,
        *,
        goal: str,
        experiment: str | None,
        target: float | None = None,
        summary: str = "last",
    ) -> MetricDefinition:
        """Define what "better" means for `name` in `experiment` (None: store-wide)."""
        evidence.check_definition(goal, summary)
        definition = MetricDefinition(
            name, goal, None if target is None else float(target), summary, experiment
        )
        stored.put_definition(self.store, definition)
        return definition

    def definitions(self, experiment: str | None = None) -> dict[str, MetricDefinition]:
        """The metric definitions in force for `experiment` (its own, then the store-wide ones)."""
        return stored.definitions(self.store, experiment)

    def summary_values(
        self, numbers: list[int], definition: MetricDefinition
    ) -> dict[int, float | None]:
        """Each run's summary of the defined metric, per its definition (last, best or mean)."""
        self.flush()
        return evidence.summary_values(self.store, numbers, definition)

    def hypothesis(
        self,
        statement: str,
        *,
        metric: str,
        experiment: str,
        expect: str = "increase",
        min_effect: float = 0.0,
        baseline: Any = None,
        change: str | None = None,
    ) -> HypothesisRecord:
        """Record a hypothesis. `baseline`: run refs (list), a filter (str, resolved now within the
        experiment and frozen as a list of runs), or None (the repeat group of the best earlier
        configuration). `change`: what it tests, e.g. "params.dropout" (other differences are
        confounds). Stating an open hypothesis again returns it, with `restated=True`.

        >>> lab.hypothesis("More trees", metric="acc", experiment="Default", change="params.trees")
        """
        from dataclasses import replace

        from ..evidence.comparability import normalize_change

        evidence.check_hypothesis(statement, expect, min_effect)
        same = stored.find_open_hypothesis(
            self.store, experiment, statement.strip(), metric, expect
        )
        if same is not None:
            return replace(same, restated=True)
        spec: dict[str, Any] | None = None
        if isinstance(baseline, str) and not re.fullmatch(r"#?\d+", baseline.strip()):
            runs = resolve_filter(self.store, baseline, experiment, [])  # a bad filter fails now
            spec = {"filter": baseline, "runs": runs}
        elif baseline is not None:
            spec = {"runs": self.run_numbers(baseline)}
        d = self.definitions(experiment).get(metric)
        definition = {"goal": d.goal, "summary": d.summary} if d else {
            "goal": "max" if expect == "increase" else "min", "summary": "last"}  # fmt: skip
        hid = stored.insert_hypothesis(
            self.store, experiment, statement.strip(), metric, expect, float(min_effect), spec,
            normalize_change(change), definition,
        )  # fmt: skip
        for number in (spec or {}).get("runs", []):
            stored.link_run(self.store, hid, number, "baseline")
        return stored.get_hypothesis(self.store, hid)

    def rebase(self, ref: int | str | HypothesisRecord) -> HypothesisRecord:
        """Resolve a hypothesis's baseline filter again (now, within its experiment) and freeze the
        runs it matches; a baseline of named runs or the default one is left as it is.

        >>> lab.rebase("H3").baseline["runs"]
        [1, 2, 7]
        """
        record = ref if isinstance(ref, HypothesisRecord) else self.get_hypothesis(ref)
        if record.status != "open":
            raise HypothesisClosed(f"H{record.id} is closed; its baseline stays as it was judged")
        spec = record.baseline or {}
        if "filter" in spec:
            treatment = self.linked_runs(record.id, "treatment")
            runs = resolve_filter(self.store, spec["filter"], record.experiment, treatment)
            stored.set_baseline(self.store, record.id, {"filter": spec["filter"], "runs": runs})
        return stored.get_hypothesis(self.store, record.id)

    def get_hypothesis(self, ref: int | str) -> HypothesisRecord:
        """One hypothesis by id (3, "3" or "H3")."""
        return stored.get_hypothesis(self.store, evidence.parse_id(ref))

    def hypothesis_records(self) -> list[HypothesisRecord]:
        """Every hypothesis, by id."""
        return stored.list_hypotheses(self.store)

    def linked_runs(self, hypothesis_id: int, role: str = "treatment") -> list[int]:
        """The runs linked to a hypothesis as `treatment` or `baseline`."""
        return stored.linked_runs(self.store, hypothesis_id, role)

    def baseline_runs(self, record: HypothesisRecord) -> list[int]:
        """The runs a hypothesis's verdict takes as its baseline."""
        treatment = self.linked_runs(record.id, "treatment")
        return evidence.baseline_runs(self.store, record, treatment)

    def verdict(self, ref: int | str | HypothesisRecord, *, method: str = "sequential") -> Verdict:
        """The verdict of a hypothesis (frozen if it is closed). `method="fixed"`: Welch's interval,
        valid for one pre-planned look only; the default is anytime-valid.

        >>> lab.verdict("H3", method="fixed").label
        """
        self.flush()
        record = ref if isinstance(ref, HypothesisRecord) else self.get_hypothesis(ref)
        return evidence.verdict_of(self.store, record, method)

    def stated_definition(self, record: HypothesisRecord) -> dict[str, str]:
        """The metric's goal and summary the hypothesis was stated with."""
        return evidence.stated_definition(self.store, record)

    def current_definition(self, record: HypothesisRecord) -> dict[str, str]:
        """The metric's goal and summary in force now (they may differ from the stated ones)."""
        return evidence.current_definition(self.store, record)

    def hypothesis_verdicts(
        self, adjust: str = "holm"
    ) -> list[tuple[HypothesisRecord, Verdict, evidence.Adjusted]]:
        """Every hypothesis with its verdict and its p-value adjusted over the hypotheses its
        experiment has tested (Holm; `adjust="bh"`: Benjamini–Hochberg)."""
        self.flush()
        pairs = [(r, self.verdict(r)) for r in self.hypothesis_records()]
        family = evidence.adjust_family(pairs, adjust)
        return [(r, v, family[r.id]) for r, v in pairs]

    def close_hypothesis(self, ref: int | str, note: str | None = None) -> Verdict:
        """Freeze a hypothesis with its current verdict; it takes no new runs."""
        record = self.get_hypothesis(ref)
        result = self.verdict(record)
        stored.close_hypothesis(self.store, record.id, result.to_dict(), note)
        return result

    def link_run(self, hypothesis_id: int, number: int, role: str = "treatment") -> None:
        stored.link_run(self.store, hypothesis_id, number, role)

    def hypotheses(self, adjust: str = "holm") -> pd.DataFrame:
        """One row per hypothesis with its verdict, the numbers behind it, how many hypotheses its
        experiment has tested and its adjusted p-value (Holm; `adjust="bh"`: Benjamini–Hochberg).

        >>> lab.hypotheses()[["id", "verdict", "tested", "p_adjusted"]]
        """
        import pandas as pd

        from ..present.records import HYPOTHESIS_COLUMNS, hypothesis_row

        rows = [hypothesis_row(r, v, a.to_dict()) for r, v, a in self.hypothesis_verdicts(adjust)]
        frame = pd.DataFrame(rows, columns=HYPOTHESIS_COLUMNS)
        frame["created"] = pd.to_datetime(frame["created"], unit="s", utc=True)
        return frame
