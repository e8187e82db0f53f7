"""Events: plain data emitted inside db.atomic(), written to the outbox in the same transaction
with a gapless per-entity `seq`, and handed to the publisher only after the commit.

The Publisher protocol is fulfilled by realtime/ (Socket.IO in the server, a write-only Redis
emitter in workers); until one is set, committed events wait in the outbox for the relay.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict, deque
from collections.abc import AsyncGenerator, Callable, Iterable
from contextlib import aclosing
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count, groupby
from typing import Any, Protocol, cast

from tortoise.expressions import F, Subquery

from models import EventDelivery, EventOutbox, EventSequence
from salesmagnet import metrics, rawsql
from salesmagnet.statements import Outcome, Statement, placeholder
from salesmagnet.statements import run as run_statements
from salesmagnet.tenancy import Actor, insert_new, insert_statement, scoped

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Something that happened in one entity; `user_ids` adds their user:<id> rooms."""

    name: str
    entity_id: int
    data: dict[str, Any]
    user_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Record:
    """A committed event as it is delivered: payload carries event_id, seq, entity_id, at."""

    name: str
    entity_id: int
    seq: int
    payload: dict[str, Any]
    user_ids: tuple[int, ...] = field(default=())

    @property
    def event_id(self) -> str:
        return str(self.payload["event_id"])

    def rooms(self) -> list[str]:
        return [f"entity:{self.entity_id}", *(f"user:{u}" for u in self.user_ids)]


class Publisher(Protocol):
    def submit(self, records: list[Record]) -> None:
        """Queue committed records for delivery in the order given; never blocks."""

    async def publish(self, records: list[Record]) -> None:
        """Deliver now and mark them published."""

    def holds(self, event_id: str) -> bool:
        """True while a submitted record waits in this process to be delivered."""


class _Outboxed:
    """No publisher: committed events stay in the outbox until the relay publishes them."""

    def submit(self, records: list[Record]) -> None:
        return None

    async def publish(self, records: list[Record]) -> None:
        return None

    def holds(self, event_id: str) -> bool:
        return False


_publisher: Publisher = _Outboxed()
_pending: ContextVar[list[Event] | None] = ContextVar("salesmagnet_pending_events", default=None)


def set_publisher(publisher: Publisher | None) -> None:
    global _publisher
    _publisher = publisher or _Outboxed()


def publisher() -> Publisher:
    return _publisher


def emit(event: Event) -> None:
    """Buffer an event in the current db.atomic() block; it is published only after commit."""
    pending = _pending.get()
    if pending is None:
        raise RuntimeError("events.emit() must be called inside db.atomic()")
    pending.append(event)


def pending() -> list[Event] | None:
    return _pending.get()


def begin() -> tuple[list[Event], Any]:
    buffer: list[Event] = []
    return buffer, _pending.set(buffer)


def end(token: Any) -> None:
    _pending.reset(token)


def now() -> datetime:
    return datetime.now(UTC)


def to_record(row: EventOutbox) -> Record:
    # The stored payload has no seq (rows written before it did carry the same one).
    payload = {**row.payload, "seq": row.seq}
    return Record(row.name, row.entity_id, row.seq, payload, tuple(row.user_ids or ()))


_encode = EventOutbox._meta.fields_map["payload"].encoder  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Outbox:
    """The statements that number and store one transaction's events (db.atomic() sends them
    with its COMMIT), and the records they make once run. Per entity, in id order: the
    sequence row moved by the entity's count of events (locked until commit: numbers are
    gapless and in commit order), whose answer tells the records their numbers, and one
    multi-row INSERT whose seq values the database takes from that row."""

    statements: list[Statement]
    groups: list[list[Record]]  # per entity, its records with seq 0

    def records(self, outcomes: list[Outcome]) -> list[Record]:
        out: list[Record] = []
        for group, moved in zip(self.groups, outcomes[0::2], strict=True):
            first = _last_seq(moved, len(group)) - len(group) + 1
            for seq, r in enumerate(group, start=first):
                out.append(Record(r.name, r.entity_id, seq, {**r.payload, "seq": seq}, r.user_ids))
        return out


