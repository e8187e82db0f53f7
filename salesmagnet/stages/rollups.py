"""Stage rollups per entity and day (stage_rollups, stage_moves): what the stage metrics and the
SLA figures read instead of the stage rows.

A stage adds to the cell of the day it was entered (the entity's time zone), its status and who
opened it: an entry when it opens; when it closes, an exit with its duration (hundredths of an
hour, as `duration_hours` holds it), whether it ran over 24, 48, 72 hours, and, if it had a
deadline, whether it closed by it (and by how much it missed it); an open stage announced past
its deadline counts as `breached_open` until it closes. A move adds to the cell of its day and
its pair of statuses, with the hours spent in the status left. The stage workflow, the lead
writer (a lead's first stage) and the breach monitor call `move()` in their transactions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from models import STATUS_IDS, StageMove, StageRollup, StatusName
from salesmagnet import rawsql, statements
from salesmagnet.db import atomic, defer, dialect_of_connection
from salesmagnet.leads import rollups as lead_rollups
from salesmagnet.statements import Statement
from salesmagnet.tenancy import Actor, counts_statement, fetch, scoped

KEY = ("day", "status_id", "user_id")
ADDED = (
    "entries", "exits", "centihours", "over_24", "over_48", "over_72", "sla_closed", "sla_kept",
    "late_seconds", "breached_open", "first_moves",
)  # fmt: skip
OVER = (24, 48, 72)
NEW = STATUS_IDS[StatusName.NEW]
Key = tuple[date, int, int]


@dataclass
class Delta:
    """What one change adds to one stage cell (`low`/`high`: a closed duration, if any)."""

    key: Key
    added: dict[str, int] = field(default_factory=dict)
    low: int | None = None
    high: int | None = None


def centihours(entered: datetime | str, ended: datetime | str) -> int:
    """Hundredths of an hour from `entered` to `ended`, rounded half up (never negative)."""
    micro = (lead_rollups.utc(ended) - lead_rollups.utc(entered)) // lead_rollups.MICROSECOND
    return (max(micro, 0) + 18_000_000) // 36_000_000


def opened(zone: ZoneInfo, entered: datetime, status_id: int, user_id: int | None, first_move: bool) -> Delta:
    key = (lead_rollups.local_day(zone, entered), status_id, user_id or 0)
    return Delta(key, {"entries": 1, "first_moves": int(first_move and status_id != NEW)})


def closed(zone: ZoneInfo, stage: Mapping[str, Any], ended: datetime) -> tuple[Delta, int]:
    """The delta of closing `stage` (a row with entered_at, status_id, user_id, sla_due_at,
    sla_breached_at) at `ended`, and its duration in hundredths of an hour."""
    spent = centihours(stage["entered_at"], ended)
    added = {"exits": 1, "centihours": spent}
    for hours in OVER:
        added[f"over_{hours}"] = int(spent > hours * 100)
    due = stage["sla_due_at"]
    if due is not None:
        # Kept to the microsecond (a stage may be announced late within the second it closes in);
        # how late, in whole seconds.
        kept = lead_rollups.utc(ended) <= lead_rollups.utc(due)
        late = lead_rollups.epoch(ended) - lead_rollups.epoch(due)
        added |= {"sla_closed": 1, "sla_kept": int(kept), "late_seconds": 0 if kept else max(late, 0)}
    if stage["sla_breached_at"] is not None:
        added["breached_open"] = -1
    key = (lead_rollups.local_day(zone, stage["entered_at"]), int(stage["status_id"]), stage["user_id"] or 0)
    return Delta(key, added, spent, spent), spent


def breached(zone: ZoneInfo, stage: Mapping[str, Any]) -> Delta:
    """An open stage announced past its deadline."""
    key = (lead_rollups.local_day(zone, stage["entered_at"]), int(stage["status_id"]), stage["user_id"] or 0)
    return Delta(key, {"breached_open": 1})


def _extreme(column: str, pick: str, mark: str) -> str:
    """`column` kept as the lower (pick '<') or higher ('>') of itself and the new value."""
    new = f"excluded.{column}" if mark == "?" else f"VALUES({column})"
    return (
        f"{column} = CASE WHEN {new} IS NULL THEN {column} WHEN {column} IS NULL THEN {new} "
        f"WHEN {new} {pick} {column} THEN {new} ELSE {column} END"
    )


def _statement(actor: Actor, deltas: Iterable[Delta]) -> Statement | None:
    cells: dict[Key, Delta] = {}
    for delta in deltas:
        cell = cells.setdefault(delta.key, Delta(delta.key, dict.fromkeys(ADDED, 0)))
        for name, value in delta.added.items():
            cell.added[name] += value
        if delta.low is not None:
            cell.low = delta.low if cell.low is None else min(cell.low, delta.low)
        if delta.high is not None:
            cell.high = delta.high if cell.high is None else max(cell.high, delta.high)
    rows = [
        (*key, *(cell.added[n] for n in ADDED), cell.low, cell.high)
        for key, cell in sorted(cells.items())
        if any(cell.added.values()) or cell.low is not None
    ]
    if not rows:
        return None
    mark = statements.placeholder()
    columns = ("entity_id", *KEY, *ADDED, "centihours_min", "centihours_max")
    sql = rawsql.insert("stage_rollups", columns, len(rows), mark)
    adds = [f"{c} = {c} + excluded.{c}" if mark == "?" else f"{c} = {c} + VALUES({c})" for c in ADDED]
    sets = ", ".join([*adds, _extreme("centihours_min", "<", mark), _extreme("centihours_max", ">", mark)])
    if mark == "?":
        sql += f" ON CONFLICT (entity_id, {', '.join(KEY)}) DO UPDATE SET {sets}"
    else:
        sql += f" ON DUPLICATE KEY UPDATE {sets}"
    return Statement(sql, [v for row in rows for v in (actor.entity_id, *row)], shared="stage_rollups")


async def move(
    actor: Actor, deltas: Iterable[Delta], moves: Iterable[tuple[date, int, int, int]] = ()
) -> None:
    """Add the deltas (and moves: day, status left, status entered, hundredths spent in the one
    left) inside the writing transaction, just before it commits."""
    if not lead_rollups.enabled():
        return
    written = [_statement(actor, deltas)]
    if rows := sorted((day, left, entered, 1, spent) for day, left, entered, spent in moves):
        keys = ("day", "from_status_id", "to_status_id")
        written.append(counts_statement(actor, "stage_moves", keys, ("moves", "centihours"), rows))
    for write in written:
        if write is not None and not defer(write):
            await statements.run([write])


async def rebuild(actor: Actor) -> None:
    """Count the entity's stages into its stage rollups and moves again (one transaction)."""
    zone = await lead_rollups.zone_of(actor)
    dialect = dialect_of_connection()
    day = lead_rollups.local_day_sql("s.entered_at", zone, dialect)
    spent = (
        "CAST(ROUND(s.duration_hours * 100) AS SIGNED)"
        if dialect == "mysql"
        else "CAST(ROUND(s.duration_hours * 100) AS INTEGER)"
    )
    closed_late = f"({lead_rollups.epoch_sql('s.exited_at')} - {lead_rollups.epoch_sql('s.sla_due_at')})"
    has_due = "s.exited_at IS NOT NULL AND s.sla_due_at IS NOT NULL"
    # to the microsecond, as `closed` keeps it (SQLite's UTC ISO texts compare as the times do)
    kept = "s.exited_at <= s.sla_due_at"
    overs = ", ".join(
        f"SUM(CASE WHEN s.exited_at IS NOT NULL AND {spent} > {h * 100} THEN 1 ELSE 0 END) AS over_{h}"
        for h in OVER
    )
    first = (  # the mover's first move of the lead (an arrival in `new` is no move)
        "CASE WHEN s.status_id <> 1 AND s.user_id IS NOT NULL AND ROW_NUMBER() OVER (PARTITION BY "
        "s.lead_id, s.user_id, CASE WHEN s.status_id = 1 THEN 0 ELSE 1 END ORDER BY s.entered_at, s.id) = 1 "
        "THEN 1 ELSE 0 END"
    )
    stages = f"(SELECT s.*, {first} AS first_move FROM lead_stages s WHERE s.entity_id = :entity) s"
    async with atomic():
        await scoped(StageRollup, actor).delete()
        await scoped(StageMove, actor).delete()
        rows = await fetch(
            actor,
            f"SELECT {day} AS day, s.status_id, COALESCE(s.user_id, 0) AS user_id, COUNT(*) AS entries, "
            f"COUNT(s.exited_at) AS exits, COALESCE(SUM({spent}), 0) AS centihours, {overs}, "
            f"SUM(CASE WHEN {has_due} THEN 1 ELSE 0 END) AS sla_closed, "
            f"SUM(CASE WHEN {has_due} AND {kept} THEN 1 ELSE 0 END) AS sla_kept, "
            f"SUM(CASE WHEN {has_due} AND NOT {kept} THEN {closed_late} ELSE 0 END) AS late_seconds, "
            "SUM(CASE WHEN s.exited_at IS NULL AND s.sla_breached_at IS NOT NULL THEN 1 ELSE 0 END) "
            f"AS breached_open, SUM(s.first_move) AS first_moves, MIN({spent}) AS low, MAX({spent}) AS high "
            f"FROM {stages} GROUP BY 1, s.status_id, 3",
        )
        deltas = [
            Delta(
                (lead_rollups.as_date(r["day"]), int(r["status_id"]), int(r["user_id"])),
                {name: int(r[name] or 0) for name in ADDED},
                None if r["low"] is None else int(r["low"]),
                None if r["high"] is None else int(r["high"]),
            )
            for r in rows
        ]
        for start in range(0, len(deltas), 1000):
            if (write := _statement(actor, deltas[start : start + 1000])) is not None:
                await statements.run([write])
        moved = await fetch(
            actor,
            f"SELECT {lead_rollups.local_day_sql('m.entered_at', zone, dialect)} AS day, m.from_status_id, "
            f"m.status_id, COUNT(*) AS moves, COALESCE(SUM(m.spent), 0) AS centihours FROM ("
            "SELECT s.status_id, s.entered_at, "
            "LAG(s.status_id) OVER (PARTITION BY s.lead_id ORDER BY s.entered_at, s.id) AS from_status_id, "
            f"LAG({spent}) OVER (PARTITION BY s.lead_id ORDER BY s.entered_at, s.id) AS spent "
            "FROM lead_stages s WHERE s.entity_id = :entity) m WHERE m.from_status_id IS NOT NULL "
            "GROUP BY 1, m.from_status_id, m.status_id",
        )
        rows_moved = [
            (lead_rollups.as_date(r["day"]), int(r["from_status_id"]), int(r["status_id"]), int(r["moves"]),
             int(r["centihours"]))
            for r in moved
        ]  # fmt: skip
        keys = ("day", "from_status_id", "to_status_id")
        for start in range(0, len(rows_moved), 1000):
            chunk = rows_moved[start : start + 1000]
            await statements.run(
                [counts_statement(actor, "stage_moves", keys, ("moves", "centihours"), chunk)]
            )
