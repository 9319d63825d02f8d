"""What `%%track` and `%track start` were told, and the run `%track start` keeps open across cells."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .assigned import NamedValues

if TYPE_CHECKING:
    from ..tracking.run import Run
    from .widgets.live import LiveJob


@dataclass
class RunOptions:
    """What `%%track` / `%track start` were told (names given with --params / --metrics are read
    from the user's namespace after the code ran)."""

    name: str | None = None
    hypothesis: int | str | None = None
    params: list[str] = field(default_factory=list)
    metrics: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    given: dict[str, Any] = field(default_factory=dict)  # params known up front (--repeat's seed)
    autolog: bool = True  # --no-autolog: no model settings recorded automatically


@dataclass
class OpenRun:
    """A run started by `%track start`, recording every cell until `%track stop`."""

    run: Run
    options: RunOptions
    started: float
    cells: list[str] = field(default_factory=list)
    live: LiveJob | None = None
    named: NamedValues = field(
        default_factory=NamedValues
    )  # --metrics / --params values at the start
    assigned: set[str] = field(
        default_factory=set
    )  # names assigned by its cells that ran to the end
