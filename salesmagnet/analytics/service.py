"""The analytics figures (formulas in the README, "Analytics"), each from the rollups: its cost
grows with the days and dimensions asked for, not with the leads.

Units: rates are percentages to one decimal; `avg_assignment_time` is hours from a lead's
arrival to its first owner; `avg_cycle_time` is days from arrival to won or lost;
`avg_exceeded_time` is hours past the deadline. A figure with nothing to average is null.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from models import STATUS_IDS, ActivityPriority, ActivityStatus, ActivityType, RoleId, StatusName
from salesmagnet.activities import records as activity_records
from salesmagnet.activities import service as activities
from salesmagnet.activities.schemas import FollowUps, Recent
from salesmagnet.analytics import live, queries
from salesmagnet.analytics.schemas import ActivityDays, Filters, Hours, SlaDays, TimeBased
from salesmagnet.db import iso, utcnow
from salesmagnet.leads import rollups
from salesmagnet.rawsql import JsonText
from salesmagnet.stages import metrics as stage_metrics
from salesmagnet.stages import rollups as stage_rollups
from salesmagnet.stages.schemas import BY_ID
from salesmagnet.tenancy import Actor

FUNNEL = [s for s in StatusName if s is not StatusName.LOST]  # the pipeline's order, won last
DASHBOARD_LIST = 10  # recent activities and upcoming follow-ups on the dashboard
ROLES = {role.value: role.name.lower() for role in RoleId}


def rate(part: int, whole: int) -> float:
    """100 * part / whole to one decimal; 0 when there is no whole."""
    return round(100 * part / whole, 1) if whole else 0.0


def _mean(total: int, n: int, unit: int) -> float | None:
    return round(total / n / unit, 1) if n else None


def figures(sums: dict[str, Any] | None) -> dict[str, Any]:
    """The common figures of a set of leads, from its summed rollups."""
    s = sums or dict.fromkeys(queries.SUMMED, 0)
    closed = s["won"] + s["lost"]
    return {
        "total_leads": s["leads"],
        "won_leads": s["won"],
        "lost_leads": s["lost"],
        "conversion_rate": rate(s["won"], s["leads"]),
        "win_rate": rate(s["won"], closed),
        "avg_cycle_time": _mean(s["cycle_seconds"], closed, 86400),
        "avg_assignment_time": _mean(s["assign_seconds"], s["assigned"], 3600),
    }


def _summed(rows: list[dict[str, Any]]) -> dict[str, Any]:
    total = dict.fromkeys(queries.SUMMED, 0)
    for row in rows:
        for name in queries.SUMMED:
            total[name] += row[name]
    return total


async def leads(actor: Actor, filters: Filters) -> dict[str, Any]:
    """The leads matching the filters: how many in each status, owned, unassigned (open and
    owned by nobody: a won or lost lead is in no queue), and the figures."""
    per_status = {r["status"]: r for r in await queries.lead_sums(actor, filters, ["status"])}
    total = _summed(list(per_status.values()))
    out = figures(total)
    for status in StatusName:
        out[f"{status.value}_leads"] = per_status[status.value]["leads"] if status.value in per_status else 0
    out["assigned_leads"] = total["owned"]
    out["unassigned_leads"] = sum(
        r["leads"] - r["owned"] for status, r in per_status.items() if status not in rollups.CLOSED
    )
    return out


async def announce(actor: Actor) -> None:
    """Push the entity's dashboard as it is (`analytics:updated`; its sequence moves, so kept
    answers and boards are read again): after a bulk change whose writers moved the rollups but
    announced nothing one by one (demo seeding)."""
    await live.push(actor, dashboard)


async def rebuild(actor: Actor) -> None:
    """Count the entity's rollups again from its leads, activities and stages, then push the
    dashboard (which moves its sequence: every kept answer is computed again)."""
    await rollups.rebuild(actor)
    await activity_records.rebuild(actor)
    await stage_rollups.rebuild(actor)
    await live.push(actor, dashboard)


async def dashboard(actor: Actor) -> dict[str, Any]:
    """Every lead of the entity, with the latest activities and the soonest follow-ups."""
    out = await leads(actor, Filters())
    recent = await activities.recent(actor, Recent(limit=DASHBOARD_LIST), counted=False)
    upcoming = await activities.pending(actor, FollowUps(limit=DASHBOARD_LIST), counted=False)
    latest = json.loads(recent["activities"])  # JSON the database wrote
    return out | {"recent_activities": latest, "upcoming_follow_ups": upcoming["follow_ups"]}


async def platforms(actor: Actor, filters: Filters) -> list[dict[str, Any]]:
    rows = await queries.lead_sums(actor, filters, ["platform_key"])
    out = [{"platform": row["platform_key"], **figures(row)} for row in rows]
    return sorted(out, key=lambda r: (-r["total_leads"], r["platform"]))


async def users(actor: Actor, filters: Filters) -> list[dict[str, Any]]:
    """Per user: the leads they own (of the filters), how those ended, their activities logged
    within the days and their pending follow-ups now. Active users all, others with figures."""
    owned = {int(r["owner_id"]): r for r in await queries.lead_sums(actor, filters, ["owner_id"])}
    days = ActivityDays(date_from=filters.date_from, date_to=filters.date_to)
    logged = {int(r["user_id"]): r["n"] for r in await queries.activity_sums(actor, days, ["user_id"])}
    pending = await queries.pending_by_user(actor)
    out = []
    for person in await queries.people(actor, sorted({*owned, *logged, *pending} - {0})):
        user_id = int(person["id"])
        mine = figures(owned.get(user_id))
        out.append(
            {
                "user_id": user_id,
                "username": person["username"],
                "first_name": person["first_name"],
                "last_name": person["last_name"],
                "email": person["email"],
                "role": ROLES.get(int(person["role_id"])),
                "is_active": bool(person["is_active"]),
                "leads_assigned": mine.pop("total_leads"),
                "leads_won": mine.pop("won_leads"),
                "leads_lost": mine.pop("lost_leads"),
                **mine,
                "total_activities": logged.get(user_id, 0),
                "pending_follow_ups": pending.get(user_id, 0),
            }
        )
    return sorted(out, key=lambda r: (-r["leads_won"], -r["leads_assigned"], r["user_id"]))


async def funnel(actor: Actor, filters: Filters) -> dict[str, Any]:
    """How many of the leads reached each status or a later one (from the statuses each held),
    in pipeline order; lost ones count in the statuses they reached, and on their own line."""
    rows = await queries.lead_sums(actor, filters, ["reached"])
    total = sum(r["leads"] for r in rows)
    stages = []
    for n, status in enumerate(FUNNEL):
        later = sum(rollups.bit(s.value) for s in FUNNEL[n:])
        count = sum(r["leads"] for r in rows if int(r["reached"]) & later)
        stages.append({"stage": status.value, "count": count, "percentage": rate(count, total)})
    lost = sum(r["leads"] for r in rows if int(r["reached"]) & rollups.bit(StatusName.LOST.value))
    return {
        "stages": stages,
        "lost": {"count": lost, "percentage": rate(lost, total)},
        "total_leads": total,
    }


async def kept_as(actor: Actor, name: str) -> str:
    """The name an answer is kept under (salesmagnet.analytics.live): the user figures and the
    dashboard's activities and follow-ups read the users too, whose changes (a user deactivated,
    renamed, added) move no event sequence, so theirs carries the users' state; the dashboard's
    upcoming follow-ups change when one falls due, so it carries the soonest one's time too."""
    if name == "dashboard":
        return f"{name}@{await queries.people_stamp(actor, due_after=utcnow())}"
    return f"{name}@{await queries.people_stamp(actor)}" if name == "users" else name


