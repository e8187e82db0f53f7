"""The lead list as exports write it: every column a user sees of a lead, its owner and its
attribution, read in pages by id (keyset), so a million leads cost a million rows read once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from salesmagnet.db import dialect_of_connection
from salesmagnet.leads.schemas import day_start
from salesmagnet.rawsql import iso_stamp
from salesmagnet.reporting.schemas import ReportFilters
from salesmagnet.tenancy import Actor, fetch

# (column of the file, SQL expression, kind); l = lead_data, m = lead_meta, u = the owner
NUMBER, TEXT, TIME = "number", "text", "time"
LEAD_COLUMNS = (
    ("id", "l.id", NUMBER),
    ("first_name", "l.first_name", TEXT),
    ("last_name", "l.last_name", TEXT),
    ("full_name", "l.full_name", TEXT),
    ("email", "l.email", TEXT),
    ("phone", "l.phone", TEXT),
    ("status", "l.status", TEXT),
    ("platform", "l.platform_key", TEXT),
    ("source_page_id", "l.source_page_id", TEXT),
    ("source_page_name", "l.source_page_name", TEXT),
    ("assigned_user_id", "l.assigned_user_id", NUMBER),
    ("assigned_user", "", TEXT),  # "First Last" of the owner (its SQL is the dialect's)
    ("assigned_at", "l.assigned_at", TIME),
    ("created_at", "l.created_at", TIME),
    ("updated_at", "l.updated_at", TIME),
    ("consent_time", "l.consent_time", TIME),
    ("source_lead_id", "m.source_lead_id", TEXT),
    ("page_id", "m.page_id", TEXT),
    ("form_id", "m.form_id", TEXT),
    ("ad_id", "m.ad_id", TEXT),
    ("campaign_id", "m.campaign_id", TEXT),
    ("created_time", "m.created_time", TIME),
    ("page_url", "m.page_url", TEXT),
    ("utm_source", "m.utm_source", TEXT),
    ("utm_medium", "m.utm_medium", TEXT),
    ("utm_campaign", "m.utm_campaign", TEXT),
    ("utm_term", "m.utm_term", TEXT),
    ("utm_content", "m.utm_content", TEXT),
    ("answers", "l.raw_field_data", TEXT),  # the form answers, JSON
)
COLUMNS = [name for name, _, _ in LEAD_COLUMNS]
KINDS = [kind for _, _, kind in LEAD_COLUMNS]
TIMES = [name for name, _, kind in LEAD_COLUMNS if kind == TIME]
FROM = (
    "FROM lead_data l LEFT JOIN users u ON u.id = l.assigned_user_id "
    "LEFT JOIN lead_meta m ON m.id = l.lead_meta_id"
)
# The first characters of a cell a spreadsheet reads as a formula (files.FORMULA_STARTS).
FORMULA_FIRST = "('=', '+', '-', '@', CHAR(9), CHAR(13))"
EXCEL_EPOCH_JULIAN = 2415018.5  # 1899-12-30, day 0 of a workbook's dates, as a Julian day


def _owner(dialect: str) -> str:
    if dialect == "sqlite":
        return (
            "CASE WHEN u.id IS NULL THEN NULL "
            "ELSE trim(ifnull(u.first_name, '') || ' ' || ifnull(u.last_name, '')) END"
        )
    return "IF(u.id IS NULL, NULL, TRIM(CONCAT(COALESCE(u.first_name, ''), ' ', COALESCE(u.last_name, ''))))"


def _excel_days(column: str, dialect: str) -> str:
    """A timestamp as a workbook's date: days since 1899-12-30 (UTC), with the time as a fraction."""
    if dialect == "sqlite":
        return f"(julianday({column}) - {EXCEL_EPOCH_JULIAN})"
    return f"CAST(TIMESTAMPDIFF(MICROSECOND, '1899-12-30', {column}) / 86400000000 AS DOUBLE)"


def _csv_cell(sql: str, kind: str, dialect: str) -> str:
    """One CSV field of `sql`, never NULL: text always quoted (RFC 4180: quotes doubled), with
    an apostrophe first when it starts like a formula."""
    if kind == TIME:
        return f"COALESCE({iso_stamp(sql, dialect)}, '')"
    if kind == NUMBER:
        return f"COALESCE(CAST({sql} AS CHAR), '')" if dialect == "mysql" else f"ifnull({sql}, '')"
    if dialect == "sqlite":
        text = f"CASE WHEN substr({sql}, 1, 1) IN {FORMULA_FIRST} THEN '''' ELSE '' END || {sql}"
        return f"CASE WHEN {sql} IS NULL THEN '' ELSE '\"' || replace({text}, '\"', '\"\"') || '\"' END"
    text = f"CONCAT(IF(LEFT({sql}, 1) IN {FORMULA_FIRST}, '''', ''), {sql})"
    return f"IF({sql} IS NULL, '', CONCAT('\"', REPLACE({text}, '\"', '\"\"'), '\"'))"


def _answers(dialect: str) -> str:
    """The form answers as the JSON they are (not a string holding JSON)."""
    return "json(l.raw_field_data)" if dialect == "sqlite" else "JSON_EXTRACT(l.raw_field_data, '$')"


