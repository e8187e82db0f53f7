"""Answer shapes of /api/realtime."""

from __future__ import annotations

from salesmagnet.auth.schemas import Out


class OnlineUser(Out):
    user_id: int
    first_name: str
    last_name: str
    role: str
    since: str  # when the user came online (ISO 8601)
