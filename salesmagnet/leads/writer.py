"""The one way leads come to be (by hand, website forms, Lead Ads), many at a time.

`write_leads()` writes a list of new leads in one transaction with one multi-row INSERT per
table: lead_meta (or the `received` one of a Lead Ads delivery, now processed), lead_data, the
open `new` stage (with its SLA deadline), the counters and one `lead:new` each — and, where the
entity auto-assigns, the owner (salesmagnet.assignments.auto) with its history and
`lead:assigned`. A lead whose (platform, source id) an earlier delivery already made is not
written again; its outcome names the existing lead.

`GroupCommit` lets concurrent requests share those transactions: while one batch is being
written, the next gathers, so under load each commit (and each lock of the entity's event
sequence) serves many leads, and a lone request is written at once.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError

from models import STATUS_IDS, IngestionStatus, Lead, LeadMeta, Platform, StatusName
from salesmagnet import events, outages, rawsql, statements
from salesmagnet.assignments import auto, records
from salesmagnet.db import atomic, defer, iso, utcnow
from salesmagnet.entities import settings as entity_settings
from salesmagnet.leads import counts, rollups
from salesmagnet.leads import events as lead_events
from salesmagnet.leads.search import text_of
from salesmagnet.stages import rollups as stage_rollups
from salesmagnet.tenancy import (
    Actor,
    consecutive_ids,
    fetch,
    insert_rows,
    insert_statement,
    new_ids,
    own_entity,
    prior_id,
    scoped,
)

META_COLUMNS = (
    "platform_key",
    "source_lead_id",
    "page_id",
    "form_id",
    "ad_id",
    "campaign_id",
    "created_time",
    "page_url",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
)
CONTACT = ("email", "phone", "first_name", "last_name", "full_name")
FIELDS = (*CONTACT, "raw_field_data", "consent_time", "source_page_name")
LEAD_COLUMNS = (
    "lead_meta_id",
    *FIELDS,
    "platform_key",
    "source_page_id",
    "status",
    "status_changed_at",
    "assigned_user_id",
    "assigned_at",
    "first_assigned_at",
    "reached",
    "created_at",
    "updated_at",
    "search_text",
)
_json = Lead._meta.fields_map["raw_field_data"].encoder  # type: ignore[attr-defined]


@dataclass
class NewLead:
    """A lead to write. `meta` holds lead_meta columns (source_lead_id, attribution); `fields`
    lead_data columns (FIELDS). With `meta_id`, that `received` lead_meta is completed instead of
    a new one made. `aliases` are further source ids that mean the same delivery.

    `arrived_at` is for demo seeding only (salesmagnet/demo.py): the lead arrived then, in the
    past, and its rows, first stage, SLA deadline and rollups say so; None (every real
    delivery) is the batch's now."""

    entity_id: int
    platform: Platform
    meta: dict[str, Any]
    fields: dict[str, Any]
    user_id: int | None = None
    meta_id: int | None = None
    aliases: tuple[str, ...] = ()
    arrived_at: datetime | None = None

    def __post_init__(self) -> None:
        unknown = (set(self.meta) - set(META_COLUMNS)) | (set(self.fields) - set(FIELDS))
        if unknown:
            raise ValueError(f"not lead columns: {sorted(unknown)}")

    def keys(self) -> list[tuple[str, str]]:
        return [(self.platform.value, s) for s in (self.meta["source_lead_id"], *self.aliases)]


@dataclass(frozen=True)
class Outcome:
    """The lead a NewLead resolved to; `lead` (its summary) only when this write created it."""

    lead_id: int
    lead: dict[str, Any] | None = None

    @property
    def created(self) -> bool:
        return self.lead is not None


