"""The SLA breach monitor: a lead whose open stage outlived its SLA deadline (`sla_due_at`,
recorded when the stage opened) is announced once per lead and stage with `sla:breach`, to the
entity and the lead's owner.

"Once" is the stage row's `sla_breached_at`, claimed as salesmagnet.monitoring says. Due stages are
found by the (exited_at, sla_breached_at, sla_due_at) index: an announced stage leaves that
range, so a scan reads only what became due since the last one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models import LeadStage
from salesmagnet import events, monitoring
from salesmagnet.db import iso, to_utc
from salesmagnet.leads import rollups as lead_rollups
from salesmagnet.stages import rollups as stage_rollups
from salesmagnet.stages.schemas import BY_ID
from salesmagnet.tenancy import Actor, entities_among, scoped, unscoped


async def due_entities(now: datetime, limit: int) -> set[int]:
    """Entities with a stage past its deadline and not announced (across entities: the scan
    that fans out a job per entity)."""
    due = unscoped(LeadStage).filter(exited_at=None, sla_breached_at=None, sla_due_at__lte=now)
    return await entities_among(due, limit)


async def announce(actor: Actor, now: datetime, batch: int) -> int:
    """Announce the entity's due stages (at most `batch`); how many this call announced."""
    due = scoped(LeadStage, actor, exited_at=None, sla_breached_at=None, sla_due_at__lte=now).order_by("id")
    return await monitoring.announce(
        actor,
        lambda: due.limit(batch).values("id", "lead_id", "status_id", "entered_at", "sla_due_at", "user_id"),
        lambda stage: _claim(actor, stage, now),
        lambda stage, lead: _breach(actor.entity_id, stage, lead, now),
    )


async def _claim(actor: Actor, stage: dict[str, Any], now: datetime) -> bool:
    """Mark the stage announced if it is still open, still past its deadline (the entity may
    have moved it since the scan) and nobody did: True when this call did (and it counts, in
    the stage rollups, as open past its deadline)."""
    changed = await scoped(
        LeadStage, actor, id=stage["id"], exited_at=None, sla_breached_at=None, sla_due_at__lte=now
    ).update(sla_breached_at=now)
    if changed:
        await stage_rollups.move(actor, [stage_rollups.breached(await lead_rollups.zone_of(actor), stage)])
    return bool(changed)


def _breach(entity_id: int, stage: dict[str, Any], lead: dict[str, Any], now: datetime) -> events.Event:
    deadline, entered = to_utc(stage["sla_due_at"]), to_utc(stage["entered_at"])
    over = (now - deadline).total_seconds() / 3600
    spent = (deadline - entered).total_seconds() / 3600
    data = {
        "lead_id": lead["id"],
        "lead": lead,
        "stage_id": stage["id"],
        "status": BY_ID[stage["status_id"]].value,
        "entered_at": iso(entered),
        "deadline": iso(deadline),
        "sla_hours": round(spent, 2),
        "hours_over": round(over, 2),
        "assigned_user_id": lead["assigned_user_id"],
    }
    owner = lead["assigned_user_id"]
    return events.Event("sla:breach", entity_id, data, (owner,) if owner else ())
