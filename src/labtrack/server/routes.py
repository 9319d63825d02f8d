"""The REST API under `<base_url>/labtrack/api/`: one small handler per route, and `ROUTES`, the whole table.

Every method is `@tornado.web.authenticated`; store work runs in a thread so SQLite never blocks the
event loop. Errors come back as JSON `{"message": ...}`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from ..errors import LabtrackError
from .service import StoreService

API_PREFIX = "labtrack/api"
SERVICE_SETTING = "labtrack_service"


class LabtrackHandler(APIHandler):
    """Base of every labtrack route: gives `service` and turns exceptions into JSON errors."""

    @property
    def service(self) -> StoreService:
        return self.settings[SERVICE_SETTING]

    def write_json(self, data: Any) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(data))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs["exc_info"][1] if "exc_info" in kwargs else None
        status, message = error_status(exc, status_code, self._reason)
        self.set_status(status)
        self.write_json({"message": message})

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
        self.write_json(await asyncio.to_thread(self.service.status))


# The whole API: path under <base_url>/labtrack/api/ -> handler.
ROUTES: list[tuple[str, type[LabtrackHandler]]] = [
    ("status", StatusHandler),
]


def setup_routes(web_app: tornado.web.Application, service: StoreService) -> None:
    """Register every route of `ROUTES` and the service the handlers share."""
    web_app.settings[SERVICE_SETTING] = service
    base_url = web_app.settings["base_url"]
    handlers = [(url_path_join(base_url, API_PREFIX, path), handler) for path, handler in ROUTES]
    web_app.add_handlers(".*$", handlers)
