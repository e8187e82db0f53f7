"""Activity bodies and queries as the API document spells them (camelCase), snake_case too."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AliasChoices, Field, StringConstraints, model_validator

from models import ActivityPriority, ActivityStatus, ActivityType
from salesmagnet.auth.schemas import MAX_OFFSET, Body, RowId
from salesmagnet.leads.schemas import Page, choice, moment

Description = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
When = Annotated[datetime, moment(end_of_day=False)]  # ISO 8601, with or without Z or an offset
Kind = Annotated[ActivityType, choice(ActivityType, "activity type", strict=True)]
Priority = Annotated[ActivityPriority, choice(ActivityPriority, "priority", strict=True)]
Status = Annotated[ActivityStatus, choice(ActivityStatus, "status", strict=True)]
MAX_BULK = 1000


def _either(camel: str, snake: str) -> AliasChoices:
    return AliasChoices(camel, snake)


class LogActivity(Body):
    lead_id: RowId = Field(validation_alias=_either("leadId", "lead_id"))
    activity_type: Kind = Field(validation_alias=_either("activityType", "activity_type"))
    description: Description
    next_follow_up_at: When | None = Field(
        default=None, validation_alias=AliasChoices("nextFollowUpDate", "next_follow_up_date")
    )
    priority: Priority = ActivityPriority.MEDIUM
    status: Status = ActivityStatus.PENDING
    notes: Notes | None = None


class UpdateStatus(Body):
    activity_id: RowId = Field(validation_alias=_either("activityId", "activity_id"))
    status: Status
    notes: Notes | None = None


class UpdateFollowUp(Body):
    activity_id: RowId = Field(validation_alias=_either("activityId", "activity_id"))
    next_follow_up_at: When = Field(validation_alias=AliasChoices("nextFollowUpDate", "next_follow_up_date"))
    notes: Notes | None = None


class BulkFollowUps(Body):
    activity_ids: list[RowId] = Field(
        min_length=1, max_length=MAX_BULK, validation_alias=_either("activityIds", "activity_ids")
    )
    next_follow_up_at: When = Field(validation_alias=AliasChoices("nextFollowUpDate", "next_follow_up_date"))
    notes: Notes | None = None

    @model_validator(mode="after")
    def _once_each(self) -> BulkFollowUps:
        self.activity_ids = list(dict.fromkeys(self.activity_ids))
        return self


def _optional(kind: Any, name: str) -> Any:
    return Annotated[kind | None, choice(kind, name)]


class Window(Body):
    """When activities were logged: `date_from` inclusive, `date_to` exclusive (a bare date
    includes its whole day)."""

    date_from: Annotated[datetime | None, moment(end_of_day=False)] = None
    date_to: Annotated[datetime | None, moment(end_of_day=True)] = None


class LeadActivities(Page, Window):
    activity_type: _optional(ActivityType, "activity type") = None  # type: ignore[valid-type]
    user_id: RowId | None = None
    priority: _optional(ActivityPriority, "priority") = None  # type: ignore[valid-type]
    status: _optional(ActivityStatus, "status") = None  # type: ignore[valid-type]


class EntityActivities(LeadActivities):
    lead_id: RowId | None = None


class UserActivities(LeadActivities):
    """The caller's own activities (a `user_id` given is ignored: it is the caller)."""


class Timeline(Page):
    pass


class Recent(Body):
    limit: int = Field(default=20, ge=1, le=500)


class FollowUps(Page):
    """Follow-ups by due time: `date_from` / `date_to` bound when they are due."""

    user_id: RowId | None = None
    priority: _optional(ActivityPriority, "priority") = None  # type: ignore[valid-type]
    date_from: Annotated[datetime | None, moment(end_of_day=False)] = None
    date_to: Annotated[datetime | None, moment(end_of_day=True)] = None


class Overdue(FollowUps):
    limit: int = Field(default=100, ge=1, le=500)


class UserWindow(Window):
    user_id: RowId | None = None
    limit: int = Field(default=100, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)
