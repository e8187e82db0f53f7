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
    # The relay's progress: every event up to here was delivered, or published by the relay.
    relayed_seq = fields.BigIntField(default=0)

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

    entity_id: int

    class Meta:
        table = "event_outbox"
        unique_together = (("entity", "seq"),)
        indexes = (("created_at",),)


class EventDelivery(Model):
    """An outbox event delivered to its rooms; written once, never updated.

    Marking the outbox row itself (an UPDATE of a ~700-byte row) doubled the redo log each lead
    cost the database. The relay drops these rows once its progress passes their events."""

    event_id = fields.CharField(max_length=36, primary_key=True)

    class Meta:
        table = "event_deliveries"
