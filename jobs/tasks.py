"""Job functions: thin adapters that take ids, build what they need and call services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from salesmagnet import events, metrics
from salesmagnet.presence import service as presence
from salesmagnet.queue import Cron, JobFunction
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


FUNCTIONS: list[JobFunction] = [relay_outbox, prune_events, sweep_presence, fetch_graph_lead, sweep_received]
CRONS = [
    Cron(relay_outbox, every=2),
    Cron(sweep_presence, every=60),
    Cron(sweep_received, every=60),
    Cron(prune_events, every=600),
]
