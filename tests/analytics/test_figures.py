"""The analytics endpoints on a small dataset whose answers were worked out by hand.

The entity's time zone is Asia/Kolkata (UTC+5:30), so days are its days, not UTC's.
L1 website, arrived 2026-01-05 20:00 UTC (Tue 2026-01-06 there, ISO week 2026-W02), rep1 two
   hours later, won three days after arriving; it passed new, qualified, contacted, proposal_sent.
L2 facebook, arrived 2026-01-05 10:00 UTC (Mon 2026-01-05, W02), rep1 four hours later, lost a
   day after arriving (passed new, qualified).
L3 facebook, arrived 2026-01-12 12:00 UTC (Mon 2026-01-12, W03), rep2 an hour later, contacted.
L4 website, arrived 2026-02-01 00:00 UTC (Sun 2026-02-01, W05), nobody's, new.
Another entity has a won lead of its own, in none of these figures.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from models import Entity, Lead, RoleId, StatusName
from salesmagnet.activities import records as activity_records
from salesmagnet.analytics import live
from salesmagnet.entities import service as entities
from salesmagnet.entities.schemas import EntityUpdate
from salesmagnet.leads import counts as lead_counts
from salesmagnet.leads import rollups
from salesmagnet.tenancy import Actor
from tests.factories import (
    TestUser,
    assert_counts_match,
    logged_in,
    login,
    make_entity,
    make_lead,
    make_user,
)

S = StatusName


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def reached(*statuses: StatusName) -> int:
    return sum(rollups.bit(s.value) for s in statuses)


async def seed(
    entity: Entity,
    status: StatusName,
    platform: str,
    created: str,
    owner: int | None,
    assigned_after: float | None,
    closed_after: float | None,
    path: list[StatusName],
) -> int:
    lead_id = await make_lead(entity, status=status.value, assigned_user_id=owner)
    start = at(created)
    await Lead.filter(id=lead_id).update(
        platform_key=platform,
        created_at=start,
        first_assigned_at=None if assigned_after is None else start + timedelta(hours=assigned_after),
        status_changed_at=start + timedelta(days=closed_after or 0),
        reached=reached(*path, status),
    )
    return lead_id


@pytest.fixture
async def known(client: httpx.AsyncClient) -> dict[str, Any]:
    entity = await make_entity()
    await Entity.filter(id=entity.id).update(settings={"timezone": "Asia/Kolkata"})
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep1, rep2 = await make_user(entity), await make_user(entity)
    await seed(entity, S.WON, "website", "2026-01-05T20:00:00", rep1.id, 2, 3,
               [S.NEW, S.QUALIFIED, S.CONTACTED, S.PROPOSAL_SENT])  # fmt: skip
    await seed(entity, S.LOST, "facebook", "2026-01-05T10:00:00", rep1.id, 4, 1, [S.NEW, S.QUALIFIED])
    await seed(entity, S.CONTACTED, "facebook", "2026-01-12T12:00:00", rep2.id, 1, None, [S.NEW, S.QUALIFIED])
    await seed(entity, S.NEW, "website", "2026-02-01T00:00:00", None, None, None, [])
    other = await make_entity()
    await make_lead(other, status="won")
    # Seeding wrote history by hand: count the rollups from the leads, as after a bulk load.
    from salesmagnet.entities import settings as entity_settings

    entity_settings.forget(entity.id)
    await lead_counts.rebuild(Actor.system(entity.id))
    await rollups.rebuild(Actor.system(entity.id))
    await activity_records.rebuild(Actor.system(entity.id))
    return {"entity": entity, "manager": manager, "rep1": rep1, "rep2": rep2}


async def get(client: httpx.AsyncClient, who: TestUser, name: str, **params: Any) -> Any:
    response = await client.get(f"/api/analytics/{name}", params=params, headers=who.auth)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def test_lead_figures_and_their_filters(client: httpx.AsyncClient, known: dict[str, Any]) -> None:
    manager = known["manager"]
    data = await get(client, manager, "leads")
    assert {k: data[k] for k in (
        "total_leads", "new_leads", "contacted_leads", "won_leads", "lost_leads", "assigned_leads",
        "unassigned_leads", "conversion_rate", "win_rate", "avg_cycle_time", "avg_assignment_time",
    )} == {
        "total_leads": 4, "new_leads": 1, "contacted_leads": 1, "won_leads": 1, "lost_leads": 1,
        "assigned_leads": 3, "unassigned_leads": 1, "conversion_rate": 25.0, "win_rate": 50.0,
        "avg_cycle_time": 2.0, "avg_assignment_time": 2.3,
    }  # fmt: skip
    # Days are the entity's: L1 arrived on the 6th there (the 5th in UTC).
    window = await get(client, manager, "leads", date_from="2026-01-06", date_to="2026-01-12")
    assert (window["total_leads"], window["won_leads"], window["conversion_rate"]) == (2, 1, 50.0)
    assert (await get(client, manager, "leads", platform="facebook"))["total_leads"] == 2
    assert (await get(client, manager, "leads", status="won"))["total_leads"] == 1
    mine = await get(client, manager, "leads", assigned_user_id=known["rep1"].id)
    assert (mine["total_leads"], mine["avg_assignment_time"]) == (2, 3.0)


async def test_dashboard_is_every_lead(client: httpx.AsyncClient, known: dict[str, Any]) -> None:
    data = await get(client, known["manager"], "dashboard")
    assert (data["total_leads"], data["conversion_rate"], data["avg_cycle_time"]) == (4, 25.0, 2.0)
    assert data["recent_activities"] == [] and data["upcoming_follow_ups"] == []


async def test_platforms_and_users(client: httpx.AsyncClient, known: dict[str, Any]) -> None:
    manager, rep1, rep2 = known["manager"], known["rep1"], known["rep2"]
    platforms = {p["platform"]: p for p in await get(client, manager, "platforms")}
    assert set(platforms) == {"website", "facebook"}
    web, fb = platforms["website"], platforms["facebook"]
    assert (web["total_leads"], web["won_leads"], web["lost_leads"], web["conversion_rate"]) == (
        2,
        1,
        0,
        50.0,
    )
    assert (web["avg_cycle_time"], web["avg_assignment_time"]) == (3.0, 2.0)
    assert (fb["total_leads"], fb["won_leads"], fb["lost_leads"], fb["conversion_rate"]) == (2, 0, 1, 0.0)
    assert (fb["avg_cycle_time"], fb["avg_assignment_time"]) == (1.0, 2.5)
    users = {u["user_id"]: u for u in await get(client, manager, "users")}
    one, two = users[rep1.id], users[rep2.id]
    assert (one["leads_assigned"], one["leads_won"], one["leads_lost"], one["conversion_rate"]) == (
        2,
        1,
        1,
        50.0,
    )
    assert (one["avg_cycle_time"], one["avg_assignment_time"]) == (2.0, 3.0)
    assert (two["leads_assigned"], two["leads_won"], two["avg_cycle_time"], two["avg_assignment_time"]) == (
        1, 0, None, 1.0,
    )  # fmt: skip
    assert users[manager.id]["leads_assigned"] == 0  # active users are all listed


async def test_funnel_counts_what_each_lead_reached(client: httpx.AsyncClient, known: dict[str, Any]) -> None:
    data = await get(client, known["manager"], "funnel")
    assert [(s["stage"], s["count"], s["percentage"]) for s in data["stages"]] == [
        ("new", 4, 100.0), ("qualified", 3, 75.0), ("contacted", 2, 50.0), ("meeting_scheduled", 1, 25.0),
        ("proposal_sent", 1, 25.0), ("negotiation", 1, 25.0), ("won", 1, 25.0),
    ]  # fmt: skip
    assert data["lost"] == {"count": 1, "percentage": 25.0}


async def test_time_based_periods(client: httpx.AsyncClient, known: dict[str, Any]) -> None:
    manager = known["manager"]

    def rows(found: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [
            (r["period"], r["new_leads"], r["won_leads"], r["lost_leads"], r["conversion_rate"])
            for r in found
        ]

    assert rows(await get(client, manager, "time-based")) == [
        ("2026-01-05", 1, 0, 1, 0.0), ("2026-01-06", 1, 1, 0, 100.0), ("2026-01-12", 1, 0, 0, 0.0),
        ("2026-02-01", 1, 0, 0, 0.0),
    ]  # fmt: skip
    assert rows(await get(client, manager, "time-based", group_by="week")) == [
        ("2026-W02", 2, 1, 1, 50.0), ("2026-W03", 1, 0, 0, 0.0), ("2026-W05", 1, 0, 0, 0.0),
    ]  # fmt: skip
    assert rows(await get(client, manager, "time-based", group_by="month", date_to="2026-01-31")) == [
        ("2026-01", 3, 1, 1, 33.3),
    ]


async def test_activities_by_type_priority_and_status(
    client: httpx.AsyncClient, known: dict[str, Any]
) -> None:
    manager = known["manager"]
    lead_id = await make_lead(known["entity"])
    due = (datetime.now(UTC) + timedelta(days=2)).isoformat().replace("+00:00", "Z")
    for body in (
        {"activityType": "call", "description": "Rang", "status": "completed"},
        {"activityType": "email", "description": "Wrote", "priority": "high", "status": "completed"},
        {
            "activityType": "follow_up",
            "description": "Ring back",
            "nextFollowUpDate": due,
            "priority": "urgent",
        },
    ):
        logged = await client.post(
            "/api/activities/log", json={"leadId": lead_id, **body}, headers=manager.auth
        )
        assert logged.status_code == 201, logged.text
    data = await get(client, manager, "activities")
    assert data["total_activities"] == 3
    assert (data["by_type"]["call"], data["by_type"]["email"], data["by_type"]["follow_up"]) == (1, 1, 1)
    assert (data["by_priority"]["medium"], data["by_priority"]["high"], data["by_priority"]["urgent"]) == (
        1,
        1,
        1,
    )
    assert sum(data["by_status"].values()) == 3 and data["by_status"]["pending"] == 1
    assert (await get(client, manager, "activities", date_to="2026-01-31"))["total_activities"] == 0
    users = {u["user_id"]: u for u in await get(client, manager, "users")}
    assert (users[manager.id]["total_activities"], users[manager.id]["pending_follow_ups"]) == (3, 1)
    dashboard = await get(client, manager, "dashboard")  # the activities moved the sequence
    assert len(dashboard["recent_activities"]) == 3 and len(dashboard["upcoming_follow_ups"]) == 1


async def test_pending_follow_ups_are_the_follow_up_lists(client: httpx.AsyncClient) -> None:
    """A user's pending follow-ups are their pending activities with a follow-up date, overdue
    ones too, as the follow-up lists count them: not a pending note without a date, nor a
    completed call with one. A date set, a completion or a cancellation moves the figure."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await logged_in(client, entity, RoleId.SALES_REP)
    lead_id = await make_lead(entity, assigned_user_id=rep.id)

    def hence(hours: float) -> str:
        return (datetime.now(UTC) + timedelta(hours=hours)).isoformat().replace("+00:00", "Z")

    async def log(kind: str, **more: str) -> int:
        body = {"leadId": lead_id, "activityType": kind, "description": kind, **more}
        logged = await client.post("/api/activities/log", json=body, headers=rep.auth)
        assert logged.status_code == 201, logged.text
        return int(logged.json()["data"]["activity_id"])

    async def put(action: str, body: dict[str, Any]) -> None:
        response = await client.put(f"/api/activities/{action}", json=body, headers=manager.auth)
        assert response.status_code == 200, response.text

    async def figures() -> tuple[int, int]:
        """The rep's pending_follow_ups, and how many the follow-up lists hold for them."""
        users = {u["user_id"]: u for u in await get(client, manager, "users")}
        listed = 0
        for which in ("pending", "overdue"):
            found = await client.get(
                f"/api/activities/follow-ups/{which}", params={"user_id": rep.id}, headers=manager.auth
            )
            listed += found.json()["total"]
        return users[rep.id]["pending_follow_ups"], listed

    due = await log("follow_up", nextFollowUpDate=hence(24))
    note = await log("note")  # pending, with no date: nothing to follow up
    other_note = await log("note")
    await log("call", status="completed", nextFollowUpDate=hence(24))
    late = await log("follow_up", nextFollowUpDate=hence(-3))  # overdue, still to do
    assert await figures() == (2, 2)
    await put("update-follow-up", {"activityId": note, "nextFollowUpDate": hence(48)})
    assert await figures() == (3, 3)
    await put(
        "bulk-update-follow-ups", {"activityIds": [note, other_note, due], "nextFollowUpDate": hence(72)}
    )
    assert await figures() == (4, 4)  # only the note that had no date is a new follow-up
    await put("update-status", {"activityId": due, "status": "completed"})
    await put("update-status", {"activityId": late, "status": "cancelled"})
    assert await figures() == (2, 2)
    await put("update-status", {"activityId": late, "status": "pending"})  # reopened
    assert await figures() == (3, 3)
    await assert_counts_match()


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("leads", {"date_from": "2026-13-01"}, "date_from"),
        ("leads", {"platform": "myspace"}, "platform"),
        ("leads", {"status": "asleep"}, "status"),
        ("leads", {"assigned_user_id": "x"}, "assigned_user_id"),
        ("time-based", {"group_by": "year"}, "group_by"),
        ("activities", {"date_to": "yesterday"}, "date_to"),
        ("leads", {"date_from": "1969-12-31"}, "must be a day from 1970-01-01 to 9999-12-30"),
    ],
)
async def test_a_bad_filter_is_a_400_naming_it(
    client: httpx.AsyncClient, known: dict[str, Any], name: str, params: dict[str, str], field: str
) -> None:
    response = await client.get(f"/api/analytics/{name}", params=params, headers=known["manager"].auth)
    assert response.status_code == 400, response.text
    assert response.json()["success"] is False and field in response.text


