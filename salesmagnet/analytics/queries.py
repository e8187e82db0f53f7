"""The analytics' reads: sums over rollup rows (a few a day); only the arrivals per hour read
the leads themselves (rollups are daily), the index range of the hours asked."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from models import ActivityStatus
from salesmagnet.analytics.schemas import ActivityDays, Days, Filters
from salesmagnet.db import dialect_of_connection
from salesmagnet.tenancy import Actor, fetch

LEAD_SUMS = (
    "SUM(leads) AS leads, SUM(CASE WHEN owner_id <> 0 THEN leads ELSE 0 END) AS owned, "
    "SUM(CASE WHEN status = 'won' THEN leads ELSE 0 END) AS won, "
    "SUM(CASE WHEN status = 'lost' THEN leads ELSE 0 END) AS lost, "
    "SUM(assigned) AS assigned, SUM(assign_seconds) AS assign_seconds, SUM(cycle_seconds) AS cycle_seconds, "
    "SUM(created_seconds) AS created_seconds"
)
SUMMED = ("leads", "owned", "won", "lost", "assigned", "assign_seconds", "cycle_seconds", "created_seconds")


def within(days: Days, where: list[str], params: dict[str, Any]) -> None:
    """Add the days' bounds (on the `day` column of a rollup) to a WHERE and its values."""
    if days.date_from is not None:
        where.append("day >= :date_from")
        params["date_from"] = days.date_from
    if days.date_to is not None:
        where.append("day <= :date_to")
        params["date_to"] = days.date_to


async def lead_sums(actor: Actor, filters: Filters, by: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The lead rollups matching `filters`, summed per `by` (columns of lead_rollups)."""
    where, params = ["entity_id = :entity"], dict[str, Any]()
    within(filters, where, params)
    if filters.status:
        where.append("status IN (:statuses)")
        params["statuses"] = sorted({s.value for s in filters.status})
    for column, value in (
        ("platform_key", filters.platform),
        ("owner_id", filters.assigned_user_id),
    ):
        if value is not None:
            where.append(f"{column} = :{column}")
            params[column] = getattr(value, "value", value)
    grouped = f"{', '.join(by)}, " if by else ""
    group = f" GROUP BY {', '.join(by)}" if by else ""
    rows = await fetch(
        actor, f"SELECT {grouped}{LEAD_SUMS} FROM lead_rollups WHERE {' AND '.join(where)}{group}", **params
    )
    for row in rows:
        for name in SUMMED:
            row[name] = int(row[name] or 0)
    return [row for row in rows if row["leads"]]


async def activity_sums(actor: Actor, days: ActivityDays, by: Sequence[str]) -> list[dict[str, Any]]:
    """Activities logged within the days (of `user_id`), counted per `by`."""
    where, params = ["entity_id = :entity"], dict[str, Any]()
    within(days, where, params)
    if days.user_id is not None:
        where.append("user_id = :user_id")
        params["user_id"] = days.user_id
    rows = await fetch(
        actor,
        f"SELECT {', '.join(by)}, SUM(count) AS n FROM activity_rollups WHERE {' AND '.join(where)} "
        f"GROUP BY {', '.join(by)}",
        **params,
    )
    return [row | {"n": int(row["n"] or 0)} for row in rows if row["n"]]


async def pending_by_user(actor: Actor) -> dict[int, int]:
    """Follow-ups to do per user, now (the counters): pending activities with a follow-up date,
    overdue ones too, as the follow-up lists count them."""
    rows = await fetch(
        actor,
        "SELECT user_id, SUM(count) AS n FROM activity_counts WHERE entity_id = :entity "
        "AND status = 'pending' AND dated = :yes GROUP BY user_id",
        yes=True,
    )
    return {int(r["user_id"]): int(r["n"] or 0) for r in rows}


async def people(actor: Actor, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The entity's active users, and those of `ids` whatever their state."""
    return await fetch(
        actor,
        "SELECT id, username, first_name, last_name, email, role_id, is_active FROM users "
        "WHERE entity_id = :entity AND (is_active = :yes OR id IN (:ids)) ORDER BY id",
        yes=True,
        ids=list(ids) or [0],
    )


# The soonest pending follow-up still to come: one entry of the (entity, status, due) index
# (MariaDB answers the MIN from the index alone, "Select tables optimized away").
SOONEST = (
    "SELECT MIN(a.next_follow_up_at) FROM lead_activities a WHERE a.entity_id = :entity "
    "AND a.status = :pending AND a.next_follow_up_at > :now"
)


async def people_stamp(actor: Actor, due_after: datetime | None = None) -> str:
    """The state of the entity's users as the user figures read them: it moves whenever a user
    is added or changed (every change of a user writes its updated_at). With `due_after`, in
    the same statement, the time of the soonest pending follow-up after it: it moves when one
    falls due."""
    soonest = "" if due_after is None else f", ({SOONEST}) AS due"
    rows = await fetch(
        actor,
        f"SELECT COUNT(*) AS n, MAX(updated_at) AS at{soonest} FROM users WHERE entity_id = :entity",
        **({} if due_after is None else {"pending": ActivityStatus.PENDING.value, "now": due_after}),
    )
    return ":".join(str(value) for value in rows[0].values())


async def arrivals_by_hour(actor: Actor, since: datetime) -> dict[int, int]:
    """Leads created at or after `since`, per whole hour after it (0 = the first hour)."""
    if dialect_of_connection() == "mysql":
        hour = "TIMESTAMPDIFF(HOUR, :since, created_at)"
    else:
        hour = "CAST((julianday(created_at) - julianday(:since)) * 24 AS INTEGER)"
    rows = await fetch(
        actor,
        f"SELECT {hour} AS hour, COUNT(*) AS n FROM lead_data WHERE entity_id = :entity "
        "AND created_at >= :since GROUP BY 1",
        since=since,
    )
    return {int(r["hour"]): int(r["n"]) for r in rows}
