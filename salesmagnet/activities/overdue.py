"""The overdue follow-up monitor: a pending activity whose `next_follow_up_at` has passed is
announced once per activity and due time with `followup:overdue`, to the entity, the activity's
owner and the lead's owner.

"Once" is the row's `overdue_notified_for` (the due time announced), claimed as
salesmagnet.monitoring says. Moving the follow-up to another time clears it (armed again);
completing or cancelling takes the row out of `pending`. Due rows are
found by the (status, overdue_notified_for, next_follow_up_at) index: announced ones leave that
range, so a scan reads only what became due since the last one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models import ActivityStatus, LeadActivity
from salesmagnet import events, monitoring
from salesmagnet.db import iso, to_utc
from salesmagnet.tenancy import Actor, entities_among, scoped, unscoped

PENDING = ActivityStatus.PENDING
ACTIVITY = ("id", "lead_id", "user_id", "activity_type", "description", "priority", "next_follow_up_at")


async def due_entities(now: datetime, limit: int) -> set[int]:
    """Entities with a follow-up past due and not announced (across entities)."""
    due = unscoped(LeadActivity).filter(status=PENDING, overdue_notified_for=None, next_follow_up_at__lte=now)
    return await entities_among(due, limit)


async def announce(actor: Actor, now: datetime, batch: int) -> int:
    """Announce the entity's overdue follow-ups (at most `batch`); how many this call did."""
    due = scoped(LeadActivity, actor, status=PENDING, overdue_notified_for=None, next_follow_up_at__lte=now)
    return await monitoring.announce(
        actor,
        lambda: due.order_by("id").limit(batch).values(*ACTIVITY),
        lambda activity: _claim(actor, activity),
        lambda activity, lead: _overdue(actor.entity_id, activity, lead, now),
    )


async def _claim(actor: Actor, activity: dict[str, Any]) -> bool:
    """Mark this due time announced, if the follow-up is still pending at it and nobody did."""
    due = activity["next_follow_up_at"]
    changed = await scoped(
        LeadActivity,
        actor,
        id=activity["id"],
        status=PENDING,
        overdue_notified_for=None,
        next_follow_up_at=due,
    ).update(overdue_notified_for=due)
    return bool(changed)


def _overdue(entity_id: int, activity: dict[str, Any], lead: dict[str, Any], now: datetime) -> events.Event:
    due = to_utc(activity["next_follow_up_at"])
    shown = {k: getattr(v, "value", v) for k, v in activity.items() if k != "next_follow_up_at"}
    data = {
        "activity": {**shown, "next_follow_up_date": iso(due)},
        "lead": lead,
        "due_at": iso(due),
        "hours_overdue": round((now - due).total_seconds() / 3600, 2),
    }
    users = tuple(dict.fromkeys(u for u in (activity["user_id"], lead["assigned_user_id"]) if u))
    return events.Event("followup:overdue", entity_id, data, users)
