"""Client managers that hold a socket's live events while its missed events are replayed.

python-socketio delivers every emit, local or arriving through Redis from another process,
through `AsyncManager.emit`; a client manager subclass is its documented extension point. For a
socket being replayed, live events are held and flushed after the replay; events at or below the
last replayed seq are dropped, so a socket sees each seq once and in order.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import socketio
from redis.connection import parse_url

from salesmagnet import events, outages
from salesmagnet.auth import identity

log = logging.getLogger(__name__)

NAMESPACE = "/"
CHANNEL = "salesmagnet"  # the Socket.IO Redis channel every server and worker shares
FANOUT_CHUNK = 200  # sockets served before other tasks get a turn, in a large broadcast
CHUNK_PAUSE = 0.001  # a real (timer) pause: sleep(0) lets the loop run new callbacks first
HOLD_FOR_GAP = 0.05  # seconds an event after a missing seq waits for it before it is read
FILL_PAGE = 500  # missing events read from the outbox at a time
FILL_RETRY, FILL_TRIES = 0.5, 60  # a failed read is tried again this often, this many times
RESUBSCRIBE = 0.5  # seconds between the listener's tries to subscribe again while Redis is away
# Reserved event: "disconnect this room's sockets". Emitted like any event, so it reaches every
# process (through Redis in Redis mode); each disconnects its own sockets instead of sending it.
KICK = "salesmagnet:kick"


class GateMixin:
    """Per-socket holds (during replay) and floors (seqs already delivered by the replay)."""

    def _gate_init(self) -> None:
        self._held: dict[str, list[tuple[str, Any]]] = {}
        # A replayed socket's floor lasts as long as the socket: a copy of a replayed event may
        # come any time later (the relay's after an outage, a line's catch-up).
        self._floors: dict[str, int] = {}
        self._kicks: set[asyncio.Task[None]] = set()
        # A socket's sign-in (its token's refresh-token family), told by the hub that holds it.
        self.sign_in_of: Callable[[str], str | None] = lambda sid: None

    def _kick(self, namespace: str, room: Any, sign_in: str | None = None) -> None:
        """Disconnect this process's sockets in `room` (with `sign_in`, those of that sign-in),
        each in a task of its own (the disconnect handler may wait for the socket to settle;
        this runs in the Redis listener)."""
        server: socketio.AsyncServer | None = getattr(self, "server", None)
        if server is None or room is None:  # a write-only emitter holds no sockets
            return
        sids = [sid for sid, _ in self.get_participants(namespace, room)]  # type: ignore[attr-defined]
        for sid in [sid for sid in sids if sign_in is None or self.sign_in_of(sid) == sign_in]:
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
        self._floors[sid] = seq

    def floor(self, sid: str) -> int:
        return self._floors.get(sid, 0)

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
            elif seq is not None and seq <= self._floors.get(sid, 0):
                skip.append(sid)
        return skip

    async def emit(  # type: ignore[no-untyped-def]
        self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None, **kwargs
    ):
        target = to or room
        if event == KICK:
            sign_in = None
            if isinstance(data, dict) and isinstance(data.get("user_id"), int):
                identity.forget(data["user_id"])
                sign_in = data.get("sign_in") if isinstance(data.get("sign_in"), str) else None
            self._kick(namespace, target, sign_in)
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


@dataclass
class _Line:
    """One entity's events as this process delivers them: every seq from `low` to `high`, then
    those that came after a missing one, held (`held`, seq → message) until it comes. The first
    ones are held HOLD_FOR_GAP too, for lower seqs a moment behind them to go first."""

    entity_id: int
    low: int
    high: int
    fresh: bool = True  # nothing delivered yet: where the line starts is not known
    failed_reads: int = 0  # outbox reads for the missing seq that failed in a row
    held: dict[int, Any] = field(default_factory=dict)
    late: set[int] = field(default_factory=set)  # delivered below `low`, not next to it (yet)
    timer: asyncio.TimerHandle | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def database_channel(url: str, channel: str) -> str:
    """The channel of the deployment on `url`'s Redis database. Deployments sharing a Redis
    server keep apart by database number, but pub/sub ignores it: on one channel each would push
    the other's events to its sockets (another tenant's entity of the same id) and, its seqs
    out of line, drop its own. Database 0 keeps the bare name."""
    db = int(parse_url(url).get("db") or 0)
    return f"{channel}:db{db}" if db else channel


class StrictRedisManager(socketio.AsyncRedisManager):
    """python-socketio's Redis manager, made to tell when Redis is away, and to deliver each
    entity's events here in seq order, once.

    Its own `_publish` logs and drops an emit Redis refused, so the publisher would note a lost
    event as delivered and the relay would never send it again; here the error reaches the
    caller, and the event stays for the relay. Its listener retried with a doubling sleep of up
    to 60 s (the process's sockets deaf for a minute after Redis returned) and logged every try;
    here it retries every RESUBSCRIBE seconds and reports the outage once (salesmagnet.outages).
    Both are python-socketio's documented internals for subclasses of its pub/sub manager.

    **In order, once.** Every emit reaches this process's sockets through `_handle_emit`: its
    own commits at once (python-socketio delivers here before it publishes), other processes'
    through Redis a moment later. So two processes committing together would hand their sockets
    seq 31 before 30, and a client resuming from the last seq it saw would never get 30; and the
    relay's copy of an event whose process died before noting it would arrive twice. Here each
    entity's events pass in seq order: one after a missing seq is held until it comes, for at
    most HOLD_FOR_GAP, then the missing ones are read from the outbox (seqs are handed out under
    the entity's sequence row lock, so a committed seq means every lower one is committed); an
    event at or below the last one delivered here was delivered already and is dropped. A Redis
    outage is the same case: this process's commits still reach its sockets, each after the
    others' events before it, read from the outbox; what came meanwhile is read again when the
    listener subscribes again. An entity's first events here are held HOLD_FOR_GAP too, for a
    lower seq a moment behind to go first; a copy of an event committed before this process
    began (the relay's, after a crash) is dropped: no socket here was open to miss it. Only a
    lower seq more than HOLD_FOR_GAP behind an entity's first event here may still pass out of
    order. A failed outbox read is tried again (FILL_RETRY) before the line moves past it.
    """

    def __init__(self, url: str, channel: str, bound: float, write_only: bool = False) -> None:
        # No socket_timeout: the listener blocks on its subscription between messages.
        super().__init__(
            url,
            channel=database_channel(url, channel),
            write_only=write_only,
            redis_options={"socket_connect_timeout": bound},
        )
        self.bound = bound
        self._lines: dict[int, _Line] = {}  # entity → its events delivered here
        self._since = time.time()  # no socket here was open for what was committed before
        self._fills: set[asyncio.Task[None]] = set()
        self._cut = False  # the listener was cut off: what came meanwhile is read on return
        self._subscribed = False

    async def _publish(self, data: Any) -> Any:
        try:
            if not self.connected:
                self._redis_connect()
            async with asyncio.timeout(self.bound):
                return await self.redis.publish(self.channel, self.json.dumps(data))
        except TimeoutError:
            raise outages.DependencyTimeout(outages.REDIS, self.bound) from None

    async def _handle_emit(self, message: Any) -> None:
        numbered = None if self.write_only else _numbered(message)
        if numbered is None:  # nothing to order (or no sockets here)
            await super()._handle_emit(message)
            return
        entity_id, seq = numbered
        line = self._lines.get(entity_id)
        if (line is None or seq < line.low) and _committed_at(message) < self._since:
            return  # a relayed copy of what was committed before this process (its sockets) began
        if line is None:
            line = self._lines[entity_id] = _Line(entity_id, seq, seq - 1)
        async with line.lock:
            if line.fresh and seq < line.low:
                line.low, line.high = seq, seq - 1  # the line starts lower
            if line.low <= seq <= line.high or seq in line.held or seq in line.late:
                return  # delivered here already (a relayed copy, or the catch-up's)
            if seq < line.low:  # older than any seen here: late, but not lost
                line.late.add(seq)
                while line.low - 1 in line.late:
                    line.late.discard(line.low - 1)
                    line.low -= 1
                await super()._handle_emit(message)
            elif seq > line.high + 1 or line.fresh:
                line.held[seq] = message
                self._wait_for_gap(line)
            else:
                await self._pass(line, seq, message)

    async def _pass(self, line: _Line, seq: int, message: Any) -> None:
        """Deliver the next seq, then those held after it that now follow on."""
        await super()._handle_emit(message)
        line.high = seq
        while (after := line.held.pop(line.high + 1, None)) is not None:
            await super()._handle_emit(after)
            line.high += 1
        if not line.held and line.timer is not None:
            line.timer.cancel()
            line.timer = None
        self._wait_for_gap(line)

    def _wait_for_gap(self, line: _Line, delay: float = HOLD_FOR_GAP) -> None:
        """Events are held after a missing seq: read it in `delay` unless it comes."""
        if line.held and line.timer is None:
            loop = asyncio.get_running_loop()
            line.timer = loop.call_later(delay, self._fill_soon, line.entity_id)

    def _fill_soon(self, entity_id: int) -> None:
        task = asyncio.get_running_loop().create_task(self._fill(entity_id))
        self._fills.add(task)
        task.add_done_callback(self._fills.discard)

    async def _fill(self, entity_id: int) -> None:
        """A missing seq did not come within HOLD_FOR_GAP: read it (and any others up to the
        first held) from the outbox and deliver them; one no longer kept is passed over."""
        line = self._lines[entity_id]
        async with line.lock:
            line.timer = None
            if not line.held:
                return
            first = min(line.held)
            if line.fresh:  # what came first starts the line
                line.fresh = False
                await self._pass(line, first, line.held.pop(first))
                return
            try:
                while line.high + 1 < first:
                    wanted = min(first - line.high - 1, FILL_PAGE)
                    found = await events.replay_after(entity_id, line.high, limit=wanted)
                    if not (found := [r for r in found if r.seq < first]):
                        break
                    for record in found:
                        await super()._handle_emit(_message(record, self.host_id))
                        line.high = record.seq
            except Exception as exc:  # the database away too: try again, a while
                line.failed_reads += 1
                if line.failed_reads < FILL_TRIES:
                    outages.report(exc)
                    self._wait_for_gap(line, FILL_RETRY)
                    return
                outages.log_failure(log, exc, "events of entity %d missed here could not be read", entity_id)
            line.failed_reads = 0
            await self._pass(line, first, line.held.pop(first))

    async def _catch_up(self) -> None:
        """Deliver here what other processes published while this listener was cut off: each
        entity's events after the last seq delivered here (an entity this process had delivered
        nothing of is not known to it)."""
        for entity_id, line in list(self._lines.items()):
            after = line.high
            while batch := await events.replay_after(entity_id, after):
                for record in batch:
                    await self._handle_emit(_message(record, self.host_id))
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
                    if self._cut:  # from here on, messages wait in the subscription
                        await self._catch_up_quietly()
                        self._cut = False
                async for message in self.pubsub.listen():
                    yield message
            except Exception as exc:
                outages.log_failure(log, exc, "Socket.IO Redis listener failed; subscribing again")
                self._subscribed = False
                self._cut = True
                await asyncio.sleep(RESUBSCRIBE)

    async def _catch_up_quietly(self) -> None:
        try:
            await self._catch_up()
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


def _committed_at(message: Any) -> float:
    """When a numbered event was committed (epoch seconds; its `at`), or +inf if it says not."""
    payload = _payload(message) or {}
    try:
        return datetime.fromisoformat(str(payload["at"]).replace("Z", "+00:00")).timestamp()
    except (KeyError, ValueError):
        return math.inf


def _numbered(message: Any) -> tuple[int, int] | None:
    """(entity, seq) of an emit of a committed event; None for anything else."""
    payload = _payload(message) if message.get("method") == "emit" else None
    if payload is None:
        return None
    entity_id, seq = payload.get("entity_id"), payload.get("seq")
    if type(entity_id) is not int or type(seq) is not int:
        return None
    return entity_id, seq


class GatedRedisManager(StrictRedisManager, GatedManager):
    """Several processes: emits travel through Redis, and arrive through GatedManager.emit."""

    def __init__(self, url: str, channel: str, bound: float) -> None:
        StrictRedisManager.__init__(self, url, channel, bound)
        self._gate_init()
