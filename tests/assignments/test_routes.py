"""/api/assignments: owner changes through the lead gate, their history and the rep's alert."""

from __future__ import annotations

import asyncio
from collections import deque
from datetime import UTC, datetime
from types import SimpleNamespace

import httpx
import pytest

from models import (
    ActivityStatus,
    Entity,
    EventOutbox,
    Lead,
    LeadActivity,
    LeadAssignment,
    Platform,
    RoleId,
    User,
)
from salesmagnet.assignments import service as assignments
from salesmagnet.db import atomic
from salesmagnet.leads import service as leads
from salesmagnet.leads.writer import NewLead, write_leads
from salesmagnet.tenancy import Actor
from tests.conftest import TEST_DB, Served, unique
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


async def test_bulk_takes_its_cap_in_camel_case_too(client: httpx.AsyncClient) -> None:
    """The assignment bodies are camelCase (leadId, assignedUserId): a manager's
    `maxLeadsPerUser: 1` was ignored, and each rep was dealt up to 20 leads."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await make_user(entity)
    first, _ = await make_lead(entity), await make_lead(entity)
    dealt = await post(client, manager, "bulk-assign", {"maxLeadsPerUser": 1})
    assert dealt.status_code == 200, dealt.text
    assert dealt.json()["data"]["assignments"] == [{"lead_id": first, "assigned_user_id": rep.id}]
    refused = await post(client, manager, "bulk-assign", {"maxLeadsPerUser": 0})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "maxLeadsPerUser"


async def test_bulk_runs_go_on_round_the_reps(client: httpx.AsyncClient) -> None:
    """Each run starts where the entity's rotation stopped, not at the lowest id again: a
    manager bulk-assigning the morning's few leads gave every one of them to the same rep."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    r0, r1, r2 = [await make_user(entity) for _ in range(3)]
    given = []
    for batch in (1, 1, 2, 1):
        for _ in range(batch):
            await make_lead(entity)
        dealt = await post(client, manager, "bulk-assign", {})
        assert dealt.status_code == 200, dealt.text
        given += [p["assigned_user_id"] for p in dealt.json()["data"]["assignments"]]
    assert given == [r0.id, r1.id, r2.id, r0.id, r1.id]


async def test_bulk_deals_open_leads_only(client: httpx.AsyncClient) -> None:
    """A won or lost lead nobody owns is not dealt: it would take a rep's room (the cap counts
    open leads) and leave the open leads waiting."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await make_user(entity)
    closed = [await make_lead(entity, status=status) for status in ("lost", "won")]  # the oldest
    fresh = await make_lead(entity)
    dealt = await post(client, manager, "bulk-assign", {"max_leads_per_user": 1})
    assert dealt.status_code == 200, dealt.text
    assert dealt.json()["data"]["assignments"] == [{"lead_id": fresh, "assigned_user_id": rep.id}]
    for lead_id in closed:
        assert (await Lead.get(id=lead_id)).assigned_user_id is None


async def test_unassigned_counts_and_lists_the_open_leads_bulk_assignment_deals(
    client: httpx.AsyncClient,
) -> None:
    """A manager saw "3 unassigned" (workload, queue, dashboard), ran bulk assignment and got 1:
    a won or lost lead nobody owns is in no queue, so it is not counted as unassigned either."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    await make_user(entity)
    for status in ("lost", "won"):
        await make_lead(entity, status=status)
    fresh = await make_lead(entity)
    stats = (await client.get("/api/assignments/workload-stats", headers=manager.auth)).json()["data"]
    queue = (await client.get("/api/leads/unassigned", headers=manager.auth)).json()
    board = (await client.get("/api/analytics/dashboard", headers=manager.auth)).json()["data"]
    assert stats["unassigned_leads"] == 1
    assert (queue["total"], [lead["id"] for lead in queue["data"]]) == (1, [fresh])
    assert (board["total_leads"], board["assigned_leads"], board["unassigned_leads"]) == (3, 0, 1)
    dealt = await post(client, manager, "bulk-assign", {})
    assert dealt.json()["data"]["total_assigned"] == stats["unassigned_leads"]


