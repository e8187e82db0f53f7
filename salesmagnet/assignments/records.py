"""The record of owner changes: the history row's columns, the `lead:assigned` /
`lead:unassigned` events, and the record of many leads given owners at once (bulk, auto): their
history rows and `assignment` activities in one multi-row INSERT each, and each lead's event.

It imports no other domain but the activity records, so the lead writer can record
auto-assignments through it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from models import ActivityType, AssignmentAction, LeadAssignment
from salesmagnet import events
from salesmagnet.activities import records as activities
from salesmagnet.db import defer, iso, utcnow
from salesmagnet.statements import Outcome, Statement
from salesmagnet.tenancy import Actor, insert_rows, insert_statement, scoped

HISTORY = (
    "id", "lead_id", "action", "assigned_user_id", "assigned_by_user_id", "previous_user_id",
    "reassignment_reason", "notes", "assigned_at",
)  # fmt: skip


class Person(Protocol):
    """A user as an assignment names them (a User row, or auto-assignment's Rep)."""

    @property
    def id(self) -> int: ...
    @property
    def first_name(self) -> str | None: ...
    @property
    def last_name(self) -> str | None: ...


@dataclass(frozen=True)
class Owner:
    """A user who may own leads, as assignments name them."""

    id: int
    first_name: str | None
    last_name: str | None


def person(user: Person) -> dict[str, Any]:
    return {"id": user.id, "first_name": user.first_name, "last_name": user.last_name}


def name(user: Person | None) -> str:
    return f"{user.first_name or ''} {user.last_name or ''}".strip() if user else ""


def event(
    entity_id: int,
    lead: dict[str, Any],
    assignment: dict[str, Any],
    assignee: dict[str, Any] | None,
    previous: int | None,
) -> events.Event:
    """`lead:assigned` to the entity and the assignee's room, or (no assignee)
    `lead:unassigned` to the entity and the previous owner's."""
    if assignee is None:
        data = {"lead": lead, "assignment": assignment, "previous_user_id": previous}
        return events.Event("lead:unassigned", entity_id, data, (previous,) if previous else ())
    data = {"lead": lead, "assignment": assignment, "assigned_user": assignee, "previous_user_id": previous}
    return events.Event("lead:assigned", entity_id, data, (assignee["id"],))


@dataclass(frozen=True)
class OneChange:
    """One owner change's history row (one per event, never overwritten), to write along with
    the lead's own statements (leads.change(along=…))."""

    row: dict[str, Any]
    owner: Person | None
    description: str  # of the actor's `assignment` activity

    @classmethod
    def of(
        cls,
        actor: Actor,
        lead_id: int,
        action: AssignmentAction,
        owner: Person | None,
        previous: int | None,
        reason: str,
        notes: str | None,
        description: str,
    ) -> OneChange:
        row = {
            "lead_id": lead_id,
            "action": action.value,
            "assigned_user_id": owner.id if owner else None,
            "assigned_by_user_id": actor.user_id,
            "previous_user_id": previous,
            "reassignment_reason": reason,
            "notes": notes,
            "assigned_at": utcnow(),
        }
        return cls(row, owner, description)

    def statement(self, actor: Actor) -> Statement:
        columns = HISTORY[1:]
        return insert_statement(actor, "lead_assignments", columns, [[self.row[k] for k in columns]])

    async def recorded(self, actor: Actor, written: Outcome) -> dict[str, Any]:
        """Once its statement ran: the actor's `assignment` activity (with the commit), and the
        row as the API shows it."""
        now = self.row["assigned_at"]
        if actor.user_id is not None:
            kind = ActivityType.ASSIGNMENT
            await activities.insert_later(
                actor, [activities.logged(self.row["lead_id"], actor.user_id, kind, self.description, now)]
            )
        return {"id": written.lastrowid, **self.row, "assigned_at": iso(now)}


async def record_many(
    actor: Actor,
    action: AssignmentAction,
    reason: str,
    given: Sequence[tuple[dict[str, Any], Person]],
    now: datetime,
) -> None:
    """History rows, activities and `lead:assigned` of leads just given their first owner
    (`given`: each lead's summary after the change, and its owner), inside the transaction that
    gave them. The activity is the actor's, or the owner's when the system assigned."""
    if not given:
        return
    rows = [
        {
            "lead_id": lead["id"],
            "action": action.value,
            "assigned_user_id": owner.id,
            "assigned_by_user_id": actor.user_id,
            "previous_user_id": None,
            "reassignment_reason": reason,
            "notes": None,
            "assigned_at": now,
        }
        for lead, owner in given
    ]
    ids = await insert_rows(
        actor, "lead_assignments", HISTORY[1:], [[row[k] for k in HISTORY[1:]] for row in rows]
    )
    if ids is None:  # not consecutive: each lead's newest row is this one (the lead is locked)
        found = await scoped(LeadAssignment, actor, lead_id__in=[r["lead_id"] for r in rows]).order_by("id")
        newest = {a.lead_id: a.id for a in found}  # type: ignore[attr-defined]
        ids = [newest[row["lead_id"]] for row in rows]
    logged = [
        activities.logged(
            lead["id"],
            actor.user_id or owner.id,
            ActivityType.ASSIGNMENT,
            f"Lead assigned to {name(owner)}: {reason}",
            now,
        )
        for lead, owner in given
    ]
    await activities.insert_later(actor, logged)
    stamp = iso(now)
    for (lead, owner), row, row_id in zip(given, rows, ids, strict=True):
        events.emit(
            event(actor.entity_id, lead, {**row, "id": row_id, "assigned_at": stamp}, person(owner), None)
        )


@dataclass(frozen=True)
class PastChange:
    """An owner change in a lead's past (demo seeding, salesmagnet/demo.py): what, to whom, from
    whom, made by whom, when."""

    lead_id: int
    action: AssignmentAction
    owner: Person | None
    previous_user_id: int | None
    by_user_id: int | None
    reason: str
    at: datetime


async def record_past(actor: Actor, changes: Sequence[PastChange]) -> None:
    """Demo seeding only, inside the caller's db.atomic() beside leads.settle_many() (which
    moves the leads): the history rows of owner changes in leads' pasts, at their own times, and
    the `assignment` activity of each by whoever made it. Nothing is announced (a past is no
    news)."""
    if not changes:
        return
    rows: list[tuple[Any, ...]] = [
        (
            c.lead_id,
            c.action.value,
            c.owner and c.owner.id,
            c.by_user_id,
            c.previous_user_id,
            c.reason,
            None,
            c.at,
        )
        for c in changes
    ]
    write = insert_statement(actor, "lead_assignments", HISTORY[1:], rows)
    if not defer(write):
        raise RuntimeError("records.record_past() must run inside db.atomic()")
    said = {AssignmentAction.REASSIGN: "Lead reassigned to", AssignmentAction.UNASSIGN: "Lead unassigned"}
    logged = [
        activities.logged(
            c.lead_id,
            c.by_user_id or (c.owner.id if c.owner else 0),
            ActivityType.ASSIGNMENT,
            f"{said.get(c.action, 'Lead assigned to')} {name(c.owner)}".strip() + f": {c.reason}",
            c.at,
        )
        for c in changes
        if c.by_user_id or c.owner
    ]
    await activities.insert_later(actor, logged)
