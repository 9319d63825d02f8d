"""Fill a store fast through the public Python API, for the panel's speed tests.

python tests/browser/fill_store.py STORE --runs 10000 --long 20 --steps 10000
"""

from __future__ import annotations

import argparse
import math
import random
import time

import labtrack as lt

MODELS = ("logreg", "rf", "gbm", "mlp", "svm")


def fill_many(runs: int, seed: int = 7) -> None:
    """`runs` finished runs, 20 params and 5 metrics each, over 5 experiments."""
    rng = random.Random(seed)
    for i in range(runs):
        params = {f"p{k:02d}": rng.choice((1, 2, 4, 8)) * 10 ** -(k % 4) for k in range(16)}
        params.update(
            model=MODELS[i % 5], depth=rng.randint(2, 12), lr=10 ** rng.uniform(-4, -1), seed=i
        )
        with lt.run(f"sweep-{i}", params=params, experiment=f"sweep-{i % 5}"):
            acc = 0.6 + 0.35 * rng.random()
            lt.log(
                acc=acc,
                loss=1 - acc + rng.random() * 0.05,
                f1=acc - 0.02,
                auc=min(1.0, acc + 0.03),
                epoch_time=rng.uniform(0.5, 3),
            )


def fill_long(runs: int, steps: int) -> None:
    """`runs` runs with `steps` points of two metrics each (training curves)."""
    for r in range(runs):
        with lt.run(
            f"long-{r}",
            params={"lr": 0.001 * (r + 1), "width": 64 * (1 + r % 4)},
            experiment="long",
        ):
            rate = 0.0004 * (1 + r / 10)
            for s in range(steps):
                lt.log(
                    step=s,
                    loss=math.exp(-rate * s) + 0.02 * math.sin(s / 50 + r),
                    acc=1 - 0.9 * math.exp(-rate * s),
                )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--long", type=int, default=20)
    parser.add_argument("--steps", type=int, default=10_000)
    args = parser.parse_args()
    lt.open(args.store)
    started = time.perf_counter()
    fill_long(args.long, args.steps)
    fill_many(args.runs)
    print(f"filled {args.runs + args.long} runs in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
