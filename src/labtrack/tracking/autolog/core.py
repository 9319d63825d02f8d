"""Autolog's core: which libraries it patches, the import hook that patches them when they are
imported (before or after labtrack), the switch (`lt.autolog`), and failing soft.

It imports no ML library: an integration module (`sklearn.py`, ...) loads only once its library has.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.util
import inspect
import os
import sys
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..run import Run


class AutologWarning(UserWarning):
    """A library's fit went on, but autolog could not record all of it."""


@dataclass(frozen=True)
class Integration:
    """One library autolog knows: the modules whose import patches it and the versions it supports."""

    name: str
    package: str  # the top-level module, whose __version__ is checked
    triggers: tuple[str, ...]  # importing any of these (re)applies the patch
    supported: tuple[tuple[int, ...], tuple[int, ...]]  # [lowest, first unsupported)
    module: str  # labtrack's integration module, loaded only when the library is


INTEGRATIONS: dict[str, Integration] = {
    i.name: i
    for i in (
        Integration(
            "sklearn",
            "sklearn",
            ("sklearn.base", "sklearn.model_selection._validation"),
            ((1, 3), (1, 10)),
            "sklearn",
        ),
        Integration("lightgbm", "lightgbm", ("lightgbm",), ((4, 0), (5,)), "lightgbm"),
        Integration("xgboost", "xgboost", ("xgboost",), ((2, 0), (4,)), "xgboost"),
        Integration("keras", "keras", ("keras",), ((3, 0), (4,)), "keras"),
        Integration("optuna", "optuna", ("optuna",), ((3, 0), (6,)), "optuna"),
    )
}
_TRIGGERS = {module: i for i in INTEGRATIONS.values() for module in i.triggers}


@dataclass
class Patch:
    """One attribute replaced on a class or module, and how to put it back."""

    owner: Any
    name: str
    original: Any
    owned: bool  # the attribute was in owner.__dict__ (else it was inherited: delete to undo)


@dataclass
class _State:
    enabled: bool = False
    disabled: set[str] = field(
        default_factory=set
    )  # libraries turned off by lt.autolog(disable=...)
    patches: dict[str, list[Patch]] = field(default_factory=dict)  # library -> its patches
    off_runs: set[str] = field(default_factory=set)  # uuids of runs started with --no-autolog
    warned: set[tuple] = field(default_factory=set)
    unloaded: bool = False  # turned off by %unload_ext (so %load_ext turns it on again)
    active_run: Callable[[], Run | None] = lambda: None
    depth: int = 0  # fits in progress: a fit inside another (a search's, a trial's) records nothing
    library_fits: int = (
        0  # LightGBM/XGBoost estimator fits in progress: scikit-learn records nothing
    )
    lock: threading.RLock = field(default_factory=threading.RLock)


_state = _State()


def autolog(enable: bool = True, *, disable: Iterable[str] = ()) -> None:
    """Turn autolog on (all supported libraries but `disable`) or off. It is on by default; it records
    only while a run is active and never starts a run of its own (search candidates and Optuna
    trials become child runs of the active run).

    >>> lt.autolog(disable=["xgboost"])   # everything but XGBoost
    >>> lt.autolog(False)                 # nothing
    """
    unknown = sorted(set(disable) - set(INTEGRATIONS))
    if unknown:
        raise ValueError(
            f"autolog knows no library {', '.join(map(repr, unknown))}; "
            f"choose from: {', '.join(INTEGRATIONS)}"
        )
    with _state.lock:
        _state.unloaded = False
        if not enable:
            _switch_off()
            return
        _state.disabled = set(disable)
        _state.enabled = True
        for name in list(_state.patches):
            if name in _state.disabled:
                _undo(name)
        _install_hook()
        _patch_loaded()


def install(active_run: Callable[[], Run | None]) -> None:
    """At `import labtrack`: learn where the active run is, and turn autolog on unless
    LABTRACK_AUTOLOG=0 (cheap: a finder on sys.meta_path, and patches for libraries already loaded)."""
    _state.active_run = active_run
    if os.environ.get("LABTRACK_AUTOLOG", "1").strip().lower() in ("0", "false", "no", "off"):
        return
    autolog(True)


