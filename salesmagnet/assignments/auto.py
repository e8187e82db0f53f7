"""Auto-assignment: new leads are born owned, by the entity's `auto_assignment` setting.

The lead writer asks `deal()` for the owners of a batch of new leads inside its transaction, so
the lead row, its counters and its `lead:new` already carry the owner; `record()` then writes
each lead's history row (action `auto`) and `assignment` activity and announces `lead:assigned`
to the entity and the rep.

- `round_robin`: the entity's active sales reps by id, in turn. The batch takes its turns from
  the entity's cursor row in one locking statement, so concurrent batches — in one process or
  many — share one rotation.
- `least_loaded`: each lead to the rep with the fewest open leads (then the lowest id), from
  the lead counters; the cursor row is locked too, so two batches never read the same loads.
- `auto_assignment_online_first`: only reps with a live socket, when any is online.
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from models import ActivityStatus, ActivityType, AssignmentAction, RoleId
from salesmagnet import events, outages
from salesmagnet.db import iso
from salesmagnet.leads import counts
from salesmagnet.tenancy import Actor, add_counts, fetch, insert_rows

log = logging.getLogger(__name__)
Online = Callable[[int], Awaitable[dict[int, str]]]
_online: Online | None = None
REASON = {
    "round_robin": "Automatic assignment (round robin)",
    "least_loaded": "Automatic assignment (least loaded)",
}


def use_presence(online: Online | None) -> None:
    """Who is online per entity (the presence store's `online`), for `online first`."""
    global _online
    _online = online


@dataclass(frozen=True)
class Rep:
    id: int
    first_name: str | None
    last_name: str | None

    def person(self) -> dict[str, Any]:
        return {"id": self.id, "first_name": self.first_name, "last_name": self.last_name}


async def deal(actor: Actor, settings: dict[str, Any], count: int) -> list[Rep | None]:
    """An owner for each of `count` new leads (all None when auto-assignment is off or the
    entity has no active sales rep)."""
    mode = settings["auto_assignment"]
    if mode == "off" or count == 0:
        return [None] * count
    reps = await _pool(actor, bool(settings["auto_assignment_online_first"]))
    if not reps:
        return [None] * count
    turn = await _take_turns(actor, count)
    if mode == "round_robin":
        first = turn - count
        return [reps[(first + i) % len(reps)] for i in range(count)]
    loads = await counts.by_owner(actor, latest=True)  # the batch before ours committed them
    heap = [(loads.get(rep.id, (0, 0))[0], rep.id, rep) for rep in reps]
    heapq.heapify(heap)
    owners: list[Rep | None] = []
    for _ in range(count):
        load, rep_id, rep = heap[0]
        heapq.heapreplace(heap, (load + 1, rep_id, rep))
        owners.append(rep)
    return owners


async def _pool(actor: Actor, online_first: bool) -> list[Rep]:
    rows = await fetch(
        actor,
        "SELECT id, first_name, last_name FROM users WHERE entity_id = :entity AND role_id = :role "
        "AND is_active = :yes ORDER BY id",
        role=int(RoleId.SALES_REP),
        yes=True,
    )
    reps = [Rep(int(r["id"]), r["first_name"], r["last_name"]) for r in rows]
    if online_first and _online is not None and reps:
        try:
            online = await _online(actor.entity_id)
        except Exception as exc:  # presence away: deal to everyone rather than refuse the leads
            outages.log_failure(log, exc, "Presence unreadable; auto-assigning among all reps")
            online = {}
        return [rep for rep in reps if rep.id in online] or reps
    return reps


async def _take_turns(actor: Actor, count: int) -> int:
    """Advance the entity's cursor by `count` (locking it until commit); the new last turn."""
    await add_counts(actor, "assignment_cursors", (), "turn", [(count,)])
    rows = await fetch(actor, "SELECT turn FROM assignment_cursors WHERE entity_id = :entity")
    return int(rows[0]["turn"])


async def record(actor: Actor, mode: str, dealt: list[tuple[dict[str, Any], Rep]], now: datetime) -> None:
    """History rows, activities and `lead:assigned` of leads just written with these owners
    (`dealt`: each new lead's summary and its rep)."""
    if not dealt:
        return
    reason = REASON.get(mode, "Automatic assignment")
    rows = [(lead["id"], AssignmentAction.AUTO.value, rep.id, reason, now) for lead, rep in dealt]
    columns = ("lead_id", "action", "assigned_user_id", "reassignment_reason", "assigned_at")
    ids = await insert_rows(actor, "lead_assignments", columns, rows)
    await insert_rows(
        actor,
        "lead_activities",
        (
            "lead_id",
            "user_id",
            "activity_type",
            "description",
            "priority",
            "status",
            "created_at",
            "updated_at",
        ),
        [
            (
                lead["id"],
                rep.id,
                ActivityType.ASSIGNMENT.value,
                f"Lead assigned to {_name(rep)}: {reason}",
                "medium",
                ActivityStatus.COMPLETED.value,
                now,
                now,
            )
            for lead, rep in dealt
        ],
    )
    for index, (lead, rep) in enumerate(dealt):
        assignment = {
            "id": ids[index] if ids else None,
            "lead_id": lead["id"],
            "action": AssignmentAction.AUTO.value,
            "assigned_user_id": rep.id,
            "assigned_by_user_id": None,
            "previous_user_id": None,
            "reassignment_reason": reason,
            "notes": None,
            "assigned_at": iso(now),
        }
        data = {
            "lead": lead,
            "assignment": assignment,
            "assigned_user": rep.person(),
            "previous_user_id": None,
        }
        events.emit(events.Event("lead:assigned", actor.entity_id, data, (rep.id,)))


def _name(rep: Rep) -> str:
    return f"{rep.first_name or ''} {rep.last_name or ''}".strip()
