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
from salesmagnet.openapi.document import documented
from salesmagnet.stages import metrics, service
from salesmagnet.stages.schemas import (
    Bottlenecks,
    ChangeStatus,
    NextStatuses,
    Recent,
    SlaCompliance,
    SlaQuery,
    SlaViolations,
    StageCompliance,
    StageOut,
    StageQuery,
    StatusChanged,
    StatusFigures,
    Transition,
    UpdateNotes,
    UserDays,
    UserStageFigures,
)
from salesmagnet.tenancy import Actor

bp = Blueprint("stages", url_prefix="/api/stages")


@bp.post("/change-status")
@documented(StatusChanged, body=ChangeStatus, errors=(409, 422))
@requires()  # a sales rep moves the leads they own (service)
async def change_status(request: Request) -> HTTPResponse:
    """Move a lead to another status, if the graph allows it from where the lead is.

    Sales reps move their own leads."""
    result = await service.change_status(request.ctx.actor, parse(ChangeStatus, request))
    message = (
        f"Lead status changed from '{result['previous_status']}' to '{result['new_status']}' successfully"
    )
    return ok(result, message)


@bp.get("/lead/<lead_id>/current")
@documented(StageOut | None)
@requires()
async def current(request: Request, lead_id: str) -> HTTPResponse:
    """The lead's open stage (`data: null` when it has none)."""
    found = await service.current(request.ctx.actor, path_id(lead_id, "lead_id"))
    return ok_or_none(found, "Lead is not currently in any stage")


@bp.get("/lead/<lead_id>/history")
@documented(list[StageOut])
@requires()
async def history(request: Request, lead_id: str) -> HTTPResponse:
    """Every stage of the lead, oldest first."""
    return ok(await service.history(request.ctx.actor, path_id(lead_id, "lead_id")))


@bp.get("/lead/<lead_id>/next-statuses")
@documented(NextStatuses)
@requires()
async def next_statuses(request: Request, lead_id: str) -> HTTPResponse:
    """The statuses the lead may move to from where it is."""
    return ok(await service.next_statuses(request.ctx.actor, path_id(lead_id, "lead_id")))


@bp.put("/update-notes")
@documented(StageOut, body=UpdateNotes)
@requires()  # a sales rep notes the stages of the leads they own (service)
async def update_notes(request: Request) -> HTTPResponse:
    """Change a stage's notes and next action (sales reps: stages of their own leads)."""
    stage = await service.update_notes(request.ctx.actor, parse(UpdateNotes, request))
    return ok(stage, "Stage notes updated successfully")


@bp.get("/entity")
@documented(list[StageOut], query=StageQuery, extra={"filters": dict[str, Any], "total": int})
@requires(*MANAGERS)
async def entity_stages(request: Request) -> HTTPResponse:
    """The entity's stages, newest first."""
    query = parse_query(StageQuery, request)
    found = await service.entity_stages(request.ctx.actor, query)
    return ok(found["stages"], filters=query.echo(), total=found["total"])


# The stage metrics (admins and managers): each reads its query and answers its figures.
# path: (the figures, their query, their shape, what they are)
METRICS: dict[str, tuple[Callable[[Actor, Any], Awaitable[Any]], type[Body], Any, str]] = {
    "performance-metrics": (metrics.performance, Days, list[StatusFigures], "Time spent in each status."),
    "user-performance": (metrics.user_performance, UserDays, list[UserStageFigures], "Moves made per user."),
    "transition-matrix": (metrics.transition_matrix, Days, list[Transition], "Moves from status to status."),
    "sla-violations": (metrics.sla_violations, SlaQuery, SlaViolations, "Open stages past their SLA."),
    "conversion-rates": (metrics.conversion_rates, Days, list[StatusFigures], "Won and lost per status."),
    "summary": (metrics.summary, Days, list[StatusFigures], "Leads and stages per status."),
    "status-statistics": (metrics.status_statistics, Days, list[StatusFigures], "Leads now in each status."),
    "sla-compliance": (metrics.sla_compliance, SlaCompliance, StageCompliance, "Stages closed within SLA."),
    "workflow-efficiency": (metrics.workflow_efficiency, Days, list[StatusFigures], "Stages completed."),
    "bottleneck-analysis": (metrics.bottlenecks, Bottlenecks, list[StatusFigures], "Where leads wait."),
}


AGING = {"status-statistics", "sla-violations"}  # figures that move with the clock: never kept


def _metric(
    path: str, compute: Callable[[Actor, Any], Awaitable[Any]], query: type[Body], shape: Any, what: str
) -> Handler:
    @documented(shape, query=query, summary=what)
    @requires(*MANAGERS)
    async def answer(request: Request) -> HTTPResponse:
        actor: Actor = request.ctx.actor
        asked = parse_query(query, request)
        if path in AGING:
            return ok(await compute(actor, asked))
        kept_as = await metrics.kept_as(actor, path)
        return ok(await live.answer(actor, kept_as, asked, lambda: compute(actor, asked)))

    return answer


for path, (compute, query, shape, what) in METRICS.items():
    handler = _metric(path, compute, query, shape, what)  # a coroutine function, as Sanic's stubs want it
    bp.add_route(handler, f"/{path}", methods=["GET"], name=path.replace("-", "_"))  # type: ignore[arg-type]


@bp.get("/recent-changes")
@documented(list[StageOut], query=Recent, extra={"total": int})
@requires(*MANAGERS)
async def recent_changes(request: Request) -> HTTPResponse:
    """The latest status moves, newest first."""
    found = await metrics.recent_changes(request.ctx.actor, parse_query(Recent, request))
    return ok(found["changes"], total=found["total"])
