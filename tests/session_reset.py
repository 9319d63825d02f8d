"""Resetting labtrack's process-wide session between tests (imported by conftest and test modules;
a module of its own because `from conftest import ...` is ambiguous with tests/browser/conftest.py)."""

from __future__ import annotations

import contextlib

from labtrack import api


def reset_session() -> None:
    """Forget the process's store and active runs (as a fresh interpreter would have none)."""
    while api._session.stack:
        run = api._session.stack.pop()
        with contextlib.suppress(Exception):
            run.end("finished")
    if api._session.store is not None:
        with contextlib.suppress(Exception):
            api._session.store.close()
    api._session.store = None
    api._session.experiment = None
    api._session.hypothesis_id = None
