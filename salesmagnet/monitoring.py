"""What the deadline monitors (SLA breaches, overdue follow-ups) share: announcing due items
exactly once.

An item is announced in one transaction: each due item is claimed by a conditional UPDATE of
its own row (True only for the call that changed it), and the claimed items' events go to the
outbox in the same transaction. Two workers, a retried job or a worker killed mid-way cannot
announce an item twice, and an item nobody announced stays due until one does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from models import Lead
from salesmagnet import events
from salesmagnet.db import atomic, retried
from salesmagnet.tenancy import Actor, scoped

Item = dict[str, Any]
LEAD = (
    "id",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "phone",
    "status",
    "platform_key",
    "assigned_user_id",
)


async def announce(
    actor: Actor,
    find: Callable[[], Awaitable[list[Item]]],
    claim: Callable[[Item], Awaitable[bool]],
    event: Callable[[Item, Item], events.Event],
) -> int:
    """Claim the due items `find` reads (each with its `lead_id`) and emit `event(item, lead)`
    for those this call claimed; how many it announced. Deadlocks are retried."""

    async def once() -> int:
        due = await find()
        if not due:
            return 0
        async with atomic():
            claimed = [item for item in due if await claim(item)]
            if claimed:
                leads = await scoped(Lead, actor, id__in=sorted({i["lead_id"] for i in claimed})).values(
                    *LEAD
                )
                by_id = {lead["id"]: {k: getattr(v, "value", v) for k, v in lead.items()} for lead in leads}
                for item in claimed:
                    events.emit(event(item, by_id[item["lead_id"]]))
        return len(claimed)

    return await retried(once)
