"""Analytics queries: dates are days of the entity's time zone, both bounds included."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from models import Platform, StatusName
from salesmagnet.auth.schemas import Body, Day, DayTo, Figures, Out, RowId


class Days(Body):
    date_from: Day | None = None
    date_to: DayTo = None


def _statuses(value: Any) -> Any:
    """A status, several (a list, or comma-separated as a query parameter), or none."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()] or None
    return value


Statuses = Annotated[
    Annotated[list[StatusName], Field(max_length=len(StatusName))] | None, BeforeValidator(_statuses)
]


class Filters(Days):
    """Which leads: arrived within the days, and now in one of `status`, from `platform`, owned
    by `assigned_user_id`."""

    platform: Platform | None = None
    status: Statuses = None
    assigned_user_id: RowId | None = None


class Hours(Body):
    """The last `hours` whole hours, the current one included (at most a week)."""

    hours: int = Field(default=24, ge=1, le=168)


class TimeBased(Filters):
    group_by: Literal["day", "week", "month"] = "day"


class ActivityDays(Days):
    """Activities logged within the days, by `user_id` when given."""

    user_id: RowId | None = Field(default=None)


class SlaDays(Days):
    """Stages entered within the days, of `status` when given."""

    status: StatusName | None = None


class Rates(Figures):
    """Won and lost leads and their rates (percent); times in hours (None without any)."""

    won_leads: int
    lost_leads: int
    conversion_rate: float
    win_rate: float


class LeadFigures(Rates):
    total_leads: int
    avg_cycle_time: float | None
    avg_assignment_time: float | None
    assigned_leads: int
    unassigned_leads: int


class Dashboard(LeadFigures):
    recent_activities: list[dict[str, Any]]
    upcoming_follow_ups: list[dict[str, Any]]


class PlatformFigures(Rates):
    platform: str
    total_leads: int
    avg_cycle_time: float | None
    avg_assignment_time: float | None


class UserFigures(Figures):
    user_id: int
    first_name: str | None
    last_name: str | None
    email: str
    role: str
    leads_assigned: int
    leads_won: int
    leads_lost: int
    conversion_rate: float
    win_rate: float


class Share(Out):
    count: int
    percentage: float


class FunnelStage(Share):
    stage: str


class Funnel(Figures):
    stages: list[FunnelStage]
    lost: Share
    total_leads: int


class HourFigures(Out):
    hour: str  # the hour's start, ISO 8601 UTC
    new_leads: int


class PeriodFigures(Rates):
    period: str
    new_leads: int


class ActivityFigures(Figures):
    total_activities: int
    by_type: dict[str, int]
    by_priority: dict[str, int]
    by_status: dict[str, int]


class SlaFigures(Figures):
    total_leads: int
    within_sla: int
    exceeded_sla: int
    compliance_rate: float
    avg_exceeded_time: float | None
    by_status: dict[str, Any]