SHOWN_MAX = 256  # dashboards a process keeps as last shown
# Dashboards as last shown, by the kept answer they came from, each with the moment its hours
# stay true until (each figure drops once an hour): most requests answer without decoding.
_shown: dict[str, tuple[datetime, JsonText]] = {}


def as_of_now(name: str, figures: JsonText) -> JsonText:
    """A kept answer as it stands now: the hours until each of the dashboard's upcoming
    follow-ups count down with the clock (the follow-ups are kept: kept_as)."""
    if name != "dashboard":
        return figures
    now = utcnow()
    if (shown := _shown.get(figures)) is not None and now <= shown[0]:
        return shown[1]
    dashboard: dict[str, Any] = json.loads(figures)
    until = datetime.max.replace(tzinfo=UTC)
    for row in dashboard["upcoming_follow_ups"]:
        due = datetime.fromisoformat(row["next_follow_up_date"])
        hours = row["hours_until_follow_up"] = activities.hours_until(due, now)
        until = min(until, due - timedelta(hours=hours))  # then it drops by one
    text = JsonText(json.dumps(dashboard, separators=(",", ":"), ensure_ascii=False))
    if len(_shown) >= SHOWN_MAX:
        _shown.clear()
    _shown[figures] = (until, text)
    return text


def period(day: date, group_by: str) -> str:
    if group_by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.strftime("%Y-%m") if group_by == "month" else day.isoformat()


