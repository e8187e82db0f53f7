"""Entity settings: SLA hours per status, auto-assignment mode, time zone, and which web pages may
post to the website webhook (CORS origins) and send visitors on (redirect hosts)."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from models import StatusName
from salesmagnet.auth.schemas import Body, Out

EntityName = Annotated[str, StringConstraints(min_length=2, max_length=100, pattern=r"^[A-Za-z0-9_]+$")]
OPEN_STATUSES = [s for s in StatusName if s not in (StatusName.WON, StatusName.LOST)]


class AutoAssignment(StrEnum):
    OFF = "off"
    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"


# The IANA zones (and their links, e.g. US/Eastern), read once. zoneinfo also opens other files
# of the host's zone directory: "localtime" (the machine's own zone), "posixrules", posix/…,
# right/…; `available_timezones()` leaves out all but "localtime", and "Factory" stands for no
# zone set: none is a place, and an entity's days must not depend on the machine.
IANA_ZONES = frozenset(available_timezones() - {"localtime", "Factory"})


def _timezone(value: str) -> str:
    if value not in IANA_ZONES:
        raise ValueError("unknown time zone; use an IANA name such as Europe/London")
    return value


def _sla_hours(value: dict[StatusName, float]) -> dict[StatusName, float]:
    closed = [s.value for s in value if s not in OPEN_STATUSES]
    if closed:
        raise ValueError(f"won and lost have no SLA ({', '.join(closed)})")
    return value


SlaHours = Annotated[dict[StatusName, Annotated[float, Field(gt=0, le=24 * 365)]], AfterValidator(_sla_hours)]


LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){LABEL}(\.{LABEL})*$")
DEFAULT_PORTS = {"http": 80, "https": 443}


def host_name(value: str) -> str:
    """A lower-case DNS host name (or IPv4 address); a trailing dot is dropped."""
    host = value.strip().lower().removesuffix(".")
    if not HOST_NAME.fullmatch(host):
        raise ValueError(f"{value!r} is not a host name (such as shop.example.com; no scheme, port or path)")
    return host


def _origin(value: str) -> str:
    """`*`, or scheme://host[:port] as a browser sends it in Origin (lower case, no default port)."""
    if value == "*":
        return value
    problem = (
        f"{value!r} is not an origin: use scheme://host[:port] with no path, e.g. https://shop.example.com"
    )
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        raise ValueError(problem) from None
    extra = parts.query or parts.fragment or "@" in parts.netloc or parts.path not in ("", "/")
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname or extra:
        raise ValueError(problem)
    scheme, host = parts.scheme.lower(), host_name(parts.hostname)
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != DEFAULT_PORTS[scheme] else "")


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _origins(values: list[str]) -> list[str]:
    if "*" in values and len(values) > 1:
        raise ValueError("'*' (any origin) stands alone")
    return _unique(values)


Origins = Annotated[
    list[Annotated[str, StringConstraints(max_length=300), AfterValidator(_origin)]],
    Field(max_length=50),
    AfterValidator(_origins),
]
Hosts = Annotated[
    list[Annotated[str, StringConstraints(max_length=253), AfterValidator(host_name)]],
    Field(max_length=50),
    AfterValidator(_unique),
]


class EntitySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sla_hours: SlaHours | None = None
    auto_assignment: AutoAssignment | None = None
    timezone: Annotated[str, AfterValidator(_timezone)] | None = None
    # Web pages whose scripts may post to the website webhook (CORS), exact origins or "*".
    webhook_allowed_origins: Origins | None = None
    # Hosts a form's `_redirect` may send the visitor to after a delivery.
    webhook_redirect_hosts: Hosts | None = None
    # Sales reps may take an unassigned lead for themselves (POST /api/assignments/assign).
    reps_take_unassigned: bool | None = None
    # Auto-assignment deals new leads to reps with a live socket first, when any is online.
    auto_assignment_online_first: bool | None = None


class NewEntity(Body):
    name: EntityName


class NewPageMapping(Body):
    page_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class EntityUpdate(Body):
    UNUSED = frozenset({"id", "created_at", "updated_at"})  # of EntityOut, read and put back whole

    name: EntityName | None = None
    settings: EntitySettings | None = None

    @classmethod
    def misplaced(cls, name: str) -> str | None:
        """A setting given beside `settings`, where it would change nothing."""
        if name in EntitySettings.model_fields:
            return 'a setting: send it inside settings, e.g. {"settings": {"timezone": …}}'
        return None


class SettingsOut(Out):
    """An entity's settings in effect (defaults filled in)."""

    sla_hours: dict[str, float]
    auto_assignment: AutoAssignment
    auto_assignment_online_first: bool
    timezone: str
    webhook_allowed_origins: list[str]
    webhook_redirect_hosts: list[str]
    reps_take_unassigned: bool


class EntityOut(Out):
    id: int
    name: str
    settings: SettingsOut
    created_at: datetime
    updated_at: datetime
