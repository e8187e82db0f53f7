"""A short-lived memo of global routing keys (webhook key, Lead Ads page id) → entity id."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable


class Routes:
    """Remembers each key found for `seconds`, so a revocation takes at most that long. A miss is
    not remembered: a key or page mapped a moment ago (by any process) is found at once."""

    def __init__(
        self, seconds: float, lookup: Callable[[str], Awaitable[int | None]], size: int = 10_000
    ) -> None:
        self._seconds = seconds
        self._lookup = lookup
        self._size = size
        self._known: dict[str, tuple[int, float]] = {}

    async def entity(self, key: str) -> int | None:
        now = time.monotonic()
        known = self._known.get(key)
        if known is not None and known[1] >= now:
            return known[0]
        found = await self._lookup(key)
        if found is None:
            self._known.pop(key, None)
            return None
        if len(self._known) >= self._size:
            self._known.clear()
        self._known[key] = (found, now + self._seconds)
        return found

    def forget(self, key: str) -> None:
        """The key's entity was found gone: the next delivery looks it up again."""
        self._known.pop(key, None)
