"""Bodies and queries of reporting: the API document's snake_case and the earlier code's
camelCase are both accepted (`report_type` or `reportType`, …)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BeforeValidator,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from models import Platform
from salesmagnet.analytics.schemas import Filters, Statuses
from salesmagnet.auth.schemas import MULTI_LINE, Body, Day, DayTo, Email, Figures, Out, RowId
from salesmagnet.leads.schemas import Page, page_limit


def both(name: str, **constraints: Any) -> Any:
    """A field read as `snake_case` or as `camelCase`."""
    head, *rest = name.split("_")
    camel = head + "".join(part.title() for part in rest)
    return Field(validation_alias=AliasChoices(name, camel), **constraints)


class ReportType(StrEnum):
    LEAD_SUMMARY = "lead_summary"
    PLATFORM_PERFORMANCE = "platform_performance"
    USER_PERFORMANCE = "user_performance"
    CONVERSION_FUNNEL = "conversion_funnel"
    TIME_BASED = "time_based"
    ACTIVITY_SUMMARY = "activity_summary"
    SLA_COMPLIANCE = "sla_compliance"
    LEADS = "leads"  # the raw lead list (exports only)


# The API document's names for the lead summary.
ALIASES = {"lead_performance": ReportType.LEAD_SUMMARY, "lead_analytics": ReportType.LEAD_SUMMARY}
REPORTS = [t for t in ReportType if t is not ReportType.LEADS]  # what a report or template runs


def _report_type(allowed: list[ReportType]) -> Any:
    def check(value: Any) -> Any:
        if value is None or value == "":
            raise ValueError("report type is required")
        found = ALIASES.get(value) if isinstance(value, str) else None
        if found is None and value in [t.value for t in allowed]:
            found = ReportType(value)
        if found is None or found not in allowed:
            names = ", ".join([t.value for t in allowed] + list(ALIASES))
            raise ValueError(f"unknown report type {value!r}; allowed: {names}")
        return found

    return BeforeValidator(check)


def _named(allowed: list[ReportType]) -> Any:
    """The OpenAPI schema of a report type: the names taken (the aliases too)."""
    return WithJsonSchema({"type": "string", "enum": [t.value for t in allowed] + list(ALIASES)})


AReport = Annotated[ReportType, _report_type(REPORTS), _named(REPORTS)]
AnExport = Annotated[ReportType, _report_type(list(ReportType)), _named(list(ReportType))]
GroupBy = Literal["day", "week", "month"]
Order = Literal["asc", "desc"]


class Period(StrEnum):
    """Days relative to when a report runs, in the entity's time zone (reports.period_days)."""

    TODAY = "today"
    YESTERDAY = "yesterday"
    LAST_7_DAYS = "last_7_days"  # today and the 6 days before it
    LAST_30_DAYS = "last_30_days"  # today and the 29 days before it
    THIS_WEEK = "this_week"  # Monday (ISO weeks, as group_by week) to today
    LAST_WEEK = "last_week"  # the Monday to Sunday before this week
    THIS_MONTH = "this_month"  # the 1st to today
    LAST_MONTH = "last_month"  # the whole month before this one


WINDOW = ("period", "date_from", "date_to")  # a report's days: a period, or fixed dates
FILTERS = (
    "The report's filters (snake_case or camelCase): date_from and date_to (YYYY-MM-DD, days of "
    f"the entity), or period ({', '.join(Period)}: days relative to when the report runs, a "
    "scheduled run's due time, in the entity's time zone); platform, status, assigned_user_id, "
    "user_id (activity_summary), group_by. One the report type does not use is a 400."
)


