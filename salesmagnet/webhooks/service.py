"""Inbound leads from website forms (CONTRACT.md §4): the key decides the entity; retried
deliveries make one lead."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from models import EntityWebhookKey, Platform
from salesmagnet.deps import Deps
from salesmagnet.errors import BadRequest, Forbidden, TooManyRequests, Unauthorized
from salesmagnet.leads.writer import NewLead, group_commit
from salesmagnet.tenancy import unscoped
from salesmagnet.webhooks.lookup import Routes
from salesmagnet.webhooks.normalize import contact, when
from salesmagnet.webhooks.schemas import WebsiteLead

KEY_CACHE_SECONDS = 30.0
DEDUPE_WINDOW = 600  # seconds: the same body without a source_lead_id within this is a retry


@dataclass(frozen=True)
class Received:
    lead_id: int
    created: bool


async def _key_owner(key: str) -> int | None:
    row = (
        await unscoped(EntityWebhookKey)
        .filter(key=key, revoked_at=None)
        .first()
        .values_list("entity_id", flat=True)
    )
    return int(row) if row is not None else None  # type: ignore[call-overload]


_keys = Routes(KEY_CACHE_SECONDS, _key_owner)


async def entity_for_key(key: str | None) -> int:
    """The entity a live webhook key belongs to (remembered briefly: revocation takes ≤ 30 s)."""
    entity_id = await _keys.entity(key) if key and len(key) <= 128 else None
    if entity_id is None:
        raise Unauthorized("A valid X-Webhook-Key is required")
    return entity_id


async def _limit(deps: Deps, key: str) -> None:
    name = "webhook:" + hashlib.sha256(key.encode()).hexdigest()[:24]
    if wait := await deps.limiter.attempt(name, deps.settings.webhook_rate_per_minute, 60):
        raise TooManyRequests("Too many deliveries for this webhook key", retry_after=wait)


def _source_ids(body: WebsiteLead, raw: dict[str, Any]) -> list[str]:
    """The delivery's identity: its own id, or a hash of the body in this and the last window."""
    if body.source_lead_id:
        return [body.source_lead_id]
    digest = hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()[:40]
    window = int(time.time()) // DEDUPE_WINDOW
    return [f"body-{digest}-{window}", f"body-{digest}-{window - 1}"]


def _meta(body: WebsiteLead, source_id: str) -> dict[str, Any]:
    utm = body.utm
    return {
        "source_lead_id": source_id,
        "page_id": body.page_id,
        "form_id": body.form_id,
        "ad_id": body.ad_id,
        "campaign_id": body.campaign_id,
        "created_time": when(body.created_time),
        "page_url": body.page_url,
        "utm_source": utm.source and utm.source[:100],
        "utm_medium": utm.medium and utm.medium[:100],
        "utm_campaign": utm.campaign,
        "utm_term": utm.term and utm.term[:100],
        "utm_content": utm.content and utm.content[:100],
    }


def _host(url: str | None) -> str | None:
    try:
        return (urlsplit(url).hostname or None) if url else None
    except ValueError:
        return None


async def receive_website(deps: Deps, key: str | None, body: WebsiteLead, raw: dict[str, Any]) -> Received:
    """Create the lead of one delivery, or find the one an earlier delivery of it made."""
    entity_id = await entity_for_key(key)
    if body.entity_id is not None and body.entity_id != entity_id:
        raise Forbidden("entity_id does not match the webhook key")
    await _limit(deps, key or "")
    person = contact(body.answers)
    if not person.email and not person.phone:
        raise BadRequest("The answers need an email or a phone")
    source_ids = _source_ids(body, raw)
    fields = {**person.fields(), "raw_field_data": body.answers, "source_page_name": _host(body.page_url)}
    item = NewLead(
        entity_id, Platform.WEBSITE, _meta(body, source_ids[0]), fields, aliases=tuple(source_ids[1:])
    )
    outcome = await group_commit.submit(item)
    return Received(outcome.lead_id, created=outcome.created)
