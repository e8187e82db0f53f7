"""The lead events of CONTRACT.md §3, built from a lead summary."""

from __future__ import annotations

from typing import Any

from salesmagnet.events import Event


def lead_new(entity_id: int, lead: dict[str, Any]) -> Event:
    return Event("lead:new", entity_id, {"lead": lead})


def lead_updated(entity_id: int, lead: dict[str, Any], changed: list[str]) -> Event:
    return Event("lead:updated", entity_id, {"lead": lead, "changed": changed})
