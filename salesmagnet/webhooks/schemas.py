"""The website webhook body (the API document's, with common variations), from JSON or a form,
and one Lead Ads leadgen change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails

from salesmagnet.auth.schemas import Out, RowId
from salesmagnet.webhooks.normalize import when

Id64 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
# lead_meta.utm_*: a longer value is refused, never cut (a shortened value is another's)
Utm = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
UtmCampaign = Annotated[str, StringConstraints(strip_whitespace=True, max_length=150)]
UTM_NAMES = ("source", "medium", "campaign", "term", "content")
RESERVED = {
    "platform",
    "entity_id",
    "source_lead_id",
    "page_url",
    "page_id",
    "form_id",
    "ad_id",
    "campaign_id",
    "created_time",
    "utm",
    "answers",
    "key",
    "_redirect",
}
MAX_FORM_FIELDS = 200


def form_body(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """A form's fields as the flat dict a JSON body would be: `name[]` is `name`, blanks are
    dropped, and a field sent more than once (a checkbox group) keeps every value joined with
    ", " — except the webhook's own fields (`key`, `_redirect`, `source_lead_id`, …), which keep
    the first."""
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        if value != "":
            values.setdefault(name.removesuffix("[]"), []).append(value)
    return {k: v[0] if k in RESERVED or k.startswith("utm_") else ", ".join(v) for k, v in values.items()}


def _redirect_url(value: str) -> str:
    """An absolute http(s) URL a browser follows to the host it names (no user part, no
    backslashes or spaces a browser would read differently)."""
    problem = "must be an absolute http(s) URL, such as https://shop.example.com/thanks"
    if any(ch.isspace() or ch == "\\" or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError(problem)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 — a bad port raises here
    except ValueError:
        raise ValueError(problem) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        raise ValueError(problem)
    return value


RedirectUrl = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_redirect_url)]


def _created_time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    moment = when(value)
    if moment is None:
        raise ValueError("use an ISO 8601 date-time or epoch seconds, in years 1000-9999")
    return moment


class UtmIn(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)  # a campaign id as a number

    source: Utm | None = None
    medium: Utm | None = None
    campaign: UtmCampaign | None = None
    term: Utm | None = None
    content: Utm | None = None


def _flat_utm(utm: UtmIn, extra: dict[str, Any]) -> UtmIn:
    """`utm_source=…` at the top level, for what `utm` does not give, held to the same limits;
    an error names the field as it was sent (`utm_source`)."""
    given = {
        name: value
        for name in UTM_NAMES
        if getattr(utm, name) is None
        and isinstance(value := extra.get(f"utm_{name}"), str | int | float)
        and not isinstance(value, bool)
    }
    try:
        return UtmIn.model_validate(given)
    except ValidationError as exc:
        errors = [
            InitErrorDetails(
                type=e["type"], loc=(f"utm_{e['loc'][0]}",), input=e["input"], ctx=e.get("ctx", {})
            )
            for e in exc.errors()
        ]
        raise ValidationError.from_exception_data(exc.title, errors) from None


class WebsiteLead(BaseModel):
    # A form builder's ids may be numbers (`"source_lead_id": 1234`): kept as their text.
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)

    platform: str | None = None
    entity_id: RowId | None = None
    source_lead_id: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None
    ) = None
    page_url: Annotated[str, StringConstraints(strip_whitespace=True, max_length=512)] | None = None
    page_id: Id64 | None = None
    form_id: Id64 | None = None
    ad_id: Id64 | None = None
    campaign_id: Id64 | None = None
    created_time: Annotated[datetime | None, BeforeValidator(_created_time)] = None
    utm: UtmIn = Field(default_factory=UtmIn)
    answers: dict[str, Any] = Field(default_factory=dict)
    # Where a plain form sends the visitor after a delivery (303); its host must be one of the
    # entity's webhook_redirect_hosts.
    redirect: RedirectUrl | None = Field(default=None, alias="_redirect")

    @model_validator(mode="after")
    def check(self) -> WebsiteLead:
        if self.platform not in (None, "website"):
            raise ValueError("platform must be website (or left out)")
        if not self.answers:  # a flat form post: every other top-level field is an answer
            self.answers = {k: v for k, v in (self.model_extra or {}).items() if k not in RESERVED}
        flat = _flat_utm(self.utm, self.model_extra or {})
        for name in UTM_NAMES:
            if getattr(self.utm, name) is None:
                setattr(self.utm, name, getattr(flat, name) or None)
        return self


MetaId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Attribution = Annotated[MetaId | None, BeforeValidator(lambda v: v or None)]  # "" and 0 as absent


class LeadgenChange(BaseModel):
    """The value of one `leadgen` change of a Lead Ads delivery, held to the lead_meta columns
    (Meta's ids are digit strings, sometimes numbers)."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    leadgen_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
    page_id: MetaId
    form_id: Attribution = None
    ad_id: Attribution = None
    campaign_id: Attribution = None
    created_time: Annotated[datetime | None, BeforeValidator(when)] = None  # Graph has the real one


class WebsiteReceived(Out):
    success: Literal[True]
    lead_id: int
    message: str


class PreflightQuery(BaseModel):
    key: str | None = None


class LeadgenEvent(BaseModel):
    field: str
    value: LeadgenChange


class LeadAdsEntry(BaseModel):
    id: str | None = None
    time: int | None = None
    changes: list[LeadgenEvent] = Field(default_factory=list)


class LeadAdsDelivery(BaseModel):
    """A Lead Ads delivery as Meta posts it (changes whose `field` is not `leadgen` are ignored)."""

    object: str | None = None
    entry: list[LeadAdsEntry] = Field(default_factory=list)


class LeadAdsReceived(Out):
    success: Literal[True]
    queued: int
    duplicates: int
    unmapped: int
    skipped: int


class VerifyQuery(BaseModel):
    """Meta's subscription handshake."""

    model_config = ConfigDict(populate_by_name=True)

    mode: str | None = Field(default=None, alias="hub.mode")
    verify_token: str | None = Field(default=None, alias="hub.verify_token")
    challenge: str | None = Field(default=None, alias="hub.challenge")


class FailureOut(Out):
    id: int
    platform_key: str
    source_lead_id: str | None
    page_id: str | None
    form_id: str | None
    failure_reason: str | None
    received_at: datetime | None
    processing_status: str
