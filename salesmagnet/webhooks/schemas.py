"""The website webhook body (the API document's, with common variations)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id64 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
Utm = Annotated[str, StringConstraints(strip_whitespace=True, max_length=150)]
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
}


class UtmIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    source: Utm | None = None
    medium: Utm | None = None
    campaign: Utm | None = None
    term: Utm | None = None
    content: Utm | None = None


class WebsiteLead(BaseModel):
    model_config = ConfigDict(extra="allow")

    platform: str | None = None
    entity_id: int | None = Field(default=None, ge=1)
    source_lead_id: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None
    ) = None
    page_url: Annotated[str, StringConstraints(strip_whitespace=True, max_length=512)] | None = None
    page_id: Id64 | None = None
    form_id: Id64 | None = None
    ad_id: Id64 | None = None
    campaign_id: Id64 | None = None
    created_time: Any = None
    utm: UtmIn = Field(default_factory=UtmIn)
    answers: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def check(self) -> WebsiteLead:
        if self.platform not in (None, "website"):
            raise ValueError("platform must be website (or left out)")
        if not self.answers:  # a flat form post: every other top-level field is an answer
            self.answers = {k: v for k, v in (self.model_extra or {}).items() if k not in RESERVED}
        for name in ("source", "medium", "campaign", "term", "content"):  # utm_source=… at the top level
            flat = (self.model_extra or {}).get(f"utm_{name}")
            if getattr(self.utm, name) is None and isinstance(flat, str):
                setattr(self.utm, name, flat.strip()[:150] or None)
        return self
