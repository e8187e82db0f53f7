"""Activities of the actor's entity: log them, list them (a lead's, with its timeline; the
entity's; the caller's; the recent ones), follow-ups (pending, overdue, summary), updates of a
status or a follow-up date (one or many), and their statistics (formulas in the README).

Every row is written through `records` (counted); lists take their totals from the counters
when no date or lead bounds them, else from the page's own scan (COUNT(*) OVER ()).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.expressions import Q

from models import LeadActivity, RoleId
from salesmagnet import events
from salesmagnet.activities import queries, records
from salesmagnet.activities.schemas import (
    ActivityFilters,
    BulkFollowUps,
    EntityActivities,
    FollowUps,
    LeadActivities,
    LogActivity,
    Recent,
    Timeline,
    UpdateFollowUp,
    UpdateStatus,
    UserActivities,
    UserWindow,
    Window,
)
from salesmagnet.db import atomic, iso, retried, to_utc, utcnow
from salesmagnet.errors import Forbidden, NotFound
from salesmagnet.leads import rollups as lead_rollups
from salesmagnet.rawsql import JsonText
from salesmagnet.tenancy import Actor, scoped

TIMES = ("next_follow_up_date", "created_at", "updated_at", "at", "exited_at")
DUE = "nextFollowUpDate"  # the field a follow-up's time is given in


def _moment(value: Any) -> datetime | None:
    """A datetime read by hand-written SQL (SQLite hands back text)."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def shown(row: dict[str, Any]) -> dict[str, Any]:
    """A row as the API shows it: ISO UTC times, plain strings, hours as numbers."""
    for key in TIMES:
        if key in row:
            row[key] = iso(_moment(row[key]))
    for key, value in row.items():
        if hasattr(value, "value"):
            row[key] = value.value
    if row.get("duration_hours") is not None:
        row["duration_hours"] = float(row["duration_hours"])
    return row


async def _lead(actor: Actor, lead_id: int) -> dict[str, Any]:
    """The lead of the entity an activity is about (its names and owner), or 404."""
    found = await queries.lead(actor, lead_id)
    if found is None:
        raise NotFound("Lead not found")
    return found


async def log(actor: Actor, data: LogActivity) -> dict[str, Any]:
    """Log an activity on a lead of the entity as the caller; announce it (`activity:logged`)."""
    if actor.user_id is None:
        raise Forbidden("Activities are logged by users")
    given = data.next_follow_up_at
    due = None if given is None else await lead_rollups.instant(actor, given, DUE)
    return await retried(lambda: _log(actor, data, due))


async def _log(actor: Actor, data: LogActivity, due: datetime | None) -> dict[str, Any]:
    """The log's transaction, run again as a deadlock's victim like the other writers' (its
    INSERT…SELECT reads the lead under a shared lock while the lead's moves write it)."""
    assert actor.user_id is not None
    now = utcnow()
    row = records.NewActivity(
        lead_id=data.lead_id,
        user_id=actor.user_id,
        activity_type=data.activity_type.value,
        description=data.description,
        created_at=now,
        priority=data.priority.value,
        status=data.status.value,
        next_follow_up_at=due,
        notes=data.notes,
    )
    async with atomic():
        leads, activity_id = await records.insert_on_lead(
            actor, row, queries.lead_statement(actor, data.lead_id)
        )
        if activity_id is None:
            raise NotFound("Lead not found")
        lead = queries.LEAD_ROW.row(leads[0])
        activity = shown(
            {
                "id": activity_id,
                **row._asdict(),
                "next_follow_up_date": row.next_follow_up_at,
                "updated_at": now,
                "lead_email": lead["email"],
                "lead_first_name": lead["first_name"],
                "lead_last_name": lead["last_name"],
            }
        )
        del activity["next_follow_up_at"], activity["overdue_notified_for"]  # as the lists show it
        events.emit(events.Event("activity:logged", actor.entity_id, {"activity": activity}))
    return {"activity_id": activity_id, "activity": activity}


