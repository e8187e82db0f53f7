"""Webhooks: website forms (per-entity key)."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from salesmagnet.auth.guards import public
from salesmagnet.errors import ValidationFailed
from salesmagnet.http import body_json, validate
from salesmagnet.webhooks import service
from salesmagnet.webhooks.schemas import WebsiteLead

bp = Blueprint("webhooks")


@bp.post("/webhooks/website")
@bp.post("/api/webhooks/website", name="website_api")
@public
async def website(request: Request) -> HTTPResponse:
    raw = body_json(request)
    if not isinstance(raw, dict):
        raise ValidationFailed(
            "Validation failed: body", errors=[{"field": "body", "message": "must be a JSON object"}]
        )
    key = request.headers.get("x-webhook-key") or request.args.get("key")
    received = await service.receive_website(request.app.ctx.deps, key, validate(WebsiteLead, raw), raw)
    status, message = (
        (201, "Lead received successfully") if received.created else (200, "Lead already received")
    )
    return json({"success": True, "lead_id": received.lead_id, "message": message}, status=status)
