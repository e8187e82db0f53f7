"""The probes' answers (outside the envelope, as load balancers read them) and the API root's data."""

from __future__ import annotations

from typing import Literal

from salesmagnet.auth.schemas import Out


class Root(Out):
    docs: str


class Health(Out):
    status: Literal["ok"]


class Ready(Out):
    status: Literal["ready", "degraded", "unavailable"]  # degraded: Redis away, still serving
    checks: dict[str, Literal["ok", "unreachable"]]
    message: str | None = None
