"""Exceptions raised by labtrack. Each says what went wrong and how to fix it."""

from __future__ import annotations


class LabtrackError(Exception):
    """Base class of every error labtrack raises on purpose."""


class StoreError(LabtrackError):
    """The store cannot be opened or written as asked."""


class NotALabtrackStore(StoreError):
    """The file exists but is not a labtrack store; nothing in it was changed."""


class StoreTooNew(StoreError):
    """The store was written by a newer labtrack; nothing in it was changed."""


class RunNotFound(LabtrackError, LookupError):
    """No run matches the reference given (number, uuid or name)."""


class ArtifactNotFound(LabtrackError, LookupError):
    """No artifact of the store has that sha256 (or its file is gone)."""


class ActiveRunError(LabtrackError, RuntimeError):
    """A run is already active, or none is when one is needed."""


class FilterError(LabtrackError, ValueError):
    """A filter expression could not be parsed; `position` is the 0-based offset of the problem."""

    def __init__(self, message: str, text: str = "", position: int | None = None):
        self.text = text
        self.position = position
        if position is not None and text:
            start = max(
                0, position - 40
            )  # a window around the problem, so long filters stay readable
            shown = (
                ("..." if start else "")
                + text[start : position + 40]
                + ("..." if position + 40 < len(text) else "")
            )
            pointer = " " * (position - start + (3 if start else 0)) + "^"
            message = f"{message} (at position {position})\n  {shown}\n  {pointer}"
        super().__init__(message)


class ValueTooLarge(LabtrackError, ValueError):
    """A value is too large to store as asked."""


class InvalidValue(LabtrackError, ValueError):
    """A metric or param value cannot be stored as given."""
