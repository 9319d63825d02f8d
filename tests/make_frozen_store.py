"""Build a frozen store for `test_migrations.py`: `tests/data/store-<schema>.db` (+ its artifacts).

    .venv/bin/python tests/make_frozen_store.py          # refuses to overwrite an existing one

The store holds representative data written through the public API of the code that runs the
script: runs of every status (finished, failed, interrupted, crashed, left running, nested), params
of every kind (int, int64 edge, big int, float incl. NaN/±inf/-0.0, text incl. unicode and NUL, bool,
None, nested JSON, repr), metrics with NaN/±inf and explicit steps, tags, artifacts (bytes, text, a
file, a figure, a DataFrame; one shared by two runs), a dataset, an environment, and raw rows for the
tables that have no API yet (hypotheses, hypothesis_runs, metric_definitions). `<schema>` is the
newest migration's prefix (`m001` for `m001_initial`); the artifacts go to
`tests/data/store-<schema>-artifacts/`.

EVERY LATER SCHEMA CHANGE MUST ADD ITS OWN FROZEN STORE: before adding a migration to
`src/labtrack/store/schema.py`, run this script with the code as it is (it writes the store of the
current newest schema, e.g. `store-m002.db`), commit the output, and never regenerate or edit the
files already in `tests/data/`. Then add the migration; `test_migrations.py` opens every frozen
store with the new code and checks, value by value, that nothing was lost. If the spec below grows,
guard the new checks so older frozen stores (which lack the new data) still pass.
"""

from __future__ import annotations

import argparse
import io
import math
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
NAN, INF = math.nan, math.inf

ODD_NAME = 'it\'s "quoted"; DROP TABLE runs; --'
EXPERIMENTS = ("Default", 'étude "β"')

EVERY_PARAM_KIND = {
    "int": 42, "neg_int": -7, "int64_max": 2**63 - 1, "int64_min": -(2**63), "big_int": 2**70,
    "float": 0.01, "nan": NAN, "inf": INF, "neg_inf": -INF, "neg_zero": -0.0, "tiny": 5e-324,
    "str": "rf", "unicode": "ünïcødé λ 🧪", "nul": "a\x00b", "empty": "", "true": True,
    "false": False, "none": None, "list": [64, 32, "relu", None, 1.5],
    "nested": {"layers": [{"units": 64, "act": "relu"}], "dropout": 0.1, "flags": {"bn": True, "x": None}},
    "json_nan": [NAN, INF],
}  # fmt: skip
REPR_PARAM = ("complex", complex(1, 2), "(1+2j)")  # name, value logged, value read back

# name -> (experiment, expected status, params, metric points [(metric, step, value)], tags)
RUNS: dict[str, tuple[str, str, dict, list, dict]] = {
    "baseline": ("Default", "finished", EVERY_PARAM_KIND,
                 [("acc", s, v) for s, v in enumerate([0.5, 0.7, 0.8])] + [("acc", 100, 0.9),
                  ("loss", 0, 0.5), ("loss", 1, 0.3)],
                 {"team": "vision", "note": "it's \"quoted\""}),
    "special floats": ("Default", "finished", {},
                       [("nan_metric", 0, 1.0), ("nan_metric", 1, NAN), ("nan_metric", 2, 3.0),
                        ("pos_inf", 0, INF), ("neg_inf", 0, -INF), ("neg_inf", 1, 0.5),
                        ("all_nan", 0, NAN), ("extremes", 0, 5e-324), ("extremes", 1, -1e308),
                        ("extremes", 2, 1.7976931348623157e308)], {}),
    ODD_NAME: (EXPERIMENTS[1], "failed", {"select": "from", "a.b/c d": 1, ODD_NAME: ODD_NAME},
               [("val/loss", 0, 0.25), (ODD_NAME, 0, 1.5)], {ODD_NAME: "ünï"}),
    "interrupted": ("Default", "interrupted", {"lr": 0.1}, [("acc", 0, 0.1)], {}),
    "parent": ("Default", "finished", {}, [], {}),
    "child": ("Default", "finished", {"fold": 1}, [("acc", 0, 0.6)], {}),
    "crashed": ("Default", "crashed", {"lr": 0.5}, [("acc", s, s / 10) for s in range(5)], {}),
    # Left running by a process that is gone: reads as crashed once opened (stale heartbeat).
    "left running": ("Default", "crashed", {"lr": 0.2}, [("acc", 0, 0.2)], {}),
}  # fmt: skip

FAILED_WITH = ("ValueError", "bad [value] <b>")
RUN_FIELDS = {
    "notebook": "notebooks/explore.ipynb",
    "code": "lr = 0.01\nlt.log(acc=0.9)",
    "execution_count": 7,
}
ENVIRONMENT = {
    "python": "3.11.7",
    "packages": {"numpy": "1.26.4"},
    "git": {"commit": "abc123", "dirty": True},
}
ARTIFACTS = {  # run -> {artifact name: bytes}; "baseline" and "special floats" share weights.bin
    "baseline": {"weights.bin": bytes(range(256)) * 4, "notes.md": "# notes\nünï\n".encode(),
                 "config.yaml": b"lr: 0.01\n", "table.csv": b"a,b\n1,x\n2,y\n"},
    "special floats": {"weights.bin": bytes(range(256)) * 4},
}  # fmt: skip
FIGURE_NAME = (
    "curve.png"  # also an artifact of "baseline" (bytes depend on matplotlib; checked as PNG)
)
DATASET = ("train", {"a": [1, 2, 3], "b": ["x", "y", "z"]})
HYPOTHESIS = ("deeper trees help", "acc", "increase", 0.01, '{"runs": [1]}')
METRIC_DEFINITION = (0, "acc", "max", 0.95, "best")

