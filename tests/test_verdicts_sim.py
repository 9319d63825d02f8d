"""The notebook user of issue 14, simulated: a few hundred seeded studies through `compute_verdict`.

The user adds one run to each arm at a time, looks at the verdict after every pair from 2 to 20 a
side and stops at the first "supported". benchmarks/bench_verdicts.py measures the same figures
with thousands of studies; here they are checked with a margin.
"""

from __future__ import annotations

import random

import pytest

from labtrack.evidence.verdicts import Evidence, compute_verdict


def study(effect: float, rng: random.Random, n: int = 20) -> tuple[list[Evidence], list[Evidence]]:
    treatment = [Evidence(i, "finished", rng.gauss(effect, 1.0)) for i in range(1, n + 1)]
    baseline = [Evidence(100 + i, "finished", rng.gauss(0.0, 1.0)) for i in range(1, n + 1)]
    return treatment, baseline


def peeking_user_ends_supported(effect: float, method: str, rng: random.Random) -> bool:
    treatment, baseline = study(effect, rng)
    return any(
        compute_verdict(treatment[:n], baseline[:n], expect="increase", method=method).label
        == "supported"
        for n in range(2, 21)
    )  # any() stops at the first "supported", as the user does


def share(outcomes: list[bool]) -> float:
    return sum(outcomes) / len(outcomes)


def test_peeking_at_a_change_that_does_nothing_rarely_ends_supported():
    rng = random.Random(1)
    assert share([peeking_user_ends_supported(0.0, "sequential", rng) for _ in range(400)]) <= 0.025


def test_the_fixed_look_interval_is_fooled_by_peeking_which_is_why_it_is_not_the_default():
    rng = random.Random(2)
    assert share([peeking_user_ends_supported(0.0, "fixed", rng) for _ in range(150)]) > 0.05


def test_peeking_at_a_two_sigma_change_finds_it():
    rng = random.Random(3)
    assert share([peeking_user_ends_supported(2.0, "sequential", rng) for _ in range(300)]) >= 0.90


@pytest.mark.parametrize(("effect", "at_least", "at_most"), [(2.0, 0.60, 1.0), (0.0, 0.0, 0.025)])
def test_one_look_at_ten_runs_a_side(effect, at_least, at_most):
    rng = random.Random(4)
    labels = [compute_verdict(*study(effect, rng, 10), expect="increase").label for _ in range(300)]
    assert at_least <= share([label == "supported" for label in labels]) <= at_most