async def test_workload_lists_the_leads_of_users_who_can_no_longer_work_them(
    client: httpx.AsyncClient,
) -> None:
    """Leads owned by a deactivated user or one moved to support were in no row and not counted
    unassigned: the workload's open leads fell short of the entity's. Their owners are listed,
    marked (`can_own_leads` false), so a manager can reassign them, and the figures add up."""
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep, gone, moved, idle_gone = [await make_user(entity) for _ in range(4)]
    for owner, statuses in (
        (rep, ["new", "contacted", "won"]),
        (gone, ["new", "qualified", "negotiation", "lost"]),
        (moved, ["proposal_sent"]),
        (None, ["new", "new", "won"]),
    ):
        for status in statuses:
            await make_lead(entity, status=status, assigned_user_id=owner.id if owner else None)
    for user in (gone, idle_gone):
        assert (await client.delete(f"/api/auth/users/{user.id}", headers=admin.auth)).status_code == 200
    support = {"role": "support"}
    role = await client.patch(f"/api/auth/users/{moved.id}/role", json=support, headers=admin.auth)
    assert role.status_code == 200, role.text
    stats = (await client.get("/api/assignments/workload-stats", headers=manager.auth)).json()["data"]
    rows = {row["id"]: row for row in stats["workload_distribution"]}
    counts = (await client.get("/api/leads/counts", headers=manager.auth)).json()["data"]
    open_leads = sum(c["count"] for c in counts if c["status"] not in ("won", "lost"))
    assert open_leads == 8
    assert stats["unassigned_leads"] + sum(r["active_leads"] for r in rows.values()) == open_leads
    figures = {
        who: (row["active_leads"], row["closed_leads"], row["is_active"], row["role"], row["can_own_leads"])
        for who, row in rows.items()
    }
    assert figures == {
        rep.id: (2, 1, True, "sales_rep", True),
        gone.id: (3, 1, False, "sales_rep", False),
        moved.id: (1, 0, True, "support", False),
        manager.id: (0, 0, True, "manager", True),
    }  # the admin and a deactivated user who owns nothing are not listed
    assert (stats["open_leads"], stats["unassigned_leads"], stats["orphaned_leads"]) == (8, 2, 4)
    assert (stats["total_users"], stats["average_leads_per_user"]) == (2, 1.5)  # rep and manager
    assert [row["id"] for row in stats["workload_distribution"]] == [gone.id, rep.id, moved.id, manager.id]


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
    # The caller's own: asking for another user's is refused, not answered with the caller's.
    asked = {"assigned_user_id": rep.id}
    refused = await client.get("/api/assignments/user", params=asked, headers=manager.auth)
    assert refused.status_code == 400 and "assigned_user_id" in refused.json()["message"], refused.text
    theirs = await client.get("/api/assignments/entity", headers=outsider.auth)
    assert theirs.json()["total"] == 0
    assert (
        await client.get(f"/api/assignments/lead/{lead_id}/history", headers=outsider.auth)
    ).status_code == 404
    assert (
        await client.get("/api/assignments/entity", params={"lead_status": "nope"}, headers=manager.auth)
    ).status_code == 400


