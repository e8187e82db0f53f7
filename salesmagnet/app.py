"""create_app(settings): the Sanic application with its blueprints, errors and lifecycle."""

from __future__ import annotations

import logging
import time
from itertools import count
from typing import Any

from sanic import Request, Sanic
from sanic.asgi import ASGIApp
from sanic.exceptions import PayloadTooLarge, SanicException
from sanic.response import HTTPResponse, json

from salesmagnet import db, logs, metrics, outages, schema
from salesmagnet.activities.routes import bp as activities_bp
from salesmagnet.analytics import live as analytics_live
from salesmagnet.analytics import service as analytics
from salesmagnet.analytics.routes import bp as analytics_bp
from salesmagnet.assignments import auto as auto_assignment
from salesmagnet.assignments.routes import bp as assignments_bp
from salesmagnet.auth.routes import bp as auth_bp
from salesmagnet.config import Settings, load_settings
from salesmagnet.deps import Deps
from salesmagnet.entities import settings as entity_settings
from salesmagnet.entities.routes import bp as entities_bp
from salesmagnet.errors import AppError, ServiceUnavailable
from salesmagnet.floor.routes import bp as floor_bp
from salesmagnet.http import refuse_unknown_args
from salesmagnet.leads import rollups as lead_rollups
from salesmagnet.leads.routes import bp as leads_bp
from salesmagnet.openapi.routes import bp as openapi_bp
from salesmagnet.presence import store as presence_store
from salesmagnet.presence.routes import bp as presence_bp
from salesmagnet.reporting.routes import bp as reporting_bp
from salesmagnet.reporting.routes import exports_bp
from salesmagnet.stages.routes import bp as stages_bp
from salesmagnet.system.routes import bp as system_bp
from salesmagnet.users.routes import bp as users_bp
from salesmagnet.webhooks.routes import bp as webhooks_bp

log = logging.getLogger("salesmagnet")
_names = count()
BLUEPRINTS = (
    system_bp,
    auth_bp,
    users_bp,
    entities_bp,
    leads_bp,
    assignments_bp,
    stages_bp,
    activities_bp,
    analytics_bp,
    exports_bp,
    reporting_bp,
    presence_bp,
    webhooks_bp,
    floor_bp,
    openapi_bp,
)


def error_body(message: str, errors: Any = None, data: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"success": False, "message": message}
    if errors:
        body["errors"] = errors
    if data:
        body["data"] = data
    return body


UNAVAILABLE = {
    outages.DATABASE: "The database is unavailable; try again shortly",
    outages.REDIS: "A service this request needs is unavailable; try again shortly",
}


def render_error_body(exc: AppError) -> HTTPResponse:
    return json(error_body(exc.message, exc.errors, exc.data), status=exc.status, headers=exc.headers)


