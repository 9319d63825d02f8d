"""The README's promises: its example runs as written, and every CLI command and option is documented."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import click
import pytest

from labtrack.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_readme_example_runs_as_written_and_sqlite3_shows_its_runs(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "LABTRACK_DIR"}
    done = subprocess.run(
        [sys.executable, "-c", python_blocks()[0]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    db = tmp_path / ".labtrack" / "labtrack.db"
    rows = (
        sqlite3.connect(db)
        .execute('select name, "params.lr" from runs_wide order by number')
        .fetchall()
    )
    assert rows == [("sgd", 0.1), ("sgd", 0.01)]
    if shutil.which("sqlite3"):
        shown = subprocess.run(
            ["sqlite3", str(db), "select * from runs_wide"], capture_output=True, text=True
        )
        assert shown.stdout.count("|sgd|") == 2


def all_commands():
    return cli.commands


@pytest.mark.parametrize("name", sorted(all_commands()))
def test_every_cli_command_and_option_is_in_the_readme(name):
    command: click.Command = all_commands()[name]
    assert f"labtrack {name}" in README, f"README does not show `labtrack {name}`"
    for param in command.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt != "--help":
                assert opt in README, f"README does not mention {opt} of `labtrack {name}`"
