"""evidence/comparability.py: exact re-runs and the differences between the arms, as plain records."""

from __future__ import annotations

import pytest

from labtrack.evidence.comparability import (
    Profile,
    compare_arms,
    drop_reruns,
    normalize_change,
    rerun_key,
)
from labtrack.evidence.verdicts import Evidence


def test_a_rerun_needs_the_same_code_params_and_data():
    key = rerun_key("fit()", {"seed": 1}, {"train": "ab"})
    assert key == rerun_key("fit()", {"seed": 1}, {"train": "ab"})
    assert key != rerun_key("fit() ", {"seed": 1}, {"train": "ab"})
    assert key != rerun_key("fit()", {"seed": 2}, {"train": "ab"})
    assert key != rerun_key("fit()", {"seed": 1}, {"train": "cd"})
    assert rerun_key(None, {"seed": 1}, {}) is None


def test_drop_reruns_keeps_the_newest_of_each_group_in_order():
    items = [Evidence(n, "finished", 0.5) for n in (1, 2, 3, 4)]
    kept, reruns = drop_reruns(items, {1: "a", 2: "b", 3: "a", 4: None})
    assert ([e.run for e in kept], reruns) == ([2, 3, 4], [(1, 3)])


@pytest.mark.parametrize(("given", "expected"), [
    ("dropout", "params.dropout"), ("params.lr", "params.lr"), ("datasets.train", "datasets.train"),
    (" ", None), (None, None),
])  # fmt: skip
def test_normalize_change(given, expected):
    assert normalize_change(given) == expected


def test_data_and_versions_are_notes_without_a_change_and_confounds_with_one():
    t = [Profile(1, {"lr": 0.1}, "a", {"train": "f1"}, {"numpy": "2.0", "only_here": "1"})]
    b = [Profile(2, {"lr": 0.2}, "b", {"train": "f2"}, {"numpy": "1.26"})]
    notes, confounds = compare_arms(t, b)
    assert confounds == () and notes == (
        "params.lr differs: 0.1 (treatment) vs 0.2 (baseline)",
        "dataset train differs: fingerprint f1 (treatment) vs f2 (baseline)",
        "numpy version differs: 2.0 (treatment) vs 1.26 (baseline)",
        "the cells' code differs between the arms (see each run's code)",
    )
    notes, confounds = compare_arms(t, b, "lr")
    assert confounds == (
        "dataset train differs: fingerprint f1 (treatment) vs f2 (baseline)",
        "numpy version differs: 2.0 (treatment) vs 1.26 (baseline)",
    )


def test_a_named_change_that_does_not_differ_is_a_confound():
    t, b = [Profile(1, {"lr": 0.1, "seed": 0})], [Profile(2, {"lr": 0.1, "seed": 1})]
    assert compare_arms(t, b, "params.lr") == (
        (),
        ("params.lr, the change under test, does not differ between the arms",),
    )
    assert compare_arms(t, b) == ((), ())  # the seed is never a difference


def test_a_param_some_runs_lack_counts_as_a_value():
    t = [Profile(1, {"depth": 3}), Profile(2, {})]
    b = [Profile(3, {"depth": 3}), Profile(4, {"depth": 3})]
    assert compare_arms(t, b)[0] == ("params.depth differs: (none), 3 (treatment) vs 3 (baseline)",)
