"""What else differs between the arms of a hypothesis, and which runs are exact re-runs (issue 14,
items 3 and 5). Pure functions over plain run profiles.

- An exact re-run repeats an earlier run's recorded cell code, params (the seed included) and
  dataset fingerprints; it counts once in the evidence, the newest run standing for the group. A run
  with no recorded code is never called a re-run: nothing shows it ran the same thing.
- Comparability notes list every difference between the arms besides the seed (and tags, where
  repeats are grouped): params, dataset fingerprints, package versions, the cells' code.
- With a named change (`params.dropout`), every other difference of params, data or package
  versions is a confound warning; without one, more than one differing param is a warning.

>>> t = [Profile(1, {"depth": 3, "seed": 0}), Profile(2, {"depth": 3, "seed": 1})]
>>> b = [Profile(3, {"depth": 5, "seed": 0}), Profile(4, {"depth": 5, "seed": 1})]
>>> compare_arms(t, b)
(('params.depth differs: 3 (treatment) vs 5 (baseline)',), ())
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

__all__ = ["Profile", "compare_arms", "drop_reruns", "normalize_change", "rerun_key"]

NOT_COMPARED = frozenset({"seed"})  # params that vary between repeats by design
_SHOWN = 3  # values shown per side before "…"


@dataclass(frozen=True)
class Profile:
    """One run as comparability sees it."""

    run: int
    params: Mapping[str, Any] = field(default_factory=dict)
    code: str | None = None
    datasets: Mapping[str, str] = field(default_factory=dict)  # name -> fingerprint
    packages: Mapping[str, str] = field(default_factory=dict)  # name -> version


class Run(Protocol):
    @property
    def run(self) -> int: ...


R = TypeVar("R", bound=Run)


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=repr)


def rerun_key(code: str | None, params: Mapping[str, Any], datasets: Mapping[str, str]) -> Hashable:
    """The identity of what a run ran, or None when its code was not recorded.

    >>> rerun_key(None, {"seed": 1}, {}) is None
    True
    """
    if code is None:
        return None
    digest = hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest()
    return digest, _text(dict(params)), _text(dict(datasets))


def drop_reruns(
    items: Sequence[R], keys: Mapping[int, Hashable]
) -> tuple[list[R], list[tuple[int, int]]]:
    """`items` with each group of exact re-runs cut to its newest run, and (older, newest) pairs
    for the runs dropped. `keys[run]` is `rerun_key(...)`; None or absent: never a re-run.

    >>> class E:
    ...     def __init__(self, run): self.run = run
    >>> kept, reruns = drop_reruns([E(1), E(2), E(5)], {1: "a", 2: "b", 5: "a"})
    >>> [e.run for e in kept], reruns
    ([2, 5], [(1, 5)])
    """
    newest: dict[Hashable, int] = {}
    for item in items:
        key = keys.get(item.run)
        if key is not None:
            newest[key] = max(newest.get(key, item.run), item.run)
    kept: list[R] = []
    reruns: list[tuple[int, int]] = []
    for item in items:
        key = keys.get(item.run)
        if key is None or newest[key] == item.run:
            kept.append(item)
        else:
            reruns.append((item.run, newest[key]))
    return kept, reruns


def normalize_change(change: str | None) -> str | None:
    """`dropout` -> `params.dropout`; `params.x` and `datasets.x` stay as they are.

    >>> normalize_change("dropout")
    'params.dropout'
    """
    if change is None or not change.strip():
        return None
    change = change.strip()
    return change if change.startswith(("params.", "datasets.")) else f"params.{change}"


def _values(profiles: Sequence[Profile], pick) -> dict[str, set[str]]:
    """Per name, the values the runs hold; "(none)" among them when some run lacks the name."""
    found: dict[str, set[str]] = {}
    holders: dict[str, int] = {}
    for profile in profiles:
        for key, value in pick(profile).items():
            found.setdefault(key, set()).add(value if isinstance(value, str) else _text(value))
            holders[key] = holders.get(key, 0) + 1
    for key, n in holders.items():
        if n < len(profiles):
            found[key].add("(none)")
    return found


def _side(values: set[str]) -> str:
    shown = sorted(values)[:_SHOWN]
    return ", ".join(shown) + (", …" if len(values) > _SHOWN else "")


def _differences(treatment: Sequence[Profile], baseline: Sequence[Profile], pick,
                 skip: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:  # fmt: skip
    """(name, treatment values, baseline values) of every name whose values differ between the arms."""
    t, b = _values(treatment, pick), _values(baseline, pick)
    out = []
    for name in sorted((t.keys() | b.keys()) - skip):
        tv, bv = t.get(name, {"(none)"}), b.get(name, {"(none)"})
        if tv != bv:
            out.append((name, _side(tv), _side(bv)))
    return out


def compare_arms(
    treatment: Sequence[Profile],
    baseline: Sequence[Profile],
    change: str | None = None,
    extra_notes: Sequence[str] = (),
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(notes, confound warnings) about how the arms differ besides the change under test.

    >>> t, b = [Profile(1, {"a": 1, "b": 1})], [Profile(2, {"a": 2, "b": 2})]
    >>> compare_arms(t, b, "params.a")[1]
    ('params.b also differs: 1 (treatment) vs 2 (baseline)',)
    """
    if not treatment or not baseline:
        return tuple(extra_notes), ()
    change = normalize_change(change)
    notes: list[str] = []
    confounds: list[str] = []
    params = _differences(treatment, baseline, lambda p: p.params, NOT_COMPARED)
    for name, tv, bv in params:
        key = f"params.{name}"
        if key == change:
            notes.append(f"{key} is the change under test: {tv} (treatment) vs {bv} (baseline)")
        elif change is not None:
            confounds.append(f"{key} also differs: {tv} (treatment) vs {bv} (baseline)")
        else:
            notes.append(f"{key} differs: {tv} (treatment) vs {bv} (baseline)")
    if change is None and len(params) > 1:
        names = ", ".join(f"params.{name}" for name, _, _ in params)
        confounds.append(
            f"{len(params)} params differ ({names}): the effect cannot be put down to one of them;"
            " name the change under test (--change)"
        )
    if (
        change is not None
        and change.startswith("params.")
        and change not in {f"params.{n}" for n, _, _ in params}
    ):
        confounds.append(f"{change}, the change under test, does not differ between the arms")
    for name, tv, bv in _differences(treatment, baseline, lambda p: p.datasets):
        line = f"dataset {name} differs: fingerprint {tv[:12]} (treatment) vs {bv[:12]} (baseline)"
        (notes if change in (None, f"datasets.{name}") else confounds).append(line)
    shared = set.intersection(*(set(p.packages) for p in [*treatment, *baseline]))
    for name, tv, bv in _differences(
        treatment, baseline, lambda p: {k: v for k, v in p.packages.items() if k in shared}
    ):
        line = f"{name} version differs: {tv} (treatment) vs {bv} (baseline)"
        (notes if change is None else confounds).append(line)
    if _differences(treatment, baseline, lambda p: {"code": p.code} if p.code is not None else {}):
        notes.append("the cells' code differs between the arms (see each run's code)")
    return tuple(notes) + tuple(extra_notes), tuple(confounds)
