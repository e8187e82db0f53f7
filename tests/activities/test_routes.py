"""/api/activities: logging, the lists and the timeline, follow-ups, the three updates, and
other entities' ids (statistics: test_stats.py)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from models import Entity, EventOutbox, EventSequence, LeadActivity, RoleId
from salesmagnet.activities import overdue
from salesmagnet.db import iso, utcnow
from salesmagnet.tenancy import Actor
from tests.conftest import Served
from tests.factories import TestUser, logged_in, make_entity, make_lead, make_user
from tests.realtime.clients import Listener

TYPES = "call, email, meeting, note, status_change, assignment, follow_up"


def hence(hours: float) -> str:
    """A moment `hours` from now (negative: ago), ISO UTC with a Z."""
    return iso(utcnow() + timedelta(hours=hours))  # type: ignore[return-value]


async def log(
    client: httpx.AsyncClient, who: TestUser, lead_id: int, kind: str = "call", **more: Any
) -> dict[str, Any]:
    body = {"leadId": lead_id, "activityType": kind, "description": more.pop("description", kind), **more}
    response = await client.post("/api/activities/log", json=body, headers=who.auth)
    assert response.status_code == 201, response.text
    return response.json()["data"]["activity"]


async def get(client: httpx.AsyncClient, who: TestUser, path: str, **params: Any) -> dict[str, Any]:
    response = await client.get(f"/api/activities/{path}", params=params, headers=who.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["success"] is True
    return body


async def put(client: httpx.AsyncClient, who: TestUser, action: str, body: Any) -> httpx.Response:
    return await client.put(f"/api/activities/{action}", json=body, headers=who.auth)


def ids(rows: list[dict[str, Any]]) -> list[int]:
    return [row["id"] for row in rows]


async def backdate(activity_id: int, when: datetime) -> None:
    """Seeding only: when an activity was logged (no flow of the product changes it)."""
    await LeadActivity.filter(id=activity_id).update(created_at=when)


# --- log ---------------------------------------------------------------------------------------


async def test_log_answers_the_activity_it_created_and_tells_the_entity(
    served: Served, client: httpx.AsyncClient
) -> None:
    entity = await make_entity()
    rep = await logged_in(client, entity)
    lead_id = await make_lead(entity, first_name="Jane", last_name="Smith", email="jane@example.com")
    outsider = await logged_in(client, await make_entity(), RoleId.MANAGER)
    floor = await Listener().connect(served.url, rep.token)
    elsewhere = await Listener().connect(served.url, outsider.token)
    try:
        response = await client.post(
            "/api/activities/log",
            json={
                "leadId": lead_id,
                "activityType": "call",
                "description": "  Initial call made to prospect ",
                "nextFollowUpDate": "2031-03-04T12:30:00+05:30",
                "priority": "high",
                "notes": "asked for pricing",
            },
            headers=rep.auth,
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["success"] is True and body["message"] == "Activity logged successfully"
        activity = body["data"]["activity"]
        assert body["data"]["activity_id"] == activity["id"]
        stored = await LeadActivity.get(id=activity["id"])
        assert (stored.lead_id, stored.user_id, stored.entity_id) == (lead_id, rep.id, entity.id)  # type: ignore[attr-defined]
        assert {k: activity[k] for k in ("lead_id", "user_id", "activity_type", "description", "notes")} == {
            "lead_id": lead_id,
            "user_id": rep.id,
            "activity_type": "call",
            "description": "Initial call made to prospect",
            "notes": "asked for pricing",
        }
        # 12:30 at +05:30 is 07:00 UTC; status defaults to pending
        assert activity["next_follow_up_date"] == "2031-03-04T07:00:00Z"
        assert (activity["priority"], activity["status"]) == ("high", "pending")
        assert (activity["lead_email"], activity["lead_first_name"], activity["lead_last_name"]) == (
            "jane@example.com",
            "Jane",
            "Smith",
        )
        created = datetime.fromisoformat(activity["created_at"])
        assert activity["created_at"].endswith("Z") and abs(utcnow() - created) < timedelta(minutes=1)
        await floor.wait_for(lambda: bool(floor.named("activity:logged")))
        [event] = floor.named("activity:logged")
        assert event["activity"] == activity  # its id and the lead's names too
        # what a reconnecting screen is replayed: the outbox row holds the same activity
        [row] = await EventOutbox.filter(entity_id=entity.id, name="activity:logged")
        assert row.payload["activity"] == activity and row.seq == event["seq"]
        await elsewhere.quiet()
        assert elsewhere.named("activity:logged") == []  # another entity hears nothing
    finally:
        await floor.close()
        await elsewhere.close()
    # the list reads back what the answer said
    [listed] = (await get(client, rep, f"lead/{lead_id}"))["data"]
    assert listed["next_follow_up_date"] == "2031-03-04T07:00:00Z" and listed["id"] == activity["id"]


async def test_log_defaults_and_follow_up_dates_in_every_iso_form(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    rep = await logged_in(client, entity)
    lead_id = await make_lead(entity)
    plain = await log(client, rep, lead_id, "note")
    assert (plain["priority"], plain["status"], plain["next_follow_up_date"]) == ("medium", "pending", None)
    for given, shown in [
        ("2031-03-04T07:00:00", "2031-03-04T07:00:00Z"),  # no zone: UTC
        ("2031-03-04T07:00:00Z", "2031-03-04T07:00:00Z"),
        ("2031-03-04T02:00:00-05:00", "2031-03-04T07:00:00Z"),
        ("2031-03-04", "2031-03-04T00:00:00Z"),
    ]:
        activity = await log(client, rep, lead_id, "follow_up", nextFollowUpDate=given, status="completed")
        assert activity["next_follow_up_date"] == shown, given
        assert activity["status"] == "completed"
    snake = await client.post(
        "/api/activities/log",
        json={"lead_id": lead_id, "activity_type": "email", "description": "d", "priority": "urgent"},
        headers=rep.auth,
    )
    assert snake.status_code == 201 and snake.json()["data"]["activity"]["priority"] == "urgent"
    listed = await get(client, rep, f"lead/{lead_id}")
    assert listed["total"] == 6
    assert [a["next_follow_up_date"] for a in listed["data"]][1:5] == [
        "2031-03-04T00:00:00Z",
        "2031-03-04T07:00:00Z",
        "2031-03-04T07:00:00Z",
        "2031-03-04T07:00:00Z",
    ]


async def test_times_with_more_than_six_fractional_digits(client: httpx.AsyncClient) -> None:
    """.NET writes seven digits (DateTime.ToString("o")), Go up to nine (RFC3339Nano): ISO 8601
    takes any number; past the microsecond they are dropped."""
    entity = await make_entity()
    rep = await logged_in(client, entity)
    lead_id = await make_lead(entity)
    for given in ("2031-03-04T07:00:00.1234567Z", "2031-03-04T02:00:00.123456789-05:00"):
        activity = await log(client, rep, lead_id, nextFollowUpDate=given)
        assert activity["next_follow_up_date"] == "2031-03-04T07:00:00.123456Z", given
    listed = await get(client, rep, f"lead/{lead_id}", date_to="2099-01-01T00:00:00.0000000Z")
    assert listed["total"] == 2
    pending = await get(client, rep, "follow-ups/pending", date_from="2031-03-04T07:00:00.123456100Z")
    assert pending["total"] == 2


async def in_zone(client: httpx.AsyncClient, zone: str) -> tuple[Entity, TestUser]:
    """An entity whose settings put it in `zone` (set by its admin), and a manager of it."""
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    changed = await client.put(
        f"/api/entities/{entity.id}", json={"settings": {"timezone": zone}}, headers=admin.auth
    )
    assert changed.status_code == 200, changed.text
    return entity, await logged_in(client, entity, RoleId.MANAGER)


async def test_a_bare_follow_up_day_begins_at_midnight_of_the_entity_s_zone(
    client: httpx.AsyncClient,
) -> None:
    """A rep in Kolkata (UTC+5:30) who says "2026-12-05" means his 5 December, which began at
    18:30Z on the 4th, not 05:30 of his morning; a date-time keeps meaning the instant it names."""
    entity, manager = await in_zone(client, "Asia/Kolkata")
    lead_id = await make_lead(entity)
    day = await log(client, manager, lead_id, "follow_up", nextFollowUpDate="2026-12-05")
    assert day["next_follow_up_date"] == "2026-12-04T18:30:00Z"
    assert iso((await LeadActivity.get(id=day["id"])).next_follow_up_at) == "2026-12-04T18:30:00Z"
    for given, shown in [
        ("2026-12-05T09:00:00", "2026-12-05T09:00:00Z"),  # no zone: UTC, as before
        ("2026-12-05T09:00:00Z", "2026-12-05T09:00:00Z"),
        ("2026-12-05T09:00:00+05:30", "2026-12-05T03:30:00Z"),
    ]:
        timed = await log(client, manager, lead_id, "follow_up", nextFollowUpDate=given)
        assert timed["next_follow_up_date"] == shown, given
    listed = {
        a["id"]: a["next_follow_up_date"] for a in (await get(client, manager, f"lead/{lead_id}"))["data"]
    }
    assert listed[day["id"]] == "2026-12-04T18:30:00Z"  # what GET reads back
    # the day begins where Kolkata's begins: out of range only there (0001-01-01 is year 0 in UTC)
    refused = await client.post(
        "/api/activities/log",
        json={
            "leadId": lead_id,
            "activityType": "call",
            "description": "d",
            "nextFollowUpDate": "0001-01-01",
        },
        headers=manager.auth,
    )
    assert refused.status_code == 400 and refused.json()["success"] is False, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["nextFollowUpDate"]


async def test_today_as_a_bare_day_is_overdue_since_the_local_midnight(client: httpx.AsyncClient) -> None:
    """Today's follow-up in Kolkata is due since Kolkata's midnight (whatever UTC's date is), and
    the overdue list and the monitor say so; tomorrow's is still pending."""
    kolkata = ZoneInfo("Asia/Kolkata")
    entity, manager = await in_zone(client, "Asia/Kolkata")
    lead_id = await make_lead(entity)
    today = utcnow().astimezone(kolkata).date()
    midnight = datetime.combine(today, time.min, kolkata).astimezone(UTC)
    due_today = await log(client, manager, lead_id, "follow_up", nextFollowUpDate=today.isoformat())
    tomorrow = await log(
        client, manager, lead_id, "follow_up", nextFollowUpDate=(today + timedelta(days=1)).isoformat()
    )
    assert due_today["next_follow_up_date"] == iso(midnight)
    overdue_now = await get(client, manager, "follow-ups/overdue")
    [row] = overdue_now["data"]
    assert (row["id"], row["next_follow_up_date"]) == (due_today["id"], iso(midnight))
    assert row["hours_overdue"] in {int((utcnow() - midnight) / timedelta(hours=1)) + d for d in (-1, 0)}
    assert ids((await get(client, manager, "follow-ups/pending"))["data"]) == [tomorrow["id"]]
    await overdue.announce(Actor.system(entity.id), utcnow(), 500)  # the monitor's scan (or the server's)
    [alert] = await EventOutbox.filter(entity_id=entity.id, name="followup:overdue")
    assert alert.payload["due_at"] == iso(midnight) and alert.payload["activity"]["id"] == due_today["id"]


async def test_moving_a_follow_up_to_a_bare_day_takes_the_entity_s_day(client: httpx.AsyncClient) -> None:
    """Los Angeles: 5 December begins at 08:00Z (PST), 1 July at 07:00Z (PDT), for one follow-up
    moved or many."""
    entity, manager = await in_zone(client, "America/Los_Angeles")
    lead_id = await make_lead(entity)
    first = await log(client, manager, lead_id, "follow_up", nextFollowUpDate=hence(5))
    second = await log(client, manager, lead_id, "follow_up", nextFollowUpDate=hence(6))
    moved = await put(
        client, manager, "update-follow-up", {"activityId": first["id"], "nextFollowUpDate": "2026-12-05"}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["data"]["next_follow_up_date"] == "2026-12-05T08:00:00Z"
    assert iso((await LeadActivity.get(id=first["id"])).next_follow_up_at) == "2026-12-05T08:00:00Z"
    bulk = await put(
        client,
        manager,
        "bulk-update-follow-ups",
        {"activityIds": [first["id"], second["id"]], "nextFollowUpDate": "2027-07-01"},
    )
    assert bulk.status_code == 200, bulk.text
    assert bulk.json()["data"]["next_follow_up_date"] == "2027-07-01T07:00:00Z"
    for activity in (first, second):
        assert iso((await LeadActivity.get(id=activity["id"])).next_follow_up_at) == "2027-07-01T07:00:00Z"
    pending = (await get(client, manager, "follow-ups/pending"))["data"]
    assert [a["next_follow_up_date"] for a in pending] == ["2027-07-01T07:00:00Z"] * 2


async def test_log_refuses_bad_bodies_naming_the_field(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    rep = await logged_in(client, entity)
    lead_id = await make_lead(entity)
    good = {"leadId": lead_id, "activityType": "call", "description": "called"}
    cases: list[tuple[Any, str]] = [
        ({**good, "activityType": "visit"}, "activityType"),
        ({**good, "activityType": "CALL"}, "activityType"),
        ({**good, "priority": "critical"}, "priority"),
        ({**good, "status": "done"}, "status"),
        ({**good, "nextFollowUpDate": "next tuesday"}, "nextFollowUpDate"),
        ({**good, "nextFollowUpDate": "2031-02-30T10:00:00Z"}, "nextFollowUpDate"),
        # a number (a Unix time?) or Python's looser forms are not read as some date
        ({**good, "nextFollowUpDate": 1718032990}, "nextFollowUpDate"),
        ({**good, "nextFollowUpDate": "1718032990"}, "nextFollowUpDate"),
        ({**good, "nextFollowUpDate": "20310304"}, "nextFollowUpDate"),
        ({**good, "nextFollowUpDate": "2031-W10"}, "nextFollowUpDate"),
        ({**good, "nextFollowUpDate": ""}, "nextFollowUpDate"),  # blank: not "no follow-up" guessed
        ({k: v for k, v in good.items() if k != "leadId"}, "leadId"),
        ({**good, "leadId": True}, "leadId"),  # not lead 1
        ({k: v for k, v in good.items() if k != "activityType"}, "activityType"),
        ({k: v for k, v in good.items() if k != "description"}, "description"),
        ({**good, "description": "   "}, "description"),
        ({**good, "leadId": "abc"}, "leadId"),
        ([good], "body"),
    ]
    for body, field in cases:
        response = await client.post("/api/activities/log", json=body, headers=rep.auth)
        assert response.status_code == 400, (body, response.text)
        answer = response.json()
        assert answer["success"] is False
        assert field in [e["field"] for e in answer["errors"]], (body, answer)
    bad_type = await client.post(
        "/api/activities/log", json={**good, "activityType": "visit"}, headers=rep.auth
    )
    assert TYPES in bad_type.json()["errors"][0]["message"]  # the allowed values, listed
    bad_priority = await client.post("/api/activities/log", json={**good, "priority": "x"}, headers=rep.auth)
    assert "low, medium, high, urgent" in bad_priority.json()["errors"][0]["message"]
    assert await LeadActivity.filter(lead_id=lead_id).count() == 0
    unauthenticated = await client.post("/api/activities/log", json=good)
    assert unauthenticated.status_code == 401


async def test_log_on_another_entity_s_lead_is_404_and_writes_nothing(
    served: Served, client: httpx.AsyncClient
) -> None:
    entity, elsewhere = await make_entity(), await make_entity()
    rep = await logged_in(client, entity)
    foreign_lead = await make_lead(elsewhere)
    owner = await logged_in(client, elsewhere, RoleId.MANAGER)
    theirs = await Listener().connect(served.url, owner.token)
    await log(client, rep, await make_lead(entity), "note")  # the entity's events have begun
    try:
        for who_lead in (foreign_lead, 999_999_999):
            response = await client.post(
                "/api/activities/log",
                json={"leadId": who_lead, "activityType": "call", "description": "sneaky"},
                headers=rep.auth,
            )
            assert response.status_code == 404 and response.json()["success"] is False, response.text
        await theirs.quiet()
        assert theirs.named("activity:logged") == []
    finally:
        await theirs.close()
    assert await LeadActivity.filter(lead_id=foreign_lead).count() == 0
    assert await LeadActivity.filter(entity_id=entity.id).count() == 1
    # no number taken, no event stored: the entity's events stay numbered without a gap
    last = (await EventSequence.get(entity_id=entity.id)).last_seq
    stored = await EventOutbox.filter(entity_id=entity.id).order_by("seq").values_list("seq", "name")
    assert [seq for seq, _ in stored] == list(range(1, last + 1))
    assert [name for _, name in stored].count("activity:logged") == 1
    assert [(r["activity_type"], r["total_count"]) for r in (await get(client, rep, "summary"))["data"]] == [
        ("note", 1)
    ]


# --- lists -------------------------------------------------------------------------------------


async def test_a_lead_s_activities_by_each_filter(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await logged_in(client, entity)
    lead_id, other_lead = await make_lead(entity), await make_lead(entity)
    call = await log(client, manager, lead_id, "call", priority="high", status="completed")
    email = await log(client, rep, lead_id, "email", priority="urgent")
    meeting = await log(client, manager, lead_id, "meeting", priority="low", status="cancelled")
    note = await log(client, rep, lead_id, "note", status="completed")
    await log(client, manager, other_lead, "call", priority="high", status="completed")  # another lead
    await backdate(call["id"], datetime(2024, 6, 1, 9, tzinfo=UTC))
    await backdate(email["id"], datetime(2024, 6, 10, 23, 30, tzinfo=UTC))
    await backdate(meeting["id"], datetime(2024, 6, 11, 0, 0, tzinfo=UTC))

    async def listed(**params: Any) -> list[int]:
        body = await get(client, manager, f"lead/{lead_id}", **params)
        assert body["total"] == len(body["data"])
        return ids(body["data"])

    assert await listed() == [note["id"], meeting["id"], email["id"], call["id"]]  # newest first
    assert await listed(activity_type="call") == [call["id"]]
    assert await listed(user_id=rep.id) == [note["id"], email["id"]]
    assert await listed(priority="high") == [call["id"]]
    assert await listed(priority="medium") == [note["id"]]
    assert await listed(status="completed") == [note["id"], call["id"]]
    assert await listed(status="pending") == [email["id"]]
    assert await listed(date_from="2024-06-10") == [note["id"], meeting["id"], email["id"]]
    assert await listed(date_from="2024-06-10T23:30:00Z") == [note["id"], meeting["id"], email["id"]]
    assert await listed(date_from="2024-06-11T02:00:00+02:00") == [note["id"], meeting["id"]]  # 00:00 UTC
    assert await listed(date_to="2024-06-10") == [email["id"], call["id"]]  # the whole day
    assert await listed(date_from="2024-06-02", date_to="2024-06-30") == [meeting["id"], email["id"]]
    assert await listed(user_id=manager.id, status="pending") == []
    assert await listed(activity_type="call", priority="high", user_id=manager.id) == [call["id"]]
    first = (await get(client, manager, f"lead/{lead_id}"))["data"][0]
    assert (first["user_email"], first["lead_email"]) == (rep.email, first["lead_email"])
    filters = (await get(client, manager, f"lead/{lead_id}", priority="high", limit=5))["filters"]
    assert (filters["priority"], filters["limit"]) == ("high", 5)
    for bad in ({"activity_type": "visit"}, {"priority": "x"}, {"status": "done"}, {"date_from": "june"}):
        refused = await client.get(f"/api/activities/lead/{lead_id}", params=bad, headers=manager.auth)
        assert refused.status_code == 400 and next(iter(bad)) in refused.text, (bad, refused.text)
    assert (await client.get("/api/activities/lead/abc", headers=manager.auth)).status_code == 400


async def test_pages_count_every_match_not_the_page(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await logged_in(client, entity)
    lead_id, other_lead = await make_lead(entity), await make_lead(entity)
    logged = [await log(client, manager, lead_id, "call") for _ in range(7)]
    newest_first = ids(logged)[::-1]
    await log(client, rep, other_lead, "email")
    page = await get(client, manager, f"lead/{lead_id}", limit=3)
    assert (ids(page["data"]), page["total"]) == (newest_first[:3], 7)
    page = await get(client, manager, f"lead/{lead_id}", limit=3, offset=3)
    assert (ids(page["data"]), page["total"]) == (newest_first[3:6], 7)
    page = await get(client, manager, f"lead/{lead_id}", limit=3, offset=6)
    assert (ids(page["data"]), page["total"]) == (newest_first[6:], 7)
    page = await get(client, manager, f"lead/{lead_id}", limit=3, offset=9)
    assert (page["data"], page["total"]) == ([], 7)
    page = await get(client, manager, f"lead/{lead_id}", limit=3, date_from="2020-01-01")
    assert (ids(page["data"]), page["total"]) == (newest_first[:3], 7)
    # the entity's list counts the entity's, filtered or not
    page = await get(client, manager, "entity", limit=3)
    assert page["total"] == 8 and len(page["data"]) == 3
    page = await get(client, manager, "entity", limit=3, activity_type="call")
    assert (ids(page["data"]), page["total"]) == (newest_first[:3], 7)
    page = await get(client, manager, "entity", limit=2, user_id=manager.id, status="pending", offset=2)
    assert (ids(page["data"]), page["total"]) == (newest_first[2:4], 7)
    page = await get(client, manager, "entity", limit=2, lead_id=lead_id)
    assert (ids(page["data"]), page["total"]) == (newest_first[:2], 7)
    page = await get(client, manager, "entity", limit=2, date_from="2020-01-01")
    assert page["total"] == 8
    clamped = await get(client, manager, f"lead/{lead_id}", limit=600)
    assert (clamped["filters"]["limit"], clamped["filters"]["limit_clamped_from"]) == (500, 600)
    assert clamped["total"] == 7
    for bad in ({"limit": 0}, {"offset": -1}, {"limit": "many"}):
        refused = await client.get(f"/api/activities/lead/{lead_id}", params=bad, headers=manager.auth)
        assert refused.status_code == 400, (bad, refused.text)


async def test_the_entity_s_the_caller_s_and_the_recent_activities(client: httpx.AsyncClient) -> None:
    entity, elsewhere = await make_entity(), await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await logged_in(client, entity)
    outsider = await logged_in(client, elsewhere)
    first, second = await make_lead(entity, status="qualified"), await make_lead(entity)
    a = await log(client, manager, first, "call")
    b = await log(client, rep, second, "email", priority="urgent")
    c = await log(client, rep, first, "note", status="completed")
    foreign = await log(client, outsider, await make_lead(elsewhere), "call")
    everything = await get(client, manager, "entity")
    assert (ids(everything["data"]), everything["total"]) == ([c["id"], b["id"], a["id"]], 3)
    row = everything["data"][-1]
    assert (row["lead_status"], row["platform_key"]) == ("qualified", "manual")
    on_first = await get(client, manager, "entity", lead_id=first)
    assert (ids(on_first["data"]), on_first["total"]) == ([c["id"], a["id"]], 2)
    assert on_first["filters"]["lead_id"] == first
    by_rep = await get(client, manager, "entity", user_id=rep.id, priority="urgent")
    assert (ids(by_rep["data"]), by_rep["total"]) == ([b["id"]], 1)
    mine = await get(client, rep, "user")
    assert (ids(mine["data"]), mine["total"]) == ([c["id"], b["id"]], 2)
    # The caller's own: asking for another user's is refused, not answered with the caller's.
    theirs = await client.get("/api/activities/user", params={"user_id": rep.id}, headers=manager.auth)
    assert theirs.status_code == 400 and "user_id" in theirs.json()["message"], theirs.text
    mine = await get(client, rep, "user", status="completed")
    assert (ids(mine["data"]), mine["total"]) == ([c["id"]], 1)
    assert ids((await get(client, manager, "user"))["data"]) == [a["id"]]
    recent = await get(client, manager, "recent")
    assert (ids(recent["data"]), recent["total"]) == ([c["id"], b["id"], a["id"]], 3)
    recent = await get(client, manager, "recent", limit=2)
    assert (ids(recent["data"]), recent["total"]) == ([c["id"], b["id"]], 3)  # total: every one
    assert recent["data"][0]["first_name"] == "Test" and recent["data"][0]["user_email"] == rep.email
    assert ids((await get(client, outsider, "recent"))["data"]) == [foreign["id"]]
    assert (await client.get("/api/activities/recent?limit=0", headers=manager.auth)).status_code == 400


async def test_recent_activities_page_on_and_count_every_activity(client: httpx.AsyncClient) -> None:
    """The dashboard's "latest activities" list pages like the others: `offset` goes on from
    where a page ended and `total` counts the entity's activities, not the page's rows."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    lead_id = await make_lead(entity)
    logged = [(await log(client, manager, lead_id, "note"))["id"] for _ in range(5)]
    newest_first = logged[::-1]
    first = await get(client, manager, "recent", limit=2)
    assert (ids(first["data"]), first["total"]) == (newest_first[:2], 5)
    second = await get(client, manager, "recent", limit=2, offset=2)
    assert (ids(second["data"]), second["total"]) == (newest_first[2:4], 5)
    past_the_end = await get(client, manager, "recent", offset=10)
    assert (past_the_end["data"], past_the_end["total"]) == ([], 5)


async def test_other_entities_leads_and_users_are_not_listed(client: httpx.AsyncClient) -> None:
    entity, elsewhere = await make_entity(), await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    outsider = await logged_in(client, elsewhere, RoleId.MANAGER)
    lead_id, foreign_lead = await make_lead(entity), await make_lead(elsewhere)
    await log(client, manager, lead_id, "call", nextFollowUpDate=hence(5))
    await log(client, outsider, foreign_lead, "call", nextFollowUpDate=hence(5))
    await log(client, outsider, foreign_lead, "call", nextFollowUpDate=hence(-5))
    for path in (f"lead/{foreign_lead}", f"lead/{foreign_lead}/timeline", "lead/999999999"):
        response = await client.get(f"/api/activities/{path}", headers=manager.auth)
        assert response.status_code == 404 and response.json()["success"] is False, (path, response.text)
    for path, params in [
        ("entity", {"lead_id": foreign_lead}),
        ("entity", {"user_id": outsider.id}),
        (f"lead/{lead_id}", {"user_id": outsider.id}),
        ("follow-ups/pending", {"user_id": outsider.id}),
        ("follow-ups/overdue", {"user_id": outsider.id}),
    ]:
        body = await get(client, manager, path, **params)
        assert (body["data"], body["total"]) == ([], 0), (path, params, body)
    assert (await get(client, manager, "user-performance", user_id=outsider.id))["data"] == []
    assert (await get(client, manager, "follow-ups/overdue"))["total"] == 0
    assert (await get(client, manager, "follow-ups/pending"))["total"] == 1


# --- timeline ----------------------------------------------------------------------------------


async def test_timeline_shows_each_stage_change_and_assignment_once(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await make_user(entity)
    lead_id = await make_lead(entity)
    call = await log(client, manager, lead_id, "call", description="first call")
    moved = await client.post(
        "/api/stages/change-status", json={"leadId": lead_id, "statusId": "qualified"}, headers=manager.auth
    )
    assert moved.status_code == 200, moved.text
    given = await client.post(
        "/api/assignments/assign", json={"leadId": lead_id, "assignedUserId": rep.id}, headers=manager.auth
    )
    assert given.status_code == 200, given.text
    note = await log(client, manager, lead_id, "note", description="sent deck")
    # the workflows logged their own activities (the lead's list shows them)
    kinds = [a["activity_type"] for a in (await get(client, manager, f"lead/{lead_id}"))["data"]]
    assert kinds == ["note", "assignment", "status_change", "call"]
    body = await get(client, manager, f"lead/{lead_id}/timeline")
    entries = body["data"]
    assert [e["kind"] for e in entries] == ["activity", "assignment", "stage", "activity", "stage"]
    assert body["total"] == 5
    assert entries[0]["id"] == note["id"] and entries[3]["id"] == call["id"]
    assert entries[3]["description"] == "first call"
    assert (entries[1]["assigned_user_id"], entries[1]["user_id"], entries[1]["action"]) == (
        rep.id,
        manager.id,
        "assign",
    )
    assert entries[1]["id"] == given.json()["data"]["assignment"]["id"]
    assert (entries[2]["status_name"], entries[2]["id"]) == ("qualified", moved.json()["data"]["stage_id"])
    assert entries[4]["status_name"] == "new"
    assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)
    assert all(e["at"].endswith("Z") for e in entries)
    assert not any(e.get("activity_type") in ("status_change", "assignment") for e in entries)
    page = await get(client, manager, f"lead/{lead_id}/timeline", limit=2, offset=1)
    assert ([e["kind"] for e in page["data"]], page["total"]) == (["assignment", "stage"], 5)
    dealt = await make_lead(entity)  # a bulk assignment is shown once too
    bulk = await client.post(
        "/api/assignments/bulk-assign", json={"max_leads_per_user": 5}, headers=manager.auth
    )
    assert bulk.status_code == 200 and bulk.json()["data"]["total_assigned"] == 1, bulk.text
    page = await get(client, manager, f"lead/{dealt}/timeline")
    assert ([e["kind"] for e in page["data"]], page["total"]) == (["assignment", "stage"], 2)
    assert (page["data"][0]["action"], page["data"][0]["assigned_user_id"]) == ("bulk", rep.id)


# --- follow-ups --------------------------------------------------------------------------------


async def test_pending_follow_ups_most_urgent_then_soonest(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await logged_in(client, entity)
    lead_id = await make_lead(entity, first_name="Jane", last_name="Smith", email="jane@example.com")
    other_lead = await make_lead(entity, first_name="Bob")

    async def due(who: TestUser, hours: float, priority: str, lead: int = lead_id, **more: Any) -> int:
        activity = await log(
            client, who, lead, "follow_up", nextFollowUpDate=hence(hours), priority=priority, **more
        )
        return int(activity["id"])

    low_soon = await due(manager, 1.5, "low")
    urgent_late = await due(manager, 50.5, "urgent")
    medium_late = await due(rep, 72.5, "medium", other_lead)
    high = await due(manager, 30.5, "high")
    urgent_soon = await due(rep, 2.5, "urgent")
    medium_soon = await due(manager, 20.5, "medium")
    await due(manager, 3.5, "urgent", status="completed")  # not pending
    await due(manager, 4.5, "high", status="cancelled")  # not pending
    await due(manager, -2.5, "urgent")  # overdue, not pending
    await log(client, manager, lead_id, "call")  # no follow-up
    body = await get(client, manager, "follow-ups/pending")
    rows = body["data"]
    assert ids(rows) == [urgent_soon, urgent_late, high, medium_soon, medium_late, low_soon]
    assert body["total"] == 6
    assert [r["hours_until_follow_up"] for r in rows] == [2, 50, 30, 20, 72, 1]
    assert [r["priority"] for r in rows] == ["urgent", "urgent", "high", "medium", "medium", "low"]
    assert (rows[0]["lead_email"], rows[0]["lead_first_name"], rows[0]["lead_last_name"]) == (
        "jane@example.com",
        "Jane",
        "Smith",
    )
    assert rows[4]["lead_first_name"] == "Bob" and rows[0]["status"] == "pending"
    assert all(r["next_follow_up_date"].endswith("Z") for r in rows)
    urgent = await get(client, manager, "follow-ups/pending", priority="urgent")
    assert (ids(urgent["data"]), urgent["total"]) == ([urgent_soon, urgent_late], 2)
    assert urgent["filters"]["priority"] == "urgent"
    theirs = await get(client, manager, "follow-ups/pending", user_id=rep.id)
    assert (ids(theirs["data"]), theirs["total"]) == ([urgent_soon, medium_late], 2)
    page = await get(client, manager, "follow-ups/pending", limit=2)  # the most urgent, not the soonest
    assert (ids(page["data"]), page["total"]) == ([urgent_soon, urgent_late], 6)
    page = await get(client, manager, "follow-ups/pending", limit=2, offset=2)
    assert (ids(page["data"]), page["total"]) == ([high, medium_soon], 6)
    window = await get(
        client, manager, "follow-ups/pending", date_from=hence(2), date_to=hence(40), priority="medium"
    )
    assert (ids(window["data"]), window["total"]) == ([medium_soon], 1)
    refused = await client.get("/api/activities/follow-ups/pending?priority=asap", headers=manager.auth)
    assert refused.status_code == 400 and "priority" in refused.text


async def test_overdue_follow_ups_longest_overdue_first(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await logged_in(client, entity)
    lead_id = await make_lead(entity, first_name="Jane")

    async def due(who: TestUser, hours: float, priority: str = "medium", **more: Any) -> int:
        activity = await log(
            client, who, lead_id, "follow_up", nextFollowUpDate=hence(hours), priority=priority, **more
        )
        return int(activity["id"])

    recent = await due(manager, -1.5, "urgent")
    oldest = await due(rep, -26.5, "low")
    middle = await due(manager, -5.5, "high")
    await due(manager, -3.5, status="completed")
    await due(manager, -4.5, status="cancelled")
    await due(manager, 6.5)  # not due yet
    body = await get(client, manager, "follow-ups/overdue")
    assert (ids(body["data"]), body["total"]) == ([oldest, middle, recent], 3)
    assert [r["hours_overdue"] for r in body["data"]] == [26, 5, 1]
    assert body["data"][0]["lead_first_name"] == "Jane" and body["data"][0]["user_id"] == rep.id
    theirs = await get(client, manager, "follow-ups/overdue", user_id=rep.id)
    assert (ids(theirs["data"]), theirs["total"]) == ([oldest], 1)
    high = await get(client, manager, "follow-ups/overdue", priority="high")
    assert (ids(high["data"]), high["total"]) == ([middle], 1)
    page = await get(client, manager, "follow-ups/overdue", limit=1, offset=1)
    assert (ids(page["data"]), page["total"]) == ([middle], 3)
    done = await put(client, manager, "update-status", {"activityId": oldest, "status": "completed"})
    assert done.status_code == 200, done.text
    body = await get(client, manager, "follow-ups/overdue")
    assert (ids(body["data"]), body["total"]) == ([middle, recent], 2)  # completed: no longer overdue


async def test_overdue_follow_ups_page_like_the_other_lists(client: httpx.AsyncClient) -> None:
    """50 a page unless `limit` says otherwise, and a `limit` above 500 clamped (and said so), as
    pending follow-ups and every other activity list."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    lead_id = await make_lead(entity)
    for n in range(51):
        await log(client, manager, lead_id, "follow_up", nextFollowUpDate=hence(-1 - n / 60))
    overdue = await get(client, manager, "follow-ups/overdue")
    assert (len(overdue["data"]), overdue["total"], overdue["filters"]["limit"]) == (50, 51, 50)
    clamped = await get(client, manager, "follow-ups/overdue", limit=600)
    assert len(clamped["data"]) == 51
    assert (clamped["filters"]["limit"], clamped["filters"]["limit_clamped_from"]) == (500, 600)


async def test_a_user_s_follow_ups_include_those_on_the_leads_they_own(client: httpx.AsyncClient) -> None:
    """`for_user_id`: what a rep has to do, the follow-ups they logged and those someone else
    planned on a lead they own now (the rep's view lists these)."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep, other = await logged_in(client, entity), await logged_in(client, entity)
    owned = await make_lead(entity, assigned_user_id=rep.id)
    elsewhere = await make_lead(entity, assigned_user_id=other.id)

    async def due(who: TestUser, lead_id: int, hours: float) -> int:
        return int((await log(client, who, lead_id, "call", nextFollowUpDate=hence(hours)))["id"])

    by_rep, on_owned = await due(rep, elsewhere, 3), await due(manager, owned, 2)
    late_on_owned, late_by_rep = await due(manager, owned, -2), await due(rep, elsewhere, -1)
    await due(manager, elsewhere, 4), await due(other, elsewhere, -3)  # neither theirs
    pending = await get(client, manager, "follow-ups/pending", for_user_id=rep.id)
    assert (ids(pending["data"]), pending["total"]) == ([on_owned, by_rep], 2)
    overdue = await get(client, rep, "follow-ups/overdue", for_user_id=rep.id)
    assert (ids(overdue["data"]), overdue["total"]) == ([late_on_owned, late_by_rep], 2)
    assert overdue["filters"]["for_user_id"] == rep.id


async def test_follow_up_summary_counts_by_how_soon(client: httpx.AsyncClient) -> None:
    entity, elsewhere = await make_entity(), await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    outsider = await logged_in(client, elsewhere)
    lead_id = await make_lead(entity)
    empty = (await get(client, manager, "follow-ups/summary"))["data"]
    assert empty == dict.fromkeys(
        ("total_pending", "urgent_pending", "high_pending", "due_within_24h", "due_within_week", "overdue"), 0
    )
    for hours, priority, status in [
        (2.5, "urgent", "pending"),  # total, urgent, 24 h, week
        (23.5, "medium", "pending"),  # total, 24 h, week
        (30.5, "high", "pending"),  # total, high, week
        (72.5, "medium", "pending"),  # total, week
        (240.5, "low", "pending"),  # total
        (-2.5, "high", "pending"),  # overdue (not high_pending: it is past due)
        (-30.5, "urgent", "pending"),  # overdue (not urgent_pending: it is past due)
        (5.5, "high", "completed"),  # none
        (1.5, "urgent", "cancelled"),  # none
    ]:
        await log(
            client,
            manager,
            lead_id,
            "follow_up",
            nextFollowUpDate=hence(hours),
            priority=priority,
            status=status,
        )
    await log(client, manager, lead_id, "call")  # no follow-up date
    await log(
        client, outsider, await make_lead(elsewhere), "call", nextFollowUpDate=hence(3), priority="urgent"
    )
    summary = (await get(client, manager, "follow-ups/summary"))["data"]
    assert summary == {
        "total_pending": 5,
        "urgent_pending": 1,
        "high_pending": 1,
        "due_within_24h": 2,
        "due_within_week": 4,
        "overdue": 2,
    }


# --- updates -----------------------------------------------------------------------------------


async def test_update_status_sets_status_and_notes(client: httpx.AsyncClient) -> None:
    entity, elsewhere = await make_entity(), await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await logged_in(client, entity)
    lead_id = await make_lead(entity)
    activity = await log(client, rep, lead_id, "call", notes="before")
    foreign = await log(client, await logged_in(client, elsewhere), await make_lead(elsewhere), "call")
    done = await put(
        client,
        rep,
        "update-status",
        {"activityId": activity["id"], "status": "completed", "notes": "went well"},
    )
    assert done.status_code == 200, done.text
    assert done.json()["message"] == "Activity status updated successfully"
    data = done.json()["data"]
    assert (data["id"], data["status"], data["notes"]) == (activity["id"], "completed", "went well")
    stored = await LeadActivity.get(id=activity["id"])
    assert (stored.status.value, stored.notes) == ("completed", "went well")
    kept = await put(client, manager, "update-status", {"activity_id": activity["id"], "status": "cancelled"})
    assert kept.status_code == 200 and (kept.json()["data"]["status"], kept.json()["data"]["notes"]) == (
        "cancelled",
        "went well",  # notes not given: kept
    )
    mine = await get(client, rep, "user", status="cancelled")
    assert (ids(mine["data"]), mine["total"]) == ([activity["id"]], 1)
    assert (await get(client, rep, "user", status="pending"))["total"] == 0
    for body, code in [
        ({"activityId": foreign["id"], "status": "completed"}, 404),
        ({"activityId": 999_999_999, "status": "completed"}, 404),
        ({"activityId": activity["id"], "status": "done"}, 400),
        ({"activityId": activity["id"]}, 400),
        ({"status": "completed"}, 400),
        ([{"activityId": activity["id"], "status": "completed"}], 400),
    ]:
        response = await put(client, manager, "update-status", body)
        assert response.status_code == code and response.json()["success"] is False, (body, response.text)
    refused = await put(client, manager, "update-status", {"activityId": activity["id"], "status": "done"})
    assert "status" in [e["field"] for e in refused.json()["errors"]]
    assert "pending, completed, cancelled" in refused.text
    assert (await LeadActivity.get(id=activity["id"])).status.value == "cancelled"
    assert (await LeadActivity.get(id=foreign["id"])).status.value == "pending"


async def test_setting_the_status_an_activity_already_has_changes_no_count(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    lead_id = await make_lead(entity)
    activity = await log(client, manager, lead_id, "call")
    again = await put(client, manager, "update-status", {"activityId": activity["id"], "status": "pending"})
    assert again.status_code == 200, again.text
    assert (await get(client, manager, "entity"))["total"] == 1
    assert (await get(client, manager, "entity", status="pending"))["total"] == 1
    assert (await get(client, manager, "summary"))["data"] == [
        {"activity_type": "call", "total_count": 1, "pending_count": 1, "completed_count": 0}
    ]


async def test_a_rep_updates_their_own_activities_and_those_on_their_leads(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep, other = await logged_in(client, entity), await logged_in(client, entity)
    mine = await make_lead(entity, assigned_user_id=rep.id)
    theirs = await make_lead(entity, assigned_user_id=other.id)
    on_their_lead = await log(client, other, theirs, "call", nextFollowUpDate=hence(5))
    on_my_lead = await log(client, other, mine, "call", nextFollowUpDate=hence(5))
    mine_on_theirs = await log(client, rep, theirs, "note", nextFollowUpDate=hence(5))
    refused = await put(
        client, rep, "update-status", {"activityId": on_their_lead["id"], "status": "cancelled"}
    )
    assert refused.status_code == 403 and refused.json()["success"] is False
    moved = await put(
        client, rep, "update-follow-up", {"activityId": on_their_lead["id"], "nextFollowUpDate": hence(9)}
    )
    assert moved.status_code == 403
    stored = await LeadActivity.get(id=on_their_lead["id"])
    assert stored.status.value == "pending"
    assert iso(stored.next_follow_up_at) == on_their_lead["next_follow_up_date"]
    for activity in (on_my_lead, mine_on_theirs):
        done = await put(client, rep, "update-status", {"activityId": activity["id"], "status": "completed"})
        assert done.status_code == 200, done.text
    by_manager = await put(
        client, manager, "update-status", {"activityId": on_their_lead["id"], "status": "completed"}
    )
    assert by_manager.status_code == 200
    bulk = await put(
        client,
        rep,
        "bulk-update-follow-ups",
        {
            "activityIds": [on_their_lead["id"], on_my_lead["id"], mine_on_theirs["id"]],
            "nextFollowUpDate": hence(48),
        },
    )
    assert bulk.status_code == 200, bulk.text
    assert (bulk.json()["data"]["updated_count"], bulk.json()["data"]["not_updated"]) == (
        2,
        [on_their_lead["id"]],
    )
    assert (
        iso((await LeadActivity.get(id=on_their_lead["id"])).next_follow_up_at)
        == on_their_lead["next_follow_up_date"]
    )


async def test_a_blank_or_null_follow_up_date_is_refused_by_its_own_name(client: httpx.AsyncClient) -> None:
    """Not by the members of the union it is read into (`nextFollowUpDate.datetime`, `.date`),
    which a client cannot map to its form's field."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    activity = await log(client, manager, await make_lead(entity), nextFollowUpDate="2031-06-12")
    for blank in (None, ""):
        for action, body in (
            ("update-follow-up", {"activityId": activity["id"], "nextFollowUpDate": blank}),
            ("bulk-update-follow-ups", {"activityIds": [activity["id"]], "nextFollowUpDate": blank}),
        ):
            refused = await put(client, manager, action, body)
            assert refused.status_code == 400, (action, refused.text)
            answer = refused.json()
            assert [e["field"] for e in answer["errors"]] == ["nextFollowUpDate"], (action, answer)
            assert answer["message"] == "Validation failed: nextFollowUpDate"
            assert "YYYY-MM-DD" in answer["errors"][0]["message"]
    assert (await LeadActivity.get(id=activity["id"])).next_follow_up_at is not None


async def test_update_follow_up_moves_the_date_and_arms_the_alert_again(client: httpx.AsyncClient) -> None:
    entity, elsewhere = await make_entity(), await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    lead_id = await make_lead(entity)
    activity = await log(client, manager, lead_id, "follow_up", nextFollowUpDate="2024-06-12T10:00:00Z")
    announced = datetime(2024, 6, 12, 10, tzinfo=UTC)
    await LeadActivity.filter(id=activity["id"]).update(overdue_notified_for=announced)  # as the monitor does
    same = await put(
        client,
        manager,
        "update-follow-up",
        {"activityId": activity["id"], "nextFollowUpDate": "2024-06-12T12:00:00+02:00", "notes": "same time"},
    )
    assert same.status_code == 200, same.text
    stored = await LeadActivity.get(id=activity["id"])
    assert stored.notes == "same time" and stored.overdue_notified_for is not None  # same due time: kept
    moved = await put(
        client,
        manager,
        "update-follow-up",
        {"activityId": activity["id"], "nextFollowUpDate": "2031-06-20T10:00:00", "notes": "Rescheduled"},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["message"] == "Follow-up date updated successfully"
    data = moved.json()["data"]
    assert (data["id"], data["next_follow_up_date"], data["notes"]) == (
        activity["id"],
        "2031-06-20T10:00:00Z",
        "Rescheduled",
    )
    stored = await LeadActivity.get(id=activity["id"])
    assert iso(stored.next_follow_up_at) == "2031-06-20T10:00:00Z"
    assert stored.overdue_notified_for is None  # armed again
    assert ids((await get(client, manager, "follow-ups/pending"))["data"]) == [activity["id"]]
    foreign = await log(
        client,
        await logged_in(client, elsewhere),
        await make_lead(elsewhere),
        "call",
        nextFollowUpDate=hence(5),
    )
    for body, code in [
        ({"activityId": foreign["id"], "nextFollowUpDate": "2031-01-01T00:00:00Z"}, 404),
        ({"activityId": 999_999_999, "nextFollowUpDate": "2031-01-01T00:00:00Z"}, 404),
        ({"activityId": activity["id"], "nextFollowUpDate": "soon"}, 400),
        ({"activityId": activity["id"]}, 400),
        ({"nextFollowUpDate": "2031-01-01T00:00:00Z"}, 400),
    ]:
        response = await put(client, manager, "update-follow-up", body)
        assert response.status_code == code and response.json()["success"] is False, (body, response.text)
    assert iso((await LeadActivity.get(id=foreign["id"])).next_follow_up_at) == foreign["next_follow_up_date"]
    assert iso((await LeadActivity.get(id=activity["id"])).next_follow_up_at) == "2031-06-20T10:00:00Z"


async def test_bulk_update_moves_the_entity_s_and_lists_the_rest(client: httpx.AsyncClient) -> None:
    entity, elsewhere = await make_entity(), await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    lead_id = await make_lead(entity)
    own = [
        await log(client, manager, lead_id, "follow_up", nextFollowUpDate=hence(-h - 0.5)) for h in range(3)
    ]
    await LeadActivity.filter(id=own[0]["id"]).update(overdue_notified_for=utcnow() - timedelta(hours=1))
    outsider = await logged_in(client, elsewhere)
    foreign = await log(client, outsider, await make_lead(elsewhere), "call", nextFollowUpDate=hence(5))
    untouched = await log(client, manager, lead_id, "call", nextFollowUpDate=hence(7))
    wanted = [own[0]["id"], foreign["id"], own[1]["id"], 999_999_999, own[2]["id"], own[1]["id"]]
    response = await put(
        client,
        manager,
        "bulk-update-follow-ups",
        {"activityIds": wanted, "nextFollowUpDate": "2031-06-25T12:00:00+02:00", "notes": "team away"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["message"] == "Successfully updated 3 follow-up dates"
    assert body["data"] == {
        "updated_count": 3,
        "next_follow_up_date": "2031-06-25T10:00:00Z",
        "not_updated": [foreign["id"], 999_999_999],
    }
    for activity in own:
        stored = await LeadActivity.get(id=activity["id"])
        assert iso(stored.next_follow_up_at) == "2031-06-25T10:00:00Z" and stored.notes == "team away"
        assert stored.overdue_notified_for is None
    stored_foreign = await LeadActivity.get(id=foreign["id"])
    assert (
        iso(stored_foreign.next_follow_up_at) == foreign["next_follow_up_date"]
        and stored_foreign.notes is None
    )
    assert (
        iso((await LeadActivity.get(id=untouched["id"])).next_follow_up_at)
        == untouched["next_follow_up_date"]
    )
    assert (await get(client, manager, "follow-ups/overdue"))["total"] == 0
    assert (await get(client, manager, "follow-ups/pending"))["total"] == 4
    only_foreign = await put(
        client,
        manager,
        "bulk-update-follow-ups",
        {"activityIds": [foreign["id"]], "nextFollowUpDate": hence(1)},
    )
    assert only_foreign.status_code == 200
    assert (only_foreign.json()["data"]["updated_count"], only_foreign.json()["data"]["not_updated"]) == (
        0,
        [foreign["id"]],
    )
    for bad, field in [
        ({"activityIds": [], "nextFollowUpDate": hence(1)}, "activityIds"),
        ({"activityIds": own[0]["id"], "nextFollowUpDate": hence(1)}, "activityIds"),
        ({"activityIds": "1,2", "nextFollowUpDate": hence(1)}, "activityIds"),
        ({"activityIds": ["x"], "nextFollowUpDate": hence(1)}, "activityIds"),
        ({"activityIds": [own[0]["id"]]}, "nextFollowUpDate"),
        ({"activityIds": [own[0]["id"]], "nextFollowUpDate": "2031-13-01"}, "nextFollowUpDate"),
    ]:
        refused = await put(client, manager, "bulk-update-follow-ups", bad)
        assert refused.status_code == 400 and refused.json()["success"] is False, (bad, refused.text)
        assert any(e["field"].startswith(field) for e in refused.json()["errors"]), (bad, refused.text)
    assert iso((await LeadActivity.get(id=own[0]["id"])).next_follow_up_at) == "2031-06-25T10:00:00Z"


async def test_timeline_orders_entries_of_one_second_by_their_time(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    lead_id = await make_lead(entity)
    later = await log(client, manager, lead_id, "call")
    on_the_second = await log(client, manager, lead_id, "note")
    await backdate(later["id"], datetime(2024, 6, 10, 15, 0, 0, 500000, tzinfo=UTC))
    await backdate(on_the_second["id"], datetime(2024, 6, 10, 15, 0, 0, tzinfo=UTC))
    listed = ids((await get(client, manager, f"lead/{lead_id}"))["data"])
    assert listed == [later["id"], on_the_second["id"]]
    entries = (await get(client, manager, f"lead/{lead_id}/timeline"))["data"]
    assert [(e["kind"], e["id"]) for e in entries[1:]] == [
        ("activity", later["id"]),
        ("activity", on_the_second["id"]),
    ]
    assert entries[0]["kind"] == "stage"  # the lead's first stage, opened now


async def test_every_endpoint_wants_a_login(client: httpx.AsyncClient) -> None:
    for method, path in [
        ("POST", "log"),
        ("GET", "lead/1"),
        ("GET", "lead/1/timeline"),
        ("GET", "entity"),
        ("GET", "user"),
        ("GET", "recent"),
        ("GET", "follow-ups/pending"),
        ("GET", "follow-ups/overdue"),
        ("GET", "follow-ups/summary"),
        ("PUT", "update-status"),
        ("PUT", "update-follow-up"),
        ("PUT", "bulk-update-follow-ups"),
        ("GET", "statistics"),
        ("GET", "user-performance"),
        ("GET", "priority-distribution"),
        ("GET", "summary"),
    ]:
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            response = await client.request(method, f"/api/activities/{path}", json={}, headers=headers)
            assert response.status_code == 401 and response.json()["success"] is False, (method, path)
