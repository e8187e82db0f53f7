"""The only door to tenant data: every query of a tenant table goes through here.

`scoped(Model, actor)` filters by the actor's entity; `get_owned()` turns an id of another
entity into the same 404 as an id that does not exist. tests/test_architecture.py fails on a
tenant query written anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from models import Entity, RoleId
from salesmagnet.errors import NotFound

M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: built once per request from the token (or by jobs and the CLI)."""

    user_id: int | None
    entity_id: int
    role: RoleId

    @classmethod
    def system(cls, entity_id: int) -> Actor:
        return cls(user_id=None, entity_id=entity_id, role=RoleId.ADMIN)


def scoped(model: type[M], actor: Actor, **filters: Any) -> QuerySet[M]:
    """`model`'s rows of the actor's entity (plus `filters`)."""
    return model.filter(entity_id=actor.entity_id, **filters)


def unscoped(model: type[M]) -> type[M]:
    """A tenant table across entities, for keys that are global by nature (a page id routes
    to one entity). Allowed only where tests/test_architecture.py lists it."""
    return model


async def get_owned(model: type[M], actor: Actor, pk: int, label: str | None = None) -> M:
    """The row with this id in the actor's entity, or NotFound — never another tenant's row."""
    row = await scoped(model, actor, id=pk).first()
    if row is None:
        raise NotFound(f"{label or model.__name__} not found")
    return row


async def own_entity(actor: Actor) -> Entity:
    """The actor's entity row (the tenant itself)."""
    entity = await Entity.get_or_none(id=actor.entity_id)
    if entity is None:
        raise NotFound("Entity not found")
    return entity
