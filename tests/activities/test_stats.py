"""/api/activities statistics, user performance, priority distribution and summary, on a small
set of activities whose numbers are worked out by hand below."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from models import RoleId
from tests.activities.test_routes import backdate, get, hence, log, put
from tests.factories import TestUser, logged_in, make_entity, make_lead, make_user

# (who, type, status, priority, follow-up due in hours from now, or None)
SEEN = [
    ("manager", "call", "completed", "high", None),  # 0: logged 2024-06-10 15:00Z
    ("manager", "call", "pending", "urgent", -3.5),  # 1: overdue
    ("manager", "call", "cancelled", "low", None),  # 2
    ("manager", "email", "completed", "medium", 48.5),  # 3: scheduled, completed: not overdue
    ("manager", "email", "completed", "medium", None),  # 4: logged 2024-05-31 23:00Z
    ("manager", "email", "pending", "high", 5.5),  # 5
    ("manager", "meeting", "pending", "medium", 100.5),  # 6
    ("rep", "meeting", "completed", "urgent", None),  # 7: logged 2024-06-10 15:00Z
    ("rep", "note", "pending", "low", -1.5),  # 8: overdue
]
IN_JUNE = datetime(2024, 6, 10, 15, tzinfo=UTC)
IN_MAY = datetime(2024, 5, 31, 23, tzinfo=UTC)


@dataclass
class Seen:
    manager: TestUser
    rep: TestUser
    ids: list[int]


async def seen(client: httpx.AsyncClient) -> Seen:
    """The nine activities of SEEN in a new entity, and another entity's (never counted)."""
    entity, elsewhere = await make_entity(), await make_entity()
    who = {"manager": await logged_in(client, entity, RoleId.MANAGER), "rep": await logged_in(client, entity)}
    lead_id = await make_lead(entity)
    ids = []
    for user, kind, status, priority, due in SEEN:
        more = {"nextFollowUpDate": hence(due)} if due is not None else {}
        activity = await log(client, who[user], lead_id, kind, status=status, priority=priority, **more)
        ids.append(activity["id"])
    await backdate(ids[0], IN_JUNE)
    await backdate(ids[7], IN_JUNE)
    await backdate(ids[4], IN_MAY)
    outsider = await logged_in(client, elsewhere, RoleId.MANAGER)
    foreign_lead = await make_lead(elsewhere)
    for kind in ("call", "note"):
        await log(
            client,
            outsider,
            foreign_lead,
            kind,
            status="completed",
            priority="urgent",
            nextFollowUpDate=hence(-9),
        )
    return Seen(who["manager"], who["rep"], ids)


def per(rows: list[dict[str, Any]], key: str) -> list[tuple[Any, ...]]:
    names = ("total_activities", "completed_activities", "pending_activities", "cancelled_activities")
    return [(row[key], *(row[n] for n in names), row["completion_rate"]) for row in rows]


async def test_statistics_per_type_all_time_and_in_a_window(client: httpx.AsyncClient) -> None:
    data = await seen(client)
    manager = data.manager
    body = await get(client, manager, "statistics")
    assert per(body["data"], "activity_type") == [
        ("call", 3, 1, 1, 1, 33.33),  # most first; a tie by name
        ("email", 3, 2, 1, 0, 66.67),
        ("meeting", 2, 1, 1, 0, 50.0),
        ("note", 1, 0, 1, 0, 0.0),
    ]
    june = await get(client, manager, "statistics", date_from="2024-06-01", date_to="2024-06-10")
    assert per(june["data"], "activity_type") == [("call", 1, 1, 0, 0, 100.0), ("meeting", 1, 1, 0, 0, 100.0)]
    until = await get(client, manager, "statistics", date_to="2024-06-10")  # the whole of 10 June
    assert per(until["data"], "activity_type") == [
        ("call", 1, 1, 0, 0, 100.0),
        ("email", 1, 1, 0, 0, 100.0),
        ("meeting", 1, 1, 0, 0, 100.0),
    ]
    since = await get(client, manager, "statistics", date_from="2024-06-01")  # all but the May email
    assert per(since["data"], "activity_type") == [
        ("call", 3, 1, 1, 1, 33.33),
        ("email", 2, 1, 1, 0, 50.0),
        ("meeting", 2, 1, 1, 0, 50.0),
        ("note", 1, 0, 1, 0, 0.0),
    ]
    # date_from inclusive, date_to exclusive, offsets honoured (16:00+01:00 is 15:00Z)
    none = await get(
        client, manager, "statistics", date_from="2024-06-10T14:00:00Z", date_to="2024-06-10T16:00:00+01:00"
    )
    assert none["data"] == []
    hour = await get(
        client, manager, "statistics", date_from="2024-06-10T15:00:00Z", date_to="2024-06-10T17:00:00+01:00"
    )
    assert per(hour["data"], "activity_type") == [("call", 1, 1, 0, 0, 100.0), ("meeting", 1, 1, 0, 0, 100.0)]
    # counted rows (a window) and counters (none) agree
    assert (await get(client, manager, "statistics", date_from="2000-01-01"))["data"] == body["data"]
    for bad in (
        {"date_from": "junk"},
        {"date_to": "2024-13-01"},
        {"date_to": "2024-01-01", "date_from": "2024-12-31"},
        {"date_to": "2024-06-09", "date_from": "2024-06-10"},  # the 9th ends where the 10th starts: nothing
        {"date_to": "2024-06-10T15:00:00Z", "date_from": "2024-06-10T16:00:00+01:00"},  # the same instant
    ):
        refused = await client.get("/api/activities/statistics", params=bad, headers=manager.auth)
        assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == next(iter(bad)), (
            refused.text
        )
    done = await put(client, manager, "update-status", {"activityId": data.ids[1], "status": "completed"})
    assert done.status_code == 200
    after = await get(client, manager, "statistics")
    assert per(after["data"], "activity_type")[0] == ("call", 3, 2, 0, 1, 66.67)


