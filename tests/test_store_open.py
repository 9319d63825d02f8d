"""Where the store lives (DESIGN §3), and files that are not ours: a clear error, and not a byte changed."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

import labtrack as lt
from labtrack.store import Store, resolve_store
from labtrack.store.schema import MIGRATION_SET


@pytest.fixture
def no_env(tmp_path, monkeypatch):
    """No LABTRACK_DIR, working directory at tmp/a/b/c (nothing above tmp holds a store)."""
    monkeypatch.delenv("LABTRACK_DIR", raising=False)
    cwd = tmp_path / "a" / "b" / "c"
    cwd.mkdir(parents=True)
    monkeypatch.chdir(cwd)
    return tmp_path


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        ([], "a/b/c/.labtrack"),  # none found: ./.labtrack
        (["a/.labtrack"], "a/.labtrack"),  # nearest ancestor
        (["a/.labtrack", "a/b/.labtrack"], "a/b/.labtrack"),  # the nearest wins
        (["a/b/c/.labtrack", "a/.labtrack"], "a/b/c/.labtrack"),  # the working directory itself
    ],
)
def test_store_is_the_nearest_labtrack_folder_upwards(no_env, made, expected):
    for folder in made:
        (no_env / folder).mkdir()
    assert resolve_store().folder == no_env / expected
    store = Store.open()
    assert store.path == no_env / expected / "labtrack.db"
    store.close()


def test_a_labtrack_file_is_not_a_store_folder(no_env):
    (no_env / "a" / ".labtrack").write_text("not a folder")
    assert resolve_store().folder == no_env / "a/b/c/.labtrack"


def test_opening_with_nothing_found_creates_dot_labtrack_here(no_env):
    store = Store.open()
    assert (no_env / "a/b/c/.labtrack/labtrack.db").is_file() and store.schema_version()
    store.close()


def test_labtrack_dir_beats_an_ancestor_and_an_explicit_path_beats_both(no_env, monkeypatch):
    (no_env / "a" / ".labtrack").mkdir()
    monkeypatch.setenv("LABTRACK_DIR", str(no_env / "env"))
    assert resolve_store().folder == no_env / "env"
    assert resolve_store(no_env / "explicit").folder == no_env / "explicit"


@pytest.mark.parametrize("name", ["mine.db", "data.sqlite", "x.sqlite3"])
def test_open_accepts_a_db_file_and_keeps_artifacts_beside_it(store_dir, tmp_path, name):
    store = lt.open(tmp_path / "files" / name).store
    with lt.run() as run:
        run.log_artifact(b"abc", "a.bin")
    assert store.path == tmp_path / "files" / name
    assert lt.get_run(run.number).artifacts[0].path.is_relative_to(tmp_path / "files" / "artifacts")


def test_open_accepts_an_existing_db_file_of_any_name(store_dir, tmp_path):
    Store.open(tmp_path / "s" / "store.db").close()
    (tmp_path / "s" / "store.db").rename(tmp_path / "s" / "renamed")
    assert lt.open(tmp_path / "s" / "renamed").store.schema_version()


def test_open_without_create_says_how_to_make_a_store(tmp_path):
    with pytest.raises(
        lt.StoreError, match="no labtrack store at .*; run a tracked cell or `lt.open\\(\\)` first"
    ):
        Store.open(tmp_path / "nothing", create=False)


def test_an_empty_file_becomes_a_store(store_dir, tmp_path):
    (tmp_path / "empty.db").touch()
    assert lt.open(tmp_path / "empty.db").store.schema_version()


# -- files that are not (or not yet) ours ---------------------------------------------------------
def _text_file(path: Path) -> None:
    path.write_bytes(b"id,name\n1,a\n" * 500)


def _other_app(path: Path, journal: str = "delete") -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode={journal}")
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    conn.executemany("INSERT INTO users (name) VALUES (?)", [("ann",), ("bob",)])
    conn.commit()
    conn.close()


def _other_app_wal(path: Path) -> None:
    _other_app(path, "wal")


def _newer_labtrack(path: Path) -> None:
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, 'm999_from_the_future', 'x')",
        [MIGRATION_SET],
    )
    conn.commit()
    conn.close()


FOREIGN = {
    "text file": (_text_file, lt.NotALabtrackStore, "is not a SQLite database"),
    "another app": (
        _other_app,
        lt.NotALabtrackStore,
        "is a SQLite database but not a labtrack store \\(its tables: users\\); nothing was changed",
    ),
    "another app, WAL": (_other_app_wal, lt.NotALabtrackStore, "not a labtrack store"),
    "newer labtrack": (
        _newer_labtrack,
        lt.StoreTooNew,
        "written by a newer labtrack \\(schema 'm999_from_the_future'.*nothing was changed. Upgrade: pip install -U labtrack",
    ),
}


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("how", ["db file", "folder", "LABTRACK_DIR"])
@pytest.mark.parametrize("kind", list(FOREIGN))
def test_a_foreign_or_newer_file_gives_a_clear_error_and_stays_untouched(
    store_dir, tmp_path, monkeypatch, kind, how
):
    make, error, message = FOREIGN[kind]
    folder = tmp_path / "foreign"
    folder.mkdir()
    make(folder / "labtrack.db")
    before = _snapshot(folder)
    target = folder / "labtrack.db" if how == "db file" else folder
    if how == "LABTRACK_DIR":
        monkeypatch.setenv("LABTRACK_DIR", str(target))
    with pytest.raises(error, match=message):
        lt.open(target if how != "LABTRACK_DIR" else None)
    assert _snapshot(folder) == before  # same bytes, and no -wal, -shm or artifacts/ created


def test_a_failed_open_keeps_the_previous_store(store, tmp_path):
    _text_file(tmp_path / "bad.db")
    with pytest.raises(lt.NotALabtrackStore):
        lt.open(tmp_path / "bad.db")
    with lt.run("still here"):
        pass
    assert list(lt.runs()["name"]) == ["still here"]


def test_opening_a_store_in_use_by_another_connection_works(store, tmp_path):
    with lt.run("live"):
        lt.log(x=1.0)
        other = Store.open(store.path)
        assert other.schema_version() and other.read("SELECT name FROM runs") == [("live",)]
        other.close()
