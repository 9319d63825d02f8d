"""Holm and Benjamini-Hochberg adjusted p-values against hand-computed and scipy references."""

from __future__ import annotations

import random

import pytest
from scipy import stats

from labtrack.evidence.multiplicity import adjust, benjamini_hochberg, holm

# By hand: sorted 0.005, 0.01, 0.03, 0.04 (m = 4).
# Holm: 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, 1·0.04 -> max(0.04, 0.06) = 0.06.
# BH:   0.005·4/1 = 0.02, 0.01·4/2 = 0.02, 0.03·4/3 = 0.04, 0.04·4/4 = 0.04 (running min from the top).
P = [0.01, 0.04, 0.03, 0.005]


def test_holm_matches_the_hand_computed_table():
    assert holm(P) == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_benjamini_hochberg_matches_the_hand_computed_table():
    assert benjamini_hochberg(P) == pytest.approx([0.02, 0.04, 0.04, 0.02])


def brute_force_holm(p: list[float]) -> list[float]:
    """Holm by definition: the largest (m - j + 1)·p_(j) over the ranks j up to the p-value's own."""
    m, ordered = len(p), sorted(p)
    return [max(min(1.0, (m - j) * ordered[j]) for j in range(sorted(p).index(x) + 1)) for x in p]


@pytest.mark.parametrize("seed", range(5))
def test_random_families_match_the_references(seed):
    rng = random.Random(seed)
    p = [rng.random() ** 3 for _ in range(rng.randint(1, 30))]
    assert holm(p) == pytest.approx(brute_force_holm(p))
    assert benjamini_hochberg(p) == pytest.approx(
        list(stats.false_discovery_control(p, method="bh"))
    )


def test_untested_hypotheses_stay_none_and_do_not_count():
    assert adjust([0.01, None, 0.04]) == pytest.approx([0.02, None, 0.04])
    assert adjust([None, None]) == [None, None] and adjust([]) == []


@pytest.mark.parametrize(
    ("call", "message"),
    [(lambda: adjust([0.1], "bonferroni"), "method must be 'holm' or 'bh'"),
     (lambda: holm([1.2]), "p-values must be numbers between 0 and 1"),
     (lambda: benjamini_hochberg([float("nan")]), "p-values must be numbers between 0 and 1")],
)  # fmt: skip
def test_bad_input_says_what_is_wrong(call, message):
    with pytest.raises(ValueError, match=message):
        call()
