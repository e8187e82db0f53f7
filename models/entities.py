"""Tenants ("entities") and the keys and page mappings that route inbound leads to them."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class Entity(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    # {"sla_hours": {"new": 4, ...}, "auto_assignment": "off"|"round_robin"|"least_loaded",
    #  "timezone": "Europe/London", "webhook_allowed_origins": ["https://shop.example.com"],
    #  "webhook_redirect_hosts": ["shop.example.com"]} — validated by salesmagnet.entities.schemas.
    settings: dict[str, Any] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "entities"


class EntityWebhookKey(Model):
    """The shared secret a website form sends in X-Webhook-Key; the key decides the entity."""

    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="webhook_keys", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "entity_webhook_keys"


class PageMapping(Model):
    """Routes Facebook/Instagram Lead Ads of one page to one entity."""

    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="page_mappings", on_delete=fields.CASCADE
    )
    platform = fields.CharField(max_length=16)  # facebook | instagram
    page_id = fields.CharField(max_length=64)
    page_name = fields.CharField(max_length=150, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "page_mappings"
        unique_together = (("platform", "page_id"),)