async def write_leads(items: list[NewLead], look_first: bool = True) -> list[Outcome]:
    """Write the leads in one transaction; outcomes in the order given. Without `look_first`,
    earlier deliveries are looked up only for items with aliases; any other repeat makes the
    INSERT fail (IntegrityError, nothing written), for the caller to try again looking first."""
    by_entity: dict[int, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_entity[item.entity_id].append(index)
    outcomes: list[Outcome] = [Outcome(0)] * len(items)
    async with atomic():
        made: dict[int, Counter[counts.Key]] = {}
        for entity_id, indexes in sorted(by_entity.items()):
            actor = Actor.system(entity_id)
            written = await _write_entity(actor, [items[i] for i in indexes], look_first)
            for index, outcome in zip(indexes, written, strict=True):
                outcomes[index] = outcome
            made[entity_id] = Counter(
                (
                    StatusName.NEW.value,
                    items[i].platform.value,
                    outcome.lead["assigned_user_id"] or counts.NOBODY,
                )
                for i in indexes
                if (outcome := outcomes[i]).lead is not None
            )
        # Counter rows and the event sequence are locked until commit: take them last.
        for entity_id, changes in made.items():
            await counts.add(Actor.system(entity_id), changes)
    return outcomes


# Usually no row: the result's description is most of the read's cost to the driver.
_EXISTING = rawsql.Packed(("m.platform_key", "m.source_lead_id", "l.id"))


async def _existing(actor: Actor, items: list[NewLead]) -> dict[tuple[str, str], int]:
    """Leads earlier deliveries made, by (platform, source id)."""
    keys = [k for item in items if item.meta_id is None for k in item.keys()]
    if not keys:
        return {}
    rows = await fetch(
        actor,
        f"SELECT {_EXISTING.select} FROM lead_meta m JOIN lead_data l ON l.lead_meta_id = m.id "
        "WHERE m.entity_id = :entity AND m.platform_key IN (:platforms) AND m.source_lead_id IN (:ids)",
        platforms=sorted({p for p, _ in keys}),
        ids=sorted({s for _, s in keys}),
    )
    found = map(_EXISTING.row, rows)
    return {(r["platform_key"], r["source_lead_id"]): int(r["id"]) for r in found}


async def _write_entity(actor: Actor, items: list[NewLead], look_first: bool) -> list[Outcome]:
    found = await _existing(actor, [i for i in items if look_first or i.aliases])
    outcomes: list[Outcome | None] = [None] * len(items)
    twin_of: dict[int, int] = {}  # a copy of an earlier item of this batch
    first: dict[tuple[str, str], int] = {}
    fresh: list[int] = []
    for index, item in enumerate(items):
        keys = [] if item.meta_id is not None else item.keys()
        if (lead_id := next((found[k] for k in keys if k in found), None)) is not None:
            outcomes[index] = Outcome(lead_id)
        elif (twin := next((first[k] for k in keys if k in first), None)) is not None:
            twin_of[index] = twin
        else:
            first.update((k, index) for k in keys)
            fresh.append(index)
    if fresh:
        now = utcnow()
        policy = await entity_settings.of(actor)
        owners = await auto.deal(actor, policy, len(fresh))
        lead_ids = await _write_rows(actor, [items[i] for i in fresh], owners, now)
        at = [items[i].arrived_at or now for i in fresh]
        due = [_due(policy, t) for t in at]
        # A seeded past's deadline that passed then was announced then (as record_past marks
        # later stages): a monitor scanning before the seeder's next transaction finds no news.
        gone_by = [
            d if items[i].arrived_at and d is not None and d <= now else None
            for i, d in zip(fresh, due, strict=True)
        ]
        stages = insert_statement(
            actor,
            "lead_stages",
            ("lead_id", "status_id", "entered_at", "user_id", "sla_due_at", "sla_breached_at", "updated_at"),
            [
                (lead_id, STATUS_IDS[StatusName.NEW], t, items[i].user_id, d, b, t)
                for i, lead_id, t, d, b in zip(fresh, lead_ids, at, due, gone_by, strict=True)
            ],
        )
        if not defer(stages):  # their ids are not needed: written with the commit
            await statements.run([stages])
        zone = ZoneInfo(policy["timezone"])
        arrived = [_tally(zone, items[i], owner, t) for i, owner, t in zip(fresh, owners, at, strict=True)]
        await rollups.move(actor, given=arrived)
        entered = [
            stage_rollups.opened(zone, t, STATUS_IDS[StatusName.NEW], items[i].user_id, False)
            for i, t in zip(fresh, at, strict=True)
        ]
        entered += [
            stage_rollups.breached(
                zone, {"entered_at": t, "status_id": STATUS_IDS[StatusName.NEW], "user_id": items[i].user_id}
            )
            for i, t, b in zip(fresh, at, gone_by, strict=True)
            if b is not None
        ]
        await stage_rollups.move(actor, entered)
        dealt = []
        for i, lead_id, owner, t in zip(fresh, lead_ids, owners, at, strict=True):
            summary = _summary(lead_id, actor.entity_id, items[i], owner, t)
            outcomes[i] = Outcome(lead_id, summary)
            events.emit(lead_events.lead_new(actor.entity_id, summary))
            if owner is not None:
                dealt.append((summary, owner))
        await auto.record(actor, policy["auto_assignment"], dealt, now)
    for index, twin in twin_of.items():
        outcomes[index] = Outcome(outcomes[twin].lead_id)  # type: ignore[union-attr]
    return outcomes  # type: ignore[return-value]


async def _write_rows(
    actor: Actor, items: list[NewLead], owners: list[auto.Rep | None], now: Any
) -> list[int]:
    """The items' lead_meta and lead_data rows; the new leads' ids in order. New deliveries
    where one INSERT's ids are consecutive (MariaDB's default, SQLite) go in one round trip:
    each lead_data row names its lead_meta row by the id that INSERT gave it."""
    if any(item.meta_id is not None for item in items) or not await consecutive_ids():
        return await _write_data(actor, items, await _write_meta(actor, items, now), owners, now)
    n = len(items)
    meta = insert_statement(actor, "lead_meta", META_INSERT, [_meta_row(item, now) for item in items])
    data = insert_statement(
        actor,
        "lead_data",
        LEAD_COLUMNS,
        [
            _data_row(item, prior_id(i, n), owner, now)
            for i, (item, owner) in enumerate(zip(items, owners, strict=True))
        ],
    )
    _, made = await statements.run([meta, data])
    return new_ids(made, n)


def _tally(zone: ZoneInfo, item: NewLead, owner: auto.Rep | None, now: Any) -> rollups.Tally:
    first = owner and now
    lead = {
        "created_at": now,
        "status": StatusName.NEW.value,
        "platform_key": item.platform.value,
        "assigned_user_id": owner and owner.id,
        "reached": 1,
        "first_assigned_at": first,
        "status_changed_at": now,
    }
    return rollups.tally(zone, lead)


META_INSERT = (*META_COLUMNS, "received_at", "processing_status")


def _due(policy: dict[str, Any], arrived: datetime) -> datetime | None:
    return entity_settings.sla_due(policy, StatusName.NEW, arrived)


def _meta_row(item: NewLead, now: Any) -> tuple[Any, ...]:
    now = item.arrived_at or now
    return (item.platform.value, *(item.meta.get(c) for c in META_COLUMNS[1:]), now, "processed")


def _data_row(item: NewLead, meta_id: Any, owner: auto.Rep | None, now: Any) -> tuple[Any, ...]:
    values = item.fields
    now = item.arrived_at or now
    raw = values.get("raw_field_data")
    return (
        meta_id,
        *(values.get(c) for c in CONTACT),
        None if raw is None else _json(raw),
        values.get("consent_time"),
        values.get("source_page_name"),
        item.platform.value,
        item.meta.get("page_id"),
        StatusName.NEW.value,
        now,
        owner and owner.id,
        owner and now,
        owner and now,
        rollups.bit(StatusName.NEW.value),
        now,
        now,
        text_of(*(values.get(c) for c in CONTACT)),
    )


async def _write_meta(actor: Actor, items: list[NewLead], now: Any) -> list[int]:
    """lead_meta ids of the items: new rows (processed), or their `received` rows completed."""
    new = [item for item in items if item.meta_id is None]
    ids: dict[tuple[str, str], int] = {}
    if new:
        made = await insert_rows(actor, "lead_meta", META_INSERT, [_meta_row(item, now) for item in new])
        if made is None:  # ids not consecutive: read them back by their unique key
            rows = await fetch(
                actor,
                "SELECT id, platform_key, source_lead_id FROM lead_meta WHERE entity_id = :entity "
                "AND platform_key IN (:platforms) AND source_lead_id IN (:ids)",
                platforms=sorted({item.platform.value for item in new}),
                ids=[item.meta["source_lead_id"] for item in new],
            )
            ids = {(r["platform_key"], r["source_lead_id"]): int(r["id"]) for r in rows}
        else:
            ids = {item.keys()[0]: meta_id for item, meta_id in zip(new, made, strict=True)}
    for item in items:
        if item.meta_id is not None:
            await scoped(LeadMeta, actor, id=item.meta_id).update(
                processing_status=IngestionStatus.PROCESSED, failure_reason=None, **item.meta
            )
    return [item.meta_id or ids[item.keys()[0]] for item in items]


async def _write_data(
    actor: Actor, items: list[NewLead], meta_ids: list[int], owners: list[auto.Rep | None], now: Any
) -> list[int]:
    rows = [
        _data_row(item, meta_id, owner, now)
        for item, meta_id, owner in zip(items, meta_ids, owners, strict=True)
    ]
    made = await insert_rows(actor, "lead_data", LEAD_COLUMNS, rows)
    if made is not None:
        return made
    found = await fetch(
        actor,
        "SELECT id, lead_meta_id FROM lead_data WHERE entity_id = :entity AND lead_meta_id IN (:ids)",
        ids=meta_ids,
    )
    by_meta = {int(r["lead_meta_id"]): int(r["id"]) for r in found}
    return [by_meta[m] for m in meta_ids]


def _summary(lead_id: int, entity_id: int, item: NewLead, owner: auto.Rep | None, now: Any) -> dict[str, Any]:
    """The API's summary of a lead just written, without reading it back."""
    stamp = iso(now)
    return {
        "id": lead_id,
        "entity_id": entity_id,
        **{c: item.fields.get(c) for c in CONTACT},
        "status": StatusName.NEW.value,
        "platform_key": item.platform.value,
        "source_page_id": item.meta.get("page_id"),
        "source_page_name": item.fields.get("source_page_name"),
        "assigned_user_id": owner and owner.id,
        "assigned_at": owner and stamp,
        "created_at": stamp,
        "updated_at": stamp,
        "assigned_user": owner and records.person(owner),
    }


async def write_one(item: NewLead) -> Outcome:
    """One lead in its own transaction, finding an earlier delivery of it first; a concurrent
    writer of the same source id is found by a second try instead of failing. EntityGone when
    the entity was deleted meanwhile (its rows then fail their foreign key, twice)."""
    try:
        return (await write_leads([item]))[0]
    except IntegrityError:
        pass
    try:
        return (await write_leads([item]))[0]
    except IntegrityError:
        await own_entity(Actor.system(item.entity_id))  # EntityGone: not a repeat of anything
        raise


@dataclass
class GroupCommit:
    """Coalesces concurrent writes into batches, `in_flight` of them written at once: while
    they are, the next batch gathers. Two in flight keep the database busy while one commits;
    the entity's counter and sequence rows still order their commits."""

    max_batch: int = 128
    in_flight: int = 2
    _waiting: list[tuple[NewLead, asyncio.Future[Outcome]]] = field(default_factory=list)
    _running: int = 0

    async def submit(self, item: NewLead) -> Outcome:
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        self._start()
        return await asyncio.shield(future)

    def _start(self) -> None:
        while self._waiting and self._running < self.in_flight:
            batch = self._waiting[: self.max_batch]
            del self._waiting[: self.max_batch]
            self._running += 1
            # A fresh context: the batch must not join a transaction of whoever came first.
            asyncio.get_running_loop().create_task(self._run(batch), context=contextvars.Context())

    async def _run(self, batch: list[tuple[NewLead, asyncio.Future[Outcome]]]) -> None:
        try:
            await self._write([item for item, _ in batch], [future for _, future in batch])
        finally:
            self._running -= 1
            self._start()

    async def _write(self, items: list[NewLead], futures: list[asyncio.Future[Outcome]]) -> None:
        try:
            # With the database away, batches would queue behind each other's bounds.
            outages.refuse_while_down(outages.DATABASE)
            # Repeats are rare (a form or Meta retrying), so a batch does not look for them
            # first; if one is there the batch fails, and each lead is written alone, looking.
            outcomes: list[Outcome | BaseException] = list(await write_leads(items, look_first=False))
        except Exception as exc:
            if outages.report(exc) is not None:  # not the leads' fault: every request answers 503
                outcomes = [exc] * len(items)
            else:
                outcomes = await _one_by_one(items)
        for future, outcome in zip(futures, outcomes, strict=True):
            if future.done():
                continue
            if isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)


async def _one_by_one(items: list[NewLead]) -> list[Outcome | BaseException]:
    outcomes: list[Outcome | BaseException] = []
    for item in items:
        try:
            outcomes.append(await write_one(item))
        except Exception as exc:  # this lead's own fault: its request answers it
            outcomes.append(exc)
    return outcomes


group_commit = GroupCommit()
