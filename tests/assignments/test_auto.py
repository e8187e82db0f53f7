"""Auto-assignment: website leads are born owned by the entity's setting, with their history,
and the rep hears `lead:assigned` while the floor's `lead:new` already names the owner."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx

from models import Entity, Lead, LeadActivity, LeadAssignment, RoleId, User
from salesmagnet.assignments import auto
from salesmagnet.db import atomic
from salesmagnet.entities import service as entities
from salesmagnet.tenancy import Actor
from tests.conftest import Served, unique
from tests.factories import TestUser, logged_in, make_entity, make_lead, make_user
from tests.realtime.clients import Listener


async def auto_assigning(client: httpx.AsyncClient, entity: Entity, **settings: Any) -> TestUser:
    admin = await logged_in(client, entity, RoleId.ADMIN)
    response = await client.put(f"/api/entities/{entity.id}", json={"settings": settings}, headers=admin.auth)
    assert response.status_code == 200, response.text
    return admin


async def deliver(client: httpx.AsyncClient, key: str, count: int) -> list[int]:
    async def one() -> int:
        email = f"{unique('auto')}@example.com"
        body = {"source_lead_id": unique("form-"), "answers": {"email": email, "first_name": "Ann"}}
        response = await client.post("/webhooks/website", json=body, headers={"X-Webhook-Key": key})
        assert response.status_code == 201, response.text
        return int(response.json()["lead_id"])

    return list(await asyncio.gather(*(one() for _ in range(count))))


async def test_round_robin_deals_concurrent_leads_evenly_and_alerts_each_rep(
    served: Served, client: httpx.AsyncClient
) -> None:
    entity = await make_entity()
    admin = await auto_assigning(client, entity, auto_assignment="round_robin")
    reps = [await logged_in(client, entity) for _ in range(10)]
    idle = await make_user(entity)
    await User.filter(id=idle.id).update(is_active=False)
    await make_user(entity, RoleId.MANAGER)  # managers are not dealt leads
    key = await entities.webhook_key(entity.name)
    alerts, floor = (
        await Listener().connect(served.url, reps[0].token),
        await Listener().connect(served.url, admin.token),
    )
    try:
        lead_ids = await deliver(client, key, 200)
        owners = dict(await Lead.filter(id__in=lead_ids).values_list("id", "assigned_user_id"))
        per_rep = Counter(owners.values())
        assert set(per_rep) == {rep.id for rep in reps}
        assert all(19 <= n <= 21 for n in per_rep.values()), per_rep
        await floor.wait_for(lambda: len(floor.named("lead:new")) == 200)
        announced = {e["lead"]["id"]: e["lead"]["assigned_user_id"] for e in floor.named("lead:new")}
        assert announced == owners  # born assigned: lead:new already names the owner
        mine = {lead for lead, owner in owners.items() if owner == reps[0].id}
        await alerts.wait_for(lambda: len(alerts.named("lead:assigned")) >= len(mine))
        await alerts.quiet()
        heard = [
            e["lead"]["id"] for e in alerts.named("lead:assigned") if e["assigned_user"]["id"] == reps[0].id
        ]
        assert sorted(heard) == sorted(mine)  # each of its own leads once
    finally:
        await alerts.close()
        await floor.close()
    history = await LeadAssignment.filter(lead_id__in=lead_ids).values_list(
        "lead_id", "action", "assigned_user_id"
    )
    assert sorted(history) == sorted((lead, "auto", owners[lead]) for lead in lead_ids)  # one row per lead
    assert await LeadActivity.filter(lead_id__in=lead_ids, activity_type="assignment").count() == 200
    workload = (await client.get("/api/assignments/workload-stats", headers=admin.auth)).json()["data"]
    assert workload["unassigned_leads"] == 0


async def test_least_loaded_fills_the_emptiest_rep_first(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    await auto_assigning(client, entity, auto_assignment="least_loaded")
    busy, free = await make_user(entity), await make_user(entity)
    for _ in range(3):
        await make_lead(entity, assigned_user_id=busy.id)
    await make_lead(entity, assigned_user_id=busy.id, status="won")  # closed: not load
    key = await entities.webhook_key(entity.name)
    first = [await deliver(client, key, 1) for _ in range(3)]
    owners = [await Lead.get(id=lead[0]).values_list("assigned_user_id", flat=True) for lead in first]
    assert owners == [free.id] * 3
    more = await deliver(client, key, 4)
    per_rep = Counter(await Lead.filter(id__in=more).values_list("assigned_user_id", flat=True))
    assert per_rep == {busy.id: 2, free.id: 2}


async def test_online_reps_first_and_off(served: Served, client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await auto_assigning(
        client, entity, auto_assignment="round_robin", auto_assignment_online_first=True
    )
    online, offline = await logged_in(client, entity), await logged_in(client, entity)
    key = await entities.webhook_key(entity.name)
    socket = await Listener().connect(served.url, online.token)
    try:
        await asyncio.sleep(0.1)
        dealt = await deliver(client, key, 4)
        assert set(await Lead.filter(id__in=dealt).values_list("assigned_user_id", flat=True)) == {online.id}
    finally:
        await socket.close()
    await asyncio.sleep(0.1)
    nobody_online = await deliver(client, key, 2)  # then everyone is in the rotation again
    assert set(await Lead.filter(id__in=nobody_online).values_list("assigned_user_id", flat=True)) == {
        online.id,
        offline.id,
    }
    await client.put(
        f"/api/entities/{entity.id}", json={"settings": {"auto_assignment": "off"}}, headers=admin.auth
    )
    left = await deliver(client, key, 2)
    assert set(await Lead.filter(id__in=left).values_list("assigned_user_id", flat=True)) == {None}


async def test_no_rep_leaves_leads_unassigned(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    await auto_assigning(client, entity, auto_assignment="round_robin")
    key = await entities.webhook_key(entity.name)
    [lead_id] = await deliver(client, key, 1)
    assert (await Lead.get(id=lead_id)).assigned_user_id is None
    bad = await client.put(
        f"/api/entities/{entity.id}",
        json={"settings": {"auto_assignment": "fastest"}},
        headers=(await logged_in(client, entity, RoleId.ADMIN)).auth,
    )
    assert bad.status_code == 400 and "auto_assignment" in bad.text


async def test_concurrent_batches_never_share_a_turn(served: Served) -> None:
    """Batches take their turns from the entity's cursor row: concurrent ones get disjoint runs,
    together every turn once."""
    entity = await make_entity()
    actor = Actor.system(entity.id)

    async def batch() -> list[int]:  # as the writer takes them: inside its transaction
        async with atomic():
            return await auto._take_turns(actor, 3)

    taken = await asyncio.gather(*(batch() for _ in range(10)))
    assert all(turns == list(range(turns[0], turns[0] + 3)) for turns in taken)
    assert sorted(turn for turns in taken for turn in turns) == list(range(30))