async def test_dates_in_the_wrong_order_are_refused(client: httpx.AsyncClient, known: dict[str, Any]) -> None:
    response = await client.get(
        "/api/analytics/funnel", params={"date_from": "2026-02-01", "date_to": "2026-01-01"},
        headers=known["manager"].auth,
    )  # fmt: skip
    assert response.status_code == 400 and "date_from" in response.text


async def test_a_new_time_zone_moves_the_days(client: httpx.AsyncClient, known: dict[str, Any]) -> None:
    entity = known["entity"]
    update = EntityUpdate.model_validate({"settings": {"timezone": "UTC"}})
    await entities.update(Actor.system(entity.id), entity.id, update)  # no queue: rebuilt at once
    rows = await get(client, known["manager"], "time-based")
    assert [(r["period"], r["new_leads"], r["won_leads"], r["lost_leads"]) for r in rows] == [
        ("2026-01-05", 2, 1, 1),  # L1 arrived at 20:00 UTC: the 5th, in UTC
        ("2026-01-12", 1, 0, 0),
        ("2026-02-01", 1, 0, 0),
    ]


async def test_user_figures_follow_changes_of_the_users(
    client: httpx.AsyncClient, known: dict[str, Any]
) -> None:
    """The user figures name each user as they are now: a user deactivated, renamed, given
    another role or added (changes that announce no lead event) showed as before in the same
    answer, kept while the entity's event sequence stood still."""
    manager, rep1, rep2 = known["manager"], known["rep1"], known["rep2"]
    before = {u["user_id"]: u for u in await get(client, manager, "users")}
    assert before[rep2.id]["is_active"] and before[rep1.id]["role"] == "sales_rep"
    assert (await client.delete(f"/api/auth/users/{rep2.id}", headers=manager.auth)).status_code == 200
    renamed = await client.put(
        f"/api/auth/users/{rep1.id}", json={"first_name": "Renamed"}, headers=manager.auth
    )
    assert renamed.status_code == 200
    added = await make_user(known["entity"], RoleId.SUPPORT)
    after = {u["user_id"]: u for u in await get(client, manager, "users")}
    assert after[rep2.id]["is_active"] is False and after[rep2.id]["leads_assigned"] == 1
    assert after[rep1.id]["first_name"] == "Renamed"
    assert after[added.id]["leads_assigned"] == 0  # active users are all listed
    promoted = await client.patch(
        f"/api/auth/users/{rep1.id}/role", json={"role": "support"}, headers=manager.auth
    )
    assert promoted.status_code == 200
    assert {u["user_id"]: u for u in await get(client, manager, "users")}[rep1.id]["role"] == "support"


