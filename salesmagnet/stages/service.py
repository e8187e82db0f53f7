"""A lead's way through the pipeline: change its status along the transition graph, its current
stage, history and next statuses, and the notes of a stage.

A status change is one transaction: the lead gate (`leads.change`: row lock, counters, board)
moves the lead, the open stage row closes (`exited_at`, `duration_hours` to two decimals), the
next opens with its SLA deadline, a `status_change` activity is logged and `lead:status_changed`
announced. The gate's row lock makes two changes of one lead take turns: the second sees the
first's status and is refused with the statuses allowed from there, so a lead never has two open
stages.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from models import (
    STATUS_IDS,
    ActivityStatus,
    ActivityType,
    Lead,
    LeadActivity,
    LeadStage,
    LeadStatus,
    RoleId,
    StatusName,
)
from salesmagnet import events, tenancy
from salesmagnet.db import atomic, iso, retried, utcnow
from salesmagnet.entities import settings as entity_settings
from salesmagnet.errors import Forbidden, InvalidTransition, NotFound
from salesmagnet.leads import service as leads
from salesmagnet.stages.schemas import ChangeStatus, StageQuery, UpdateNotes
from salesmagnet.tenancy import Actor, get_owned, scoped

S = StatusName
TRANSITIONS: dict[StatusName, tuple[StatusName, ...]] = {
    S.NEW: (S.QUALIFIED, S.LOST),
    S.QUALIFIED: (S.CONTACTED, S.LOST),
    S.CONTACTED: (S.MEETING_SCHEDULED, S.PROPOSAL_SENT, S.LOST),
    S.MEETING_SCHEDULED: (S.PROPOSAL_SENT, S.NEGOTIATION, S.LOST),
    S.PROPOSAL_SENT: (S.NEGOTIATION, S.WON, S.LOST),
    S.NEGOTIATION: (S.WON, S.LOST),
    S.WON: (),
    S.LOST: (),
}
STAGE = (
    "id", "lead_id", "status_id", "entered_at", "exited_at", "duration_hours", "user_id", "notes",
    "next_action_required", "sla_due_at", "sla_breached_at",
)  # fmt: skip
NAMES = {
    "status_name": "status__name",
    "status_description": "status__description",
    "first_name": "user__first_name",
    "last_name": "user__last_name",
    "user_email": "user__email",
}
LEAD = {
    "lead_email": "lead__email",
    "lead_first_name": "lead__first_name",
    "lead_last_name": "lead__last_name",
    "platform_key": "lead__platform_key",
    "assigned_user_id": "lead__assigned_user_id",
}
HOUR = Decimal("3600")
CENTS = Decimal("0.01")


def hours(seconds: float) -> Decimal:
    """Seconds as hours to two decimals (half up), as durations are stored."""
    return (Decimal(str(seconds)) / HOUR).quantize(CENTS, rounding=ROUND_HALF_UP)


def rows(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stage rows as the API shows them: ISO times, hours as numbers, status names."""
    for row in found:
        for key in ("entered_at", "exited_at", "sla_due_at", "sla_breached_at"):
            if key in row:
                row[key] = iso(row[key])
        if row.get("duration_hours") is not None:
            row["duration_hours"] = float(row["duration_hours"])
        if "platform_key" in row and row["platform_key"] is not None:
            row["platform_key"] = str(getattr(row["platform_key"], "value", row["platform_key"]))
    return found


async def _stage(actor: Actor, stage_id: int) -> dict[str, Any]:
    return rows(await scoped(LeadStage, actor, id=stage_id).values(*STAGE, **NAMES))[0]


def _may_move(actor: Actor, lead: Lead) -> None:
    """Admins and managers move any lead of the entity; a sales rep only the leads they own."""
    if actor.role in (RoleId.ADMIN, RoleId.MANAGER):
        return
    if actor.role != RoleId.SALES_REP or lead.assigned_user_id != actor.user_id:
        raise Forbidden("Sales reps can move only the leads assigned to them")


async def change_status(actor: Actor, data: ChangeStatus) -> dict[str, Any]:
    """Move the lead to `data.status` if the graph allows it from where the lead is."""
    return await retried(lambda: _change_status(actor, data))


async def _change_status(actor: Actor, data: ChangeStatus) -> dict[str, Any]:
    assert data.status is not None  # the schema requires it
    target = data.status
    async with atomic():
        _may_move(actor, await get_owned(Lead, actor, data.lead_id, "Lead"))
        policy = await entity_settings.of(actor)
        moved = await leads.change(actor, data.lead_id, status=target.value)
        previous = StatusName(moved.previous_status)
        if target not in TRANSITIONS[previous]:
            raise _refused(previous, target)
        now = utcnow()
        await _close_open_stage(actor, data.lead_id, now)
        row = await tenancy.create(
            LeadStage,
            actor,
            lead_id=data.lead_id,
            status_id=STATUS_IDS[target],
            entered_at=now,
            user_id=actor.user_id,
            notes=data.notes,
            next_action_required=data.next_action_required,
            sla_due_at=entity_settings.sla_due(policy, target, now),
        )
        if actor.user_id is not None:
            await tenancy.create(
                LeadActivity,
                actor,
                lead_id=data.lead_id,
                user_id=actor.user_id,
                activity_type=ActivityType.STATUS_CHANGE,
                description=f"Status changed from {previous.value} to {target.value}"
                + (f": {data.notes}" if data.notes else ""),
                status=ActivityStatus.COMPLETED,
            )
        stage = await _stage(actor, row.id)
        events.emit(
            events.Event(
                "lead:status_changed",
                actor.entity_id,
                {
                    "lead_id": data.lead_id,
                    "previous_status": previous.value,
                    "new_status": target.value,
                    "stage": stage,
                    "lead": moved.lead,
                },
            )
        )
    return {
        "stage_id": row.id,
        "current_stage": stage,
        "previous_status": previous.value,
        "new_status": target.value,
        "transition_valid": True,
        "lead": moved.lead,
    }


