"""Why tracking failed, what to do about it, and warning about it once per cause.

A full disk, a read-only store or a file-size limit must never break the user's cell: the failure is
named once (with the fix) — per cell in a notebook, else until the store has been writable again —
and points stay buffered.
"""

from __future__ import annotations

import errno
import signal
import sqlite3
import threading
import warnings
from dataclasses import dataclass

from ..errors import InvalidValue, StoreError, ValueTooLarge


class TrackingWarning(UserWarning):
    """Tracking a cell failed in part; the cell itself ran as usual."""


@dataclass(frozen=True)
class Cause:
    """A kind of tracking failure: `key` groups warnings, `fix` tells the user what to do."""

    key: str
    fix: str

    @property
    def internal(self) -> bool:
        return self.key == "bug"


def cause_of(exc: BaseException, store: str = "the store") -> Cause:
    """Classify a tracking failure.

    >>> cause_of(sqlite3.OperationalError("database or disk is full")).key
    'full'
    """
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if isinstance(exc, (InvalidValue, ValueTooLarge)):
        return Cause("data", "see above for what was skipped and how to record it instead")
    if (
        "readonly" in text
        or "read-only" in text
        or "unable to open" in text
        or isinstance(exc, PermissionError)
        or code in (errno.EROFS, errno.EACCES)
    ):
        return Cause(
            "read-only",
            f"make the store writable ({store}) or set LABTRACK_DIR to a writable folder",
        )
    if (
        "disk is full" in text
        or "no space" in text
        or code in (errno.ENOSPC, errno.EFBIG)
        or "file too large" in text
    ):
        return Cause(
            "full", "free some disk space, or set LABTRACK_DIR to a folder on another disk"
        )
    if "disk i/o error" in text:
        return Cause(
            "io",
            "the disk may be full, over a file-size limit (`ulimit -f`) or failing: free space or raise the limit",
        )
    if "locked" in text:
        return Cause(
            "locked",
            "another process holds the store's write lock; close it, or set LABTRACK_DIR"
            " to another folder",
        )
    if isinstance(exc, (sqlite3.Error, StoreError, OSError)):
        return Cause(
            "store",
            f"check the store at {store} (`labtrack doctor`), or set LABTRACK_DIR to another folder",
        )
    return Cause("bug", "this is a labtrack bug; please report it with this message")


def cannot_write(exc: BaseException) -> bool:
    """True if `exc` says the store cannot be written now (read-only, full, I/O, locked), not that it
    is broken or that the call was wrong."""
    return cause_of(exc).key in ("read-only", "full", "io", "locked")


_lock = threading.Lock()
_active: set[str] = set()  # causes warned about since the store was last written successfully


def warn_once(exc: BaseException, message: str) -> bool:
    """Warn with `message` unless this cause was already reported since the last successful write;
    True if it warned."""
    key = cause_of(exc).key
    key = f"bug:{type(exc).__name__}: {exc}" if key in ("bug", "data") else key
    with _lock:
        if key in _active:
            return False
        _active.add(key)
    warnings.warn_explicit(message, TrackingWarning, "labtrack", 0, module="labtrack")
    return True


def already_reported(exc: BaseException) -> bool:
    """True if a warning about this cause was shown and the store has not recovered since."""
    return cause_of(exc).key in _active


def new_cell() -> None:
    """A notebook cell starts: its failures are news to the user again (once per cause per cell)."""
    with _lock:
        _active.clear()


def recovered() -> None:
    """The store was written again: a new failure deserves a new warning."""
    with _lock:
        _active.difference_update({"read-only", "full", "io", "locked", "store"})


def ignore_file_size_signal() -> None:
    """Past a file-size limit (RLIMIT_FSIZE) the kernel sends SIGXFSZ, whose default action kills the
    process: ignored, write() fails with EFBIG instead and labtrack can keep the points buffered."""
    sig = getattr(signal, "SIGXFSZ", None)
    if sig is None or threading.current_thread() is not threading.main_thread():
        return
    try:
        if signal.getsignal(sig) == signal.SIG_DFL:
            signal.signal(sig, signal.SIG_IGN)
    except (ValueError, OSError):  # an embedding that forbids signal handling
        pass
