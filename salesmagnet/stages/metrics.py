"""Stage metrics of an entity, read from its stage rollups (salesmagnet.stages.rollups: a few
rows a day and status, whatever the number of stages); formulas in the README ("Stage
metrics"). `sla-violations` and `recent-changes` list stage rows, by index.

Notation: a stage is one period a lead spent in one status; it is closed once the lead moved on
(its duration is then known), open while the lead is still there. "Over N hours" counts closed
stages that lasted longer than N (open ones are the breach monitor's and sla-violations'). The
window (`date_from`, `date_to`, both included) is on the day a stage was entered, in the
entity's time zone. Rates are percentages to two decimals; hours have two decimals.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from models import STATUS_IDS, LeadStage, StatusName
from salesmagnet.analytics import live
from salesmagnet.analytics.queries import people_stamp, within
from salesmagnet.analytics.schemas import Days
from salesmagnet.db import utcnow
from salesmagnet.entities import settings as entity_settings
from salesmagnet.errors import BadRequest
from salesmagnet.leads import rollups as lead_rollups
from salesmagnet.stages import rollups as stage_rollups
from salesmagnet.stages.schemas import BY_ID, Bottlenecks, Recent, SlaCompliance, SlaQuery, UserDays
from salesmagnet.stages.service import LEAD, NAMES, STAGE, description, rows
from salesmagnet.tenancy import Actor, fetch, scoped

FINAL = (STATUS_IDS[StatusName.WON], STATUS_IDS[StatusName.LOST])
KEPT_OVER = stage_rollups.OVER  # the thresholds the rollups count
SUMS = (
    "SUM(entries) AS entries, SUM(exits) AS exits, SUM(centihours) AS centihours, "
    "MIN(centihours_min) AS low, MAX(centihours_max) AS high, SUM(over_24) AS over_24, "
    "SUM(over_48) AS over_48, SUM(over_72) AS over_72, SUM(sla_closed) AS sla_closed, "
    "SUM(sla_kept) AS sla_kept, SUM(late_seconds) AS late_seconds, SUM(breached_open) AS breached_open, "
    "SUM(first_moves) AS first_moves"
)
COUNTS = ("entries", "exits", "centihours", "over_24", "over_48", "over_72", "sla_closed", "sla_kept",
          "late_seconds", "breached_open", "first_moves")  # fmt: skip


def rate(part: float, whole: float) -> float:
    """100 * part / whole to two decimals (0 when there is no whole)."""
    return round(100 * part / whole, 2) if whole else 0.0


def _hours(centihours: Any, n: Any = 1) -> float | None:
    return round(int(centihours) / int(n) / 100, 2) if n and centihours is not None else None


async def stage_sums(actor: Actor, days: Days, by: str, *more: str, **equal: Any) -> list[dict[str, Any]]:
    """The stage rollups in the window (and `more` conditions, `equal` values), summed per `by`."""
    where, params = ["entity_id = :entity", *more], dict(equal)
    within(days, where, params)
    where += [f"{name} = :{name}" for name in equal]
    found = await fetch(
        actor, f"SELECT {by}, {SUMS} FROM stage_rollups WHERE {' AND '.join(where)} GROUP BY {by}", **params
    )
    for row in found:
        for name in COUNTS:
            row[name] = int(row[name] or 0)
    return [row for row in found if row["entries"] or row["breached_open"]]


async def _by_status(actor: Actor, days: Days, *more: str) -> list[dict[str, Any]]:
    """Per status (id, name, description), the summed rollups."""
    found = await stage_sums(actor, days, "status_id", *more)
    described = await _descriptions()
    for row in found:
        status = BY_ID[int(row["status_id"])]
        row["status_id"] = int(row["status_id"])
        row["status_name"], row["status_description"] = status.value, described.get(status)
    return found


def _named(row: dict[str, Any]) -> dict[str, Any]:
    """A per-status row's status: id, name and description."""
    return {key: row[key] for key in ("status_id", "status_name", "status_description")}


async def _descriptions() -> dict[StatusName, str | None]:
    return {status: await description(status) for status in StatusName}


