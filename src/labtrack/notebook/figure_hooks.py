"""Two small hooks that let a tracked cell see figures before they are gone, installed only while a
tracked cell runs: one runs a callback once a module (pyplot) is first imported, the other runs a
callback just before pyplot closes figures (`plt.close`, the inline backend's close after `show`).
"""

from __future__ import annotations

import contextlib
import importlib.abc
import sys
from collections.abc import Callable
from typing import Any


class AfterImport(importlib.abc.MetaPathFinder):
    """Calls `callback(module)` once `name` has been imported, when the cell imports it itself.

    >>> hook = AfterImport("matplotlib.pyplot", print); hook.install(); ...; hook.remove()
    """

    def __init__(self, name: str, callback: Callable[[Any], None]):
        self.name = name
        self.callback = callback

    def install(self) -> None:
        if self not in sys.meta_path:
            sys.meta_path.insert(0, self)

    def remove(self) -> None:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        for finder in sys.meta_path:  # the finder that would have found it, without us
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _NotifyingLoader(spec.loader, self.callback)
                return spec
        return None


class _NotifyingLoader(importlib.abc.Loader):
    """A module's own loader, then the callback (which never fails the import)."""

    def __init__(self, loader: Any, callback: Callable[[Any], None]):
        self.loader = loader
        self.callback = callback

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self.loader.exec_module(module)
        with contextlib.suppress(Exception):
            self.callback(module)

    def __getattr__(self, name: str) -> Any:  # get_source, is_package...: the real loader's
        return getattr(self.loader, name)


class BeforeClose:
    """Calls `callback(figures)` with the figures pyplot is about to close, while installed
    (pyplot's figure registry, `Gcf`, has no close event of its own for non-GUI backends)."""

    def __init__(self, callback: Callable[[list[Any]], None]):
        self.callback = callback
        self._originals: dict[str, Any] | None = None

    def install(self) -> bool:
        """Hook pyplot's registry if pyplot is loaded; True when hooked."""
        helpers = sys.modules.get("matplotlib._pylab_helpers")
        if helpers is None or self._originals is not None:
            return self._originals is not None
        gcf = helpers.Gcf
        originals = {name: gcf.__dict__[name] for name in ("destroy", "destroy_all")}
        notify = self._notify

        def destroy(cls: Any, num: Any) -> None:
            manager = num if hasattr(num, "canvas") else cls.figs.get(num)
            notify([manager] if manager is not None else [])
            originals["destroy"].__func__(cls, num)

        def destroy_all(cls: Any) -> None:
            notify(list(cls.figs.values()))
            originals["destroy_all"].__func__(cls)

        gcf.destroy, gcf.destroy_all = classmethod(destroy), classmethod(destroy_all)
        self._originals = originals
        self._gcf = gcf
        return True

    def remove(self) -> None:
        if self._originals is not None:
            for name, original in self._originals.items():
                setattr(self._gcf, name, original)
            self._originals = None

    def _notify(self, managers: list[Any]) -> None:
        figures = [m.canvas.figure for m in managers if getattr(m, "canvas", None) is not None]
        if figures:
            with contextlib.suppress(Exception):  # closing a figure must work whatever happens here
                self.callback(figures)