def _last_seq(moved: Outcome, moved_by: int) -> int:
    """The sequence's value after the upsert that moved it by `moved_by`. SQLite returns the
    row. MariaDB counts an inserted row 1 (it holds `moved_by`) and an updated one 2, whose new
    value the OK packet carries as the insert id (LAST_INSERT_ID(expr) in the update)."""
    if moved.rows:
        return int(moved.rows[0]["last_seq"])
    if moved.rowcount == 1:
        return moved_by
    if not moved.lastrowid:
        raise RuntimeError("the event sequence's upsert did not answer its new value")
    return moved.lastrowid


OUTBOX_COLUMNS = ("seq", "event_id", "name", "payload", "user_ids", "created_at")
# An outbox row's seq: its entity's sequence (moved just before, in the same transaction) less
# how many of the batch's events come after it. Only integers are put in.
SEQ_FROM_SEQUENCE = "((SELECT last_seq FROM event_sequences WHERE entity_id = {entity}) - {behind})"


def outbox(buffered: list[Event]) -> Outbox:
    at = now()
    stamp = at.isoformat().replace("+00:00", "Z")
    if placeholder() == "?":
        move = " ON CONFLICT (entity_id) DO UPDATE SET last_seq = last_seq + excluded.last_seq"
        move += " RETURNING last_seq"
    else:  # the new value comes back as the OK packet's insert id: no read of it
        move = " ON DUPLICATE KEY UPDATE last_seq = LAST_INSERT_ID(last_seq + VALUES(last_seq))"
    out = Outbox([], [])
    for entity_id, events in groupby(sorted(buffered, key=lambda e: e.entity_id), key=lambda e: e.entity_id):
        actor = Actor.system(entity_id)
        envelope = {"entity_id": entity_id, "at": stamp}
        group = [
            Record(e.name, entity_id, 0, {**e.data, "event_id": str(uuid.uuid4()), **envelope}, e.user_ids)
            for e in events
        ]
        rows = [
            (
                rawsql.Inline(SEQ_FROM_SEQUENCE.format(entity=int(entity_id), behind=len(group) - n)),
                r.event_id, r.name, _encode(r.payload), _encode(list(r.user_ids)), at,
            )
            for n, r in enumerate(group, start=1)
        ]  # fmt: skip
        sequence = insert_statement(actor, "event_sequences", ("last_seq", "relayed_seq"), [(len(group), 0)])
        out.statements.extend(
            [
                Statement(sequence.sql + move, sequence.values),
                insert_statement(actor, "event_outbox", OUTBOX_COLUMNS, rows),
            ]
        )
        out.groups.append(group)
    return out


async def write_outbox(buffered: list[Event]) -> list[Record]:
    """Number and store events now, inside the caller's transaction (db.atomic() does it as it
    commits: `outbox()`)."""
    written = outbox(buffered)
    return written.records(await run_statements(written.statements))


# Entity id → the tickets of this process's transactions committing its events that have not
# handed them off yet. Two commits answered in the same moment may hand off in either order: the
# publisher holds a record that follows a gap while a commit in flight when it landed (and only
# such a one: a commit taking off later gets a later seq) may still fill it.
_in_flight: dict[int, set[int]] = defaultdict(set)
_tickets = count(1)


@dataclass(frozen=True)
class Flight:
    ticket: int
    entities: tuple[int, ...]


def taking_off(buffered: list[Event]) -> Flight:
    """Note the entities of `buffered` as committing (before the COMMIT is sent)."""
    flight = Flight(next(_tickets), tuple(sorted({e.entity_id for e in buffered})))
    for entity_id in flight.entities:
        _in_flight[entity_id].add(flight.ticket)
    return flight


def landed(flight: Flight | None) -> None:
    """Its commit is over (handed off, or failed)."""
    if flight is None:
        return
    for entity_id in flight.entities:
        _in_flight[entity_id].discard(flight.ticket)
        if not _in_flight[entity_id]:
            del _in_flight[entity_id]


def in_flight(entity_id: int) -> frozenset[int]:
    """The tickets of the entity's commits in flight now."""
    return frozenset(_in_flight.get(entity_id, ()))


Listener = Callable[[list[Record]], None]
_listeners: list[Listener] = []


def on_hand_off(listener: Listener, remove: bool = False) -> None:
    """Call `listener` with the records of every commit of this process, once they go to the
    publisher (analytics follows the changes that way, without the core knowing it)."""
    if remove:
        if listener in _listeners:
            _listeners.remove(listener)
    elif listener not in _listeners:
        _listeners.append(listener)


