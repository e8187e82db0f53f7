"""Webhooks: website forms (per-entity key), Facebook/Instagram Lead Ads (signed), failures."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from sanic import Blueprint, Request
from sanic.headers import parse_content_header
from sanic.request.form import parse_multipart_form
from sanic.response import HTTPResponse, empty, json, redirect, text

from models import RoleId
from salesmagnet.auth.guards import public, requires
from salesmagnet.errors import BadRequest, ValidationFailed
from salesmagnet.http import body_json, ok, parse_query, path_id, validate
from salesmagnet.leads.schemas import Page
from salesmagnet.openapi.document import Raw, documented
from salesmagnet.webhooks import facebook, service
from salesmagnet.webhooks.schemas import (
    MAX_FORM_FIELDS,
    FailureOut,
    LeadAdsDelivery,
    LeadAdsReceived,
    PreflightQuery,
    VerifyQuery,
    WebsiteLead,
    WebsiteReceived,
    form_body,
)

bp = Blueprint("webhooks")
WEBSITE_ROUTES = ("website", "website_api", "website_preflight", "website_preflight_api")
FORM_KINDS = ("application/x-www-form-urlencoded", "multipart/form-data")
PREFLIGHT_MAX_AGE = "600"  # seconds a browser may reuse the answer: a settings change shows within 10 min


def _form_pairs(request: Request, kind: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    """A urlencoded or multipart body's fields (file parts are ignored); malformed is a 400."""
    body = request.body or b""
    try:
        if kind == "application/x-www-form-urlencoded":
            return parse_qsl(body.decode("utf-8", "replace"), max_num_fields=MAX_FORM_FIELDS)
        fields, _files = parse_multipart_form(body, str(params["boundary"]).encode())
    except Exception:  # a bad boundary, part header or charset; too many fields
        raise BadRequest(f"Malformed {kind} body (at most {MAX_FORM_FIELDS} fields)") from None
    pairs = [(name, value) for name, values in fields.items() for value in values]
    if len(pairs) > MAX_FORM_FIELDS:
        raise BadRequest(f"Malformed {kind} body (at most {MAX_FORM_FIELDS} fields)")
    return pairs


def _is_form(request: Request) -> bool:
    kind, _ = parse_content_header(request.headers.get("content-type", ""))
    return kind in FORM_KINDS


def _delivery(request: Request) -> tuple[dict[str, Any], str | None]:
    """The body as a dict — JSON, or a browser's form — and the form's `key` field, if any."""
    kind, params = parse_content_header(request.headers.get("content-type", ""))
    if kind in FORM_KINDS:
        raw: dict[str, Any] = form_body(_form_pairs(request, kind, params))
        return raw, raw.pop("key", None)
    data = body_json(request)
    if not isinstance(data, dict):
        raise ValidationFailed(
            "Validation failed: body", errors=[{"field": "body", "message": "must be a JSON object"}]
        )
    return data, None


def _cors(allow_origin: str | None) -> dict[str, str]:
    return {"Access-Control-Allow-Origin": allow_origin} if allow_origin else {}


@bp.on_response
async def website_cors(request: Request, response: HTTPResponse) -> None:
    """Every answer of the website webhook, errors included, varies by Origin and carries the
    CORS answer once the key's entity has given it."""
    if request.route and request.route.name.rsplit(".", 1)[-1] in WEBSITE_ROUTES:
        response.headers.update({"Vary": "Origin", **_cors(getattr(request.ctx, "allow_origin", None))})


