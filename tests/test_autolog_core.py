"""Autolog's switch, its import hook (library imported before or after labtrack), failing soft,
and versions outside the supported range. Import-order cases run in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import tomllib
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

import labtrack as lt
from labtrack.tracking.autolog import core

ROOT = Path(__file__).resolve().parents[1]
X, Y = make_classification(n_samples=80, random_state=0)
FIT = (
    "from sklearn.linear_model import LogisticRegression\nfrom sklearn.datasets import make_classification\n"
    "X, y = make_classification(80, random_state=0)\n"
)


@pytest.fixture(autouse=True)
def autolog_on(store_dir):
    lt.autolog()
    yield
    lt.autolog()


def script(code: str, tmp_path: Path, **env: str) -> str:
    """Run `code` in a fresh interpreter with a store in tmp_path; return its stdout."""
    import os

    environ = {**os.environ, "LABTRACK_DIR": str(tmp_path / ".labtrack"), **env}
    done = subprocess.run(
        [sys.executable, "-W", "error::UserWarning", "-c", code],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("order", ["labtrack first", "sklearn first"])
def test_the_library_is_patched_whether_imported_before_or_after_labtrack(tmp_path, order):
    first, second = (
        ("import labtrack as lt\n", FIT)
        if order == "labtrack first"
        else (FIT, "import labtrack as lt\n")
    )
    out = script(
        first + second + "with lt.run() as r:\n    LogisticRegression(C=3.0).fit(X, y)\n"
        "print(lt.get_run(r.number).params['C'])",
        tmp_path,
    )
    assert out == "3.0"


def test_importing_labtrack_imports_no_ml_library(tmp_path):
    out = script(
        "import sys, labtrack\nprint(sorted({'sklearn', 'lightgbm', 'xgboost', 'keras', 'optuna', 'jax'}"
        " & set(sys.modules)))",
        tmp_path,
    )
    assert out == "[]"


def test_labtrack_autolog_0_turns_it_off(tmp_path):
    out = script(
        "import labtrack as lt\n"
        + FIT
        + "with lt.run() as r:\n    LogisticRegression().fit(X, y)\n"
        "print(lt.get_run(r.number).params)",
        tmp_path,
        LABTRACK_AUTOLOG="0",
    )
    assert out == "{}"


def test_autolog_false_undoes_every_patch_and_true_brings_them_back(store_dir):
    patched = LogisticRegression.fit
    lt.autolog(False)
    assert LogisticRegression.fit is not patched and not core.is_patched("sklearn")
    assert core._hook not in sys.meta_path
    with lt.run() as run:
        LogisticRegression().fit(X, Y)
    assert lt.get_run(run.number).params == {}
    lt.autolog()
    assert core.is_patched("sklearn") and getattr(
        LogisticRegression.fit, "__labtrack_autolog__", False
    )


def test_unload_ext_undoes_the_patches_and_load_ext_restores_them(ip):
    lt.unload_ipython_extension(
        ip
    )  # what %unload_ext labtrack calls (the fixture loaded it directly)
    assert not core.is_patched("sklearn") and core._hook not in sys.meta_path
    lt.load_ipython_extension(ip)
    assert core.is_patched("sklearn")


def test_an_unknown_library_name_says_which_exist(store_dir):
    with pytest.raises(
        ValueError, match="autolog knows no library 'sklaern'; choose from: sklearn, lightgbm"
    ):
        lt.autolog(disable=["sklaern"])


def test_a_version_outside_the_range_warns_once_and_leaves_that_library_off(store_dir, monkeypatch):
    lt.autolog(False)
    old = core.INTEGRATIONS["sklearn"]
    monkeypatch.setitem(
        core.INTEGRATIONS,
        "sklearn",
        core.Integration("sklearn", "sklearn", old.triggers, ((0, 1), (0, 2)), "sklearn"),
    )
    monkeypatch.setattr(core, "_TRIGGERS", {m: core.INTEGRATIONS["sklearn"] for m in old.triggers})
    core._state.warned.discard(("version", "sklearn"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lt.autolog()
        lt.autolog()
    said = [str(w.message) for w in caught if issubclass(w.category, core.AutologWarning)]
    assert (
        len(said) == 1
        and "supports sklearn >=0.1,<0.2; this is" in said[0]
        and "stays off" in said[0]
    )
    assert not core.is_patched("sklearn")
    monkeypatch.undo()
    core._state.warned.discard(("version", "sklearn"))


def test_a_failure_inside_autolog_is_one_warning_and_the_fit_goes_on(store_dir, monkeypatch):
    from labtrack.tracking.autolog import sklearn as integration

    def broken(*args):
        raise OSError("disk on fire")

    monkeypatch.setattr(integration, "record_result", broken)
    with lt.run() as run, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        models = [LogisticRegression().fit(X, Y) for _ in range(3)]
    assert all(m.coef_.shape == (1, 20) for m in models)
    said = [
        str(w.message) for w in caught if "could not" in str(w.message)
    ]  # (the refit notice aside)
    assert said == [
        f"labtrack autolog (sklearn) could not record the fit in run #{run.number} (OSError: disk on "
        "fire); the fit went on and its result is unchanged. If it persists, turn this library off "
        "with lt.autolog(disable=['sklearn']) and report it."
    ]


def test_the_fits_own_exception_is_unchanged(store_dir):
    with pytest.raises(ValueError, match="Input X contains NaN"), lt.run():
        LogisticRegression().fit([[float("nan")]] * 4, [0, 1, 0, 1])


def test_version_parsing():
    assert core.parse_version("1.10.dev0") == (1, 10)
    assert core.parse_version("3.2.0rc1") == (3, 2, 0)
    assert core.parse_version("unknown") is None


def test_the_autolog_extra_pins_the_supported_ranges():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["autolog"]
    names = {"sklearn": "scikit-learn"}
    expected = []
    for integration in core.INTEGRATIONS.values():
        low, high = (".".join(map(str, v)) for v in integration.supported)
        expected.append(f"{names.get(integration.name, integration.name)}>={low},<{high}")
    assert extra == expected
