"""What services need from the running process, handed to them explicitly."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from salesmagnet.config import Settings
from salesmagnet.mail import Mailer
from salesmagnet.presence.store import MemoryPresence, PresenceStore, RedisPresence
from salesmagnet.queue import JobQueue
from salesmagnet.ratelimit import FallbackLimiter, Limiter, MemoryLimiter, RedisLimiter
from salesmagnet.redisconn import client


@dataclass
class Deps:
    settings: Settings
    limiter: Limiter
    mailer: Mailer
    presence: PresenceStore
    redis: Redis | None = None
    queue: JobQueue | None = None  # set by the entry point that runs jobs (server.py or the worker)

    @classmethod
    def build(cls, settings: Settings) -> Deps:
        redis = client(settings.redis_url) if settings.redis_url else None
        # Without Redis the limits are per process; that is also the fallback while it is away.
        limiter: Limiter = FallbackLimiter(RedisLimiter(redis)) if redis else MemoryLimiter()
        presence: PresenceStore = RedisPresence(redis) if redis else MemoryPresence()
        return cls(
            settings=settings, limiter=limiter, mailer=Mailer(settings), presence=presence, redis=redis
        )

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
