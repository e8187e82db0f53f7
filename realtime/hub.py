"""The Socket.IO server mounted beside the Sanic app (same port, path /socket.io).

Connect: `auth={"token": …, "last_seq": N?}`. The socket enters exactly `entity:<id>` and
`user:<id>`; no handler lets it join anything else. With `last_seq`, its missed events are
replayed in order (after a `resync` when N is older than what is kept) before any live one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

import socketio
from sanic import Sanic

from realtime.manager import CHANNEL, KICK, NAMESPACE, GatedManager, GatedRedisManager
from realtime.publisher import RoomPublisher
from salesmagnet import events, lifecycle, metrics, outages
from salesmagnet.auth import identity, sessions, tokens
from salesmagnet.auth import service as auth_service
from salesmagnet.errors import AppError
from salesmagnet.presence import service as presence
from salesmagnet.tenancy import Actor

log = logging.getLogger(__name__)
HEARTBEAT_EVERY = 5.0  # a third of presence's HEARTBEAT_TTL: two beats may be late
REPLAY_PAGE = 500
REPLAY_RETRY, REPLAY_TRIES = 0.5, 20  # a replay the database failed: tried again this often, so often
RECHECK_EVERY = 30.0  # seconds between checks that each socket's user still stands as it did


class Refused(socketio.exceptions.ConnectionRefusedError):
    """A refused connect; the client's connect_error carries the message."""


def parse_auth(auth: Any) -> tuple[str, int | None]:
    if not isinstance(auth, dict) or not isinstance(auth.get("token"), str) or not auth["token"]:
        raise Refused("auth.token is required")
    last_seq = auth.get("last_seq")
    if last_seq is not None and (isinstance(last_seq, bool) or not isinstance(last_seq, int) or last_seq < 0):
        raise Refused("last_seq must be a non-negative integer (or null for no replay)")
    return auth["token"], last_seq


