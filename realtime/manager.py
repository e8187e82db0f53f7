"""Client managers that hold a socket's live events while its missed events are replayed.

python-socketio delivers every emit, local or arriving through Redis from another process,
through `AsyncManager.emit`; a client manager subclass is its documented extension point. For a
socket being replayed, live events are held and flushed after the replay; events at or below the
last replayed seq are dropped, so a socket sees each seq once and in order.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from typing import Any

import socketio

from salesmagnet import events, outages
from salesmagnet.auth import identity

log = logging.getLogger(__name__)

NAMESPACE = "/"
CHANNEL = "salesmagnet"  # the Socket.IO Redis channel every server and worker shares
FANOUT_CHUNK = 200  # sockets served before other tasks get a turn, in a large broadcast
CHUNK_PAUSE = 0.001  # a real (timer) pause: sleep(0) lets the loop run new callbacks first
FLOOR_TTL = 120.0  # seconds a replayed socket keeps dropping already-replayed seqs
UNPUBLISHED_KEPT = 100_000  # ids of events delivered here but refused by Redis, kept for the relay
RESUBSCRIBE = 0.5  # seconds between the listener's tries to subscribe again while Redis is away
# Reserved event: "disconnect this room's sockets". Emitted like any event, so it reaches every
# process (through Redis in Redis mode); each disconnects its own sockets instead of sending it.
KICK = "salesmagnet:kick"


class GateMixin:
    """Per-socket holds (during replay) and floors (seqs already delivered by the replay)."""

    def _gate_init(self) -> None:
        self._held: dict[str, list[tuple[str, Any]]] = {}
        self._floors: dict[str, tuple[int, float]] = {}
        self._kicks: set[asyncio.Task[None]] = set()

    def _kick(self, namespace: str, room: Any) -> None:
        """Disconnect this process's sockets in `room`, each in a task of its own (the
        disconnect handler may wait for the socket to settle; this runs in the Redis listener)."""
        server: socketio.AsyncServer | None = getattr(self, "server", None)
        if server is None or room is None:  # a write-only emitter holds no sockets
            return
        for sid in [sid for sid, _ in self.get_participants(namespace, room)]:  # type: ignore[attr-defined]
            task = asyncio.get_running_loop().create_task(
                server.disconnect(sid, namespace=namespace, ignore_queue=True)
            )
            self._kicks.add(task)
            task.add_done_callback(self._kicks.discard)

    def notices_arrive(self) -> bool:
        """Whether every process's KICK reaches this one now (one process: always)."""
        return True

    def hold(self, sid: str) -> None:
        self._held[sid] = []

    def set_floor(self, sid: str, seq: int) -> None:
        self._floors[sid] = (seq, time.monotonic() + FLOOR_TTL)

    def floor(self, sid: str) -> int:
        return self._floors.get(sid, (0, 0.0))[0]

    def forget(self, sid: str) -> None:
        self._held.pop(sid, None)
        self._floors.pop(sid, None)

    def take_held(self, sid: str) -> list[tuple[str, Any]] | None:
        """The events held so far (the hold stays); None and the hold ends once it is empty."""
        held = self._held.get(sid)
        if not held:
            self._held.pop(sid, None)
            return None
        self._held[sid] = []
        return held

    def _skipped(self, namespace: str, room: Any, event: str, data: Any) -> list[str]:
        """Sockets not to send this emit to now: held ones (it is queued) and replayed ones."""
        if not self._held and not self._floors:
            return []
        seq = data.get("seq") if isinstance(data, dict) else None
        skip = []
        for sid, _ in self.get_participants(namespace, room):  # type: ignore[attr-defined]
            if sid in self._held:
                self._held[sid].append((event, data))
                skip.append(sid)
            elif sid in self._floors and seq is not None:
                floor, until = self._floors[sid]
                if time.monotonic() > until:
                    del self._floors[sid]
                elif seq <= floor:
                    skip.append(sid)
        return skip

    async def emit(  # type: ignore[no-untyped-def]
        self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None, **kwargs
    ):
        target = to or room
        if event == KICK:
            if isinstance(data, dict) and isinstance(data.get("user_id"), int):
                identity.forget(data["user_id"])
            self._kick(namespace, target)
            return None
        skip = self._skipped(namespace, target, event, data)
        if skip:
            skip_sid = [*skip, *(skip_sid if isinstance(skip_sid, list) else [skip_sid])]
        if callback is None and target is not None:
            sids = [sid for sid, _ in self.get_participants(namespace, target)]
            if len(sids) > FANOUT_CHUNK:
                await self._emit_in_chunks(event, data, namespace, sids, skip_sid)
                return None
        return await super().emit(
            event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, to=to, **kwargs
        )

    async def _emit_in_chunks(
        self, event: str, data: Any, namespace: str, sids: list[str], skip: Any
    ) -> None:
        """A large room in slices, yielding between them, so one broadcast to thousands of
        sockets does not hold every other task (HTTP requests included) for its whole length."""
        excluded = set(skip if isinstance(skip, list) else [skip])
        sids = [sid for sid in sids if sid not in excluded]
        for start in range(0, len(sids), FANOUT_CHUNK):
            await super().emit(event, data, namespace, to=sids[start : start + FANOUT_CHUNK])  # type: ignore[misc]
            await asyncio.sleep(CHUNK_PAUSE)

    async def send_direct(self, sid: str, event: str, data: Any) -> None:
        """Deliver to one local socket now, past any hold (replay and flushes)."""
        await socketio.AsyncManager.emit(self, event, data, NAMESPACE, to=sid)