class Format(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


SORT_BY = "a column of the report type's rows (reports.COLUMNS); another is a 400 listing them"


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


class ReportFilters(Body):
    """Which leads (or activities, or stages) a report covers; days of the entity's time zone."""

    date_from: Day | None = both("date_from", default=None)
    date_to: DayTo = both("date_to", default=None)
    period: Annotated[Period | None, BeforeValidator(_lower)] = Field(
        default=None,
        description="days relative to when the report runs (a scheduled run: its due time), instead "
        "of date_from and date_to; resolved into them in the entity's time zone",
    )
    platform: Platform | None = None
    status: Statuses = None
    assigned_user_id: RowId | None = both("assigned_user_id", default=None)
    user_id: RowId | None = both("user_id", default=None)  # activity_summary: whose activities
    group_by: GroupBy | None = both("group_by", default=None)

    @classmethod
    def names(cls) -> set[str]:
        """Every key a filter is given by (snake_case and camelCase)."""
        return set(cls.fields_by_key())

    @classmethod
    def fields_by_key(cls) -> dict[str, str]:
        """The filter each key names (snake_case and camelCase)."""
        found = {}
        for name, field in cls.model_fields.items():
            found[name] = name
            if isinstance(field.validation_alias, AliasChoices):
                found |= {str(choice): name for choice in field.validation_alias.choices}
        return found

    @classmethod
    def overlay(cls, base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
        """`base` overlaid by `over`: a filter of `over` replaces the same filter of `base`
        whichever spelling (snake_case or camelCase) either uses; each keeps its own."""
        by_key = cls.fields_by_key()
        replaced = {by_key.get(key, key) for key in over}
        if replaced & set(WINDOW):  # days given replace a period, and a period given the days
            replaced |= set(WINDOW)
        return {k: v for k, v in base.items() if by_key.get(k, k) not in replaced} | over

    def lead_filters(self) -> Filters:
        return Filters(
            date_from=self.date_from,
            date_to=self.date_to,
            platform=self.platform,
            status=self.status,
            assigned_user_id=self.assigned_user_id,
        )


class _Asked(Body):
    """What the custom report, the export and a template's run share: the filters, with the
    dates and grouping also accepted beside them (the filters' own win)."""

    filters: dict[str, Any] = Field(default_factory=dict, description=FILTERS)
    date_from: Day | None = both("date_from", default=None)
    date_to: Day | None = both("date_to", default=None)
    group_by: GroupBy | None = both("group_by", default=None)

    def merged(self) -> dict[str, Any]:
        beside = {"date_from": self.date_from, "date_to": self.date_to, "group_by": self.group_by}
        return ReportFilters.overlay({k: v for k, v in beside.items() if v is not None}, self.filters)


class CustomReport(_Asked):
    report_type: AReport = both("report_type")
    sort_by: str | None = both("sort_by", default=None, max_length=64, description=SORT_BY)
    sort_order: Annotated[Order, BeforeValidator(_lower)] = both("sort_order", default="desc")
    limit: int = Field(default=100, ge=1, le=10_000)


class ExportIn(_Asked):
    report_type: AnExport = both("report_type")
    format: Annotated[Format, BeforeValidator(_lower)] = Format.CSV


class TemplateSchedule(Body):
    """When a schedule runs: `time` is HH:MM in the entity's time zone; weekly needs
    `day_of_week` (0 = Sunday … 6, or the day's name), monthly `day_of_month` (1 to 31, the
    month's last day when it is shorter)."""

    frequency: Annotated[Literal["daily", "weekly", "monthly"], BeforeValidator(_lower)]
    time: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    day_of_week: int | None = both("day_of_week", default=None)
    day_of_month: int | None = both("day_of_month", default=None, ge=1, le=31)

    @field_validator("day_of_week", mode="before")
    @classmethod
    def _weekday(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.isdigit():
            names = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
            found = [n for n, day in enumerate(names) if day.startswith(value.strip().lower()[:3])]
            if len(value.strip()) < 3 or not found:
                raise ValueError("day_of_week is 0 (Sunday) to 6 (Saturday), or a day's name")
            return found[0]
        return value

    @model_validator(mode="after")
    def _days(self) -> TemplateSchedule:
        if self.day_of_week is not None and not 0 <= self.day_of_week <= 6:
            raise ValueError("day_of_week is 0 (Sunday) to 6 (Saturday)")
        if self.frequency == "weekly" and self.day_of_week is None:
            raise ValueError("a weekly schedule needs day_of_week (0 = Sunday … 6 = Saturday)")
        if self.frequency == "monthly" and self.day_of_month is None:
            raise ValueError("a monthly schedule needs day_of_month (1 to 31)")
        return self


def _once(addresses: list[str]) -> list[str]:
    """Each address once, in the order given: a report is mailed to each recipient, so an
    address given twice would get it twice (`Email` has lower-cased them: case is no difference)."""
    return list(dict.fromkeys(addresses))


Recipients = Annotated[list[Email], Field(max_length=50), AfterValidator(_once)]
# A template's name, as lists and mail subjects show it: its surrounding blanks dropped, never blank.
TemplateName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
Description = Annotated[str, MULTI_LINE]  # a template's, of several lines


class TemplateIn(Body):
    name: TemplateName
    report_type: AReport = Field(validation_alias=AliasChoices("report_type", "reportType", "type"))
    description: Description | None = Field(default=None, max_length=2000)
    filters: dict[str, Any] = Field(default_factory=dict, description=FILTERS)
    group_by: GroupBy | None = both("group_by", default=None)
    sort_by: str | None = both("sort_by", default=None, max_length=64, description=SORT_BY)
    sort_order: Annotated[Order, BeforeValidator(_lower)] = both("sort_order", default="desc")
    format: Annotated[Format, BeforeValidator(_lower)] = Format.JSON
    recipients: Recipients = Field(default_factory=list)
    is_active: bool = both("is_active", default=True)
    schedule: TemplateSchedule | None = None  # also made a schedule of the template


class TemplateUpdate(Body):
    """Each field given replaces the stored one; the report type does not change."""

    name: TemplateName | None = None
    description: Description | None = Field(default=None, max_length=2000)
    filters: dict[str, Any] | None = Field(default=None, description=FILTERS)
    group_by: GroupBy | None = both("group_by", default=None)
    sort_by: str | None = both("sort_by", default=None, max_length=64, description=SORT_BY)
    sort_order: Annotated[Order | None, BeforeValidator(_lower)] = both("sort_order", default=None)
    format: Annotated[Format | None, BeforeValidator(_lower)] = None
    recipients: Recipients | None = None
    is_active: bool | None = both("is_active", default=None)


class TemplateQuery(Page):
    is_active: bool | None = both("is_active", default=None)
    report_type: Annotated[ReportType | None, BeforeValidator(lambda v: ALIASES.get(v, v) or None)] = both(
        "report_type", default=None
    )
    limit: int = page_limit(100)


class Generate(Body):
    custom_filters: dict[str, Any] = both(
        "custom_filters", default_factory=dict, description=f"over the template's: {FILTERS}"
    )


class GenerateAndSave(Generate):
    template_id: RowId = both("template_id")
    format: Annotated[Format, BeforeValidator(_lower)] = Format.JSON


class ReportIn(Body):
    template_id: RowId = both("template_id")
    report_type: AReport | None = both(
        "report_type", default=None, description="the template's (none: the template's; another is a 400)"
    )
    data: dict[str, Any] | list[Any]  # a report's figures, as generate answers them
    filters: dict[str, Any] = Field(default_factory=dict)
    format: Annotated[Format, BeforeValidator(_lower)] = Format.JSON


class ReportsQuery(Page):
    report_type: Annotated[ReportType | None, BeforeValidator(lambda v: ALIASES.get(v, v) or None)] = both(
        "report_type", default=None
    )
    generated_by: RowId | None = both("generated_by", default=None)
    date_from: Day | None = both("date_from", default=None)
    date_to: DayTo = both("date_to", default=None)


class StatisticsQuery(Body):
    date_from: Day | None = both("date_from", default=None)
    date_to: DayTo = both("date_to", default=None)
    report_type: Annotated[ReportType | None, BeforeValidator(lambda v: ALIASES.get(v, v) or None)] = both(
        "report_type", default=None
    )


class ScheduleIn(TemplateSchedule):
    template_id: RowId = both("template_id")
    recipients: Recipients | None = None  # none: the template's
    is_active: bool = both("is_active", default=True)


class ScheduleUpdate(Body):
    """Each field given replaces the stored one; the timing is checked as a whole again."""

    frequency: Annotated[Literal["daily", "weekly", "monthly"] | None, BeforeValidator(_lower)] = None
    time: str | None = Field(default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    day_of_week: int | str | None = both("day_of_week", default=None)
    day_of_month: int | None = both("day_of_month", default=None, ge=1, le=31)
    recipients: Recipients | None = None
    is_active: bool | None = both("is_active", default=None)


class SchedulesQuery(Page):
    is_active: bool | None = both("is_active", default=None)
    template_id: RowId | None = both("template_id", default=None)
    limit: int = page_limit(100)


class ExecutionsQuery(Page):
    schedule_id: RowId | None = both("schedule_id", default=None)
    status: Literal["in_progress", "mailing", "success", "failed"] | None = None


class TemplateOut(Out):
    id: int
    name: str
    description: str | None
    report_type: str
    filters: dict[str, Any]
    group_by: str | None
    sort_by: str | None
    sort_order: str
    format: str
    recipients: list[str]
    is_active: bool
    created_by: int | None
    created_at: datetime
    updated_at: datetime


class ScheduleOut(Out):
    id: int
    template_id: int
    name: str
    template_description: str | None
    report_type: str
    format: str
    frequency: str
    time: str
    day_of_week: int | None
    day_of_month: int | None
    timezone: str
    recipients: list[str]
    next_run: datetime | None = Field(description="null while paused")
    last_run: datetime | None
    status: Literal["active", "paused"] = Field(description="active: it runs at next_run")
    paused_reason: Literal["schedule_inactive", "template_inactive"] | None = Field(
        description="why it is paused: its own is_active is false, or its template's (null: active)"
    )
    is_active: bool = Field(
        description="the schedule's own switch (PUT is_active); status says whether it runs"
    )
    created_at: datetime
    updated_at: datetime


class NewSchedule(ScheduleOut):
    schedule_id: int


class NewTemplate(TemplateOut):
    template_id: int
    schedule: ScheduleOut | None = None


class Generator(Out):
    id: int
    name: str
    email: str


class ReportOut(Out):
    """A generated report; `data` (its figures) only when one report is read."""

    id: int
    template_id: int | None
    template_name: str | None
    report_type: str
    filters: dict[str, Any]
    format: str
    generated_by: int | None
    user: Generator | None
    generated_at: datetime
    data: Any = None
    saved: bool | None = None


class Saved(Out):
    report_id: int
    report: ReportOut


class Generated(Out):
    template: TemplateOut
    filters: dict[str, Any]
    data: Any
    generated_at: datetime


class ReportStatistics(Figures):
    report_type: str
    format: str
    total_reports: int


class ExecutionOut(Out):
    id: int
    schedule_id: int | None
    report_id: int | None
    status: str = Field(
        description="in_progress, mailing (its report kept, the mail going out: mailed once at most), "
        "success or failed"
    )
    due_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    error: str | None
    rows: int | None
    recipients: Any
    attempts: int


class ExportOut(Out):
    id: int
    report_type: str
    format: str
    filters: dict[str, Any]
    status: str
    rows_total: int | None
    rows_done: int | None
    progress: float | None
    file_name: str | None
    size_bytes: int | None
    error: str | None
    created_at: datetime
    completed_at: datetime | None
    expires_at: datetime | None
    status_url: str
    download_url: str | None


class CustomReportOut(Out):
    report_type: str
    filters: dict[str, Any]
    group_by: str | None
    sort_by: str | None
    sort_order: str
    limit: int
    total_rows: int
    results: Any  # the analytics' answer: rows, or the funnel's stages
