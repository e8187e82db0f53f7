"""Job functions: thin adapters that take ids, build what they need and call services."""

from __future__ import annotations

import asyncio
import functools
import secrets
from datetime import timedelta
from typing import Any

from arq import Retry

from salesmagnet import events, lifecycle, metrics, outages
from salesmagnet.activities import overdue
from salesmagnet.analytics import service as analytics
from salesmagnet.config import Settings
from salesmagnet.db import utcnow
from salesmagnet.presence import service as presence
from salesmagnet.queue import Cron, JobFunction
from salesmagnet.reporting import exports, schedules
from salesmagnet.stages import breaches
from salesmagnet.tenancy import Actor
from salesmagnet.webhooks import facebook


@metrics.counted
async def relay_outbox(ctx: dict[str, Any]) -> int:
    """Publish committed events whose process died before publishing them."""
    return await events.relay()


@metrics.counted
async def prune_events(ctx: dict[str, Any]) -> int:
    """Retention: EVENT_KEEP_HOURS, and at most EVENT_KEEP_MAX events per entity."""
    settings = ctx["deps"].settings
    return await events.prune(timedelta(hours=settings.event_keep_hours), settings.event_keep_max)


@metrics.counted
async def sweep_presence(ctx: dict[str, Any]) -> int:
    """Take users offline whose sockets all lived in processes that died."""
    return await presence.sweep(ctx["deps"].presence)


@metrics.counted
async def fetch_graph_lead(ctx: dict[str, Any], entity_id: int, meta_id: int) -> str:
    """Read a Lead Ads lead from the Graph API and create it (retries with backoff)."""
    return await facebook.fetch_and_create(ctx["deps"].settings, entity_id, meta_id, ctx.get("job_try", 1))


@metrics.counted
async def sweep_received(ctx: dict[str, Any]) -> int:
    """Re-queue Lead Ads deliveries stuck in `received`."""
    return await facebook.sweep_received(ctx["deps"])


@metrics.counted
async def rebuild_analytics(ctx: dict[str, Any], entity_id: int) -> None:
    """Count an entity's analytics rollups again (its time zone changed)."""
    await analytics.rebuild(Actor.system(entity_id))


@metrics.counted
async def run_export(ctx: dict[str, Any], entity_id: int, export_id: int) -> None:
    """Write a long export's file (salesmagnet.reporting.exports)."""
    await exports.write_leads(ctx["deps"], Actor.system(entity_id), export_id)


@metrics.counted
async def requeue_exports(ctx: dict[str, Any]) -> int:
    """Queue again the exports whose job was never queued (Redis away when they were asked for)."""
    return await exports.requeue(ctx["deps"], utcnow())


@metrics.counted
async def prune_exports(ctx: dict[str, Any]) -> int:
    """Delete export files past EXPORT_KEEP_HOURS."""
    return await exports.prune(ctx["deps"], utcnow())


REPORT_BATCH = 100  # schedules claimed per scan (the rest on the next one)


