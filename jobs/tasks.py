"""Job functions: thin adapters that take ids, build what they need and call services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from salesmagnet import events
from salesmagnet.presence import service as presence
from salesmagnet.queue import Cron


async def relay_outbox(ctx: dict[str, Any]) -> int:
    """Publish committed events whose process died before publishing them."""
    return await events.relay()


async def prune_events(ctx: dict[str, Any]) -> int:
    """Retention: EVENT_KEEP_HOURS, and at most EVENT_KEEP_MAX events per entity."""
    settings = ctx["deps"].settings
    return await events.prune(timedelta(hours=settings.event_keep_hours), settings.event_keep_max)


async def sweep_presence(ctx: dict[str, Any]) -> int:
    """Take users offline whose sockets all lived in processes that died."""
    return await presence.sweep(ctx["deps"].presence)


FUNCTIONS = [relay_outbox, prune_events, sweep_presence]
CRONS = [Cron(relay_outbox, every=5), Cron(sweep_presence, every=60), Cron(prune_events, every=600)]
