"""Lead counters per entity, status, platform and owner (the lead_counts table).

Every change to how many leads an entity has in a status, on a platform or with an owner goes
through `add()`, in the transaction that makes the change, so `GET /api/leads` totals, the
queues, counts and the pipeline read a few counter rows instead of counting up to millions.
`rebuild()` recounts an entity from its leads (after a bulk load, or if counters were doubted).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from models import LeadCount, StatusName
from salesmagnet import events, statements
from salesmagnet.db import atomic, defer
from salesmagnet.tenancy import Actor, counts_statement, fetch, scoped

NOBODY = 0  # owner_id of unassigned leads
Key = tuple[str, str, int]  # (status, platform_key, owner_id)


async def add(actor: Actor, changes: Counter[Key] | dict[Key, int]) -> None:
    """Add (or, negative, take) leads per (status, platform, owner); call inside the writing
    transaction. The cells are written just before it commits (db.defer): every writer
    of the entity moves the same few cells (new, website, unassigned…), so their locks are held
    from there to the commit only, not through the rest of the transaction."""
    # In key order: writers that move the same cells lock them in one order (no deadlock).
    rows = [(*key, n) for key, n in sorted(changes.items()) if n]
    if not rows:
        return

    write = counts_statement(actor, "lead_counts", ("status", "platform_key", "owner_id"), "count", rows)
    if not defer(write):
        await statements.run([write])


async def by_status(actor: Actor, platform: str | None = None, owner: int | None = None) -> dict[str, int]:
    """Leads per status (every status, zeros included), optionally of one platform and of one
    owner (NOBODY: unassigned)."""
    where: list[str] = ["entity_id = :entity"]
    params: dict[str, Any] = {}
    if platform is not None:
        where.append("platform_key = :platform")
        params["platform"] = platform
    if owner is not None:
        where.append("owner_id = :owner")
        params["owner"] = owner
    sql = f"SELECT status, SUM(count) AS n FROM lead_counts WHERE {' AND '.join(where)} GROUP BY status"
    out = dict.fromkeys((s.value for s in StatusName), 0)
    for row in await fetch(actor, sql, **params):
        out[row["status"]] = int(row["n"])
    return out


async def by_status_at_seq(actor: Actor) -> tuple[dict[str, int], int]:
    """Leads per status (zeros included) and the entity's event seq they stand at, read by one
    statement: one snapshot, one round trip, where a transaction of two reads took four."""
    sql = (
        "SELECT status, SUM(count) AS n FROM lead_counts WHERE entity_id = :entity GROUP BY status "
        f"UNION ALL SELECT NULL, ({events.CURRENT_SEQ})"
    )
    out, seq = dict.fromkeys((s.value for s in StatusName), 0), 0
    for row in await fetch(actor, sql):
        if row["status"] is None:
            seq = int(row["n"] or 0)
        else:
            out[row["status"]] = int(row["n"])
    return out, seq


async def by_owner(actor: Actor) -> dict[int, tuple[int, int]]:
    """Per owner (the unassigned left out): (open leads, closed leads: won or lost)."""
    rows = await fetch(
        actor,
        "SELECT owner_id, SUM(CASE WHEN status IN ('won', 'lost') THEN 0 ELSE count END) AS open_n, "
        "SUM(CASE WHEN status IN ('won', 'lost') THEN count ELSE 0 END) AS closed_n "
        "FROM lead_counts WHERE entity_id = :entity AND owner_id <> 0 GROUP BY owner_id",
    )
    return {int(r["owner_id"]): (int(r["open_n"]), int(r["closed_n"])) for r in rows}


async def total(actor: Actor, status: str | None = None, **filters: Any) -> int:
    """All leads matching (`platform`, `owner` as in by_status)."""
    per_status = await by_status(actor, **filters)
    return per_status[status] if status else sum(per_status.values())


async def rebuild(actor: Actor) -> None:
    """Recount the entity's leads into its counters (while none of its leads are being written)."""
    async with atomic():
        rows = await fetch(
            actor,
            "SELECT status, platform_key, COALESCE(assigned_user_id, 0) AS owner, COUNT(*) AS n "
            "FROM lead_data WHERE entity_id = :entity GROUP BY status, platform_key, owner",
        )
        await scoped(LeadCount, actor).delete()
        await add(actor, {(r["status"], r["platform_key"], int(r["owner"])): int(r["n"]) for r in rows})
