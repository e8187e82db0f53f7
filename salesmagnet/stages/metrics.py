"""Stage metrics of an entity, read from its stage rows (lead_stages); formulas in the README
("Stage metrics").

Notation: a stage row is one period a lead spent in one status; it is closed once the lead moved
on (its `duration_hours` is then set), open while the lead is still there. "Over N hours" counts
a closed row whose duration passed N and an open row entered more than N hours ago. The window
(`date_from` inclusive, `date_to` exclusive, a bare date_to including its whole day) is on when
the row was entered. Rates are percentages to two decimals; hours have two decimals.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from models import STATUS_IDS, LeadStage, StatusName
from salesmagnet.db import dialect_of_connection, utcnow
from salesmagnet.entities import settings as entity_settings
from salesmagnet.stages.schemas import Bottlenecks, Recent, SlaCompliance, SlaQuery, UserWindow, Window
from salesmagnet.stages.service import LEAD, NAMES, STAGE, rows
from salesmagnet.tenancy import Actor, fetch, scoped

FINAL = (STATUS_IDS[StatusName.WON], STATUS_IDS[StatusName.LOST])
OPEN = "CASE WHEN s.exited_at IS NULL THEN 1 ELSE 0 END"


def _hours_column() -> str:
    # SQLite keeps decimals as text: compared with a number they would compare as text.
    return "CAST(s.duration_hours AS REAL)" if dialect_of_connection() == "sqlite" else "s.duration_hours"


def _over(hours: int, param: str) -> str:
    """1 for a row over `hours` in its stage (closed: its duration; open: since it was entered,
    unless the status is final: a won lead is not late)."""
    return (
        f"CASE WHEN {_hours_column()} > {hours} OR (s.exited_at IS NULL AND s.entered_at < :{param} "
        f"AND s.status_id NOT IN ({FINAL[0]}, {FINAL[1]})) THEN 1 ELSE 0 END"
    )


def _window(window: Window, alias: str = "s") -> tuple[str, dict[str, Any]]:
    where = [f"{alias}.entity_id = :entity"]
    params: dict[str, Any] = {}
    if window.date_from is not None:
        where.append(f"{alias}.entered_at >= :date_from")
        params["date_from"] = window.date_from
    if window.date_to is not None:
        where.append(f"{alias}.entered_at < :date_to")
        params["date_to"] = window.date_to
    return " AND ".join(where), params


def _cuts(now: datetime, *hours: int) -> dict[str, datetime]:
    return {f"cut{h}": now - timedelta(hours=h) for h in hours}


def rate(part: float, whole: float) -> float:
    """100 * part / whole to two decimals (0 when there is no whole)."""
    return round(100 * part / whole, 2) if whole else 0.0


def _hours(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def _ints(row: dict[str, Any], *names: str) -> dict[str, Any]:
    for name in names:
        row[name] = int(row[name] or 0)
    return row


async def _by_status(actor: Actor, columns: str, where: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    sql = (
        f"SELECT st.id AS status_id, st.name AS status_name, st.description AS status_description, {columns} "
        f"FROM lead_stages s JOIN lead_statuses st ON st.id = s.status_id WHERE {where} "
        "GROUP BY st.id, st.name, st.description"
    )
    return await fetch(actor, sql, **params)


async def performance(actor: Actor, window: Window) -> list[dict[str, Any]]:
    d = _hours_column()
    where, params = _window(window)
    found = await _by_status(
        actor,
        f"COUNT(*) AS total_entries, COUNT(s.exited_at) AS total_exits, SUM({OPEN}) AS currently_in_stage, "
        f"AVG({d}) AS avg_duration_hours, MIN({d}) AS min_duration_hours, MAX({d}) AS max_duration_hours, "
        f"SUM({_over(24, 'cut24')}) AS leads_exceeding_24h, SUM({_over(48, 'cut48')}) AS leads_exceeding_48h",
        where,
        params | _cuts(utcnow(), 24, 48),
    )
    for row in found:
        _ints(
            row,
            "total_entries",
            "total_exits",
            "currently_in_stage",
            "leads_exceeding_24h",
            "leads_exceeding_48h",
        )
        for key in ("avg_duration_hours", "min_duration_hours", "max_duration_hours"):
            row[key] = _hours(row[key])
    return sorted(found, key=lambda r: (-r["total_entries"], r["status_id"]))


async def user_performance(actor: Actor, window: UserWindow) -> list[dict[str, Any]]:
    """Per user, the moves they made (stages they opened; a lead's first `new` stage is its
    arrival, not a move)."""
    where, params = _window(window)
    where += f" AND s.status_id <> {STATUS_IDS[StatusName.NEW]}"
    if window.user_id is not None:
        where += " AND s.user_id = :user"
        params["user"] = window.user_id
    sql = (
        "SELECT u.id, u.first_name, u.last_name, u.email, COUNT(*) AS total_stage_changes, "
        f"COUNT(s.exited_at) AS completed_stages, SUM({OPEN}) AS active_stages, "
        f"AVG({_hours_column()}) AS avg_stage_duration, COUNT(DISTINCT s.lead_id) AS unique_leads_handled "
        f"FROM lead_stages s JOIN users u ON u.id = s.user_id WHERE {where} "
        "GROUP BY u.id, u.first_name, u.last_name, u.email"
    )
    found = await fetch(actor, sql, **params)
    for row in found:
        _ints(row, "total_stage_changes", "completed_stages", "active_stages", "unique_leads_handled")
        row["avg_stage_duration"] = _hours(row["avg_stage_duration"])
    return sorted(found, key=lambda r: (-r["total_stage_changes"], r["id"]))


async def transition_matrix(actor: Actor, window: Window) -> list[dict[str, Any]]:
    """Each move from one status to the next (consecutive stages of a lead), counted in the
    window of the move, with the average hours spent in the status moved from."""
    where, params = _window(window, "m")
    sql = (
        "SELECT f.name AS from_status, t.name AS to_status, COUNT(*) AS transition_count, "
        "AVG(m.from_hours) AS avg_time_in_from_status FROM ("
        "SELECT s.entity_id, s.status_id, s.entered_at, "
        "LAG(s.status_id) OVER (PARTITION BY s.lead_id ORDER BY s.entered_at, s.id) AS from_status_id, "
        f"LAG({_hours_column()}) OVER (PARTITION BY s.lead_id ORDER BY s.entered_at, s.id) AS from_hours "
        "FROM lead_stages s WHERE s.entity_id = :entity) m "
        "JOIN lead_statuses f ON f.id = m.from_status_id JOIN lead_statuses t ON t.id = m.status_id "
        f"WHERE {where} GROUP BY f.id, f.name, t.id, t.name"
    )
    found = await fetch(actor, sql, **params)
    for row in found:
        _ints(row, "transition_count")
        row["avg_time_in_from_status"] = _hours(row["avg_time_in_from_status"])
    return sorted(found, key=lambda r: (-r["transition_count"], r["from_status"], r["to_status"]))


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
        .limit(query.limit)
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


async def conversion_rates(actor: Actor, window: Window) -> list[dict[str, Any]]:
    """Per status, the distinct leads that entered it and how many of them are now won or lost."""
    where, params = _window(window)
    found = await fetch(
        actor,
        "SELECT st.id AS status_id, st.name AS status_name, st.description AS status_description, "
        "COUNT(*) AS total_entries, COUNT(DISTINCT s.lead_id) AS leads_entered, "
        "COUNT(DISTINCT CASE WHEN l.status = 'won' THEN s.lead_id END) AS won_leads, "
        "COUNT(DISTINCT CASE WHEN l.status = 'lost' THEN s.lead_id END) AS lost_leads "
        "FROM lead_stages s JOIN lead_statuses st ON st.id = s.status_id "
        f"JOIN lead_data l ON l.id = s.lead_id WHERE {where} GROUP BY st.id, st.name, st.description",
        **params,
    )
    for row in found:
        _ints(row, "total_entries", "leads_entered", "won_leads", "lost_leads")
        row["conversion_rate"] = rate(row["won_leads"], row["leads_entered"])
        row["loss_rate"] = rate(row["lost_leads"], row["leads_entered"])
    return sorted(found, key=lambda r: (-r["conversion_rate"], r["status_id"]))


async def summary(actor: Actor, window: Window) -> list[dict[str, Any]]:
    """Per status: the distinct leads that were in it, its entries, those there now, and the
    average hours of the closed ones."""
    where, params = _window(window)
    found = await _by_status(
        actor,
        f"COUNT(DISTINCT s.lead_id) AS lead_count, COUNT(*) AS total_entries, SUM({OPEN}) AS active_leads, "
        f"AVG({_hours_column()}) AS avg_duration",
        where,
        params,
    )
    for row in found:
        _ints(row, "lead_count", "total_entries", "active_leads")
        row["avg_duration"] = _hours(row["avg_duration"])
    return sorted(found, key=lambda r: (-r["lead_count"], r["status_id"]))


async def recent_changes(actor: Actor, query: Recent) -> dict[str, Any]:
    """The latest moves (a lead's arrival in `new` is not one), newest first."""
    moves = scoped(LeadStage, actor, status_id__not=STATUS_IDS[StatusName.NEW])
    found = await moves.order_by("-entered_at", "-id").limit(query.limit).values(*STAGE, **NAMES, **LEAD)
    return {"changes": rows(found), "total": await moves.count()}


async def status_statistics(actor: Actor, window: Window) -> list[dict[str, Any]]:
    """The entity's leads (window on when they were created) per current status: how many, how
    many assigned, and their average age in hours."""
    where = ["l.entity_id = :entity"]
    params: dict[str, Any] = {"now": utcnow()}
    if window.date_from is not None:
        where.append("l.created_at >= :date_from")
        params["date_from"] = window.date_from
    if window.date_to is not None:
        where.append("l.created_at < :date_to")
        params["date_to"] = window.date_to
    if dialect_of_connection() == "sqlite":
        age = "AVG((julianday(:now) - julianday(l.created_at)) * 24)"
    else:
        age = "AVG(TIMESTAMPDIFF(MICROSECOND, l.created_at, :now)) / 3600000000"
    found = await fetch(
        actor,
        "SELECT st.id AS status_id, st.name AS status_name, st.description AS status_description, "
        "COUNT(*) AS lead_count, COUNT(l.assigned_user_id) AS assigned_leads, "
        f"{age} AS avg_age_hours FROM lead_data l JOIN lead_statuses st ON st.name = l.status "
        f"WHERE {' AND '.join(where)} GROUP BY st.id, st.name, st.description",
        **params,
    )
    for row in found:
        _ints(row, "lead_count", "assigned_leads")
        row["unassigned_leads"] = row["lead_count"] - row["assigned_leads"]
        row["avg_age_hours"] = _hours(row["avg_age_hours"])
    return sorted(found, key=lambda r: (-r["lead_count"], r["status_id"]))


async def sla_compliance(actor: Actor, query: SlaCompliance) -> dict[str, Any]:
    """Closed stages of statuses with an SLA: how many ended within it (by their deadline, or
    within `sla_hours` when given)."""
    if query.sla_hours is None:
        within = "CASE WHEN s.exited_at <= s.sla_due_at THEN 1 ELSE 0 END"
        params: dict[str, Any] = {}
    else:
        within = f"CASE WHEN {_hours_column()} <= :sla THEN 1 ELSE 0 END"
        params = {"sla": query.sla_hours}
    has_sla = "s.sla_due_at IS NOT NULL" if query.sla_hours is None else f"s.status_id NOT IN {FINAL}"
    found = await _by_status(
        actor,
        f"COUNT(*) AS total_leads, SUM({within}) AS within_sla",
        f"s.entity_id = :entity AND s.exited_at IS NOT NULL AND {has_sla}",
        params,
    )
    hours = (await entity_settings.of(actor))["sla_hours"]
    for row in found:
        _ints(row, "total_leads", "within_sla")
        row["exceeding_sla"] = row["total_leads"] - row["within_sla"]
        row["sla_compliance_rate"] = rate(row["within_sla"], row["total_leads"])
        row["sla_hours"] = query.sla_hours if query.sla_hours is not None else hours.get(row["status_name"])
    compliance = sorted(found, key=lambda r: (-r["sla_compliance_rate"], r["status_id"]))
    return {"compliance": compliance, "sla_hours": query.sla_hours if query.sla_hours is not None else hours}


async def workflow_efficiency(actor: Actor, window: Window) -> list[dict[str, Any]]:
    where, params = _window(window)
    found = await _by_status(
        actor,
        f"COUNT(*) AS total_entries, COUNT(s.exited_at) AS completed_stages, SUM({OPEN}) AS active_stages, "
        f"AVG({_hours_column()}) AS avg_completion_time",
        where,
        params,
    )
    for row in found:
        _ints(row, "total_entries", "completed_stages", "active_stages")
        row["completion_rate"] = rate(row["completed_stages"], row["total_entries"])
        row["avg_completion_time"] = _hours(row["avg_completion_time"])
    return sorted(found, key=lambda r: (-r["completion_rate"], r["status_id"]))


async def bottlenecks(actor: Actor, query: Bottlenecks) -> list[dict[str, Any]]:
    """Statuses (won and lost have no time limit) where more than `threshold` percent of the
    entries stayed over 24 hours."""
    where, params = _window(query)
    where += f" AND s.status_id NOT IN ({FINAL[0]}, {FINAL[1]})"
    found = await _by_status(
        actor,
        f"COUNT(*) AS total_entries, AVG({_hours_column()}) AS avg_duration_hours, "
        f"SUM({_over(24, 'cut24')}) AS leads_over_24h, SUM({_over(48, 'cut48')}) AS leads_over_48h, "
        f"SUM({_over(72, 'cut72')}) AS leads_over_72h",
        where,
        params | _cuts(utcnow(), 24, 48, 72),
    )
    for row in found:
        _ints(row, "total_entries", "leads_over_24h", "leads_over_48h", "leads_over_72h")
        row["avg_duration_hours"] = _hours(row["avg_duration_hours"])
        row["bottleneck_percentage"] = rate(row["leads_over_24h"], row["total_entries"])
    kept = [row for row in found if row["bottleneck_percentage"] > query.threshold]
    return sorted(kept, key=lambda r: (-r["bottleneck_percentage"], r["status_id"]))
