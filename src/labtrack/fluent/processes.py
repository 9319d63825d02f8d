"""Worker processes and the parent's run: a forked or spawned worker never writes into, nor ends,
the run of the process that started it; its first `lt.log` says so and what to do instead.

Why not write the worker's points into the parent's run: each worker counts steps from where the
parent was, so workers would overwrite each other's points (silent loss); refusing is honest.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .session import _Session

# The parent's Lab objects, kept referenced in a child: collecting them would close SQLite
# handles the parent still uses (SQLite forbids using a connection across fork).
_inherited_stores: list[Any] = []


def worker_message(run_number: int | None, owner_pid: int | None) -> str:
    """What a worker process is told at its first `lt.log` into a run it does not own.

    >>> worker_message(3, 100).startswith("lt.log was called in a worker process")
    True
    """
    if run_number is None:
        where = "runs started in the parent process are not shared with worker processes"
    else:
        where = (
            f"run #{run_number} belongs to process {owner_pid}, and labtrack does not write a worker's"
            " points into its parent's run (workers would overwrite each other's steps)"
        )
    return (
        f"lt.log was called in a worker process (pid {os.getpid()}): {where}. Return the values from the"
        " worker and log them in the parent (`for acc in pool.map(train, folds): lt.log(acc=acc)`),"
        " or record each worker as a run of its own: `with lt.run('fold'):` inside the worker function"
    )


def is_worker_process() -> bool:
    """True in a multiprocessing child (fork or spawn)."""
    import multiprocessing

    return multiprocessing.parent_process() is not None


def release_in_child(session: _Session) -> None:
    """After fork, in the child: the parent's runs become foreign (logging into them raises, ending
    them does nothing), and the child opens its own store connection if it starts a run."""
    session.lock = threading.RLock()  # another thread may have held it at the fork
    for run in session.stack:
        run.release_to(os.getppid())
    session.inherited = session.stack
    session.stack = []
    if session.lab is not None:
        _inherited_stores.append(session.lab)
        session.reopen = session.lab.path
        session.lab = None
