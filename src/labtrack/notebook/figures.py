"""Matplotlib figures a tracked cell makes, kept as PNG artifacts of its run before they are gone:
shown (`plt.show()`, `display(fig)`, the inline backend's flush after the cell), closed
(`fig.savefig(...)` then `plt.close()`), or left open (a non-inline backend such as Agg)."""

from __future__ import annotations

import base64
import contextlib
import re
import sys
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .figure_hooks import AfterImport, BeforeClose

if TYPE_CHECKING:
    from ..tracking.run import Run


class FigureCapture:
    """Keeps the figures a tracked cell makes as PNG artifacts of its run.

    Three ways in, because figures leave early: `save_open()` saves the figures still open when the
    tracked code ends (called before the inline backend's `post_execute` flush closes them); a
    wrapper around IPython's PNG printer for figures keeps a copy of every figure displayed while
    the run is capturing (`plt.show()`, `display(fig)`, the flush itself); and a hook on pyplot's
    closing keeps a figure the cell closes (`savefig` then `plt.close`). When the cell itself first
    imports pyplot, the printer and the hook are set up as that import finishes. Each figure is
    kept once per run, named after its title.
    """

    def __init__(self, shell: Any, on_error: Callable[[str, BaseException], None]):
        self.shell = shell
        self.on_error = on_error
        self.run: Run | None = None
        self._before: dict[int, bool] = {}  # id -> stale, of the figures open when the cell began
        self._saved: dict[int, Any] = {}  # id -> weak ref of a figure kept for the run
        self._saved_for: Any = None  # the run `_saved` belongs to
        self._count = 0
        self._names: dict[int, set[str]] = {}
        self._pyplot_import = AfterImport("matplotlib.pyplot", self._on_pyplot_imported)
        self._closing = BeforeClose(self._on_close)

    def begin(self, run: Run) -> None:
        """Start capturing for `run` (at the start of a tracked cell)."""
        if self._saved_for is not run:  # a run over several cells keeps each figure once
            self._saved, self._saved_for, self._count = {}, run, 0
        self.run = run
        self._before = {}
        if "matplotlib.pyplot" in sys.modules:
            self._before = {id(fig): bool(fig.stale) for fig in _open_figures()}
            self._on_pyplot_imported(None)
        else:
            self._pyplot_import.install()

    def _on_pyplot_imported(self, module: Any) -> None:
        self._pyplot_import.remove()
        if self.run is None:
            return
        if not self.wrap_png_printer() and not self._before and getattr(self.shell, "kernel", None):
            _load_inline_backend()  # the inline backend registers its printer when loaded...
            self.wrap_png_printer()  # ...so that figures shown mid-cell are seen
        self._closing.install()

    def end(self) -> None:
        """Stop capturing (after the cell, once the inline backend has shown its figures)."""
        self.run, self._before = None, {}
        self._pyplot_import.remove()
        self._closing.remove()

    @property
    def count(self) -> int:
        """How many figures were kept for the current run."""
        return self._count

    def save_open(self) -> None:
        """Save the open figures this cell created or changed."""
        if self.run is None or "matplotlib.pyplot" not in sys.modules:
            return
        self._on_close(_open_figures())

    def _on_close(self, figures: list[Any]) -> None:
        """Keep those of `figures` this cell created or changed (about to close, or still open)."""
        for fig in figures:
            key = id(fig)
            if self.run is None or key in self._saved or getattr(fig, "_labtrack_logged", False):
                continue  # kept already, or logged by the cell itself with lt.log_artifact
            if key not in self._before or (not self._before[key] and fig.stale):
                self._keep(fig, None)

    def on_png(self, fig: Any, data: Any) -> None:
        """Called with each figure IPython renders as PNG, and that PNG (base64 text or bytes)."""
        if self.run is None or id(fig) in self._saved or not data:
            return
        if getattr(fig, "_labtrack_logged", False):  # the cell logged it with lt.log_artifact
            return
        if isinstance(data, str) or not data.startswith(b"\x89PNG"):  # IPython sends base64
            data = base64.b64decode(data)
        self._keep(fig, data)

    def _keep(self, fig: Any, png: bytes | None) -> None:
        run = self.run
        if run is None:
            return
        key = id(fig)
        try:  # a weak ref: a closed figure is freed, and its id forgotten with it
            self._saved[key] = weakref.ref(fig, lambda _ref, key=key: self._saved.pop(key, None))
        except TypeError:
            self._saved[key] = lambda fig=fig: fig
        self._count += 1
        try:
            run.log_artifact(png if png is not None else fig, self._name_for(run, fig))
        except Exception as exc:
            self.on_error("save a figure", exc)

    def _name_for(self, run: Run, fig: Any) -> str:
        taken = self._names.setdefault(run.number, set())
        label = slug(figure_title(fig)) or f"figure-{len(taken) + 1}"
        name, n = f"{label}.png", 1
        while name in taken:
            n += 1
            name = f"{label}-{n}.png"
        taken.add(name)
        return name

    # The wrapper goes on IPython's PNG formatter, a public API (`for_type`); it is put back when
    # the inline backend (re)registers its printer, so we check before each tracked cell.
    def wrap_png_printer(self) -> bool:
        """Wrap the PNG printer for figures, if there is one; True when wrapped."""
        formatter = self._png_formatter()
        figure = _figure_class()
        if formatter is None or figure is None:
            return False
        try:
            current = formatter.lookup_by_type(figure)
        except KeyError:
            return False
        if not isinstance(current, _PngPrinter):
            formatter.for_type(figure, _PngPrinter(current, self))
        return True

    def unwrap_png_printer(self) -> None:
        formatter = self._png_formatter()
        figure = _figure_class()
        if formatter is None or figure is None:
            return
        with contextlib.suppress(KeyError):
            current = formatter.lookup_by_type(figure)
            if isinstance(current, _PngPrinter):
                formatter.for_type(figure, current.original)

    def _png_formatter(self) -> Any:
        display_formatter = getattr(self.shell, "display_formatter", None)
        return display_formatter.formatters.get("image/png") if display_formatter else None


