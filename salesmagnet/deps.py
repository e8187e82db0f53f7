"""What services need from the running process, handed to them explicitly."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from redis.asyncio import Redis

from salesmagnet import db, outages
from salesmagnet.config import Settings
from salesmagnet.mail import Mailer
from salesmagnet.queue import JobQueue
from salesmagnet.ratelimit import FallbackLimiter, Limiter, MemoryLimiter, RedisLimiter

R = TypeVar("R", bound=Redis)


def redis_client(url: str, bound: float, kind: type[R]) -> R:
    """A Redis client (not yet connected) whose connects and commands give up after `bound` s."""
    return kind.from_url(url, socket_connect_timeout=bound, socket_timeout=bound)


class PresenceStore(Protocol):
    """Who is online; salesmagnet.presence.store builds one, the entry points hand it over."""

    process_id: str

    async def join(self, entity_id: int, user_id: int, conn: str) -> str | None:
        """Record a connection; the user's `since` when it is their first (they came online)."""

    async def leave(self, entity_id: int, user_id: int, conn: str) -> bool:
        """Drop a connection; True when it was the user's last (they went offline)."""

    async def online(self, entity_id: int) -> dict[int, str]:
        """user id → online since, for one entity."""

    async def connections(self, entity_id: int, user_id: int) -> int:
        """How many connections of the user are recorded (every process's, with Redis)."""

    async def heartbeat(self) -> bool:
        """Keep this process's connections alive; True when they may have been lost meanwhile."""

    async def sweep(self) -> list[tuple[int, int]]:
        """Drop connections of dead processes; the (entity, user) pairs that went offline."""


@dataclass
class Deps:
    settings: Settings
    limiter: Limiter
    mailer: Mailer
    presence: PresenceStore
    redis: Redis | None = None
    queue: JobQueue | None = None  # set by the entry point that runs jobs (server.py or the worker)

    @classmethod
    def build(cls, settings: Settings, presence: Callable[[Redis | None], PresenceStore]) -> Deps:
        """`presence` builds the presence store from the Redis client (None without Redis)."""
        redis = (
            redis_client(settings.redis_url, settings.redis_timeout, Redis) if settings.redis_url else None
        )
        # Without Redis the limits are per process; that is also the fallback while it is away.
        limiter: Limiter = FallbackLimiter(RedisLimiter(redis)) if redis else MemoryLimiter()
        deps = cls(
            settings=settings,
            limiter=limiter,
            mailer=Mailer(settings),
            presence=presence(redis),
            redis=redis,
        )
        if redis is not None:
            outages.watch(outages.REDIS, deps.ping_redis)
        return deps

    async def probe(self) -> dict[str, bool]:
        """Whether each dependency answers now (database; Redis when configured), in parallel."""
        names = [outages.DATABASE, *([outages.REDIS] if self.redis is not None else [])]
        results = await asyncio.gather(db.ping(), *([self.ping_redis()] if self.redis is not None else []))
        for name, up in zip(names, results, strict=True):
            if up:
                outages.DEPENDENCIES[name].answered()
        return dict(zip(names, results, strict=True))

    async def ping_redis(self) -> bool:
        """True when Redis answers PING within its bound (/ready answers within a second); never
        raises."""
        try:
            async with asyncio.timeout(min(self.settings.redis_timeout, db.PING_BOUND)):
                return bool(await self.redis.ping())  # type: ignore[union-attr]
        except Exception:
            return False

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
