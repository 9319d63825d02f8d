"""The REST API under `<base_url>/labtrack/api/`: one small handler per route, and `ROUTES`, the whole table.

Every method is `@tornado.web.authenticated`; store work (and JSON encoding) runs in a thread so
SQLite never blocks the event loop. Errors come back as JSON `{"message": ..., "position": ...}`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from ..errors import LabtrackError
from . import queries
from .records import encode_json
from .service import Download, LabService

API_PREFIX = "labtrack/api"
SERVICE_SETTING = "labtrack_service"
CHUNK_BYTES = 1 << 20


def disposition(filename: str, *, inline: bool = False) -> str:
    """A Content-Disposition header (attachment: a download), safe for any file name (RFC 6266 / 5987)."""
    fallback = (
        "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename)
        or "download"
    )
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class LabtrackHandler(APIHandler):
    """Base of every labtrack route: gives `service` and `args`, answers JSON, and turns exceptions into JSON errors."""

    @property
    def service(self) -> LabService:
        return self.settings[SERVICE_SETTING]

    @property
    def args(self) -> dict[str, str]:
        """The query string: the last value of each parameter, unstripped (filter positions stay true)."""
        return {
            name: self.get_query_argument(name, strip=False)
            for name in self.request.query_arguments
        }

    async def answer(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Call a service method and encode its answer in a thread; send it as JSON."""
        body = await asyncio.to_thread(lambda: encode_json(method(*args, **kwargs)))
        self.finish(body)

    def send_file(self, download: Download) -> None:
        self.set_header("Content-Disposition", disposition(download.filename))
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(download.body, set_content_type=download.media_type)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs["exc_info"][1] if "exc_info" in kwargs else None
        status, message = error_status(exc, status_code, self._reason)
        self.set_status(status)
        reply: dict[str, Any] = {"message": message}
        if getattr(exc, "position", None) is not None:
            reply["position"] = exc.position
        self.finish(json.dumps(reply))

    def log_exception(self, typ: Any, value: BaseException | None, tb: Any) -> None:
        # Known errors are the user's to fix, not server faults: no traceback in the log.
        if isinstance(value, LabtrackError | LookupError | ValueError):
            self.log.warning("%s %s: %s", self.request.method, self.request.uri, value)
        else:
            super().log_exception(typ, value, tb)


def error_status(exc: BaseException | None, status_code: int, reason: str) -> tuple[int, str]:
    """The HTTP status and message for an exception that escaped a handler."""
    if isinstance(exc, tornado.web.HTTPError):
        return exc.status_code, exc.log_message or reason
    if isinstance(exc, LookupError):
        return 404, str(exc)
    if isinstance(exc, ValueError):
        return 400, str(exc)
    if isinstance(exc, LabtrackError):
        return 500, str(exc)
    if exc is not None:
        return 500, f"internal error: {type(exc).__name__}: {exc}"
    return status_code, reason


class StatusHandler(LabtrackHandler):
    """`GET status`: the store's path, the labtrack version, the run count and the change marker."""

    @tornado.web.authenticated
    async def get(self) -> None:
        await self.answer(self.service.status)


class RunsHandler(LabtrackHandler):
    """`GET runs`: runs matching a filter, sorted and paged, with column names and metric definitions."""

    @tornado.web.authenticated
    async def get(self) -> None:
        await self.answer(self.service.runs_json, queries.RunsQuery.parse(self.args))


class RunHandler(LabtrackHandler):
    """`GET runs/<ref>`: one run in full."""

    @tornado.web.authenticated
    async def get(self, ref: str) -> None:
        await self.answer(self.service.run, ref)


class HistoryHandler(LabtrackHandler):
    """`GET history`: metric histories of runs, thinned for charts."""

    @tornado.web.authenticated
    async def get(self) -> None:
        args = self.args
        metric = queries.text(args, "metric")
        if metric is None:
            raise queries.QueryError("history needs a metric: history?runs=3,4&metric=loss")
        runs = queries.items(args, "runs", required=True)
        max_points = queries.integer(
            args, "max_points", 2000, minimum=2, maximum=queries.MAX_POINTS
        )
        await self.answer(self.service.history, runs, metric, max_points)


class CompareHandler(LabtrackHandler):
    """`GET compare`: the comparison JSON of runs, as `lt.compare` computes it."""

    @tornado.web.authenticated
    async def get(self) -> None:
        args = self.args
        await self.answer(
            self.service.compare_json,
            queries.items(args, "runs", required=True),
            diff=queries.flag(args, "diff"),
            at_step=queries.integer(args, "at_step", minimum=-(2**63)),
        )


class ExportHandler(LabtrackHandler):
    """`GET export`: the comparison as a file (md, csv, json, latex, html) to download."""

    @tornado.web.authenticated
    async def get(self) -> None:
        args = self.args
        download = await asyncio.to_thread(
            self.service.export,
            queries.items(args, "runs", required=True),
            args.get("format") or "html",
            diff=queries.flag(args, "diff"),
            at_step=queries.integer(args, "at_step", minimum=-(2**63)),
        )
        self.send_file(download)


class HypothesesHandler(LabtrackHandler):
    """`GET hypotheses`: every hypothesis with its verdict and its adjusted p-value."""

    @tornado.web.authenticated
    async def get(self) -> None:
        await self.answer(self.service.hypotheses, self.args.get("adjust") or "holm")


class HypothesisHandler(LabtrackHandler):
    """`GET hypotheses/<id>`: one hypothesis with its verdict and its runs in full."""

    @tornado.web.authenticated
    async def get(self, ref: str) -> None:
        await self.answer(self.service.hypothesis, ref)


class ArtifactHandler(LabtrackHandler):
    """`GET artifacts/<sha256>`: an artifact's bytes, only from the store's artifact folder."""

    @tornado.web.authenticated
    async def get(self, digest: str) -> None:
        found = await asyncio.to_thread(self.service.artifact, digest, self.args.get("name"))
        self.set_header("Content-Type", found.media_type)
        self.set_header("Content-Length", str(found.size))
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Content-Disposition", disposition(found.filename, inline=found.inline))
        # content-addressed: the bytes behind a digest never change
        self.set_header("Cache-Control", "private, max-age=31536000, immutable")
        file = await asyncio.to_thread(found.path.open, "rb")
        try:
            while chunk := await asyncio.to_thread(file.read, CHUNK_BYTES):
                self.write(chunk)
                await self.flush()
        finally:
            file.close()
        self.finish(set_content_type=found.media_type)


# The whole API: path under <base_url>/labtrack/api/ -> handler (docs/rest-api.md documents each).
ROUTES: list[tuple[str, type[LabtrackHandler]]] = [
    ("status", StatusHandler),
    ("runs", RunsHandler),
    (r"runs/([^/]+)", RunHandler),
    ("history", HistoryHandler),
    ("compare", CompareHandler),
    ("export", ExportHandler),
    ("hypotheses", HypothesesHandler),
    (r"hypotheses/([^/]+)", HypothesisHandler),
    # anything after artifacts/ reaches the handler, which refuses all but a recorded sha256
    (r"artifacts/(.*)", ArtifactHandler),
]


def setup_routes(web_app: tornado.web.Application, service: LabService) -> None:
    """Register every route of `ROUTES` and the service the handlers share."""
    web_app.settings[SERVICE_SETTING] = service
    base_url = web_app.settings["base_url"]
    handlers = [(url_path_join(base_url, API_PREFIX, path), handler) for path, handler in ROUTES]
    web_app.add_handlers(".*$", handlers)
