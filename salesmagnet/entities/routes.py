"""/api/entities: an entity's own users read it; its admins administer it."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from models import RoleId
from salesmagnet.auth.guards import requires
from salesmagnet.entities import service
from salesmagnet.entities.schemas import EntityOut, EntityUpdate
from salesmagnet.http import ok, parse, path_id
from salesmagnet.openapi.document import documented

bp = Blueprint("entities", url_prefix="/api/entities")


@bp.get("/")
@documented(list[EntityOut], extra={"total": int})
@requires()
async def list_entities(request: Request) -> HTTPResponse:
    """The caller's entity (the only one a user sees)."""
    entity = await service.get(request.ctx.actor, request.ctx.actor.entity_id)
    return ok([service.out(entity)], total=1)


@bp.get("/<entity_id>")
@documented(EntityOut)
@requires()
async def get_entity(request: Request, entity_id: str) -> HTTPResponse:
    """The caller's entity by id (another's is a 404)."""
    entity = await service.get(request.ctx.actor, path_id(entity_id, "entity_id"))
    return ok(service.out(entity))


@bp.get("/name/<name>")
@documented(EntityOut)
@requires()
async def get_entity_by_name(request: Request, name: str) -> HTTPResponse:
    """The caller's entity by name (another's is a 404)."""
    entity = await service.get_by_name(request.ctx.actor, name)
    return ok(service.out(entity))


@bp.put("/<entity_id>")
@documented(EntityOut, body=EntityUpdate, errors=(409,))
@requires(RoleId.ADMIN)
async def update_entity(request: Request, entity_id: str) -> HTTPResponse:
    """Change the entity's name or settings (admins)."""
    data = parse(EntityUpdate, request)
    queue = request.app.ctx.deps.queue
    entity = await service.update(request.ctx.actor, path_id(entity_id, "entity_id"), data, queue)
    return ok(service.out(entity), "Entity updated")
