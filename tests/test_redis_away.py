"""Redis gone away (a real refused connection, not a mock): logins and website deliveries go on
with per-process limits, presence answers 503 with Retry-After; nothing answers 500."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
import pytest_asyncio

from salesmagnet.deps import Deps
from salesmagnet.presence import store
from salesmagnet.ratelimit import FallbackLimiter
from tests.conftest import Served, unique
from tests.factories import PASSWORD, logged_in, make_entity, make_user
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
