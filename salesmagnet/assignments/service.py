"""Assign, reassign and unassign leads; their history; the entity's assignments and workload.

Every change of owner goes through the lead gate (`leads.change`: row lock, counters, board) in
one transaction with its history row (one per event, never overwritten), its `assignment`
activity and its event: `lead:assigned` to the entity and the assignee's own room (the rep's
alert), `lead:unassigned` to the entity and the previous owner.
"""

from __future__ import annotations

import asyncio
import functools
from collections import defaultdict, deque
from contextvars import Context
from itertools import islice
from typing import Any

from tortoise.expressions import Q

from models import (
    AssignmentAction,
    Lead,
    LeadAssignment,
    RoleId,
    User,
)
from salesmagnet import events, rawsql, tenancy
from salesmagnet.assignments import auto, records
from salesmagnet.assignments.records import HISTORY
from salesmagnet.assignments.schemas import (
    Assign,
    AssignmentQuery,
    BulkAssign,
    MyAssignmentQuery,
    Reassign,
    Unassign,
)
from salesmagnet.db import atomic, iso, retried, utcnow
from salesmagnet.entities import settings as entity_settings
from salesmagnet.errors import Conflict, Forbidden, InvalidTransition, NotFound
from salesmagnet.leads import rollups as lead_rollups
from salesmagnet.leads import service as leads
from salesmagnet.statements import Statement
from salesmagnet.tenancy import Actor, get_owned, scoped

OWNER_ROLES = (RoleId.SALES_REP, RoleId.MANAGER)  # roles that work leads
BULK_BATCH = 1000  # leads assigned per transaction in a bulk assignment
BULK_IN_FLIGHT = 3  # bulk batches written at once


class Ineligible(InvalidTransition):
    default_message = "This user cannot own leads"


_ASSIGNEE = rawsql.Packed(("id", "first_name", "last_name", "is_active", "role_id"))


def _assignee_read(actor: Actor, user_id: int) -> Statement:
    return tenancy.statement(
        actor, f"SELECT {_ASSIGNEE.select} FROM users WHERE entity_id = :entity AND id = :id", id=user_id
    )


def _assignee(found: list[dict[str, Any]]) -> records.Owner:
    """An active user of the caller's entity whose role owns leads (404 for another entity's)."""
    if not found:
        raise NotFound("User not found")
    user = _ASSIGNEE.row(found[0])
    if not user["is_active"]:
        raise Ineligible("The assignee is not active")
    if RoleId(user["role_id"]) not in OWNER_ROLES:
        raise Ineligible("The assignee's role does not own leads (sales_rep or manager)")
    return records.Owner(int(user["id"]), user["first_name"], user["last_name"])


async def _may_take(actor: Actor, lead_id: int, assignee_id: int) -> None:
    """Admins and managers assign; a sales rep only takes an unassigned lead for themself, and
    only where the entity allows it (settings.reps_take_unassigned)."""
    if actor.role in (RoleId.ADMIN, RoleId.MANAGER):
        return
    allowed = await entity_settings.flag(actor, "reps_take_unassigned")
    if actor.role != RoleId.SALES_REP or assignee_id != actor.user_id or not allowed:
        raise Forbidden("Only admins and managers assign leads")


async def assign(actor: Actor, data: Assign) -> dict[str, Any]:
    """Give an unassigned lead its owner (an owned lead is a 409: reassign it)."""
    await _may_take(actor, data.lead_id, data.assigned_user_id)
    return await _move(
        actor, data.lead_id, data.assigned_user_id, AssignmentAction.ASSIGN, data.reason, data.notes
    )


async def reassign(actor: Actor, data: Reassign) -> dict[str, Any]:
    """Move an owned lead to another owner (the current owner again is a 409)."""
    return await _move(
        actor, data.lead_id, data.new_assigned_user_id, AssignmentAction.REASSIGN, data.reason, data.notes
    )


async def unassign(actor: Actor, data: Unassign) -> dict[str, Any]:
    """Take a lead's owner away (an unassigned lead is a 409)."""
    return await _move(actor, data.lead_id, None, AssignmentAction.UNASSIGN, data.reason, data.notes)