async def render_error(request: Request, exc: Exception) -> HTTPResponse:
    """The one renderer of failures: known kinds as 4xx, anything else a bare 500 (logged)."""
    if isinstance(exc, AppError):
        return render_error_body(exc)
    down = outages.report(exc)
    if down is not None:  # logged once per outage by outages, not per request
        return render_error_body(ServiceUnavailable(UNAVAILABLE[down], retry_after=outages.RETRY_AFTER))
    if isinstance(exc, SanicException) and exc.status_code < 500:
        messages = {404: "Route not found", 405: "Method not allowed", 413: "Request body too large"}
        message = messages.get(exc.status_code) or str(exc) or "Bad request"
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405 and not headers.get("Allow"):  # Sanic names none on a path with ids
            headers["Allow"] = ", ".join(_allowed(request))
        return json(error_body(message), status=exc.status_code, headers=headers)
    log.exception("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return json(error_body("Internal server error"), status=500)


def _allowed(request: Request) -> list[str]:
    """The methods the request's path answers (RFC 9110: a 405 says which)."""
    allowed = []
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"):
        try:
            request.app.router.get(request.path, method, request.headers.get("host"))
        except SanicException:
            continue
        allowed.append(method)
    return allowed


MAX_BODY = 1_000_000


async def limit_body_size(request: Request) -> None:
    """413 for bodies over 1 MB (Sanic's own limit does not apply under ASGI)."""
    declared = request.headers.get("content-length", "0")
    if (declared.isdigit() and int(declared) > MAX_BODY) or len(request.body or b"") > MAX_BODY:
        raise PayloadTooLarge("Request body too large")


async def refuse_unasked_query(request: Request) -> None:
    """An API GET documented without query parameters refuses any, as `http.parse_query`
    refuses a name its schema does not take: a filter it cannot apply (`?user_id=` on the
    follow-up summary) must not answer as if applied."""
    if not request.query_string or request.method != "GET" or not request.path.startswith("/api/"):
        return
    doc = getattr(request.route.handler, "__openapi__", None) if request.route else None
    if doc is not None and doc.query is None:
        refuse_unknown_args(request, ())


def create_app(settings: Settings | None = None, *, check_schema: bool = True) -> Sanic:
    settings = settings or load_settings()
    name = "salesmagnet" if not Sanic.test_mode else f"salesmagnet_{next(_names)}"
    app = Sanic(name, configure_logging=False)
    app.config.REQUEST_MAX_SIZE = MAX_BODY
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.settings = settings
    entity_settings.use_default_sla_hours(settings.sla_hours)
    for blueprint in BLUEPRINTS:
        app.blueprint(blueprint)
    app.error_handler.add(Exception, render_error)
    app.on_request(limit_body_size)
    app.on_request(refuse_unasked_query)

    @app.before_server_start
    async def start(app: Sanic) -> None:
        await db.connect(settings.database_url, settings.db_timeout)
        if check_schema:
            await schema.check_current(settings.database_url)
        app.ctx.deps = Deps.build(settings, presence_store.build)
        auto_assignment.use_presence(app.ctx.deps.presence.online)
        lead_rollups.switch(settings.analytics_rollups)
        analytics_live.start(app.ctx.deps.redis, analytics.dashboard, settings.analytics_lag)

    @app.after_server_stop
    async def stop(app: Sanic) -> None:
        analytics_live.stop()
        await app.ctx.deps.close()
        await outages.stop()
        await db.disconnect()

    return app


class Acyclic:
    """Sanic as an ASGI application, each HTTP request freed as soon as it is answered.

    Sanic's ASGI adapter and its request point at each other (`request.stream`), and so do the
    adapter and its response: every request was left in reference cycles of ~25 objects for
    the cyclic collector to find. At 2,500 requests a second that made a 20-28 ms pause every
    ~0.6 s, the largest part of the webhook's p99 (bench/RESULTS.md). Cutting those two links
    once the request is answered lets reference counting free it at once."""

    def __init__(self, app: Sanic) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            # The adapter set the request in this task's context; a request of another scope
            # (a connection's earlier one) is left alone.
            request = Request._current.get(None) if scope["type"] == "http" else None
            if request is not None and request.transport.scope is scope:
                adapter = request.stream
                request.stream = None
                if isinstance(adapter, ASGIApp):
                    adapter.response = None


class Observed:
    """The ASGI edge of every request, Socket.IO's included (wraps the whole application).

    It sets the request id (a valid `X-Request-ID` or a new one) for the whole ASGI call, so
    every log line of the request carries it, uvicorn's access line too (written inside
    `send`), and echoes it in the response headers. With metrics on, it counts the answered
    request by its route's name and times it."""

    def __init__(self, app: Any, metrics_on: bool = True) -> None:
        self.app = app
        self.metrics_on = metrics_on

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        rid = logs.make_request_id(_header(scope, b"x-request-id"))
        token = logs.request_id.set(rid)
        try:
            if scope["type"] == "http":
                await self._http(scope, receive, send, rid)
            else:
                await self.app(scope, receive, send)
        finally:
            logs.request_id.reset(token)

    async def _http(self, scope: Any, receive: Any, send: Any, rid: str) -> None:
        started = time.perf_counter()
        status = 500
        echo = (b"x-request-id", rid.encode())

        async def send_with_id(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), echo]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if self.metrics_on:
                seconds = time.perf_counter() - started
                metrics.observe_request(_route(scope), scope["method"], status, seconds)


def _header(scope: Any, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _route(scope: Any) -> str:
    """The name of the Sanic route that answered, without the app's ("webhooks.website"), else
    one label per kind: labels stay bounded whatever paths are asked for."""
    request = Request._current.get(None)
    if request is not None and request.transport.scope is scope and request.route is not None:
        return str(request.route.name).partition(".")[2]
    return "socket.io" if scope["path"].startswith("/socket.io") else metrics.UNMATCHED