class _PngPrinter:
    """IPython's PNG printer for figures, plus a copy for the tracked run."""

    def __init__(self, original: Callable[..., Any], capture: FigureCapture):
        self.original = original
        self.capture = capture

    def __call__(self, fig: Any, *args: Any, **kwargs: Any) -> Any:
        data = self.original(fig, *args, **kwargs)
        try:
            self.capture.on_png(fig, data)
        except Exception as exc:
            self.capture.on_error("save a figure", exc)
        return data


def figure_title(fig: Any) -> str:
    """What a figure is called: its suptitle, else its first axes title, else its label."""
    with contextlib.suppress(Exception):
        suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
        if suptitle.strip():
            return suptitle
        for ax in fig.get_axes():
            for loc in ("center", "left", "right"):
                if ax.get_title(loc).strip():
                    return ax.get_title(loc)
    return str(fig.get_label() or "")


def slug(text: str, limit: int = 80) -> str:
    """A file-name-safe form of a title.

    >>> slug("Confusion matrix (test set)")
    'confusion-matrix-test-set'
    """
    return re.sub(r"[\W_]+", "-", text.lower()).strip("-")[:limit].strip("-")


def _load_inline_backend() -> None:
    """Load pyplot's inline backend now rather than at the first figure, as pyplot would then
    (called only when no figure is open, so switching closes none)."""
    import matplotlib
    import matplotlib.pyplot as plt

    backend = dict.__getitem__(matplotlib.rcParams, "backend")  # no auto-resolution
    if (
        isinstance(backend, str)
        and backend.endswith("inline")
        and "matplotlib_inline.backend_inline" not in sys.modules
    ):
        plt.switch_backend(backend)


def _figure_class() -> Any:
    module = sys.modules.get("matplotlib.figure")
    return getattr(module, "Figure", None)


def _open_figures() -> list[Any]:
    helpers = sys.modules.get("matplotlib._pylab_helpers")
    if helpers is None:
        return []
    return [manager.canvas.figure for manager in helpers.Gcf.get_all_fig_managers()]
