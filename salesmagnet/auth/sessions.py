"""Access that ended or changed ends everywhere, sockets included.

After the commit that deactivates a user, changes their role or password, or logs them out
everywhere, a service calls `access_changed(user_id)`: this process forgets the user's kept
authentication row (salesmagnet.auth.identity), and the realtime layer (which registers itself
with `set_listener`) disconnects that user's sockets in every server process, each forgetting
the row too. A socket
also keeps the standing it was opened with, which `lapsed` checks again periodically (one query
for many sockets), catching what a lost notice missed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from models import RoleId
from salesmagnet import outages
from salesmagnet.auth import identity

log = logging.getLogger(__name__)
Listener = Callable[[int], Awaitable[None]]
K = TypeVar("K")
CHECK_BATCH = 500  # users read per query by `lapsed`

_listener: Listener | None = None


def set_listener(listener: Listener | None) -> None:
    global _listener
    _listener = listener


async def access_changed(user_id: int) -> None:
    """Read the user afresh and disconnect their sockets, everywhere. Call after the commit; a
    failure is logged (the periodic check still ends those sockets), never raised to the
    caller."""
    identity.forget(user_id)
    if _listener is None:
        return
    try:
        await _listener(user_id)
    except Exception as exc:
        outages.log_failure(log, exc, "disconnecting the sockets of user %s failed", user_id)


@dataclass(frozen=True)
class Standing:
    """What a connection was authenticated as."""

    user_id: int
    session_version: int
    role: RoleId


async def lapsed(held: Mapping[K, Standing]) -> list[K]:
    """The keys whose user is no longer active and verified at the same session version and
    role."""
    user_ids = sorted({s.user_id for s in held.values()})
    current: dict[int, tuple[int, int]] = {}
    for start in range(0, len(user_ids), CHECK_BATCH):
        current |= await identity.standings(user_ids[start : start + CHECK_BATCH])
    return [key for key, s in held.items() if current.get(s.user_id) != (s.session_version, int(s.role))]