async def test_entity_list_filters_by_when_assigned(client: httpx.AsyncClient) -> None:
    """A manager asking for the assignments made on some days (`date_from` / `date_to`, as the
    earlier implementation and every other list of the entity take them) was refused 400."""
    entity = await make_entity()
    await Entity.filter(id=entity.id).update(settings={"timezone": "Asia/Kolkata"})
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await make_user(entity)
    made = {}
    for at in ("2026-01-10T20:00:00Z", "2026-01-11T12:00:00Z"):  # Kolkata's 11 January, both
        lead_id = await make_lead(entity)
        await post(client, manager, "assign", {"leadId": lead_id, "assignedUserId": rep.id})
        await LeadAssignment.filter(lead_id=lead_id).update(assigned_at=datetime.fromisoformat(at))
        made[at] = lead_id

    async def listed(**params: str) -> httpx.Response:
        return await client.get("/api/assignments/entity", params=params, headers=manager.auth)

    day = (await listed(date_from="2026-01-11", date_to="2026-01-11")).json()
    assert (day["total"], day["filters"]["date_from"]) == (2, "2026-01-11"), day
    later = (await listed(date_from="2026-01-11T06:00:00Z")).json()
    assert [a["lead_id"] for a in later["data"]] == [made["2026-01-11T12:00:00Z"]]
    before = (await listed(date_to="2026-01-10")).json()
    assert before["total"] == 0
    for bad in ({"date_from": "11/01/2026"}, {"date_from": "2026-01-12", "date_to": "2026-01-11"}):
        refused = await listed(**bad)
        assert refused.status_code == 400 and refused.json()["success"] is False, refused.text
        assert refused.json()["errors"][0]["field"] in bad


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


async def _new_leads(entity: Entity, count: int) -> list[int]:
    """`count` unassigned leads written in one batch by the lead writer (ids in order)."""
    items = [
        NewLead(entity.id, Platform.WEBSITE, {"source_lead_id": unique("bulk-")}, {"email": f"b{n}@x.io"})
        for n in range(count)
    ]
    return [outcome.lead_id for outcome in await write_leads(items, look_first=False)]


def _round_robin(lead_ids: list[int], room: dict[int, int]) -> list[tuple[int, int]]:
    """The deal bulk-assign must make: reps by id in turn, each while it has room."""
    turns, pairs = deque(sorted(r for r in room if room[r] > 0)), []
    for lead_id in lead_ids:
        if not turns:
            break
        rep = turns.popleft()
        pairs.append((lead_id, rep))
        room[rep] -= 1
        if room[rep]:
            turns.append(rep)
    return pairs