def on_load_extension() -> None:
    """`%load_ext labtrack` after `%unload_ext labtrack` turns autolog back on."""
    if _state.unloaded:
        autolog(True, disable=_state.disabled)


def on_unload_extension() -> None:
    """`%unload_ext labtrack` undoes every patch."""
    with _state.lock:
        was_on = _state.enabled
        _switch_off()
        _state.unloaded = was_on


def skip_run(run: Run) -> None:
    """Record nothing automatically into `run` (`%%track --no-autolog`)."""
    _state.off_runs.add(run.uuid)


def is_patched(library: str) -> bool:
    """Whether `library`'s patches are in place (for tests and `%track status`)."""
    return bool(_state.patches.get(library))


def _switch_off() -> None:
    _state.enabled = False
    for name in list(_state.patches):
        _undo(name)
    _remove_hook()


# -- recording: who records, and failing soft -----------------------------------------------
def recording_run(library: str) -> Run | None:
    """The run a top-level fit of `library` records into now, or None (off, no run, or nested fit)."""
    if not _state.enabled or _state.depth or library in _state.disabled:
        return None
    run = _state.active_run()
    if run is None or getattr(run, "number", None) is None or run.uuid in _state.off_runs:
        return None  # no run, or a cell whose tracking failed (a stand-in without a number)
    return run


@contextlib.contextmanager
def outer_fit() -> Iterator[None]:
    """While this block runs, fits started inside it (in any thread) record nothing."""
    with _state.lock:
        _state.depth += 1
    try:
        yield
    finally:
        with _state.lock:
            _state.depth -= 1


@contextlib.contextmanager
def library_fit() -> Iterator[None]:
    """While a LightGBM or XGBoost estimator fits, the scikit-learn helpers it uses record nothing."""
    with _state.lock:
        _state.library_fits += 1
    try:
        yield
    finally:
        with _state.lock:
            _state.library_fits -= 1


def guard(
    library: str, step: str, func: Callable[..., Any], *args: Any, run: Run | None = None
) -> Any:
    """Call `func`; if it fails, warn once (per run, library and step) and return None."""
    try:
        return func(*args)
    except Exception as exc:  # autolog never breaks the user's fit
        where = f" in run #{run.number}" if run is not None else ""
        warn_once(
            (run.uuid if run is not None else None, library, step),
            f"labtrack autolog ({library}) could not {step}{where} ({type(exc).__name__}: {exc}); "
            "the fit went on and its result is unchanged. If it persists, turn this library off "
            f"with lt.autolog(disable=[{library!r}]) and report it.",
        )
        return None


def warn_once(key: tuple, message: str) -> None:
    """Warn with `message` the first time `key` is seen in this process."""
    if key in _state.warned:
        return
    _state.warned.add(key)
    warnings.warn(message, AutologWarning, stacklevel=3)


# -- patching ----------------------------------------------------------------------------
def replace(library: str, owner: Any, name: str, make: Callable[[Any], Any]) -> None:
    """Replace `owner.name` with `make(original)`, remembered under `library` to undo later."""
    original = getattr(owner, name)
    if getattr(original, "__labtrack_autolog__", False):
        return  # patched already (a second trigger module)
    wrapped = make(original)
    wrapped.__labtrack_autolog__ = True
    owned = name in getattr(owner, "__dict__", {})
    raw = owner.__dict__[name] if owned else original
    setattr(owner, name, wrapped)
    _state.patches.setdefault(library, []).append(Patch(owner, name, raw, owned))


def _undo(library: str) -> None:
    for patch in reversed(_state.patches.pop(library, [])):
        with contextlib.suppress(Exception):
            if patch.owned:
                setattr(patch.owner, patch.name, patch.original)
            else:
                delattr(patch.owner, patch.name)


def _patch_loaded() -> None:
    """Patch the supported libraries that are imported already."""
    for module, integration in _TRIGGERS.items():
        if module in sys.modules:
            _apply(integration, module)


