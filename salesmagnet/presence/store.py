"""Who is connected: counted per user across every socket and, with Redis, every process.

A connection is "<process id>:<sid>". With Redis each process keeps a heartbeat key; the sweep
drops connections of processes whose heartbeat lapsed (a crash leaves no one online forever).
A sweep that follows the last one (by any worker, on Redis's clock) by more than a heartbeat's
life judges nothing: Redis, or every worker, was away meanwhile, so no process could renew its
heartbeat either; the next sweep, after the processes have, judges again.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime

from redis.asyncio import Redis

from salesmagnet import outages
from salesmagnet.deps import PresenceStore
from salesmagnet.errors import ServiceUnavailable

HEARTBEAT_TTL = 15  # seconds a process's heartbeat lasts (the sweep runs every 10 s)
SWEPT_KEPT = 24 * 3600  # seconds the time of the last sweep is kept


def now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class MemoryPresence:
    def __init__(self) -> None:
        self.process_id = uuid.uuid4().hex[:12]
        self._conns: dict[tuple[int, int], set[str]] = defaultdict(set)
        self._since: dict[int, dict[int, str]] = defaultdict(dict)

    async def join(self, entity_id: int, user_id: int, conn: str) -> str | None:
        conns = self._conns[(entity_id, user_id)]
        conns.add(conn)
        if len(conns) > 1:
            return None
        self._since[entity_id][user_id] = now_iso()
        return self._since[entity_id][user_id]

    async def leave(self, entity_id: int, user_id: int, conn: str) -> bool:
        conns = self._conns.get((entity_id, user_id))
        if not conns or conn not in conns:
            return False
        conns.discard(conn)
        if conns:
            return False
        del self._conns[(entity_id, user_id)]
        self._since[entity_id].pop(user_id, None)
        return True

    async def online(self, entity_id: int) -> dict[int, str]:
        return dict(self._since.get(entity_id, {}))

    async def connections(self, entity_id: int, user_id: int) -> int:
        return len(self._conns.get((entity_id, user_id), ()))

    async def heartbeat(self) -> bool:
        return False

    async def sweep(self) -> list[tuple[int, int]]:
        return []


_JOIN = """
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[3])
if redis.call('SCARD', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
  return 1
end
return 0
"""
_LEAVE = """
if redis.call('SREM', KEYS[1], ARGV[1]) == 1 and redis.call('SCARD', KEYS[1]) == 0 then
  redis.call('HDEL', KEYS[2], ARGV[2])
  return 1
end
return 0
"""


class RedisPresence:
    def __init__(self, redis: Redis, prefix: str = "salesmagnet:presence") -> None:
        self.process_id = uuid.uuid4().hex[:12]
        self._redis = redis
        self._prefix = prefix

    def _conns(self, entity_id: int, user_id: int) -> str:
        return f"{self._prefix}:conns:{entity_id}:{user_id}"

    def _since(self, entity_id: int) -> str:
        return f"{self._prefix}:since:{entity_id}"

    def _proc(self, process_id: str) -> str:
        return f"{self._prefix}:proc:{process_id}"

    async def join(self, entity_id: int, user_id: int, conn: str) -> str | None:
        since = now_iso()
        keys = [self._conns(entity_id, user_id), self._since(entity_id), f"{self._prefix}:entities"]
        first = await self._redis.eval(_JOIN, 3, *keys, conn, str(user_id), str(entity_id), since)  # type: ignore[misc]
        return since if int(first) else None

    async def leave(self, entity_id: int, user_id: int, conn: str) -> bool:
        keys = [self._conns(entity_id, user_id), self._since(entity_id)]
        return bool(int(await self._redis.eval(_LEAVE, 2, *keys, conn, str(user_id))))  # type: ignore[misc]

    async def online(self, entity_id: int) -> dict[int, str]:
        try:
            raw = await self._redis.hgetall(self._since(entity_id))  # type: ignore[misc]
        except Exception as exc:
            if outages.report(exc) != outages.REDIS:
                raise
            raise ServiceUnavailable("Presence is unavailable right now; try again shortly") from None
        return {int(k): v.decode() if isinstance(v, bytes) else v for k, v in raw.items()}

    async def connections(self, entity_id: int, user_id: int) -> int:
        return int(await self._redis.scard(self._conns(entity_id, user_id)))  # type: ignore[misc]

    async def heartbeat(self) -> bool:
        """Renew this process's heartbeat; True when it had lapsed (Redis restarted empty, or
        was away long enough for the sweep to drop this process's connections)."""
        before = await self._redis.set(self._proc(self.process_id), "1", ex=HEARTBEAT_TTL, get=True)
        return before is None

    async def sweep(self) -> list[tuple[int, int]]:
        seconds, micros = await self._redis.time()
        now = seconds + micros / 1_000_000
        last = await self._redis.set(f"{self._prefix}:swept", repr(now), ex=SWEPT_KEPT, get=True)
        if last is None or now - float(last) > HEARTBEAT_TTL:
            return []  # a heartbeat lapsed meanwhile may be one Redis's absence kept from renewing
        gone = []
        for raw_entity in await self._redis.smembers(f"{self._prefix}:entities"):  # type: ignore[misc]
            entity_id = int(raw_entity)
            for user_id in await self.online(entity_id):
                key = self._conns(entity_id, user_id)
                for raw in await self._redis.smembers(key):  # type: ignore[misc]
                    conn = raw.decode() if isinstance(raw, bytes) else raw
                    if not await self._redis.exists(self._proc(conn.split(":", 1)[0])):
                        if await self.leave(entity_id, user_id, conn):
                            gone.append((entity_id, user_id))
        return gone


def build(redis: Redis | None) -> PresenceStore:
    """The store Deps holds: shared through Redis when there is one, else this process's own."""
    return RedisPresence(redis) if redis is not None else MemoryPresence()
