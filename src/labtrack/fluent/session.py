"""The fluent layer's state: the default `Lab`, the stack of active runs and the active hypothesis.

Only the fluent layer touches `_session`; every other module asks through the functions here.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ActiveRunError
from .processes import release_in_child

if TYPE_CHECKING:
    from ..client import HypothesisRecord, Lab
    from ..tracking.run import Run

DEFAULT_EXPERIMENT = "Default"


class _Session:
    """The process's default Lab and its stack of active runs (innermost last)."""

    def __init__(self) -> None:
        self.lab: Lab | None = None
        self.stack: list[Run] = []
        self.experiment: str | None = None
        self.hypothesis_id: int | None = None  # the active hypothesis: new runs link to it
        self.lock = threading.RLock()
        self.inherited: list[Run] = []  # in a forked worker: the parent's runs (see processes.py)
        self.reopen: Any = (
            None  # in a forked worker: the parent's store path, opened anew when needed
        )


_session = _Session()
os.register_at_fork(after_in_child=lambda: release_in_child(_session))


def default_lab() -> Lab:
    """The Lab in use: the one `lt.open` gave, else the store DESIGN §3 finds (created if needed)."""
    lab = _session.lab
    if lab is None:
        with _session.lock:
            if _session.lab is None:
                from ..client import Lab

                _session.lab = Lab.open(_session.reopen)
            lab = _session.lab
    return lab


def open(path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Lab:  # noqa: A001
    """Use the store at `path` (a folder or a .db file) from now on, and return its `Lab`.

    >>> lab = lt.open("/tmp/study/.labtrack")
    """
    from ..client import Lab

    return use(Lab.open(path, create=create))


def store_path() -> Path:
    """The default store's database file, without opening it (for messages)."""
    from ..client import Lab

    lab = _session.lab
    return lab.path if lab is not None else Lab.locate()


def use(lab: Lab, *, close_previous: bool = True) -> Lab:
    """Make `lab` the default for the `lt.*` functions (the one used before is closed, unless
    `close_previous=False`: someone else still holds it)."""
    with _session.lock:
        if _session.stack:
            raise ActiveRunError(
                f"run #{_session.stack[-1].number} is active; end it (lt.end_run()) before switching stores"
            )
        if close_previous and _session.lab is not None and _session.lab is not lab:
            _session.lab.close()
        _session.lab = lab
        _session.hypothesis_id = None
    return lab


def reset() -> None:
    """Forget the default Lab (closing it), the active runs, experiment and hypothesis (for tests)."""
    with _session.lock:
        while _session.stack:
            run = _session.stack.pop()
            if run.active:
                run.end("finished")
        if _session.lab is not None:
            _session.lab.close()
        _session.lab = None
        _session.experiment = None
        _session.hypothesis_id = None
        _session.inherited, _session.reopen = [], None


def set_experiment(name: str | None) -> None:
    """Name the experiment that new runs join (None: LABTRACK_EXPERIMENT, else 'Default')."""
    _session.experiment = name


def default_experiment() -> str:
    return _session.experiment or os.environ.get("LABTRACK_EXPERIMENT") or DEFAULT_EXPERIMENT


def active_run() -> Run | None:
    """The innermost active run, or None."""
    return _session.stack[-1] if _session.stack else None


def enter(run: Run) -> None:
    """Make `run` the innermost active run (the `lt.log` calls of a tracked cell reach it)."""
    with _session.lock:
        _session.stack.append(run)


def leave(run: Run) -> None:
    """Take `run` off the active stack, wherever it is (it is not ended)."""
    with _session.lock:
        if run in _session.stack:
            _session.stack.remove(run)


def active_hypothesis_id() -> int | None:
    return _session.hypothesis_id


def set_active_hypothesis(hypothesis_id: int | None) -> None:
    _session.hypothesis_id = hypothesis_id


def active_hypothesis() -> HypothesisRecord | None:
    """The hypothesis new runs link to, if one is active and still open."""
    from ..client import HypothesisNotFound

    hid = active_hypothesis_id()
    if hid is None:
        return None
    try:
        record = default_lab().get_hypothesis(hid)
    except HypothesisNotFound:  # e.g. another store was opened since
        set_active_hypothesis(None)
        return None
    return record if record.status == "open" else None


def resolve_for_new_run(ref: Any) -> int | None:
    """The hypothesis a new run links to: explicit id, `'none'`/False to opt out, else the active one."""
    if ref is False or (isinstance(ref, str) and ref.strip().lower() == "none"):
        return None
    if ref is None:
        current = active_hypothesis()
        return current.id if current else None
    from ..client import parse_id

    return parse_id(ref)
