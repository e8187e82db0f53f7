"""Probes and the API root."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from salesmagnet import metrics
from salesmagnet.auth.guards import public
from salesmagnet.errors import Forbidden, NotFound, Unauthorized
from salesmagnet.http import ok
from salesmagnet.openapi.document import Raw, documented
from salesmagnet.system.schemas import Health, Ready, Root

bp = Blueprint("system")


@bp.get("/")
@documented(Root)
@public
async def root(request: Request) -> HTTPResponse:
    """The API root: its name and where its documentation is."""
    return ok({"docs": "/docs"}, "SalesMagnet CRM API")


@bp.get("/health")
@documented(raw={200: Raw(Health)})
@public
async def health(request: Request) -> HTTPResponse:
    """Liveness: the process answers."""
    return json({"status": "ok"})


@bp.get("/ready")
@documented(raw={200: Raw(Ready), 503: Raw(Ready, description="The database is down")})
@public
async def ready(request: Request) -> HTTPResponse:
    """Each dependency's state, probed at once (each within a bound). 503 only when the database
    is down (CONTRACT §5): without Redis the process still serves — limits per process, events
    kept for the relay — so a balancer must not take every instance out for a Redis blip."""
    checks = await request.app.ctx.deps.probe()
    down = [name for name, up in checks.items() if not up]
    serving = checks.get("database", False)
    body = {
        "status": ("degraded" if down else "ready") if serving else "unavailable",
        "checks": {name: "ok" if up else "unreachable" for name, up in checks.items()},
    }
    if down:
        body["message"] = f"{', '.join(down)} unreachable"
    return json(body, status=200 if serving else 503, headers=None if serving else {"Retry-After": "5"})


@bp.get("/metrics")
@documented(raw={200: Raw(str, "text/plain", "Prometheus text format")}, errors=(401, 403, 404))
@public
async def metrics_page(request: Request) -> HTTPResponse:
    """Prometheus text format; 404 with METRICS=off, a bearer token when METRICS_TOKEN is set.
    In production it needs the token: its labels name the entities and how busy each is."""
    settings = request.app.ctx.settings
    if not settings.metrics:
        raise NotFound("Route not found")
    if settings.production and not settings.metrics_token:
        raise Forbidden("Metrics are off in production until METRICS_TOKEN is set")
    if not metrics.authorized(settings.metrics_token, request.headers.get("authorization", "")):
        raise Unauthorized(
            "Metrics need the METRICS_TOKEN bearer token", headers={"WWW-Authenticate": "Bearer"}
        )
    body, content_type = metrics.exposition()
    return HTTPResponse(body, content_type=content_type)
