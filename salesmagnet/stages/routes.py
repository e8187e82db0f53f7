"""/api/stages: change a lead's status; its current stage, history and next statuses; stage
notes; the entity's stages and the stage metrics."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from salesmagnet.auth.guards import MANAGERS, requires
from salesmagnet.http import ok, parse, parse_query, path_id
from salesmagnet.stages import metrics, service
from salesmagnet.stages.schemas import (
    Bottlenecks,
    ChangeStatus,
    Recent,
    SlaCompliance,
    SlaQuery,
    StageQuery,
    UpdateNotes,
    UserWindow,
    Window,
)

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
    if found is None:  # data: null, as the API document answers
        return json({"success": True, "data": None, "message": "Lead is not currently in any stage"})
    return ok(found)


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


@bp.get("/performance-metrics")
@requires(*MANAGERS)
async def performance(request: Request) -> HTTPResponse:
    return ok(await metrics.performance(request.ctx.actor, parse_query(Window, request)))


@bp.get("/user-performance")
@requires(*MANAGERS)
async def user_performance(request: Request) -> HTTPResponse:
    return ok(await metrics.user_performance(request.ctx.actor, parse_query(UserWindow, request)))


@bp.get("/transition-matrix")
@requires(*MANAGERS)
async def transition_matrix(request: Request) -> HTTPResponse:
    return ok(await metrics.transition_matrix(request.ctx.actor, parse_query(Window, request)))


@bp.get("/sla-violations")
@requires(*MANAGERS)
async def sla_violations(request: Request) -> HTTPResponse:
    return ok(await metrics.sla_violations(request.ctx.actor, parse_query(SlaQuery, request)))


@bp.get("/conversion-rates")
@requires(*MANAGERS)
async def conversion_rates(request: Request) -> HTTPResponse:
    return ok(await metrics.conversion_rates(request.ctx.actor, parse_query(Window, request)))


@bp.get("/summary")
@requires(*MANAGERS)
async def summary(request: Request) -> HTTPResponse:
    return ok(await metrics.summary(request.ctx.actor, parse_query(Window, request)))


@bp.get("/recent-changes")
@requires(*MANAGERS)
async def recent_changes(request: Request) -> HTTPResponse:
    found = await metrics.recent_changes(request.ctx.actor, parse_query(Recent, request))
    return ok(found["changes"], total=found["total"])


@bp.get("/status-statistics")
@requires(*MANAGERS)
async def status_statistics(request: Request) -> HTTPResponse:
    return ok(await metrics.status_statistics(request.ctx.actor, parse_query(Window, request)))


@bp.get("/sla-compliance")
@requires(*MANAGERS)
async def sla_compliance(request: Request) -> HTTPResponse:
    return ok(await metrics.sla_compliance(request.ctx.actor, parse_query(SlaCompliance, request)))


@bp.get("/workflow-efficiency")
@requires(*MANAGERS)
async def workflow_efficiency(request: Request) -> HTTPResponse:
    return ok(await metrics.workflow_efficiency(request.ctx.actor, parse_query(Window, request)))


@bp.get("/bottleneck-analysis")
@requires(*MANAGERS)
async def bottlenecks(request: Request) -> HTTPResponse:
    return ok(await metrics.bottlenecks(request.ctx.actor, parse_query(Bottlenecks, request)))
