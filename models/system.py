"""Bookkeeping of the embedded (SQLite) schema; MySQL keeps its history in aerich's table."""

from tortoise import fields
from tortoise.models import Model


class SchemaState(Model):
    key = fields.CharField(max_length=64, primary_key=True)
    value = fields.CharField(max_length=128)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "schema_state"
