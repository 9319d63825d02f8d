"""Do verdicts keep their promise the way notebooks use them? Synthetic studies, seeded (issue 14).

Every study goes through `compute_verdict`, the function `lt.verdict` uses. Runs are normal with
sd 1 (σ), so an effect of 2 is 2σ. "Peeking" is the notebook user of issue 14: one run is added to
each arm at a time, the verdict is looked at after every pair from 2 to 20 a side, and the user
stops at the first "supported". Each row prints the measured figure next to its target.
Run: `.venv/bin/python benchmarks/bench_verdicts.py` (about a minute on one core; `--quick` for
a fifth of the studies).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

import _common  # noqa: F401  # puts src/ on the path
import numpy as np

from labtrack.evidence.multiplicity import adjust
from labtrack.evidence.sequential import DEFAULT_G
from labtrack.evidence.verdicts import Evidence, compute_verdict

SCALE = 0.2 if "--quick" in sys.argv else 1.0
MAX_N = 20


def studies(n: int) -> int:
    return max(100, int(n * SCALE))


def arm(values: np.ndarray, start: int, seeds: bool = False) -> list[Evidence]:
    return [
        Evidence(start + i, "finished", float(v), seed=i if seeds else None)
        for i, v in enumerate(values)
    ]


def verdict(t: np.ndarray, b: np.ndarray, method: str, seeds: bool = False):
    return compute_verdict(arm(t, 1, seeds), arm(b, 1000, seeds), expect="increase", method=method)


def covers(v, truth: float) -> bool:
    return v.ci_low is not None and v.ci_low <= truth <= v.ci_high


@dataclass
class Row:
    figure: str
    method: str
    n_studies: int
    measured: float
    target: str = ""
    ok: bool | None = None


def one_look(effect: float, n: int, method: str, count: int, seed: int) -> tuple[float, float]:
    """Share "supported" and share of intervals covering the true effect, at one look at n a side."""
    rng = np.random.default_rng(seed)
    supported = covered = 0
    for _ in range(count):
        v = verdict(rng.normal(effect, 1.0, n), rng.normal(0.0, 1.0, n), method)
        supported += v.label == "supported"
        covered += covers(v, effect)
    return supported / count, covered / count


def peeking(
    effect: float, method: str, count: int, seed: int, every_look: bool, spread: float = 1.0
) -> tuple[float, float]:
    """Share of peeking users who end "supported", and share whose interval covered the truth at
    every look (only when `every_look`; otherwise users stop at the first "supported")."""
    rng = np.random.default_rng(seed)
    supported = covered = 0
    for _ in range(count):
        t, b = rng.normal(effect, spread, MAX_N), rng.normal(0.0, 1.0, MAX_N)
        ever, always = False, True
        for n in range(2, MAX_N + 1):
            v = verdict(t[:n], b[:n], method)
            ever = ever or v.label == "supported"
            always = always and covers(v, effect)
            if ever and not every_look:
                break
        supported += ever
        covered += always
    return supported / count, covered / count


def family_error(
    method: str, families: int, seed: int, hypotheses: int = 20, n: int = 5
) -> tuple[float, float]:
    """Share of families of null hypotheses (n a side) with at least one "supported", raw and after Holm."""
    rng = np.random.default_rng(seed)
    alpha = 0.05
    raw = holm = 0
    for _ in range(families):
        vs = [verdict(rng.normal(0, 1, n), rng.normal(0, 1, n), method) for _ in range(hypotheses)]
        adjusted = adjust([v.p_value for v in vs], "holm")
        raw += any(v.label == "supported" for v in vs)
        holm += any(
            v.label == "supported" and q is not None and q < alpha for v, q in zip(vs, adjusted)
        )
    return raw / families, holm / families


def paired_power(effect: float, n: int, rho: float, count: int, seed: int) -> tuple[float, float]:
    """Power with and without pairing by seed when a seed's luck is shared with correlation rho."""
    rng = np.random.default_rng(seed)
    paired = unpaired = 0
    for _ in range(count):
        luck = rng.normal(0, 1, n) * np.sqrt(rho)  # the seed's share of the spread, in both arms
        t = effect + luck + rng.normal(0, 1, n) * np.sqrt(1 - rho)
        b = luck + rng.normal(0, 1, n) * np.sqrt(1 - rho)
        paired += verdict(t, b, "sequential", seeds=True).label == "supported"
        unpaired += verdict(t, b, "sequential").label == "supported"
    return paired / count, unpaired / count


