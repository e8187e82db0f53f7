"""Report templates, generated reports, schedules, their runs, and export files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.entities import Entity
    from models.users import User


class ReportTemplate(Model):
    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="report_templates", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=255)
    description = fields.TextField(null=True)
    report_type = fields.CharField(max_length=32)
    filters: dict[str, Any] = fields.JSONField(default=dict)
    group_by = fields.CharField(max_length=100, null=True)
    sort_by = fields.CharField(max_length=100, default="created_at")
    sort_order = fields.CharField(max_length=4, default="DESC")
    format = fields.CharField(max_length=8, default="json", db_default="json")  # json | csv | xlsx
    recipients: list[Any] = fields.JSONField(default=list)
    is_active = fields.BooleanField(default=True)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="report_templates", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "report_templates"
        indexes = (("entity_id", "report_type"), ("entity_id", "is_active", "created_at"))


class GeneratedReport(Model):
    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="generated_reports", on_delete=fields.CASCADE
    )
    template: fields.ForeignKeyNullableRelation[ReportTemplate] = fields.ForeignKeyField(
        "models.ReportTemplate", related_name="reports", null=True, on_delete=fields.SET_NULL
    )
    report_type = fields.CharField(max_length=32)
    filters: dict[str, Any] = fields.JSONField(default=dict)
    data: Any = fields.JSONField()
    format = fields.CharField(max_length=8, default="json")
    generated_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="generated_reports", null=True, on_delete=fields.SET_NULL
    )
    generated_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "generated_reports"
        indexes = (
            ("entity_id", "generated_at"),
            ("entity_id", "report_type", "generated_at"),
            ("entity_id", "template_id"),
        )


class ReportSchedule(Model):
    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="report_schedules", on_delete=fields.CASCADE
    )
    template: fields.ForeignKeyRelation[ReportTemplate] = fields.ForeignKeyField(
        "models.ReportTemplate", related_name="schedules", on_delete=fields.CASCADE
    )
    frequency = fields.CharField(max_length=8)  # daily | weekly | monthly
    time_of_day = fields.CharField(max_length=5)  # HH:MM in the entity's time zone
    day_of_week = fields.SmallIntField(null=True)  # 0 = Sunday
    day_of_month = fields.SmallIntField(null=True)
    recipients: list[Any] | None = fields.JSONField(null=True)  # None: the template recipients
    is_active = fields.BooleanField(default=True)
    next_run_at = fields.DatetimeField(null=True)
    last_run_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "report_schedules"
        indexes = (("entity_id", "is_active"), ("is_active", "next_run_at"))


class ReportExecution(Model):
    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="report_executions", on_delete=fields.CASCADE
    )
    schedule: fields.ForeignKeyNullableRelation[ReportSchedule] = fields.ForeignKeyField(
        "models.ReportSchedule", related_name="executions", null=True, on_delete=fields.SET_NULL
    )
    report: fields.ForeignKeyNullableRelation[GeneratedReport] = fields.ForeignKeyField(
        "models.GeneratedReport", related_name="executions", null=True, on_delete=fields.SET_NULL
    )
    status = fields.CharField(max_length=16)  # in_progress | success | failed
    due_at = fields.DatetimeField()
    started_at = fields.DatetimeField(auto_now_add=True)
    completed_at = fields.DatetimeField(null=True)
    error_message = fields.TextField(null=True)
    records_processed = fields.IntField(null=True)
    recipients: list[Any] | None = fields.JSONField(null=True)
    attempts = fields.SmallIntField(default=0, db_default=0)  # mail deliveries tried

    class Meta:
        table = "report_executions"
        unique_together = (("schedule", "due_at"),)
        indexes = (("entity_id", "started_at"),)


class Export(Model):
    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="exports", on_delete=fields.CASCADE
    )
    requested_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="exports", null=True, on_delete=fields.SET_NULL
    )
    report_type = fields.CharField(max_length=32)
    format = fields.CharField(max_length=8)
    filters: dict[str, Any] = fields.JSONField(default=dict)
    status = fields.CharField(max_length=16, default="pending")  # pending | running | ready | failed
    file_name = fields.CharField(max_length=255, null=True)
    row_count = fields.IntField(null=True)  # rows to write, once counted
    rows_done = fields.IntField(default=0, db_default=0)
    last_lead_id = fields.IntField(null=True)  # a lead list holds the leads up to this id (as asked)
    size_bytes = fields.IntField(null=True)
    error_message = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    completed_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField(null=True)
    lease_until = fields.DatetimeField(null=True)  # a running export's writer renews it while alive
    runs = fields.SmallIntField(default=0, db_default=0)  # writers that took it up

    class Meta:
        table = "exports"
        indexes = (("entity_id", "created_at"), ("status", "expires_at"))
