"""/api/auth/users: user administration for admins and managers of the same entity."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from salesmagnet.auth.guards import MANAGERS, requires
from salesmagnet.auth.schemas import UserPublic
from salesmagnet.errors import NotFound, ValidationFailed
from salesmagnet.http import created, ok, parse, parse_query, path_id
from salesmagnet.openapi.document import documented
from salesmagnet.users import service
from salesmagnet.users.schemas import RoleChange, UserCreate, UserQuery, UserUpdate

bp = Blueprint("users", url_prefix="/api/auth/users")


@bp.get("/")
@documented(list[UserPublic], query=UserQuery, extra={"total": int, "limit": int, "offset": int})
@requires(*MANAGERS)
async def list_users(request: Request) -> HTTPResponse:
    """The entity's users (`total` counts every match)."""
    result = await service.list_users(request.ctx.actor, parse_query(UserQuery, request))
    return ok(result.pop("users"), **result)


@bp.get("/entity/<entity_id>")
@documented(list[UserPublic], query=UserQuery, extra={"total": int, "limit": int, "offset": int})
@requires(*MANAGERS)
async def list_entity_users(request: Request, entity_id: str) -> HTTPResponse:
    """The users of the caller's own entity (another entity's id is a 404)."""
    if path_id(entity_id, "entity_id") != request.ctx.actor.entity_id:
        raise NotFound("Entity not found")
    result = await service.list_users(request.ctx.actor, parse_query(UserQuery, request))
    return ok(result.pop("users"), **result)


@bp.post("/")
@documented(UserPublic, body=UserCreate, status=201, errors=(409,))
@requires(*MANAGERS)
async def create_user(request: Request) -> HTTPResponse:
    """Create a verified user in the caller's entity (managers: sales reps and support only)."""
    return created(await service.create_user(request.ctx.actor, parse(UserCreate, request)), "User created")


@bp.get("/<user_id>")
@documented(UserPublic)
@requires(*MANAGERS)
async def get_user(request: Request, user_id: str) -> HTTPResponse:
    """One user of the entity."""
    return ok(await service.get_user(request.ctx.actor, path_id(user_id)))


@bp.put("/<user_id>")
@documented(UserPublic, body=UserUpdate, errors=(409,))
@requires(*MANAGERS)
async def update_user(request: Request, user_id: str) -> HTTPResponse:
    """Change a user's names, phone or active flag."""
    data = parse(UserUpdate, request)
    return ok(await service.update_user(request.ctx.actor, path_id(user_id), data), "User updated")


@bp.patch("/<user_id>/role")
@documented(UserPublic, body=RoleChange)
@requires(*MANAGERS)
async def change_role(request: Request, user_id: str) -> HTTPResponse:
    """Change a user's role (by name or id)."""
    role = parse(RoleChange, request).chosen()
    if role is None:
        raise ValidationFailed("Validation failed: role", errors=[{"field": "role", "message": "required"}])
    return ok(await service.change_role(request.ctx.actor, path_id(user_id), role), "Role updated")


@bp.delete("/<user_id>")
@documented()
@requires(*MANAGERS)
async def deactivate(request: Request, user_id: str) -> HTTPResponse:
    """Deactivate a user (history keeps them); their tokens stop working at once."""
    await service.deactivate(request.ctx.actor, path_id(user_id))
    return ok(message="User deactivated")
