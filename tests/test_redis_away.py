"""Redis gone away (a real refused connection, not a mock): logins and website deliveries go on
with per-process limits, presence answers 503 with Retry-After; nothing answers 500."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
import pytest_asyncio
from redis.asyncio import Redis

from salesmagnet.deps import Deps
from salesmagnet.presence import store
from salesmagnet.ratelimit import FallbackLimiter, RedisLimiter
from tests.conftest import Served, unique
from tests.factories import PASSWORD, logged_in, make_entity, make_user
from tests.faults.services import OwnRedis
from tests.mailbox import free_port
from tests.webhooks.test_website import DOC_BODY, keyed, post


@pytest_asyncio.fixture
async def redis_away(served: Served) -> AsyncIterator[Deps]:
    """The served app's limiter and presence as Deps.build makes them for a Redis URL on a
    port where nothing listens; the app's own are put back afterwards."""
    deps = served.app.ctx.deps
    away = Deps.build(replace(served.settings, redis_url=f"redis://127.0.0.1:{free_port()}/0"), store.build)
    kept = deps.limiter, deps.presence
    deps.limiter, deps.presence = away.limiter, away.presence
    yield away
    deps.limiter, deps.presence = kept
    await away.close()


async def test_login_works_with_per_process_limits(
    client: httpx.AsyncClient, redis_away: Deps, caplog: pytest.LogCaptureFixture
) -> None:
    user = await make_user(await make_entity())
    with caplog.at_level(logging.WARNING, logger="salesmagnet.ratelimit"):
        ok = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
        assert ok.status_code == 200, ok.text
        bad = {"email": user.email, "password": "Wrong-pass1"}
        codes = [(await client.post("/api/auth/login", json=bad)).status_code for _ in range(11)]
    assert codes == [401] * 10 + [429]  # the account limit still holds, in this process
    assert isinstance(redis_away.limiter, FallbackLimiter)
    falls = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(falls) == 1  # said once, not on every call


async def test_website_deliveries_are_accepted(client: httpx.AsyncClient, redis_away: Deps) -> None:
    _, key = await keyed()
    for _ in range(3):
        response = await post(client, {**DOC_BODY, "source_lead_id": unique("form-")}, key)
        assert response.status_code == 201, response.text


async def test_presence_answers_503_with_retry_after(client: httpx.AsyncClient, redis_away: Deps) -> None:
    user = await logged_in(client, await make_entity())
    response = await client.get("/api/realtime/presence", headers=user.auth)
    assert response.status_code == 503
    assert response.json()["success"] is False and "Presence" in response.json()["message"]
    assert int(response.headers["Retry-After"]) > 0


async def test_attempts_counted_while_redis_was_away_still_count_once_it_is_back() -> None:
    """A Redis of the test's own, frozen (SIGSTOP: its counts kept) and thawed: failed logins
    made meanwhile count toward the account's limit afterwards, and an account reset meanwhile
    (a successful login) starts afresh, in the counts every process shares."""
    own = OwnRedis()
    await own.start()
    redis = Redis.from_url(own.url, socket_connect_timeout=1, socket_timeout=1)
    limiter = FallbackLimiter(RedisLimiter(redis), retry_every=0.2)
    limit, window = 5, 60
    try:
        for key in ("attacked", "owner"):
            assert [await limiter.attempt(key, limit, window) for _ in range(3)] == [0, 0, 0]
        assert own.proc is not None
        own.proc.send_signal(signal.SIGSTOP)  # Redis away: limits per process
        assert [await limiter.attempt("attacked", limit, window) for _ in range(4)] == [0] * 4
        await limiter.reset("owner")  # its user signs in meanwhile
        own.proc.send_signal(signal.SIGCONT)
        await asyncio.sleep(0.3)
        assert await limiter.attempt("attacked", limit, window) > 0  # 3 + 4 counted: at the limit
        assert [await limiter.attempt("owner", limit, window) for _ in range(5)] == [0] * 5
        assert await limiter.attempt("owner", limit, window) > 0
    finally:
        if own.proc is not None:
            own.proc.send_signal(signal.SIGCONT)
        await redis.aclose()
        own.kill()


async def test_a_frozen_redis_takes_no_one_offline_and_a_dead_process_s_users_still_go(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Redis frozen longer than a heartbeat lasts (its clock runs on): the first sweep after it
    judges no one, so a live server's users do not blip offline before it renews its heartbeat;
    a process that died still has its users taken offline by the sweeps that follow."""
    monkeypatch.setattr(store, "HEARTBEAT_TTL", 1)
    own = OwnRedis()
    await own.start()
    redis = Redis.from_url(own.url, socket_connect_timeout=1, socket_timeout=1)
    server, sweeper = store.RedisPresence(redis), store.RedisPresence(redis)
    try:
        await server.heartbeat()
        await server.join(7, 1, f"{server.process_id}:a")
        await server.join(7, 2, "deadprocess0:b")  # its process never beats again
        swept = await sweeper.sweep()
        swept += await sweeper.sweep()
        assert swept == [(7, 2)] and set(await server.online(7)) == {1}
        assert own.proc is not None
        own.proc.send_signal(signal.SIGSTOP)
        await asyncio.sleep(1.5)  # longer than a heartbeat lasts
        own.proc.send_signal(signal.SIGCONT)
        assert await sweeper.sweep() == []  # the server had no chance to beat
        assert await server.heartbeat()  # it had lapsed
        assert await sweeper.sweep() == [] and set(await server.online(7)) == {1}
    finally:
        if own.proc is not None:
            own.proc.send_signal(signal.SIGCONT)
        await redis.aclose()
        own.kill()
