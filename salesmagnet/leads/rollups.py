"""Lead rollups per entity and day (the lead_rollups table): what the analytics read instead of
the leads.

A lead adds one `Tally` to the cell of its day of arrival (in the entity's time zone), current
status, platform, owner and the statuses it ever held (`reached`, one bit a status): itself, and
whether it ever had an owner, how long it waited for its first, how long it took to close (won
or lost) and when it arrived. Whatever changes one of those moves the lead's tally from its old
cell to its new one, in the transaction of the change, through `move()`: the lead gate, the
writer and bulk assignment call it, as they call the counters (salesmagnet.leads.counts).

`ANALYTICS_ROLLUPS=off` stops the moves (to measure what they cost); `salesmagnet
analytics-rebuild` counts them again from the leads, in each entity's time zone, which a change
of the zone does too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from models import STATUS_IDS, LeadRollup, StatusName
from salesmagnet import statements
from salesmagnet.db import atomic, defer, dialect_of_connection, to_utc
from salesmagnet.entities import settings as entity_settings
from salesmagnet.errors import ValidationFailed
from salesmagnet.leads.schemas import Dated, Span, day_start
from salesmagnet.tenancy import Actor, counts_statement, fetch, scoped

KEY = ("day", "status", "platform_key", "owner_id", "reached")
MEASURES = ("leads", "assigned", "assign_seconds", "cycle_seconds", "created_seconds")
CLOSED = (StatusName.WON.value, StatusName.LOST.value)
Key = tuple[date, str, str, int, int]
MICROSECOND = timedelta(microseconds=1)

_on = True


def switch(on: bool) -> None:
    """ANALYTICS_ROLLUPS: whether writers move rollups (the process's setting)."""
    global _on
    _on = on


def enabled() -> bool:
    return _on


def bit(status: str) -> int:
    """The status's bit in `reached`."""
    return 1 << (STATUS_IDS[StatusName(status)] - 1)


@dataclass(frozen=True)
class Tally:
    """One lead's share of its rollup cell."""

    key: Key
    measures: tuple[int, int, int, int, int]


def utc(value: datetime | str) -> datetime:
    """A time as the database gave it (SQLite: text) in UTC."""
    return to_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)


def epoch(value: datetime | str) -> int:
    """Unix seconds, the fraction dropped (as the rebuild's SQL drops it)."""
    return int(utc(value).timestamp())


def _seconds(start: datetime | str, end: datetime | str) -> int:
    return max(0, epoch(end) - epoch(start))


def local_day(zone: ZoneInfo, moment: datetime | str) -> date:
    return utc(moment).astimezone(zone).date()


async def zone_of(actor: Actor) -> ZoneInfo:
    """The entity's time zone (its settings, as the process keeps them)."""
    return ZoneInfo((await entity_settings.of(actor))["timezone"])


async def span(actor: Actor, window: Dated) -> Span:
    """A list's or a statistic's window in UTC: a bare day is a day of the entity's time zone
    (as the rollups count days), a date-time the instant it names."""
    return window.span(await zone_of(actor) if window.has_days else UTC)


async def instant(actor: Actor, value: date | datetime, field: str) -> datetime:
    """A time to set in UTC: a date-time the instant it names, a bare day the start of that day
    in the entity's time zone (as a day of a list's window begins); a 400 naming `field` when
    that start is before the year 1 in UTC."""
    if isinstance(value, datetime):
        return to_utc(value)
    start = day_start(value, await zone_of(actor))
    if start is None:
        message = "out of range: the day begins before the year 1 in UTC"
        raise ValidationFailed(f"Validation failed: {field}", errors=[{"field": field, "message": message}])
    return start


def tally(zone: ZoneInfo, lead: Mapping[str, Any]) -> Tally:
    """The tally of a lead (a row with created_at, status, platform_key, assigned_user_id,
    reached, first_assigned_at and status_changed_at)."""
    created, first = lead["created_at"], lead["first_assigned_at"]
    status = StatusName(lead["status"]).value
    closed = _seconds(created, lead["status_changed_at"]) if status in CLOSED else 0
    return Tally(
        (local_day(zone, created), status, str(lead["platform_key"]), lead["assigned_user_id"] or 0,
         int(lead["reached"])),
        (
            1,
            0 if first is None else 1,
            0 if first is None else _seconds(created, first),
            closed,
            epoch(created),
        ),
    )  # fmt: skip