async def _list(actor: Actor, query: ActivityFilters, counters: bool, **fixed: int) -> dict[str, Any]:
    """A page of matching activities, newest first; `total` counts every match (from the
    counters when `counters` and nothing bounds the rows by time or lead)."""
    limit = query.rows
    where, params = await queries.conditions(actor, query, **fixed)
    from_counters = counters and query.date_from is None and query.date_to is None and "lead_id" not in params
    found, total = await queries.page_json(
        actor, where, params, limit, query.offset, counted=not from_counters
    )
    if from_counters:
        total = await records.total(actor, **{k: params[k] for k in records.CELL if k in params})
    elif total is None:  # an empty page: counted apart (an offset past the end still has a total)
        total = await queries.count(actor, where, params) if query.offset else 0
    return {"activities": JsonText.array(found), "filters": query.echo(), "total": total}


async def lead_activities(actor: Actor, lead_id: int, query: LeadActivities) -> dict[str, Any]:
    found = await _list(actor, query, counters=False, lead_id=lead_id)
    if not found["total"]:  # no row: a lead of no activity, or none of this entity (404)
        await _lead(actor, lead_id)
    return found


async def entity_activities(actor: Actor, query: EntityActivities) -> dict[str, Any]:
    return await _list(actor, query, counters=True)


async def user_activities(actor: Actor, query: UserActivities) -> dict[str, Any]:
    """The caller's own activities."""
    if actor.user_id is None:
        raise Forbidden("Only a user has activities of their own")
    return await _list(actor, query, counters=True, user_id=actor.user_id)


async def recent(actor: Actor, page: Recent, counted: bool = True) -> dict[str, Any]:
    """The entity's latest activities; `total` counts all of them (from the counters)."""
    found = await queries.recent(actor, page.rows, page.offset)
    total = await records.total(actor) if counted else None
    return {"activities": JsonText.array(found), "total": total}


async def timeline(actor: Actor, lead_id: int, page: Timeline) -> dict[str, Any]:
    """The lead's activities, stage changes and assignments, newest first; `total` counts them
    all. A stage change or an assignment is shown once: as itself, not also as the activity row
    its workflow logged at the same moment."""
    await _lead(actor, lead_id)
    entries, total = await queries.timeline(actor, lead_id, page.rows, page.offset)
    wanted: dict[str, list[int]] = {"activity": [], "stage": [], "assignment": []}
    for kind, entry_id in entries:
        wanted[kind].append(entry_id)
    readers = {
        "activity": queries.activities_by_id,
        "stage": queries.stages_by_id,
        "assignment": queries.assignments_by_id,
    }
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for kind, ids in wanted.items():
        for row in await readers[kind](actor, ids) if ids else []:
            at = row["created_at"] if kind == "activity" else row["at"]
            found[(kind, int(row["id"]))] = {"kind": kind, **shown({**row, "at": at})}
    return {"timeline": [found[entry] for entry in entries if entry in found], "total": total}


