"""/api/realtime: who is online in the caller's entity."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from salesmagnet.auth.guards import requires
from salesmagnet.http import ok
from salesmagnet.openapi.document import documented
from salesmagnet.presence import service
from salesmagnet.presence.schemas import OnlineUser

bp = Blueprint("presence", url_prefix="/api/realtime")


@bp.get("/presence")
@documented(list[OnlineUser], extra={"total": int})
@requires()
async def presence(request: Request) -> HTTPResponse:
    """Who of the caller's entity is online now."""
    users = await service.online_users(request.app.ctx.deps.presence, request.ctx.actor)
    return ok(users, total=len(users))
