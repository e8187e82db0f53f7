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

log = logging.getLogger(__name__)

Emit = Callable[..., Awaitable[Any]]


class RoomPublisher:
    """events.Publisher: one consumer task keeps per-process delivery in submission order."""

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
        """Deliver in order and note what was delivered; when an emit fails (Redis away), what
        went out before it is still noted, so the relay sends only the rest again."""
        sent = 0
        try:
            for record in records:
                await self._emit(record.name, record.payload, room=record.rooms(), namespace="/")
                sent += 1
        finally:
            if sent:
                metrics.events_published(r.name for r in records[:sent])
                await events.mark_published(records[:sent])

    async def _run(self) -> None:
        while True:
            batch = await self._queue.get()
            stopping = batch is None
            batch = batch or []
            while not self._queue.empty():  # coalesce a burst into one mark_published
                more = self._queue.get_nowait()
                stopping = stopping or more is None
                batch += more or []
            if batch:
                # Transactions committing close together may submit out of seq order.
                batch.sort(key=lambda r: (r.entity_id, r.seq))
                try:
                    await self.publish(batch)
                except Exception as exc:  # the relay publishes whatever this left unmarked
                    outages.log_failure(log, exc, "publishing %d event(s) failed", len(batch))
                finally:
                    self._waiting.difference_update(r.event_id for r in batch)
            if stopping:
                return

    async def close(self) -> None:
        """Deliver what is queued, then stop."""
        if self._task is None:
            return
        self._queue.put_nowait(None)
        await self._task
        self._task = None