def table() -> list[Row]:
    rows: list[Row] = []
    seq, fixed = "sequential", "fixed"
    for n in (5, 10):
        for method, count in ((seq, studies(4000)), (fixed, studies(1500))):
            share, _ = one_look(0.0, n, method, count, seed=n)
            target, ok = ("<= 2.5 %", share <= 0.025) if method == seq else ("2.5 % nominal", None)
            rows.append(
                Row(
                    f"null, one look at {n} a side: false supported",
                    method,
                    count,
                    share,
                    target,
                    ok,
                )
            )
    for method, count in ((seq, studies(3000)), (fixed, studies(800))):
        share, coverage = peeking(0.0, method, count, seed=20, every_look=True)
        ok = share <= 0.025 if method == seq else None
        rows.append(
            Row("null, peeking 2..20 a side: false supported", method, count, share, "<= 2.5 %", ok)
        )
        rows.append(Row("null, peeking: interval covers 0 at every look", method, count, coverage,
                        ">= 95 %", coverage >= 0.95 if method == seq else None))  # fmt: skip
    count = studies(1500)  # the two-sample sequence assumes one spread: how much does 2x cost?
    share, coverage = peeking(0.0, seq, count, seed=21, every_look=True, spread=2.0)
    rows.append(Row("  the same, treatment's spread twice the baseline's", seq, count, share, "<= 2.5 %",
                    share <= 0.025))  # fmt: skip
    rows.append(
        Row("  covering 0 at every look", seq, count, coverage, ">= 95 %", coverage >= 0.95)
    )
    for effect in (1.0, 2.0):
        for n in (5, 10):
            for method, count in ((seq, studies(2000)), (fixed, studies(600))):
                share, coverage = one_look(effect, n, method, count, seed=int(100 * effect) + n)
                target, ok = ("", None)
                if (effect, n, method) == (2.0, 10, seq):
                    target, ok = ">= 60 %", share >= 0.60
                rows.append(
                    Row(
                        f"power at {effect:g}σ, one look at {n} a side",
                        method,
                        count,
                        share,
                        target,
                        ok,
                    )
                )
                if n == 10:
                    target, ok = (
                        (">= 95 %", coverage >= 0.95) if method == seq else ("95 % nominal", None)
                    )
                    rows.append(Row(f"one look at {n} a side, {effect:g}σ: interval covers it", method,
                                    count, coverage, target, ok))  # fmt: skip
    for effect, count in ((2.0, studies(3000)), (1.0, studies(1500))):
        share, _ = peeking(effect, seq, count, seed=300 + int(effect), every_look=False)
        target, ok = (">= 90 %", share >= 0.90) if effect == 2.0 else ("", None)
        rows.append(
            Row(f"power at {effect:g}σ, peeking 2..20 a side", seq, count, share, target, ok)
        )
    for method, families in ((seq, studies(400)), (fixed, studies(150))):
        raw, holm = family_error(method, families, seed=400)
        rows.append(
            Row("20 null hypotheses at 5 a side: any false supported", method, families, raw)
        )
        rows.append(Row("  the same, after Holm", method, families, holm, "<= 5 %", holm <= 0.05))
    for n in (5, 10):
        count = studies(1500)
        paired, unpaired = paired_power(1.0, n, 0.8, count, seed=500 + n)
        rows.append(
            Row(
                f"power at 1σ, {n} seeds a side, seed corr. 0.8: paired",
                "sequential",
                count,
                paired,
            )
        )
        rows.append(Row("  the same, unpaired", "sequential", count, unpaired))
    return rows


def main() -> None:
    started = time.perf_counter()
    rows = table()
    print(f"prior scale g = {DEFAULT_G:g}; 95 % intervals; runs ~ N(effect, 1)\n")
    print(f"{'figure':<58} {'method':<11} {'studies':>7} {'measured':>9}  {'target':<13} ok")
    for r in rows:
        ok = "" if r.ok is None else ("yes" if r.ok else "NO")
        print(
            f"{r.figure:<58} {r.method:<11} {r.n_studies:>7} {100 * r.measured:>8.1f}%  {r.target:<13} {ok}"
        )
    print(f"\n{time.perf_counter() - started:.0f} s", flush=True)
    if any(r.ok is False for r in rows):
        sys.exit("a target was missed")


if __name__ == "__main__":
    main()
