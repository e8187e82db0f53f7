"""/api/leads: the entity's leads."""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from models import RoleId
from salesmagnet.auth.guards import MANAGERS, requires
from salesmagnet.http import created, ok, parse, parse_query, path_id
from salesmagnet.leads import board, service
from salesmagnet.leads.schemas import (
    LeadCreate,
    LeadDetail,
    LeadOut,
    LeadQuery,
    LeadUpdate,
    Page,
    Pipeline,
    PipelineQuery,
    StatusCount,
)
from salesmagnet.openapi.document import documented

bp = Blueprint("leads", url_prefix="/api/leads")
EDITORS = (RoleId.ADMIN, RoleId.MANAGER, RoleId.SALES_REP, RoleId.SUPPORT)


@bp.get("/")
@documented(list[LeadOut], query=LeadQuery, extra={"filters": dict[str, Any], "total": int})
@requires()
async def list_leads(request: Request) -> HTTPResponse:
    """The entity's leads, filtered, searched and paged.

    `total` counts every match; `filters` echoes the query."""
    result = await service.list_leads(request.ctx.actor, parse_query(LeadQuery, request))
    return ok(result["leads"], filters=result["filters"], total=result["total"])


@bp.post("/")
@documented(LeadOut, body=LeadCreate, status=201, errors=(409,))
@requires(*MANAGERS)
async def create_lead(request: Request) -> HTTPResponse:
    """Enter a lead by hand (platform `manual`; admins and managers)."""
    return created(await service.create_lead(request.ctx.actor, parse(LeadCreate, request)), "Lead created")


@bp.get("/counts")
@documented(list[StatusCount], extra={"seq": int})
@requires()
async def counts(request: Request) -> HTTPResponse:
    """The entity's lead count of each of the eight statuses, and (`seq`) the entity's event seq
    they stand at: connect to Socket.IO with that `last_seq` to get exactly the changes since."""
    per_status, seq = await service.counts_and_seq(request.ctx.actor)
    return ok(per_status, seq=seq)


@bp.get("/unassigned")
@documented(list[LeadOut], query=Page, extra={"total": int, "limit": int, "offset": int})
@requires()
async def unassigned(request: Request) -> HTTPResponse:
    """Leads no one owns, oldest first."""
    result = await service.unassigned(request.ctx.actor, parse_query(Page, request))
    return ok(result.pop("leads"), **result)


@bp.get("/my-leads")
@documented(list[LeadOut], query=Page, extra={"total": int, "limit": int, "offset": int})
@requires()
async def my_leads(request: Request) -> HTTPResponse:
    """The caller's leads."""
    result = await service.my_leads(request.ctx.actor, parse_query(Page, request))
    return ok(result.pop("leads"), **result)


@bp.get("/pipeline")
@documented(Pipeline, query=PipelineQuery)
@requires()
async def pipeline(request: Request) -> HTTPResponse:
    """The pipeline board: the newest leads of each status and the counts."""
    per_status = parse_query(PipelineQuery, request).per_status
    return ok(await board.pipeline(request.ctx.actor, per_status))


@bp.get("/<lead_id>")
@documented(LeadDetail)
@requires()
async def get_lead(request: Request, lead_id: str) -> HTTPResponse:
    """One lead with its answers and attribution (page, form, ad, campaign, UTM)."""
    return ok(await service.get_lead(request.ctx.actor, path_id(lead_id, "lead_id")))


@bp.put("/<lead_id>")
@documented(LeadOut, body=LeadUpdate)
@requires(*EDITORS)
async def update_lead(request: Request, lead_id: str) -> HTTPResponse:
    """Change a lead's names, e-mail or phone (sales reps: their own leads).

    Status changes belong to the stage API."""
    data = parse(LeadUpdate, request)
    return ok(
        await service.update_lead(request.ctx.actor, path_id(lead_id, "lead_id"), data),
        "Lead updated successfully",
    )
