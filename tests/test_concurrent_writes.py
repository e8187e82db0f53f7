"""Writes that meet on one row at once, from requests answered in the same moment: each waits
for the other's lock and works from what the other left (on MariaDB; SQLite has one writer)."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import httpx
from tortoise.transactions import in_transaction

from models import RoleId
from salesmagnet.entities import settings as entity_settings
from tests.factories import _activity_counts_match, logged_in, make_entity, make_lead


async def test_one_activity_updated_four_times_at_once_is_counted_once(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    lead_id = await make_lead(entity)
    ids = []
    for n in range(12):
        body: dict[str, Any] = {"leadId": lead_id, "activityType": "call", "description": f"call {n}"}
        body |= {"status": "pending"} | ({"nextFollowUpDate": "2031-01-01T10:00:00Z"} if n % 2 else {})
        logged = await client.post("/api/activities/log", json=body, headers=manager.auth)
        assert logged.status_code == 201, logged.text
        ids.append(logged.json()["data"]["activity_id"])

    def put(action: str, body: dict[str, Any]) -> Any:
        return client.put(f"/api/activities/{action}", json=body, headers=manager.auth)

    for activity_id in ids:
        answers = await asyncio.gather(
            put("update-status", {"activity_id": activity_id, "status": "completed"}),
            put("update-status", {"activity_id": activity_id, "status": "cancelled"}),
            put(
                "update-follow-up",
                {"activity_id": activity_id, "next_follow_up_date": "2031-02-01T09:00:00Z"},
            ),
            put(
                "update-follow-up",
                {"activity_id": activity_id, "next_follow_up_date": "2031-03-01T09:00:00Z"},
            ),
        )
        assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
    await _activity_counts_match()  # each update moved the counters from what the one before left


async def test_a_move_that_waited_for_another_counts_and_times_after_it(client: httpx.AsyncClient) -> None:
    """Two moves of one lead by one manager, the second sent while the first waits for the
    lead's lock: the manager handled one lead (its first move counted once), and the second
    stage starts when the first one ended, not before."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    lead_id = await make_lead(entity)

    async def move(status: str) -> httpx.Response:
        entity_settings.forget(entity.id)  # read again in the transaction, before its lock wait
        return await client.post(
            "/api/stages/change-status", json={"lead_id": lead_id, "status": status}, headers=manager.auth
        )

    async with in_transaction("default") as held:  # someone else holds the lead a moment
        await held.execute_query(
            "SELECT id FROM lead_data WHERE id = %s FOR UPDATE"
            if _mysql(held)
            else "SELECT id FROM lead_data WHERE id = ?",
            [lead_id],
        )
        first = asyncio.ensure_future(move("qualified"))
        await asyncio.sleep(0.1)
        second = asyncio.ensure_future(move("contacted"))
        await asyncio.sleep(0.3)
    answers = await asyncio.gather(first, second)
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    history = (await client.get(f"/api/stages/lead/{lead_id}/history", headers=manager.auth)).json()["data"]
    stages = sorted(history, key=lambda s: s["id"])
    assert [s["status_name"] for s in stages] == ["new", "qualified", "contacted"]
    for before, after in itertools.pairwise(stages):
        assert before["exited_at"] <= after["entered_at"], (before, after)
        assert before["entered_at"] <= before["exited_at"], before
    users = (
        await client.get(f"/api/stages/user-performance?user_id={manager.id}", headers=manager.auth)
    ).json()["data"]
    assert [u["unique_leads_handled"] for u in users] == [1]


def _mysql(connection: Any) -> bool:
    return "mysql" in type(connection).__module__
