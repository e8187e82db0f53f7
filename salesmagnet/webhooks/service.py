"""Inbound leads from website forms (CONTRACT.md §4): the key decides the entity; retried
deliveries make one lead. Deliveries from web pages follow the entity's rules: which origins may
post (CORS) and which hosts a form may send its visitor on to."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from models import Entity, EntityWebhookKey, Platform
from salesmagnet.deps import Deps
from salesmagnet.errors import EntityGone, Forbidden, TooManyRequests, Unauthorized, ValidationFailed
from salesmagnet.leads.writer import NewLead, group_commit
from salesmagnet.tenancy import unscoped
from salesmagnet.webhooks import facebook
from salesmagnet.webhooks.lookup import Routes
from salesmagnet.webhooks.normalize import Contact, contact
from salesmagnet.webhooks.schemas import WebsiteLead

KEY_CACHE_SECONDS = 30.0
DEDUPE_WINDOW = 600  # seconds: the same body without a source_lead_id within this is a retry
PAGE_NAME_LENGTH = 150  # lead_data.source_page_name


@dataclass(frozen=True)
class Received:
    lead_id: int
    created: bool
    location: str | None = None  # where to send the visitor (303), when the form asked


@dataclass(frozen=True)
class Browsers:
    """An entity's rules for deliveries from web pages (its settings, validated when saved)."""

    origins: frozenset[str]
    redirect_hosts: frozenset[str]

    def allow_origin(self, origin: str | None) -> str | None:
        """The Access-Control-Allow-Origin answer for `origin`, or None (the browser blocks)."""
        if origin is None or not self.origins:
            return None
        return "*" if "*" in self.origins else (origin if origin in self.origins else None)


@dataclass(frozen=True, repr=False)  # no repr: the key is a secret and never printed
class Access:
    """A delivery's key, the entity it opens, and the CORS answer for the page that sent it."""

    key: str
    entity_id: int
    allow_origin: str | None
    browsers: Browsers | None  # read when the delivery came from a page (Origin) only


async def _key_owner(key: str) -> int | None:
    row = (
        await unscoped(EntityWebhookKey)
        .filter(key=key, revoked_at=None)
        .first()
        .values_list("entity_id", flat=True)
    )
    return int(row) if row is not None else None  # type: ignore[call-overload]


_keys = Routes(KEY_CACHE_SECONDS, _key_owner)


NO_KEY = "A valid X-Webhook-Key is required"


async def entity_for_key(key: str | None) -> int:
    """The entity a live webhook key belongs to (remembered briefly: revocation takes ≤ 30 s)."""
    entity_id = await _live(key)
    if entity_id is None:
        raise Unauthorized(NO_KEY)
    return entity_id


@asynccontextmanager
async def _key_of_live_entity(key: str) -> AsyncIterator[None]:
    """An entity deleted (entity-delete) while its key was remembered took the key with it: the
    key is forgotten and the delivery refused as one with an unknown key (401), never taken for
    a retry or answered 404 or 500, so its sender knows the lead was not kept."""
    try:
        yield
    except EntityGone:
        _keys.forget(key)
        raise Unauthorized(NO_KEY) from None


async def _live(key: str | None) -> int | None:
    return await _keys.entity(key) if key and len(key) <= 128 else None


async def _browsers(entity_id: int) -> Browsers:
    row = await Entity.filter(id=entity_id).first().values("settings")
    if row is None:
        raise EntityGone()
    stored: dict[str, Any] = row["settings"] if isinstance(row["settings"], dict) else {}
    return Browsers(
        frozenset(stored.get("webhook_allowed_origins") or ()),
        frozenset(stored.get("webhook_redirect_hosts") or ()),
    )


async def preflight(key: str | None, origin: str | None) -> str | None:
    """The Access-Control-Allow-Origin answer to a CORS preflight, or None: no key, a key that
    is not live, or an origin the key's entity does not list all get the same silence."""
    entity_id = await _live(key)
    if key is None or entity_id is None or origin is None:
        return None
    try:
        return (await _browsers(entity_id)).allow_origin(origin)
    except EntityGone:
        _keys.forget(key)
        return None


