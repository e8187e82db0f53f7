"""Activity rows and their counters (the activity_counts table).

Every writer of lead_activities — the activities API, and the assignment and stage workflows that
log their `assignment` and `status_change` activities through the lead gate — inserts here, so the
counters move in the same transaction as the rows and list totals read a few counter rows instead
of counting up to millions. It imports no other domain.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from models import ActivityCount, ActivityPriority, ActivityStatus, ActivityType
from salesmagnet.db import atomic, defer
from salesmagnet.tenancy import Actor, counts_statement, fetch, insert_rows, insert_statement, scoped

Cell = tuple[int, str, str, str]  # (user_id, activity_type, status, priority)
CELL = ("user_id", "activity_type", "status", "priority")


class NewActivity(NamedTuple):
    lead_id: int
    user_id: int
    activity_type: str
    description: str
    created_at: datetime
    priority: str = ActivityPriority.MEDIUM.value
    status: str = ActivityStatus.COMPLETED.value
    next_follow_up_at: datetime | None = None
    notes: str | None = None

    @property
    def cell(self) -> Cell:
        return (self.user_id, self.activity_type, self.status, self.priority)


COLUMNS = (*NewActivity._fields, "updated_at")


def logged(lead_id: int, user_id: int, kind: ActivityType, description: str, now: datetime) -> NewActivity:
    """A completed activity the system writes for what a user did (an assignment, a move)."""
    return NewActivity(lead_id, user_id, kind.value, description, now)


async def insert(actor: Actor, rows: Sequence[NewActivity]) -> list[int] | None:
    """One multi-row INSERT of the actor's entity's activities, counted; their ids where the
    database reports them (tenancy.insert_rows)."""
    if not rows:
        return []
    ids = await insert_rows(actor, "lead_activities", COLUMNS, [(*row, row.created_at) for row in rows])
    add(actor, Counter(row.cell for row in rows))
    return ids


def insert_later(actor: Actor, rows: Sequence[NewActivity]) -> None:
    """Insert the actor's entity's activities, counted, as the transaction commits (db.defer):
    for the rows workflows write (a move, an assignment), whose ids nobody reads."""
    if rows:
        if not defer(
            insert_statement(actor, "lead_activities", COLUMNS, [(*row, row.created_at) for row in rows])
        ):
            raise RuntimeError("activities are inserted later inside db.atomic()")
        add(actor, Counter(row.cell for row in rows))


def add(actor: Actor, changes: Counter[Cell] | dict[Cell, int]) -> None:
    """Add (or, negative, take) activities per cell, inside the writing transaction. The cells
    are written just before it commits, in key order, as lead_counts are (no deadlock)."""
    rows = [(*key, n) for key, n in sorted(changes.items()) if n]
    if not rows:
        return

    if not defer(counts_statement(actor, "activity_counts", CELL, "count", rows)):
        raise RuntimeError("activity counters move inside db.atomic()")


async def total(actor: Actor, **filters: Any) -> int:
    """Activities of the entity matching equality filters on the cell's columns."""
    where = ["entity_id = :entity"] + [f"{name} = :{name}" for name in filters if name in CELL]
    found = await fetch(
        actor, f"SELECT SUM(count) AS n FROM activity_counts WHERE {' AND '.join(where)}", **filters
    )
    return int(found[0]["n"] or 0) if found else 0


async def rebuild(actor: Actor) -> None:
    """Recount the entity's activities into its counters (after a bulk load, or if doubted)."""
    async with atomic():
        rows = await fetch(
            actor,
            "SELECT user_id, activity_type, status, priority, COUNT(*) AS n FROM lead_activities "
            "WHERE entity_id = :entity GROUP BY user_id, activity_type, status, priority",
        )
        await scoped(ActivityCount, actor).delete()
        add(
            actor,
            {(int(r["user_id"]), r["activity_type"], r["status"], r["priority"]): int(r["n"]) for r in rows},
        )
