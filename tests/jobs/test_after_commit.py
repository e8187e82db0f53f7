"""Jobs enqueued inside db.atomic() run only after the commit, like events: the in-process queue on
SQLite, arq on real Redis with a real burst Worker on MariaDB."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import pytest_asyncio
from arq import Worker, create_pool
from arq.connections import RedisSettings
from arq.worker import func

from models import Entity
from salesmagnet import db
from salesmagnet.queue import ArqQueue, JobQueue, LocalQueue, enqueue_after_commit
from tests.conftest import TEST_DB, Served
from tests.jobs.test_queue import redis_url

Runs = list[tuple[str, bool]]  # (value, whether the row named by it was committed when it ran)


class Jobs:
    """A queue of one job, `record`, and a way to run everything it holds now."""

    def __init__(self, queue: JobQueue, run: Callable[[], Awaitable[None]], runs: Runs) -> None:
        self.queue, self.run, self.runs = queue, run, runs

    async def ran(self) -> Runs:
        await self.run()
        return sorted(self.runs)


@pytest_asyncio.fixture
async def jobs(served: Served) -> AsyncIterator[Jobs]:
    runs: Runs = []

    async def record(ctx: dict[str, Any], value: str) -> None:
        runs.append((value, await Entity.filter(name=value).exists()))

    if TEST_DB != "mysql":
        local = LocalQueue([record], [], {})
        yield Jobs(local, local.drain, runs)
        await local.close()
        return
    queue_name = f"after-commit-{secrets.token_hex(4)}"  # this test's own queue in the suite's Redis db
    pool = await create_pool(RedisSettings.from_dsn(redis_url()), default_queue_name=queue_name)

    async def run() -> None:
        functions = [func(record, name="record")]  # arq names a function by its qualname
        worker = Worker(functions, redis_pool=pool, queue_name=queue_name, burst=True, poll_delay=0.05)
        await worker.main()

    try:
        yield Jobs(ArqQueue(pool), run, runs)
    finally:
        await pool.aclose()


def tag() -> str:
    return f"ac_{secrets.token_hex(5)}"


async def test_a_job_enqueued_in_a_transaction_runs_after_the_commit(jobs: Jobs) -> None:
    name = tag()
    async with db.atomic():
        await Entity.create(name=name)
        await enqueue_after_commit(jobs.queue, "record", name, job_id=f"record:{name}")
        assert await jobs.ran() == []  # not queued yet: nothing to run
    assert await jobs.ran() == [(name, True)]  # it ran, and saw the committed row


async def test_a_rolled_back_transaction_drops_its_jobs(jobs: Jobs) -> None:
    name = tag()
    with pytest.raises(RuntimeError):
        async with db.atomic():
            await Entity.create(name=name)
            await enqueue_after_commit(jobs.queue, "record", name)
            raise RuntimeError("rolled back")
    assert await jobs.ran() == []
    assert not await Entity.filter(name=name).exists()


async def test_a_failing_nested_block_drops_only_its_own_jobs(jobs: Jobs) -> None:
    outer, inner, after = tag(), tag(), tag()
    async with db.atomic():
        await enqueue_after_commit(jobs.queue, "record", outer)
        with pytest.raises(RuntimeError):
            async with db.atomic():
                await enqueue_after_commit(jobs.queue, "record", inner)
                raise RuntimeError("the savepoint rolls back")
        async with db.atomic():
            await enqueue_after_commit(jobs.queue, "record", after)
    assert await jobs.ran() == sorted([(outer, False), (after, False)])


async def test_outside_a_transaction_a_job_is_enqueued_at_once(jobs: Jobs) -> None:
    name = tag()
    await enqueue_after_commit(jobs.queue, "record", name)
    assert await jobs.ran() == [(name, False)]


async def test_an_enqueue_that_fails_after_the_commit_does_not_fail_the_block(served: Served) -> None:
    """The transaction is committed: a job the queue refuses (here: unknown) is logged, and the
    jobs after it are still enqueued."""
    runs: list[str] = []

    async def record(ctx: dict[str, Any], value: str) -> None:
        runs.append(value)

    queue = LocalQueue([record], [], {})
    name = tag()
    async with db.atomic():
        await Entity.create(name=name)
        await enqueue_after_commit(queue, "no_such_job")
        await enqueue_after_commit(queue, "record", name)
    await queue.drain()
    assert runs == [name]
    assert await Entity.filter(name=name).exists()