async def performance(actor: Actor, days: Days) -> list[dict[str, Any]]:
    out = [
        {
            **_named(r),
            "total_entries": r["entries"],
            "total_exits": r["exits"],
            "currently_in_stage": r["entries"] - r["exits"],
            "avg_duration_hours": _hours(r["centihours"], r["exits"]),
            "min_duration_hours": _hours(r["low"]),
            "max_duration_hours": _hours(r["high"]),
            "leads_exceeding_24h": r["over_24"],
            "leads_exceeding_48h": r["over_48"],
        }
        for r in await _by_status(actor, days)
    ]
    return sorted(out, key=lambda r: (-r["total_entries"], r["status_id"]))


async def user_performance(actor: Actor, days: UserDays) -> list[dict[str, Any]]:
    """Per user, the moves they made (stages they opened; a lead's first `new` stage is its
    arrival, not a move)."""
    more = [f"status_id <> {STATUS_IDS[StatusName.NEW]}", "user_id <> 0"]
    equal = {} if days.user_id is None else {"user_id": days.user_id}
    found = {int(r["user_id"]): r for r in await stage_sums(actor, days, "user_id", *more, **equal)}
    people = await fetch(
        actor,
        "SELECT id, first_name, last_name, email FROM users WHERE entity_id = :entity AND id IN (:ids)",
        ids=sorted(found) or [0],
    )
    out = []
    for person in people:
        r = found[int(person["id"])]
        out.append(
            {
                **person,
                "total_stage_changes": r["entries"],
                "completed_stages": r["exits"],
                "active_stages": r["entries"] - r["exits"],
                "avg_stage_duration": _hours(r["centihours"], r["exits"]),
                "unique_leads_handled": r["first_moves"],
            }
        )
    return sorted(out, key=lambda r: (-r["total_stage_changes"], r["id"]))


async def kept_as(actor: Actor, path: str) -> str:
    """The name a metric's answer is kept under (salesmagnet.analytics.live), with what it reads
    that moves no event sequence: the moves per user name the users (a rename, a new email), so
    theirs carries the users' state; the SLA compliance states the entity's SLA hours (a
    setting), so it carries them (read as every settings read is: kept FRESH_FOR seconds)."""
    name = f"stages/{path}"
    if path == "user-performance":
        return f"{name}@{await people_stamp(actor)}"
    if path == "sla-compliance":
        hours = (await entity_settings.of(actor))["sla_hours"]
        return f"{name}@{json.dumps(hours, sort_keys=True, separators=(',', ':'))}"
    return name


async def transition_matrix(actor: Actor, days: Days) -> list[dict[str, Any]]:
    """Each move from one status to the next, counted on the day of the move, with the average
    hours spent in the status moved from."""
    where, params = ["entity_id = :entity"], dict[str, Any]()
    within(days, where, params)
    found = await fetch(
        actor,
        "SELECT from_status_id, to_status_id, SUM(moves) AS moves, SUM(centihours) AS centihours "
        f"FROM stage_moves WHERE {' AND '.join(where)} GROUP BY from_status_id, to_status_id",
        **params,
    )
    out = [
        {
            "from_status": BY_ID[int(r["from_status_id"])].value,
            "to_status": BY_ID[int(r["to_status_id"])].value,
            "transition_count": int(r["moves"]),
            "avg_time_in_from_status": _hours(r["centihours"], r["moves"]),
        }
        for r in found
        if int(r["moves"] or 0)
    ]
    return sorted(out, key=lambda r: (-r["transition_count"], r["from_status"], r["to_status"]))