def select(fmt: str, dialect: str) -> str:
    """The SELECT of the lead list for a file format, each row rendered by the database as one
    text (a million rows decode as a million strings, not 29 million values): its CSV line; its
    JSON object (times as ISO-8601 UTC text, as the API writes them); or, for XLSX, a JSON
    array of its values (times as a workbook's serial days). Also `id`, the keyset."""
    columns = [(name, sql or _owner(dialect), kind) for name, sql, kind in LEAD_COLUMNS]
    if fmt == "csv":
        cells = [_csv_cell(sql, kind, dialect) for _, sql, kind in columns]
        text = " || ',' || ".join(cells) if dialect == "sqlite" else f"CONCAT_WS(',', {', '.join(cells)})"
    elif fmt == "json":
        pairs = [
            f"'{name}', "
            + (iso_stamp(sql, dialect) if kind == TIME else _answers(dialect) if name == "answers" else sql)
            for name, sql, kind in columns
        ]
        text = f"JSON_OBJECT({', '.join(pairs)})"
    else:
        values = [_excel_days(sql, dialect) if kind == TIME else sql for _, sql, kind in columns]
        if dialect == "mysql":  # a JSON column goes into JSON_ARRAY as JSON: the cell wants its text
            values[-1] = "CAST(l.raw_field_data AS CHAR)"
        text = f"JSON_ARRAY({', '.join(values)})"
    return f"SELECT l.id AS id, {text} AS text {FROM}"


def midnight(day: date, zone: ZoneInfo) -> datetime:
    """The start of a day of `zone`, in UTC (leads.schemas.day_start). A day that begins before
    the year 1 in UTC begins before any stored time: the earliest one stands for it, which a
    lower bound lets everything past and an upper bound nothing."""
    return day_start(day, zone) or datetime.min.replace(tzinfo=UTC)


def conditions(
    filters: ReportFilters, zone: ZoneInfo, last: int | None = None
) -> tuple[list[str], dict[str, Any]]:
    """The WHERE of the filters (the days are the entity's, both included), and of the leads
    up to id `last` when given (those there were when the export was asked for)."""
    where, params = ["l.entity_id = :entity"], dict[str, Any]()
    if last is not None:
        where.append("l.id <= :last")
        params["last"] = last
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
        params["since"] = midnight(filters.date_from, zone)
    if filters.date_to is not None:
        where.append("l.created_at < :until")
        params["until"] = midnight(filters.date_to + timedelta(days=1), zone)
    return where, params


async def count_leads(actor: Actor, where: list[str], params: dict[str, Any]) -> tuple[int, int]:
    """How many leads match, and the highest id among them (0 when none)."""
    sql = f"SELECT COUNT(*) AS n, MAX(l.id) AS last FROM lead_data l WHERE {' AND '.join(where)}"
    row = (await fetch(actor, sql, **params))[0]
    return int(row["n"]), int(row["last"] or 0)


@dataclass(frozen=True)
class Page:
    """A page of the lead list: its rows (`select`) joined by a sink's separator, how many, and
    the last id (the next page's keyset)."""

    text: str
    rows: int
    last: int


async def lead_page(
    actor: Actor, fmt: str, where: list[str], params: dict[str, Any], after: int, size: int, separator: str
) -> Page:
    """The next `size` matching leads with ids above `after`, in id order. MariaDB joins them
    (`GROUP_CONCAT`): the page comes as one string, where a row a time costs the driver a
    packet's decoding each (half the worker's time on a million leads). A page longer than
    the session's `group_concat_max_len` (salesmagnet.db) comes cut; it is then read again a
    row at a time, so nothing is ever lost."""
    dialect, clauses = dialect_of_connection(), " AND ".join(where)
    rows_sql = f"{select(fmt, dialect)} WHERE {clauses} AND l.id > :after ORDER BY l.id LIMIT :size"
    if dialect == "mysql":
        assert "'" not in separator and "\\" not in separator  # a literal: SEPARATOR takes no parameter
        found = await fetch(
            actor,
            "SELECT COUNT(*) AS n, MAX(p.id) AS last, SUM(CHAR_LENGTH(p.text)) AS chars, "
            f"GROUP_CONCAT(p.text ORDER BY p.id SEPARATOR '{separator}') AS text FROM ({rows_sql}) p",
            **params,
            after=after,
            size=size,
        )
        n, text = int(found[0]["n"]), found[0]["text"] or ""
        if len(text) == int(found[0]["chars"] or 0) + max(n - 1, 0) * len(separator):
            return Page(text, n, int(found[0]["last"] or after))
    rows = await fetch(actor, rows_sql, **params, after=after, size=size)
    return Page(separator.join(r["text"] for r in rows), len(rows), int(rows[-1]["id"]) if rows else after)


async def report_statistics(
    actor: Actor,
    starts: dict[str, datetime],
    since: datetime | None,
    until: datetime | None,
    report_type: str | None,
) -> list[dict[str, Any]]:
    """Generated reports per (type, format): in all, since each of `starts` (today, week and
    month), and the average length of their stored JSON."""
    where = ["entity_id = :entity"]
    params: dict[str, Any] = {name: starts[name] for name in ("today", "week", "month")}
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
