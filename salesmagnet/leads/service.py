"""Leads of the actor's entity: list, read, edit, create by hand, counts, pipeline.

Status changes are not edits: they belong to the stage workflow (transitions, history, SLA).
"""

from __future__ import annotations

import uuid
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from models import IngestionStatus, Lead, LeadMeta, LeadStage, Platform, RoleId, StatusName
from salesmagnet import events
from salesmagnet.db import atomic, iso, utcnow
from salesmagnet.errors import BadRequest, Forbidden
from salesmagnet.leads import events as lead_events
from salesmagnet.leads.schemas import MAX_LIMIT, MAX_PER_STATUS, LeadCreate, LeadQuery, LeadUpdate, Page
from salesmagnet.tenancy import Actor, get_owned, scoped

STATUS_IDS = {status: number for number, status in enumerate(StatusName, start=1)}
SUMMARY = (
    "id",
    "entity_id",
    "email",
    "phone",
    "first_name",
    "last_name",
    "full_name",
    "status",
    "platform_key",
    "source_page_id",
    "source_page_name",
    "assigned_user_id",
    "assigned_at",
    "created_at",
    "updated_at",
    "assigned_user__first_name",
    "assigned_user__last_name",
)
ATTRIBUTION = (
    "source_lead_id",
    "page_id",
    "form_id",
    "ad_id",
    "campaign_id",
    "created_time",
    "page_url",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "processing_status",
)
EDITABLE = ("first_name", "last_name", "full_name", "email", "phone")


def summary(row: dict[str, Any]) -> dict[str, Any]:
    """A `.values(*SUMMARY)` row as the API shows a lead."""
    first, last = row.pop("assigned_user__first_name", None), row.pop("assigned_user__last_name", None)
    out = {k: (iso(v) if k.endswith("_at") else v) for k, v in row.items()}
    out["status"], out["platform_key"] = str(row["status"]), str(row["platform_key"])
    out["assigned_user"] = (
        {"id": row["assigned_user_id"], "first_name": first, "last_name": last}
        if row["assigned_user_id"]
        else None
    )
    return out


async def lead_summary(actor: Actor, lead_id: int) -> dict[str, Any]:
    rows = await scoped(Lead, actor, id=lead_id).values(*SUMMARY)
    return summary(rows[0])


