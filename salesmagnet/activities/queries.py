"""The SQL of the activity lists, follow-up queues and statistics (values always bound)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models import ActivityPriority, ActivityStatus
from salesmagnet import rawsql
from salesmagnet.activities.schemas import ActivityFilters, FollowUps, UserWindow, Window
from salesmagnet.db import dialect_of_connection, locking_read
from salesmagnet.leads import rollups as lead_rollups
from salesmagnet.leads.schemas import Dated
from salesmagnet.rawsql import iso_stamp
from salesmagnet.statements import Statement
from salesmagnet.tenancy import Actor, fetch, statement

FROM = "FROM lead_activities a JOIN users u ON u.id = a.user_id JOIN lead_data l ON l.id = a.lead_id"
# An activity as the lists show it: each key and its column.
COLUMNS = {
    "id": "a.id",
    "lead_id": "a.lead_id",
    "user_id": "a.user_id",
    "activity_type": "a.activity_type",
    "description": "a.description",
    "notes": "a.notes",
    "next_follow_up_date": "a.next_follow_up_at",
    "priority": "a.priority",
    "status": "a.status",
    "created_at": "a.created_at",
    "updated_at": "a.updated_at",
    "first_name": "u.first_name",
    "last_name": "u.last_name",
    "user_email": "u.email",
    "lead_email": "l.email",
    "lead_first_name": "l.first_name",
    "lead_last_name": "l.last_name",
    "lead_status": "l.status",
    "platform_key": "l.platform_key",
    "lead_assigned_user_id": "l.assigned_user_id",
}
ROW = ", ".join(f"{column} AS {key}" for key, column in COLUMNS.items())
TIMES = ("next_follow_up_date", "created_at", "updated_at")


def _row_json(dialect: str) -> str:
    """One activity row (ROW's keys) as a JSON object written by the database: a page of them is
    embedded in the response as it is (decoding 20 columns a row in the driver and encoding them
    again was most of a list's cost)."""
    values = {k: iso_stamp(v, dialect) if k in TIMES else v for k, v in COLUMNS.items()}
    return "JSON_OBJECT(" + ", ".join(f"'{k}', {v}" for k, v in values.items()) + ")"


RANK = {p: n for n, p in enumerate((ActivityPriority.URGENT, ActivityPriority.HIGH, ActivityPriority.MEDIUM,
                                    ActivityPriority.LOW), start=1)}  # fmt: skip
PENDING = ActivityStatus.PENDING.value


LEAD_ROW = rawsql.Packed(("id", "email", "first_name", "last_name", "assigned_user_id"))
LEAD = f"SELECT {LEAD_ROW.select} FROM lead_data WHERE entity_id = :entity AND id = :id"


def lead_statement(actor: Actor, lead_id: int) -> Statement:
    """The read of `lead()`, to send with other statements (its rows: `LEAD_ROW.row()`)."""
    return statement(actor, LEAD, id=lead_id)


async def lead(actor: Actor, lead_id: int) -> dict[str, Any] | None:
    found = await fetch(actor, LEAD, id=lead_id)
    return LEAD_ROW.row(found[0]) if found else None


async def window(
    actor: Actor, query: Dated, where: list[str], params: dict[str, Any], column: str = "a.created_at"
) -> None:
    """Bound `column` by the query's window (its bare days the entity's)."""
    since, until = await lead_rollups.span(actor, query)
    if since is not None:
        where.append(f"{column} >= :date_from")
        params["date_from"] = since
    if until is not None:
        where.append(f"{column} < :date_to")
        params["date_to"] = until


async def conditions(actor: Actor, query: ActivityFilters, **fixed: int) -> tuple[list[str], dict[str, Any]]:
    """WHERE terms of an activity list: the entity, `fixed` columns (lead_id, user_id) and the
    query's filters."""
    where, params = ["a.entity_id = :entity"], dict[str, Any]()
    chosen = {
        "lead_id": getattr(query, "lead_id", None),
        "user_id": getattr(query, "user_id", None),
        "activity_type": query.activity_type,
        "priority": query.priority,
        "status": query.status,
    } | fixed
    for name, value in chosen.items():
        if value is not None:
            where.append(f"a.{name} = :{name}")
            params[name] = getattr(value, "value", value)
    await window(actor, query, where, params)
    return where, params


NEWEST = "ORDER BY a.created_at DESC, a.id DESC"


def _paged(select: str, where: list[str], counted: bool = False) -> str:
    """A page of activities, newest first: its ids from an index first, then only those rows
    joined to their users and leads. `counted` adds `matches`, every row the filters match (a
    window over the same scan: no second statement). The page is ordered by its own columns, so
    the database sorts its few keys before the join; ordered by the joined rows' columns, it
    sorted the rendered rows (their long texts) in a temporary table: a third of the statement."""
    matches = "COUNT(*) OVER ()" if counted else "NULL"
    return (
        f"SELECT {select}, page.matches {FROM} JOIN (SELECT a.id, a.created_at, {matches} AS matches "
        f"FROM lead_activities a WHERE {' AND '.join(where)} {NEWEST} LIMIT :limit OFFSET :offset) AS page "
        f"ON page.id = a.id WHERE a.entity_id = :entity {NEWEST.replace('a.', 'page.')}"
    )


async def page(
    actor: Actor, where: list[str], params: dict[str, Any], limit: int, offset: int
) -> list[dict[str, Any]]:
    """A page of activities with their users and leads, as rows."""
    rows = await fetch(actor, _paged(ROW, where), **params, limit=limit, offset=offset)
    for row in rows:
        del row["matches"]
    return rows


async def page_json(
    actor: Actor, where: list[str], params: dict[str, Any], limit: int, offset: int, counted: bool = False
) -> tuple[list[str], int | None]:
    """A page of activities, each as its JSON text, and with `counted` how many rows match in
    all (None when the page is empty)."""
    sql = _paged(f"{_row_json(dialect_of_connection())} AS activity", where, counted)
    rows = await fetch(actor, sql, **params, limit=limit, offset=offset)
    return [row["activity"] for row in rows], int(rows[0]["matches"]) if counted and rows else None


async def count(actor: Actor, where: list[str], params: dict[str, Any]) -> int:
    found = await fetch(
        actor, f"SELECT COUNT(*) AS n FROM lead_activities a WHERE {' AND '.join(where)}", **params
    )
    return int(found[0]["n"])


async def _follow_up_conditions(
    actor: Actor, query: FollowUps, due: str, now: datetime
) -> tuple[list[str], dict[str, Any]]:
    where = ["a.entity_id = :entity", "a.status = :pending", f"a.next_follow_up_at {due} :now"]
    params: dict[str, Any] = {"pending": PENDING, "now": now}
    if query.user_id is not None:
        where.append("a.user_id = :user_id")
        params["user_id"] = query.user_id
    if query.for_user_id is not None:
        where.append(
            "(a.user_id = :for_user OR a.lead_id IN (SELECT o.id FROM lead_data o "
            "WHERE o.entity_id = :entity AND o.assigned_user_id = :for_user))"
        )
        params["for_user"] = query.for_user_id
    await window(actor, query, where, params, "a.next_follow_up_at")
    return where, params


async def pending(
    actor: Actor, query: FollowUps, now: datetime, limit: int, counted: bool = True
) -> tuple[list[dict[str, Any]], int | None]:
    """Follow-ups not yet due, most urgent first then soonest. Each priority's soonest come from
    the (entity, status, priority, due) index; only the page's rows are joined."""
    where, params = await _follow_up_conditions(actor, query, ">", now)
    priorities = [query.priority] if query.priority is not None else list(RANK)
    parts = []
    for n, priority in enumerate(priorities):
        params[f"p{n}"] = priority.value
        parts.append(
            f"SELECT * FROM (SELECT a.id, {RANK[priority]} AS rank_, a.next_follow_up_at AS due "
            f"FROM lead_activities a WHERE {' AND '.join(where)} AND a.priority = :p{n} "
            "ORDER BY a.next_follow_up_at, a.id LIMIT :reach) AS p" + str(n)
        )
    sql = (
        f"SELECT {ROW} {FROM} JOIN ({' UNION ALL '.join(parts)} ORDER BY rank_, due, id "
        "LIMIT :limit OFFSET :offset) AS page ON page.id = a.id "
        "WHERE a.entity_id = :entity ORDER BY page.rank_, page.due, page.id"
    )
    rows = await fetch(actor, sql, **params, reach=query.offset + limit, limit=limit, offset=query.offset)
    if not counted:
        return rows, None
    if query.priority is not None:
        where.append("a.priority = :p0")
    return rows, await count(actor, where, params)


async def overdue(
    actor: Actor, query: FollowUps, now: datetime, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """Follow-ups past due, the longest overdue first."""
    where, params = await _follow_up_conditions(actor, query, "<=", now)
    if query.priority is not None:
        where.append("a.priority = :priority")
        params["priority"] = query.priority.value
    sql = (
        f"SELECT {ROW} {FROM} JOIN (SELECT a.id, a.next_follow_up_at AS due FROM lead_activities a "
        f"WHERE {' AND '.join(where)} ORDER BY a.next_follow_up_at, a.id LIMIT :limit OFFSET :offset) "
        "AS page ON page.id = a.id WHERE a.entity_id = :entity ORDER BY page.due, page.id"
    )
    rows = await fetch(actor, sql, **params, limit=limit, offset=query.offset)
    return rows, await count(actor, where, params)


async def follow_up_summary(actor: Actor, now: datetime, day: datetime, week: datetime) -> dict[str, Any]:
    """Pending follow-ups of the entity by how soon they are due (one pass over the due index)."""
    ahead = "next_follow_up_at > :now"
    cases = {
        "total_pending": ahead,
        "urgent_pending": f"{ahead} AND priority = 'urgent'",
        "high_pending": f"{ahead} AND priority = 'high'",
        "due_within_24h": f"{ahead} AND next_follow_up_at <= :day",
        "due_within_week": f"{ahead} AND next_follow_up_at <= :week",
        "overdue": "next_follow_up_at <= :now",
    }
    sums = ", ".join(f"SUM(CASE WHEN {case} THEN 1 ELSE 0 END) AS {name}" for name, case in cases.items())
    sql = (
        f"SELECT {sums} FROM lead_activities "
        "WHERE entity_id = :entity AND status = :pending AND next_follow_up_at IS NOT NULL"
    )
    found = await fetch(actor, sql, now=now, day=day, week=week, pending=PENDING)
    return {name: int(found[0][name] or 0) for name in cases}


_TALLY = (
    "COUNT(*) AS total_activities, "
    "SUM(CASE WHEN a.status = 'completed' THEN 1 ELSE 0 END) AS completed_activities, "
    "SUM(CASE WHEN a.status = 'pending' THEN 1 ELSE 0 END) AS pending_activities, "
    "SUM(CASE WHEN a.status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled_activities"
)


async def tally(actor: Actor, by: str, query: Window) -> list[dict[str, Any]]:
    """Activities per `by` (activity_type or priority) logged in the window, by status."""
    where, params = ["a.entity_id = :entity"], dict[str, Any]()
    await window(actor, query, where, params)
    sql = f"SELECT a.{by} AS k, {_TALLY} FROM lead_activities a WHERE {' AND '.join(where)} GROUP BY a.{by}"
    return await fetch(actor, sql, **params)


async def counted(actor: Actor, by: str) -> list[dict[str, Any]]:
    """The same tally for all time, from the counters."""
    sql = (
        f"SELECT a.{by} AS k, SUM(a.count) AS total_activities, "
        "SUM(CASE WHEN a.status = 'completed' THEN a.count ELSE 0 END) AS completed_activities, "
        "SUM(CASE WHEN a.status = 'pending' THEN a.count ELSE 0 END) AS pending_activities, "
        "SUM(CASE WHEN a.status = 'cancelled' THEN a.count ELSE 0 END) AS cancelled_activities "
        f"FROM activity_counts a WHERE a.entity_id = :entity GROUP BY a.{by}"
    )
    return await fetch(actor, sql)


async def _performers(actor: Actor, query: UserWindow) -> tuple[list[str], dict[str, Any]]:
    """WHERE terms of the activities that count for a user's figures."""
    where, params = ["a.entity_id = :entity"], dict[str, Any]()
    await window(actor, query, where, params)
    if query.user_id is not None:
        where.append("a.user_id = :user_id")
        params["user_id"] = query.user_id
    return where, params


async def user_performance(
    actor: Actor, query: UserWindow, now: datetime, limit: int
) -> list[dict[str, Any]]:
    """Per user who logged activities in the window, the most active first (a page of them)."""
    where, params = await _performers(actor, query)
    params |= {"now": now, "limit": limit, "offset": query.offset}
    sql = (
        f"SELECT u.id, u.first_name, u.last_name, u.email, {_TALLY}, "
        "COUNT(a.next_follow_up_at) AS follow_ups_scheduled, "
        "SUM(CASE WHEN a.status = 'pending' AND a.next_follow_up_at <= :now THEN 1 ELSE 0 END) "
        "AS overdue_follow_ups "
        f"FROM lead_activities a JOIN users u ON u.id = a.user_id WHERE {' AND '.join(where)} "
        "GROUP BY u.id, u.first_name, u.last_name, u.email ORDER BY total_activities DESC, u.id "
        "LIMIT :limit OFFSET :offset"
    )
    return await fetch(actor, sql, **params)


async def performers(actor: Actor, query: UserWindow) -> int:
    """How many users logged activities in the window (every page of user_performance)."""
    where, params = await _performers(actor, query)
    sql = f"SELECT COUNT(DISTINCT a.user_id) AS n FROM lead_activities a WHERE {' AND '.join(where)}"
    return int((await fetch(actor, sql, **params))[0]["n"])


async def recent(actor: Actor, limit: int, offset: int) -> list[str]:
    return (await page_json(actor, ["a.entity_id = :entity"], {}, limit, offset))[0]


_ENTRIES = (
    "SELECT 'activity' AS kind, a.id, a.created_at AS at FROM lead_activities a "
    "WHERE a.entity_id = :entity AND a.lead_id = :lead "
    # the activity rows the stage and assignment workflows log with their own rows, at their moment
    "AND NOT (a.activity_type = 'status_change' AND EXISTS (SELECT 1 FROM lead_stages s "
    "WHERE s.entity_id = :entity AND s.lead_id = :lead AND s.entered_at = a.created_at)) "
    "AND NOT (a.activity_type = 'assignment' AND EXISTS (SELECT 1 FROM lead_assignments g "
    "WHERE g.entity_id = :entity AND g.lead_id = :lead AND g.assigned_at = a.created_at)) "
    "UNION ALL SELECT 'stage', s.id, s.entered_at FROM lead_stages s "
    "WHERE s.entity_id = :entity AND s.lead_id = :lead "
    "UNION ALL SELECT 'assignment', g.id, g.assigned_at FROM lead_assignments g "
    "WHERE g.entity_id = :entity AND g.lead_id = :lead"
)


async def timeline(actor: Actor, lead_id: int, limit: int, offset: int) -> tuple[list[tuple[str, int]], int]:
    """A page of a lead's timeline — (kind, id) newest first — and how many entries it has."""
    moment = "julianday(t.at)" if dialect_of_connection() == "sqlite" else "t.at"  # SQLite keeps text
    sql = (
        f"SELECT t.kind, t.id, COUNT(*) OVER () AS total FROM ({_ENTRIES}) t "
        f"ORDER BY {moment} DESC, t.kind DESC, t.id DESC LIMIT :limit OFFSET :offset"
    )
    rows = await fetch(actor, sql, lead=lead_id, limit=limit, offset=offset)
    if not rows and offset:
        counted = await fetch(actor, f"SELECT COUNT(*) AS total FROM ({_ENTRIES}) t", lead=lead_id)
        return [], int(counted[0]["total"])
    return [(str(r["kind"]), int(r["id"])) for r in rows], int(rows[0]["total"]) if rows else 0


async def stages_by_id(actor: Actor, ids: list[int]) -> list[dict[str, Any]]:
    sql = (
        "SELECT s.id, s.status_id, st.name AS status_name, s.entered_at AS at, s.exited_at, "
        "s.duration_hours, s.user_id, s.notes, u.first_name, u.last_name, u.email AS user_email "
        "FROM lead_stages s JOIN lead_statuses st ON st.id = s.status_id "
        "LEFT JOIN users u ON u.id = s.user_id WHERE s.entity_id = :entity AND s.id IN (:ids)"
    )
    return await fetch(actor, sql, ids=ids)


async def assignments_by_id(actor: Actor, ids: list[int]) -> list[dict[str, Any]]:
    sql = (
        "SELECT g.id, g.action, g.assigned_user_id, g.assigned_by_user_id AS user_id, g.previous_user_id, "
        "g.reassignment_reason, g.notes, g.assigned_at AS at, u.first_name, u.last_name, "
        "u.email AS user_email FROM lead_assignments g LEFT JOIN users u ON u.id = g.assigned_by_user_id "
        "WHERE g.entity_id = :entity AND g.id IN (:ids)"
    )
    return await fetch(actor, sql, ids=ids)


async def activities_by_id(actor: Actor, ids: list[int]) -> list[dict[str, Any]]:
    return await page(actor, ["a.entity_id = :entity", "a.id IN (:ids)"], {"ids": ids}, len(ids), 0)


# What an update reads of the activities it changes (their counters' cells among it).
LOCKED = (
    "id",
    "lead_id",
    "user_id",
    "activity_type",
    "status",
    "priority",
    "next_follow_up_at",
    "created_at",
)


async def locked(actor: Actor, where: str, **params: Any) -> list[dict[str, Any]]:
    """The entity's activities matching `where` (LOCKED columns), their rows locked until
    commit, in id order (two writers take their locks in one order). Written out: Tortoise's
    `.values()` drops `select_for_update()`, and a plain read is the transaction's snapshot."""
    sql = f"SELECT {', '.join(LOCKED)} FROM lead_activities WHERE entity_id = :entity AND {where} ORDER BY id"
    return await fetch(actor, sql + locking_read(), **params)
