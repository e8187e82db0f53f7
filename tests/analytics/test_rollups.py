"""Rollups kept change by change equal rollups counted from the tables, after a random run of
what the floor does (arrivals, assignments of every kind, moves, activities logged and
updated); the figures then stay what they were, and `analytics:updated` follows the changes."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from models import LeadStage, RoleId, StatusName
from salesmagnet.activities import records as activity_records
from salesmagnet.analytics import live
from salesmagnet.db import utcnow
from salesmagnet.leads import rollups
from salesmagnet.stages import breaches
from salesmagnet.stages import rollups as stage_rollups
from salesmagnet.stages.service import TRANSITIONS
from salesmagnet.tenancy import Actor, fetch
from tests.conftest import Served
from tests.factories import TestUser, assert_counts_match, logged_in, make_entity, make_user
from tests.realtime.clients import Listener

LEADS = (
    "SELECT day, status, platform_key, owner_id, reached, leads, assigned, assign_seconds, cycle_seconds, "
    "created_seconds FROM lead_rollups WHERE entity_id = :entity"
)
ACTIVITIES = (
    "SELECT day, user_id, activity_type, status, priority, count FROM activity_rollups "
    "WHERE entity_id = :entity"
)


STAGES = (
    "SELECT day, status_id, user_id, entries, exits, centihours, centihours_min, centihours_max, over_24, "
    "over_48, over_72, sla_closed, sla_kept, late_seconds, breached_open, first_moves FROM stage_rollups "
    "WHERE entity_id = :entity"
)
MOVES = (
    "SELECT day, from_status_id, to_status_id, moves, centihours FROM stage_moves WHERE entity_id = :entity"
)


async def kept(actor: Actor) -> list[set[tuple[Any, ...]]]:
    """The entity's non-empty rollup rows."""

    async def rows(sql: str, counted: str) -> set[tuple[Any, ...]]:
        return {tuple(str(v) for v in r.values()) for r in await fetch(actor, sql) if int(r[counted])}

    return [
        await rows(LEADS, "leads"),
        await rows(ACTIVITIES, "count"),
        await rows(STAGES, "entries"),
        await rows(MOVES, "moves"),
    ]


async def call(client: httpx.AsyncClient, who: TestUser, method: str, path: str, body: Any = None) -> Any:
    response = await client.request(method, path, json=body, headers=who.auth)
    assert response.status_code < 300, (path, body, response.text)
    return response.json().get("data")


async def test_rollups_kept_by_the_flows_equal_a_recount(client: httpx.AsyncClient) -> None:
    rng = random.Random(20261130)
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    reps = [await make_user(entity) for _ in range(3)]
    actor = Actor.system(entity.id)
    leads: list[int] = []
    activities: list[int] = []
    for _ in range(60):
        action = rng.choice(
            ["new", "new", "assign", "reassign", "unassign", "move", "move", "log", "done", "date", "bulk"]
        )
        if action == "new" or not leads:
            body = {"email": f"p{rng.randrange(10**9)}@example.com", "first_name": "P"}
            leads.append(int((await call(client, manager, "POST", "/api/leads", body))["id"]))
            continue
        lead_id = rng.choice(leads)
        lead = await call(client, manager, "GET", f"/api/leads/{lead_id}")
        owner, status = lead["assigned_user_id"], lead["status"]
        rep = rng.choice(reps).id
        if action == "assign" and owner is None:
            await call(
                client, manager, "POST", "/api/assignments/assign", {"leadId": lead_id, "assignedUserId": rep}
            )
        elif action == "reassign" and owner not in (None, rep):
            body = {"leadId": lead_id, "newAssignedUserId": rep, "reason": "rota"}
            await call(client, manager, "POST", "/api/assignments/reassign", body)
        elif action == "unassign" and owner is not None:
            await call(client, manager, "POST", "/api/assignments/unassign", {"leadId": lead_id})
        elif action == "move" and (allowed := sorted(TRANSITIONS[StatusName(status)])):
            target = rng.choice(allowed).value
            await call(
                client, manager, "POST", "/api/stages/change-status", {"leadId": lead_id, "status": target}
            )
        elif action == "log":
            due = (datetime.now(UTC) + timedelta(days=1)).isoformat().replace("+00:00", "Z")
            kind, priority = rng.choice(["call", "email", "follow_up"]), rng.choice(["low", "high"])
            body = {"leadId": lead_id, "activityType": kind, "description": "x", "priority": priority}
            if rng.random() < 0.5:  # the others have no follow-up date until one is set ("date")
                body["nextFollowUpDate"] = due
            activities.append(
                int((await call(client, manager, "POST", "/api/activities/log", body))["activity_id"])
            )
        elif action == "done" and activities:
            body = {"activityId": rng.choice(activities), "status": rng.choice(["completed", "cancelled"])}
            await call(client, manager, "PUT", "/api/activities/update-status", body)
        elif action == "date" and activities:
            due = (datetime.now(UTC) + timedelta(days=2)).isoformat().replace("+00:00", "Z")
            body = {"activityId": rng.choice(activities), "nextFollowUpDate": due}
            await call(client, manager, "PUT", "/api/activities/update-follow-up", body)
        elif action == "bulk":
            await call(client, manager, "POST", "/api/assignments/bulk-assign", {"max_leads_per_user": 2})
    # Two open stages run out of time and are announced; one of those leads then moves on.
    late = [i for i in leads if (await call(client, manager, "GET", f"/api/leads/{i}"))["status"] == "new"][
        :2
    ]
    await LeadStage.filter(lead_id__in=late, exited_at=None).update(sla_due_at=utcnow() - timedelta(hours=1))
    await breaches.announce(actor, utcnow(), 100)  # (or the embedded monitor did, first)
    assert await LeadStage.filter(lead_id__in=late, exited_at=None, sla_breached_at=None).count() == 0
    if late:
        await call(
            client, manager, "POST", "/api/stages/change-status", {"leadId": late[0], "status": "qualified"}
        )
    await assert_counts_match()
    before = await kept(actor)
    figures = {
        name: await call(client, manager, "GET", f"/api/analytics/{name}")
        for name in ("leads", "funnel", "users", "time-based", "activities")
    }
    assert figures["leads"]["total_leads"] == len(leads)
    await rollups.rebuild(actor)
    await activity_records.rebuild(actor)
    await stage_rollups.rebuild(actor)
    for table, was, now in zip(("lead", "activity", "stage", "move"), before, await kept(actor), strict=True):
        assert now == was, (table, "kept, not recounted:", was - now, "recounted, not kept:", now - was)
    for name, found in figures.items():  # computed again (the sequence moved): the same figures
        await call(client, manager, "POST", "/api/leads", {"email": f"q{rng.randrange(10**9)}@example.com"})
        again = await call(client, manager, "GET", f"/api/analytics/{name}")
        if name == "leads":
            assert again["total_leads"] == found["total_leads"] + 1
        elif name == "activities":
            assert again == found