@metrics.counted
async def scan_reports(ctx: dict[str, Any]) -> int:
    """Claim the report schedules now due (each run once, whichever worker claims it) and
    queue their runs; queue again runs whose job was lost."""
    queue, now, claimed = ctx["deps"].queue, utcnow(), 0
    for entity_id, schedule_id in await schedules.due(now, REPORT_BATCH):
        claimed += await schedules.claim(Actor.system(entity_id), queue, schedule_id, now) is not None
    turn = int(now.timestamp() // schedules.STALE.total_seconds())
    for entity_id, execution_id in await schedules.lost(now, REPORT_BATCH):
        await queue.enqueue("send_report", entity_id, execution_id, job_id=f"report:{execution_id}:{turn}")
    return claimed


@metrics.counted
async def send_report(ctx: dict[str, Any], entity_id: int, execution_id: int) -> str:
    """Generate a scheduled report and mail it (salesmagnet.reporting.schedules)."""
    return await schedules.send(ctx["deps"], Actor.system(entity_id), execution_id)


MONITORS = (breaches, overdue)  # each: due_entities(now, limit), announce(actor, now, batch)


@metrics.counted
async def scan_due(ctx: dict[str, Any]) -> int:
    """Find the entities with SLA breaches or follow-ups just due (by index, across entities)
    and queue one announcement job per entity; at most one per entity and scan interval."""
    settings: Settings = ctx["deps"].settings
    now = utcnow()
    entities: set[int] = set()
    for monitor in MONITORS:
        entities |= await monitor.due_entities(now, settings.monitor_batch)
    turn = int(now.timestamp()) // settings.monitor_interval
    for entity_id in sorted(entities):
        await ctx["deps"].queue.enqueue("announce_due", entity_id, job_id=f"announce-due:{entity_id}:{turn}")
    return len(entities)


@metrics.counted
async def announce_due(ctx: dict[str, Any], entity_id: int) -> int:
    """Announce an entity's SLA breaches and overdue follow-ups (`sla:breach`,
    `followup:overdue`), each once (the monitors' claims), until none is left due."""
    settings: Settings = ctx["deps"].settings
    actor, now, announced = Actor.system(entity_id), utcnow(), 0
    for monitor in MONITORS:
        while (done := await monitor.announce(actor, now, settings.monitor_batch)) > 0:
            announced += done
    return announced


def riding_out(function: JobFunction, periodic: bool) -> JobFunction:
    """The job, when the database or Redis is away: noted once (salesmagnet.outages) instead of
    failing with a traceback every turn; a periodic job waits for its next turn, another is
    tried again later."""

    @functools.wraps(function)
    async def run(ctx: dict[str, Any], *args: Any) -> Any:
        try:
            return await function(ctx, *args)
        except Exception as exc:
            if outages.report(exc) is None:
                raise
            if periodic:
                return None
            raise Retry(defer=outages.RETRY_AFTER) from exc

    return run


ALONE_SECONDS = 60  # a periodic run's claim (renewed while it runs) outlives a killed worker by this
_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


def alone(function: JobFunction) -> JobFunction:
    """The periodic job, skipped while another run of it is under way in any worker: a relay
    still catching up after an outage when its next turn comes would send events twice. The
    claim is a Redis key that expires; in-process, the cron table never overlaps runs itself."""

    @functools.wraps(function)
    async def run(ctx: dict[str, Any], *args: Any) -> Any:
        redis = ctx.get("redis")
        if redis is None:
            return await function(ctx, *args)
        key, token = f"salesmagnet:alone:{function.__name__}", secrets.token_hex(8)
        if not await redis.set(key, token, nx=True, ex=ALONE_SECONDS):
            return None
        keeping = asyncio.ensure_future(_keep_claim(redis, key))
        try:
            return await function(ctx, *args)
        finally:
            await lifecycle.stop_tasks([keeping])  # one cancel may be lost in its Redis call
            await redis.eval(_RELEASE, 1, key, token)

    return run


async def _keep_claim(redis: Any, key: str) -> None:
    """Renew a run's claim while it runs (a relay catching up may outlast ALONE_SECONDS)."""
    while True:
        await asyncio.sleep(ALONE_SECONDS / 3)
        try:
            await redis.expire(key, ALONE_SECONDS)
        except Exception as exc:
            outages.report(exc)


PERIODIC = {
    relay_outbox: 2,
    sweep_presence: 10,  # with HEARTBEAT_TTL 15: a dead process's users offline within 25 s
    sweep_received: 60,
    prune_events: 600,
    scan_due: 1,
    scan_reports: 5,
    prune_exports: 600,
    requeue_exports: 60,
}
# scan_due is not `alone`: a killed worker's claim would stop every scan for ALONE_SECONDS, and
# two scans at once only queue the same announcement job id (announcements claim each item once).
# scan_reports neither: each schedule is claimed under its row lock.
WRAPPED = {
    job: riding_out(job if job in (scan_due, scan_reports) else alone(job), periodic=True) for job in PERIODIC
}


def crons(settings: Settings) -> list[Cron]:
    """The cron table: each periodic job and how often it runs (the monitors' scan every
    MONITOR_INTERVAL seconds)."""
    every = PERIODIC | {scan_due: settings.monitor_interval}
    return [Cron(WRAPPED[job], seconds) for job, seconds in every.items()]


JOB_TIMEOUT = 300  # seconds a job may run in a worker (arq's default)
# Longer: a million-lead export may. A job here outlives arq's claim on it (jobs.worker
# CLAIM_SECONDS), so another worker may start it again meanwhile: it must be safe to start twice.
TIMEOUTS = {"run_export": 3600}

FUNCTIONS: list[JobFunction] = [
    *WRAPPED.values(),
    riding_out(fetch_graph_lead, periodic=False),
    riding_out(announce_due, periodic=False),
    riding_out(rebuild_analytics, periodic=False),
    riding_out(run_export, periodic=False),
    riding_out(send_report, periodic=False),
]
