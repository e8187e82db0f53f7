"""/api/assignments: assign, reassign, unassign, bulk; a lead's assignment and history; the
entity's assignments, the caller's, and the workload."""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from salesmagnet.assignments import service
from salesmagnet.assignments.schemas import (
    Assign,
    AssignmentOut,
    AssignmentQuery,
    BulkAssign,
    BulkAssigned,
    Moved,
    MyAssignmentQuery,
    Reassign,
    Reassigned,
    Unassign,
    Workload,
)
from salesmagnet.auth.guards import MANAGERS, requires
from salesmagnet.http import ok, ok_or_none, parse, parse_query, path_id
from salesmagnet.openapi.document import documented

bp = Blueprint("assignments", url_prefix="/api/assignments")


@bp.post("/assign")
@documented(Moved, body=Assign, errors=(409, 422))
@requires()  # a sales rep may take an unassigned lead where the entity allows it (service)
async def assign(request: Request) -> HTTPResponse:
    """Give a lead an owner (sales reps may take an unassigned lead where the entity allows it)."""
    result = await service.assign(request.ctx.actor, parse(Assign, request))
    return ok(result, "Lead assigned successfully")


@bp.post("/reassign")
@documented(Reassigned, body=Reassign, errors=(409, 422))
@requires(*MANAGERS)
async def reassign(request: Request) -> HTTPResponse:
    """Move a lead to another owner."""
    result = await service.reassign(request.ctx.actor, parse(Reassign, request))
    result["new_assigned_user"] = result["assigned_user"]
    return ok(result, "Lead reassigned successfully")


@bp.post("/unassign")
@documented(Moved, body=Unassign, errors=(409, 422))
@requires(*MANAGERS)
async def unassign(request: Request) -> HTTPResponse:
    """Take a lead's owner away."""
    return ok(
        await service.unassign(request.ctx.actor, parse(Unassign, request)), "Lead unassigned successfully"
    )


@bp.post("/bulk-assign")
@documented(BulkAssigned, body=BulkAssign)
@requires(*MANAGERS)
async def bulk_assign(request: Request) -> HTTPResponse:
    """Share the unassigned leads among the sales reps, up to `max_leads_per_user` each."""
    result = await service.bulk_assign(request.ctx.actor, parse(BulkAssign, request))
    return ok(result, f"Successfully assigned {result['total_assigned']} leads")


@bp.get("/lead/<lead_id>")
@documented(AssignmentOut | None)
@requires()
async def lead_assignment(request: Request, lead_id: str) -> HTTPResponse:
    """The assignment that gave the lead its owner (`data: null` while unassigned)."""
    found = await service.lead_assignment(request.ctx.actor, path_id(lead_id, "lead_id"))
    return ok_or_none(found, "Lead is not currently assigned")


@bp.get("/lead/<lead_id>/history")
@documented(list[AssignmentOut])
@requires()
async def history(request: Request, lead_id: str) -> HTTPResponse:
    """Every assignment of the lead, oldest first."""
    return ok(await service.history(request.ctx.actor, path_id(lead_id, "lead_id")))


@bp.get("/entity")
@documented(list[AssignmentOut], query=AssignmentQuery, extra={"filters": dict[str, Any], "total": int})
@requires(*MANAGERS)
async def entity_assignments(request: Request) -> HTTPResponse:
    """The entity's assignments, newest first."""
    query = parse_query(AssignmentQuery, request)
    result = await service.entity_assignments(request.ctx.actor, query)
    return ok(result["assignments"], filters=query.echo(), total=result["total"])


@bp.get("/user")
@documented(list[AssignmentOut], query=MyAssignmentQuery, extra={"total": int})
@requires()
async def my_assignments(request: Request) -> HTTPResponse:
    """The assignments that gave the caller leads, newest first."""
    result = await service.my_assignments(request.ctx.actor, parse_query(MyAssignmentQuery, request))
    return ok(result["assignments"], total=result["total"])


@bp.get("/workload-stats")
@documented(Workload)
@requires(*MANAGERS)
async def workload(request: Request) -> HTTPResponse:
    """Leads per active owner (assigned, open, closed) and the unassigned queue."""
    return ok(await service.workload(request.ctx.actor))
