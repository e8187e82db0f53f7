"""Webhooks: website forms (per-entity key), Facebook/Instagram Lead Ads (signed), failures."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json, text

from models import RoleId
from salesmagnet.auth.guards import public, requires
from salesmagnet.errors import ValidationFailed
from salesmagnet.http import body_json, ok, parse_query, path_id, validate
from salesmagnet.leads.schemas import Page
from salesmagnet.webhooks import facebook, service
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


@bp.get("/webhooks/facebook")
@bp.get("/api/webhooks/facebook", name="facebook_verify_api")
@public
async def facebook_verify(request: Request) -> HTTPResponse:
    args = request.args
    challenge = facebook.verify_subscription(
        request.app.ctx.deps.settings,
        args.get("hub.mode"),
        args.get("hub.verify_token"),
        args.get("hub.challenge"),
    )
    return text(challenge)


@bp.post("/webhooks/facebook")
@bp.post("/api/webhooks/facebook", name="facebook_api")
@public
async def facebook_deliver(request: Request) -> HTTPResponse:
    deps = request.app.ctx.deps
    facebook.verify_signature(deps.settings, request.body or b"", request.headers.get("x-hub-signature-256"))
    counts = await facebook.receive(deps, body_json(request))
    return json({"success": True, **counts})


@bp.get("/api/webhooks/failures")
@requires(RoleId.ADMIN)
async def failures(request: Request) -> HTTPResponse:
    page = parse_query(Page, request)
    result = await facebook.failures(request.ctx.actor, min(page.limit, 500), page.offset)
    return ok(result["failures"], total=result["total"])


@bp.post("/api/webhooks/failures/<meta_id>/retry")
@requires(RoleId.ADMIN)
async def retry_failure(request: Request, meta_id: str) -> HTTPResponse:
    await facebook.retry(request.app.ctx.deps, request.ctx.actor, path_id(meta_id, "meta_id"))
    return ok(message="Queued for another try", status=202)
