"""The arq worker (`salesmagnet worker`): the same job functions, on Redis, in its own process.

It publishes events through a write-only Socket.IO Redis manager, so sockets on every server
process receive them. It rides out outages: when Redis goes away the arq worker stops, and
`serve()` waits for Redis to answer again (one log line each way) and starts a new one; the
database connection, the publisher and everything else of the process are kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from arq import cron
from arq.connections import RedisSettings
from arq.cron import CronJob
from arq.worker import Worker, create_worker, func

from jobs.tasks import FUNCTIONS, JOB_TIMEOUT, TIMEOUTS, crons
from realtime.manager import CHANNEL, StrictRedisManager
from realtime.publisher import RoomPublisher
from salesmagnet import db, events, metrics, outages, schema
from salesmagnet.analytics import live as analytics_live
from salesmagnet.analytics import service as analytics
from salesmagnet.assignments import auto as auto_assignment
from salesmagnet.config import Settings
from salesmagnet.deps import Deps
from salesmagnet.entities import settings as entity_settings
from salesmagnet.leads import rollups as lead_rollups
from salesmagnet.presence import store as presence_store
from salesmagnet.queue import ArqQueue, Cron

log = logging.getLogger(__name__)
POLL_DELAY = 0.02  # seconds: arq's latency knob (default 0.5 s), STACK-NOTES §3
BACKOFF_FIRST, BACKOFF_MAX = 0.25, 5.0  # seconds between tries to reach Redis again
# Seconds arq keeps a started job claimed (its in-progress key) for the worker that started it:
# a worker killed mid-job leaves its jobs to the others (and lets a burst end) after this. arq
# would make it the longest job timeout (run_export's hour); the default timeout bounds every
# other job, and run_export, which may outlive it, is safe to start twice (its export is
# claimed in the database: a second start finds it claimed and returns).
CLAIM_SECONDS = JOB_TIMEOUT + 10


def arq_cron(job: Cron) -> CronJob:
    if job.every < 60:
        return cron(job.function, second=set(range(0, 60, job.every)), unique=True)  # type: ignore[arg-type]
    minutes = job.every // 60
    return cron(job.function, minute=set(range(0, 60, minutes)), second=0, unique=True)  # type: ignore[arg-type]


async def startup(ctx: dict[str, Any]) -> None:
    """Each start of an arq worker: jobs enqueue through its (new) Redis pool."""
    ctx["deps"].queue = ArqQueue(ctx["redis"])


class WorkerSettings:
    functions = [func(f, timeout=TIMEOUTS.get(f.__name__)) for f in FUNCTIONS]  # type: ignore[arg-type]
    on_startup = startup
    poll_delay = POLL_DELAY
    max_tries = 5
    job_timeout = JOB_TIMEOUT


async def open_context(settings: Settings) -> dict[str, Any]:
    """The process's database connection, dependencies and event publisher, made once."""
    await db.connect(settings.database_url, settings.worker_db_timeout)
    await schema.check_current(settings.database_url)
    deps = Deps.build(settings, presence_store.build)
    auto_assignment.use_presence(deps.presence.online)
    entity_settings.use_default_sla_hours(settings.sla_hours)
    lead_rollups.switch(settings.analytics_rollups)
    analytics_live.start(deps.redis, analytics.dashboard, settings.analytics_lag)
    publisher = redis_publisher(settings)
    events.set_publisher(publisher)
    return {"settings": settings, "deps": deps, "publisher": publisher}


def redis_publisher(settings: Settings) -> RoomPublisher:
    """A started publisher that hands committed events to every server's sockets through Redis
    (a process that holds no sockets: a worker, a command)."""
    emitter = StrictRedisManager(settings.redis_url or "", CHANNEL, settings.redis_timeout, write_only=True)
    publisher = RoomPublisher(emitter.emit)
    publisher.start()
    return publisher


async def close_context(ctx: dict[str, Any]) -> None:
    analytics_live.stop()
    await ctx["publisher"].close()
    events.set_publisher(None)
    await ctx["deps"].close()
    await outages.stop()
    await db.disconnect()


def build(settings: Settings, ctx: dict[str, Any], **overrides: Any) -> Worker:
    """An arq worker for these settings (`burst=True` runs the queued jobs, no cron, and returns)."""
    if not settings.redis_url:
        raise ValueError("the worker needs REDIS_URL (without it, jobs run inside server.py)")
    redis = RedisSettings.from_dsn(settings.redis_url)
    redis.conn_timeout = max(1, round(settings.redis_timeout))
    # A burst runs what is queued, then returns: the cron table (a scan every second) would keep
    # queueing work ahead and the burst would never end.
    table = [] if overrides.get("burst") else [arq_cron(job) for job in crons(settings)]
    # arq documents a plain class as its settings; its stubs name only its own base.
    worker = create_worker(WorkerSettings, redis_settings=redis, ctx=ctx, cron_jobs=table, **overrides)  # type: ignore[arg-type]
    worker.in_progress_timeout_s = CLAIM_SECONDS  # not an hour (see CLAIM_SECONDS)
    return worker


async def serve(settings: Settings, burst: bool = False, stop: asyncio.Event | None = None) -> None:
    """Run arq workers one after another until `stop` is set (SIGINT/SIGTERM) or a burst ends;
    a worker that lost Redis is replaced once Redis answers again."""
    stop = stop or asyncio.Event()
    ctx = await open_context(settings)
    deps: Deps = ctx["deps"]
    try:
        while not stop.is_set():
            worker = build(settings, ctx, burst=burst, handle_signals=False)
            if await _run_until_lost(worker, stop) or burst:
                return
            await _until_redis_answers(deps, stop)
    finally:
        await close_context(ctx)


async def _run_until_lost(worker: Worker, stop: asyncio.Event) -> bool:
    """Run `worker`; True when it ended by itself or by `stop`, False when Redis went away."""
    task = asyncio.ensure_future(worker.async_run())
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            return True
        exc = task.exception()
        if exc is None:
            return True
        if outages.report(exc) is None:
            raise exc
        return False
    finally:
        stopping.cancel()
        await _close_quietly(worker, task)


async def _close_quietly(worker: Worker, task: asyncio.Future[None]) -> None:
    """Stop the worker's jobs and drop its pool; with Redis away its goodbyes may fail."""
    worker.handle_sig(signal.SIGUSR1)  # cancels its jobs and its main task
    await asyncio.gather(task, return_exceptions=True)
    with contextlib.suppress(Exception):
        async with asyncio.timeout(2):
            await worker.close()
    pool = getattr(worker, "_pool", None)
    if pool is not None:
        with contextlib.suppress(Exception):
            await pool.aclose()


async def _until_redis_answers(deps: Deps, stop: asyncio.Event) -> None:
    delay = BACKOFF_FIRST
    while not stop.is_set() and not await deps.ping_redis():
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await stop.wait()
        delay = min(delay * 2, BACKOFF_MAX)
    if not stop.is_set():
        outages.DEPENDENCIES[outages.REDIS].answered()


def run(settings: Settings, burst: bool = False) -> None:
    """`salesmagnet worker`: serve until SIGINT or SIGTERM."""
    if settings.metrics and settings.metrics_port:
        metrics.serve(settings.metrics_port, settings.host)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await serve(settings, burst=burst, stop=stop)

    asyncio.run(main())
