"""/api/analytics: the dashboard and the analytics of the API document, for every user of the
entity (the floor's figures are the team's)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel
from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from salesmagnet.analytics import live, service
from salesmagnet.analytics.schemas import (
    ActivityDays,
    ActivityFigures,
    Dashboard,
    Filters,
    Funnel,
    HourFigures,
    Hours,
    LeadFigures,
    PeriodFigures,
    PlatformFigures,
    SlaDays,
    SlaFigures,
    TimeBased,
    UserFigures,
)
from salesmagnet.auth.guards import Handler, requires
from salesmagnet.auth.schemas import Body
from salesmagnet.http import ok, parse_query
from salesmagnet.openapi.document import documented
from salesmagnet.tenancy import Actor

bp = Blueprint("analytics", url_prefix="/api/analytics")

# path: (the figures, their query or None, their shape, the message)
ANSWERS: dict[str, tuple[Callable[..., Awaitable[Any]], type[Body] | None, Any, str]] = {
    "dashboard": (service.dashboard, None, Dashboard, "Dashboard"),
    "leads": (service.leads, Filters, LeadFigures, "Lead analytics"),
    "platforms": (service.platforms, Filters, list[PlatformFigures], "Platform performance"),
    "users": (service.users, Filters, list[UserFigures], "User performance"),
    "funnel": (service.funnel, Filters, Funnel, "Conversion funnel"),
    "time-based": (service.time_based, TimeBased, list[PeriodFigures], "Time-based analytics"),
    "activities": (service.activity_figures, ActivityDays, ActivityFigures, "Activity analytics"),
    "sla-compliance": (service.sla_compliance, SlaDays, SlaFigures, "SLA compliance"),
}


def _answer(
    name: str, compute: Callable[..., Awaitable[Any]], query: type[Body] | None, shape: Any, what: str
) -> Handler:
    @documented(shape, query=query, summary=f"{what} of the caller's entity.")
    @requires()
    async def answer(request: Request) -> HTTPResponse:
        actor: Actor = request.ctx.actor
        asked: BaseModel | None = parse_query(query, request) if query is not None else None
        figures = await live.answer(
            actor,
            await service.kept_as(actor, name),
            asked,
            lambda: compute(actor) if asked is None else compute(actor, asked),
        )
        return ok(service.as_of_now(name, figures), f"{what} retrieved successfully")

    return answer


for path, (compute, query, shape, what) in ANSWERS.items():
    handler = _answer(path, compute, query, shape, what)
    bp.add_route(handler, f"/{path}", methods=["GET"], name=path.replace("-", "_"))  # type: ignore[arg-type]


@bp.get("/hourly")
@documented(list[HourFigures], query=Hours)
@requires()
async def hourly(request: Request) -> HTTPResponse:
    """Leads that arrived in each of the last `hours` whole hours (UTC), the current one included.

    Not cached like the other figures: its hours move with the clock, not with the events."""
    figures = await service.hourly(request.ctx.actor, parse_query(Hours, request))
    return ok(figures, "Leads per hour retrieved successfully")