def hand_off(records: list[Record]) -> None:
    if records:
        _publisher.submit(records)
        for listener in _listeners:
            try:
                listener(records)
            except Exception:  # the commit stands: a listener's failure is its own
                log.exception("a listener of committed events failed")


async def mark_published(records: Iterable[Record]) -> None:
    """Note the records as delivered: one insert-only row each (a repeat is ignored)."""
    await insert_new(EventDelivery._meta.db_table, "event_id", [r.event_id for r in records])


# Per entity, the last_seq this process saw and when: every event up to a seen last_seq was
# committed by then (it is read committed, and advances in the events' own transaction).
_seen: dict[int, deque[tuple[float, int]]] = defaultdict(deque)


def _settled(entity_id: int, last: int, older_than: timedelta) -> int | None:
    """The newest last_seq seen at least `older_than` ago: its events had that long to be
    delivered. Found without reading their rows."""
    at = time.monotonic()
    cutoff = at - older_than.total_seconds()
    seen = _seen[entity_id]
    seen.append((at, last))
    settled = None
    while seen and seen[0][0] <= cutoff:
        settled = seen.popleft()[1]
    if settled is not None:
        seen.appendleft((cutoff, settled))
    return settled


async def _ranges(older_than: timedelta) -> list[tuple[int, int, int]]:
    """(entity, relay progress, how far it may move): the events in between had `older_than`
    to be delivered."""
    behind = await EventSequence.filter(relayed_seq__lt=F("last_seq")).values_list(
        "entity_id", "relayed_seq", "last_seq"
    )
    out = []
    for entity_id, relayed, last in behind:
        upto = _settled(entity_id, last, older_than)
        if upto is None:  # this process has not watched the entity that long: ask the rows
            cutoff = now() - older_than
            old = scoped(EventOutbox, Actor.system(entity_id), seq__gt=relayed, created_at__lte=cutoff)
            found = await old.order_by("-seq").first().values_list("seq", flat=True)
            upto = None if found is None else int(cast(int, found))
        if upto is not None and upto > relayed:
            out.append((entity_id, int(relayed), upto))
    return out


@dataclass(frozen=True)
class _Chunk:
    """Up to RELAY_BATCH events of one entity (seq `after` < seq <= `upto`, which stops before
    the first event this process's publisher still holds) and those of them nobody delivered."""

    entity_id: int
    after: int
    upto: int
    delivered: list[str]
    undelivered: list[Record]


async def _chunk(entity_id: int, after: int, end: int) -> _Chunk:
    actor = Actor.system(entity_id)
    upto = min(end, after + RELAY_BATCH)
    found = await scoped(EventOutbox, actor, seq__gt=after, seq__lte=upto).values_list("event_id", "seq")
    # The publisher is asked before the notes are read: one that lets go of a record has
    # written its note first, so a record it no longer holds is either noted in what is read
    # next or was never delivered. Asked after, a note written in between was missed.
    if (held := min((int(s) for e, s in found if _publisher.holds(str(e))), default=None)) is not None:
        upto = held - 1
    ids = [str(e) for e, s in found if int(s) <= upto]
    noted = await EventDelivery.filter(event_id__in=ids).values_list("event_id", flat=True)
    delivered = [str(event_id) for event_id in noted]
    missing = set(ids) - set(delivered)
    undelivered = []
    if missing:
        rows = await scoped(EventOutbox, actor, event_id__in=list(missing)).order_by("seq")
        undelivered = [to_record(row) for row in rows]
    return _Chunk(entity_id, after, upto, delivered, undelivered)


async def _chunks(older_than: timedelta) -> AsyncGenerator[_Chunk, None]:
    """Each entity's events from its relay progress to where the relay may move, a batch at a
    time; an entity ends early at the first event this process's publisher still holds."""
    for entity_id, after, end in await _ranges(older_than):
        while after < end:
            chunk = await _chunk(entity_id, after, end)
            yield chunk
            if chunk.upto < min(end, after + RELAY_BATCH):  # held
                break
            after = chunk.upto


async def unpublished(older_than: timedelta, limit: int = 1000) -> list[Record]:
    """Committed events nobody delivered (their process died after commit), oldest first."""
    found: list[Record] = []
    async with aclosing(_chunks(older_than)) as chunks:
        async for chunk in chunks:
            found += chunk.undelivered
            if len(found) >= limit:
                break
    return found[:limit]