async def _move(
    actor: Actor,
    lead_id: int,
    assignee_id: int | None,
    action: AssignmentAction,
    reason: str | None,
    notes: str | None,
) -> dict[str, Any]:
    """One owner change in a transaction of its own (run again if MariaDB made it a deadlock's
    victim): the gate (the assignee read with the lead's lock), the history row (written with
    the lead), the activity, the event."""
    why = reason or _DEFAULT_REASON[action]

    async def work() -> dict[str, Any]:
        change: list[records.OneChange] = []

        def history(lead: leads.Locked) -> list[Statement]:
            user = _assignee(lead.reads[0].rows) if assignee_id is not None else None
            _refuse(action, user, lead.owner)
            description = _describe(action, user, reason)
            change.append(
                records.OneChange.of(actor, lead_id, action, user, lead.owner, why, notes, description)
            )
            return [change[0].statement(actor)]

        reads = [_assignee_read(actor, assignee_id)] if assignee_id is not None else []
        async with atomic():
            moved = await leads.change(actor, lead_id, owner=assignee_id, reads=reads, along=history)
            assignment = await change[0].recorded(actor, moved.along[0])
            person = records.person(change[0].owner) if change[0].owner else None
            events.emit(records.event(actor.entity_id, moved.lead, assignment, person, moved.previous_owner))
            return {"assignment": assignment, "assigned_user": person, "lead": moved.lead}

    return await retried(work)


def _refuse(action: AssignmentAction, user: records.Owner | None, previous: int | None) -> None:
    """409 for an assign of an owned lead, a reassign of an unowned one, or no change."""
    if action == AssignmentAction.ASSIGN and previous is not None:
        raise Conflict("The lead is already assigned; reassign it", data={"assigned_user_id": previous})
    if action == AssignmentAction.REASSIGN and previous is None:
        raise Conflict("The lead is not assigned; assign it")
    if (user.id if user else None) == previous:
        raise Conflict(
            "The lead is not assigned" if user is None else "The lead is already assigned to this user"
        )


_DEFAULT_REASON = {
    AssignmentAction.ASSIGN: "Manual assignment",
    AssignmentAction.REASSIGN: "Lead reassignment",
    AssignmentAction.UNASSIGN: "Lead unassigned",
    AssignmentAction.BULK: "Bulk assignment of unassigned leads",
    AssignmentAction.AUTO: "Automatic assignment",
}


def _describe(action: AssignmentAction, user: records.Owner | None, reason: str | None) -> str:
    whom = records.name(user)
    text = {
        AssignmentAction.UNASSIGN: "Lead unassigned",
        AssignmentAction.REASSIGN: f"Lead reassigned to {whom}",
    }.get(action, f"Lead assigned to {whom}")
    return f"{text}: {reason}" if reason else text


async def bulk_assign(actor: Actor, data: BulkAssign) -> dict[str, Any]:
    """The entity's open unassigned leads (a won or lost one is not dealt), oldest first, dealt
    round robin over its active sales reps (by id, from the rep whose turn it is in the entity's
    rotation, which it moves on), passing over a rep once it holds `max_leads_per_user` open
    leads; a transaction per batch of BULK_BATCH leads, each batch set-based (leads.assign_many:
    one lock, one update), BULK_IN_FLIGHT of them written at once.
    Lists every pair it made; a lead someone assigned meanwhile is passed over. Two bulk
    assignments of one entity in one process run one after the other (in two processes at once,
    each counts the reps' open leads before the other's commits: a rep may pass the limit)."""
    async with _bulk_running[actor.entity_id]:  # one at a time per entity and process
        return await _bulk_assign(actor, data)


_bulk_running: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)


