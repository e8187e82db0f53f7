"""/api/leads: the entity's leads."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from models import RoleId
from salesmagnet.auth.guards import MANAGERS, requires
from salesmagnet.http import created, ok, parse, parse_query, path_id
from salesmagnet.leads import board, service
from salesmagnet.leads.schemas import LeadCreate, LeadQuery, LeadUpdate, Page, PipelineQuery

bp = Blueprint("leads", url_prefix="/api/leads")
EDITORS = (RoleId.ADMIN, RoleId.MANAGER, RoleId.SALES_REP, RoleId.SUPPORT)


@bp.get("/")
@requires()
async def list_leads(request: Request) -> HTTPResponse:
    result = await service.list_leads(request.ctx.actor, parse_query(LeadQuery, request))
    return ok(result["leads"], filters=result["filters"], total=result["total"])


@bp.post("/")
@requires(*MANAGERS)
async def create_lead(request: Request) -> HTTPResponse:
    return created(await service.create_lead(request.ctx.actor, parse(LeadCreate, request)), "Lead created")


@bp.get("/counts")
@requires()
async def counts(request: Request) -> HTTPResponse:
    per_status, seq = await service.counts_and_seq(request.ctx.actor)
    return ok(per_status, seq=seq)


@bp.get("/unassigned")
@requires()
async def unassigned(request: Request) -> HTTPResponse:
    result = await service.unassigned(request.ctx.actor, parse_query(Page, request))
    return ok(result.pop("leads"), **result)


@bp.get("/my-leads")
@requires()
async def my_leads(request: Request) -> HTTPResponse:
    result = await service.my_leads(request.ctx.actor, parse_query(Page, request))
    return ok(result.pop("leads"), **result)


@bp.get("/pipeline")
@requires()
async def pipeline(request: Request) -> HTTPResponse:
    per_status = parse_query(PipelineQuery, request).per_status
    return ok(await board.pipeline(request.ctx.actor, per_status))


@bp.get("/<lead_id>")
@requires()
async def get_lead(request: Request, lead_id: str) -> HTTPResponse:
    return ok(await service.get_lead(request.ctx.actor, path_id(lead_id, "lead_id")))


@bp.put("/<lead_id>")
@requires(*EDITORS)
async def update_lead(request: Request, lead_id: str) -> HTTPResponse:
    data = parse(LeadUpdate, request)
    return ok(
        await service.update_lead(request.ctx.actor, path_id(lead_id, "lead_id"), data),
        "Lead updated successfully",
    )
