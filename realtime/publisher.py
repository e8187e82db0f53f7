"""Delivers committed events to Socket.IO rooms in commit order, then marks them published.

`Emit` is `AsyncServer.emit` in a server process, or a write-only `AsyncRedisManager.emit` in
an arq worker; either way every server process delivers to its own sockets.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from salesmagnet import events, metrics, outages
from salesmagnet.db import retried

log = logging.getLogger(__name__)

Emit = Callable[..., Awaitable[Any]]


NOTE_AFTER = 0.05  # seconds delivered events wait for their delivery notes' one INSERT
HOLD_AT_MOST = 0.05  # seconds a record after a gap waits for a commit in flight to fill it


class RoomPublisher:
    """events.Publisher: one consumer task keeps per-process delivery in seq order per entity
    (`_in_order`).

    Live events are noted as delivered in one INSERT for whatever was delivered within
    NOTE_AFTER (at one lead at a time, a note each was an autocommitted round trip a lead); the
    publisher holds them (`holds`) until then, so the relay never sends them again meanwhile."""

    def __init__(self, emit: Emit) -> None:
        self._emit = emit
        self._queue: asyncio.Queue[list[events.Record] | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._waiting: set[str] = set()
        self._last: dict[int, int] = {}  # entity → the last seq this process delivered live
        self._held: list[events.Record] = []  # records after a gap (`_in_order`)
        self._held_since = 0.0
        # event id → the tickets of its entity's commits in flight when it was handed off:
        # the only commits that can hold seqs below its own (`_in_order`)
        self._before: dict[str, frozenset[int]] = {}

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="event-publisher")

    def submit(self, records: list[events.Record]) -> None:
        self._waiting.update(r.event_id for r in records)
        for record in records:
            if flying := events.in_flight(record.entity_id):
                self._before[record.event_id] = flying
        self._queue.put_nowait(records)

    def holds(self, event_id: str) -> bool:
        return event_id in self._waiting

    async def publish(self, records: list[events.Record]) -> None:
        """Deliver in order and note what was delivered at once; when an emit fails (Redis
        away), what went out before it is still noted, so the relay sends only the rest again."""
        sent: list[events.Record] = []
        try:
            await self._deliver(records, sent)
        finally:
            await self._note(sent)

    async def _deliver(self, records: list[events.Record], sent: list[events.Record]) -> None:
        """Emit in order, appending each record to `sent` once it went out (and counted)."""
        try:
            for record in records:
                await self._emit(record.name, record.payload, room=record.rooms(), namespace="/")
                sent.append(record)
        finally:
            metrics.events_published(r.name for r in sent)

    async def _note(self, records: list[events.Record]) -> None:
        if records:  # a deadlock with the relay's clean-up of notes is tried again
            await retried(lambda: events.mark_published(records))

    def _in_order(self, batch: list[events.Record], now: float) -> list[events.Record]:
        """What of `batch` (and of what was held) to deliver now, in seq order per entity.

        Commits answered in the same moment hand off in either order: a record whose seq is
        not the next after the entity's last delivered one is held while a commit that was in
        flight when it was handed off is still in flight (it may hold the missing seqs), for at
        most HOLD_AT_MOST. A gap none of those can fill (another process's commit) holds
        nothing."""
        pending = sorted([*self._held, *batch], key=lambda r: (r.entity_id, r.seq))
        ready: list[events.Record] = []
        held: list[events.Record] = []
        expired = bool(self._held) and now >= self._held_since + HOLD_AT_MOST
        for record in pending:
            last = self._last.get(record.entity_id)
            gap = last is not None and record.seq > last + 1
            if held and held[-1].entity_id == record.entity_id:
                held.append(record)  # after a held one of its entity
            elif (
                gap
                and not expired
                and self._before.get(record.event_id, frozenset()) & events.in_flight(record.entity_id)
            ):
                held.append(record)
            else:
                ready.append(record)
                self._before.pop(record.event_id, None)
                self._last[record.entity_id] = max(record.seq, last or 0)
        if held and not self._held:
            self._held_since = now
        self._held = held
        return ready

    async def _run(self) -> None:
        unnoted: list[events.Record] = []
        due = 0.0  # when the oldest unnoted delivery must be noted
        loop = asyncio.get_running_loop()
        while True:
            wakes = [due] if unnoted else []
            if self._held:
                wakes.append(self._held_since + HOLD_AT_MOST)
            try:
                async with asyncio.timeout_at(min(wakes, default=None)):
                    batch = await self._queue.get()
            except TimeoutError:
                batch = []
            stopping = batch is None
            batch = batch or []
            while not self._queue.empty():  # coalesce a burst
                more = self._queue.get_nowait()
                stopping = stopping or more is None
                batch += more or []
            if stopping:  # deliver what is held, gaps or not
                batch = sorted([*self._held, *batch], key=lambda r: (r.entity_id, r.seq))
                self._held, self._before = [], {}
            else:
                batch = self._in_order(batch, loop.time())
            if batch:
                sent: list[events.Record] = []
                try:
                    await self._deliver(batch, sent)
                except Exception as exc:  # the relay publishes whatever this left unnoted
                    outages.log_failure(log, exc, "publishing %d event(s) failed", len(batch))
                finally:
                    delivered = {r.event_id for r in sent}
                    self._waiting.difference_update(r.event_id for r in batch if r.event_id not in delivered)
                if sent and not unnoted:
                    due = loop.time() + NOTE_AFTER
                unnoted += sent
            if unnoted and (stopping or loop.time() >= due):
                try:
                    await self._note(unnoted)
                except Exception as exc:  # the relay sends them again: delivered twice at worst
                    outages.log_failure(log, exc, "noting %d delivered event(s) failed", len(unnoted))
                finally:
                    self._waiting.difference_update(r.event_id for r in unnoted)
                    unnoted = []
            if stopping:
                return

    async def close(self) -> None:
        """Deliver what is queued, then stop."""
        if self._task is None:
            return
        self._queue.put_nowait(None)
        await self._task
        self._task = None
