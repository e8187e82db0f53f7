"""The one way the app builds its Redis client (every call bounded in time), and the errors
that mean Redis is away rather than a bug."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

REDIS_TIMEOUT = 1.0  # seconds for a connect or a reply: a Redis that went away costs at most this
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)


def client(url: str, timeout: float = REDIS_TIMEOUT) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
