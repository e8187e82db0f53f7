"""Real Socket.IO clients for tests, and a way to commit events the way services do."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import socketio

from salesmagnet import events
from salesmagnet.db import atomic

UNSET = object()


class Listener:
    """A socketio.AsyncClient that records every event it receives."""

    def __init__(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        self.received: list[tuple[str, Any]] = []
        self.refusal: Any = None
        self.client.on("*", self._any)
        self.client.on("connect_error", self._refused)

    async def _any(self, event: str, data: Any = None) -> None:
        self.received.append((event, data))

    async def _refused(self, data: Any) -> None:
        self.refusal = data

    async def connect(self, url: str, token: str, last_seq: Any = UNSET) -> Listener:
        auth: dict[str, Any] = {"token": token}
        if last_seq is not UNSET:
            auth["last_seq"] = last_seq
        await self.client.connect(url, auth=auth, transports=["websocket"], wait_timeout=5)
        return self

    async def close(self) -> None:
        if self.client.connected:
            await self.client.disconnect()

    def named(self, name: str) -> list[Any]:
        return [data for event, data in self.received if event == name]

    def seqs(self, name: str | None = None) -> list[int]:
        return [
            d["seq"]
            for e, d in self.received
            if (name is None or e == name) and isinstance(d, dict) and "seq" in d
        ]

    async def wait_for(self, ready: Callable[[], bool], limit: float = 5.0) -> None:
        deadline = asyncio.get_running_loop().time() + limit
        while not ready():
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out; received {self.received[-5:]}")
            await asyncio.sleep(0.01)

    async def quiet(self, seconds: float = 0.3) -> None:
        """Let in-flight deliveries arrive (for asserting that nothing more does)."""
        await asyncio.sleep(seconds)


async def commit(
    entity_id: int, count: int = 1, name: str = "lead:updated", user_ids: tuple[int, ...] = ()
) -> None:
    """One transaction emitting `count` events, as a service would."""
    async with atomic():
        for n in range(count):
            events.emit(events.Event(name, entity_id, {"lead": {"id": n}}, user_ids))
