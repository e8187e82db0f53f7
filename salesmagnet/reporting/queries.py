"""The lead list as exports write it: every column a user sees of a lead, its owner and its
attribution, read in pages by id (keyset), so a million leads cost a million rows read once."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from salesmagnet.reporting.schemas import ReportFilters
from salesmagnet.tenancy import Actor, fetch

# (column of the file, SQL expression); l = lead_data, m = lead_meta, u = the owner
LEAD_COLUMNS = (
    ("id", "l.id"),
    ("first_name", "l.first_name"),
    ("last_name", "l.last_name"),
    ("full_name", "l.full_name"),
    ("email", "l.email"),
    ("phone", "l.phone"),
    ("status", "l.status"),
    ("platform", "l.platform_key"),
    ("source_page_id", "l.source_page_id"),
    ("source_page_name", "l.source_page_name"),
    ("assigned_user_id", "l.assigned_user_id"),
    ("assigned_user", "u.first_name"),  # "First Last", joined in Python (no dialect branch)
    ("assigned_at", "l.assigned_at"),
    ("created_at", "l.created_at"),
    ("updated_at", "l.updated_at"),
    ("consent_time", "l.consent_time"),
    ("source_lead_id", "m.source_lead_id"),
    ("page_id", "m.page_id"),
    ("form_id", "m.form_id"),
    ("ad_id", "m.ad_id"),
    ("campaign_id", "m.campaign_id"),
    ("created_time", "m.created_time"),
    ("page_url", "m.page_url"),
    ("utm_source", "m.utm_source"),
    ("utm_medium", "m.utm_medium"),
    ("utm_campaign", "m.utm_campaign"),
    ("utm_term", "m.utm_term"),
    ("utm_content", "m.utm_content"),
    ("answers", "l.raw_field_data"),
)
COLUMNS = [name for name, _ in LEAD_COLUMNS]
TIMES = frozenset({"assigned_at", "created_at", "updated_at", "consent_time", "created_time"})
_SELECT = (
    "SELECT "
    + ", ".join(f"{sql} AS {name}" for name, sql in LEAD_COLUMNS)
    + ", u.last_name AS owner_last_name FROM lead_data l "
    "LEFT JOIN users u ON u.id = l.assigned_user_id LEFT JOIN lead_meta m ON m.id = l.lead_meta_id"
)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone).astimezone(UTC)


def conditions(filters: ReportFilters, zone: ZoneInfo) -> tuple[list[str], dict[str, Any]]:
    """The WHERE of the filters: the days are the entity's, both included."""
    where, params = ["l.entity_id = :entity"], dict[str, Any]()
    if filters.status:
        where.append("l.status IN (:statuses)")
        params["statuses"] = sorted({s.value for s in filters.status})
    if filters.platform is not None:
        where.append("l.platform_key = :platform")
        params["platform"] = filters.platform.value
    if filters.assigned_user_id is not None:
        where.append("l.assigned_user_id = :owner")
        params["owner"] = filters.assigned_user_id
    if filters.date_from is not None:
        where.append("l.created_at >= :since")
        params["since"] = _midnight(filters.date_from, zone)
    if filters.date_to is not None:
        where.append("l.created_at < :until")
        params["until"] = _midnight(filters.date_to + timedelta(days=1), zone)
    return where, params


async def count_leads(actor: Actor, where: list[str], params: dict[str, Any]) -> int:
    rows = await fetch(actor, f"SELECT COUNT(*) AS n FROM lead_data l WHERE {' AND '.join(where)}", **params)
    return int(rows[0]["n"])


async def lead_page(
    actor: Actor, where: list[str], params: dict[str, Any], after: int, size: int
) -> list[dict[str, Any]]:
    """The next `size` matching leads with ids above `after`, in id order."""
    sql = f"{_SELECT} WHERE {' AND '.join(where)} AND l.id > :after ORDER BY l.id LIMIT :size"
    return await fetch(actor, sql, **params, after=after, size=size)


def _moment(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def values(row: dict[str, Any], parse_answers: bool) -> list[Any]:
    """A lead row as the file's values, in COLUMNS order: times aware UTC, the owner's name,
    the answers as they were given (parsed for JSON files)."""
    out = []
    for name in COLUMNS:
        value = row[name]
        if name in TIMES:
            value = _moment(value)
        elif name == "assigned_user" and value is not None:
            value = f"{value} {row['owner_last_name'] or ''}".strip()
        elif name == "answers" and value is not None and not isinstance(value, str | bytes):
            value = json.dumps(value, ensure_ascii=False)
        if name == "answers" and parse_answers and isinstance(value, str | bytes):
            value = json.loads(value)
        out.append(value)
    return out


async def report_statistics(
    actor: Actor, today: datetime, since: datetime | None, until: datetime | None, report_type: str | None
) -> list[dict[str, Any]]:
    """Generated reports per (type, format): in all, since `today`, in the 7 and 30 days
    before it, and the average length of their stored JSON."""
    where = ["entity_id = :entity"]
    params: dict[str, Any] = {
        "today": today,
        "week": today - timedelta(days=7),
        "month": today - timedelta(days=30),
    }
    for clause, name, value in (
        ("generated_at >= :since", "since", since),
        ("generated_at < :until", "until", until),
        ("report_type = :report_type", "report_type", report_type),
    ):
        if value is not None:
            where.append(clause)
            params[name] = value
    return await fetch(
        actor,
        "SELECT report_type, format, COUNT(*) AS total, "
        "SUM(CASE WHEN generated_at >= :today THEN 1 ELSE 0 END) AS today, "
        "SUM(CASE WHEN generated_at >= :week THEN 1 ELSE 0 END) AS week, "
        "SUM(CASE WHEN generated_at >= :month THEN 1 ELSE 0 END) AS month, "
        f"AVG(LENGTH(data)) AS size FROM generated_reports WHERE {' AND '.join(where)} "
        "GROUP BY report_type, format ORDER BY report_type, format",
        **params,
    )
