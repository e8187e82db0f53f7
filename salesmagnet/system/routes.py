"""Probes and the API root."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from salesmagnet import db
from salesmagnet.auth.guards import public

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
