"""Lead counters per entity, status and platform (the lead_counts table).

Every change to how many leads an entity has in a status goes through `add()`, in the
transaction that makes the change, so `GET /api/leads` totals, counts and the pipeline read a
few counter rows instead of counting up to millions. `rebuild()` recounts an entity from its
leads (after a bulk load, or if counters were ever doubted).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from models import LeadCount, StatusName
from salesmagnet.db import atomic
from salesmagnet.tenancy import Actor, add_counts, fetch, scoped

Key = tuple[str, str]  # (status, platform_key)


async def add(actor: Actor, changes: Counter[Key] | dict[Key, int]) -> None:
    """Add (or, negative, take) leads per (status, platform); call inside the writing transaction."""
    rows = [(status, platform, n) for (status, platform), n in changes.items() if n]
    if rows:
        await add_counts(actor, "lead_counts", ("status", "platform_key"), "count", rows)


async def by_status(actor: Actor, platform: str | None = None) -> dict[str, int]:
    """Leads per status (every status, zeros included), optionally of one platform."""
    rows = await fetch(actor, "SELECT status, platform_key, count FROM lead_counts WHERE entity_id = :entity")
    out = dict.fromkeys((s.value for s in StatusName), 0)
    for row in rows:
        if platform is None or row["platform_key"] == platform:
            out[row["status"]] = out.get(row["status"], 0) + int(row["count"])
    return out


def total(per_status: dict[str, int], statuses: Iterable[str] | None = None) -> int:
    return sum(n for s, n in per_status.items() if statuses is None or s in statuses)


async def rebuild(actor: Actor) -> None:
    """Recount the entity's leads into its counters (while none of its leads are being written)."""
    async with atomic():
        rows = await fetch(
            actor,
            "SELECT status, platform_key, COUNT(*) AS n FROM lead_data WHERE entity_id = :entity "
            "GROUP BY status, platform_key",
        )
        await scoped(LeadCount, actor).delete()
        await add(actor, {(r["status"], r["platform_key"]): int(r["n"]) for r in rows})
