"""Probes and the API root."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from salesmagnet import db, metrics
from salesmagnet.auth.guards import public
from salesmagnet.errors import NotFound, Unauthorized

bp = Blueprint("system")


@bp.get("/")
@public
async def root(request: Request) -> HTTPResponse:
    return json({"success": True, "message": "SalesMagnet CRM API", "docs": "/README.md"})


@bp.get("/health")
@public
async def health(request: Request) -> HTTPResponse:
    return json({"status": "ok"})


@bp.get("/ready")
@public
async def ready(request: Request) -> HTTPResponse:
    if await db.ping():
        return json({"status": "ready"})
    return json({"status": "unavailable", "message": "database unreachable"}, status=503)


@bp.get("/metrics")
@public
async def metrics_page(request: Request) -> HTTPResponse:
    """Prometheus text format; 404 with METRICS=off, a bearer token when METRICS_TOKEN is set."""
    settings = request.app.ctx.settings
    if not settings.metrics:
        raise NotFound("Route not found")
    if not metrics.authorized(settings.metrics_token, request.headers.get("authorization", "")):
        raise Unauthorized(
            "Metrics need the METRICS_TOKEN bearer token", headers={"WWW-Authenticate": "Bearer"}
        )
    body, content_type = metrics.exposition()
    return HTTPResponse(body, content_type=content_type)
