"""/api/stages: change a lead's status; its current stage, history and next statuses; stage
notes; the entity's stages and the stage metrics."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from salesmagnet.analytics import live
from salesmagnet.analytics.schemas import Days
from salesmagnet.auth.guards import MANAGERS, Handler, requires
from salesmagnet.auth.schemas import Body
from salesmagnet.http import ok, ok_or_none, parse, parse_query, path_id
from salesmagnet.stages import metrics, service
from salesmagnet.stages.schemas import (
    Bottlenecks,
    ChangeStatus,
    Recent,
    SlaCompliance,
    SlaQuery,
    StageQuery,
    UpdateNotes,
    UserDays,
)
from salesmagnet.tenancy import Actor

bp = Blueprint("stages", url_prefix="/api/stages")


@bp.post("/change-status")
@requires()  # a sales rep moves the leads they own (service)
async def change_status(request: Request) -> HTTPResponse:
    result = await service.change_status(request.ctx.actor, parse(ChangeStatus, request))
    message = (
        f"Lead status changed from '{result['previous_status']}' to '{result['new_status']}' successfully"
    )
    return ok(result, message)


@bp.get("/lead/<lead_id>/current")
@requires()
async def current(request: Request, lead_id: str) -> HTTPResponse:
    found = await service.current(request.ctx.actor, path_id(lead_id, "lead_id"))
    return ok_or_none(found, "Lead is not currently in any stage")


@bp.get("/lead/<lead_id>/history")
@requires()
async def history(request: Request, lead_id: str) -> HTTPResponse:
    return ok(await service.history(request.ctx.actor, path_id(lead_id, "lead_id")))


@bp.get("/lead/<lead_id>/next-statuses")
@requires()
async def next_statuses(request: Request, lead_id: str) -> HTTPResponse:
    return ok(await service.next_statuses(request.ctx.actor, path_id(lead_id, "lead_id")))


@bp.put("/update-notes")
@requires()  # a sales rep notes the stages of the leads they own (service)
async def update_notes(request: Request) -> HTTPResponse:
    stage = await service.update_notes(request.ctx.actor, parse(UpdateNotes, request))
    return ok(stage, "Stage notes updated successfully")


@bp.get("/entity")
@requires(*MANAGERS)
async def entity_stages(request: Request) -> HTTPResponse:
    query = parse_query(StageQuery, request)
    found = await service.entity_stages(request.ctx.actor, query)
    return ok(found["stages"], filters=query.model_dump(mode="json", exclude_none=True), total=found["total"])


# The stage metrics (admins and managers): each reads its query and answers its figures.
METRICS: dict[str, tuple[Callable[[Actor, Any], Awaitable[Any]], type[Body]]] = {
    "performance-metrics": (metrics.performance, Days),
    "user-performance": (metrics.user_performance, UserDays),
    "transition-matrix": (metrics.transition_matrix, Days),
    "sla-violations": (metrics.sla_violations, SlaQuery),
    "conversion-rates": (metrics.conversion_rates, Days),
    "summary": (metrics.summary, Days),
    "status-statistics": (metrics.status_statistics, Days),
    "sla-compliance": (metrics.sla_compliance, SlaCompliance),
    "workflow-efficiency": (metrics.workflow_efficiency, Days),
    "bottleneck-analysis": (metrics.bottlenecks, Bottlenecks),
}


AGING = {"status-statistics", "sla-violations"}  # figures that move with the clock: never kept


def _metric(path: str, compute: Callable[[Actor, Any], Awaitable[Any]], query: type[Body]) -> Handler:
    @requires(*MANAGERS)
    async def answer(request: Request) -> HTTPResponse:
        actor: Actor = request.ctx.actor
        asked = parse_query(query, request)
        if path in AGING:
            return ok(await compute(actor, asked))
        return ok(await live.answer(actor, f"stages/{path}", asked, lambda: compute(actor, asked)))

    return answer


for path, (compute, query) in METRICS.items():
    handler = _metric(path, compute, query)  # a coroutine function, as Sanic's stubs want it
    bp.add_route(handler, f"/{path}", methods=["GET"], name=path.replace("-", "_"))  # type: ignore[arg-type]


@bp.get("/recent-changes")
@requires(*MANAGERS)
async def recent_changes(request: Request) -> HTTPResponse:
    found = await metrics.recent_changes(request.ctx.actor, parse_query(Recent, request))
    return ok(found["changes"], total=found["total"])
