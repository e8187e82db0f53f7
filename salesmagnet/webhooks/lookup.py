"""A short-lived memo of global routing keys (webhook key, Lead Ads page id) → entity id."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable


class Routes:
    """Remembers each answer (found or not) for `seconds`; a change takes at most that long."""

    def __init__(
        self, seconds: float, lookup: Callable[[str], Awaitable[int | None]], size: int = 10_000
    ) -> None:
        self._seconds = seconds
        self._lookup = lookup
        self._size = size
        self._known: dict[str, tuple[int | None, float]] = {}

    async def entity(self, key: str) -> int | None:
        now = time.monotonic()
        known = self._known.get(key)
        if known is None or known[1] < now:
            if len(self._known) >= self._size:
                self._known.clear()
            known = self._known[key] = (await self._lookup(key), now + self._seconds)
        return known[0]