async def test_analytics_updated_follows_the_floor_at_most_once_a_second(
    client: httpx.AsyncClient, served: Served
) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    screen = await Listener().connect(served.url, manager.token)
    try:
        await asyncio.sleep(1.1)  # the connection's own presence push is out of the way
        screen.received.clear()
        started = asyncio.get_running_loop().time()
        for n in range(12):  # a burst over ~1.5 s
            await call(client, manager, "POST", "/api/leads", {"email": f"burst{n}@example.com"})
            await asyncio.sleep(0.12)
        last = asyncio.get_running_loop().time()
        await screen.wait_for(
            lambda: any(u["dashboard"]["total_leads"] == 12 for u in screen.named("analytics:updated")),
            limit=3,
        )
        arrived = asyncio.get_running_loop().time()
        assert arrived - last <= 2.0, "the last change reached the screen more than 2 s later"
        await screen.quiet(1.2)
        pushes = screen.named("analytics:updated")
        assert 1 <= len(pushes) <= int(arrived - started) + 1, (
            f"{len(pushes)} pushes in {arrived - started:.1f} s"
        )
        shown = await call(client, manager, "GET", "/api/analytics/dashboard")
        assert pushes[-1]["dashboard"]["total_leads"] == shown["total_leads"] == 12
        assert "seq" in pushes[-1]  # numbered like every entity event
    finally:
        await screen.close()


async def test_answers_are_computed_again_when_redis_lost_them(
    client: httpx.AsyncClient, served: Served
) -> None:
    """Kept answers are a cache: with them gone (a Redis flush, a new process) the same figures
    come from the rollups, and are kept again."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    for n in range(3):
        await call(client, manager, "POST", "/api/leads", {"email": f"flush{n}@example.com"})
    first = await call(client, manager, "GET", "/api/analytics/funnel")
    redis = served.app.ctx.deps.redis
    pattern = f"salesmagnet:analytics:{entity.id}:*"
    if redis is not None:
        assert [key async for key in redis.scan_iter(pattern)], "answers are shared through Redis"
        await redis.delete(*[key async for key in redis.scan_iter(pattern)])
    live._kept.clear()  # and this process's own copies
    assert await call(client, manager, "GET", "/api/analytics/funnel") == first
    assert first["total_leads"] == 3
    if redis is not None:
        assert [key async for key in redis.scan_iter(pattern)], "kept again"


async def test_a_busy_floor_s_answers_trail_it_by_the_lag_at_most(client: httpx.AsyncClient) -> None:
    """With ANALYTICS_LAG, an answer kept less than the lag ago is given at once though the
    floor changed, and a newer one is computed behind it; past the lag, the answer is exact."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    await call(client, manager, "POST", "/api/leads", {"email": "lag0@example.com"})
    live.allow_lag(0.5)
    try:
        assert (await call(client, manager, "GET", "/api/analytics/leads"))["total_leads"] == 1
        await call(client, manager, "POST", "/api/leads", {"email": "lag1@example.com"})
        trailing = await call(client, manager, "GET", "/api/analytics/leads")
        assert trailing["total_leads"] == 1  # kept, younger than the lag
        await asyncio.sleep(0.2)  # the newer one, computed behind it, is kept now
        assert (await call(client, manager, "GET", "/api/analytics/leads"))["total_leads"] == 2
        await call(client, manager, "POST", "/api/leads", {"email": "lag2@example.com"})
        await asyncio.sleep(0.6)  # past the lag: exact again
        assert (await call(client, manager, "GET", "/api/analytics/leads"))["total_leads"] == 3
    finally:
        live.allow_lag(0)


def test_a_zone_s_offsets_reach_past_the_year_a_process_started_in() -> None:
    """A worker started in 2027 and still running in 2028 files 2028's leads on their local
    days: the offsets it builds then hold 2028's changes (the table was built once, a year ahead
    of the start, and then kept for good)."""
    spans = dict(rollups._offsets("America/New_York", 2028))
    assert spans[datetime(2028, 3, 12, 7, 0)] == -4 * 60  # clocks forward at 02:00 EST
    assert spans[datetime(2029, 11, 4, 6, 0)] == -5 * 60  # the year after: still in the table