def hence(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


async def log_follow_up(client: httpx.AsyncClient, who: TestUser, lead_id: int, due: str) -> None:
    body = {
        "leadId": lead_id,
        "activityType": "follow_up",
        "description": "Ring back",
        "nextFollowUpDate": due,
    }
    logged = await client.post("/api/activities/log", json=body, headers=who.auth)
    assert logged.status_code == 201, logged.text


async def quiet(entity: Entity) -> None:
    """Wait until the entity's sequence stands still: the analytics pushes that follow a change
    (at most one a second) move it too, and would have the next answer computed afresh."""
    actor, still = Actor.system(entity.id), 0.0
    seq = await live.sequence(actor)
    while still < 1.2:
        await asyncio.sleep(0.1)
        still = still + 0.1 if (now := await live.sequence(actor)) == seq else 0.0
        seq = now


async def test_the_dashboard_names_each_user_as_they_are_now(
    client: httpx.AsyncClient, known: dict[str, Any]
) -> None:
    """The dashboard's latest activities and upcoming follow-ups name who logged them: a user
    renamed (a change that announces no event) showed under the old name, the dashboard kept
    while the entity's event sequence stood still."""
    manager, rep1 = known["manager"], await login(client, known["rep1"])
    lead_id = await make_lead(known["entity"], assigned_user_id=rep1.id)
    await log_follow_up(client, rep1, lead_id, hence(2 * 86400))
    await quiet(known["entity"])
    before = await get(client, manager, "dashboard")
    assert [a["first_name"] for a in before["recent_activities"]] == ["Test"]
    renamed = await client.put(
        f"/api/auth/users/{rep1.id}", json={"first_name": "Renamed"}, headers=manager.auth
    )
    assert renamed.status_code == 200, renamed.text
    after = await get(client, manager, "dashboard")
    assert [a["first_name"] for a in after["recent_activities"]] == ["Renamed"]
    assert [f["first_name"] for f in after["upcoming_follow_ups"]] == ["Renamed"]


async def until(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - asyncio.get_running_loop().time()))