async def sla_violations(actor: Actor, query: SlaQuery) -> dict[str, Any]:
    """Open stages past their SLA (the entity's hours for the status when the stage opened, or
    `sla_hours` for every status), longest first."""
    now = utcnow()
    late: dict[str, Any] = {"exited_at__isnull": True, "status_id__not_in": FINAL}
    if query.sla_hours is None:
        late["sla_due_at__lt"] = now
    else:
        late["entered_at__lt"] = now - timedelta(hours=query.sla_hours)
    matching = scoped(LeadStage, actor, **late)
    found = rows(
        await matching.order_by("entered_at", "id")
        .offset(query.offset)
        .limit(query.rows)
        .values(*STAGE, **NAMES, **LEAD)
    )
    for row in found:
        entered = datetime.fromisoformat(row["entered_at"].replace("Z", "+00:00"))
        row["hours_in_stage"] = round((now - entered).total_seconds() / 3600, 2)
        if query.sla_hours is not None:
            row["sla_hours"] = query.sla_hours
        else:
            due = datetime.fromisoformat(row["sla_due_at"].replace("Z", "+00:00"))
            row["sla_hours"] = round((due - entered).total_seconds() / 3600, 2)
        row["hours_over_sla"] = round(row["hours_in_stage"] - row["sla_hours"], 2)
    sla = query.sla_hours if query.sla_hours is not None else (await entity_settings.of(actor))["sla_hours"]
    return {"leads": found, "sla_hours": sla, "total_exceeding": await matching.count()}


async def conversion_rates(actor: Actor, days: Days) -> list[dict[str, Any]]:
    """Per status, the leads (arrived within the days) that reached it, and how many of those
    are now won or lost (a lead enters a status once: the graph only moves forward)."""
    sql, params = _lead_sql("SELECT reached, status, SUM(leads) AS n", days, "reached, status")
    found = await fetch(actor, sql, **params)
    described = await _descriptions()
    out = []
    for status in StatusName:
        bit = lead_rollups.bit(status.value)
        held = [r for r in found if int(r["reached"]) & bit and int(r["n"] or 0)]
        if not held:
            continue
        entered = sum(int(r["n"]) for r in held)
        won = sum(int(r["n"]) for r in held if r["status"] == StatusName.WON.value)
        lost = sum(int(r["n"]) for r in held if r["status"] == StatusName.LOST.value)
        out.append(
            {
                "status_id": STATUS_IDS[status],
                "status_name": status.value,
                "status_description": described.get(status),
                "total_entries": entered,
                "leads_entered": entered,
                "won_leads": won,
                "lost_leads": lost,
                "conversion_rate": rate(won, entered),
                "loss_rate": rate(lost, entered),
            }
        )
    return sorted(out, key=lambda r: (-r["conversion_rate"], r["status_id"]))


def _lead_sql(columns: str, days: Days, by: str) -> tuple[str, dict[str, Any]]:
    """The lead rollups of leads that arrived within the days, summed per `by`."""
    where, params = ["entity_id = :entity"], dict[str, Any]()
    within(days, where, params)
    return f"{columns} FROM lead_rollups WHERE {' AND '.join(where)} GROUP BY {by}", params


async def summary(actor: Actor, days: Days) -> list[dict[str, Any]]:
    """Per status: the leads that were in it (each enters a status once), those there now, and
    the average hours of the closed stages."""
    out = [
        {
            **_named(r),
            "lead_count": r["entries"],
            "total_entries": r["entries"],
            "active_leads": r["entries"] - r["exits"],
            "avg_duration": _hours(r["centihours"], r["exits"]),
        }
        for r in await _by_status(actor, days)
    ]
    return sorted(out, key=lambda r: (-r["lead_count"], r["status_id"]))


async def recent_changes(actor: Actor, query: Recent) -> dict[str, Any]:
    """The latest moves (a lead's arrival in `new` is not one), newest first."""
    moves = scoped(LeadStage, actor, status_id__not=STATUS_IDS[StatusName.NEW])
    newest = moves.order_by("-entered_at", "-id").offset(query.offset).limit(query.rows)
    found = await newest.values(*STAGE, **NAMES, **LEAD)
    return {"changes": rows(found), "total": await moves.count()}


