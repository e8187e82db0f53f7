"""One queue, two backends: arq on Redis, or the same job coroutines run in-process.

A job is `async def job(ctx, *args)`. Job ids make enqueueing idempotent: an id already queued,
running or recently done is not run again. Only `arq.Retry` retries (as in arq).

Services enqueue with `enqueue_after_commit()`: inside db.atomic() the job is queued only once the
transaction commits (a job must not read rows that may yet roll back, nor run for them).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from arq import Retry
from arq.connections import ArqRedis

from salesmagnet import db, lifecycle, outages
from salesmagnet.mysql_engine import patient

log = logging.getLogger(__name__)

JobFunction = Callable[..., Awaitable[Any]]
MAX_TRIES = 5
KEEP_IDS = 3600.0  # seconds a finished job id still blocks a re-run (arq's keep_result)
MAX_JOBS = 10  # jobs running at once in-process, as arq's default: a burst waits, it does not swamp
DRAIN_WITHIN = 10.0  # seconds the jobs under way may take to end when the process stops


@dataclass(frozen=True)
class Cron:
    """Run `function` every `every` seconds (aligned to the clock)."""

    function: JobFunction
    every: int

    @property
    def name(self) -> str:
        return self.function.__name__


class JobQueue(Protocol):
    async def enqueue(self, name: str, *args: Any, job_id: str | None = None) -> bool:
        """Queue a job; False when a job with this id is already queued, running or done."""


async def enqueue_after_commit(queue: JobQueue, name: str, *args: Any, job_id: str | None = None) -> None:
    """Queue a job after the current db.atomic() block commits (dropped if it rolls back), or
    now outside a transaction. A failure (Redis away) is logged, an outage noted once: the
    caller's writes are committed, and the job's own sweep or retry is what recovers it."""

    async def enqueue() -> None:  # run_hooks logs its failure (an outage once)
        await queue.enqueue(name, *args, job_id=job_id)

    enqueue.__qualname__ = f"enqueue {name} ({job_id})"  # what the log line names
    if not db.after_commit(enqueue):
        await db.run_hooks([enqueue])


class ArqQueue:
    def __init__(self, pool: ArqRedis) -> None:
        self.pool = pool

    async def enqueue(self, name: str, *args: Any, job_id: str | None = None) -> bool:
        # Refused at once while Redis is known away: a hung Redis would make each of a
        # request's enqueues wait out REDIS_TIMEOUT (what is not queued is swept or requeued).
        outages.refuse_while_down(outages.REDIS)
        return await self.pool.enqueue_job(name, *args, _job_id=job_id) is not None

    async def close(self) -> None:
        await self.pool.aclose()


class LocalQueue:
    """The embedded default: jobs and the cron table on this process's event loop."""

    def __init__(
        self,
        functions: Sequence[JobFunction],
        crons: Sequence[Cron],
        ctx: dict[str, Any],
        patience: float | None = None,
    ) -> None:
        """`patience`: how long the jobs' database calls may wait (WORKER_DB_TIMEOUT), where
        the server's own bound is for requests (salesmagnet.mysql_engine.patient)."""
        self._patience = patience
        self._functions = {f.__name__: f for f in functions}
        self._crons = crons
        self._ctx = ctx
        self._ids: dict[str, float] = {}
        self._running: set[asyncio.Task[None]] = set()
        self._ticker: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(MAX_JOBS)
        self._active: Counter[str] = Counter()  # runs of each job function now

    async def enqueue(self, name: str, *args: Any, job_id: str | None = None) -> bool:
        function = self._functions.get(name)
        if function is None:
            raise LookupError(f"no job named {name!r}")
        now = time.monotonic()
        if job_id is not None:
            self._ids = (
                {k: v for k, v in self._ids.items() if v > now} if len(self._ids) > 10_000 else self._ids
            )
            if self._ids.get(job_id, 0) > now:
                return False
            self._ids[job_id] = now + KEEP_IDS
        task = asyncio.get_running_loop().create_task(self._run(function, args, job_id))
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return True

    async def _run(self, function: JobFunction, args: tuple[Any, ...], job_id: str | None) -> None:
        self._active[function.__name__] += 1
        try:
            async with self._slots:
                with patient(self._patience):
                    await self._attempts(function, args, job_id)
        finally:
            self._active[function.__name__] -= 1

    async def _attempts(self, function: JobFunction, args: tuple[Any, ...], job_id: str | None) -> None:
        for attempt in range(1, MAX_TRIES + 1):
            try:
                await function({**self._ctx, "job_id": job_id, "job_try": attempt}, *args)
                return
            except Retry as retry:
                delay = retry.defer_score / 1000 if retry.defer_score else attempt * 0.5
                await asyncio.sleep(delay)
            except Exception as exc:
                outages.log_failure(log, exc, "job %s (%s) failed", function.__name__, job_id)
                return
        log.error("job %s (%s) gave up after %d tries", function.__name__, job_id, MAX_TRIES)

    def start(self) -> None:
        self._ticker = asyncio.get_running_loop().create_task(self._tick(), name="local-cron")

    async def _tick(self) -> None:
        last: dict[str, int] = {}
        while True:
            now = int(time.time())
            for cron in self._crons:
                slot = now // cron.every
                # First tick too: leftovers are relayed at start. A cron whose last run has
                # not ended waits for its next turn (two relays at once would send twice).
                if last.get(cron.name) != slot and not self._active[cron.name]:
                    last[cron.name] = slot
                    await self.enqueue(cron.name, job_id=f"cron:{cron.name}:{slot}")
            await asyncio.sleep(1 - (time.time() % 1) + 0.001)

    async def drain(self) -> None:
        """Wait for every queued job (tests, shutdown)."""
        while self._running:
            await asyncio.gather(*list(self._running), return_exceptions=True)

    async def close(self) -> None:
        await lifecycle.stop_tasks([self._ticker])
        if self._running:  # the jobs under way may end, for a while
            await asyncio.wait(list(self._running), timeout=DRAIN_WITHIN)
        await lifecycle.stop_tasks(list(self._running))