_CRASHING_CHILD = """
import os, sys
import labtrack as lt
lt.open(sys.argv[1])
run = lt.start_run("crashed", params={"lr": 0.5})
for step in range(5):
    lt.log(step=step, acc=step / 10)
run.store.points.flush()
os._exit(1)  # no run end, no atexit: as a killed kernel leaves it
"""


def schema_prefix() -> str:
    from labtrack.store.schema import MIGRATION_NAMES

    return MIGRATION_NAMES[-1].split("_")[0]


def _log_run(lt, name: str, *, nested: bool = False):
    experiment, _, params, points, tags = RUNS[name]
    run = lt.start_run(
        name, params=params or None, tags=tags or None, experiment=experiment, nested=nested
    )
    for metric, step, value in points:
        run.log_metrics({metric: value}, step)
    return run


def build(folder: Path) -> None:
    """Write the representative store into `folder` (a new `.labtrack` folder)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    import labtrack as lt

    store = lt.open(folder).store
    run = _log_run(lt, "baseline")
    store.update_run(run.number, **RUN_FIELDS, environment_id=store.environment_id(ENVIRONMENT))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lt.log_params(**{REPR_PARAM[0]: REPR_PARAM[1]})
    for name, data in ARTIFACTS["baseline"].items():
        if name == "config.yaml":
            path = Path(tempfile.mkdtemp()) / name
            path.write_bytes(data)
            lt.log_artifact(path)
        elif name == "notes.md":
            lt.log_artifact(data.decode(), name)
        elif name == "table.csv":
            lt.log_artifact(pd.read_csv(io.BytesIO(data)), name, format="csv")
        else:
            lt.log_artifact(data, name)
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1, 2], [0.5, 0.7, 0.8])
    lt.log_artifact(fig, FIGURE_NAME)
    lt.log_dataset(pd.DataFrame(DATASET[1]), DATASET[0])
    lt.end_run()

    _log_run(lt, "special floats")
    lt.log_artifact(ARTIFACTS["special floats"]["weights.bin"], "weights.bin")
    lt.end_run()

    try:
        with lt.run(
            ODD_NAME, params=RUNS[ODD_NAME][2], tags=RUNS[ODD_NAME][4], experiment=RUNS[ODD_NAME][0]
        ) as r:
            for metric, step, value in RUNS[ODD_NAME][3]:
                r.log_metrics({metric: value}, step)
            raise ValueError(FAILED_WITH[1])
    except ValueError:
        pass
    try:
        with lt.run("interrupted", params={"lr": 0.1}):
            lt.log(acc=0.1)
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    parent = _log_run(lt, "parent")
    _log_run(lt, "child", nested=True)
    lt.end_run()
    lt.end_run()

    subprocess.run([sys.executable, "-c", _CRASHING_CHILD, str(folder)], check=False)
    store = lt.open(folder).store  # reopening marks the dead child's run as crashed
    with store.write() as conn:
        conn.execute(
            "INSERT INTO hypotheses (experiment_id, statement, metric, expect, min_effect, baseline, created)"
            " VALUES (1, ?, ?, ?, ?, ?, 1714521600)",
            HYPOTHESIS,
        )
        conn.executemany(
            "INSERT INTO hypothesis_runs (hypothesis_id, run_id, role) VALUES (1, ?, ?)",
            [(1, "baseline"), (parent.number, "treatment")],
        )
        conn.execute(
            "INSERT INTO metric_definitions VALUES (?, ?, ?, ?, ?, 1714521600)", METRIC_DEFINITION
        )
    store.update_run(parent.number, hypothesis_id=1)

    # A run whose process vanished without a trace: left `running`, never ended.
    from labtrack.tracking.run import Run

    experiment, _, params, points, _ = RUNS["left running"]
    number, uuid = store.create_run(experiment, name="left running")
    left = Run(store, number, uuid, "left running", experiment)
    left.log_params(**params)
    for metric, step, value in points:
        left.log_metrics({metric: value}, step)
    store.points.running_runs.discard(number)
    store.close()  # flushes; the run stays `running`


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="overwrite an existing frozen store")
    args = parser.parse_args()
    prefix = schema_prefix()
    target, artifacts = DATA / f"store-{prefix}.db", DATA / f"store-{prefix}-artifacts"
    if target.exists() and not args.force:
        sys.exit(
            f"{target} exists; frozen stores are never regenerated (see this script's docstring)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / ".labtrack"
        build(folder)
        import sqlite3

        conn = sqlite3.connect(folder / "labtrack.db", isolation_level=None)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")
        conn.close()
        DATA.mkdir(exist_ok=True)
        shutil.copyfile(folder / "labtrack.db", target)
        shutil.rmtree(artifacts, ignore_errors=True)
        shutil.copytree(folder / "artifacts", artifacts)
    print(f"wrote {target} and {artifacts}/")


if __name__ == "__main__":
    main()