async def website_access(key: str | None, origin: str | None) -> Access:
    """The entity a delivery's key opens (401 without a live key). A delivery from a web page
    (with an Origin) is refused (403) when the entity lists origins and this is not one of them;
    an entity that lists none takes it as before, without a CORS answer."""
    entity_id = await entity_for_key(key)
    async with _key_of_live_entity(key or ""):
        browsers = await _browsers(entity_id) if origin is not None else None
    allow = browsers.allow_origin(origin) if browsers else None
    if browsers and browsers.origins and allow is None:
        raise Forbidden("This origin may not post to this webhook key (see webhook_allowed_origins)")
    return Access(key or "", entity_id, allow, browsers)


async def _location(access: Access, redirect: str | None) -> str | None:
    """The `_redirect` URL when its host is one the entity allows; any other is a 400."""
    if redirect is None:
        return None
    browsers = access.browsers or await _browsers(access.entity_id)
    host = (urlsplit(redirect).hostname or "").removesuffix(".")
    if host not in browsers.redirect_hosts:
        raise ValidationFailed(
            "Validation failed: _redirect",
            errors=[{"field": "_redirect", "message": f"{host} is not one of the webhook_redirect_hosts"}],
        )
    return redirect


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
        "created_time": body.created_time,
        "page_url": body.page_url,
        "utm_source": utm.source,
        "utm_medium": utm.medium,
        "utm_campaign": utm.campaign,
        "utm_term": utm.term,
        "utm_content": utm.content,
    }


def _host(url: str | None) -> str | None:
    """The page's host as the lead's page name; one longer than the column (DNS allows 253) is
    left out, not cut: the lead's page_url keeps it whole."""
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:
        return None
    return host if host and len(host) <= PAGE_NAME_LENGTH else None


def _readable(person: Contact, nested: bool) -> Contact:
    """The contact of a delivery, which must hold an email or a phone. An e-mail or phone answer
    the lead can't keep is a 400 naming it, even beside the other: the sender can still say so to
    its visitor, where the lead would keep the answer out of sight (in raw_field_data only)."""
    if person.unreadable:
        errors = [
            {"field": f"answers.{bad.name}" if nested else bad.name, "message": bad.problem}
            for bad in person.unreadable
        ]
        shown = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        raise ValidationFailed(f"Validation failed: {shown}", errors=errors)
    if not person.email and not person.phone:
        why = "needs an email or a phone"
        raise ValidationFailed(f"The answers {why}", errors=[{"field": "answers", "message": why}])
    return person


async def receive_website(deps: Deps, access: Access, body: WebsiteLead, raw: dict[str, Any]) -> Received:
    """Create the lead of one delivery, or find the one an earlier delivery of it made. Nothing
    is written for a delivery whose `_redirect` names a host the entity does not allow."""
    entity_id = access.entity_id
    if body.entity_id is not None and body.entity_id != entity_id:
        raise Forbidden("entity_id does not match the webhook key")
    await _limit(deps, access.key)
    async with _key_of_live_entity(access.key):
        location = await _location(access, body.redirect)
        person = _readable(contact(body.answers), nested=bool(raw.get("answers")))
        source_ids = _source_ids(body, raw)
        fields = {**person.fields(), "raw_field_data": body.answers, "source_page_name": _host(body.page_url)}
        item = NewLead(
            entity_id, Platform.WEBSITE, _meta(body, source_ids[0]), fields, aliases=tuple(source_ids[1:])
        )
        outcome = await group_commit.submit(item)
    return Received(outcome.lead_id, created=outcome.created, location=location)


async def route_waiting(entity_id: int, page_id: str) -> int:
    """After a page is mapped to the entity: its Lead Ads deliveries kept meanwhile are routed."""
    return await facebook.route_waiting(entity_id, page_id)
