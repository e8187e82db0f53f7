"""/api/activities: log activities, list them (a lead's, its timeline, the entity's, the
caller's, the recent ones), follow-ups, updates and statistics. Any user of the entity."""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from salesmagnet.activities import service
from salesmagnet.activities.schemas import (
    ActivityOut,
    BulkFollowedUp,
    BulkFollowUps,
    EntityActivities,
    FollowUpOut,
    FollowUps,
    FollowUpSummary,
    LeadActivities,
    LogActivity,
    Logged,
    Recent,
    Tally,
    Timeline,
    TimelineEntry,
    TypeSummary,
    UpdateFollowUp,
    UpdateStatus,
    UserActivities,
    UserActivityFigures,
    UserWindow,
    Window,
)
from salesmagnet.auth.guards import requires
from salesmagnet.http import created, ok, parse, parse_query, path_id
from salesmagnet.openapi.document import documented

bp = Blueprint("activities", url_prefix="/api/activities")


def _listed(found: dict[str, object], key: str) -> HTTPResponse:
    return ok(found[key], filters=found["filters"], total=found["total"])


@bp.post("/log")
@documented(Logged, body=LogActivity, status=201)
@requires()
async def log(request: Request) -> HTTPResponse:
    """Log an activity on a lead (a call, e-mail, meeting, note or follow-up)."""
    logged = await service.log(request.ctx.actor, parse(LogActivity, request))
    return created(logged, "Activity logged successfully")


@bp.get("/lead/<lead_id>")
@documented(list[ActivityOut], query=LeadActivities, extra={"filters": dict[str, Any], "total": int})
@requires()
async def lead_activities(request: Request, lead_id: str) -> HTTPResponse:
    """The lead's activities, newest first."""
    query = parse_query(LeadActivities, request)
    found = await service.lead_activities(request.ctx.actor, path_id(lead_id, "lead_id"), query)
    return _listed(found, "activities")


@bp.get("/lead/<lead_id>/timeline")
@documented(list[TimelineEntry], query=Timeline, extra={"total": int})
@requires()
async def timeline(request: Request, lead_id: str) -> HTTPResponse:
    """The lead's activities, assignments and stages in one timeline, newest first."""
    query = parse_query(Timeline, request)
    found = await service.timeline(request.ctx.actor, path_id(lead_id, "lead_id"), query)
    return ok(found["timeline"], total=found["total"])


@bp.get("/entity")
@documented(list[ActivityOut], query=EntityActivities, extra={"filters": dict[str, Any], "total": int})
@requires()
async def entity_activities(request: Request) -> HTTPResponse:
    """The entity's activities, newest first."""
    found = await service.entity_activities(request.ctx.actor, parse_query(EntityActivities, request))
    return _listed(found, "activities")


@bp.get("/user")
@documented(list[ActivityOut], query=UserActivities, extra={"filters": dict[str, Any], "total": int})
@requires()
async def user_activities(request: Request) -> HTTPResponse:
    """The caller's activities (or a user's), newest first."""
    found = await service.user_activities(request.ctx.actor, parse_query(UserActivities, request))
    return _listed(found, "activities")


@bp.get("/recent")
@documented(list[ActivityOut], query=Recent, extra={"total": int})
@requires()
async def recent(request: Request) -> HTTPResponse:
    """The entity's latest activities."""
    found = await service.recent(request.ctx.actor, parse_query(Recent, request))
    return ok(found["activities"], total=found["total"])


@bp.get("/follow-ups/pending")
@documented(list[FollowUpOut], query=FollowUps, extra={"filters": dict[str, Any], "total": int})
@requires()
async def pending(request: Request) -> HTTPResponse:
    """Follow-ups not yet due, most urgent first, then soonest."""
    return _listed(await service.pending(request.ctx.actor, parse_query(FollowUps, request)), "follow_ups")


@bp.get("/follow-ups/overdue")
@documented(list[FollowUpOut], query=FollowUps, extra={"filters": dict[str, Any], "total": int})
@requires()
async def overdue(request: Request) -> HTTPResponse:
    """Follow-ups past due and still pending, the longest overdue first."""
    return _listed(await service.overdue(request.ctx.actor, parse_query(FollowUps, request)), "follow_ups")


@bp.get("/follow-ups/summary")
@documented(FollowUpSummary)
@requires()
async def follow_up_summary(request: Request) -> HTTPResponse:
    """Pending follow-ups counted by urgency and due time."""
    return ok(await service.follow_up_summary(request.ctx.actor))


@bp.put("/update-status")
@documented(ActivityOut, body=UpdateStatus)
@requires()  # a rep updates their own activities and those on their leads (service)
async def update_status(request: Request) -> HTTPResponse:
    """Change an activity's status (sales reps: their own or those on their leads)."""
    activity = await service.update_status(request.ctx.actor, parse(UpdateStatus, request))
    return ok(activity, "Activity status updated successfully")


@bp.put("/update-follow-up")
@documented(ActivityOut, body=UpdateFollowUp)
@requires()  # as update-status
async def update_follow_up(request: Request) -> HTTPResponse:
    """Change an activity's follow-up date."""
    activity = await service.update_follow_up(request.ctx.actor, parse(UpdateFollowUp, request))
    return ok(activity, "Follow-up date updated successfully")


@bp.put("/bulk-update-follow-ups")
@documented(BulkFollowedUp, body=BulkFollowUps)
@requires()  # as update-status; ids the caller may not update are reported, not changed
async def bulk_follow_ups(request: Request) -> HTTPResponse:
    """Change the follow-up date of many activities; ids the caller may not change are reported."""
    result = await service.bulk_follow_ups(request.ctx.actor, parse(BulkFollowUps, request))
    return ok(result, f"Successfully updated {result['updated_count']} follow-up dates")


@bp.get("/statistics")
@documented(list[Tally], query=Window)
@requires()
async def statistics(request: Request) -> HTTPResponse:
    """Activities per type in a window."""
    return ok(await service.statistics(request.ctx.actor, parse_query(Window, request)))


@bp.get("/user-performance")
@documented(list[UserActivityFigures], query=UserWindow, extra={"total": int})
@requires()
async def user_performance(request: Request) -> HTTPResponse:
    """Activities per user in a window."""
    found = await service.user_performance(request.ctx.actor, parse_query(UserWindow, request))
    return ok(found["users"], total=found["total"])


@bp.get("/priority-distribution")
@documented(list[Tally], query=Window)
@requires()
async def priority_distribution(request: Request) -> HTTPResponse:
    """Activities per priority in a window."""
    return ok(await service.priority_distribution(request.ctx.actor, parse_query(Window, request)))


@bp.get("/summary")
@documented(list[TypeSummary])
@requires()
async def summary(request: Request) -> HTTPResponse:
    """Activities per type: total, pending, completed."""
    return ok(await service.summary(request.ctx.actor))
