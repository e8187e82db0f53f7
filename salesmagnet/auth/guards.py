"""Route permissions: every handler is declared `@public` or `@requires(...)`.

`requires` authenticates the bearer token into an Actor on `request.ctx.actor`. The user row is
re-read on every request (one primary-key read), so deactivation, role changes and password
resets take effect at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from sanic import Request
from sanic.response import HTTPResponse

from models import RoleId
from salesmagnet.auth import service
from salesmagnet.errors import Forbidden, Unauthorized

Handler = Callable[..., Awaitable[HTTPResponse]]


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Access token is required")
    return token.strip()


def requires(*roles: RoleId) -> Callable[[Handler], Handler]:
    """Authenticated users; with roles, only those roles (403 for the others)."""

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            actor = await service.actor_for_token(
                request.app.ctx.deps.settings.jwt_secret, bearer_token(request)
            )
            if roles and actor.role not in roles:
                allowed = ", ".join(r.label for r in roles)
                raise Forbidden(f"This needs one of the roles: {allowed}")
            request.ctx.actor = actor
            return await handler(request, *args, **kwargs)

        guarded.__auth__ = roles or "authenticated"  # type: ignore[attr-defined]
        return guarded

    return decorate


def public(handler: Handler) -> Handler:
    handler.__auth__ = "public"  # type: ignore[attr-defined]
    return handler


MANAGERS = (RoleId.ADMIN, RoleId.MANAGER)
