"""Request shapes of /api/leads."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Annotated, Any, NamedTuple

from pydantic import (
    AfterValidator,
    BeforeValidator,
    EmailStr,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from models import MAX_EMAIL, MAX_FULL_NAME, MAX_PHONE, Platform, StatusName
from salesmagnet.auth.schemas import ISO_DAY, MAX_INT, MAX_OFFSET, Body, Out, RowId
from salesmagnet.errors import ValidationFailed

MAX_LIMIT = 500
MAX_PER_STATUS = 100

Text100 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
LeadPhone = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=MAX_PHONE, pattern=r"^\+?[0-9 ()\-.]{3,30}$")
]
LeadEmail = Annotated[EmailStr, StringConstraints(max_length=MAX_EMAIL)]


def choice(enum: type[StrEnum], name: str, strict: bool = False) -> Any:
    """One of `enum`'s values, or an error naming `name` and the allowed values; unless
    `strict`, an empty value is None (an unset query filter)."""

    def check(value: Any) -> Any:
        if not strict and (value is None or value == ""):
            return None
        allowed = [e.value for e in enum]
        if value not in allowed:
            raise ValueError(f"unknown {name} {value!r}; allowed: {', '.join(allowed)}")
        return enum(value)

    return BeforeValidator(check)


# ISO 8601's extended form: a date, a time to the minute or finer (any fraction of a second:
# .NET writes 7 digits, Go 9; past the microsecond they are dropped), a zone (Z, ±HH, ±HH:MM or
# ±HHMM) or none (UTC).
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?")
_DAY_OR_TIME = "use YYYY-MM-DD or an ISO 8601 date-time"


def _day_or_utc(value: Any) -> date | datetime | None:
    """A bare day as a date, a date-time as aware UTC. Only ISO 8601's extended form: a number,
    or Python's looser forms (20260101, 2026-W01), is refused, not read as a date."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):  # given by code, not by a request
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    if isinstance(value, date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    try:
        if ISO_DAY.fullmatch(text):
            return date.fromisoformat(text)
        if _DATE_TIME.fullmatch(text):
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
    except ValueError:
        raise ValueError(_DAY_OR_TIME) from None
    except OverflowError:  # 0001-01-01T00:00+14:00 in UTC
        raise ValueError("out of range (years 1-9999 in UTC)") from None
    raise ValueError(_DAY_OR_TIME)


def is_day(value: date | datetime | None) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def moment() -> Any:
    """A time to set: a date-time as aware UTC, a bare day as a date, which is the start of that
    day in the entity's time zone (`salesmagnet.leads.rollups.instant()` resolves it)."""
    return BeforeValidator(_day_or_utc)


def _before_end(value: date | datetime | None) -> date | datetime | None:
    if value == date.max:
        raise ValueError("out of range: its end is past the year 9999")
    return value


def _after_start(value: date | datetime | None, info: ValidationInfo) -> date | datetime | None:
    """The end is exclusive, a day's at its end: one at or before the start holds nothing and was
    surely not meant. A day and a time of day are compared in the entity's zone (`Dated.span`)."""
    start = (info.data or {}).get("date_from")
    if value is None or start is None or is_day(value) != is_day(start):
        return value
    if start > value if is_day(value) else start >= value:
        raise ValueError("must be after date_from")
    return value


_BOUND = (
    "YYYY-MM-DD, a day of the entity's time zone, or an ISO 8601 date-time (with Z or an offset; "
    "UTC without one)"
)
# A window's start (included) and end (excluded; a bare day is included, to its end).
Since = Annotated[datetime | date | None, BeforeValidator(_day_or_utc), Field(description=f"From: {_BOUND}.")]
Until = Annotated[
    datetime | date | None,
    BeforeValidator(_day_or_utc),
    AfterValidator(_before_end),
    AfterValidator(_after_start),
    Field(description=f"Until: {_BOUND}; a day is included, a date-time excluded."),
]


class Span(NamedTuple):
    """A window in UTC: from `since` (included) to `until` (excluded); None is unbounded."""

    since: datetime | None
    until: datetime | None


def day_start(day: date, zone: tzinfo) -> datetime | None:
    """When a day of `zone` begins, in UTC (after a DST gap at midnight, the gap's end); None
    before the year 1 in UTC."""
    try:
        return datetime.combine(day, time.min, zone).astimezone(UTC)
    except OverflowError:
        return None


def _utc(value: date | datetime | None, zone: tzinfo, days_later: int) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return day_start(value + timedelta(days=days_later), zone)


class Dated(Body):
    """`date_from` / `date_to`: a window on when something happened. Resolve it with
    `salesmagnet.leads.rollups.span()`, which knows the entity's time zone."""

    date_from: Since = None
    date_to: Until = None

    @property
    def has_days(self) -> bool:
        return is_day(self.date_from) or is_day(self.date_to)

    def span(self, zone: tzinfo) -> Span:
        """The window in UTC, its bare days those of `zone`: from date_from's midnight to the
        midnight that ends date_to (a DST change makes a day 23 or 25 hours long)."""
        since, until = _utc(self.date_from, zone, 0), _utc(self.date_to, zone, 1)
        if since is not None and until is not None and since >= until:
            raise ValidationFailed(
                "Validation failed: date_to",
                errors=[{"field": "date_to", "message": "must be after date_from"}],
            )
        return Span(since, until)


def joined_name(first: str | None, last: str | None) -> str | None:
    """The full name made from the parts (as a lead that comes with only the parts gets it);
    none when they are too long to join within the column (never cut: the parts keep them)."""
    joined = " ".join(part for part in (first, last) if part)
    return joined if 0 < len(joined) <= MAX_FULL_NAME else None


class SortField(StrEnum):
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


class Order(StrEnum):
    ASC = "asc"
    DESC = "desc"


def page_limit(default: int = 50) -> Any:
    """A list's `limit`: any count is taken, a page holds at most MAX_LIMIT rows."""
    return Field(
        default=default,
        ge=1,
        le=MAX_INT,
        description=f"Rows a page holds, at most {MAX_LIMIT}: a larger limit is clamped (and an "
        "answer that repeats its filters says so in limit_clamped_from).",
    )


class Page(Body):
    limit: int = page_limit()
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET, description="Rows skipped before the page.")

    @property
    def rows(self) -> int:
        """The rows a page holds: `limit`, at most MAX_LIMIT (a larger one is clamped)."""
        return min(self.limit, MAX_LIMIT)

    def echo(self) -> dict[str, Any]:
        """The query as an answer's `filters` repeats it: the limit used, and the one asked when
        it was clamped."""
        filters: dict[str, Any] = self.model_dump(mode="json", exclude_none=True)
        filters["limit"] = self.rows
        if self.rows != self.limit:
            filters["limit_clamped_from"] = self.limit
        return filters


