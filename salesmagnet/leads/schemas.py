"""Request shapes of /api/leads."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Any

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


# ISO 8601's extended form: a date, a time to the minute or finer, a zone (Z, ±HH, ±HH:MM or
# ±HHMM) or none (UTC).
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?")


def moment(end_of_day: bool) -> Any:
    """A date (whole day) or an ISO datetime, as aware UTC. Only ISO 8601's extended form:
    a number, or Python's looser forms (20260101, 2026-W01), is refused, not read as a date."""

    def parse(value: Any) -> Any:
        if value in (None, ""):
            return None
        if isinstance(value, datetime):  # given by code, not by a request
            return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
        text = value.strip() if isinstance(value, str) else ""
        if not (ISO_DAY.fullmatch(text) or _DATE_TIME.fullmatch(text)):
            raise ValueError("use YYYY-MM-DD or an ISO 8601 date-time")
        try:
            if ISO_DAY.fullmatch(text):
                day = date.fromisoformat(text)
                start = datetime.combine(day, time.min, tzinfo=UTC)
                return start + timedelta(days=1) if end_of_day else start
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
        except ValueError:
            raise ValueError("use YYYY-MM-DD or an ISO 8601 date-time") from None
        except OverflowError:  # 9999-12-31 as an exclusive end, 0001-01-01T00:00+14:00 in UTC
            raise ValueError("out of range (years 1-9999 in UTC)") from None

    return BeforeValidator(parse)


def _after_start(value: datetime | None, info: ValidationInfo) -> datetime | None:
    """The end is exclusive: at or before the start (a day before it: its end is the start's
    midnight), the window holds nothing and was surely not meant."""
    start = (info.data or {}).get("date_from")
    if value is not None and start is not None and start >= value:
        raise ValueError("must be after date_from")
    return value


# A window's end (exclusive; a day is until its end), after its start (`date_from`, declared first).
Until = Annotated[datetime | None, moment(end_of_day=True), AfterValidator(_after_start)]


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


class LeadQuery(Page):
    status: Annotated[StatusName | None, choice(StatusName, "status")] = None
    platform: Annotated[Platform | None, choice(Platform, "platform")] = None
    assigned_user_id: RowId | None = None
    search: Text100 | None = None
    date_from: Annotated[datetime | None, moment(end_of_day=False)] = None
    date_to: Until = None
    sort: Annotated[SortField, choice(SortField, "sort")] = SortField.CREATED_AT
    order: Annotated[Order, BeforeValidator(lambda v: str(v).lower()), choice(Order, "order")] = Order.DESC


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
