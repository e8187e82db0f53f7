"""Attempt counters in fixed windows: in process, or in Redis shared by every process.

A window opens at the first counted attempt and lasts `window` seconds. An attempt is counted
BEFORE the work it guards (a password hash, a code check), in one atomic step that also says
whether it may go ahead, so parallel attempts cannot all read "not yet at the limit" and pass
together. An attempt that turns out not to be a failure is taken back (`release`) or, for a
successful login, its key reset.

Redis away: FallbackLimiter limits per process until Redis answers again, so logins and
deliveries keep working (with per-process limits) instead of failing; once Redis answers, what
was counted (and reset) meanwhile is carried to the shared counts, so attempts made during an
outage still count after it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from redis.asyncio import Redis

from salesmagnet import outages
from salesmagnet.errors import TooManyRequests

log = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_REDIS_EVERY = 5.0  # seconds the fallback limits per process before asking Redis again


class Limiter(Protocol):
    async def attempt(self, key: str, limit: int, window: int) -> int:
        """Count one attempt at `key` if fewer than `limit` are counted in its window: 0 when
        it was counted (go ahead), else the seconds until the window ends (nothing counted)."""
        ...

    async def release(self, key: str) -> None:
        """Take back one counted attempt (it was not a failure)."""
        ...

    async def reset(self, key: str) -> None: ...

    async def clear(self) -> None: ...

    async def add(self, key: str, count: int, seconds: int) -> None:
        """Count `count` attempts counted elsewhere, in a window of at least `seconds` left."""
        ...


class MemoryLimiter:
    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}  # key -> (ends at, count)

    def _live(self, key: str, now: float) -> tuple[float, int] | None:
        entry = self._windows.get(key)
        if entry and entry[0] <= now:
            del self._windows[key]
            return None
        return entry

    async def attempt(self, key: str, limit: int, window: int) -> int:
        # No await in here: one step of the event loop, so atomic within the process.
        now = time.monotonic()
        ends, count = self._live(key, now) or (now + window, 0)
        if count >= limit:
            return max(1, int(ends - now + 0.999))
        self._windows[key] = (ends, count + 1)
        if len(self._windows) > 100_000:  # bound memory under a spray of keys
            self._windows = {k: v for k, v in self._windows.items() if v[0] > now}
        return 0

    async def release(self, key: str) -> None:
        entry = self._live(key, time.monotonic())
        if entry and entry[1] > 0:
            self._windows[key] = (entry[0], entry[1] - 1)

    async def reset(self, key: str) -> None:
        self._windows.pop(key, None)

    async def clear(self) -> None:
        self._windows.clear()

    async def add(self, key: str, count: int, seconds: int) -> None:
        now = time.monotonic()
        ends, counted = self._live(key, now) or (now + seconds, 0)
        self._windows[key] = (max(ends, now + seconds), counted + count)

    def counted(self) -> list[tuple[str, int, int]]:
        """Each live window with a count: its key, its count and the whole seconds it has left."""
        now = time.monotonic()
        return [(k, c, math.ceil(e - now)) for k, (e, c) in list(self._windows.items()) if e > now and c > 0]

    def take(self, key: str, count: int) -> None:
        """Take back `count` attempts from `key`'s window (they are counted elsewhere now)."""
        entry = self._live(key, time.monotonic())
        if entry:
            self._windows[key] = (entry[0], max(0, entry[1] - count))


class RedisLimiter:
    # Count, open the window on the first attempt, and take the count back when it is over
    # the limit: one script, so atomic across every process.
    _ATTEMPT = """
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if n == 1 or ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
if n > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return math.max(ttl, 1)
end
return 0
"""
    _ADD = """
redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('TTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
    _RELEASE = """
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
return 0
"""

    def __init__(self, redis: Redis, prefix: str = "salesmagnet:rl:") -> None:
        self._redis = redis
        self._prefix = prefix

    async def attempt(self, key: str, limit: int, window: int) -> int:
        wait = await self._redis.eval(self._ATTEMPT, 1, self._prefix + key, str(limit), str(window))  # type: ignore[misc]
        return int(wait)

    async def release(self, key: str) -> None:
        await self._redis.eval(self._RELEASE, 1, self._prefix + key)  # type: ignore[misc]

    async def reset(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)

    async def add(self, key: str, count: int, seconds: int) -> None:
        await self._redis.eval(self._ADD, 1, self._prefix + key, str(count), str(seconds))  # type: ignore[misc]

    async def clear(self) -> None:
        async for key in self._redis.scan_iter(match=self._prefix + "*", count=500):
            await self._redis.delete(key)


class FallbackLimiter:
    """The shared limiter, or per-process limits while it cannot be reached (logged once when
    it goes away and once when it is back); Redis is asked again every RETRY_REDIS_EVERY s."""

    def __init__(self, shared: Limiter, retry_every: float = RETRY_REDIS_EVERY) -> None:
        self.shared = shared
        self.local = MemoryLimiter()
        self._retry_every = retry_every
        self._down_until: float | None = None  # set while Redis is away
        self._cleared: set[str] = set()  # keys reset while Redis was away
        self._carrying = asyncio.Lock()

    async def _run(self, call: Callable[[Limiter], Awaitable[T]]) -> T:
        if self._down_until is not None and time.monotonic() < self._down_until:
            return await call(self.local)
        try:
            if self._down_until is not None:
                await self._carry_back()
            result = await call(self.shared)
        except Exception as exc:
            if outages.report(exc) != outages.REDIS:
                raise
            if self._down_until is None:
                log.warning("rate limits: Redis unreachable (%s); limiting per process until it is back", exc)
            self._down_until = time.monotonic() + self._retry_every
            return await call(self.local)
        if self._down_until is not None:
            log.warning("rate limits: Redis is back; limits are shared again")
            self._down_until = None
        return result

    async def attempt(self, key: str, limit: int, window: int) -> int:
        return await self._run(lambda limiter: limiter.attempt(key, limit, window))

    async def release(self, key: str) -> None:
        await self._run(lambda limiter: limiter.release(key))

    async def reset(self, key: str) -> None:
        await self._run(lambda limiter: limiter.reset(key))
        if self._down_until is not None:  # reset here only: the shared count is reset on return
            self._cleared.add(key)

    async def clear(self) -> None:
        await self.local.clear()
        self._cleared.clear()
        await self._run(lambda limiter: limiter.clear())

    async def add(self, key: str, count: int, seconds: int) -> None:
        await self._run(lambda limiter: limiter.add(key, count, seconds))

    async def _carry_back(self) -> None:
        """Hand what was counted here while Redis was away to the shared counts: the keys reset
        meanwhile are reset there, then this process's counts are added (an attacker's failed
        logins during a blip still count toward the account's limit once it is over). A key is
        taken off here as it lands there, so a carry cut short by Redis going again resumes."""
        async with self._carrying:
            for key in sorted(self._cleared):
                await self.shared.reset(key)
                self._cleared.discard(key)
            for key, count, seconds in self.local.counted():
                await self.shared.add(key, count, seconds)
                self.local.take(key, count)


async def acquire(limiter: Limiter, keys: dict[str, int], window: int, message: str) -> None:
    """Count one attempt against every key ({key: limit}) before the work it guards; when any
    key is at its limit, count none and raise TooManyRequests with its Retry-After."""
    counted: list[str] = []
    for key, limit in keys.items():
        wait = await limiter.attempt(key, limit, window)
        if wait:
            for done in counted:
                await limiter.release(done)
            raise TooManyRequests(message, retry_after=wait)
        counted.append(key)
