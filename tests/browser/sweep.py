"""A sweep notebook for the compare tests: N `%%track` cells, each a run whose cell code differs
(its params, and an extra line in some), with a loss history and a single-value `acc`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

SETUP = """%load_ext labtrack
import math
import random

import labtrack as lt

lt.metric("acc", goal="max", store_wide=True)


def fit(lr, width, dropout, seed, steps=25):
    \"\"\"A stand-in for training: a loss curve logged each step; returns the final accuracy.\"\"\"
    rng = random.Random(seed)
    for step in range(steps):
        lt.log(step=step, loss=math.exp(-lr * 40 * (step + 1) / steps) + rng.uniform(0, 0.05))
    return 0.7 + 0.1 * math.log10(width) / 3 - abs(lr - 0.03) - dropout / 4 + rng.uniform(0, 0.02)
"""

OPTIMIZERS = ("adam", "sgd", "rmsprop")
# How many runs the `sweep_lab` store holds.
SWEEP_RUNS = 50


def sweep_cell(i: int) -> str:
    """The code of the `i`-th run: its params differ, every third has dropout, every fifth augments."""
    lines = [
        f"%%track sweep-{i:02d} --metrics acc",
        f"learning_rate_schedule_warmup_steps = {100 * (i % 4)}",
        f"lr = {round(0.005 * (1 + i % 10), 3)}",
        f"width = {2 ** (5 + i % 4)}",
        f"optimizer = {OPTIMIZERS[i % 3]!r}",
    ]
    if i % 3 == 0:
        lines.append(f"dropout = {round(0.1 * (i % 5), 1)}")
    if i % 5 == 0:
        lines.append("augment = True  # flips and crops")
    drop = "dropout" if i % 3 == 0 else "0.0"
    lines.append(f"acc = fit(lr, width, {drop}, seed={i})")
    return "\n".join(lines)


def run_sweep(folder: Path, store: Path, count: int) -> Path:
    """Write and execute the sweep notebook (a real kernel) into `folder`; return its path."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook()
    # named as JupyterLab names it, so opening the notebook does not mark it changed
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.cells = [nbformat.v4.new_code_cell(SETUP)] + [
        nbformat.v4.new_code_cell(sweep_cell(i)) for i in range(count)
    ]
    path = folder / "sweep.ipynb"
    kernel_env = {"LABTRACK_DIR": str(store), "LABTRACK_NOTEBOOK": str(path)}
    saved = {key: os.environ.get(key) for key in kernel_env}
    os.environ.update(kernel_env)  # the kernel inherits this process's environment
    try:
        started = time.perf_counter()
        NotebookClient(
            notebook,
            timeout=180,
            kernel_name="python3",
            resources={"metadata": {"path": str(folder)}},
        ).execute()
        print(f"\nsweep notebook ({count} runs) executed in {time.perf_counter() - started:.1f} s")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    nbformat.write(notebook, path)
    return path
