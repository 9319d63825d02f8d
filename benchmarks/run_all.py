"""Run every benchmark (`make bench`) and print ONE table: labtrack, MLflow (or the reference), the
ratio and the target, for every figure the README quotes. Each benchmark's own detailed output goes
to a log file (its path is printed). `--quick` runs smaller sizes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

here = Path(__file__).resolve().parent
HEADERS = ("what", "labtrack", "MLflow / reference", "ratio", "target")


def main() -> None:
    began = time.perf_counter()
    logs = Path(tempfile.mkdtemp(prefix="labtrack-bench-logs-"))
    rows_file = logs / "rows.jsonl"
    env = {**os.environ, "LABTRACK_BENCH_ROWS": str(rows_file)}
    failed = []
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    for script in sorted(here.glob("bench_*.py")):
        log = logs / f"{script.stem}.log"
        t0 = time.perf_counter()
        with log.open("wb") as out:
            code = subprocess.run(
                [sys.executable, str(script), *sys.argv[1:]],
                cwd=here,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            ).returncode
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        print(
            f"{script.name:<20} {time.perf_counter() - t0:6.1f} s  {status}  log: {log}", flush=True
        )
        if code:
            failed.append(script.name)
    rows = (
        [tuple(json.loads(line)) for line in rows_file.read_text().splitlines()]
        if rows_file.exists()
        else []
    )
    widths = [max(len(str(r[i])) for r in [HEADERS, *rows]) for i in range(5)]
    print(
        f"\n## labtrack vs MLflow, measured on this machine ({os.cpu_count()} cores, load"
        f" {load:.1f} at start, {time.perf_counter() - began:.0f} s in all)"
    )
    for row in [HEADERS, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |")
    if failed:
        sys.exit(f"benchmarks failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
