"""One queue, two backends: in-process and arq on real Redis, with the same job functions."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from typing import Any

import httpx
import pytest
from arq import Retry, create_pool
from arq.connections import RedisSettings
from redis.asyncio import Redis
from tortoise.transactions import in_transaction

from jobs.tasks import alone
from models import EventDelivery, EventOutbox
from salesmagnet import db, events
from salesmagnet.outages import DependencyTimeout
from salesmagnet.queue import ArqQueue, Cron, LocalQueue
from tests.conftest import SECRET, TEST_DB, Served
from tests.factories import logged_in, make_entity
from tests.procs import python
from tests.realtime.clients import Listener, commit


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("TEST_REDIS_URL is required under CI")
        pytest.skip("arq needs Redis: set TEST_REDIS_URL")
    return url


async def test_local_queue_dedupes_by_job_id() -> None:
    runs: list[str] = []

    async def record(ctx: dict[str, Any], value: str) -> None:
        runs.append(value)

    queue = LocalQueue([record], [], {})
    assert await queue.enqueue("record", "a", job_id="one")
    assert not await queue.enqueue("record", "b", job_id="one")
    assert await queue.enqueue("record", "c")
    await queue.drain()
    assert sorted(runs) == ["a", "c"]
    with pytest.raises(LookupError):
        await queue.enqueue("nothing")


async def test_local_queue_retries_only_on_retry() -> None:
    tries: dict[str, int] = {"retry": 0, "boom": 0}

    async def flaky(ctx: dict[str, Any]) -> None:
        tries["retry"] += 1
        if ctx["job_try"] < 3:
            raise Retry(defer=0.01)

    async def boom(ctx: dict[str, Any]) -> None:
        tries["boom"] += 1
        raise ValueError("not retried")

    queue = LocalQueue([flaky, boom], [], {})
    await queue.enqueue("flaky")
    await queue.enqueue("boom")
    await queue.drain()
    assert tries == {"retry": 3, "boom": 1}


async def test_local_cron_runs_the_table() -> None:
    ticks: list[int] = []

    async def tick(ctx: dict[str, Any]) -> None:
        ticks.append(1)

    queue = LocalQueue([tick], [Cron(tick, every=1)], {})
    queue.start()
    await asyncio.sleep(2.2)
    await queue.close()
    assert 2 <= len(ticks) <= 4


async def test_embedded_server_relays_and_prunes_in_process(
    served: Served, client: httpx.AsyncClient
) -> None:
    if served.settings.redis_url:
        pytest.skip("this run uses Redis: jobs go to the arq worker (test below)")
    queue = served.app.ctx.deps.queue
    assert isinstance(queue, LocalQueue)
    entity = await make_entity()
    listener = await Listener().connect(served.url, (await logged_in(client, entity)).token)
    try:
        async with in_transaction("default"):
            await events.write_outbox([events.Event("lead:new", entity.id, {"lead": {"id": 1}})])
        await EventOutbox.filter(entity_id=entity.id).update(created_at=events.now() - timedelta(seconds=60))
        assert await queue.enqueue("relay_outbox", job_id="relay-test")
        await queue.drain()
        await listener.wait_for(lambda: bool(listener.named("lead:new")))
    finally:
        await listener.close()


async def test_a_job_run_in_the_server_waits_out_a_statement_a_request_would_give_up_on(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without Redis, jobs run in server.py, whose database calls give up after DB_TIMEOUT: a
    job (a page of a long export on a busy machine) waits as long as in the worker instead, and
    is not taken for an outage and tried again from the start."""
    if TEST_DB != "mysql":
        pytest.skip("SQLite's calls are not bounded")
    client = db.conn()
    monkeypatch.setattr(client, "bound", 0.2)  # a server's DB_TIMEOUT, shortened
    with pytest.raises(DependencyTimeout):  # what a request gets
        await client.execute_query_dict("SELECT SLEEP(0.5) AS slept")
    answers: list[Any] = []

    async def long_statement(ctx: dict[str, Any]) -> None:
        answers.append(await client.execute_query_dict("SELECT SLEEP(0.5) AS slept"))

    queue = LocalQueue([long_statement], [], {}, patience=5.0)  # WORKER_DB_TIMEOUT
    assert await queue.enqueue("long_statement")
    await queue.drain()
    assert answers == [[{"slept": 0}]]