async def test_bulk_of_hundreds_records_each_lead_and_alerts_each_rep(
    served: Served, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assignments, "BULK_BATCH", 64)  # several transactions
    entity, elsewhere = await make_entity(), await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    reps = [await logged_in(client, entity) for _ in range(4)]
    await make_user(entity, RoleId.MANAGER)  # managers own leads, but are not dealt to
    gone = await make_user(entity)
    await User.filter(id=gone.id).update(is_active=False)  # nor are inactive reps
    for _ in range(5):
        await make_lead(entity, assigned_user_id=reps[0].id)  # 5 open leads already
    await make_lead(entity, assigned_user_id=reps[1].id, status="lost")  # closed: not counted
    queue = await _new_leads(entity, 300)
    oldest = await make_lead(entity, created_at=datetime(2020, 1, 1, tzinfo=UTC))  # dealt first
    foreign = await _new_leads(elsewhere, 20)
    outsider = await logged_in(client, elsewhere)
    floor = [await Listener().connect(served.url, rep.token) for rep in (*reps, outsider)]
    try:
        dealt = await post(client, manager, "bulk-assign", {"max_leads_per_user": 60, "reason": "monday"})
        assert dealt.status_code == 200, dealt.text
        expected = _round_robin([oldest, *queue], {r.id: 60 - (5 if r is reps[0] else 0) for r in reps})
        pairs = [(p["lead_id"], p["assigned_user_id"]) for p in dealt.json()["data"]["assignments"]]
        assert len(expected) == 235 and pairs == expected
        assert dealt.json()["data"]["total_assigned"] == 235
        for listener in floor[:-1]:
            await listener.wait_for(lambda listener=listener: len(listener.named("lead:assigned")) >= 235)
        await floor[0].quiet()
        for rep, listener in zip(reps, floor, strict=False):
            heard = listener.named("lead:assigned")
            assert sorted(a["lead"]["id"] for a in heard) == sorted(p[0] for p in pairs)  # each once
            mine = [
                (a["lead"]["id"], a["assignment"]["id"]) for a in heard if a["assigned_user"]["id"] == rep.id
            ]
            # Its own alerts, each once, in the order of the entity's events (batches written two
            # at a time may commit in either order: each batch's leads are in dealing order).
            assert sorted(lead for lead, _ in mine) == sorted(
                lead for lead, owner in pairs if owner == rep.id
            )
            assert listener.seqs("lead:assigned") == sorted(listener.seqs("lead:assigned"))
        assert floor[-1].named("lead:assigned") == []  # another entity's floor hears nothing
    finally:
        for listener in floor:
            await listener.close()
    owner_of = dict(pairs)
    leads = {lead.id: lead for lead in await Lead.filter(id__in=[oldest, *queue])}
    assert {i: lead.assigned_user_id for i, lead in leads.items() if lead.assigned_user_id} == owner_of
    assert all(leads[i].assigned_at is not None for i in owner_of)
    history = await LeadAssignment.filter(entity_id=entity.id, action="bulk").order_by("id")
    assert sorted((h.lead_id, h.assigned_user_id) for h in history) == sorted(pairs)  # type: ignore[attr-defined]
    assert {(h.assigned_by_user_id, h.previous_user_id, h.reassignment_reason) for h in history} == {  # type: ignore[attr-defined]
        (manager.id, None, "monday")
    }
    activities = await LeadActivity.filter(entity_id=entity.id, activity_type="assignment").order_by("id")
    assert sorted(a.lead_id for a in activities) == sorted(lead for lead, _ in pairs)  # type: ignore[attr-defined]
    assert {(a.user_id, a.status, a.description) for a in activities} == {  # type: ignore[attr-defined]
        (manager.id, ActivityStatus.COMPLETED, "Lead assigned to Test sales_rep: monday")
    }
    outbox = await EventOutbox.filter(entity_id=entity.id, name="lead:assigned").order_by("seq")
    assert sorted((e.payload["lead"]["id"], e.user_ids) for e in outbox) == sorted(
        (lead, [owner]) for lead, owner in pairs
    )
    assert sorted(e.payload["assignment"]["id"] for e in outbox) == [h.id for h in history]
    assert await Lead.filter(id__in=foreign, assigned_user_id__isnull=False).count() == 0
    stats = (await client.get("/api/assignments/workload-stats", headers=manager.auth)).json()["data"]
    assert stats["unassigned_leads"] == 301 - 235


async def test_assign_many_passes_over_leads_taken_meanwhile_and_other_entities(served: Served) -> None:
    entity, elsewhere = await make_entity(), await make_entity()
    rep, other = await make_user(entity), await make_user(entity)
    free, taken = await make_lead(entity), await make_lead(entity, assigned_user_id=other.id)
    foreign = await make_lead(elsewhere)
    async with atomic():
        moved = await leads.assign_many(
            Actor.system(entity.id), [(taken, rep.id), (foreign, rep.id), (free, rep.id)]
        )
    assert [(m.lead["id"], m.lead["assigned_user_id"], m.previous_owner) for m in moved] == [
        (free, rep.id, None)
    ]
    assert moved[0].lead["assigned_user"]["id"] == rep.id and moved[0].lead["assigned_at"]
    # made from the locking read, not read again: it must be what a read would answer
    assert moved[0].lead == await leads.lead_summary(Actor.system(entity.id), free)
    assert (await Lead.get(id=taken)).assigned_user_id == other.id
    assert (await Lead.get(id=foreign)).assigned_user_id is None


def test_a_rep_whose_dealt_lead_was_taken_meanwhile_keeps_the_room() -> None:
    rep1, rep2 = SimpleNamespace(id=1), SimpleNamespace(id=2)
    dealer = assignments._Dealer([rep1, rep2], {1: 1, 2: 2})  # type: ignore[list-item]
    assert dealer.deal([10, 11, 12, 13]) == [(10, 1), (11, 2), (12, 2)]  # then everyone is full
    dealer.give_back([1])  # lead 10 was assigned by someone else before the batch locked it
    assert dealer.deal([14, 15]) == [(14, 1)]