async def test_priority_distribution_every_priority_urgent_first(client: httpx.AsyncClient) -> None:
    data = await seen(client)
    body = await get(client, data.manager, "priority-distribution")
    assert per(body["data"], "priority") == [
        ("urgent", 2, 1, 1, 0, 50.0),
        ("high", 2, 1, 1, 0, 50.0),
        ("medium", 3, 2, 1, 0, 66.67),
        ("low", 2, 0, 1, 1, 0.0),
    ]
    june = await get(
        client, data.manager, "priority-distribution", date_from="2024-06-01", date_to="2024-06-10"
    )
    assert per(june["data"], "priority") == [
        ("urgent", 1, 1, 0, 0, 100.0),
        ("high", 1, 1, 0, 0, 100.0),
        ("medium", 0, 0, 0, 0, 0.0),
        ("low", 0, 0, 0, 0, 0.0),
    ]
    nobody = await logged_in(client, await make_entity())
    empty = await get(client, nobody, "priority-distribution")
    assert per(empty["data"], "priority") == [
        (p, 0, 0, 0, 0, 0.0) for p in ("urgent", "high", "medium", "low")
    ]


async def test_user_performance_counts_follow_ups_and_the_overdue(client: httpx.AsyncClient) -> None:
    data = await seen(client)
    manager, rep = data.manager, data.rep
    fields = (
        "id",
        "email",
        "total_activities",
        "completed_activities",
        "pending_activities",
        "cancelled_activities",
        "follow_ups_scheduled",
        "overdue_follow_ups",
        "completion_rate",
    )

    def rows(body: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [tuple(row[f] for f in fields) for row in body["data"]]

    everyone = await get(client, manager, "user-performance")
    assert rows(everyone) == [
        (manager.id, manager.email, 7, 3, 3, 1, 4, 1, 42.86),
        (rep.id, rep.email, 2, 1, 1, 0, 1, 1, 50.0),
    ]
    assert (everyone["data"][0]["first_name"], everyone["data"][0]["last_name"]) == ("Test", "manager")
    second = await get(client, manager, "user-performance", limit=1, offset=1)
    assert rows(second) == rows(everyone)[1:]  # a page of the same order
    past = await get(client, manager, "user-performance", offset=5)
    assert (everyone["total"], second["total"], past["total"], past["data"]) == (2, 2, 2, [])  # every user
    only_rep = await get(client, manager, "user-performance", user_id=rep.id)
    assert rows(only_rep) == [(rep.id, rep.email, 2, 1, 1, 0, 1, 1, 50.0)] and only_rep["total"] == 1
    june = await get(client, manager, "user-performance", date_from="2024-06-01", date_to="2024-06-10")
    assert rows(june) == [
        (manager.id, manager.email, 1, 1, 0, 0, 0, 0, 100.0),
        (rep.id, rep.email, 1, 1, 0, 0, 0, 0, 100.0),
    ]
    idle = await make_user(await make_entity())
    assert (await get(client, manager, "user-performance", user_id=idle.id))["data"] == []
    moved = await put(
        client, rep, "update-follow-up", {"activityId": data.ids[8], "nextFollowUpDate": hence(3)}
    )
    assert moved.status_code == 200
    assert rows(await get(client, manager, "user-performance", user_id=rep.id)) == [
        (rep.id, rep.email, 2, 1, 1, 0, 1, 0, 50.0)  # no longer overdue
    ]
    refused = await client.get("/api/activities/user-performance?user_id=abc", headers=manager.auth)
    assert refused.status_code == 400 and "user_id" in refused.text


async def test_summary_per_type_counts_the_workflows_activities_too(client: httpx.AsyncClient) -> None:
    data = await seen(client)

    def counts(body: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [
            (r["activity_type"], r["total_count"], r["pending_count"], r["completed_count"])
            for r in body["data"]
        ]

    assert counts(await get(client, data.manager, "summary")) == [
        ("call", 3, 1, 1),
        ("email", 3, 1, 2),
        ("meeting", 2, 1, 1),
        ("note", 1, 1, 0),
    ]
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await make_user(entity)
    lead_id = await make_lead(entity)
    assert (await get(client, manager, "summary"))["data"] == []
    moved = await client.post(
        "/api/stages/change-status", json={"leadId": lead_id, "statusId": "qualified"}, headers=manager.auth
    )
    given = await client.post(
        "/api/assignments/assign", json={"leadId": lead_id, "assignedUserId": rep.id}, headers=manager.auth
    )
    assert (moved.status_code, given.status_code) == (200, 200)
    await log(client, manager, lead_id, "call", status="cancelled")
    assert counts(await get(client, manager, "summary")) == [
        ("assignment", 1, 0, 1),
        ("call", 1, 0, 0),
        ("status_change", 1, 0, 1),
    ]
    stats = await get(client, manager, "statistics")
    assert per(stats["data"], "activity_type") == [
        ("assignment", 1, 1, 0, 0, 100.0),
        ("call", 1, 0, 0, 1, 0.0),
        ("status_change", 1, 1, 0, 0, 100.0),
    ]
