"""Fixtures of the REST tests: a real Jupyter server (pytest-jupyter) with labtrack's extension on a
tmp store, and a store filled through the Python API. Test modules take the fixtures with
`from server_fixtures import *` (module fixtures override pytest-jupyter's `jp_server_config`)."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

import labtrack as lt
from labtrack.server.routes import API_PREFIX
from session_reset import reset_session

__all__ = ["filled", "jp_server_config", "labtrack_config", "labtrack_dir_env", "served_store"]

XSS = "<img src=x onerror=alert(1)>"


def tiny_png() -> bytes:
    """A valid 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


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


@pytest.fixture
def filled(served_store: Path, jp_root_dir: Path):
    """The served store, filled through the Python API:

    #1 rf-a (rf, lr 0.1, a param holding HTML; acc 0.5 -> 0.8; a PNG and an HTML artifact; notebook
    under the Jupyter root), #2 rf-b (rf, lr 0.01; acc 0.6 -> 0.9), #3 svm (experiment "other"; acc 0.4),
    H1 "rf beats svm" (baseline #3), #4 rf-h testing H1 (acc 0.95), #5 long (10,000 loss points, one
    spike up and one down, no acc).
    """
    reset_session()
    store = lt.open(served_store).store
    lt.metric("acc", goal="max", store_wide=True)
    specs = [
        ("rf-a", "rf", 0.1, [0.5, 0.7, 0.8], None),
        ("rf-b", "rf", 0.01, [0.6, 0.9], None),
        ("svm", "svm", 0.1, [0.4], "other"),
    ]
    for name, model, lr, accs, experiment in specs:
        with lt.run(name, params={"model": model, "lr": lr, "note": XSS}, experiment=experiment):
            for acc in accs:
                lt.log(acc=acc, loss=1 - acc)
    store.update_run(1, notebook=str(jp_root_dir / "work" / "nb.ipynb"), code="lr = 0.1\nfit()")
    digests = {
        "png": store.add_artifact(1, "plot.png", tiny_png(), "image/png"),
        "html": store.add_artifact(
            1, "page.html", b"<script>alert(1)</script>", "text/html; charset=utf-8"
        ),
    }
    lt.hypothesis("rf beats svm", metric="acc", expect="increase", baseline=[3])
    with lt.run("rf-h", params={"model": "rf", "lr": 0.05}):
        lt.log(acc=0.95)
    with lt.run("long", hypothesis="none"):
        for step in range(10_000):
            lt.log(
                step=step,
                loss=100.0 if step == 4321 else -50.0 if step == 7777 else 1.0 / (step + 1),
            )
    store.points.flush()
    yield SimpleNamespace(store=store, digests=digests, root=jp_root_dir)
    reset_session()


def api_path(*parts: str) -> tuple[str, ...]:
    return (*API_PREFIX.split("/"), *parts)


def strict_json(text: bytes | str) -> Any:
    """Parse JSON as a browser does: NaN and Infinity literals are errors."""

    def refuse(literal: str) -> None:
        raise ValueError(f"not strict JSON: {literal}")

    return json.loads(text, parse_constant=refuse)


async def get_json(jp_fetch, *path: str, **params: Any) -> Any:
    response = await jp_fetch(*api_path(*path), params=params)
    assert response.headers["Content-Type"] == "application/json"
    return strict_json(response.body)


async def get_error(jp_fetch, *path: str, **params: Any) -> tuple[int, dict[str, Any]]:
    """The status and JSON body of a request that must fail."""
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch(*api_path(*path), params=params)
    assert info.value.response.headers["Content-Type"] == "application/json"
    return info.value.code, json.loads(info.value.response.body)