def _refused(current: StatusName, target: StatusName) -> InvalidTransition:
    allowed = [s.value for s in TRANSITIONS[current]]
    if not allowed:
        message = f"'{current.value}' is final: a {current.value} lead does not move"
    elif current == target:
        message = f"The lead is already {current.value}; allowed next: {', '.join(allowed)}"
    else:
        message = (
            f"Invalid transition from '{current.value}' to '{target.value}'; allowed: {', '.join(allowed)}"
        )
    return InvalidTransition(
        message,
        data={"current_status": current.value, "requested_status": target.value, "allowed_statuses": allowed},
    )


async def _close_open_stage(actor: Actor, lead_id: int, now: Any) -> None:
    """End the lead's open stage now, with its duration in hours (two decimals). A locking read:
    on MariaDB a plain one would see the transaction's snapshot, taken before it waited for the
    lead's lock, and miss the stage a concurrent change just opened."""
    open_stages = scoped(LeadStage, actor, lead_id=lead_id, exited_at=None).select_for_update()
    for stage in await open_stages.only("id", "entered_at"):
        spent = max((now - stage.entered_at).total_seconds(), 0.0)
        await scoped(LeadStage, actor, id=stage.id).update(
            exited_at=now, duration_hours=hours(spent), updated_at=now
        )


async def current(actor: Actor, lead_id: int) -> dict[str, Any] | None:
    """The lead's open stage (None for a lead that has none)."""
    lead = await get_owned(Lead, actor, lead_id, "Lead")
    found = await scoped(LeadStage, actor, lead_id=lead.id, exited_at=None).values(*STAGE, **NAMES)
    return rows(found)[0] if found else None


async def history(actor: Actor, lead_id: int) -> list[dict[str, Any]]:
    """Every stage of the lead, oldest first, with who moved it there."""
    lead = await get_owned(Lead, actor, lead_id, "Lead")
    found = (
        await scoped(LeadStage, actor, lead_id=lead.id).order_by("entered_at", "id").values(*STAGE, **NAMES)
    )
    return rows(found)


async def next_statuses(actor: Actor, lead_id: int) -> dict[str, Any]:
    lead = await get_owned(Lead, actor, lead_id, "Lead")
    status = StatusName(lead.status)
    allowed = [STATUS_IDS[s] for s in TRANSITIONS[status]]
    found = (
        await LeadStatus.filter(id__in=allowed, is_active=True)
        .order_by("id")
        .values("id", "name", "description")
    )
    return {"current_status": status.value, "next_possible_statuses": found}


async def update_notes(actor: Actor, data: UpdateNotes) -> dict[str, Any]:
    """Set the notes and/or next action of a stage of the entity (only the fields given)."""
    given = data.model_dump(include={"notes", "next_action_required"}, exclude_unset=True)
    async with atomic():
        stage = await scoped(LeadStage, actor, id=data.stage_id).select_for_update().first()
        if stage is None:
            raise NotFound("Stage not found")
        _may_move(actor, await get_owned(Lead, actor, stage.lead_id, "Lead"))  # type: ignore[attr-defined]
        if given:
            await scoped(LeadStage, actor, id=stage.id).update(**given, updated_at=utcnow())
        return await _stage(actor, stage.id)


async def entity_stages(actor: Actor, query: StageQuery) -> dict[str, Any]:
    """The entity's stage rows, newest first, with their leads; `total` counts every match."""
    filters: dict[str, Any] = {}
    if query.status_id is not None:
        filters["status_id"] = STATUS_IDS[query.status_id]
    if query.user_id is not None:
        filters["user_id"] = query.user_id
    if query.lead_id is not None:
        filters["lead_id"] = query.lead_id
    if query.date_from is not None:
        filters["entered_at__gte"] = query.date_from
    if query.date_to is not None:
        filters["entered_at__lt"] = query.date_to
    if query.active_only:
        filters["exited_at__isnull"] = True
    matching = scoped(LeadStage, actor, **filters)
    found = (
        await matching.order_by("-entered_at", "-id")
        .offset(query.offset)
        .limit(query.limit)
        .values(*STAGE, **NAMES, **LEAD)
    )
    return {"stages": rows(found), "total": await matching.count()}
