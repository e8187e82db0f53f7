"""A user's connections, counted by the presence store the same way in one process and in Redis."""

from __future__ import annotations

import os
import uuid

import pytest
from redis.asyncio import Redis

from salesmagnet.presence.store import MemoryPresence, RedisPresence


@pytest.mark.parametrize("kind", ["memory", "redis"])
async def test_connections_follow_joins_and_leaves(kind: str) -> None:
    redis = None
    if kind == "redis":
        if not os.environ.get("TEST_REDIS_URL"):
            pytest.skip("this run has no Redis (TEST_REDIS_URL)")
        redis = Redis.from_url(os.environ["TEST_REDIS_URL"])
    prefix = f"test-presence-{uuid.uuid4().hex[:8]}"
    store = RedisPresence(redis, prefix) if redis is not None else MemoryPresence()
    try:
        assert await store.connections(1, 7) == 0
        await store.join(1, 7, "p:a")
        await store.join(1, 7, "p:b")
        await store.join(2, 7, "p:c")  # the same user id in another entity counts apart
        assert (await store.connections(1, 7), await store.connections(2, 7)) == (2, 1)
        await store.leave(1, 7, "p:a")
        assert await store.connections(1, 7) == 1
        await store.leave(1, 7, "p:b")
        assert await store.connections(1, 7) == 0
    finally:
        if redis is not None:
            keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
            if keys:
                await redis.delete(*keys)
            await redis.aclose()
