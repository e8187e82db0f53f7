"""The transactional outbox behind real-time push (CONTRACT.md §3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.entities import Entity


class EventSequence(Model):
    """One row per entity holding its last event seq; locked to hand out gapless numbers."""

    entity_id = fields.IntField(primary_key=True, generated=False)
    last_seq = fields.BigIntField(default=0)

    class Meta:
        table = "event_sequences"


class EventOutbox(Model):
    id = fields.BigIntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="events", on_delete=fields.CASCADE
    )
    seq = fields.BigIntField()
    event_id = fields.CharField(max_length=36, unique=True)
    name = fields.CharField(max_length=40)
    payload: Any = fields.JSONField()
    user_ids: list[int] = fields.JSONField(default=list)  # extra user:<id> rooms
    created_at = fields.DatetimeField(auto_now_add=True)
    published_at = fields.DatetimeField(null=True)

    entity_id: int

    class Meta:
        table = "event_outbox"
        unique_together = (("entity", "seq"),)
        indexes = (("published_at", "id"), ("created_at",))
