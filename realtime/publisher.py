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


class RoomPublisher:
    """events.Publisher: one consumer task keeps per-process delivery in submission order.

    Live events are noted as delivered in one INSERT for whatever was delivered within
    NOTE_AFTER (at one lead at a time, a note each was an autocommitted round trip a lead); the
    publisher holds them (`holds`) until then, so the relay never sends them again meanwhile."""

    def __init__(self, emit: Emit) -> None:
        self._emit = emit
        self._queue: asyncio.Queue[list[events.Record] | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._waiting: set[str] = set()

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="event-publisher")

    def submit(self, records: list[events.Record]) -> None:
        self._waiting.update(r.event_id for r in records)
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

    async def _run(self) -> None:
        unnoted: list[events.Record] = []
        due = 0.0  # when the oldest unnoted delivery must be noted
        loop = asyncio.get_running_loop()
        while True:
            try:
                async with asyncio.timeout_at(due if unnoted else None):
                    batch = await self._queue.get()
            except TimeoutError:
                batch = []
            stopping = batch is None
            batch = batch or []
            while not self._queue.empty():  # coalesce a burst
                more = self._queue.get_nowait()
                stopping = stopping or more is None
                batch += more or []
            if batch:
                # Transactions committing close together may submit out of seq order.
                batch.sort(key=lambda r: (r.entity_id, r.seq))
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
