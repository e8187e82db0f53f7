"""Activity bodies and queries as the API document spells them (camelCase), snake_case too."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BeforeValidator, Field, StringConstraints, model_validator

from models import ActivityPriority, ActivityStatus, ActivityType
from salesmagnet.auth.schemas import MULTI_LINE, Body, Figures, Out, RowId
from salesmagnet.leads.schemas import Dated, LeadNames, Page, choice, moment, page_limit

Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000), MULTI_LINE
]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000), MULTI_LINE]
_A_DATE = "give YYYY-MM-DD or an ISO 8601 date-time"


def _given(value: Any) -> Any:
    """A time to set, refused by its own field when blank or null (not by the members of the
    union it is read into, `nextFollowUpDate.datetime` and `.date`)."""
    if value is None or value == "":
        raise ValueError(f"a date is required (a follow-up date is moved, never cleared): {_A_DATE}")
    return value


def _none_or_given(value: Any) -> Any:
    if value == "":
        raise ValueError(f"blank: leave it out (or null) for no follow-up, or {_A_DATE}")
    return value


# A date-time in UTC, or a bare day of the entity's zone (moment()); and one that may be null.
When = Annotated[datetime | date, moment(), BeforeValidator(_given)]
MaybeWhen = Annotated[datetime | date | None, moment(), BeforeValidator(_none_or_given)]
Kind = Annotated[ActivityType, choice(ActivityType, "activity type", strict=True)]
Priority = Annotated[ActivityPriority, choice(ActivityPriority, "priority", strict=True)]
Status = Annotated[ActivityStatus, choice(ActivityStatus, "status", strict=True)]
MAX_BULK = 1000


def _either(camel: str, snake: str) -> AliasChoices:
    return AliasChoices(camel, snake)


def _due(**default: Any) -> Any:
    """`nextFollowUpDate`: when a follow-up is due."""
    return Field(
        **default,
        validation_alias=_either("nextFollowUpDate", "next_follow_up_date"),
        description="When the follow-up is due: an ISO 8601 date-time (with Z or an offset; UTC "
        "without one), or a bare day YYYY-MM-DD, due from the start of that day in the entity's time "
        "zone (settings.timezone). Answers give it in UTC with Z.",
    )


class LogActivity(Body):
    lead_id: RowId = Field(validation_alias=_either("leadId", "lead_id"))
    activity_type: Kind = Field(validation_alias=_either("activityType", "activity_type"))
    description: Description
    next_follow_up_at: MaybeWhen = _due(default=None)
    priority: Priority = ActivityPriority.MEDIUM
    status: Status = ActivityStatus.PENDING
    notes: Notes | None = None


class UpdateStatus(Body):
    activity_id: RowId = Field(validation_alias=_either("activityId", "activity_id"))
    status: Status
    notes: Notes | None = None


class UpdateFollowUp(Body):
    activity_id: RowId = Field(validation_alias=_either("activityId", "activity_id"))
    next_follow_up_at: When = _due()
    notes: Notes | None = None


class BulkFollowUps(Body):
    activity_ids: list[RowId] = Field(
        min_length=1, max_length=MAX_BULK, validation_alias=_either("activityIds", "activity_ids")
    )
    next_follow_up_at: When = _due()
    notes: Notes | None = None

    @model_validator(mode="after")
    def _once_each(self) -> BulkFollowUps:
        self.activity_ids = list(dict.fromkeys(self.activity_ids))
        return self


def _optional(kind: Any, name: str) -> Any:
    return Annotated[kind | None, choice(kind, name)]


class Window(Dated):
    """When activities were logged."""


class ActivityFilters(Page, Window):
    """The filters every activity list takes."""

    activity_type: _optional(ActivityType, "activity type") = None  # type: ignore[valid-type]
    priority: _optional(ActivityPriority, "priority") = None  # type: ignore[valid-type]
    status: _optional(ActivityStatus, "status") = None  # type: ignore[valid-type]


class LeadActivities(ActivityFilters):
    user_id: RowId | None = None


class EntityActivities(LeadActivities):
    lead_id: RowId | None = None


class UserActivities(ActivityFilters):
    """The caller's own activities: no `user_id` (another user's are refused, not answered with
    the caller's)."""


class Timeline(Page):
    pass


class Recent(Page):
    limit: int = page_limit(20)


class FollowUps(Page, Dated):
    """Follow-ups by due time: `date_from` / `date_to` bound when they are due. `user_id`: logged
    by that user; `for_user_id`: that user's to do, logged by them or on a lead they own now."""

    user_id: RowId | None = None
    for_user_id: RowId | None = None
    priority: _optional(ActivityPriority, "priority") = None  # type: ignore[valid-type]


class UserWindow(Page, Window):
    user_id: RowId | None = None
    limit: int = page_limit(100)


class ActivityOut(LeadNames):
    """An activity as the lists show it (who logged it and its lead)."""

    id: int
    lead_id: int
    user_id: int | None
    activity_type: str
    description: str | None
    notes: str | None
    next_follow_up_date: datetime | None
    priority: str
    status: str
    created_at: datetime
    updated_at: datetime
    first_name: str | None = None
    last_name: str | None = None
    user_email: str | None = None
    lead_status: str | None = None
    platform_key: str | None = None
    lead_assigned_user_id: int | None = None


class FollowUpOut(ActivityOut):
    hours_until_follow_up: int | None = None
    hours_overdue: int | None = None


class Logged(Out):
    activity_id: int
    activity: ActivityOut


class BulkFollowedUp(Out):
    updated_count: int
    next_follow_up_date: datetime | None
    not_updated: list[int]


class TimelineEntry(Figures):
    """One event of a lead's timeline: an activity, an assignment or a stage (their fields)."""

    kind: Literal["activity", "assignment", "stage"]
    id: int
    at: datetime


class FollowUpSummary(Out):
    total_pending: int
    urgent_pending: int
    high_pending: int
    due_within_24h: int
    due_within_week: int
    overdue: int


class Tally(Figures):
    """Activities counted by one key (type, priority): totals, completed, pending, cancelled."""

    total_activities: int
    completed_activities: int
    pending_activities: int
    cancelled_activities: int
    completion_rate: float


class UserActivityFigures(Figures):
    id: int
    first_name: str | None
    last_name: str | None
    email: str
    total_activities: int
    completed_activities: int
    pending_activities: int
    cancelled_activities: int
    follow_ups_scheduled: int
    overdue_follow_ups: int
    completion_rate: float


class TypeSummary(Out):
    activity_type: str
    total_count: int
    pending_count: int
    completed_count: int
