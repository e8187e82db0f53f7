"""Facebook and Instagram Lead Ads: a signed webhook says a lead exists; a job reads it from the
Graph API. Meta retries for 36 hours and out of order, so every step is idempotent: the unique
(platform, source lead id, entity) key of lead_meta, one lead per lead_meta, job ids per lead."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from datetime import timedelta
from typing import Any

from arq import Retry
from pydantic import ValidationError
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from models import IngestionStatus, Lead, LeadMeta, PageMapping, Platform, WebhookDelivery
from salesmagnet.config import Settings
from salesmagnet.db import iso, utcnow
from salesmagnet.deps import Deps
from salesmagnet.errors import Conflict, EntityGone, Forbidden, ServiceUnavailable, Unauthorized
from salesmagnet.leads.writer import NewLead, write_one
from salesmagnet.queue import MAX_TRIES, enqueue_after_commit
from salesmagnet.tenancy import Actor, create, get_owned, own_entity, scoped, unscoped
from salesmagnet.webhooks import graph
from salesmagnet.webhooks.lookup import Routes
from salesmagnet.webhooks.normalize import Contact, contact, when
from salesmagnet.webhooks.schemas import LeadgenChange

log = logging.getLogger("salesmagnet.webhooks")
PAGE_CACHE_SECONDS = 30.0
ROUTE_BATCH = 500  # kept deliveries of a newly mapped page read at a time
STUCK_AFTER = 120  # seconds a delivery may wait in `received` before the sweep re-queues it


def verify_subscription(
    settings: Settings, mode: str | None, token: str | None, challenge: str | None
) -> str:
    """Meta's subscription handshake: echo the challenge when the verify token matches."""
    expected = settings.fb_verify_token
    if (
        not expected
        or mode != "subscribe"
        or not token
        or not hmac.compare_digest(token.encode(), expected.encode())
    ):
        raise Forbidden("Verification failed")
    return challenge or ""


def verify_signature(settings: Settings, raw: bytes, header: str | None) -> None:
    """X-Hub-Signature-256 = sha256=HMAC(FB_APP_SECRET, raw body), compared in constant time."""
    if not settings.fb_app_secret:
        raise ServiceUnavailable("The Facebook webhook is not configured (FB_APP_SECRET)")
    if not header or not header.startswith("sha256="):
        raise Unauthorized("X-Hub-Signature-256 is required")
    expected = hmac.new(settings.fb_app_secret.encode(), raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), header[7:].strip().encode()):
        raise Forbidden("Invalid signature")


async def _page_owner(page_id: str) -> int | None:
    row = await unscoped(PageMapping).filter(page_id=page_id).first().values_list("entity_id", flat=True)
    return int(row) if row is not None else None  # type: ignore[call-overload]


_pages = Routes(PAGE_CACHE_SECONDS, _page_owner)


async def entity_for_page(page_id: str) -> int | None:
    """The entity a page is mapped to; a page mapped a moment ago (by any process) is found at
    once, so no lead of it is kept as unmapped."""
    return await _pages.entity(page_id)