async def _bulk_assign(actor: Actor, data: BulkAssign) -> dict[str, Any]:
    owned = await leads.leads_by_owner(actor)
    reps = await scoped(User, actor, is_active=True, role_id=int(RoleId.SALES_REP)).order_by("id")
    room_of = {rep.id: data.max_leads_per_user - owned.get(rep.id, (0, 0))[0] for rep in reps}
    dealer = _Dealer(reps, room_of, await auto.rotation(actor))
    room = sum(max(left, 0) for left in dealer.room.values())
    lead_ids = await leads.unassigned_ids(actor, room) if room else []
    why = data.reason or _DEFAULT_REASON[AssignmentAction.BULK]
    batches: deque[tuple[list[tuple[int, int]], asyncio.Task[list[leads.LeadChange]]]] = deque()
    pairs: list[dict[str, int]] = []

    async def settle_oldest() -> None:
        dealt, running = batches.popleft()
        moved = await running
        kept = {change.lead["id"] for change in moved}
        dealer.give_back([rep_id for lead_id, rep_id in dealt if lead_id not in kept])
        pairs.extend({"lead_id": c.lead["id"], "assigned_user_id": c.lead["assigned_user_id"]} for c in moved)

    pending = deque(lead_ids)
    try:
        while pending:
            dealt = dealer.deal(list(islice(pending, BULK_BATCH)))
            for _ in dealt:
                pending.popleft()
            if not dealt:  # every rep full, unless a batch in flight gives room back
                if not batches:
                    break
                await settle_oldest()
                continue
            # Batches in flight, each its own transaction (a fresh context: its own
            # connection), so the server builds one while the database writes the other.
            work = functools.partial(_give_batch, actor, dealt, dealer.people, why)
            batches.append((dealt, asyncio.get_running_loop().create_task(retried(work), context=Context())))
            if len(batches) == BULK_IN_FLIGHT:
                await settle_oldest()
        while batches:
            await settle_oldest()
        await auto.turn(actor, dealer.turns_taken())
    finally:  # a batch failed (the committed ones stand): the other one is rolled back
        for _, running in batches:
            running.cancel()
        await asyncio.gather(*(running for _, running in batches), return_exceptions=True)
    return {"total_assigned": len(pairs), "assignments": pairs}


async def _give_batch(
    actor: Actor, dealt: list[tuple[int, int]], people: dict[int, User], reason: str
) -> list[leads.LeadChange]:
    """One batch of a bulk assignment in one transaction: the leads (set-based), their history,
    activities and events."""
    async with atomic():
        moved = await leads.assign_many(actor, dealt)
        given = [(c.lead, people[c.lead["assigned_user_id"]]) for c in moved]
        await records.record_many(actor, AssignmentAction.BULK, reason, given, utcnow())
    return moved


class _Dealer:
    """Round robin over reps by id, each while it has room (leads it may still take), from the
    rep whose turn the entity's rotation (`turn`: the turns it has taken) says it is."""

    def __init__(self, reps: list[User], room: dict[int, int], turn: int = 0) -> None:
        self.people = {rep.id: rep for rep in reps}
        self.room = room
        self.order = [rep.id for rep in reps]
        self.first = turn % len(reps) if reps else 0
        ids = self.order[self.first :] + self.order[: self.first]
        self.turns = deque(rep_id for rep_id in ids if room[rep_id] > 0)
        self.last: int | None = None  # the rep dealt to last

    def turns_taken(self) -> int:
        """How far the rotation moved: the next run starts with the rep after the last one dealt to."""
        if self.last is None:
            return 0
        return (self.order.index(self.last) + 1 - self.first) % len(self.order)

    def deal(self, lead_ids: list[int]) -> list[tuple[int, int]]:
        dealt = []
        for lead_id in lead_ids:
            if not self.turns:
                break
            rep_id = self.last = self.turns.popleft()
            dealt.append((lead_id, rep_id))
            self.room[rep_id] -= 1
            if self.room[rep_id] > 0:
                self.turns.append(rep_id)
        return dealt

    def give_back(self, rep_ids: list[int]) -> None:
        """Room for leads that were dealt but not given (someone assigned them meanwhile)."""
        for rep_id in rep_ids:
            self.room[rep_id] += 1
            if rep_id not in self.turns:
                self.turns.append(rep_id)


_PEOPLE = {
    "assigned_user_email": "assigned_user__email",
    "assigned_user_first_name": "assigned_user__first_name",
    "assigned_user_last_name": "assigned_user__last_name",
    "assigned_by_first_name": "assigned_by_user__first_name",
    "assigned_by_last_name": "assigned_by_user__last_name",
}
_LEAD = {
    "lead_email": "lead__email",
    "lead_first_name": "lead__first_name",
    "lead_last_name": "lead__last_name",
    "lead_status": "lead__status",
}


def _rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["assigned_at"] = iso(row["assigned_at"])
        for key in ("action", "lead_status"):
            if key in row and row[key] is not None:
                row[key] = str(getattr(row[key], "value", row[key]))
    return rows


