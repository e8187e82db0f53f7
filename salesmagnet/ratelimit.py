"""Failure counters in fixed windows: in process, or in Redis shared by every process.

A window opens at the first counted failure and lasts `window` seconds; once a key holds
`limit` failures, callers are refused with the seconds left (for Retry-After).
"""

from __future__ import annotations

import time
from typing import Protocol

from redis.asyncio import Redis

from salesmagnet.errors import TooManyRequests


class Limiter(Protocol):
    async def blocked_for(self, key: str, limit: int) -> int:
        """Seconds until `key` may try again (0: not blocked)."""
        ...

    async def hit(self, key: str, window: int) -> int:
        """Count one failure; returns the count in the current window."""
        ...

    async def reset(self, key: str) -> None: ...

    async def clear(self) -> None: ...


class MemoryLimiter:
    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}  # key -> (ends at, count)

    def _live(self, key: str) -> tuple[float, int] | None:
        entry = self._windows.get(key)
        if entry and entry[0] <= time.monotonic():
            del self._windows[key]
            return None
        return entry

    async def blocked_for(self, key: str, limit: int) -> int:
        entry = self._live(key)
        if entry is None or entry[1] < limit:
            return 0
        return max(1, int(entry[0] - time.monotonic() + 0.999))

    async def hit(self, key: str, window: int) -> int:
        entry = self._live(key)
        ends, count = entry if entry else (time.monotonic() + window, 0)
        self._windows[key] = (ends, count + 1)
        if len(self._windows) > 100_000:  # bound memory under a spray of keys
            self._windows = {k: v for k, v in self._windows.items() if v[0] > time.monotonic()}
        return count + 1

    async def reset(self, key: str) -> None:
        self._windows.pop(key, None)

    async def clear(self) -> None:
        self._windows.clear()


class RedisLimiter:
    # INCR and open the window on the first failure, atomically.
    _HIT = (
        "local n = redis.call('INCR', KEYS[1]) "
        "if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n"
    )

    def __init__(self, redis: Redis, prefix: str = "salesmagnet:rl:") -> None:
        self._redis = redis
        self._prefix = prefix

    async def blocked_for(self, key: str, limit: int) -> int:
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.get(self._prefix + key)
            pipe.ttl(self._prefix + key)
            count, ttl = await pipe.execute()
        if count is None or int(count) < limit:
            return 0
        return max(1, int(ttl))

    async def hit(self, key: str, window: int) -> int:
        count = await self._redis.eval(self._HIT, 1, self._prefix + key, str(window))  # type: ignore[misc]
        return int(count)

    async def reset(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)

    async def clear(self) -> None:
        async for key in self._redis.scan_iter(match=self._prefix + "*", count=500):
            await self._redis.delete(key)


async def guard(limiter: Limiter, keys: dict[str, int], message: str) -> None:
    """Raise TooManyRequests when any key has reached its limit ({key: limit})."""
    wait = 0
    for key, limit in keys.items():
        wait = max(wait, await limiter.blocked_for(key, limit))
    if wait:
        raise TooManyRequests(message, retry_after=wait)
