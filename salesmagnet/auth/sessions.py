"""Access that ended or changed ends everywhere, sockets included.

After the commit that deactivates a user, changes their role or password, or logs them out
everywhere, a service calls `access_changed(user_id)`: this process forgets the user's kept
authentication row (salesmagnet.auth.identity), and the realtime layer (which registers itself
with `set_listener`) disconnects that user's sockets in every server process, each forgetting
the row too. A socket
also keeps the standing it was opened with, which `lapsed` checks again periodically (one query
for many sockets), catching what a lost notice missed, and its token's expiry: a socket does not
outlive the token it was opened with (the client reconnects with a renewed one).
"""

from __future__ import annotations

import logging
import math
import time
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
    """What a connection was authenticated as, and until when (its token's expiry)."""

    user_id: int
    session_version: int
    role: RoleId
    expires: float = math.inf  # epoch seconds


async def lapsed(held: Mapping[K, Standing]) -> list[K]:
    """The keys whose token has expired, or whose user is no longer active and verified at the
    same session version and role."""
    user_ids = sorted({s.user_id for s in held.values()})
    current: dict[int, tuple[int, int]] = {}
    for start in range(0, len(user_ids), CHECK_BATCH):
        current |= await identity.standings(user_ids[start : start + CHECK_BATCH])
    now = time.time()
    return [
        key
        for key, s in held.items()
        if s.expires <= now or current.get(s.user_id) != (s.session_version, int(s.role))
    ]
