"""Tortoise models, one module per aggregate. Tortoise discovers the classes re-exported here."""

from models.entities import Entity, EntityWebhookKey, PageMapping
from models.events import EventDelivery, EventOutbox, EventSequence
from models.leads import (
    STATUS_IDS,
    ActivityPriority,
    ActivityStatus,
    ActivityType,
    AssignmentAction,
    IngestionStatus,
    Lead,
    LeadActivity,
    LeadAssignment,
    LeadCount,
    LeadMeta,
    LeadStage,
    LeadStatus,
    Platform,
    StatusName,
    WebhookDelivery,
)
from models.reporting import (
    Export,
    GeneratedReport,
    ReportExecution,
    ReportSchedule,
    ReportTemplate,
)
from models.system import SchemaState
from models.users import Invite, OtpCode, OtpPurpose, RefreshToken, Role, RoleId, User

__all__ = [
    "STATUS_IDS",
    "ActivityPriority",
    "ActivityStatus",
    "ActivityType",
    "AssignmentAction",
    "Entity",
    "EntityWebhookKey",
    "EventDelivery",
    "EventOutbox",
    "EventSequence",
    "Export",
    "GeneratedReport",
    "IngestionStatus",
    "Invite",
    "Lead",
    "LeadActivity",
    "LeadAssignment",
    "LeadCount",
    "LeadMeta",
    "LeadStage",
    "LeadStatus",
    "OtpCode",
    "OtpPurpose",
    "PageMapping",
    "Platform",
    "RefreshToken",
    "ReportExecution",
    "ReportSchedule",
    "ReportTemplate",
    "Role",
    "RoleId",
    "SchemaState",
    "StatusName",
    "User",
    "WebhookDelivery",
]
