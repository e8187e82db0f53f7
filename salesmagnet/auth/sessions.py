"""Access that ended or changed ends everywhere, sockets included.

After the commit that deactivates a user, changes their role or password, or logs them out
everywhere, a service calls `access_changed(user_id)` (after a sign-out of one sign-in,
`sign_in_ended`, which disconnects only that sign-in's sockets): this process forgets the user's kept
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
Listener = Callable[[int, str | None], Awaitable[None]]  # user id, sign-in (None: every one)
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
    await _notify(user_id, None)


async def sign_in_ended(user_id: int, sign_in: str) -> None:
    """After a sign-out (its refresh-token family revoked): every process reads the user
    afresh, so that sign-in's access tokens are refused, and disconnects its sockets; the
    user's other sign-ins go on."""
    await _notify(user_id, sign_in)


async def _notify(user_id: int, sign_in: str | None) -> None:
    identity.forget(user_id)
    if _listener is None:
        return
    try:
        await _listener(user_id, sign_in)
    except Exception as exc:
        outages.log_failure(log, exc, "disconnecting the sockets of user %s failed", user_id)


@dataclass(frozen=True)
class Standing:
    """What a connection was authenticated as, and until when (its token's expiry)."""

    user_id: int
    session_version: int
    role: RoleId
    expires: float = math.inf  # epoch seconds
    sign_in: str | None = None  # the token's refresh-token family


async def lapsed(held: Mapping[K, Standing]) -> list[K]:
    """The keys whose token has expired, whose sign-in ended, or whose user is no longer
    active and verified at the same session version and role."""
    user_ids = sorted({s.user_id for s in held.values()})
    current: dict[int, tuple[int, int]] = {}
    for start in range(0, len(user_ids), CHECK_BATCH):
        current |= await identity.standings(user_ids[start : start + CHECK_BATCH])
    sign_ins = sorted({s.sign_in for s in held.values() if s.sign_in is not None})
    ended: set[str] = set()
    for start in range(0, len(sign_ins), CHECK_BATCH):
        ended |= await identity.ended_sign_ins(sign_ins[start : start + CHECK_BATCH])
    now = time.time()
    return [
        key
        for key, s in held.items()
        if s.expires <= now
        or s.sign_in in ended
        or current.get(s.user_id) != (s.session_version, int(s.role))
    ]