async def move(actor: Actor, taken: Iterable[Tally] = (), given: Iterable[Tally] = ()) -> None:
    """Take the `taken` tallies from their cells and add the `given` ones, inside the writing
    transaction (written just before it commits, in key order, as the counters are)."""
    if not _on:
        return
    cells: defaultdict[Key, list[int]] = defaultdict(lambda: [0] * len(MEASURES))
    for sign, tallies in ((-1, taken), (1, given)):
        for one in tallies:
            cell = cells[one.key]
            for i, value in enumerate(one.measures):
                cell[i] += sign * value
    rows = [(*key, *cell) for key, cell in sorted(cells.items()) if any(cell)]
    if not rows:
        return
    write = counts_statement(actor, "lead_rollups", KEY, MEASURES, rows)
    if not defer(write):
        await statements.run([write])


async def rebuild(actor: Actor) -> None:
    """Count the entity's leads into its rollups again, by day in its time zone (in one
    transaction; writers of the entity wait for it)."""
    zone = await zone_of(actor)
    day = local_day_sql("created_at", zone, dialect_of_connection())
    closed = _seconds_sql("created_at", "status_changed_at")
    waited = _seconds_sql("created_at", "first_assigned_at")
    async with atomic():
        await scoped(LeadRollup, actor).delete()
        rows = await fetch(
            actor,
            f"SELECT {day} AS day, status, platform_key, COALESCE(assigned_user_id, 0) AS owner_id, reached, "
            "COUNT(*) AS leads, COUNT(first_assigned_at) AS assigned, "
            f"COALESCE(SUM({waited}), 0) AS assign_seconds, "
            f"COALESCE(SUM(CASE WHEN status IN ('won', 'lost') THEN {closed} ELSE 0 END), 0) "
            "AS cycle_seconds, "
            f"SUM({epoch_sql('created_at')}) AS created_seconds "
            "FROM lead_data WHERE entity_id = :entity GROUP BY 1, status, platform_key, 4, reached",
        )
        made = [
            (as_date(r["day"]), r["status"], r["platform_key"], int(r["owner_id"]), int(r["reached"]),
             *(int(r[m]) for m in MEASURES))
            for r in rows
        ]  # fmt: skip
        for start in range(0, len(made), 1000):
            await statements.run(
                [counts_statement(actor, "lead_rollups", KEY, MEASURES, made[start : start + 1000])]
            )


def as_date(value: Any) -> date:
    """A DATE column's value (SQLite: text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def epoch_sql(column: str) -> str:
    if dialect_of_connection() == "sqlite":
        return f"CAST(strftime('%s', {column}) AS INTEGER)"
    return f"FLOOR(UNIX_TIMESTAMP({column}))"


def _seconds_sql(start: str, end: str) -> str:
    """Whole seconds from `start` to `end`, as `_seconds` counts them."""
    between = f"({epoch_sql(end)} - {epoch_sql(start)})"
    return f"CASE WHEN {between} > 0 THEN {between} ELSE 0 END"


FIRST_YEAR = 2000  # rollups by day are exact for leads from here on (earlier ones use 2000's offsets)


def local_day_sql(column: str, zone: ZoneInfo, dialect: str) -> str:
    """SQL for the day, in `zone`, of the UTC time in `column`: a CASE over the zone's offsets
    (one branch per daylight-saving change since FIRST_YEAR)."""
    spans = _offsets(str(zone), datetime.now(UTC).year)
    shifted = [
        f"date({column}, '{minutes:+d} minutes')" if dialect == "sqlite"
        else f"DATE({column} + INTERVAL {minutes} MINUTE)"
        for _, minutes in spans
    ]  # fmt: skip
    if len(spans) == 1:
        return shifted[0]
    branches = " ".join(
        f"WHEN {column} < '{until:%Y-%m-%d %H:%M:%S}' THEN {sql}"
        for (until, _), sql in zip(spans[1:], shifted, strict=False)
    )
    return f"(CASE {branches} ELSE {shifted[-1]} END)"


@lru_cache(maxsize=64)
def _offsets(name: str, year: int) -> list[tuple[datetime, int]]:
    """[(from when (UTC), offset in minutes)] of the zone from FIRST_YEAR to the end of the year
    after `year` (the current one: a process running into a new year builds its table again)."""
    zone = ZoneInfo(name)

    def offset(moment: datetime) -> int:
        shift = moment.astimezone(zone).utcoffset()
        return int(shift.total_seconds() // 60) if shift else 0

    moment = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
    end = datetime(year + 2, 1, 1, tzinfo=UTC)
    spans = [(moment.replace(tzinfo=None), offset(moment))]
    while moment < end:
        later = moment + timedelta(days=1)
        if offset(later) != spans[-1][1]:
            low, high = moment, later  # the change is in (low, high]: find its minute
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                low, high = (low, middle) if offset(middle) != spans[-1][1] else (middle, high)
            spans.append((high.replace(second=0, microsecond=0, tzinfo=None), offset(high)))
        moment = later
    return spans
