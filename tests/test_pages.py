"""Every list pages alike: `limit` 50 by default, at most 500 rows a page (a larger `limit` is
clamped, not followed), `offset`, and a `total` counting every match."""

from __future__ import annotations

from datetime import timedelta

import httpx

from models import STATUS_IDS, AssignmentAction, LeadAssignment, LeadStage, RoleId, StatusName
from salesmagnet.db import utcnow
from tests.factories import logged_in, make_entity, make_lead

ROWS = 501  # one more than a page holds


async def test_no_list_answers_more_than_500_rows(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    lead_id = await make_lead(entity)
    # Seeding only: rows no flow makes this many of at once (one lead's owner and stage history).
    await LeadAssignment.bulk_create(
        [
            LeadAssignment(entity_id=entity.id, lead_id=lead_id, action=AssignmentAction.ASSIGN,
                           assigned_user_id=manager.id)
            for _ in range(ROWS)
        ]
    )  # fmt: skip
    late = utcnow() - timedelta(hours=1)
    await LeadStage.bulk_create(
        [
            LeadStage(entity_id=entity.id, lead_id=lead_id, status_id=STATUS_IDS[StatusName.CONTACTED],
                      sla_due_at=late)
            for _ in range(ROWS)
        ]
    )  # fmt: skip
    lists = {
        "/api/assignments/entity": "total",
        "/api/assignments/user": "total",
        "/api/stages/entity": "total",
        "/api/stages/sla-violations": "total_exceeding",
    }
    for path, total in lists.items():
        response = await client.get(path, params={"limit": 600}, headers=manager.auth)
        assert response.status_code == 200, (path, response.text)
        body = response.json()
        rows = body["data"]["leads"] if path.endswith("violations") else body["data"]
        counted = body["data"][total] if path.endswith("violations") else body[total]
        assert (len(rows), counted >= ROWS) == (500, True), path
        if "filters" in body:
            assert (body["filters"]["limit"], body["filters"]["limit_clamped_from"]) == (500, 600), path


async def test_a_limit_above_a_page_is_clamped_never_refused(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    lead_id = await make_lead(entity)
    lists = (
        "/api/leads",
        "/api/leads/my-leads",
        "/api/leads/unassigned",
        f"/api/activities/lead/{lead_id}",
        f"/api/activities/lead/{lead_id}/timeline",
        "/api/activities/entity",
        "/api/activities/user",
        "/api/activities/recent",
        "/api/activities/follow-ups/pending",
        "/api/activities/follow-ups/overdue",
        "/api/activities/user-performance",
        "/api/assignments/entity",
        "/api/assignments/user",
        "/api/stages/entity",
        "/api/stages/recent-changes",
        "/api/stages/sla-violations",
        "/api/auth/users",
        f"/api/auth/users/entity/{entity.id}",
        "/api/webhooks/failures",
        "/api/reporting/templates",
        "/api/reporting/reports",
        "/api/reporting/schedules",
        "/api/reporting/executions",
    )
    for path in lists:
        response = await client.get(path, params={"limit": 600}, headers=admin.auth)
        assert response.status_code == 200, (path, response.text)
        body = response.json()
        echoed = body.get("filters", body).get("limit")
        assert echoed in (None, 500), path
