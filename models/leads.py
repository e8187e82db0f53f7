"""Leads and their lifecycle: attribution, data, assignments, stages, activities."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.contrib.mysql.indexes import FullTextIndex
from tortoise.models import Model

if TYPE_CHECKING:
    from models.entities import Entity
    from models.users import User


MAX_PHONE = 30
MAX_NAME = 100  # a first or a last name
MAX_FULL_NAME = 200
MAX_EMAIL = 254  # the longest address mail can be sent to (RFC 5321: its path, less the brackets)


class Platform(StrEnum):
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    WEBSITE = "website"
    MANUAL = "manual"  # created by a manager through the API


class IngestionStatus(StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    FAILED = "failed"


class StatusName(StrEnum):
    NEW = "new"
    QUALIFIED = "qualified"
    CONTACTED = "contacted"
    MEETING_SCHEDULED = "meeting_scheduled"
    PROPOSAL_SENT = "proposal_sent"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"


# lead_statuses row ids: the statuses in pipeline order, from 1 (seeded by `salesmagnet migrate`).
STATUS_IDS = {status: number for number, status in enumerate(StatusName, start=1)}


class AssignmentAction(StrEnum):
    ASSIGN = "assign"
    REASSIGN = "reassign"
    UNASSIGN = "unassign"
    BULK = "bulk"
    AUTO = "auto"


class ActivityType(StrEnum):
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    NOTE = "note"
    STATUS_CHANGE = "status_change"
    ASSIGNMENT = "assignment"
    FOLLOW_UP = "follow_up"


class ActivityPriority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


class ActivityStatus(StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class WordIndex(FullTextIndex):
    """A MariaDB/MySQL FULLTEXT index; SQLite (the embedded default) has none and scans."""

    def get_sql(self, schema_generator: Any, model: type[Model], safe: bool) -> str:
        if schema_generator.DIALECT == "sqlite":
            return ""
        return super().get_sql(schema_generator, model, safe)


class ExactCharField(fields.CharField[str]):
    """Text compared exactly, as SQLite compares it, on MariaDB too: its default collation folds
    case and accents ("aB1" = "Ab1", "é" = "e"), so a unique key or lookup on such a column
    would take two ids for one. The column is declared binary (utf8mb4_bin) there."""

    class _db_mysql:  # noqa: N801 (Tortoise looks the dialect up by this name)
        def __init__(self, field: fields.CharField[str]) -> None:
            self.field = field

        @property
        def SQL_TYPE(self) -> str:  # noqa: N802
            return f"VARCHAR({self.field.max_length}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"


class LeadStatus(Model):
    """Reference table of the eight pipeline statuses (global, seeded)."""

    id = fields.IntField(primary_key=True, generated=False)
    name = fields.CharField(max_length=50, unique=True)
    description = fields.TextField(null=True)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "lead_statuses"


class LeadMeta(Model):
    """Transport and attribution of a lead; the unique key makes redeliveries harmless."""

    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="lead_meta", on_delete=fields.RESTRICT
    )
    platform_key = fields.CharEnumField(Platform, max_length=16)
    # A sender's own id of the delivery: two that differ only in case are two leads.
    source_lead_id = ExactCharField(max_length=128)
    page_id = fields.CharField(max_length=64, null=True)
    form_id = fields.CharField(max_length=64, null=True)
    ad_id = fields.CharField(max_length=64, null=True)
    campaign_id = fields.CharField(max_length=64, null=True)
    created_time = fields.DatetimeField(null=True)
    received_at = fields.DatetimeField(auto_now_add=True)
    page_url = fields.CharField(max_length=512, null=True)
    utm_source = fields.CharField(max_length=100, null=True)
    utm_medium = fields.CharField(max_length=100, null=True)
    utm_campaign = fields.CharField(max_length=150, null=True)
    utm_term = fields.CharField(max_length=100, null=True)
    utm_content = fields.CharField(max_length=100, null=True)
    processing_status = fields.CharEnumField(IngestionStatus, max_length=16, default=IngestionStatus.RECEIVED)
    failure_reason = fields.CharField(max_length=255, null=True)

    entity_id: int

    class Meta:
        table = "lead_meta"
        unique_together = (("platform_key", "source_lead_id", "entity"),)
        indexes = (
            ("entity_id", "processing_status", "received_at"),
            ("entity_id", "form_id"),
            ("entity_id", "campaign_id"),
            ("entity_id", "utm_source", "utm_campaign"),
            ("processing_status", "received_at"),  # the stuck-delivery sweep, across entities
        )


class WebhookDelivery(Model):
    """An inbound Lead Ads change before it is routed to an entity (unmapped pages fail here)."""

    id = fields.IntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    page_id = fields.CharField(max_length=64)
    source_lead_id = ExactCharField(max_length=128)
    payload: Any = fields.JSONField()
    entity: fields.ForeignKeyNullableRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="webhook_deliveries", null=True, on_delete=fields.SET_NULL
    )
    lead_meta: fields.ForeignKeyNullableRelation[LeadMeta] = fields.ForeignKeyField(
        "models.LeadMeta", related_name="deliveries", null=True, on_delete=fields.SET_NULL
    )
    status = fields.CharEnumField(IngestionStatus, max_length=16, default=IngestionStatus.RECEIVED)
    failure_reason = fields.CharField(max_length=255, null=True)
    attempts = fields.SmallIntField(default=0)
    received_at = fields.DatetimeField(auto_now_add=True)
    processed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "webhook_deliveries"
        unique_together = (("platform", "source_lead_id"),)
        indexes = (("status", "received_at"), ("entity_id", "status", "received_at"))


class Lead(Model):
    """The lead (lead_data.id is "the lead id" everywhere); carries its current owner and status."""

    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="leads", on_delete=fields.RESTRICT
    )
    lead_meta: fields.OneToOneRelation[LeadMeta] = fields.OneToOneField(
        "models.LeadMeta", related_name="lead", on_delete=fields.CASCADE
    )
    email = fields.CharField(max_length=MAX_EMAIL, null=True)
    phone = fields.CharField(max_length=MAX_PHONE, null=True)
    first_name = fields.CharField(max_length=MAX_NAME, null=True)
    last_name = fields.CharField(max_length=MAX_NAME, null=True)
    full_name = fields.CharField(max_length=MAX_FULL_NAME, null=True)
    raw_field_data: Any = fields.JSONField(null=True)
    consent_time = fields.DatetimeField(null=True)
    platform_key = fields.CharEnumField(Platform, max_length=16)
    source_page_id = fields.CharField(max_length=64, null=True)
    source_page_name = fields.CharField(max_length=150, null=True)
    status = fields.CharEnumField(StatusName, max_length=20, default=StatusName.NEW)
    status_changed_at = fields.DatetimeField(auto_now_add=True)
    assigned_user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="leads", null=True, on_delete=fields.SET_NULL
    )
    assigned_at = fields.DatetimeField(null=True)
    first_assigned_at = fields.DatetimeField(null=True)  # the first owner's: "time to assignment"
    reached = fields.SmallIntField(
        default=1, db_default=1
    )  # statuses ever held: bit (id - 1) of each (the funnel)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    # Words of the email, names and phone, each prefixed with "w" (salesmagnet.leads.search).
    search_text = fields.TextField(null=True)

    entity_id: int
    assigned_user_id: int | None

    class Meta:
        table = "lead_data"
        indexes = (
            ("entity_id", "created_at"),
            ("entity_id", "updated_at"),
            ("entity_id", "status", "created_at"),
            ("entity_id", "platform_key", "created_at"),
            ("entity_id", "assigned_user_id", "created_at"),
            ("entity_id", "email"),
            ("entity_id", "phone"),
            ("entity_id", "status", "status_changed_at"),
            WordIndex(fields=("search_text",)),
        )


class LeadAssignment(Model):
    """One row per assignment event: the full history (the lead row holds the current owner)."""

    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="assignments", on_delete=fields.RESTRICT
    )
    lead: fields.ForeignKeyRelation[Lead] = fields.ForeignKeyField(
        "models.Lead", related_name="assignments", on_delete=fields.CASCADE
    )
    action = fields.CharEnumField(AssignmentAction, max_length=16)
    assigned_user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="assignments", null=True, on_delete=fields.RESTRICT
    )
    # null: the system (auto assignment)
    assigned_by_user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="assignments_made", null=True, on_delete=fields.RESTRICT
    )
    previous_user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="assignments_lost", null=True, on_delete=fields.RESTRICT
    )
    reassignment_reason = fields.CharField(max_length=255, null=True)
    notes = fields.TextField(null=True)
    assigned_at = fields.DatetimeField(auto_now_add=True)
    ended_at = fields.DatetimeField(null=True)

    class Meta:
        table = "lead_assignments"
        indexes = (
            ("entity_id", "lead_id", "assigned_at"),
            ("entity_id", "assigned_user_id", "assigned_at"),
            ("entity_id", "assigned_at"),
        )


class AssignmentCursor(Model):
    """Turns of the round-robin auto-assignment of an entity: a batch of n new leads takes turns
    `turn - n + 1 … turn` in one locking statement, so processes share one rotation."""

    id = fields.IntField(primary_key=True)
    entity: fields.OneToOneRelation[Entity] = fields.OneToOneField(
        "models.Entity", related_name="assignment_cursor", on_delete=fields.CASCADE
    )
    turn = fields.BigIntField(default=0)

    entity_id: int

    class Meta:
        table = "assignment_cursors"


class LeadStage(Model):
    """A period a lead spent in one status; the open one has no exited_at."""

    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="stages", on_delete=fields.RESTRICT
    )
    lead: fields.ForeignKeyRelation[Lead] = fields.ForeignKeyField(
        "models.Lead", related_name="stages", on_delete=fields.CASCADE
    )
    status: fields.ForeignKeyRelation[LeadStatus] = fields.ForeignKeyField(
        "models.LeadStatus", related_name="stages", on_delete=fields.RESTRICT
    )
    entered_at = fields.DatetimeField(auto_now_add=True)
    exited_at = fields.DatetimeField(null=True)
    duration_hours = fields.DecimalField(max_digits=10, decimal_places=2, null=True)
    # who moved the lead here; null for the system (first stage)
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="stages", null=True, on_delete=fields.RESTRICT
    )
    notes = fields.TextField(null=True)
    next_action_required = fields.CharField(max_length=255, null=True)
    # When the stage's SLA runs out (entered_at + the entity's SLA hours for the status, as they
    # were when it opened); null for won and lost, which have none.
    sla_due_at = fields.DatetimeField(null=True)
    sla_breached_at = fields.DatetimeField(null=True)  # set once: "sla:breach" announced
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "lead_stages"
        indexes = (
            ("entity_id", "lead_id", "entered_at"),
            ("entity_id", "status_id", "entered_at"),
            ("entity_id", "exited_at", "entered_at"),
            ("entity_id", "entered_at"),
            # Open stages whose breach is not announced yet, by deadline, across entities: the
            # breach monitor reads only what became due (announced ones leave the range).
            ("exited_at", "sla_breached_at", "sla_due_at"),
        )


class LeadActivity(Model):
    """A call, e-mail, meeting, note, follow-up, status change or assignment logged on a lead;
    a pending one with `next_follow_up_at` is a follow-up due then."""

    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="activities", on_delete=fields.RESTRICT
    )
    lead: fields.ForeignKeyRelation[Lead] = fields.ForeignKeyField(
        "models.Lead", related_name="activities", on_delete=fields.CASCADE
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="activities", on_delete=fields.RESTRICT
    )
    activity_type = fields.CharEnumField(ActivityType, max_length=20)
    description = fields.TextField()
    notes = fields.TextField(null=True)
    next_follow_up_at = fields.DatetimeField(null=True)
    priority = fields.CharEnumField(ActivityPriority, max_length=10, default=ActivityPriority.MEDIUM)
    status = fields.CharEnumField(ActivityStatus, max_length=10, default=ActivityStatus.PENDING)
    # The due time whose `followup:overdue` went out ("once per activity and due time"); cleared
    # when the follow-up is moved to another time, which arms it again.
    overdue_notified_for = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "lead_activities"
        indexes = (
            ("entity_id", "lead_id", "created_at"),
            ("entity_id", "user_id", "created_at"),
            ("entity_id", "status", "next_follow_up_at"),
            ("entity_id", "status", "priority", "next_follow_up_at"),  # pending follow-ups, most urgent first
            ("entity_id", "activity_type", "created_at"),
            ("entity_id", "created_at"),
            # Pending follow-ups not announced yet, by due time, across entities (the overdue
            # monitor): announced ones leave the range.
            ("status", "overdue_notified_for", "next_follow_up_at"),
        )


class ActivityCount(Model):
    """Activities per entity, owner, type, status and priority, changed in the transaction that
    logs or updates them (salesmagnet.activities.records): list totals read these instead of
    counting up to millions of rows. `dated` parts those with a follow-up date from the others."""

    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="activity_counts", on_delete=fields.CASCADE
    )
    user_id = fields.IntField()
    activity_type = fields.CharEnumField(ActivityType, max_length=20)
    status = fields.CharEnumField(ActivityStatus, max_length=10)
    priority = fields.CharEnumField(ActivityPriority, max_length=10)
    # next_follow_up_at is set: a pending activity with one is a follow-up to do
    dated = fields.BooleanField(default=False, db_default=False)
    count = fields.IntField(default=0)

    entity_id: int

    class Meta:
        table = "activity_counts"
        unique_together = (("entity", "user_id", "activity_type", "status", "priority", "dated"),)


class LeadCount(Model):
    """Leads per entity, status, platform and owner, changed in the same transaction as the
    leads (salesmagnet.leads.counts): totals, counts and the pipeline read these instead of
    counting rows."""

    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="lead_counts", on_delete=fields.CASCADE
    )
    status = fields.CharEnumField(StatusName, max_length=20)
    platform_key = fields.CharEnumField(Platform, max_length=16)
    owner_id = fields.IntField(default=0)  # the assigned user; 0 for nobody (a unique key ignores NULLs)
    count = fields.IntField(default=0)

    entity_id: int

    class Meta:
        table = "lead_counts"
        unique_together = (("entity", "status", "platform_key", "owner_id"),)


class LeadRollup(Model):
    """Leads per entity and day of arrival (in the time zone of the entity), current status, platform,
    owner and statuses ever held, with what the analytics average over them; moved in the same
    transaction as the leads (salesmagnet.leads.rollups), so analytics read a few rows a day
    instead of the leads."""

    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="lead_rollups", on_delete=fields.CASCADE
    )
    day = fields.DateField()
    status = fields.CharEnumField(StatusName, max_length=20)
    platform_key = fields.CharEnumField(Platform, max_length=16)
    owner_id = fields.IntField(default=0)  # 0 for nobody, as in lead_counts
    reached = fields.SmallIntField(default=1)
    leads = fields.IntField(default=0)
    assigned = fields.IntField(default=0)  # of them ever given an owner
    assign_seconds = fields.BigIntField(default=0)  # arrival to first owner, summed over `assigned`
    cycle_seconds = fields.BigIntField(default=0)  # arrival to won or lost, summed over those closed
    created_seconds = fields.BigIntField(default=0)  # arrival times (Unix seconds), summed: their mean age

    entity_id: int

    class Meta:
        table = "lead_rollups"
        unique_together = (("entity", "day", "status", "platform_key", "owner_id", "reached"),)


class ActivityRollup(Model):
    """Activities per entity, day logged (in the time zone of the entity), owner, type, status and
    priority; moved with activity_counts (salesmagnet.activities.records)."""

    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="activity_rollups", on_delete=fields.CASCADE
    )
    day = fields.DateField()
    user_id = fields.IntField()
    activity_type = fields.CharEnumField(ActivityType, max_length=20)
    status = fields.CharEnumField(ActivityStatus, max_length=10)
    priority = fields.CharEnumField(ActivityPriority, max_length=10)
    count = fields.IntField(default=0)

    entity_id: int

    class Meta:
        table = "activity_rollups"
        unique_together = (("entity", "day", "user_id", "activity_type", "status", "priority"),)


class StageRollup(Model):
    """Stages per entity, day entered (in the time zone of the entity), status and mover, with
    what the stage metrics sum over them; moved in the transaction that opens, closes or
    announces a stage (salesmagnet.stages.rollups). Hours are kept in hundredths."""

    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="stage_rollups", on_delete=fields.CASCADE
    )
    day = fields.DateField()
    status_id = fields.SmallIntField()
    user_id = fields.IntField(default=0)  # who opened the stage; 0 for nobody (an arrival)
    entries = fields.IntField(default=0)
    exits = fields.IntField(default=0)  # of them closed
    centihours = fields.BigIntField(default=0)  # durations of the closed ones, summed
    centihours_min = fields.IntField(null=True)
    centihours_max = fields.IntField(null=True)
    over_24 = fields.IntField(default=0)  # closed ones longer than 24 hours
    over_48 = fields.IntField(default=0)
    over_72 = fields.IntField(default=0)
    sla_closed = fields.IntField(default=0)  # closed ones that had a deadline
    sla_kept = fields.IntField(default=0)  # of those, closed by it
    late_seconds = fields.BigIntField(default=0)  # past the deadline, summed over the closed late
    breached_open = fields.IntField(default=0)  # open ones announced past their deadline
    first_moves = fields.IntField(default=0)  # the mover's first move of the lead (distinct leads)

    entity_id: int

    class Meta:
        table = "stage_rollups"
        unique_together = (("entity", "day", "status_id", "user_id"),)


class StageMove(Model):
    """Moves per entity, day (in the time zone of the entity), status left and status entered,
    with the hours spent in the status left (hundredths, summed)."""

    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="stage_moves", on_delete=fields.CASCADE
    )
    day = fields.DateField()
    from_status_id = fields.SmallIntField()
    to_status_id = fields.SmallIntField()
    moves = fields.IntField(default=0)
    centihours = fields.BigIntField(default=0)

    entity_id: int

    class Meta:
        table = "stage_moves"
        unique_together = (("entity", "day", "from_status_id", "to_status_id"),)