async def status_statistics(actor: Actor, days: Days) -> list[dict[str, Any]]:
    """The entity's leads (arrived within the days) per current status: how many, how many
    assigned, how many unassigned (open and owned by nobody: none won or lost), and their
    average age in hours (from the lead rollups: their sums are kept until the next change, the
    ages computed at each request)."""
    found = json.loads(
        await live.answer(actor, "stages/status-sums", days, lambda: _status_sums(actor, days))
    )
    now, described, out = lead_rollups.epoch(utcnow()), await _descriptions(), []
    for r in found:
        n = int(r["n"] or 0)
        if not n:
            continue
        status = StatusName(r["status"])
        out.append(
            {
                "status_id": STATUS_IDS[status],
                "status_name": status.value,
                "status_description": described.get(status),
                "lead_count": n,
                "assigned_leads": int(r["owned"]),
                "unassigned_leads": 0 if status.value in lead_rollups.CLOSED else n - int(r["owned"]),
                "avg_age_hours": round((now * n - int(r["created"])) / n / 3600, 2),
            }
        )
    return sorted(out, key=lambda r: (-r["lead_count"], r["status_id"]))


async def _status_sums(actor: Actor, days: Days) -> list[dict[str, Any]]:
    columns = (
        "SELECT status, SUM(leads) AS n, SUM(CASE WHEN owner_id <> 0 THEN leads ELSE 0 END) AS owned, "
        "SUM(created_seconds) AS created"
    )
    sql, params = _lead_sql(columns, days, "status")
    return await fetch(actor, sql, **params)


async def sla_compliance(actor: Actor, query: SlaCompliance) -> dict[str, Any]:
    """Closed stages with an SLA: how many ended within it (by their own deadline; or, with
    `sla_hours` one of 24, 48, 72, within that many hours, for every status but won and lost)."""
    hours = (await entity_settings.of(actor))["sla_hours"]
    flat = query.sla_hours
    if flat is not None and flat not in KEPT_OVER:
        raise BadRequest(f"sla_hours: the stage rollups count 24, 48 and 72 hours; got {flat:g}")
    more = [] if flat is None else [f"status_id NOT IN ({FINAL[0]}, {FINAL[1]})"]
    out = []
    for r in await _by_status(actor, query, *more):
        total = r["sla_closed"] if flat is None else r["exits"]
        within = r["sla_kept"] if flat is None else r["exits"] - r[f"over_{int(flat)}"]
        if not total:
            continue
        out.append(
            {
                **_named(r),
                "total_leads": total,
                "within_sla": within,
                "exceeding_sla": total - within,
                "sla_compliance_rate": rate(within, total),
                "sla_hours": flat if flat is not None else hours.get(r["status_name"]),
            }
        )
    compliance = sorted(out, key=lambda r: (-r["sla_compliance_rate"], r["status_id"]))
    return {"compliance": compliance, "sla_hours": flat if flat is not None else hours}


async def workflow_efficiency(actor: Actor, days: Days) -> list[dict[str, Any]]:
    out = [
        {
            **_named(r),
            "total_entries": r["entries"],
            "completed_stages": r["exits"],
            "active_stages": r["entries"] - r["exits"],
            "completion_rate": rate(r["exits"], r["entries"]),
            "avg_completion_time": _hours(r["centihours"], r["exits"]),
        }
        for r in await _by_status(actor, days)
    ]
    return sorted(out, key=lambda r: (-r["completion_rate"], r["status_id"]))


async def bottlenecks(actor: Actor, query: Bottlenecks) -> list[dict[str, Any]]:
    """Statuses (won and lost have no time limit) where more than `threshold` percent of the
    stages entered stayed over 24 hours (closed ones; those still there are listed apart)."""
    out = []
    for r in await _by_status(actor, query, f"status_id NOT IN ({FINAL[0]}, {FINAL[1]})"):
        share = rate(r["over_24"], r["entries"])
        if share > query.threshold:
            out.append(
                {
                    **_named(r),
                    "total_entries": r["entries"],
                    "currently_in_stage": r["entries"] - r["exits"],
                    "avg_duration_hours": _hours(r["centihours"], r["exits"]),
                    "leads_over_24h": r["over_24"],
                    "leads_over_48h": r["over_48"],
                    "leads_over_72h": r["over_72"],
                    "bottleneck_percentage": share,
                }
            )
    return sorted(out, key=lambda r: (-r["bottleneck_percentage"], r["status_id"]))
