"""What `--metrics` and `--params` record: only values the tracked code assigned during the run.

A variable left over from an earlier cell is not this run's value, so it is not recorded (a cell that
fails before `acc = ...` must not record the `acc` of the cell before). The objects bound to the
named variables are noted when the run begins; afterwards a variable counts as assigned when it is
bound to another object, or, for code that ran to its end, when the code assigns it somewhere (a
re-assigned small int can be the very same object). Only the named variables are looked at, so
the cost per cell does not grow with the namespace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..tracking.values import a_kind, param_problem

_UNBOUND = object()


@dataclass
class NamedValues:
    """The objects bound to the names given with --metrics / --params when a run began.

    >>> before = NamedValues.take({"acc": 0.5}, ["acc"])
    >>> before.read({"acc": 0.75}, ["acc"], [], assigned=set, failed=True).metrics
    {'acc': 0.75}
    """

    before: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def take(cls, namespace: dict[str, Any], names: Iterable[str]) -> NamedValues:
        return cls({name: namespace.get(name, _UNBOUND) for name in names})

    def read(
        self,
        namespace: dict[str, Any],
        metrics: list[str],
        params: list[str],
        *,
        assigned: Callable[[], set[str]],
        failed: bool,
    ) -> NamedReport:
        """The values the run assigned to `metrics` and `params`; `assigned()`: the names its code
        (the cells that ran to their end) assigns; `failed`: the code stopped on an exception."""
        report = NamedReport()
        static: set[str] | None = None
        for names, out in ((metrics, report.metrics), (params, report.params)):
            for name in names:
                value = namespace.get(name, _UNBOUND)
                if value is _UNBOUND:
                    report.unassigned.append(name)
                elif value is not self.before.get(name, _UNBOUND):
                    out[name] = value
                else:  # the same object: assigned again (`n = 5`), or left from before?
                    if static is None:
                        static = set() if failed else assigned()
                    if name in static:
                        out[name] = value
                    else:
                        report.unassigned.append(name)
        return report


@dataclass
class NamedReport:
    """What --metrics / --params found: values to record, names not assigned by the run."""

    metrics: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    unassigned: list[str] = field(default_factory=list)

    def skipped(self) -> list[str]:
        """One line per value that cannot be recorded as asked, saying how to record it; those
        values are dropped from `metrics` / `params`."""
        lines = []
        for name, value in list(self.metrics.items()):
            problem = metric_problem(value)
            if problem:
                del self.metrics[name]
                lines.append(f"--metrics {name} is {problem}")
        for name, value in list(self.params.items()):
            problem = param_problem(value)
            if problem:
                del self.params[name]
                lines.append(f"--params {name} is {problem}")
        return lines


def unassigned_message(
    metrics: list[str], params: list[str], unassigned: list[str], *, failed: bool, cell: bool
) -> str:
    """The one warning about names the run did not assign (values from before are not its own)."""
    named = [f"--metrics {n}" for n in metrics if n in unassigned] + [
        f"--params {n}" for n in params if n in unassigned
    ]
    where = "this cell" if cell else "the run's cells"
    when = " before it failed" if failed else ""
    return (
        f"labtrack: {', '.join(named)}: not assigned by {where}{when}; nothing recorded for "
        f"{'it' if len(named) == 1 else 'them'} (a value left from an earlier cell is not this run's)"
    )


def metric_problem(value: Any) -> str | None:
    """Why `value` cannot be a metric's value, with what to do instead; None if it can.

    >>> metric_problem([0.5, 0.7])
    'a list, not a number; nothing recorded for it. Log one number (e.g. lt.log(x=sum(x) / len(x))), or keep the values with lt.log_artifact'
    """
    if isinstance(value, (int, float)) or getattr(value, "shape", None) == ():
        return None  # numbers, numpy scalars, 0-d arrays and tensors
    kind = a_kind(value)
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple):
        kind += f" of shape {shape}"
    elif isinstance(value, (str, bytes)):
        return f"{kind}, not a number; nothing recorded for it. Record text as a param (--params) or a tag"
    else:
        try:
            float(value)
            return None  # Decimal, Fraction...
        except (TypeError, ValueError):
            pass
    return (
        f"{kind}, not a number; nothing recorded for it. Log one number (e.g. lt.log(x=sum(x) / len(x))),"
        " or keep the values with lt.log_artifact"
    )


def failed_line(exc: BaseException, namespace: dict[str, Any]) -> int | None:
    """The line of the cell's top-level code where `exc` stopped it (in the compiled cell's numbering), or None."""
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "<module>" and frame.f_globals is namespace:
            return tb.tb_lineno
        tb = tb.tb_next
    return None
