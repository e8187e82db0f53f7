"""/api/activities: log activities, list them (a lead's, its timeline, the entity's, the
caller's, the recent ones), follow-ups, updates and statistics. Any user of the entity."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from salesmagnet.activities import service
from salesmagnet.activities.schemas import (
    BulkFollowUps,
    EntityActivities,
    FollowUps,
    LeadActivities,
    LogActivity,
    Overdue,
    Recent,
    Timeline,
    UpdateFollowUp,
    UpdateStatus,
    UserActivities,
    UserWindow,
    Window,
)
from salesmagnet.auth.guards import requires
from salesmagnet.http import created, ok, parse, parse_query, path_id

bp = Blueprint("activities", url_prefix="/api/activities")


def _listed(found: dict[str, object], key: str) -> HTTPResponse:
    return ok(found[key], filters=found["filters"], total=found["total"])


@bp.post("/log")
@requires()
async def log(request: Request) -> HTTPResponse:
    logged = await service.log(request.ctx.actor, parse(LogActivity, request))
    return created(logged, "Activity logged successfully")


@bp.get("/lead/<lead_id>")
@requires()
async def lead_activities(request: Request, lead_id: str) -> HTTPResponse:
    query = parse_query(LeadActivities, request)
    found = await service.lead_activities(request.ctx.actor, path_id(lead_id, "lead_id"), query)
    return _listed(found, "activities")


@bp.get("/lead/<lead_id>/timeline")
@requires()
async def timeline(request: Request, lead_id: str) -> HTTPResponse:
    query = parse_query(Timeline, request)
    found = await service.timeline(request.ctx.actor, path_id(lead_id, "lead_id"), query)
    return ok(found["timeline"], total=found["total"])


@bp.get("/entity")
@requires()
async def entity_activities(request: Request) -> HTTPResponse:
    found = await service.entity_activities(request.ctx.actor, parse_query(EntityActivities, request))
    return _listed(found, "activities")


@bp.get("/user")
@requires()
async def user_activities(request: Request) -> HTTPResponse:
    found = await service.user_activities(request.ctx.actor, parse_query(UserActivities, request))
    return _listed(found, "activities")


@bp.get("/recent")
@requires()
async def recent(request: Request) -> HTTPResponse:
    found = await service.recent(request.ctx.actor, parse_query(Recent, request).limit)
    return ok(found["activities"], total=found["total"])


@bp.get("/follow-ups/pending")
@requires()
async def pending(request: Request) -> HTTPResponse:
    return _listed(await service.pending(request.ctx.actor, parse_query(FollowUps, request)), "follow_ups")


@bp.get("/follow-ups/overdue")
@requires()
async def overdue(request: Request) -> HTTPResponse:
    return _listed(await service.overdue(request.ctx.actor, parse_query(Overdue, request)), "follow_ups")


@bp.get("/follow-ups/summary")
@requires()
async def follow_up_summary(request: Request) -> HTTPResponse:
    return ok(await service.follow_up_summary(request.ctx.actor))


@bp.put("/update-status")
@requires()  # a rep updates their own activities and those on their leads (service)
async def update_status(request: Request) -> HTTPResponse:
    activity = await service.update_status(request.ctx.actor, parse(UpdateStatus, request))
    return ok(activity, "Activity status updated successfully")


@bp.put("/update-follow-up")
@requires()  # as update-status
async def update_follow_up(request: Request) -> HTTPResponse:
    activity = await service.update_follow_up(request.ctx.actor, parse(UpdateFollowUp, request))
    return ok(activity, "Follow-up date updated successfully")


@bp.put("/bulk-update-follow-ups")
@requires()  # as update-status; ids the caller may not update are reported, not changed
async def bulk_follow_ups(request: Request) -> HTTPResponse:
    result = await service.bulk_follow_ups(request.ctx.actor, parse(BulkFollowUps, request))
    return ok(result, f"Successfully updated {result['updated_count']} follow-up dates")


@bp.get("/statistics")
@requires()
async def statistics(request: Request) -> HTTPResponse:
    return ok(await service.statistics(request.ctx.actor, parse_query(Window, request)))


@bp.get("/user-performance")
@requires()
async def user_performance(request: Request) -> HTTPResponse:
    return ok(await service.user_performance(request.ctx.actor, parse_query(UserWindow, request)))


@bp.get("/priority-distribution")
@requires()
async def priority_distribution(request: Request) -> HTTPResponse:
    return ok(await service.priority_distribution(request.ctx.actor, parse_query(Window, request)))


@bp.get("/summary")
@requires()
async def summary(request: Request) -> HTTPResponse:
    return ok(await service.summary(request.ctx.actor))
