"""Presence: `presence:changed` on a user's first connect and last disconnect, through the
outbox like every event (so it carries a seq and is replayed)."""

from __future__ import annotations

from typing import Any

from models import RoleId, User
from salesmagnet import events
from salesmagnet.db import atomic
from salesmagnet.presence.store import PresenceStore, now_iso
from salesmagnet.tenancy import Actor, scoped


async def _announce(entity_id: int, user_id: int, online: bool, at: str) -> None:
    async with atomic():
        events.emit(
            events.Event("presence:changed", entity_id, {"user_id": user_id, "online": online, "since": at})
        )


async def connected(store: PresenceStore, actor: Actor, sid: str) -> None:
    assert actor.user_id is not None
    since = await store.join(actor.entity_id, actor.user_id, f"{store.process_id}:{sid}")
    if since:
        await _announce(actor.entity_id, actor.user_id, True, since)


async def disconnected(store: PresenceStore, actor: Actor, sid: str) -> None:
    assert actor.user_id is not None
    if await store.leave(actor.entity_id, actor.user_id, f"{store.process_id}:{sid}"):
        await _announce(actor.entity_id, actor.user_id, False, now_iso())


async def rejoin(store: PresenceStore, sockets: dict[str, Actor]) -> None:
    """Record this process's live sockets (sid → actor, kept current by the caller) again: their
    records were lost with Redis's data, swept while the heartbeat lapsed, or never made (Redis
    was away at their connect). A user who thereby comes online is announced."""
    for sid, actor in list(sockets.items()):
        await connected(store, actor, sid)
        if sid not in sockets:  # it disconnected meanwhile: its leave may have come first
            await disconnected(store, actor, sid)


async def sweep(store: PresenceStore) -> int:
    """Announce users whose every connection belonged to processes that died."""
    gone = await store.sweep()
    for entity_id, user_id in gone:
        await _announce(entity_id, user_id, False, now_iso())
    return len(gone)


async def online_users(store: PresenceStore, actor: Actor) -> list[dict[str, Any]]:
    """Who is online in the actor's entity, with names and roles."""
    since = await store.online(actor.entity_id)
    if not since:
        return []
    rows = await scoped(User, actor, id__in=list(since), is_active=True).values(
        "id", "first_name", "last_name", "role_id"
    )
    return [
        {
            "user_id": row["id"],
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "role": RoleId(row["role_id"]).label,
            "since": since[row["id"]],
        }
        for row in sorted(rows, key=lambda r: since[r["id"]])
    ]
