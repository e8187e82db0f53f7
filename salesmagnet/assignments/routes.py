"""/api/assignments: assign, reassign, unassign, bulk; a lead's assignment and history; the
entity's assignments, the caller's, and the workload."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from salesmagnet.assignments import service
from salesmagnet.assignments.schemas import Assign, AssignmentQuery, BulkAssign, Reassign, Unassign
from salesmagnet.auth.guards import MANAGERS, requires
from salesmagnet.http import ok, ok_or_none, parse, parse_query, path_id

bp = Blueprint("assignments", url_prefix="/api/assignments")


@bp.post("/assign")
@requires()  # a sales rep may take an unassigned lead where the entity allows it (service)
async def assign(request: Request) -> HTTPResponse:
    result = await service.assign(request.ctx.actor, parse(Assign, request))
    return ok(result, "Lead assigned successfully")


@bp.post("/reassign")
@requires(*MANAGERS)
async def reassign(request: Request) -> HTTPResponse:
    result = await service.reassign(request.ctx.actor, parse(Reassign, request))
    result["new_assigned_user"] = result["assigned_user"]
    return ok(result, "Lead reassigned successfully")


@bp.post("/unassign")
@requires(*MANAGERS)
async def unassign(request: Request) -> HTTPResponse:
    return ok(
        await service.unassign(request.ctx.actor, parse(Unassign, request)), "Lead unassigned successfully"
    )


@bp.post("/bulk-assign")
@requires(*MANAGERS)
async def bulk_assign(request: Request) -> HTTPResponse:
    result = await service.bulk_assign(request.ctx.actor, parse(BulkAssign, request))
    return ok(result, f"Successfully assigned {result['total_assigned']} leads")


@bp.get("/lead/<lead_id>")
@requires()
async def lead_assignment(request: Request, lead_id: str) -> HTTPResponse:
    found = await service.lead_assignment(request.ctx.actor, path_id(lead_id, "lead_id"))
    return ok_or_none(found, "Lead is not currently assigned")


@bp.get("/lead/<lead_id>/history")
@requires()
async def history(request: Request, lead_id: str) -> HTTPResponse:
    return ok(await service.history(request.ctx.actor, path_id(lead_id, "lead_id")))


@bp.get("/entity")
@requires(*MANAGERS)
async def entity_assignments(request: Request) -> HTTPResponse:
    query = parse_query(AssignmentQuery, request)
    result = await service.entity_assignments(request.ctx.actor, query)
    return ok(result["assignments"], filters=query.model_dump(mode="json"), total=result["total"])


@bp.get("/user")
@requires()
async def my_assignments(request: Request) -> HTTPResponse:
    result = await service.my_assignments(request.ctx.actor, parse_query(AssignmentQuery, request))
    return ok(result["assignments"], total=result["total"])


@bp.get("/workload-stats")
@requires(*MANAGERS)
async def workload(request: Request) -> HTTPResponse:
    return ok(await service.workload(request.ctx.actor))
