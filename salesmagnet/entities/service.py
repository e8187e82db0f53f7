"""Entities: an admin sees and administers its own; operators create and delete them."""

from __future__ import annotations

import secrets
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError

from models import Entity, EntityWebhookKey, EventSequence, Lead, LeadMeta, PageMapping, User
from salesmagnet.analytics import service as analytics
from salesmagnet.db import atomic, iso, retried
from salesmagnet.entities import settings
from salesmagnet.entities.schemas import EntityUpdate, NewEntity, NewPageMapping
from salesmagnet.errors import BadRequest, Conflict, NotFound, validate
from salesmagnet.queue import JobQueue, enqueue_after_commit
from salesmagnet.reporting import schedules
from salesmagnet.stages import service as stages
from salesmagnet.tenancy import Actor, create, own_entity, scoped, unscoped
from salesmagnet.webhooks import service as webhooks


def out(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "settings": settings.effective(entity.settings),
        "created_at": iso(entity.created_at),
        "updated_at": iso(entity.updated_at),
    }


async def get(actor: Actor, entity_id: int) -> Entity:
    """The actor's own entity; any other id is the same 404 as a missing one."""
    if entity_id != actor.entity_id:
        raise NotFound("Entity not found")
    return await own_entity(actor)


async def get_by_name(actor: Actor, name: str) -> Entity:
    """The caller's entity by its name, in any case (names differ in more than case)."""
    entity = await own_entity(actor)
    if entity.name.lower() != name.lower():
        raise NotFound("Entity not found")
    return entity


async def update(actor: Actor, entity_id: int, data: EntityUpdate, queue: JobQueue | None = None) -> Entity:
    """Rename and/or merge settings (only the keys given change). Read and written under the
    entity's row lock, so two edits at once both land; open stages' deadlines follow new SLA
    hours in the same transaction (the breach monitor reads them)."""
    if entity_id != actor.entity_id:
        raise NotFound("Entity not found")
    _check_changes(data)
    entity, zone = await retried(lambda: _update(actor, data))
    settings.forget(entity.id)
    if settings.effective(entity.settings)["timezone"] != zone:  # the rollups' days move with it
        if queue is None:
            await analytics.rebuild(actor)
        else:  # a big entity takes longer than a request may
            await enqueue_after_commit(queue, "rebuild_analytics", entity.id)
    return entity


def _check_changes(data: EntityUpdate) -> None:
    """An update that changes nothing is refused (a setting beside `settings` already was:
    `EntityUpdate.misplaced`)."""
    if data.name is None and data.settings is None:
        raise BadRequest("No valid fields to update; editable: name, settings")


async def _update(actor: Actor, data: EntityUpdate) -> tuple[Entity, str]:
    """The update's transaction (run again as a deadlock's victim: re-dating open stages can
    cross a move of one): the entity as saved and its time zone before."""
    async with atomic():
        entity = await own_entity(actor, lock=True)
        if data.name is not None:
            await _name_free(data.name, but=entity.id)
            entity.name = data.name
        moved: dict[str, float] = {}
        zone = settings.effective(entity.settings)["timezone"]
        if data.settings is not None:
            before = settings.effective(entity.settings)["sla_hours"]
            entity.settings = _merged(
                entity.settings or {}, data.settings.model_dump(mode="json", exclude_none=True)
            )
            after = settings.effective(entity.settings)["sla_hours"]
            moved = {status: hours for status, hours in after.items() if before.get(status) != hours}
        try:
            await entity.save()
        except IntegrityError:
            raise Conflict("Entity name already exists") from None
        if moved:
            await stages.move_deadlines(actor, moved)
        if (now_zone := settings.effective(entity.settings)["timezone"]) != zone:
            await schedules.follow_zone(actor, ZoneInfo(now_zone))  # same local times, new zone
    return entity, zone


def _merged(stored: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """`given` over `stored`; SLA hours merge status by status."""
    if "sla_hours" in given:
        given["sla_hours"] = stored.get("sla_hours", {}) | given["sla_hours"]
    return stored | given


# -- operator commands (CLI) -----------------------------------------------------------------


async def names() -> list[str]:
    """Every entity's name, in id order."""
    return [str(n) for n in await Entity.all().order_by("id").values_list("name", flat=True)]


async def by_name(name: str) -> Entity:
    """The entity an operator names, in any case (names differ in more than case): MariaDB's
    collation matched `FXCareers` while SQLite's said it was unknown."""
    entity = await Entity.get_or_none(name=name) or await Entity.filter(name__iexact=name).first()
    if entity is None:
        raise NotFound(f"Unknown entity {name!r}")
    return entity


async def _name_free(name: str, but: int | None = None) -> None:
    """Names differ in more than case (MariaDB's collation already holds them so; SQLite's
    does not): operator commands find an entity by its name."""
    taken = Entity.filter(name__iexact=name)
    if await (taken if but is None else taken.exclude(id=but)).exists():
        raise Conflict(f"Entity {name!r} already exists")


async def create_entity(name: str) -> Entity:
    """A new entity with its event sequence (first events then lock a row that exists); its
    name follows the API's rule (EntityName), as a rename must."""
    name = validate(NewEntity, {"name": name}).name
    try:
        async with atomic():
            await _name_free(name)
            entity = await Entity.create(name=name)
            await EventSequence.create(entity_id=entity.id, last_seq=0)
    except IntegrityError:
        raise Conflict(f"Entity {name!r} already exists") from None
    return entity


async def delete_entity(name: str) -> None:
    """Delete an entity that holds no users and no leads."""
    entity = await by_name(name)
    system = Actor.system(entity.id)
    if await scoped(User, system).exists():
        raise Conflict(f"Entity {name!r} still has users")
    if await scoped(Lead, system).exists() or await scoped(LeadMeta, system).exists():
        raise Conflict(f"Entity {name!r} still has leads")
    await entity.delete()


async def webhook_key(name: str) -> str:
    """The entity's live website-webhook key, made on first use."""
    entity = await by_name(name)
    system = Actor.system(entity.id)
    key = await scoped(EntityWebhookKey, system, revoked_at=None).order_by("-id").first()
    if key is None:
        key = await create(EntityWebhookKey, system, key=secrets.token_urlsafe(32))
    return key.key


async def map_page(name: str, page_id: str, platform: str) -> tuple[PageMapping, int]:
    """Route Lead Ads of one page to the entity (moving it if mapped elsewhere, under either
    platform: a delivery names only the page, so a page routes to one entity); deliveries kept
    while the page was unmapped are routed now. Returns the mapping and how many were routed."""
    page_id = validate(NewPageMapping, {"page_id": page_id}).page_id
    entity = await by_name(name)
    async with atomic():
        await (
            unscoped(PageMapping)
            .filter(page_id=page_id)
            .exclude(entity_id=entity.id)
            .update(entity_id=entity.id)
        )
        mapping, _ = await unscoped(PageMapping).update_or_create(
            platform=platform, page_id=page_id, defaults={"entity_id": entity.id}
        )
    return mapping, await webhooks.route_waiting(entity.id, page_id)