class Hub:
    def __init__(self, app: Sanic) -> None:
        url = app.ctx.settings.redis_url
        self.manager: GatedManager = (
            GatedRedisManager(url, CHANNEL, app.ctx.settings.redis_timeout) if url else GatedManager()
        )
        self.sio = socketio.AsyncServer(
            async_mode="asgi",
            client_manager=self.manager,
            cors_allowed_origins="*",
            logger=False,
            engineio_logger=False,
        )
        self.sio.on("connect", self.connect)
        self.sio.on("disconnect", self.disconnect)
        self._settled: dict[str, asyncio.Event] = {}
        self._standing: dict[str, sessions.Standing] = {}
        self._present: dict[str, Actor] = {}  # settled sockets, recorded in presence again when lost
        self._tasks: set[asyncio.Task[None]] = set()
        self.manager.sign_in_of = self._sign_in_of
        app.ctx.hub = self
        app.before_server_start(self.start)
        app.after_server_stop(self.stop)

    async def start(self, app: Sanic) -> None:
        self._deps = app.ctx.deps
        self.publisher = RoomPublisher(self.sio.emit)
        self.publisher.start()
        events.set_publisher(self.publisher)
        sessions.set_listener(self.kick)
        identity.trust_while(self.manager.notices_arrive)
        loop = asyncio.get_running_loop()
        self._beat = loop.create_task(self._heartbeat(), name="presence-heartbeat")
        self._check = loop.create_task(self._rechecks(), name="socket-recheck")

    async def stop(self, app: Sanic) -> None:
        await lifecycle.stop_tasks([self._beat, self._check, *self._tasks])
        await self.publisher.close()
        events.set_publisher(None)
        sessions.set_listener(None)
        identity.trust_while(None)

    async def kick(self, user_id: int, sign_in: str | None = None) -> None:
        """Disconnect the user's sockets in every process (the manager's KICK); with `sign_in`,
        only those opened with a token of that sign-in."""
        data = {"user_id": user_id, "sign_in": sign_in}
        await self.sio.emit(KICK, data, room=f"user:{user_id}", namespace=NAMESPACE)

    def _sign_in_of(self, sid: str) -> str | None:
        standing = self._standing.get(sid)
        return standing.sign_in if standing else None

    async def recheck(self) -> int:
        """Disconnect this process's sockets whose token expired or whose user no longer stands
        as it connected (deactivated, another session version or role); returns how many."""
        stale = await sessions.lapsed(dict(self._standing))
        for sid in stale:
            await self.sio.disconnect(sid, namespace=NAMESPACE, ignore_queue=True)
        return len(stale)

    async def _rechecks(self) -> None:
        while True:
            await asyncio.sleep(RECHECK_EVERY)
            try:
                await self.recheck()
            except Exception as exc:
                outages.log_failure(log, exc, "re-checking sockets failed")

    async def _heartbeat(self) -> None:
        while True:
            try:
                if await self._deps.presence.heartbeat():
                    await presence.rejoin(self._deps.presence, self._present)
            except Exception as exc:
                outages.log_failure(log, exc, "presence heartbeat failed")
            await asyncio.sleep(HEARTBEAT_EVERY)

    async def connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        token, last_seq = parse_auth(auth)
        try:
            actor = await auth_service.actor_for_token(self._deps.settings.jwt_secret, token)
            claims, expires = tokens.access_claims_until(self._deps.settings.jwt_secret, token)
        except AppError as exc:
            raise Refused(exc.message) from None
        except Exception as exc:
            if outages.report(exc) is None:
                log.exception("socket authentication failed")
                raise Refused("Server error, try again") from None
            raise Refused("Service unavailable, try again shortly") from None
        self.manager.hold(sid)  # before the rooms: no live event can slip past the replay
        await self.sio.enter_room(sid, f"entity:{actor.entity_id}")
        await self.sio.enter_room(sid, f"user:{actor.user_id}")
        await self.sio.save_session(sid, {"actor": actor})
        assert actor.user_id is not None
        self._standing[sid] = sessions.Standing(
            actor.user_id, claims.session_version, actor.role, expires, claims.sign_in
        )
        self._settled[sid] = asyncio.Event()
        self._spawn(self._settle(sid, actor, last_seq))
        metrics.socket_opened()

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _settle(self, sid: str, actor: Actor, last_seq: int | None) -> None:
        """After the connect is acknowledged: replay, release live events, announce presence."""
        settled = self._settled[sid]  # a quick disconnect takes it from the map while this runs
        try:
            for _ in range(2000):
                if self.manager.is_connected(sid, NAMESPACE):
                    break
                await asyncio.sleep(0.001)
            if last_seq is not None and not await self._replay_patiently(sid, actor.entity_id, last_seq):
                if sid in self._settled:  # missed events it cannot be given: no silent gap
                    self._spawn(self.sio.disconnect(sid, namespace=NAMESPACE))
                return
            await self._release(sid)
            self._present[sid] = actor
            await presence.connected(self._deps.presence, actor, sid)
        except Exception as exc:  # Redis away: the socket works, presence misses it
            outages.log_failure(log, exc, "settling socket %s failed", sid)
            await self._release(sid)
        finally:
            settled.set()

    async def _replay_patiently(self, sid: str, entity_id: int, last_seq: int) -> bool:
        """Replay, tried again while the database is away or slow (a reconnect storm past
        DB_TIMEOUT) while the socket is there; its live events wait meanwhile. False when the
        database never answered or the socket went first."""
        for _ in range(REPLAY_TRIES):
            try:
                await self._replay(sid, entity_id, last_seq)
                return True
            except Exception as exc:
                if outages.report(exc) is None:
                    raise
            await asyncio.sleep(REPLAY_RETRY)
            if sid not in self._settled:
                return False
        return False

    async def _replay(self, sid: str, entity_id: int, last_seq: int) -> None:
        """Send what the socket missed; tried again, it goes on after what it was sent (floor)."""
        oldest, current = await events.bounds(entity_id)
        after = max(last_seq, self.manager.floor(sid))
        # Everything up to here is committed: the client has it or gets it below, so a late
        # live publication of it (another process, Redis) must not reach this socket again.
        self.manager.set_floor(sid, min(after, current))
        if after >= current:
            return
        if after < oldest - 1:
            await self.manager.send_direct(sid, "resync", {"from_seq": oldest, "current_seq": current})
            after = oldest - 1
            self.manager.set_floor(sid, after)
        while True:
            batch = await events.replay_after(entity_id, after, REPLAY_PAGE)
            if batch and batch[0].seq > after + 1:  # seqs have no gaps: retention dropped these
                resync = {"from_seq": batch[0].seq, "current_seq": max(current, batch[-1].seq)}
                await self.manager.send_direct(sid, "resync", resync)
            for record in batch:
                await self.manager.send_direct(sid, record.name, record.payload)
            if batch:
                after = batch[-1].seq
                self.manager.set_floor(sid, after)
            if len(batch) < REPLAY_PAGE:
                return

    async def _release(self, sid: str) -> None:
        """Flush held live events in order (the hold ends when nothing more is held)."""
        while (held := self.manager.take_held(sid)) is not None:
            floor = self.manager.floor(sid)
            for event, data in held:
                if isinstance(data, dict) and isinstance(data.get("seq"), int) and data["seq"] <= floor:
                    continue
                await self.manager.send_direct(sid, event, data)

    async def disconnect(self, sid: str, *reason: Any) -> None:
        self._standing.pop(sid, None)
        settled = self._settled.pop(sid, None)
        if settled is not None:
            try:
                await asyncio.wait_for(settled.wait(), timeout=30)
            except TimeoutError:
                log.warning("socket %s disconnected before it settled", sid)
        self._present.pop(sid, None)
        session = await self.sio.get_session(sid)
        self.manager.forget(sid)
        if "actor" in session:
            metrics.socket_closed()
            try:
                await presence.disconnected(self._deps.presence, session["actor"], sid)
            except Exception as exc:  # Redis away: the sweep takes this process's users offline
                outages.log_failure(log, exc, "presence of socket %s not recorded", sid)


def create(app: Sanic) -> socketio.AsyncServer:
    """The Socket.IO server for this app; its lifecycle follows the app's."""
    return Hub(app).sio