async def lead_assignment(actor: Actor, lead_id: int) -> dict[str, Any] | None:
    """The assignment that gave the lead its current owner (None while unassigned)."""
    lead = await get_owned(Lead, actor, lead_id, "Lead")
    if lead.assigned_user_id is None:
        return None
    latest = scoped(LeadAssignment, actor, lead_id=lead.id, assigned_user_id=lead.assigned_user_id)
    rows = await latest.order_by("-id").limit(1).values(*HISTORY, **_PEOPLE)
    return _rows(rows)[0] if rows else None


async def history(actor: Actor, lead_id: int) -> list[dict[str, Any]]:
    """Every assignment event of the lead, oldest first: who, when, from whom, why."""
    lead = await get_owned(Lead, actor, lead_id, "Lead")
    rows = (
        await scoped(LeadAssignment, actor, lead_id=lead.id)
        .order_by("id")  # ids follow the changes (given under the lead's lock), clocks may not
        .values(*HISTORY, **_PEOPLE)
    )
    return _rows(rows)


async def entity_assignments(actor: Actor, query: AssignmentQuery) -> dict[str, Any]:
    """The entity's assignment events, newest first, with their leads; `total` counts all."""
    filters: dict[str, Any] = {}
    if query.assigned_user_id is not None:
        filters["assigned_user_id"] = query.assigned_user_id
    if query.lead_status is not None:
        filters["lead__status"] = query.lead_status.value
    since, until = await lead_rollups.span(actor, query)
    if since is not None:
        filters["assigned_at__gte"] = since
    if until is not None:
        filters["assigned_at__lt"] = until
    matching = scoped(LeadAssignment, actor, **filters)
    rows = (
        await matching.order_by("-assigned_at", "-id")
        .offset(query.offset)
        .limit(query.rows)
        .values(*HISTORY, **_PEOPLE, **_LEAD)
    )
    return {"assignments": _rows(rows), "total": await matching.count()}


async def my_assignments(actor: Actor, query: MyAssignmentQuery) -> dict[str, Any]:
    """The caller's own assignment events (as assignee), newest first."""
    mine = AssignmentQuery.model_validate({**query.model_dump(), "assigned_user_id": actor.user_id})
    return await entity_assignments(actor, mine)


async def workload(actor: Actor) -> dict[str, Any]:
    """Leads per owner (assigned, open, closed) and the unassigned queue. Listed: every active
    user who can own leads, and every other user who still owns some (deactivated, or moved to
    a role that works no leads: `can_own_leads` false, their open leads `orphaned_leads` for a
    manager to reassign). So the open leads add up: unassigned + every row's active leads =
    `open_leads`. `total_users` and the average count the users who can own leads."""
    per_owner = {owner: held for owner, held in (await leads.leads_by_owner(actor)).items() if sum(held)}
    working = Q(is_active=True, role_id__in=[int(r) for r in OWNER_ROLES])
    users = await scoped(User, actor).filter(working | Q(id__in=list(per_owner) or [0])).order_by("id")
    counted = [(user, *per_owner.get(user.id, (0, 0))) for user in users]
    counted.sort(key=lambda c: (-(c[1] + c[2]), c[0].id))
    rows = [_load(user, open_, closed) for user, open_, closed in counted]
    able = [row for row in rows if row["can_own_leads"]]
    unassigned = await leads.unassigned_count(actor)
    return {
        "unassigned_leads": unassigned,
        "open_leads": unassigned + sum(row["active_leads"] for row in rows),
        "orphaned_leads": sum(row["active_leads"] for row in rows if not row["can_own_leads"]),
        "workload_distribution": rows,
        "total_users": len(able),
        "average_leads_per_user": round(sum(r["assigned_leads"] for r in able) / len(able), 2) if able else 0,
    }


def _load(user: User, open_: int, closed: int) -> dict[str, Any]:
    """One owner's row of the workload."""
    return {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": RoleId(user.role_id).label,
        "is_active": user.is_active,
        "can_own_leads": user.is_active and user.role_id in OWNER_ROLES,
        "assigned_leads": open_ + closed,
        "active_leads": open_,
        "closed_leads": closed,
    }