# How long the live publisher has before the relay sends an event it did not deliver: ~1,000x a
# healthy publisher's delay, and short enough that what an outage held reaches sockets within
# seconds of Redis's return (bench/faults.py).
RELAY_AFTER = timedelta(seconds=5)
RELAY_BATCH = 250  # events of one entity looked at a time: a short pause of the loop each


async def relay(older_than: timedelta = RELAY_AFTER) -> int:
    """Publish what was committed but never delivered (its process died, or it was never handed
    to a publisher), moving each entity's relay progress past it and dropping the delivery
    notes it passes; returns how many it published. The database reads ids in batches, so a
    busy entity (thousands of events between two relays) costs no long pause. Records this
    process's publisher still holds are left to it, so a slow publisher is not doubled. Without
    a publisher nothing moves."""
    if isinstance(_publisher, _Outboxed):
        return 0
    published = 0
    async for chunk in _chunks(older_than):
        if chunk.undelivered:
            await _publisher.publish(chunk.undelivered)
            published += len(chunk.undelivered)
        noted = chunk.delivered + [r.event_id for r in chunk.undelivered]  # now delivered too
        if noted:
            await EventDelivery.filter(event_id__in=noted).delete()
        if chunk.upto > chunk.after:
            await EventSequence.filter(entity_id=chunk.entity_id, relayed_seq__lt=chunk.upto).update(
                relayed_seq=chunk.upto
            )
    metrics.relay_lag(await _lag())
    return published


async def _lag() -> dict[int, int]:
    """Per entity behind: committed events (last seq) past the relay's progress. Healthy, that
    is about RELAY_AFTER's worth of events; it grows when the relay stops or falls behind."""
    behind = await EventSequence.filter(relayed_seq__lt=F("last_seq")).values_list(
        "entity_id", "relayed_seq", "last_seq"
    )
    return {int(entity_id): int(last) - int(relayed) for entity_id, relayed, last in behind}


async def replay_after(entity_id: int, seq: int, limit: int = 500) -> list[Record]:
    rows = await scoped(EventOutbox, Actor.system(entity_id), seq__gt=seq).order_by("seq").limit(limit)
    return [to_record(row) for row in rows]


# The seq of the entity (`:entity`) as a SELECT of one row, or none before its first event: to
# read in the same statement as what must stand at that seq (one statement reads one snapshot,
# and counters commit with their events).
CURRENT_SEQ = "SELECT last_seq FROM event_sequences WHERE entity_id = :entity"


async def current_seq(entity_id: int) -> int:
    """The seq of the entity's newest event (0 before its first)."""
    current = await EventSequence.filter(entity_id=entity_id).first().values_list("last_seq", flat=True)
    return int(cast(int, current) or 0)


async def bounds(entity_id: int) -> tuple[int, int]:
    """(oldest kept seq, current seq) of an entity; oldest is current + 1 when none are kept."""
    current = await current_seq(entity_id)
    kept = scoped(EventOutbox, Actor.system(entity_id))
    oldest = await kept.order_by("seq").first().values_list("seq", flat=True)
    return (int(cast(int, oldest)) if oldest is not None else current + 1), current


async def prune(keep: timedelta, keep_max: int | None) -> int:
    """Drop events older than `keep`, and beyond the newest `keep_max` of each entity, with
    the delivery notes the relay had not passed yet (the notes table holds only those, so
    finding them walks a few rows)."""
    cutoff = now() - keep
    removed = 0
    for entity_id, last_seq in await EventSequence.all().values_list("entity_id", "last_seq"):
        actor = Actor.system(entity_id)
        # Down the created_at index from the cutoff: the entity's newest event old enough.
        newest_old = scoped(EventOutbox, actor, created_at__lt=cutoff).order_by("-created_at").first()
        aged = int(cast(int, await newest_old.values_list("seq", flat=True)) or 0)
        upto = max(aged, int(last_seq) - keep_max if keep_max else 0)
        if upto > 0:
            old = scoped(EventOutbox, actor, seq__lte=upto)
            await EventDelivery.filter(event_id__in=Subquery(old.values("event_id"))).delete()
            removed += int(await old.delete())
    return removed