@bp.post("/webhooks/website")
@bp.post("/api/webhooks/website", name="website_api")
@documented(
    body=WebsiteLead,
    form=True,
    security=("webhookKey", "webhookKeyQuery"),
    raw={
        201: Raw(WebsiteReceived, description="Lead received"),
        200: Raw(WebsiteReceived, description="A retry of a lead already received (same `lead_id`)"),
        303: Raw(description="A plain form's `_redirect`: the visitor is sent to the thank-you page"),
    },
    errors=(400, 429),
    headers={"Origin": "The page that sent it (refused 403 when the entity lists other origins)"},
)
@public
async def website(request: Request) -> HTTPResponse:
    """A website form delivers a lead; the key decides the entity.

    JSON (the API document's body or a flat one), or a browser's form (urlencoded or multipart,
    the key in `?key=` or a hidden `key` field). A repeated `source_lead_id` (or the same body within
    ten minutes) answers 200 with the first `lead_id`."""
    origin = request.headers.get("origin")
    key = request.headers.get("x-webhook-key") or request.args.get("key")
    # The key is checked before the body is read (a wrong key is a 401, whatever the body),
    # unless it may ride in the body: a browser's form with no key in header or query.
    access = await service.website_access(key, origin) if key or not _is_form(request) else None
    raw, form_key = _delivery(request)
    access = access or await service.website_access(form_key, origin)
    request.ctx.allow_origin = access.allow_origin
    received = await service.receive_website(request.app.ctx.deps, access, validate(WebsiteLead, raw), raw)
    if received.location:
        return redirect(received.location, status=303)
    status, message = (
        (201, "Lead received successfully") if received.created else (200, "Lead already received")
    )
    return json({"success": True, "lead_id": received.lead_id, "message": message}, status=status)


@bp.options("/webhooks/website")
@bp.options("/api/webhooks/website", name="website_preflight_api")
@documented(
    query=PreflightQuery,
    raw={204: Raw(description="CORS answer (allow headers only for a listed origin)")},
    headers={"Origin": "The page asking"},
)
@public
async def website_preflight(request: Request) -> HTTPResponse:
    """A browser's CORS preflight; the key rides in `?key=` (a preflight carries no custom header)."""
    allow = await service.preflight(request.args.get("key"), request.headers.get("origin"))
    if allow:
        request.ctx.allow_origin = allow
        headers = {
            "Access-Control-Allow-Methods": "POST",
            "Access-Control-Allow-Headers": "Content-Type, X-Webhook-Key",
            "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
        }
        return empty(204, headers)
    return empty(204)


@bp.get("/webhooks/facebook")
@bp.get("/api/webhooks/facebook", name="facebook_verify_api")
@documented(
    query=VerifyQuery,
    raw={200: Raw(str, "text/plain", "The `hub.challenge`, echoed")},
    errors=(403,),
)
@public
async def facebook_verify(request: Request) -> HTTPResponse:
    """Meta's subscription handshake: echoes `hub.challenge` when `hub.verify_token` matches."""
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
@documented(
    body=LeadAdsDelivery,
    raw={200: Raw(LeadAdsReceived, description="Acknowledged: what became of each change")},
    errors=(401, 403),
    headers={"X-Hub-Signature-256": "`sha256=` and the body's HMAC-SHA256 under the app secret"},
)
@public
async def facebook_deliver(request: Request) -> HTTPResponse:
    """A Facebook/Instagram Lead Ads delivery (signed by Meta); each lead is read from the Graph API."""
    deps = request.app.ctx.deps
    facebook.verify_signature(deps.settings, request.body or b"", request.headers.get("x-hub-signature-256"))
    counts = await facebook.receive(deps, body_json(request))
    return json({"success": True, **counts})


@bp.get("/api/webhooks/failures")
@documented(list[FailureOut], query=Page, extra={"total": int})
@requires(RoleId.ADMIN)
async def failures(request: Request) -> HTTPResponse:
    """The entity's Lead Ads deliveries that failed, newest first (admins)."""
    page = parse_query(Page, request)
    result = await facebook.failures(request.ctx.actor, page.rows, page.offset)
    return ok(result["failures"], total=result["total"])


@bp.post("/api/webhooks/failures/<meta_id>/retry")
@documented(status=202, errors=(409,))
@requires(RoleId.ADMIN)
async def retry_failure(request: Request, meta_id: str) -> HTTPResponse:
    """Queue a failed or waiting delivery for another try (admins); one already processed is a 409."""
    await facebook.retry(request.app.ctx.deps, request.ctx.actor, path_id(meta_id, "meta_id"))
    return ok(message="Queued for another try", status=202)
