"""What services need from the running process, handed to them explicitly."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from salesmagnet.config import Settings
from salesmagnet.mail import Mailer
from salesmagnet.ratelimit import Limiter, MemoryLimiter, RedisLimiter


@dataclass
class Deps:
    settings: Settings
    limiter: Limiter
    mailer: Mailer
    redis: Redis | None = None

    @classmethod
    def build(cls, settings: Settings) -> Deps:
        redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
        limiter: Limiter = RedisLimiter(redis) if redis else MemoryLimiter()
        return cls(settings=settings, limiter=limiter, mailer=Mailer(settings), redis=redis)

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