async def test_arq_worker_publishes_through_redis(served: Served, client: httpx.AsyncClient) -> None:
    """An orphaned event relayed by a real `salesmagnet worker` process reaches a socket of this
    server through the write-only Redis manager."""
    url = redis_url()
    if TEST_DB != "mysql":
        pytest.skip("the worker shares the database with the server: MariaDB run")
    pool = await create_pool(RedisSettings.from_dsn(url))
    queue = ArqQueue(pool)
    entity = await make_entity()
    listener = await Listener().connect(served.url, (await logged_in(client, entity)).token)
    try:
        async with in_transaction("default"):
            records = await events.write_outbox([events.Event("lead:new", entity.id, {"lead": {"id": 2}})])
        await EventOutbox.filter(event_id=records[0].event_id).update(
            created_at=events.now() - timedelta(seconds=60)
        )
        job_id = f"relay-{records[0].event_id}"
        assert await queue.enqueue("relay_outbox", job_id=job_id)
        assert not await queue.enqueue("relay_outbox", job_id=job_id)  # idempotent by id
        env = {
            **os.environ,
            "DATABASE_URL": served.settings.database_url,
            "REDIS_URL": url,
            "JWT_SECRET": SECRET,
            "SALESMAGNET_ENV": "test",
        }
        done = await asyncio.to_thread(python, "-m", "salesmagnet", "worker", "--burst", env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        await listener.wait_for(lambda: bool(listener.named("lead:new")))
        assert listener.named("lead:new")[0]["seq"] == records[0].seq
    finally:
        await listener.close()
        await queue.close()


async def test_prune_keeps_hours_and_count(served: Served) -> None:
    entity = await make_entity()
    await commit(entity.id, count=6)
    await EventOutbox.filter(entity_id=entity.id, seq__lte=2).update(
        created_at=events.now() - timedelta(hours=30)
    )
    written = await events.replay_after(entity.id, 0)
    delivered = EventDelivery.filter(event_id__in=[r.event_id for r in written])
    for _ in range(50):  # the publisher notes deliveries just after emitting them
        if await delivered.count() == len(written):
            break
        await asyncio.sleep(0.05)
    await events.prune(timedelta(hours=24), keep_max=3)
    kept = await EventOutbox.filter(entity_id=entity.id).order_by("seq").values_list("seq", flat=True)
    assert list(kept) == [4, 5, 6]
    assert await events.bounds(entity.id) == (4, 6)
    pruned = [r.event_id for r in written if r.seq < 4]
    assert await EventDelivery.filter(event_id__in=pruned).count() == 0  # their notes went too
    assert await EventDelivery.filter(event_id__in=[r.event_id for r in written if r.seq >= 4]).count() == 3


async def test_local_queue_runs_at_most_ten_jobs_at_once() -> None:
    running, peak = 0, 0

    async def slow(ctx: dict[str, Any]) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1

    queue = LocalQueue([slow], [], {})
    for _ in range(50):
        await queue.enqueue("slow")
    await queue.drain()
    assert peak == 10


async def test_a_periodic_job_never_runs_twice_at_once() -> None:
    """Two workers' turns of one periodic job overlapping: one runs, the other skips its turn."""
    runs = 0

    async def slow(ctx: dict[str, Any]) -> str:
        nonlocal runs
        runs += 1
        await asyncio.sleep(0.2)
        return "ran"

    redis = Redis.from_url(redis_url())
    guarded = alone(slow)
    try:
        first, second = await asyncio.gather(guarded({"redis": redis}), guarded({"redis": redis}))
        assert sorted([first, second], key=str) == [None, "ran"] and runs == 1
        assert await guarded({"redis": redis}) == "ran"  # the claim ends with the run
    finally:
        await redis.aclose()


async def test_local_cron_skips_a_turn_while_its_last_run_goes_on() -> None:
    runs, running, overlapped = 0, 0, False

    async def slow_cron(ctx: dict[str, Any]) -> None:
        nonlocal runs, running, overlapped
        runs += 1
        running += 1
        overlapped = overlapped or running > 1
        await asyncio.sleep(2.5)
        running -= 1

    queue = LocalQueue([slow_cron], [Cron(slow_cron, every=1)], {})
    queue.start()
    await asyncio.sleep(4)
    await queue.close()
    assert not overlapped and runs == 2  # at the start, and at the first turn after 2.5 s (< 3.5 s)
