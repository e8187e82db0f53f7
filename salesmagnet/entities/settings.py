"""An entity's effective settings: what it stored over the defaults.

The default SLA of a stage comes from the process's configuration (`SLA_HOURS`); the entry points
hand it over once with `use_default_sla_hours()`, so the lead writer, the stage workflow and the
entity API all read one figure.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from models import Entity, StatusName
from salesmagnet.entities.schemas import OPEN_STATUSES
from salesmagnet.tenancy import Actor, own_entity

_default_sla_hours = 24.0


def use_default_sla_hours(hours: float) -> None:
    global _default_sla_hours
    _default_sla_hours = float(hours)


def effective(stored: dict[str, Any] | None) -> dict[str, Any]:
    """Stored settings over the defaults: every open status has an SLA."""
    stored = stored or {}
    sla = {s.value: _default_sla_hours for s in OPEN_STATUSES} | stored.get("sla_hours", {})
    return {
        "sla_hours": sla,
        "auto_assignment": stored.get("auto_assignment", "off"),
        "auto_assignment_online_first": stored.get("auto_assignment_online_first", False),
        "timezone": stored.get("timezone", "UTC"),
        "webhook_allowed_origins": stored.get("webhook_allowed_origins", []),
        "webhook_redirect_hosts": stored.get("webhook_redirect_hosts", []),
        "reps_take_unassigned": stored.get("reps_take_unassigned", False),
    }


def sla_due(settings: dict[str, Any], status: str, entered_at: datetime) -> datetime | None:
    """When a stage of `status` entered at `entered_at` overruns its SLA (None: won, lost)."""
    hours = settings["sla_hours"].get(StatusName(status).value)
    return None if hours is None else entered_at + timedelta(hours=float(hours))


FRESH_FOR = 2.0  # seconds a process reuses an entity's settings it read
_read: dict[int, tuple[float, dict[str, Any]]] = {}


async def of(actor: Actor) -> dict[str, Any]:
    """The actor's entity's effective settings. The lead writer asks for them with every batch:
    a process reuses what it read for FRESH_FOR seconds (it forgets at once the entities it
    updates itself), so another process's change reaches it within that."""
    now = time.monotonic()
    kept = _read.get(actor.entity_id)
    if kept is not None and kept[0] > now:
        return kept[1]
    entity: Entity = await own_entity(actor)
    settings = effective(entity.settings)
    _read[actor.entity_id] = (now + FRESH_FOR, settings)
    return settings


def forget(entity_id: int) -> None:
    """This process changed the entity's settings: read them again next time."""
    _read.pop(entity_id, None)


async def flag(actor: Actor, name: str) -> bool:
    """A yes/no setting of the actor's entity, its default when unset."""
    return bool((await of(actor))[name])