def _hours(delta: timedelta) -> int:
    """Whole hours, truncated."""
    return int(delta.total_seconds() // 3600)


def hours_until(due: datetime | str, now: datetime) -> int:
    """Whole hours (truncated) from `now` until a follow-up due at `due` (ISO text as shown)."""
    return _hours((datetime.fromisoformat(due) if isinstance(due, str) else due) - now)


async def pending(actor: Actor, query: FollowUps, counted: bool = True) -> dict[str, Any]:
    """Follow-ups not yet due, most urgent first, then soonest (`total` counts them all, unless
    not `counted`: then it is null)."""
    now, limit = utcnow(), query.rows
    rows, total = await queries.pending(actor, query, now, limit, counted)
    for row in rows:
        shown(row)
        row["hours_until_follow_up"] = hours_until(row["next_follow_up_date"], now)
    return {"follow_ups": rows, "filters": query.echo(), "total": total}


async def overdue(actor: Actor, query: FollowUps) -> dict[str, Any]:
    """Follow-ups past due and still pending, the longest overdue first."""
    now, limit = utcnow(), query.rows
    rows, total = await queries.overdue(actor, query, now, limit)
    for row in rows:
        shown(row)
        row["hours_overdue"] = _hours(now - _moment(row["next_follow_up_date"]))  # type: ignore[operator]
    return {"follow_ups": rows, "filters": query.echo(), "total": total}


async def follow_up_summary(actor: Actor) -> dict[str, Any]:
    now = utcnow()
    return await queries.follow_up_summary(actor, now, now + timedelta(hours=24), now + timedelta(days=7))


def _may_update(actor: Actor, activity: dict[str, Any]) -> None:
    """Admins and managers update any activity of the entity; others the ones they logged or
    those on leads they own."""
    if actor.role in (RoleId.ADMIN, RoleId.MANAGER):
        return
    if actor.user_id not in (activity["user_id"], activity["lead_assigned_user_id"]):
        raise Forbidden("You may update only your own activities or those on your leads")


async def _locked(actor: Actor, activity_id: int) -> dict[str, Any]:
    """The activity, its row locked until commit, with its lead's owner (read, not locked: the
    lead gate's writers lock lead rows, and a second lock order could deadlock with them)."""
    rows = await queries.locked(actor, "id = :id", id=activity_id)
    if not rows:
        raise NotFound("Activity not found")
    row = rows[0]
    row["lead_assigned_user_id"] = (await _lead(actor, row["lead_id"]))["assigned_user_id"]
    return row


async def _read(actor: Actor, activity_id: int) -> dict[str, Any]:
    found = await queries.page(actor, ["a.entity_id = :entity", "a.id = :id"], {"id": activity_id}, 1, 0)
    return shown(found[0])


def _value(enum_or_text: Any) -> str:
    return str(getattr(enum_or_text, "value", enum_or_text))


async def update_status(actor: Actor, data: UpdateStatus) -> dict[str, Any]:
    """Set an activity's status (and notes, if given); completing or cancelling a follow-up
    stops its overdue alert."""
    return await retried(lambda: _update_status(actor, data))


async def _update_status(actor: Actor, data: UpdateStatus) -> dict[str, Any]:
    async with atomic():
        row = await _locked(actor, data.activity_id)
        _may_update(actor, row)
        changes: dict[str, Any] = {"status": data.status, "updated_at": utcnow()}
        if data.notes is not None:
            changes["notes"] = data.notes
        await scoped(LeadActivity, actor, id=data.activity_id).update(**changes)
        before = _cell(await lead_rollups.zone_of(actor), row)
        after = (*before[:3], data.status.value, *before[4:])
        if after != before:  # the same status again moves no count ({k: -1, k: 1} would be {k: 1})
            records.add(actor, Counter({before: -1, after: 1}))
        return _updated(actor, await _read(actor, data.activity_id))


def _cell(zone: ZoneInfo, row: dict[str, Any]) -> records.DayCell:
    """The counters' cell of a locked activity, as it was read."""
    return (
        lead_rollups.local_day(zone, row["created_at"]),
        row["user_id"],
        _value(row["activity_type"]),
        _value(row["status"]),
        _value(row["priority"]),
        row["next_follow_up_at"] is not None,
    )


async def _dated(actor: Actor, rows: list[dict[str, Any]]) -> None:
    """Move the locked activities that had no follow-up date to the counters' dated cells (a
    date is set, never cleared)."""
    zone, moves = await lead_rollups.zone_of(actor), Counter[records.DayCell]()
    for row in rows:
        if row["next_follow_up_at"] is None:
            before = _cell(zone, row)
            moves[before] -= 1
            moves[(*before[:-1], True)] += 1
    records.add(actor, moves)


async def update_follow_up(actor: Actor, data: UpdateFollowUp) -> dict[str, Any]:
    """Move a follow-up to a new time (and set notes, if given); a new time arms its overdue
    alert again."""
    due = await lead_rollups.instant(actor, data.next_follow_up_at, DUE)
    return await retried(lambda: _update_follow_up(actor, data, due))


async def _update_follow_up(actor: Actor, data: UpdateFollowUp, due: datetime) -> dict[str, Any]:
    async with atomic():
        row = await _locked(actor, data.activity_id)
        _may_update(actor, row)
        changes: dict[str, Any] = {"next_follow_up_at": due, "updated_at": utcnow()}
        if data.notes is not None:
            changes["notes"] = data.notes
        kept = _moment(row["next_follow_up_at"])
        if kept is None or to_utc(kept) != due:
            changes["overdue_notified_for"] = None
        await scoped(LeadActivity, actor, id=data.activity_id).update(**changes)
        await _dated(actor, [row])
        return _updated(actor, await _read(actor, data.activity_id))


def _updated(actor: Actor, activity: dict[str, Any]) -> dict[str, Any]:
    """Announce the activity's change (`activity:updated`) with the commit; the activity."""
    events.emit(
        events.Event(
            "activity:updated", actor.entity_id, {"activity_id": activity["id"], "activity": activity}
        )
    )
    return activity


async def bulk_follow_ups(actor: Actor, data: BulkFollowUps) -> dict[str, Any]:
    """Move many follow-ups of the entity to one new time; ids of no activity the caller may
    update (another entity's, unknown, or, for a rep, someone else's) change nothing and are
    listed in `not_updated`. A follow-up already at that time keeps its alert state (announced
    once per due time)."""
    due = await lead_rollups.instant(actor, data.next_follow_up_at, DUE)
    updated = await retried(lambda: _bulk_follow_ups(actor, data, due))
    return {
        "updated_count": len(updated),
        "next_follow_up_date": iso(due),
        "not_updated": [i for i in data.activity_ids if i not in updated],
    }


async def _bulk_follow_ups(actor: Actor, data: BulkFollowUps, due: datetime) -> set[int]:
    mine = scoped(LeadActivity, actor, id__in=data.activity_ids)
    if actor.role not in (RoleId.ADMIN, RoleId.MANAGER):
        mine = mine.filter(Q(user_id=actor.user_id) | Q(lead__assigned_user_id=actor.user_id))
    found: list[int] = await mine.values_list("id", flat=True)  # type: ignore[assignment]
    ids = sorted(set(found))  # a plain read: which of them the caller may move
    if not ids:
        return set()
    changes: dict[str, Any] = {"next_follow_up_at": due, "updated_at": utcnow()}
    if data.notes is not None:
        changes["notes"] = data.notes
    async with atomic():  # the rows in id order: two bulk moves take their locks in one order
        moved = scoped(LeadActivity, actor, id__in=ids)
        await _dated(
            actor, await queries.locked(actor, "id IN (:ids) AND next_follow_up_at IS NULL", ids=ids)
        )
        await moved.exclude(next_follow_up_at=due).update(overdue_notified_for=None)
        await moved.update(**changes)
        stamp = iso(due)
        for activity_id in ids:
            change = {"activity_id": activity_id, "next_follow_up_date": stamp}
            events.emit(events.Event("activity:updated", actor.entity_id, change))
    return set(ids)


def _rates(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("total_activities", "completed_activities", "pending_activities", "cancelled_activities",
                "follow_ups_scheduled", "overdue_follow_ups"):  # fmt: skip
        if key in row:
            row[key] = int(row[key] or 0)
    total = row["total_activities"]
    row["completion_rate"] = round(100 * row["completed_activities"] / total, 2) if total else 0.0
    return row


async def _tally(actor: Actor, by: str, window: Window) -> dict[str, dict[str, Any]]:
    unbounded = window.date_from is None and window.date_to is None
    found = await (queries.counted(actor, by) if unbounded else queries.tally(actor, by, window))
    return {_value(r.pop("k")): _rates(r) for r in found}


async def statistics(actor: Actor, window: Window) -> list[dict[str, Any]]:
    """Per activity type: totals by status and completion rate, most frequent first."""
    per_type = await _tally(actor, "activity_type", window)
    out = [{"activity_type": k, **v} for k, v in per_type.items() if v["total_activities"]]
    return sorted(out, key=lambda r: (-r["total_activities"], r["activity_type"]))


async def priority_distribution(actor: Actor, window: Window) -> list[dict[str, Any]]:
    """Per priority, urgent first (every priority, zeros included)."""
    per_priority = await _tally(actor, "priority", window)
    empty = {"total_activities": 0, "completed_activities": 0, "pending_activities": 0,
             "cancelled_activities": 0, "completion_rate": 0.0}  # fmt: skip
    return [{"priority": p.value, **per_priority.get(p.value, empty)} for p in queries.RANK]


async def user_performance(actor: Actor, window: UserWindow) -> dict[str, Any]:
    """Per user who logged activities in the window: totals, follow-ups scheduled and overdue;
    the most active first, `limit`/`offset` paging them, `total` counting them all."""
    found = await queries.user_performance(actor, window, utcnow(), window.rows)
    return {"users": [_rates(r) for r in found], "total": await queries.performers(actor, window)}


async def summary(actor: Actor) -> list[dict[str, Any]]:
    """Per activity type, all time: total, pending and completed (from the counters)."""
    per_type = await _tally(actor, "activity_type", Window())
    out = [
        {
            "activity_type": k,
            "total_count": v["total_activities"],
            "pending_count": v["pending_activities"],
            "completed_count": v["completed_activities"],
        }
        for k, v in per_type.items()
        if v["total_activities"]
    ]
    return sorted(out, key=lambda r: (-r["total_count"], r["activity_type"]))
