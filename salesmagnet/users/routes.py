"""/api/auth/users: user administration for admins and managers of the same entity."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from salesmagnet.auth.guards import MANAGERS, requires
from salesmagnet.errors import NotFound, ValidationFailed
from salesmagnet.http import created, ok, parse, parse_query, path_id
from salesmagnet.users import service
from salesmagnet.users.schemas import RoleChange, UserCreate, UserQuery, UserUpdate

bp = Blueprint("users", url_prefix="/api/auth/users")


@bp.get("/")
@requires(*MANAGERS)
async def list_users(request: Request) -> HTTPResponse:
    result = await service.list_users(request.ctx.actor, parse_query(UserQuery, request))
    return ok(result.pop("users"), **result)


@bp.get("/entity/<entity_id>")
@requires(*MANAGERS)
async def list_entity_users(request: Request, entity_id: str) -> HTTPResponse:
    if path_id(entity_id, "entity_id") != request.ctx.actor.entity_id:
        raise NotFound("Entity not found")
    result = await service.list_users(request.ctx.actor, parse_query(UserQuery, request))
    return ok(result.pop("users"), **result)


@bp.post("/")
@requires(*MANAGERS)
async def create_user(request: Request) -> HTTPResponse:
    return created(await service.create_user(request.ctx.actor, parse(UserCreate, request)), "User created")


@bp.get("/<user_id>")
@requires(*MANAGERS)
async def get_user(request: Request, user_id: str) -> HTTPResponse:
    return ok(await service.get_user(request.ctx.actor, path_id(user_id)))


@bp.put("/<user_id>")
@requires(*MANAGERS)
async def update_user(request: Request, user_id: str) -> HTTPResponse:
    data = parse(UserUpdate, request)
    return ok(await service.update_user(request.ctx.actor, path_id(user_id), data), "User updated")


@bp.patch("/<user_id>/role")
@requires(*MANAGERS)
async def change_role(request: Request, user_id: str) -> HTTPResponse:
    role = parse(RoleChange, request).chosen()
    if role is None:
        raise ValidationFailed("Validation failed: role", errors=[{"field": "role", "message": "required"}])
    return ok(await service.change_role(request.ctx.actor, path_id(user_id), role), "Role updated")


@bp.delete("/<user_id>")
@requires(*MANAGERS)
async def deactivate(request: Request, user_id: str) -> HTTPResponse:
    await service.deactivate(request.ctx.actor, path_id(user_id))
    return ok(message="User deactivated")
