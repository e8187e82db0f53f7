"""The arq worker (`salesmagnet worker`): the same job functions, on Redis, in its own process.

It publishes events through a write-only Socket.IO Redis manager, so sockets on every server
process receive them.
"""

from __future__ import annotations

from typing import Any

import socketio
from arq import cron
from arq.connections import RedisSettings
from arq.cron import CronJob
from arq.worker import Worker, create_worker

from jobs.tasks import CRONS, FUNCTIONS
from realtime.manager import CHANNEL
from realtime.publisher import RoomPublisher
from salesmagnet import db, events, metrics, schema
from salesmagnet.config import Settings, load_settings
from salesmagnet.deps import Deps
from salesmagnet.queue import ArqQueue, Cron

POLL_DELAY = 0.02  # seconds: arq's latency knob (default 0.5 s), STACK-NOTES §3


def arq_cron(job: Cron) -> CronJob:
    if job.every < 60:
        return cron(job.function, second=set(range(0, 60, job.every)), unique=True)  # type: ignore[arg-type]
    minutes = job.every // 60
    return cron(job.function, minute=set(range(0, 60, minutes)), second=0, unique=True)  # type: ignore[arg-type]


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx.get("settings") or load_settings()
    await db.connect(settings.database_url)
    await schema.check_current(settings.database_url)
    deps = Deps.build(settings)
    deps.queue = ArqQueue(ctx["redis"])
    emitter = socketio.AsyncRedisManager(settings.redis_url, channel=CHANNEL, write_only=True)
    publisher = RoomPublisher(emitter.emit)
    publisher.start()
    events.set_publisher(publisher)
    ctx.update(deps=deps, publisher=publisher)


async def shutdown(ctx: dict[str, Any]) -> None:
    if "publisher" in ctx:
        await ctx["publisher"].close()
        events.set_publisher(None)
        await ctx["deps"].close()
    await db.disconnect()


class WorkerSettings:
    functions = FUNCTIONS
    cron_jobs = [arq_cron(job) for job in CRONS]
    on_startup = startup
    on_shutdown = shutdown
    poll_delay = POLL_DELAY
    max_tries = 5


def build(settings: Settings, **overrides: Any) -> Worker:
    """An arq worker for these settings (`burst=True` in tests runs queued jobs and returns)."""
    if not settings.redis_url:
        raise ValueError("the worker needs REDIS_URL (without it, jobs run inside server.py)")
    redis = RedisSettings.from_dsn(settings.redis_url)
    # arq documents a plain class as its settings; its stubs name only its own base.
    return create_worker(
        WorkerSettings,  # type: ignore[arg-type]
        redis_settings=redis,
        ctx={"settings": settings},
        **overrides,
    )


def run(settings: Settings, burst: bool = False) -> None:
    if settings.metrics and settings.metrics_port:
        metrics.serve(settings.metrics_port, settings.host)
    build(settings, burst=burst).run()
