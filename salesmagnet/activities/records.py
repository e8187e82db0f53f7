"""Activity rows, their counters (the activity_counts table) and rollups (activity_rollups).

Every writer of lead_activities — the activities API, and the assignment and stage workflows that
log their `assignment` and `status_change` activities through the lead gate — inserts here, so the
counters move in the same transaction as the rows and list totals read a few counter rows instead
of counting up to millions. The counters also tell the activities with a follow-up date from the
others (`dated`): a pending one of those is a follow-up to do. The same moves keep the analytics'
rollups by day (activity_rollups, in the entity's time zone: salesmagnet.leads.rollups), which
need no `dated`. It imports no other domain but that.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from models import ActivityCount, ActivityPriority, ActivityRollup, ActivityStatus, ActivityType
from salesmagnet import statements
from salesmagnet.db import atomic, defer, dialect_of_connection
from salesmagnet.leads import rollups as lead_rollups
from salesmagnet.statements import Statement
from salesmagnet.tenancy import (
    Actor,
    counts_statement,
    fetch,
    insert_statement,
    scoped,
    statement,
)

Cell = tuple[int, str, str, str, bool]  # (user_id, activity_type, status, priority, dated)
CELL = ("user_id", "activity_type", "status", "priority", "dated")
ROLLED = CELL[:-1]  # a rollup's cell: the day's figures need no follow-up dates
DayCell = tuple[date, int, str, str, str, bool]  # the day logged (the entity's time zone), then the Cell


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
    overdue_notified_for: datetime | None = None  # demo pasts: a follow-up announced overdue then

    def cell(self, zone: ZoneInfo) -> DayCell:
        day = lead_rollups.local_day(zone, self.created_at)
        dated = self.next_follow_up_at is not None
        return (day, self.user_id, self.activity_type, self.status, self.priority, dated)


COLUMNS = (*NewActivity._fields, "updated_at")


def logged(lead_id: int, user_id: int, kind: ActivityType, description: str, now: datetime) -> NewActivity:
    """A completed activity the system writes for what a user did (an assignment, a move)."""
    return NewActivity(lead_id, user_id, kind.value, description, now)


async def insert_on_lead(
    actor: Actor, row: NewActivity, lead_read: Statement
) -> tuple[list[dict[str, Any]], int | None]:
    """One activity on a lead, counted, sent with `lead_read` (a read of the lead) in one round
    trip: (the read's rows, the new id). The INSERT selects its lead from the actor's entity,
    so it writes nothing for another entity's lead or a missing one (id None)."""
    # COLUMNS' values: the lead's id from its row, updated_at = created_at, the rest the row's.
    picked = {"lead_id": "l.id", "updated_at": ":created_at"}
    chosen = ", ".join(picked.get(name, f":{name}") for name in COLUMNS)
    sql = (
        f"INSERT INTO lead_activities (entity_id, {', '.join(COLUMNS)}) SELECT l.entity_id, {chosen} "
        "FROM lead_data l WHERE l.entity_id = :entity AND l.id = :lead_id"
    )
    read, written = await statements.run([lead_read, statement(actor, sql, **row._asdict())])
    if not written.rowcount:
        return read.rows, None
    add(actor, Counter([row.cell(await lead_rollups.zone_of(actor))]))
    return read.rows, written.lastrowid


async def insert_later(actor: Actor, rows: Sequence[NewActivity]) -> None:
    """Insert the actor's entity's activities, counted, as the transaction commits (db.defer):
    for the rows workflows write (a move, an assignment), whose ids nobody reads."""
    if rows:
        if not defer(
            insert_statement(actor, "lead_activities", COLUMNS, [(*row, row.created_at) for row in rows])
        ):
            raise RuntimeError("activities are inserted later inside db.atomic()")
        zone = await lead_rollups.zone_of(actor)
        add(actor, Counter(row.cell(zone) for row in rows))


def add(actor: Actor, changes: Counter[DayCell] | dict[DayCell, int]) -> None:
    """Add (or, negative, take) activities per day and cell, inside the writing transaction: to
    the counters (all days) and, unless ANALYTICS_ROLLUPS is off, the day's rollup. They are
    written just before it commits, in key order, as lead_counts are (no deadlock)."""
    totals: Counter[Cell] = Counter()
    per_day: Counter[tuple[Any, ...]] = Counter()
    for (day, *cell), n in changes.items():
        totals[tuple(cell)] += n  # type: ignore[index]
        per_day[(day, *cell[:-1])] += n
    rows = [(*key, n) for key, n in sorted(totals.items()) if n]
    if rows and not defer(counts_statement(actor, "activity_counts", CELL, "count", rows)):
        raise RuntimeError("activity counters move inside db.atomic()")
    days = [(*key, n) for key, n in sorted(per_day.items()) if n]
    if days and lead_rollups.enabled():
        defer(counts_statement(actor, "activity_rollups", ("day", *ROLLED), "count", days))


async def total(actor: Actor, **filters: Any) -> int:
    """Activities of the entity matching equality filters on the cell's columns."""
    where = ["entity_id = :entity"] + [f"{name} = :{name}" for name in filters if name in CELL]
    found = await fetch(
        actor, f"SELECT SUM(count) AS n FROM activity_counts WHERE {' AND '.join(where)}", **filters
    )
    return int(found[0]["n"] or 0) if found else 0


async def rebuild(actor: Actor) -> None:
    """Recount the entity's activities into its counters and rollups (after a bulk load, a
    change of the entity's time zone, or if doubted)."""
    day = lead_rollups.local_day_sql("created_at", await lead_rollups.zone_of(actor), dialect_of_connection())
    async with atomic():
        rows = await fetch(
            actor,
            f"SELECT {day} AS day, user_id, activity_type, status, priority, "
            "CASE WHEN next_follow_up_at IS NULL THEN 0 ELSE 1 END AS dated, COUNT(*) AS n "
            "FROM lead_activities "
            "WHERE entity_id = :entity GROUP BY 1, user_id, activity_type, status, priority, 6",
        )
        await scoped(ActivityCount, actor).delete()
        await scoped(ActivityRollup, actor).delete()
        cells = [
            (
                (
                    lead_rollups.as_date(r["day"]),
                    int(r["user_id"]),
                    r["activity_type"],
                    r["status"],
                    r["priority"],
                    bool(r["dated"]),
                ),
                int(r["n"]),
            )
            for r in rows
        ]
        for start in range(0, len(cells), 1000):
            add(actor, dict(cells[start : start + 1000]))