def _apply(integration: Integration, module: str) -> None:
    """Patch `integration` after `module` was imported (once its version is known to be supported)."""
    if not _state.enabled or integration.name in _state.disabled:
        return
    version = getattr(sys.modules.get(integration.package), "__version__", None)
    if not _supported(integration, version):
        low, high = (".".join(map(str, v)) for v in integration.supported)
        warn_once(
            ("version", integration.name),
            f"labtrack autolog supports {integration.package} >={low},<{high}; this is {version}, so "
            f"autolog stays off for it (upgrade labtrack, or pin {integration.package} in that range).",
        )
        return
    try:
        code = importlib.import_module(f"{__package__}.{integration.module}")
        with _state.lock:
            code.patch(module)
    except Exception as exc:  # never a crash at import
        _undo(integration.name)
        warn_once(
            ("patch", integration.name),
            f"labtrack autolog could not hook into {integration.package} {version} "
            f"({type(exc).__name__}: {exc}); autolog stays off for it.",
        )


def _supported(integration: Integration, version: str | None) -> bool:
    numbers = parse_version(version)
    low, high = integration.supported
    return numbers is not None and low <= numbers < high


def parse_version(text: str | None) -> tuple[int, ...] | None:
    """The leading release numbers of a version string.

    >>> parse_version("1.10.dev0")
    (1, 10)
    """
    if not text:
        return None
    numbers = []
    for part in str(text).split("."):
        digits = ""
        for char in part:
            if not char.isdigit():
                break
            digits += char
        if not digits:
            break
        numbers.append(int(digits))
        if len(digits) != len(part):
            break
    return tuple(numbers) or None


# -- the import hook ---------------------------------------------------------------------
class _PatchAfterImport:  # a sys.meta_path finder (importlib.abc is not imported: import labtrack stays light)
    """Lets the usual finders find a watched module, then patches it right after it has run."""

    def __init__(self) -> None:
        self._finding = threading.local()

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        integration = _TRIGGERS.get(fullname)
        if integration is None or getattr(self._finding, "name", None) == fullname:
            return None
        self._finding.name = fullname  # the lookup below must not find us again
        try:
            spec = importlib.util.find_spec(fullname)
        except Exception:
            return None
        finally:
            self._finding.name = None
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _PatchingLoader(spec.loader, integration, fullname)
        return spec


class _PatchingLoader:
    """The module's own loader, plus the patch once the module has run."""

    def __init__(self, loader: Any, integration: Integration, fullname: str):
        self._loader = loader
        self._integration = integration
        self._fullname = fullname

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        # Put the real loader back first: the module's code and importlib.resources see their own.
        module.__loader__ = self._loader
        if getattr(module, "__spec__", None) is not None:
            module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        _apply(self._integration, self._fullname)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)


_hook = _PatchAfterImport()


def _install_hook() -> None:
    if _hook not in sys.meta_path:
        sys.meta_path.insert(0, _hook)


def _remove_hook() -> None:
    with contextlib.suppress(ValueError):
        sys.meta_path.remove(_hook)


def wrap_train(library: str, train: Any, prepare: Any, record: Any) -> Any:
    """A boosting library's `train` that records into the active run: `prepare(signature, run, args,
    kwargs)` records the params and returns (args, kwargs, passed) with the metric callback added;
    `record(run, booster, passed)` records what training resolved. Outside a run, `train` as is."""
    signature = inspect.signature(train)

    @functools.wraps(train)
    def train_recorded(*args: Any, **kwargs: Any) -> Any:
        run = recording_run(library)
        if run is None:
            return train(*args, **kwargs)
        call = guard(
            library, "read the training's arguments", prepare, signature, run, args, kwargs, run=run
        )
        if call is None:
            return train(*args, **kwargs)
        args, kwargs, passed = call
        with outer_fit():
            booster = train(*args, **kwargs)
        guard(library, "record the trained booster", record, run, booster, passed, run=run)
        return booster

    return train_recorded
