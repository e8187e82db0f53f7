"""Entity settings: SLA hours per status, auto-assignment mode, time zone."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from models import StatusName
from salesmagnet.auth.schemas import Body

EntityName = Annotated[str, StringConstraints(min_length=2, max_length=100, pattern=r"^[A-Za-z0-9_]+$")]
OPEN_STATUSES = [s for s in StatusName if s not in (StatusName.WON, StatusName.LOST)]


class AutoAssignment(StrEnum):
    OFF = "off"
    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("unknown time zone; use an IANA name such as Europe/London") from None
    return value


def _sla_hours(value: dict[StatusName, float]) -> dict[StatusName, float]:
    closed = [s.value for s in value if s not in OPEN_STATUSES]
    if closed:
        raise ValueError(f"won and lost have no SLA ({', '.join(closed)})")
    return value


SlaHours = Annotated[dict[StatusName, Annotated[float, Field(gt=0, le=24 * 365)]], AfterValidator(_sla_hours)]


class EntitySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sla_hours: SlaHours | None = None
    auto_assignment: AutoAssignment | None = None
    timezone: Annotated[str, AfterValidator(_timezone)] | None = None


class EntityUpdate(Body):
    name: EntityName | None = None
    settings: EntitySettings | None = None