def _filtered(actor: Actor, query: LeadQuery) -> QuerySet[Lead]:
    qs = scoped(Lead, actor)
    if query.status:
        qs = qs.filter(status=query.status)
    if query.platform:
        qs = qs.filter(platform_key=query.platform)
    if query.assigned_user_id:
        qs = qs.filter(assigned_user_id=query.assigned_user_id)
    if query.date_from:
        qs = qs.filter(created_at__gte=query.date_from)
    if query.date_to:
        qs = qs.filter(created_at__lt=query.date_to)
    if query.search:  # Tortoise escapes LIKE wildcards in the term
        term = query.search
        qs = qs.filter(
            Q(email__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(full_name__icontains=term)
            | Q(phone__icontains=term)
        )
    return qs


def _echo(query: LeadQuery, limit: int) -> dict[str, Any]:
    filters = query.model_dump(mode="json", exclude_none=True)
    filters["limit"] = limit
    if limit != query.limit:
        filters["limit_clamped_from"] = query.limit
    return filters


async def list_leads(actor: Actor, query: LeadQuery) -> dict[str, Any]:
    """A page of matching leads, `total` counting every match."""
    limit = min(query.limit, MAX_LIMIT)
    qs = _filtered(actor, query)
    direction = "-" if query.order == "desc" else ""
    ordered = qs.order_by(f"{direction}{query.sort.value}", f"{direction}id")
    rows = await ordered.offset(query.offset).limit(limit).values(*SUMMARY)
    return {"leads": [summary(r) for r in rows], "total": await qs.count(), "filters": _echo(query, limit)}


async def get_lead(actor: Actor, lead_id: int) -> dict[str, Any]:
    """One lead with its answers and attribution (page, form, ad, campaign, UTM)."""
    lead = await get_owned(Lead, actor, lead_id, "Lead")
    meta = await scoped(LeadMeta, actor, id=lead.lead_meta_id).values(*ATTRIBUTION)  # type: ignore[attr-defined]
    out = await lead_summary(actor, lead.id)
    attribution = {k: (iso(v) if k == "created_time" else v) for k, v in (meta[0] if meta else {}).items()}
    return out | {
        "lead_meta_id": lead.lead_meta_id,  # type: ignore[attr-defined]
        "raw_field_data": lead.raw_field_data,
        "consent_time": iso(lead.consent_time),
        "attribution": attribution,
    }


def _may_edit(actor: Actor, lead: Lead) -> None:
    if actor.role == RoleId.SALES_REP and lead.assigned_user_id != actor.user_id:
        raise Forbidden("Sales reps can edit only the leads assigned to them")


async def update_lead(actor: Actor, lead_id: int, data: LeadUpdate) -> dict[str, Any]:
    """Edit contact fields; announces `lead:updated` with the fields that changed."""
    if data.status is not None:
        raise BadRequest("Status changes go through POST /api/stages/change-status")
    given = {k: v for k, v in data.model_dump(exclude_unset=True).items() if k in EDITABLE}
    if not given:
        raise BadRequest(f"No valid fields to update; editable: {', '.join(EDITABLE)}")
    async with atomic():
        lead = await get_owned(Lead, actor, lead_id, "Lead")
        _may_edit(actor, lead)
        changed = [k for k, v in given.items() if getattr(lead, k) != v]
        if changed:
            await scoped(Lead, actor, id=lead.id).update(
                **{k: given[k] for k in changed}, updated_at=utcnow()
            )
        out = await lead_summary(actor, lead.id)
        if changed:
            events.emit(lead_events.lead_updated(actor.entity_id, out, changed))
    return out


async def create_lead(actor: Actor, data: LeadCreate) -> dict[str, Any]:
    """A lead entered by hand: platform `manual`, first stage `new`; announces `lead:new`."""
    if data.status is not None:
        raise BadRequest("A new lead starts as new; change its status through the stage API")
    fields = data.model_dump(include=set(EDITABLE), exclude_none=True)
    if not fields.get("email") and not fields.get("phone"):
        raise BadRequest("A lead needs an email or a phone")
    meta = {"source_lead_id": data.source_lead_id or f"manual-{uuid.uuid4()}"}
    return await insert_lead(actor, Platform.MANUAL, meta, {**fields, "raw_field_data": data.raw_field_data})


async def insert_lead(
    actor: Actor, platform: Platform, meta: dict[str, Any], fields: dict[str, Any], meta_id: int | None = None
) -> dict[str, Any]:
    """The one way a lead comes to be (hand, website, Lead Ads): its lead_meta (new, or the
    `received` one given by id, now processed), the lead, its open `new` stage and `lead:new`,
    in one transaction. A repeated (platform, source_lead_id) raises IntegrityError, writing nothing."""
    async with atomic():
        if meta_id is None:
            created = await LeadMeta.create(
                entity_id=actor.entity_id,
                platform_key=platform,
                processing_status=IngestionStatus.PROCESSED,
                **meta,
            )
            meta_id = created.id
        else:
            await scoped(LeadMeta, actor, id=meta_id).update(
                processing_status=IngestionStatus.PROCESSED, failure_reason=None, **meta
            )
        lead = await Lead.create(
            entity_id=actor.entity_id,
            lead_meta_id=meta_id,
            platform_key=platform,
            source_page_id=meta.get("page_id"),
            **fields,
        )
        await LeadStage.create(
            entity_id=actor.entity_id,
            lead_id=lead.id,
            status_id=STATUS_IDS[StatusName.NEW],
            user_id=actor.user_id,
        )
        out = new_summary(lead)
        events.emit(lead_events.lead_new(actor.entity_id, out))
    return out


def new_summary(lead: Lead) -> dict[str, Any]:
    """The summary of a lead just created (no owner yet), without reading it back."""
    row = {name: getattr(lead, name) for name in SUMMARY if "__" not in name}
    return summary(row)


async def lead_for_source(actor: Actor, platform: Platform, source_lead_ids: list[str]) -> int | None:
    """The lead an earlier delivery with one of these source ids made, if any."""
    meta_ids = await scoped(
        LeadMeta, actor, platform_key=platform, source_lead_id__in=source_lead_ids
    ).values_list("id", flat=True)
    if not meta_ids:
        return None
    found = await scoped(Lead, actor, lead_meta_id__in=list(meta_ids)).first().values_list("id", flat=True)
    return int(found) if found is not None else None  # type: ignore[call-overload]


async def counts(actor: Actor) -> list[dict[str, Any]]:
    """Leads per status, every status listed (zeros included), in pipeline order."""
    rows = await scoped(Lead, actor).annotate(count=Count("id")).group_by("status").values("status", "count")
    found = {str(r["status"]): int(r["count"]) for r in rows}
    return [{"status": s.value, "count": found.get(s.value, 0)} for s in StatusName]


async def unassigned(actor: Actor, page: Page) -> dict[str, Any]:
    """Leads nobody owns, oldest first (the queue to work through)."""
    qs = scoped(Lead, actor, assigned_user_id=None)
    return await _page(qs.order_by("created_at", "id"), qs, page)


async def my_leads(actor: Actor, page: Page) -> dict[str, Any]:
    qs = scoped(Lead, actor, assigned_user_id=actor.user_id)
    return await _page(qs.order_by("-created_at", "-id"), qs, page)


async def _page(ordered: QuerySet[Lead], qs: QuerySet[Lead], page: Page) -> dict[str, Any]:
    limit = min(page.limit, MAX_LIMIT)
    rows = await ordered.offset(page.offset).limit(limit).values(*SUMMARY)
    return {
        "leads": [summary(r) for r in rows],
        "total": await qs.count(),
        "limit": limit,
        "offset": page.offset,
    }


async def pipeline(actor: Actor, per_status: int) -> dict[str, Any]:
    """Per status: the newest `per_status` leads (at most 100) and the full counts."""
    per_status = min(per_status, MAX_PER_STATUS)
    board = {}
    for status in StatusName:
        rows = (
            await scoped(Lead, actor, status=status)
            .order_by("-created_at", "-id")
            .limit(per_status)
            .values(*SUMMARY)
        )
        board[status.value] = [summary(r) for r in rows]
    return {"pipeline": board, "statusCounts": await counts(actor), "per_status": per_status}
