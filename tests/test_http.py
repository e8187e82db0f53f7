"""HTTP conventions (hostile bodies, paths and queries for every route: tests/test_hostile.py)."""

from __future__ import annotations

import gc
import re
from typing import Any

import httpx
import pytest

from models import RoleId
from tests.conftest import FB_VERIFY, Served
from tests.factories import TestUser, logged_in, make_entity, make_lead, make_user

PARAM = re.compile(r"<(\w+)(?::[^>]*)?>")


async def test_envelopes_and_unknown_routes(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    assert (await client.get("/ready")).status_code == 200
    missing = await client.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.json() == {"success": False, "message": "Route not found"}
    wrong = await client.put("/health")
    assert wrong.status_code == 405 and wrong.json()["success"] is False
    assert "GET" in wrong.headers["allow"]
    on_an_id = await client.request("TRACE", "/api/leads/1")  # a path with an id names its methods too
    assert on_an_id.status_code == 405 and set(on_an_id.headers["allow"].split(", ")) >= {"GET", "PUT"}
    broken = await client.post(
        "/api/auth/login", content=b'{"email": ', headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400 and broken.json()["message"] == "Malformed JSON body"
    huge = await client.post("/api/auth/login", content=b"x" * 2_000_000)
    assert huge.status_code == 413 and huge.json()["success"] is False


async def test_the_api_root_points_at_documentation_that_is_served(client: httpx.AsyncClient) -> None:
    root = await client.get("/")
    assert root.status_code == 200 and root.json()["success"] is True
    docs = await client.get(root.json()["data"]["docs"])
    assert docs.status_code == 200 and "text/html" in docs.headers["content-type"]


async def test_hostile_headers(client: httpx.AsyncClient) -> None:
    for value in ("Bearer a.b.c", "Bearer " + "A" * 10000, "bearer\tabc", "Bearer ä", "Bearer ....."):
        response = await client.get("/api/auth/me", headers={"Authorization": value.encode("utf-8")})
        assert response.status_code == 401


async def test_answered_requests_leave_no_cycles_for_the_collector(client: httpx.AsyncClient) -> None:
    """Every request is freed when answered (reference counting), not left for the cyclic
    collector, whose pauses grew with the request rate (20-28 ms every ~0.6 s at 2,500 req/s)."""
    from sanic.asgi import ASGIApp
    from sanic.request import Request

    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(10):
            assert (await client.get("/health")).status_code == 200
            assert (await client.post("/api/auth/login", json={})).status_code == 400
            assert (await client.get("/api/nothing-here")).status_code == 404
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, Request | ASGIApp)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []


# -- query parameters: a mistyped filter is refused, never an unfiltered answer ---------------


@pytest.mark.parametrize(
    "path,params,accepted",
    [
        ("/api/leads", {"stauts": "won"}, "status"),
        ("/api/stages/entity", {"lead_Id": ""}, "lead_id"),  # blank: still a name it does not know
        ("/api/activities/entity", {"lead_Id": "5", "activty_type": "call"}, "activity_type"),
        ("/api/analytics/leads", {"date_form": "2026-01-01"}, "date_from"),
        ("/api/reporting/reports", {"reporttype": "lead_summary"}, "reportType"),
        ("/api/auth/users", {"rol": "admin"}, "role"),
    ],
)
async def test_an_unknown_query_parameter_is_refused_by_name(
    client: httpx.AsyncClient, path: str, params: dict[str, str], accepted: str
) -> None:
    admin = await logged_in(client, await make_entity(), RoleId.ADMIN)
    response = await client.get(path, params=params, headers=admin.auth)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["success"] is False
    assert [e["field"] for e in body["errors"]] == sorted(params)
    assert all(name in body["message"] for name in params)
    _, _, listed = body["message"].partition("accepted: ")
    assert accepted in listed.split(", ")  # and the names it does know, aliases too


async def test_a_mistyped_name_is_pointed_at_the_one_meant(client: httpx.AsyncClient) -> None:
    admin = await logged_in(client, await make_entity(), RoleId.ADMIN)
    response = await client.get("/api/stages/entity", params={"lead_Id": "7"}, headers=admin.auth)
    assert response.status_code == 400
    assert "lead_id" in response.json()["errors"][0]["message"]


async def test_known_queries_and_their_aliases_still_answer(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    won = await make_lead(entity, status="won")
    await make_lead(entity)

    async def get(path: str, params: dict[str, Any]) -> httpx.Response:
        response = await client.get(path, params=params, headers=admin.auth)
        assert response.status_code == 200, (path, response.text)
        return response

    listed = (await get("/api/leads", {"status": "won", "limit": 5, "offset": 0})).json()
    assert [lead["id"] for lead in listed["data"]] == [won] and listed["total"] == 1
    stages = (await get("/api/stages/entity", {"lead_id": won})).json()["data"]
    assert stages and {s["lead_id"] for s in stages} == {won}
    for report_type in ({"reportType": "lead_summary", "dateFrom": "2026-01-01"}, {"report_type": "leads"}):
        await get("/api/reporting/reports", report_type)
    await get("/api/analytics/leads", {"status": "won,new", "date_from": "2026-01-01"})
    await get("/api/activities/entity", {"lead_id": won, "activity_type": "call"})
    await get("/api/auth/users", {"role": "admin", "is_active": "true"})


async def test_what_the_product_itself_sends_still_answers(client: httpx.AsyncClient) -> None:
    """The floor screen's and the rep's view's queries, and Meta's subscription handshake."""
    entity = await make_entity()
    rep = await logged_in(client, entity, RoleId.SALES_REP)
    for url in (
        "/api/analytics/hourly?hours=24",
        "/api/leads/my-leads?limit=100",
        f"/api/activities/follow-ups/pending?for_user_id={rep.id}&limit=50",
        f"/api/activities/follow-ups/overdue?for_user_id={rep.id}&limit=50",
    ):
        response = await client.get(url, headers=rep.auth)
        assert response.status_code == 200, (url, response.text)
    handshake = {"hub.mode": "subscribe", "hub.verify_token": FB_VERIFY, "hub.challenge": "42"}
    response = await client.get("/webhooks/facebook", params=handshake)
    assert response.status_code == 200 and response.text == "42"
    for page in ("/openapi.json", "/docs", "/floor", "/floor/me"):
        assert (await client.get(page)).status_code == 200, page


async def api_gets(
    served: Served, client: httpx.AsyncClient, *, with_query: bool
) -> tuple[TestUser, list[str]]:
    """An admin, and the URL of every API GET documented with a query schema (or without one),
    its path ids filled in: the admin's entity, and a lead of it for any other id."""
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    lead = await make_lead(entity)
    urls = []
    for route in served.app.router.routes:
        doc = getattr(route.handler, "__openapi__", None)
        if "GET" not in route.methods or doc is None or (doc.query is not None) != with_query:
            continue
        if not route.path.startswith("api/") or route.path.endswith("webhooks/facebook"):
            continue  # the pages, the probes, Meta's handshake (read as Meta sends it)
        urls.append(
            "/" + PARAM.sub(lambda m: str(entity.id if m.group(1) == "entity_id" else lead), route.path)
        )
    return admin, urls


async def test_every_list_with_a_query_refuses_an_unknown_parameter(
    served: Served, client: httpx.AsyncClient
) -> None:
    admin, urls = await api_gets(served, client, with_query=True)
    assert len(urls) >= 40
    for url in urls:
        response = await client.get(url, params={"not_a_parameter": "1"}, headers=admin.auth)
        assert response.status_code == 400, (url, response.status_code, response.text)
        assert response.json()["errors"] == [
            {"field": "not_a_parameter", "message": response.json()["errors"][0]["message"]}
        ]
        assert "not_a_parameter" in response.json()["message"], url


async def test_a_request_that_takes_no_query_refuses_one(served: Served, client: httpx.AsyncClient) -> None:
    """`?user_id=` on the follow-up summary, which has no such filter, is a 400 naming it, not
    the whole entity's summary; every API GET documented without a query does the same."""
    admin, urls = await api_gets(served, client, with_query=False)
    assert len(urls) >= 15
    for url in urls:
        response = await client.get(url, params={"user_id": "1"}, headers=admin.auth)
        assert response.status_code == 400, (url, response.status_code, response.text)
        body = response.json()
        assert body["success"] is False and [e["field"] for e in body["errors"]] == ["user_id"]
        assert "user_id" in body["message"] and "takes none" in body["message"], url
        assert (await client.get(url, headers=admin.auth)).status_code != 400, url


async def test_an_unknown_body_field_is_refused_by_name(client: httpx.AsyncClient) -> None:
    """`nextFollowupDate` (a typo of nextFollowUpDate) answered 201 and saved no follow-up; it is
    a 400 naming it, pointing at the one meant and listing the fields taken, and nothing is
    logged."""
    entity = await make_entity()
    rep = await logged_in(client, entity)
    lead = await make_lead(entity, assigned_user_id=rep.id)
    body = {"leadId": lead, "activityType": "call", "description": "Called", "nextFollowupDate": "2030-01-01"}
    response = await client.post("/api/activities/log", json=body, headers=rep.auth)
    assert response.status_code == 400, response.text
    refused = response.json()
    assert refused["success"] is False and [e["field"] for e in refused["errors"]] == ["nextFollowupDate"]
    assert "did you mean nextFollowUpDate?" in refused["errors"][0]["message"]
    _, _, listed = refused["message"].partition("accepted: ")
    assert {"nextFollowUpDate", "next_follow_up_date", "leadId", "lead_id"} <= set(listed.split(", "))
    listed_activities = await client.get(f"/api/activities/lead/{lead}", headers=rep.auth)
    assert listed_activities.json()["total"] == 0
    # a field of a nested object is refused by its path
    template = {
        "name": "T",
        "type": "lead_summary",
        "schedule": {"frequency": "daily", "time": "09:00", "tz": 1},
    }
    admin = await logged_in(client, entity, RoleId.ADMIN)
    nested = await client.post("/api/reporting/templates", json=template, headers=admin.auth)
    assert nested.status_code == 400 and [e["field"] for e in nested.json()["errors"]] == ["schedule.tz"]
    # one field by both its names (which was meant?): a 400, not one of them passed over
    twice = {"name": "T", "report_type": "lead_summary", "reportType": "conversion_funnel"}
    refused = await client.post("/api/reporting/templates", json=twice, headers=admin.auth)
    assert refused.status_code == 400 and [e["field"] for e in refused.json()["errors"]] == ["reportType"]
    assert "the same field as report_type" in refused.json()["errors"][0]["message"]


async def test_every_api_body_refuses_an_unknown_field(served: Served, client: httpx.AsyncClient) -> None:
    """Every API route that reads a JSON body refuses a field it does not take; the webhooks
    (third-party forms, Meta) take what they are sent."""
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    lead = await make_lead(entity)
    seen = 0
    for route in served.app.router.routes:
        doc = getattr(route.handler, "__openapi__", None)
        if doc is None or doc.body is None or not route.path.startswith("api/") or "webhooks" in route.path:
            continue
        url = "/" + PARAM.sub(lambda m: str(entity.id if m.group(1) == "entity_id" else lead), route.path)
        for method in route.methods & {"POST", "PUT", "PATCH"}:
            seen += 1
            response = await client.request(method, url, json={"not_a_field": 1}, headers=admin.auth)
            assert response.status_code == 400, (method, url, response.status_code, response.text)
            body = response.json()
            assert body["success"] is False and "not_a_field" in body["message"], (method, url, body)
            assert [e["field"] for e in body["errors"]] == ["not_a_field"], (method, url, body)
    assert seen >= 30
    delivered = {"email": "x@example.com", "form_name": "spring", "whatever": "kept as an answer"}
    key = (await client.post("/webhooks/website", json=delivered)).status_code
    assert key == 401  # without the key: refused for that, never for the fields


# Every request example of the API document and of the contract (their bodies as given): each is
# taken (a 400 may still come from ids and values the example invents, never from its fields).
DOCUMENT_EXAMPLES = [
    ("POST", "/api/auth/register",
     {"username": "john_doe", "email": "john@company.com", "password": "SecurePass123", "first_name": "John",
      "last_name": "Doe", "phone": "+1234567890"}),  # refused for want of the contract's invite_code
    ("POST", "/api/auth/login", {"email": "john@company.com", "password": "SecurePass123"}),
    ("POST", "/api/auth/logout", {"refresh_token": "abc"}),
    ("POST", "/api/auth/verify-otp", {"email": "john@company.com", "otp": "123456"}),
    ("POST", "/api/auth/refresh", {"refresh_token": "abc"}),
    ("POST", "/api/auth/invites", {"role": "sales_rep", "email": "new@company.com"}),
    ("PUT", "/api/leads/{lead}", {"first_name": "Jane", "last_name": "Smith", "phone": "+15551234567"}),
    ("POST", "/api/assignments/assign",
     {"leadId": "{lead}", "assignedUserId": 123, "reason": "New lead assignment", "notes": "Hot"}),
    ("POST", "/api/assignments/reassign",
     {"leadId": "{lead}", "newAssignedUserId": 789, "reason": "Workload rebalancing", "notes": "Moving on"}),
    ("POST", "/api/assignments/unassign", {"leadId": "{lead}", "reason": "Lead requires special handling"}),
    ("POST", "/api/assignments/bulk-assign", {"reason": "Weekly bulk assignment", "max_leads_per_user": 25}),
    ("POST", "/api/stages/change-status",
     {"leadId": "{lead}", "statusId": 2, "notes": "Qualified", "nextActionRequired": "Call"}),
    ("PUT", "/api/stages/update-notes", {"stageId": 1, "notes": "Updated", "nextActionRequired": "Next"}),
    ("POST", "/api/activities/log",
     {"leadId": "{lead}", "activityType": "call", "description": "Initial call made to prospect",
      "nextFollowUpDate": "2024-06-15T10:00:00Z", "priority": "high", "status": "pending"}),
    ("PUT", "/api/activities/update-status", {"activityId": 1, "status": "completed", "notes": "Done"}),
    ("PUT", "/api/activities/update-follow-up",
     {"activityId": 1, "nextFollowUpDate": "2024-06-20T10:00:00Z", "notes": "Rescheduled for next week"}),
    ("PUT", "/api/activities/bulk-update-follow-ups",
     {"activityIds": [1, 2, 3], "nextFollowUpDate": "2024-06-25T10:00:00Z", "notes": "Bulk reschedule"}),
    ("POST", "/api/analytics/custom-report",
     {"report_type": "lead_performance",
      "filters": {"date_from": "2024-01-01", "date_to": "2024-12-31", "platform": "facebook",
                  "status": ["new", "qualified"]}}),
    ("POST", "/api/analytics/export",
     {"report_type": "lead_analytics", "format": "csv", "filters": {"date_from": "2024-01-01"}}),
    ("POST", "/api/reporting/templates",
     {"name": "Monthly Lead Performance", "type": "lead_analytics",
      "filters": {"group_by": "month", "include_platforms": True, "include_conversion_funnel": True},
      "schedule": {"frequency": "monthly", "day_of_month": 1, "time": "09:00"}}),
    ("PATCH", "/api/auth/users/{user}/role", {"role": "manager"}),
    ("PUT", "/api/entities/{entity}", {"settings": {"timezone": "Europe/London"}}),
]  # fmt: skip


async def test_the_documents_request_examples_are_taken(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    rep = await make_user(entity)
    ids = {"lead": str(await make_lead(entity)), "user": str(rep.id), "entity": str(entity.id)}

    def filled(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: filled(v) for k, v in value.items()}
        if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
            return int(ids[value[1:-1]])
        return value

    for method, path, body in DOCUMENT_EXAMPLES:
        url = path.format(**ids)
        response = await client.request(method, url, json=filled(body), headers=admin.auth)
        assert response.status_code < 500, (method, url, response.text)
        assert "Unknown field" not in response.text and "not a field" not in response.text, (
            url,
            response.text,
        )
