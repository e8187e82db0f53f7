"""A bare day in a filter is a day of the entity's time zone, in the lists as in the figures.

Each lead arrives, enters its first stage, gets an activity logged and has a follow-up due at the
same local time: 23:30 on 6, 7 and 8 March 2026, and 00:30 on the 9th. New York's 8 March is 23
hours long (02:00 EST became 03:00 EDT): its 23:30 is 03:30Z on the 9th, and 00:30 on the 9th
(04:30Z) is not of the 8th, although it is less than 24 hours after the 8th's midnight (05:00Z).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from models import Entity, Lead, LeadActivity, LeadStage, RoleId
from salesmagnet.analytics import service as analytics
from salesmagnet.tenancy import Actor
from tests.factories import TestUser, logged_in, make_entity, make_lead

LOCAL_TIMES = ("2026-03-06T23:30", "2026-03-07T23:30", "2026-03-08T23:30", "2026-03-09T00:30")


async def seed(zone: str, client: httpx.AsyncClient) -> tuple[TestUser, dict[str, int]]:
    """A manager of an entity in `zone`, and its leads by local day of arrival."""
    entity = await make_entity()
    await Entity.filter(id=entity.id).update(settings={"timezone": zone})
    manager = await logged_in(client, entity, RoleId.MANAGER)
    by_day = {}
    for local in LOCAL_TIMES:
        at = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
        lead_id = await make_lead(entity)
        await Lead.filter(id=lead_id).update(created_at=at)
        await LeadStage.filter(lead_id=lead_id).update(entered_at=at)
        logged = await client.post(
            "/api/activities/log",
            json={"leadId": lead_id, "activityType": "call", "description": "rang"},
            headers=manager.auth,
        )
        assert logged.status_code == 201, logged.text
        await LeadActivity.filter(lead_id=lead_id).update(created_at=at, next_follow_up_at=at)
        by_day[local[:10]] = lead_id
    await analytics.rebuild(Actor.system(entity.id))
    return manager, by_day


async def data(client: httpx.AsyncClient, who: TestUser, path: str, **params: Any) -> Any:
    response = await client.get(path, params=params, headers=who.auth)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def lead_ids(client: httpx.AsyncClient, who: TestUser, **params: Any) -> list[int]:
    return [lead["id"] for lead in await data(client, who, "/api/leads", **params)]


def day(value: str) -> dict[str, str]:
    return {"date_from": value, "date_to": value}


@pytest.fixture(params=["America/New_York", "Asia/Kolkata"])
async def team(request: pytest.FixtureRequest, client: httpx.AsyncClient) -> tuple[TestUser, dict[str, int]]:
    return await seed(request.param, client)


async def test_a_day_lists_the_leads_the_figures_count(
    client: httpx.AsyncClient, team: tuple[TestUser, dict[str, int]]
) -> None:
    manager, by_day = team
    for local_day, lead_id in by_day.items():
        listed = await data(client, manager, "/api/leads", **day(local_day))
        assert [lead["id"] for lead in listed] == [lead_id], local_day
        periods = await data(client, manager, "/api/analytics/time-based", **day(local_day))
        assert [(p["period"], p["new_leads"]) for p in periods] == [(local_day, 1)]
    both = await data(client, manager, "/api/leads", date_from="2026-03-07", date_to="2026-03-08")
    assert sorted(lead["id"] for lead in both) == [by_day["2026-03-07"], by_day["2026-03-08"]]


async def test_a_day_lists_the_stages_the_figures_count(
    client: httpx.AsyncClient, team: tuple[TestUser, dict[str, int]]
) -> None:
    manager, by_day = team
    for local_day, lead_id in by_day.items():
        listed = await data(client, manager, "/api/stages/entity", **day(local_day))
        assert [stage["lead_id"] for stage in listed] == [lead_id], local_day
        metrics = await data(client, manager, "/api/stages/performance-metrics", **day(local_day))
        assert [(m["status_name"], m["total_entries"]) for m in metrics] == [("new", 1)]


async def test_a_day_lists_the_activities_the_figures_count(
    client: httpx.AsyncClient, team: tuple[TestUser, dict[str, int]]
) -> None:
    manager, by_day = team
    for local_day, lead_id in by_day.items():
        listed = await data(client, manager, "/api/activities/entity", **day(local_day))
        assert [activity["lead_id"] for activity in listed] == [lead_id], local_day
        tallied = await data(client, manager, "/api/activities/statistics", **day(local_day))
        figures = await data(client, manager, "/api/analytics/activities", **day(local_day))
        assert [t["total_activities"] for t in tallied] == [figures["total_activities"]] == [1]
        due = await data(client, manager, "/api/activities/follow-ups/overdue", **day(local_day))
        assert [follow_up["lead_id"] for follow_up in due] == [lead_id], local_day


async def test_a_time_of_day_keeps_its_meaning(client: httpx.AsyncClient) -> None:
    """With Z or an offset a date-time is that instant; without one, UTC, whatever the zone."""
    manager, by_day = await seed("America/New_York", client)
    late = {"date_from": "2026-03-09T03:00:00Z", "date_to": "2026-03-09T04:00:00Z"}
    assert await lead_ids(client, manager, **late) == [by_day["2026-03-08"]]
    unzoned = {"date_from": "2026-03-09T03:00:00", "date_to": "2026-03-08T23:00:00-05:00"}
    assert await lead_ids(client, manager, **unzoned) == [by_day["2026-03-08"]]
    mixed = {"date_from": "2026-03-09", "date_to": "2026-03-09T06:00:00Z"}  # from New York's midnight
    assert await lead_ids(client, manager, **mixed) == [by_day["2026-03-09"]]


async def test_a_window_ending_before_its_local_start_is_refused(client: httpx.AsyncClient) -> None:
    manager, _ = await seed("Asia/Kolkata", client)
    # Kolkata's 7 March begins at 18:30Z on the 6th: a window from it to 18:00Z holds nothing.
    empty = {"date_from": "2026-03-07", "date_to": "2026-03-06T18:00:00Z"}
    response = await client.get("/api/leads", params=empty, headers=manager.auth)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["date_to"]
