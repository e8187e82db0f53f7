"""Walks every authenticated route as a user of entity A, aimed at entity B's ids: each answer
is a 404, a refusal or A's own data — never a trace of B — and B is left untouched."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import httpx

from models import (
    Export,
    GeneratedReport,
    Invite,
    Lead,
    LeadActivity,
    LeadMeta,
    LeadStage,
    ReportSchedule,
    ReportTemplate,
    RoleId,
    User,
)
from salesmagnet.activities import service as activities
from salesmagnet.activities.schemas import LogActivity
from salesmagnet.auth import service as auth
from salesmagnet.auth import tokens
from salesmagnet.auth.schemas import InviteIn
from salesmagnet.http import field_names
from salesmagnet.reporting import exports, templates
from salesmagnet.reporting.schemas import ExportIn, GenerateAndSave, TemplateIn
from salesmagnet.tenancy import Actor
from tests.conftest import Served
from tests.factories import logged_in, make_entity, make_lead, make_user

PARAM = re.compile(r"<(\w+)(?::[^>]*)?>")


def taken(body: dict[str, Any], doc: Any) -> dict[str, Any]:
    """The fields of `body` the route's body takes (a field once, by its first name given): the
    others would be refused (400) before its ids were looked up."""
    if doc is None or doc.body is None:
        return body
    names = [next((n for n in given if n in body), None) for given in field_names(doc.body).values()]
    return {name: body[name] for name in names if name is not None}


async def test_no_route_reaches_another_entity(served: Served, client: httpx.AsyncClient) -> None:
    mine, theirs = await make_entity(), await make_entity()
    admin = await logged_in(client, mine, RoleId.ADMIN)
    victim = await make_user(theirs, RoleId.MANAGER)
    foreign_lead = await make_lead(theirs, first_name="Hidden", email="hidden.lead@example.com")
    failed = await LeadMeta.create(
        entity_id=theirs.id, platform_key="facebook", source_lead_id="hidden-1", processing_status="failed"
    )
    values = {
        "user_id": victim.id,
        "entity_id": theirs.id,
        "name": theirs.name,
        "lead_id": foreign_lead,
        "meta_id": failed.id,
    }
    foreign_stage = await LeadStage.get(lead_id=foreign_lead)
    due = "2020-01-01T09:00:00Z"  # a follow-up long overdue
    logged = await activities.log(
        Actor(victim.id, theirs.id, RoleId.MANAGER),
        LogActivity.model_validate(
            {
                "leadId": foreign_lead,
                "activityType": "call",
                "description": "hidden activity",
                "nextFollowUpDate": due,
            }
        ),
    )
    foreign_activity = logged["activity_id"]
    victim_actor = Actor(victim.id, theirs.id, RoleId.MANAGER)
    template = await templates.create_template(
        victim_actor,
        TemplateIn.model_validate(
            {"name": "hidden report", "report_type": "lead_summary", "recipients": [victim.email],
             "schedule": {"frequency": "daily", "time": "09:00"}}
        ),
    )  # fmt: skip
    saved = await templates.generate_and_save(
        victim_actor, GenerateAndSave.model_validate({"template_id": template["id"]})
    )
    export = await exports.request(
        served.app.ctx.deps, victim_actor, ExportIn.model_validate({"report_type": "leads"})
    )
    invited = await auth.create_invite(
        served.app.ctx.deps, victim_actor, InviteIn.model_validate({"role": "support"})
    )
    invite = await Invite.get(code_hash=tokens.digest(invited["invite_code"]))
    values |= {
        "invite_id": invite.id,
        "template_id": template["id"],
        "report_id": saved["report_id"],
        "schedule_id": template["schedule"]["id"],
        "export_id": export["id"],
    }
    body = {
        "first_name": "Owned", "role": "sales_rep", "role_id": 3, "is_active": False, "name": "owned",
        "leadId": foreign_lead, "assignedUserId": victim.id, "newAssignedUserId": victim.id,
        "stageId": foreign_stage.id, "statusId": 2, "notes": "owned", "activityId": foreign_activity,
        "activityIds": [foreign_activity], "activityType": "call", "description": "owned",
        "nextFollowUpDate": "2030-01-01T09:00:00Z", "templateId": template["id"],
        "reportType": "lead_summary", "data": {"owned": True}, "frequency": "daily", "time": "10:00",
        "report_type": "leads",
    }  # fmt: skip
    walked = 0
    for route in served.app.router.routes:
        if getattr(route.handler, "__auth__", "public") == "public":
            continue
        if route.path.endswith("logout-all"):  # names no id; it would end the walker's own token
            continue
        params = PARAM.findall(route.path)
        url = "/" + PARAM.sub(lambda m: str(values[m.group(1)]), route.path)
        for method in route.methods - {"HEAD", "OPTIONS"}:
            sent = taken(body, getattr(route.handler, "__openapi__", None))
            response = await client.request(method, url, json=sent, headers=admin.auth)
            walked += 1
            assert response.status_code < 500, (method, url, response.text)
            if params:
                assert response.status_code == 404, (method, url, response.status_code)
            for secret in (
                victim.email,
                theirs.name,
                "hidden.lead@example.com",
                "hidden activity",
                "hidden report",
            ):
                assert secret not in response.text, (method, url)
    assert walked >= 10
    lead = await Lead.get(id=foreign_lead)
    assert (lead.first_name, lead.status, lead.assigned_user_id) == ("Hidden", "new", None)
    assert (await LeadStage.get(id=foreign_stage.id)).notes is None
    assert (await LeadMeta.get(id=failed.id)).processing_status == "failed"
    activity = await LeadActivity.get(id=foreign_activity)
    assert (activity.status, activity.notes, activity.next_follow_up_at) == (
        "pending",
        None,
        datetime(2020, 1, 1, 9, tzinfo=UTC),
    )
    assert await LeadActivity.filter(lead_id=foreign_lead).count() == 1  # nothing logged on B's lead
    kept = await ReportTemplate.get(id=template["id"])
    assert (kept.name, kept.is_active) == ("hidden report", True)
    assert await ReportSchedule.filter(template_id=template["id"]).count() == 1  # none added by A
    assert await GeneratedReport.filter(template_id=template["id"]).count() == 1
    assert await GeneratedReport.filter(entity_id=mine.id).count() == 0
    assert await Export.filter(id=export["id"], status="ready").exists()
    assert await Invite.filter(id=invite.id).exists()  # not revoked by A
    row = await User.get(id=victim.id)
    assert (row.is_active, row.role_id, row.first_name) == (True, RoleId.MANAGER, "Test")
