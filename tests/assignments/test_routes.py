"""/api/assignments: owner changes through the lead gate, their history and the rep's alert."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from models import Lead, RoleId
from tests.conftest import TEST_DB, Served
from tests.factories import TestUser, logged_in, make_entity, make_lead, make_user
from tests.realtime.clients import Listener


async def post(client: httpx.AsyncClient, who: TestUser, action: str, body: dict) -> httpx.Response:
    return await client.post(f"/api/assignments/{action}", json=body, headers=who.auth)


async def test_assign_alerts_the_rep_alone_and_records_history(
    served: Served, client: httpx.AsyncClient
) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep, other = await logged_in(client, entity), await logged_in(client, entity)
    lead_id = await make_lead(entity)
    outsider = await logged_in(client, await make_entity(), RoleId.MANAGER)
    alerts, bystander, foreign = (
        await Listener().connect(served.url, rep.token),
        await Listener().connect(served.url, other.token),
        await Listener().connect(served.url, outsider.token),
    )
    try:
        given = await post(
            client, manager, "assign", {"leadId": lead_id, "assignedUserId": rep.id, "notes": "hot"}
        )
        assert given.status_code == 200, given.text
        data = given.json()["data"]
        assert data["assignment"]["assigned_user_id"] == rep.id and data["assignment"]["notes"] == "hot"
        assert data["assigned_user"]["id"] == rep.id and data["lead"]["assigned_user_id"] == rep.id
        await alerts.wait_for(lambda: bool(alerts.named("lead:assigned")))
        await alerts.quiet()
        [alert] = alerts.named("lead:assigned")  # once, though it reaches two of its rooms
        assert alert["lead"]["id"] == lead_id and alert["previous_user_id"] is None
        # Another rep's socket hears it in the entity room only (the floor), as everyone does.
        assert [a["assigned_user"]["id"] for a in bystander.named("lead:assigned")] == [rep.id]
        assert foreign.named("lead:assigned") == []  # another entity's floor hears nothing
    finally:
        for listener in (alerts, bystander, foreign):
            await listener.close()
    moved = await post(client, manager, "reassign", {"lead_id": lead_id, "new_assigned_user_id": other.id})
    assert moved.status_code == 200 and moved.json()["data"]["new_assigned_user"]["id"] == other.id
    dropped = await post(client, manager, "unassign", {"leadId": lead_id, "reason": "special handling"})
    assert dropped.status_code == 200, dropped.text
    history = (await client.get(f"/api/assignments/lead/{lead_id}/history", headers=manager.auth)).json()[
        "data"
    ]
    assert [(h["action"], h["assigned_user_id"], h["previous_user_id"]) for h in history] == [
        ("assign", rep.id, None),
        ("reassign", other.id, rep.id),
        ("unassign", None, other.id),
    ]
    assert (
        history[0]["assigned_user_email"] == rep.email
        and history[2]["reassignment_reason"] == "special handling"
    )
    current = await client.get(f"/api/assignments/lead/{lead_id}", headers=manager.auth)
    assert current.json()["data"] is None and current.json()["message"] == "Lead is not currently assigned"


async def test_refused_moves_change_nothing(client: httpx.AsyncClient) -> None:
    entity, elsewhere = await make_entity(), await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await make_user(entity)
    support = await make_user(entity, RoleId.SUPPORT)
    stranger = await make_user(elsewhere)
    lead_id, foreign_lead = await make_lead(entity), await make_lead(elsewhere)
    cases = [
        ("unassign", {"leadId": lead_id}, 409),  # not assigned
        ("reassign", {"leadId": lead_id, "newAssignedUserId": rep.id}, 409),  # not assigned either
        ("assign", {"leadId": lead_id, "assignedUserId": support.id}, 422),  # support owns no leads
        ("assign", {"leadId": lead_id, "assignedUserId": stranger.id}, 404),  # another entity's user
        ("assign", {"leadId": foreign_lead, "assignedUserId": rep.id}, 404),  # another entity's lead
        ("assign", {"leadId": lead_id}, 400),
        ("assign", {"leadId": "x", "assignedUserId": rep.id}, 400),
    ]
    for action, body, status in cases:
        response = await post(client, manager, action, body)
        assert response.status_code == status, (action, body, response.text)
        assert response.json()["success"] is False
    assert (await Lead.get(id=lead_id)).assigned_user_id is None
    assert (await Lead.get(id=foreign_lead)).assigned_user_id is None
    assert (
        await post(client, manager, "assign", {"leadId": lead_id, "assignedUserId": rep.id})
    ).status_code == 200
    again = await post(client, manager, "assign", {"leadId": lead_id, "assignedUserId": rep.id})
    assert again.status_code == 409
    same = await post(client, manager, "reassign", {"leadId": lead_id, "newAssignedUserId": rep.id})
    assert same.status_code == 409
    history = await client.get(f"/api/assignments/lead/{lead_id}/history", headers=manager.auth)
    assert len(history.json()["data"]) == 1  # refused moves leave no history


async def test_a_rep_takes_an_unassigned_lead_only_where_allowed(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    rep, other = await logged_in(client, entity), await make_user(entity)
    lead_id = await make_lead(entity)
    take = {"leadId": lead_id, "assignedUserId": rep.id}
    assert (await post(client, rep, "assign", take)).status_code == 403
    settings = {"settings": {"reps_take_unassigned": True}}
    assert (
        await client.put(f"/api/entities/{entity.id}", json=settings, headers=admin.auth)
    ).status_code == 200
    assert (await post(client, rep, "assign", {**take, "assignedUserId": other.id})).status_code == 403
    assert (await post(client, rep, "assign", take)).status_code == 200
    assert (
        await post(client, rep, "reassign", {"leadId": lead_id, "newAssignedUserId": other.id})
    ).status_code == 403


async def test_bulk_deals_round_robin_up_to_the_cap(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    reps = [await make_user(entity) for _ in range(3)]
    busy = reps[0]
    await make_lead(entity, assigned_user_id=busy.id)  # one open lead already
    await make_lead(entity, assigned_user_id=busy.id, status="won")  # closed: does not count
    lead_ids = [await make_lead(entity) for _ in range(9)]
    dealt = await post(client, manager, "bulk-assign", {"max_leads_per_user": 3})
    assert dealt.status_code == 200, dealt.text
    pairs = dealt.json()["data"]["assignments"]
    assert dealt.json()["data"]["total_assigned"] == 8 and [p["lead_id"] for p in pairs] == lead_ids[:8]
    r0, r1, r2 = (r.id for r in reps)  # round robin by id, the busy rep passed over once it is full
    assert [p["assigned_user_id"] for p in pairs] == [r0, r1, r2, r0, r1, r2, r1, r2]
    stats = (await client.get("/api/assignments/workload-stats", headers=manager.auth)).json()["data"]
    assert stats["unassigned_leads"] == 1
    by_user = {row["id"]: row for row in stats["workload_distribution"]}
    assert (by_user[busy.id]["active_leads"], by_user[busy.id]["closed_leads"]) == (3, 1)
    assert by_user[reps[1].id]["assigned_leads"] == 3
    assert stats["total_users"] == 4  # the three reps and the manager (managers own leads too)


async def test_lists_filter_count_all_and_stay_in_the_entity(client: httpx.AsyncClient) -> None:
    entity, elsewhere = await make_entity(), await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await logged_in(client, entity)
    outsider = await logged_in(client, elsewhere, RoleId.MANAGER)
    for _ in range(3):
        lead_id = await make_lead(entity)
        await post(client, manager, "assign", {"leadId": lead_id, "assignedUserId": rep.id})
    listed = await client.get(
        "/api/assignments/entity", params={"assigned_user_id": rep.id, "limit": 2}, headers=manager.auth
    )
    body = listed.json()
    assert body["total"] == 3 and len(body["data"]) == 2 and body["data"][0]["lead_status"] == "new"
    assert (await client.get("/api/assignments/user", headers=rep.auth)).json()["total"] == 3
    theirs = await client.get("/api/assignments/entity", headers=outsider.auth)
    assert theirs.json()["total"] == 0
    assert (
        await client.get(f"/api/assignments/lead/{lead_id}/history", headers=outsider.auth)
    ).status_code == 404
    assert (
        await client.get("/api/assignments/entity", params={"lead_status": "nope"}, headers=manager.auth)
    ).status_code == 400


@pytest.mark.skipif(TEST_DB != "mysql", reason="row locks: MariaDB")
async def test_two_assigns_at_once_leave_one_owner_and_true_history(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    reps = [await make_user(entity) for _ in range(2)]
    lead_id = await make_lead(entity)
    answers = await asyncio.gather(
        *(post(client, manager, "assign", {"leadId": lead_id, "assignedUserId": r.id}) for r in reps)
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    history = (await client.get(f"/api/assignments/lead/{lead_id}/history", headers=manager.auth)).json()[
        "data"
    ]
    winner = next(a for a in answers if a.status_code == 200).json()["data"]["assigned_user"]["id"]
    assert [h["assigned_user_id"] for h in history] == [winner]
    assert (await Lead.get(id=lead_id)).assigned_user_id == winner