def _leadgen_values(payload: Any) -> list[Any]:
    """The values of a delivery's leadgen changes (several entries and changes per POST), each
    with its entry's page id when it names none."""
    out = []
    entries = payload.get("entry") if isinstance(payload, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            if isinstance(change, dict) and change.get("field") == "leadgen":
                value = change.get("value")
                page_id = entry.get("id") if isinstance(entry, dict) else None
                out.append(
                    {**value, "page_id": value.get("page_id") or page_id}
                    if isinstance(value, dict)
                    else value
                )
    return out


def _changes(payload: Any) -> tuple[list[LeadgenChange], int]:
    """The delivery's leadgen changes that fit the lead_meta columns, and how many did not."""
    valid, invalid = [], 0
    for value in _leadgen_values(payload):
        try:
            valid.append(LeadgenChange.model_validate(value))
        except ValidationError as exc:
            invalid += 1
            fields = ", ".join(sorted({str(e["loc"][0]) if e["loc"] else "value" for e in exc.errors()}))
            log.warning("Lead Ads delivery: a leadgen change was skipped (invalid: %s)", fields)
    return valid, invalid


def _meta_fields(change: LeadgenChange) -> dict[str, Any]:
    return change.model_dump(include={"page_id", "form_id", "ad_id", "campaign_id", "created_time"})


async def receive(deps: Deps, payload: Any) -> dict[str, int]:
    """Store each leadgen change as a `received` lead_meta of its page's entity and queue its
    Graph read; an unmapped page is kept as a failed delivery, never dropped. A change that does
    not fit (no ids, ids longer than the columns) is counted as skipped and logged: the delivery
    is still acknowledged, since Meta would resend it unchanged for 36 hours."""
    changes, invalid = _changes(payload)
    counts = {"queued": 0, "duplicates": 0, "unmapped": 0, "skipped": invalid}
    for change in changes:
        entity_id = await entity_for_page(change.page_id)
        if entity_id is None:
            await _keep_unmapped(change)
            counts["unmapped"] += 1
            continue
        try:
            meta_id = await _receive_one(entity_id, change)
        except EntityGone:
            # Deleted (entity-delete) since its page was looked up, and its mapping with it:
            # the lead is kept as any unmapped page's is, for map-page to route.
            _pages.forget(change.page_id)
            await _keep_unmapped(change)
            counts["unmapped"] += 1
            continue
        if meta_id is None:
            counts["duplicates"] += 1
            continue
        await enqueue_fetch(deps, entity_id, meta_id)
        counts["queued"] += 1
    return counts


async def _receive_one(entity_id: int, change: LeadgenChange) -> int | None:
    """The new `received` lead_meta's id; None for a redelivery. EntityGone when the entity no
    longer exists (the row failed its foreign key, not the unique key)."""
    actor = Actor.system(entity_id)
    try:
        row = await create(
            LeadMeta,
            actor,
            platform_key=Platform.FACEBOOK,
            source_lead_id=change.leadgen_id,
            processing_status=IngestionStatus.RECEIVED,
            **_meta_fields(change),
        )
    except IntegrityError:
        await own_entity(actor)
        return None  # a redelivery: the first one is (being) processed
    return int(row.id)


async def _keep_unmapped(change: LeadgenChange) -> None:
    reason = f"page {change.page_id} is not mapped to an entity (salesmagnet map-page)"
    try:
        await WebhookDelivery.create(
            platform=Platform.FACEBOOK,
            page_id=change.page_id,
            source_lead_id=change.leadgen_id,
            payload=change.model_dump(mode="json", exclude_none=True),
            status=IngestionStatus.FAILED,
            failure_reason=reason,
        )
    except IntegrityError:
        return  # already kept (and logged)
    log.warning("Lead Ads lead %s kept: %s", change.leadgen_id, reason)
    # A map-page committed since the lookup has routed the kept deliveries, but not this one.
    if (entity_id := await _page_owner(change.page_id)) is not None:
        await route_waiting(entity_id, change.page_id)


async def enqueue_fetch(deps: Deps, entity_id: int, meta_id: int, attempt: str = "") -> None:
    """Queue the Graph read once the delivery is committed; with the queue (Redis) away, the
    stored delivery waits for the sweep (sweep_received) instead of failing a delivery Meta
    would then send again."""
    if deps.queue is None:
        return
    job_id = f"graph:{meta_id}{attempt}"
    await enqueue_after_commit(deps.queue, "fetch_graph_lead", entity_id, meta_id, job_id=job_id)


async def _fail(actor: Actor, meta_id: int, reason: str) -> str:
    await scoped(LeadMeta, actor, id=meta_id).update(
        processing_status=IngestionStatus.FAILED, failure_reason=reason[:255]
    )
    return "failed"


async def fetch_and_create(settings: Settings, entity_id: int, meta_id: int, attempt: int) -> str:
    """The job: read the lead from Graph and create it; retries transient errors with backoff."""
    actor = Actor.system(entity_id)
    meta = await scoped(LeadMeta, actor, id=meta_id).first()
    if meta is None or meta.processing_status == IngestionStatus.PROCESSED:
        return "done"
    if await scoped(Lead, actor, lead_meta_id=meta_id).exists():
        await scoped(LeadMeta, actor, id=meta_id).update(processing_status=IngestionStatus.PROCESSED)
        return "done"
    try:
        data = await graph.fetch_lead(settings, meta.source_lead_id)
    except graph.GraphError as exc:
        if exc.transient and attempt < MAX_TRIES:
            raise Retry(defer=min(settings.fb_retry_seconds * 2 ** (attempt - 1), 60)) from None
        waits = exc.transient  # Graph still away (a rate limit may last an hour): the sweep's turn
        log.warning(
            "Lead Ads lead %s (entity %s, lead_meta %s) %s after %d tries: %s",
            meta.source_lead_id,
            entity_id,
            meta_id,
            "still unread, the sweep tries again," if waits else "failed",
            attempt,
            exc,
        )
        if waits:
            await scoped(LeadMeta, actor, id=meta_id).update(failure_reason=str(exc)[:255])
            return "waiting"
        return await _fail(actor, meta_id, str(exc))
    return await _create_from_graph(actor, meta, data)


GRAPH_PLATFORMS = {
    "fb": Platform.FACEBOOK,
    "facebook": Platform.FACEBOOK,
    "ig": Platform.INSTAGRAM,
    "instagram": Platform.INSTAGRAM,
}


async def _mapped_platform(actor: Actor, page_id: str | None) -> Platform:
    """The platform the page was mapped as (map-page --platform), when Graph does not say;
    a page mapped as both is Facebook."""
    mapped = set(await scoped(PageMapping, actor, page_id=page_id).values_list("platform", flat=True))
    return Platform.INSTAGRAM if mapped == {Platform.INSTAGRAM.value} else Platform.FACEBOOK


def _graph_meta(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Attribution Graph returned, and the names of the ids longer than their columns (64),
    which are left out, never cut (a shortened id is another ad's)."""
    given = {
        name: str(value)
        for name in ("form_id", "ad_id", "campaign_id")
        if isinstance(value := data.get(name), str | int) and not isinstance(value, bool) and str(value)
    }
    too_long = [name for name, value in given.items() if len(value) > 64]
    ids = {name: value for name, value in given.items() if name not in too_long}
    return {**ids, "created_time": when(data.get("created_time"))}, too_long


def _log_left_out(
    actor: Actor, meta: LeadMeta, person: Contact, data: dict[str, Any], ids: list[str]
) -> None:
    """One warning for each answer or id the lead is made without (raw_field_data keeps the
    answers; the log is where a left-out id is seen whole)."""
    for bad in person.unreadable:
        log.warning(
            "Lead Ads lead %s (entity %s, lead_meta %s) is made without its %s: answer %r, %s"
            " (kept in the lead's raw_field_data)",
            meta.source_lead_id,
            actor.entity_id,
            meta.id,
            bad.kind,
            bad.name,
            bad.problem,
        )
    for name in ids:
        log.warning(
            "Lead Ads lead %s (entity %s, lead_meta %s) is made without its %s: Graph's %r is longer"
            " than 64 characters",
            meta.source_lead_id,
            actor.entity_id,
            meta.id,
            name,
            str(data[name]),
        )


async def _create_from_graph(actor: Actor, meta: LeadMeta, data: dict[str, Any]) -> str:
    raw = data.get("field_data")
    field_data: list[Any] = raw if isinstance(raw, list) else []
    answers: dict[str, Any] = {}
    for field in field_data:
        if isinstance(field, dict) and field.get("name"):
            values = field.get("values") or []
            answers[str(field["name"])] = values[0] if len(values) == 1 else values
    person = contact(answers)
    attribution, too_long = _graph_meta(data)
    _log_left_out(actor, meta, person, data, too_long)
    platform = GRAPH_PLATFORMS.get(str(data.get("platform", "")).lower()) or await _mapped_platform(
        actor, meta.page_id
    )
    # The delivery's page: the lead names it (source_page_id), as a website lead names its own.
    update = {"page_id": meta.page_id} | {k: v for k, v in attribution.items() if v is not None}
    fields = {**person.fields(), "raw_field_data": field_data}
    item = NewLead(actor.entity_id, platform, update, fields, meta_id=meta.id)
    try:
        await write_one(item)
    except IntegrityError:
        pass  # a concurrent run of this job created it
    return "created"


async def sweep_received(deps: Deps) -> int:
    """Re-queue deliveries stuck in `received` (a lost job, a crash before enqueueing)."""
    stuck = await (
        unscoped(LeadMeta)
        .filter(
            processing_status=IngestionStatus.RECEIVED,
            received_at__lt=utcnow() - timedelta(seconds=STUCK_AFTER),
            platform_key=Platform.FACEBOOK,
        )
        .order_by("received_at")
        .limit(500)
        .values("id", "entity_id")
    )
    window = int(time.time()) // 600
    for row in stuck:
        await enqueue_fetch(deps, row["entity_id"], row["id"], attempt=f":sweep:{window}")
    return len(stuck)


async def route_waiting(entity_id: int, page_id: str) -> int:
    """After a page is mapped: its kept deliveries become `received` lead_meta (the sweep reads
    them), ROUTE_BATCH at a time in id order (a page unmapped for weeks may have kept many)."""
    routed, after = 0, 0
    while batch := await _kept_after(page_id, after):
        after = batch[-1]["id"]
        routed += await _route(entity_id, batch)
    return routed


async def _kept_after(page_id: str, after: int) -> list[dict[str, Any]]:
    return (
        await unscoped(WebhookDelivery)
        .filter(page_id=page_id, entity_id=None, id__gt=after)
        .order_by("id")
        .limit(ROUTE_BATCH)
        .values("id", "source_lead_id", "payload")
    )


async def _route(entity_id: int, waiting: list[dict[str, Any]]) -> int:
    routed = 0
    for row in waiting:
        try:
            change = LeadgenChange.model_validate({**row["payload"], "leadgen_id": row["source_lead_id"]})
        except ValidationError:
            continue  # kept before deliveries were validated, and does not fit lead_meta
        meta_id = await _receive_one(entity_id, change)
        await (
            unscoped(WebhookDelivery)
            .filter(id=row["id"], entity_id=None)  # a concurrent route_waiting may have routed it
            .update(
                entity_id=entity_id,
                lead_meta_id=meta_id,
                status=IngestionStatus.PROCESSED,
                processed_at=utcnow(),
            )
        )
        routed += 1
    return routed


async def failures(actor: Actor, limit: int, offset: int) -> dict[str, Any]:
    """The entity's deliveries that failed, or have waited too long, newest first: one still
    `received` past the sweep's patience has no worker reading Graph for it (none running, or
    the queue away), and its admin should know."""
    waited = utcnow() - timedelta(seconds=STUCK_AFTER)
    qs = scoped(LeadMeta, actor).filter(
        Q(processing_status=IngestionStatus.FAILED)
        | Q(processing_status=IngestionStatus.RECEIVED, received_at__lt=waited)
    )
    rows = (
        await qs.order_by("-id")
        .offset(offset)
        .limit(limit)
        .values(
            "id",
            "platform_key",
            "source_lead_id",
            "page_id",
            "form_id",
            "failure_reason",
            "received_at",
            "processing_status",
        )
    )
    out = [
        {
            **r,
            "platform_key": str(r["platform_key"]),
            "processing_status": str(r["processing_status"]),
            "received_at": iso(r["received_at"]),
        }
        for r in rows
    ]
    return {"failures": out, "total": await qs.count()}


async def retry(deps: Deps, actor: Actor, meta_id: int) -> None:
    """Queue another Graph read of a failed or waiting delivery; one that already became a
    lead is a 409 (nothing to retry)."""
    await get_owned(LeadMeta, actor, meta_id, "Delivery")
    reopened = (
        await scoped(LeadMeta, actor, id=meta_id)
        .exclude(processing_status=IngestionStatus.PROCESSED)
        .update(processing_status=IngestionStatus.RECEIVED, failure_reason=None)
    )
    if not reopened:
        raise Conflict("This delivery was already processed (its lead exists): nothing to retry")
    await enqueue_fetch(deps, actor.entity_id, meta_id, attempt=f":retry:{int(time.time())}")