class LeadQuery(Page, Dated):
    status: Annotated[StatusName | None, choice(StatusName, "status")] = None
    platform: Annotated[Platform | None, choice(Platform, "platform")] = None
    assigned_user_id: RowId | None = None
    search: Text100 | None = None
    sort: Annotated[SortField, choice(SortField, "sort")] = SortField.CREATED_AT
    # Before-validators run last one first: `ASC` is lower-cased before it is checked.
    order: Annotated[Order, choice(Order, "order"), BeforeValidator(lambda v: str(v).lower())] = Order.DESC


class PipelineQuery(Body):
    per_status: int = Field(default=20, ge=1, le=MAX_INT)


class LeadUpdate(Body):
    first_name: Text100 | None = None
    last_name: Text100 | None = None
    full_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    email: LeadEmail | None = None
    phone: LeadPhone | None = None
    status: Any = None  # refused with a pointer to the stage API

    @field_validator("email")
    @classmethod
    def lower(cls, value: str | None) -> str | None:
        return value.lower() if value else value


class LeadCreate(LeadUpdate):
    """A lead entered by hand (platform `manual`)."""

    raw_field_data: dict[str, Any] | None = None
    source_lead_id: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)] | None
    ) = None


class Owner(Out):
    """The user a lead is assigned to, as its card shows them."""

    id: int
    first_name: str | None
    last_name: str | None


class LeadNames(Out):
    """Which lead a listed row (an activity, a stage, an assignment) is about, by name."""

    lead_email: str | None = None
    lead_first_name: str | None = None
    lead_last_name: str | None = None


class LeadOut(Out):
    """A lead as lists, the board and changes show it."""

    id: int
    entity_id: int
    email: str | None
    phone: str | None
    first_name: str | None
    last_name: str | None
    full_name: str | None
    status: StatusName
    platform_key: Platform
    source_page_id: str | None
    source_page_name: str | None
    assigned_user_id: int | None
    assigned_at: datetime | None
    created_at: datetime
    updated_at: datetime
    assigned_user: Owner | None


class Attribution(Out):
    """Where a lead came from (empty when its source row is gone)."""

    source_lead_id: str | None = None
    page_id: str | None = None
    form_id: str | None = None
    ad_id: str | None = None
    campaign_id: str | None = None
    created_time: datetime | None = None
    page_url: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_term: str | None = None
    utm_content: str | None = None
    processing_status: str | None = None


class LeadDetail(LeadOut):
    """One lead with its answers and attribution."""

    lead_meta_id: int | None
    raw_field_data: dict[str, Any] | list[Any] | None
    consent_time: datetime | None
    attribution: Attribution


class StatusCount(Out):
    status: StatusName
    count: int


class Pipeline(Out):
    """The board: the newest `per_status` leads of each status, and every status's count."""

    pipeline: dict[StatusName, list[LeadOut]]
    statusCounts: list[StatusCount]  # noqa: N815 (the API document's name)
    per_status: int