async def test_the_dashboard_counts_down_to_each_follow_up(
    client: httpx.AsyncClient, known: dict[str, Any]
) -> None:
    """hours_until_follow_up is the time left now: a kept dashboard showed the hours left when
    it was computed, frozen while the entity's event sequence stood still (an hour and five
    seconds away, it still said 1 after the five seconds had passed)."""
    manager, clock = known["manager"], asyncio.get_running_loop().time
    lead_id = await make_lead(known["entity"])
    logged_at = clock()
    await log_follow_up(client, manager, lead_id, hence(3600 + 5))
    await quiet(known["entity"])
    assert clock() < logged_at + 4.4, "too slow to see the hour pass"
    [before] = (await get(client, manager, "dashboard"))["upcoming_follow_ups"]
    assert before["hours_until_follow_up"] == 1
    await until(logged_at + 6)
    [after] = (await get(client, manager, "dashboard"))["upcoming_follow_ups"]
    assert after["hours_until_follow_up"] == 0 and after["id"] == before["id"]


async def test_a_follow_up_that_fell_due_leaves_the_upcoming_ones(
    client: httpx.AsyncClient, known: dict[str, Any]
) -> None:
    """A follow-up whose time came is overdue, not upcoming: a kept dashboard went on listing it
    (until the overdue monitor's announcement moved the entity's sequence)."""
    manager, clock = known["manager"], asyncio.get_running_loop().time
    lead_id = await make_lead(known["entity"])
    logged_at = clock()
    await log_follow_up(client, manager, lead_id, hence(5))
    await log_follow_up(client, manager, lead_id, hence(2 * 86400))
    await quiet(known["entity"])
    assert clock() < logged_at + 4.4, "too slow to see the follow-up fall due"
    before = (await get(client, manager, "dashboard"))["upcoming_follow_ups"]
    assert [f["hours_until_follow_up"] for f in before] == [0, 47]
    await until(logged_at + 6)
    after = (await get(client, manager, "dashboard"))["upcoming_follow_ups"]
    assert [f["id"] for f in after] == [before[1]["id"]]