class GatedManager(GateMixin, socketio.AsyncManager):
    """One process (embedded default)."""

    def __init__(self) -> None:
        super().__init__()
        self._gate_init()


class StrictRedisManager(socketio.AsyncRedisManager):
    """python-socketio's Redis manager, made to tell when Redis is away.

    Its own `_publish` logs and drops an emit Redis refused, so the publisher would note a lost
    event as delivered and the relay would never send it again; here the error reaches the
    caller, and the event stays for the relay. Its listener retried with a doubling sleep of up
    to 60 s (the process's sockets deaf for a minute after Redis returned) and logged every try;
    here it retries every RESUBSCRIBE seconds and reports the outage once (salesmagnet.outages).
    Both are python-socketio's documented internals for subclasses of its pub/sub manager.

    python-socketio delivers an emit to this process's sockets before it publishes it, so an
    event Redis refused has reached them already; when the relay sends it again through Redis
    once Redis is back, this process skips it (the ids of such events are kept, at most
    UNPUBLISHED_KEPT): each socket gets each event once, and sockets of the same process stay
    live through an outage. Events other processes published while this one's listener was cut
    off are read from the outbox when it subscribes again (after the last seq it delivered of
    each entity) and delivered then, before anything newer.
    """

    def __init__(self, url: str, channel: str, bound: float, write_only: bool = False) -> None:
        # No socket_timeout: the listener blocks on its subscription between messages.
        super().__init__(
            url, channel=channel, write_only=write_only, redis_options={"socket_connect_timeout": bound}
        )
        self.bound = bound
        self._delivered_here: OrderedDict[str, None] = OrderedDict()  # event ids Redis refused
        self._seen: dict[int, int] = {}  # entity -> the highest seq delivered here
        self._cut_from: dict[int, int] | None = None  # _seen when the listener was cut off
        self._subscribed = False

    async def _publish(self, data: Any) -> Any:
        try:
            if not self.connected:
                self._redis_connect()
            async with asyncio.timeout(self.bound):
                return await self.redis.publish(self.channel, self.json.dumps(data))
        except TimeoutError:
            self._note_unpublished(data)
            raise outages.DependencyTimeout(outages.REDIS, self.bound) from None
        except Exception:
            self._note_unpublished(data)
            raise

    def _note_unpublished(self, message: Any) -> None:
        if self.write_only or message.get("method") != "emit":
            return
        event_id = _event_id(message)
        if event_id is not None:
            self._remember(event_id)

    def _remember(self, event_id: str) -> None:
        self._delivered_here[event_id] = None
        while len(self._delivered_here) > UNPUBLISHED_KEPT:
            self._delivered_here.popitem(last=False)

    async def _handle_emit(self, message: Any) -> None:
        event_id = _event_id(message)
        if (
            event_id is not None
            and event_id in self._delivered_here
            and message.get("host_id") != self.host_id
        ):
            del self._delivered_here[event_id]
            return  # relayed after an outage; this process's sockets had it then
        await super()._handle_emit(message)
        if self._cut_from is not None and event_id is not None:
            self._remember(event_id)  # delivered here while cut off: the catch-up skips it
        payload = _payload(message)
        if payload is not None and isinstance(payload.get("seq"), int):
            entity_id = payload.get("entity_id")
            if isinstance(entity_id, int) and payload["seq"] > self._seen.get(entity_id, 0):
                self._seen[entity_id] = payload["seq"]

    async def _catch_up(self, cut_from: dict[int, int]) -> None:
        """Deliver here what other processes published while this listener was cut off: each
        entity's events after the last seq delivered here before the cut, but those delivered
        here since (an entity this process had delivered nothing of is not known to it)."""
        for entity_id, after in cut_from.items():
            while batch := await events.replay_after(entity_id, after):
                for record in batch:
                    if record.event_id not in self._delivered_here:
                        await self._handle_emit(_message(record, self.host_id))
                        self._remember(record.event_id)  # its live or relayed copy is skipped
                after = batch[-1].seq

    def notices_arrive(self) -> bool:
        return self._subscribed

    async def _redis_listen_with_retries(self) -> Any:
        while True:
            try:
                if not self._subscribed:
                    self._redis_connect()
                    await self.pubsub.subscribe(self.channel)
                    self._subscribed = True
                    outages.DEPENDENCIES[outages.REDIS].answered()
                    if self._cut_from is not None:  # from here on, messages wait in the subscription
                        await self._catch_up_quietly(self._cut_from)
                        self._cut_from = None
                async for message in self.pubsub.listen():
                    yield message
            except Exception as exc:
                outages.log_failure(log, exc, "Socket.IO Redis listener failed; subscribing again")
                self._subscribed = False
                if self._cut_from is None:
                    self._cut_from = dict(self._seen)
                await asyncio.sleep(RESUBSCRIBE)

    async def _catch_up_quietly(self, cut_from: dict[int, int]) -> None:
        try:
            await self._catch_up(cut_from)
        except Exception as exc:  # the database away too: sockets that reconnect replay it
            outages.log_failure(log, exc, "catching up on events missed during a Redis outage failed")


def _message(record: events.Record, host_id: str) -> dict[str, Any]:
    """A committed event as python-socketio's pub/sub message of an emit to its rooms."""
    return {
        "method": "emit", "event": record.name, "data": [record.payload], "binary": False,
        "namespace": NAMESPACE, "room": record.rooms(), "skip_sid": None, "callback": None,
        "host_id": host_id,
    }  # fmt: skip


def _payload(message: Any) -> dict[str, Any] | None:
    """The event payload of a published emit (its one argument), if it is one."""
    data = message.get("data")
    payload = data[0] if isinstance(data, list) and len(data) == 1 else None
    return payload if isinstance(payload, dict) else None


def _event_id(message: Any) -> str | None:
    payload = _payload(message)
    event_id = payload.get("event_id") if payload is not None else None
    return event_id if isinstance(event_id, str) else None


class GatedRedisManager(StrictRedisManager, GatedManager):
    """Several processes: emits travel through Redis, and arrive through GatedManager.emit."""

    def __init__(self, url: str, channel: str, bound: float) -> None:
        StrictRedisManager.__init__(self, url, channel, bound)
        self._gate_init()