async def time_based(actor: Actor, query: TimeBased) -> list[dict[str, Any]]:
    """Per period of arrival (day, ISO week or month in the entity's time zone): the leads that
    arrived, and how many of them are won and lost now."""
    periods: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in await queries.lead_sums(actor, query, ["day"]):
        sums = periods[period(rollups.as_date(row["day"]), query.group_by)]
        sums[0] += row["leads"]
        sums[1] += row["won"]
        sums[2] += row["lost"]
    return [
        {
            "period": key,
            "new_leads": n,
            "won_leads": won,
            "lost_leads": lost,
            "conversion_rate": rate(won, n),
            "win_rate": rate(won, won + lost),
        }
        for key, (n, won, lost) in sorted(periods.items())
    ]


async def hourly(actor: Actor, query: Hours) -> list[dict[str, Any]]:
    """Leads that arrived in each of the last `hours` whole hours (UTC), oldest first, every
    hour listed; the last is the current hour so far."""
    start = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=query.hours - 1)
    arrived = await queries.arrivals_by_hour(actor, start)
    return [
        {"hour": iso(start + timedelta(hours=n)), "new_leads": arrived.get(n, 0)} for n in range(query.hours)
    ]


async def activity_figures(actor: Actor, days: ActivityDays) -> dict[str, Any]:
    """Activities logged within the days, per type, priority and status (each sums to the
    total; every value listed)."""
    rows = await queries.activity_sums(actor, days, ["activity_type", "priority", "status"])
    maps: dict[str, dict[str, int]] = {
        "by_type": {t.value: 0 for t in ActivityType},
        "by_priority": {p.value: 0 for p in ActivityPriority},
        "by_status": {s.value: 0 for s in ActivityStatus},
    }
    for row in rows:
        maps["by_type"][row["activity_type"]] += row["n"]
        maps["by_priority"][row["priority"]] += row["n"]
        maps["by_status"][row["status"]] += row["n"]
    return {"total_activities": sum(r["n"] for r in rows), **maps}


async def sla_compliance(actor: Actor, days: SlaDays) -> dict[str, Any]:
    """Of the stages with a deadline entered within the days, decided so far: those closed by
    it (within) and those that missed it (closed after it, or announced open past it); per
    status, the share kept; and how late the late ones that ended were (from the stage rollups:
    each stage a lead spent under an SLA counts once)."""
    more = [] if days.status is None else [f"status_id = {STATUS_IDS[days.status]}"]
    rows = await stage_metrics.stage_sums(actor, days, "status_id", *more)
    within = exceeded = ended_late = late_seconds = 0
    by_status: dict[str, float] = {}
    for row in sorted(rows, key=lambda r: int(r["status_id"])):
        late = row["sla_closed"] - row["sla_kept"]
        decided = row["sla_closed"] + row["breached_open"]
        if decided:
            by_status[BY_ID[int(row["status_id"])].value] = rate(row["sla_kept"], decided)
        within += row["sla_kept"]
        exceeded += late + row["breached_open"]
        ended_late += late
        late_seconds += row["late_seconds"]
    total = within + exceeded
    return {
        "total_leads": total,
        "within_sla": within,
        "exceeded_sla": exceeded,
        "compliance_rate": rate(within, total),
        "avg_exceeded_time": _mean(late_seconds, ended_late, 3600),
        "by_status": by_status,
    }
