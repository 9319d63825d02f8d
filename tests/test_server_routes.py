"""The server extension's REST API, against a real Jupyter server (pytest-jupyter's `jp_fetch`)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import tornado.web
from tornado.httpclient import HTTPClientError

from labtrack.server.routes import API_PREFIX, ROUTES, error_status

pytest_plugins = ("pytest_jupyter.jupyter_server",)


@pytest.fixture
def labtrack_config() -> dict[str, str]:
    """`c.LabtrackExtension` settings for the server; tests override it with parametrize."""
    return {}


@pytest.fixture
def labtrack_dir_env() -> str | None:
    """LABTRACK_DIR for the server, under tmp_path; None unsets it. Override with parametrize."""
    return "env-store"


@pytest.fixture
def served_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, labtrack_dir_env: str | None
) -> Path:
    if labtrack_dir_env is None:
        monkeypatch.delenv("LABTRACK_DIR", raising=False)
        return tmp_path / "root_dir" / ".labtrack"  # pytest-jupyter's jp_root_dir
    folder = tmp_path / labtrack_dir_env
    monkeypatch.setenv("LABTRACK_DIR", str(folder))
    return folder


@pytest.fixture
def jp_server_config(served_store: Path, labtrack_config: dict[str, str], tmp_path: Path) -> dict:
    extension = {key: str(tmp_path / value) for key, value in labtrack_config.items()}
    return {
        "ServerApp": {
            "jpserver_extensions": {"labtrack.server": True},
            "allow_unauthenticated_access": False,
        },
        "LabtrackExtension": extension,
    }


async def get_json(jp_fetch, path: str) -> dict:
    response = await jp_fetch(*API_PREFIX.split("/"), path)
    assert response.headers["Content-Type"] == "application/json"
    return json.loads(response.body)


async def test_status_of_a_new_store(jp_fetch, served_store: Path) -> None:
    status = await get_json(jp_fetch, "status")
    assert status["store"] == str(served_store)
    assert (status["runs"], status["change"]) == (0, 0)
    assert isinstance(status["version"], str)
    assert served_store.is_dir()  # created when the server started


async def test_status_counts_runs_and_reads_the_change_marker(jp_fetch, served_store: Path) -> None:
    with sqlite3.connect(served_store / "labtrack.db") as conn:
        conn.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY)")
        conn.executemany("INSERT INTO runs VALUES (?)", [(1,), (2,), (3,)])
        conn.execute("CREATE TABLE changes (id INTEGER PRIMARY KEY, version INTEGER)")
        conn.execute("INSERT INTO changes VALUES (1, 42)")
    status = await get_json(jp_fetch, "status")
    assert (status["runs"], status["change"]) == (3, 42)


async def test_status_of_a_store_made_by_labtrack(jp_fetch, served_store: Path) -> None:
    from labtrack.store import Store

    Store.open(served_store).close()
    status = await get_json(jp_fetch, "status")
    assert (status["runs"], status["change"]) == (0, 0)


@pytest.mark.parametrize("labtrack_config", [{"store_dir": "configured"}])
async def test_store_dir_setting_overrides_labtrack_dir(jp_fetch, tmp_path: Path) -> None:
    status = await get_json(jp_fetch, "status")
    assert status["store"] == str(tmp_path / "configured")


@pytest.mark.parametrize("labtrack_dir_env", [None])
async def test_default_store_is_under_the_root_dir(jp_fetch, jp_root_dir: Path) -> None:
    status = await get_json(jp_fetch, "status")
    assert status["store"] == str(jp_root_dir / ".labtrack")
    assert (jp_root_dir / ".labtrack").is_dir()


async def test_errors_are_json_with_a_message(jp_fetch, served_store: Path) -> None:
    (served_store / "labtrack.db").write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch(*API_PREFIX.split("/"), "status")
    assert info.value.code == 500
    assert "not a database" in json.loads(info.value.response.body)["message"]


@pytest.mark.parametrize("path", [path for path, _ in ROUTES])
async def test_no_route_answers_without_auth(jp_serverapp, http_server_client, path: str) -> None:
    url = f"{jp_serverapp.base_url}{API_PREFIX}/{path}"
    response = await http_server_client.fetch(url, raise_error=False)
    assert response.code in (401, 403)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (LookupError("no run #9"), (404, "no run #9")),
        (ValueError("bad filter"), (400, "bad filter")),
        (tornado.web.HTTPError(409, "busy"), (409, "busy")),
        (RuntimeError("boom"), (500, "internal error: RuntimeError: boom")),
    ],
)
def test_error_status(exc: BaseException, expected: tuple[int, str]) -> None:
    assert error_status(exc, 500, "Internal Server Error") == expected
