"""The lead API: filters, pagination, search, edits, counts, pipeline — one entity at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from models import LeadStage, RoleId, StatusName
from salesmagnet import events
from tests.conftest import Served
from tests.factories import logged_in, long_email, make_entity, make_lead, make_user
from tests.realtime.clients import Listener

STATUSES = [s.value for s in StatusName]


async def test_manager_creates_a_manual_lead_and_the_floor_hears_it(
    served: Served, client: httpx.AsyncClient
) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    listener = await Listener().connect(served.url, manager.token)
    try:
        body = {"first_name": "Ada", "email": "ADA@Example.com", "raw_field_data": {"budget": "10k"}}
        response = await client.post("/api/leads", json=body, headers=manager.auth)
        assert response.status_code == 201, response.text
        lead = response.json()["data"]
        assert (lead["platform_key"], lead["status"], lead["email"]) == ("manual", "new", "ada@example.com")
        await listener.wait_for(lambda: bool(listener.named("lead:new")))
        assert listener.named("lead:new")[0]["lead"]["id"] == lead["id"]
        stages = await LeadStage.filter(lead_id=lead["id"]).values_list("status_id", "exited_at")
        assert stages == [(1, None)]  # the first stage is open from the start
    finally:
        await listener.close()
    rep = await logged_in(client, entity)
    assert (await client.post("/api/leads", json=body, headers=rep.auth)).status_code == 403
    empty = await client.post("/api/leads", json={"first_name": "Nobody"}, headers=manager.auth)
    assert empty.status_code == 400


async def test_a_new_lead_reads_back_as_it_was_announced(client: httpx.AsyncClient) -> None:
    """The summary the writer announces (lead:new, the 201) and the one the database renders
    for lists, the pipeline and reads are the same, to the key and the microsecond."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    body = {"first_name": "Émile", "last_name": 'Zola "Z"', "phone": "+33 1 23 45 67 89", "email": "e@z.fr"}
    announced = (await client.post("/api/leads", json=body, headers=manager.auth)).json()["data"]
    listed = (await client.get("/api/leads", headers=manager.auth)).json()["data"]
    board = (await client.get("/api/leads/pipeline", headers=manager.auth)).json()["data"]["pipeline"]
    one = (await client.get(f"/api/leads/{announced['id']}", headers=manager.auth)).json()["data"]
    assert listed == [announced] and board["new"] == [announced]
    assert {key: one[key] for key in announced} == announced
    assert announced["assigned_user"] is None and announced["created_at"].endswith("Z")

    owner = await make_user(entity)
    owned = await make_lead(entity, assigned_user_id=owner.id)
    row = (await client.get(f"/api/leads/{owned}", headers=manager.auth)).json()["data"]
    assert row["assigned_user"] == {"id": owner.id, "first_name": "Test", "last_name": "sales_rep"}


async def test_a_hand_entered_lead_with_a_known_source_id_is_a_conflict(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    body = {"email": "crm@example.com", "source_lead_id": "crm-import-42"}
    first = await client.post("/api/leads", json=body, headers=manager.auth)
    again = await client.post("/api/leads", json={**body, "email": "other@example.com"}, headers=manager.auth)
    assert first.status_code == 201 and again.status_code == 409
    assert again.json()["success"] is False and again.json()["data"]["lead_id"] == first.json()["data"]["id"]
    other = await logged_in(client, await make_entity(), RoleId.MANAGER)  # source ids are per entity
    assert (await client.post("/api/leads", json=body, headers=other.auth)).status_code == 201


async def test_get_by_id_with_answers_and_attribution(client: httpx.AsyncClient) -> None:
    entity, other = await make_entity(), await make_entity()
    user = await logged_in(client, entity)
    lead_id = await make_lead(entity, raw_field_data={"company": "Acme"}, phone="+1 555 0100")
    response = await client.get(f"/api/leads/{lead_id}", headers=user.auth)
    data = response.json()["data"]
    assert data["raw_field_data"] == {"company": "Acme"} and data["attribution"]["source_lead_id"].startswith(
        "manual-"
    )
    foreign = await make_lead(other)
    assert (await client.get(f"/api/leads/{foreign}", headers=user.auth)).status_code == 404
    assert (await client.get("/api/leads/abc", headers=user.auth)).status_code == 400


async def test_edits_and_their_event(served: Served, client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    support = await logged_in(client, entity, RoleId.SUPPORT)
    lead_id = await make_lead(entity, first_name="Old")
    listener = await Listener().connect(served.url, support.token)
    try:
        changed = await client.put(
            f"/api/leads/{lead_id}",
            json={"first_name": "New", "phone": "+44 20 7946 0000"},
            headers=support.auth,
        )
        assert changed.status_code == 200 and changed.json()["data"]["first_name"] == "New"
        await listener.wait_for(lambda: bool(listener.named("lead:updated")))
        # the full name, empty before, is made from the new part
        assert sorted(listener.named("lead:updated")[0]["changed"]) == ["first_name", "full_name", "phone"]
    finally:
        await listener.close()
    for body, expect in (
        ({"status": "won"}, 400),
        ({}, 400),
        ({"email": "not-mail"}, 400),
        ({"unknown": 1}, 400),
    ):
        response = await client.put(f"/api/leads/{lead_id}", json=body, headers=support.auth)
        assert response.status_code == expect, body


async def test_an_edit_cannot_leave_a_lead_without_email_and_phone(client: httpx.AsyncClient) -> None:
    """Every lead has an email or a phone (a hand-entered or delivered one without both is a
    400); an edit that cleared the last of them was taken, leaving a lead no one could reach."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    lead_id = await make_lead(entity, email="only@example.com")
    for body in ({"email": None}, {"email": None, "phone": None}):
        refused = await client.put(f"/api/leads/{lead_id}", json=body, headers=manager.auth)
        assert refused.status_code == 400, refused.text
        assert refused.json() == {"success": False, "message": "A lead needs an email or a phone"}
    kept = await client.get(f"/api/leads/{lead_id}", headers=manager.auth)
    assert kept.json()["data"]["email"] == "only@example.com"
    swapped = await client.put(
        f"/api/leads/{lead_id}", json={"email": None, "phone": "+1 555 0199"}, headers=manager.auth
    )
    assert swapped.status_code == 200 and swapped.json()["data"]["email"] is None


async def test_an_address_as_long_as_mail_allows_is_kept(client: httpx.AsyncClient) -> None:
    """An e-mail address may have 254 characters: a lead made or edited with one keeps it; a
    longer one is a 400 naming the field."""
    manager = await logged_in(client, await make_entity(), RoleId.MANAGER)
    longest, other = long_email(254), long_email(200)
    made = await client.post("/api/leads", json={"email": longest}, headers=manager.auth)
    assert made.status_code == 201, made.text
    lead_id = made.json()["data"]["id"]
    changed = await client.put(f"/api/leads/{lead_id}", json={"email": other}, headers=manager.auth)
    assert changed.status_code == 200 and changed.json()["data"]["email"] == other
    read = (await client.get(f"/api/leads/{lead_id}", headers=manager.auth)).json()["data"]
    assert read["email"] == other
    too_long = long_email(255)
    for response in (
        await client.post("/api/leads", json={"email": too_long}, headers=manager.auth),
        await client.put(f"/api/leads/{lead_id}", json={"email": too_long}, headers=manager.auth),
    ):
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == "email"
    assert (await client.get(f"/api/leads/{lead_id}", headers=manager.auth)).json()["data"]["email"] == other


async def test_a_full_name_made_from_long_parts_is_never_cut(client: httpx.AsyncClient) -> None:
    """A lead's full name is made from its parts when none is given; parts too long to join
    within the full name's 200 characters (a first and a last name of 100 each) leave it out,
    where it was cut to 200 (the last name lost its end). The parts are kept whole."""
    manager = await logged_in(client, await make_entity(), RoleId.MANAGER)
    first, last = "F" * 100, "L" * 100
    body = {"phone": "+15550100", "first_name": first, "last_name": last}
    made = await client.post("/api/leads", json=body, headers=manager.auth)
    assert made.status_code == 201, made.text
    lead = made.json()["data"]
    assert (lead["first_name"], lead["last_name"], lead["full_name"]) == (first, last, None)
    short = await client.post("/api/leads", json={**body, "last_name": "Lee"}, headers=manager.auth)
    lead_id = short.json()["data"]["id"]
    assert short.json()["data"]["full_name"] == f"{first} Lee"
    changed = await client.put(f"/api/leads/{lead_id}", json={"last_name": last}, headers=manager.auth)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["data"]["last_name"], changed.json()["data"]["full_name"]) == (last, None)


async def test_a_phone_longer_than_the_lead_keeps_is_refused(client: httpx.AsyncClient) -> None:
    """A lead's phone holds 30 characters, a leading + counted: a longer one is a 400 naming the
    field (it was a 500 on MariaDB, "+" and 30 digits passing the form check)."""
    manager = await logged_in(client, await make_entity(), RoleId.MANAGER)
    longest, too_long = "+" + "1" * 29, "+" + "1" * 30
    made = await client.post("/api/leads", json={"phone": longest}, headers=manager.auth)
    assert made.status_code == 201 and made.json()["data"]["phone"] == longest, made.text
    lead_id = made.json()["data"]["id"]
    for response in (
        await client.post("/api/leads", json={"phone": too_long}, headers=manager.auth),
        await client.put(f"/api/leads/{lead_id}", json={"phone": too_long}, headers=manager.auth),
    ):
        assert response.status_code == 400, response.text
        assert [e["field"] for e in response.json()["errors"]] == ["phone"]
    read = (await client.get(f"/api/leads/{lead_id}", headers=manager.auth)).json()["data"]
    assert read["phone"] == longest


async def test_sales_reps_edit_only_their_own(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    rep = await logged_in(client, entity)
    theirs = await make_lead(entity)
    mine = await make_lead(entity, assigned_user_id=rep.id)
    assert (
        await client.put(f"/api/leads/{theirs}", json={"first_name": "X"}, headers=rep.auth)
    ).status_code == 403
    assert (
        await client.put(f"/api/leads/{mine}", json={"first_name": "X"}, headers=rep.auth)
    ).status_code == 200


async def test_list_filters_total_and_pagination(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    user = await logged_in(client, entity, RoleId.MANAGER)
    owner = await make_user(entity)
    now = datetime.now(UTC)
    for n in range(7):
        await make_lead(
            entity,
            first_name=f"Lead{n}",
            email=f"lead{n}@example.com",  # no random word that could start with a searched one
            status="qualified" if n % 2 else "new",
            created_at=now - timedelta(days=n),
        )
    await make_lead(entity, last_name="O'Brien_100%", assigned_user_id=owner.id)
    get = lambda **p: client.get("/api/leads", params=p, headers=user.auth)  # noqa: E731

    page = (await get(limit=3, offset=0)).json()
    assert len(page["data"]) == 3 and page["total"] == 8
    assert (await get(status="qualified")).json()["total"] == 3
    assert (await get(platform="manual")).json()["total"] == 8
    assert (await get(platform="facebook")).json()["total"] == 0
    assert [r["id"] for r in (await get(assigned_user_id=owner.id)).json()["data"]] != []
    assert (await get(search="_100%")).json()["total"] == 1  # wildcards are literal
    assert (await get(search="%")).json()["total"] == 0  # no word: matches nothing, not everything
    assert (await get(search="lead3")).json()["total"] == 1  # case-insensitive
    searched = (await get(search="lead", limit=2)).json()
    assert len(searched["data"]) == 2 and searched["total"] == 8  # every match (emails are lead_…)
    beyond = (await get(search="lead", offset=50)).json()
    assert beyond["data"] == [] and beyond["total"] == 8
    owned = (await get(assigned_user_id=owner.id, offset=50)).json()
    assert owned["data"] == [] and owned["total"] == 1
    day = (now - timedelta(days=2)).date().isoformat()
    assert (await get(date_from=day, date_to=day)).json()["total"] == 1
    oldest_first = (await get(sort="created_at", order="asc", limit=1)).json()["data"][0]
    assert oldest_first["first_name"] == "Lead6"
    shouted = await get(sort="created_at", order="ASC", limit=1)  # SQL's spelling: a 400 before
    assert shouted.status_code == 200, shouted.text
    assert (
        shouted.json()["data"][0]["id"] == oldest_first["id"] and shouted.json()["filters"]["order"] == "asc"
    )
    clamped = (await get(limit=10_000)).json()
    assert clamped["filters"]["limit"] == 500 and clamped["filters"]["limit_clamped_from"] == 10_000


async def test_search_finds_words_by_their_start(client: httpx.AsyncClient) -> None:
    entity, other = await make_entity(), await make_entity()
    user = await logged_in(client, entity, RoleId.MANAGER)
    ada = await make_lead(
        entity,
        email="ada.lovelace12@analytical.io",
        first_name="Ada",
        last_name="Lovelace",
        phone="+44 20 7946 0958",
    )
    li = await make_lead(entity, first_name="Li", last_name="Wei", email="li@x.org")
    will = await make_lead(entity, full_name="Will The Who", email="w@x.org")
    await make_lead(other, first_name="Ada", last_name="Lovelace", email="ada@other.io")

    async def found(term: str) -> list[int]:
        body = (await client.get("/api/leads", params={"search": term}, headers=user.auth)).json()
        assert body["success"] and body["total"] == len(body["data"])
        return sorted(lead["id"] for lead in body["data"])

    assert await found("lovelace") == [ada]  # the other entity's Ada is never counted
    assert await found("LOVE") == [ada]
    assert await found("lovelace12") == [ada]  # a word of the email
    assert await found("ada.lovelace12@analytical.io") == [ada]
    assert await found("ADA.Lovelace12@anal") == [ada]  # the start of an address
    assert await found("ada.lovelace1_@analytical.io") == []  # _ is not a wildcard
    assert await found("@analytical.io") == [ada]  # the domain's words
    assert await found("analytical") == [ada]
    assert await found("ada love") == [ada]  # every word must start one of the lead's
    assert await found("ada wei") == []
    many = await client.get(
        "/api/leads", params={"search": "a ad ada l lo lov love lovel wei"}, headers=user.auth
    )
    assert many.status_code == 400 and [e["field"] for e in many.json()["errors"]] == ["search"]  # not 8 of 9
    assert await found("7946") == [ada] and await found("2079460958") == [ada]  # any run of digits
    assert await found("946 09") == [ada]  # as a number is written: one run of digits
    assert await found("+44 (20) 7946-0958") == [ada] and await found("0958 7946") == []
    assert await found("ovelace") == []  # words match from their start
    assert await found("li") == [li]  # two-letter names are words too
    assert await found("will") == [will] and await found("the who") == [will]  # and common words
    for hostile in ('"', "+-*", "'; DROP TABLE lead_data; --", "\\", "(ada)", "@", "~ada", "ada*"):
        response = await client.get("/api/leads", params={"search": hostile}, headers=user.auth)
        assert response.status_code == 200, hostile
        assert {lead["id"] for lead in response.json()["data"]} <= {ada}

    await client.put(f"/api/leads/{li}", json={"last_name": "Zhang"}, headers=user.auth)
    assert await found("zhang") == [li] and await found("wei") == []


async def test_search_finds_one_letter_words(client: httpx.AsyncClient) -> None:
    """An initial is a word too: "j rowling" found J Rowling on SQLite and nothing on MariaDB,
    whose FULLTEXT index keeps no word under three characters (a one-letter word is two
    with its "w"); a one-letter word of an address ("k" of j.k@…) was lost the same way."""
    entity = await make_entity()
    user = await logged_in(client, entity, RoleId.MANAGER)
    jk = await make_lead(entity, first_name="J", last_name="Rowling", email="j.k@pub.example.com")
    jane = await make_lead(entity, first_name="Jane", last_name="Doe", email="jane@x.example.com")

    async def found(term: str) -> list[int]:
        body = (await client.get("/api/leads", params={"search": term}, headers=user.auth)).json()
        return sorted(lead["id"] for lead in body["data"])

    assert await found("j rowling") == [jk]
    assert await found("k") == [jk] and await found("k rowling") == [jk]
    assert await found("j") == sorted([jk, jane])  # the start of a word, as always
    assert await found("ja") == [jane]
    await client.put(f"/api/leads/{jane}", json={"first_name": "Q"}, headers=user.auth)
    assert await found("q doe") == [jane]  # an edit writes its words the same way


async def test_the_full_name_follows_its_parts_unless_given_apart(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)

    async def put(lead_id: int, **body: str) -> dict[str, Any]:
        response = await client.put(f"/api/leads/{lead_id}", json=body, headers=manager.auth)
        assert response.status_code == 200, response.text
        return dict(response.json()["data"])

    async def found(term: str) -> list[int]:
        body = (await client.get("/api/leads", params={"search": term}, headers=manager.auth)).json()
        return sorted(lead["id"] for lead in body["data"])

    made = await client.post(
        "/api/leads",
        json={"first_name": "Barbara", "last_name": "Liskov", "email": "bl@x.org"},
        headers=manager.auth,
    )
    lead = made.json()["data"]
    assert lead["full_name"] == "Barbara Liskov"  # as a form's lead gets it
    assert (await put(lead["id"], last_name="Zebraface"))["full_name"] == "Barbara Zebraface"
    assert await found("liskov") == [] and await found("zebraface") == [lead["id"]]
    # a full name given apart is the user's: kept when a part changes, found by its words
    assert (await put(lead["id"], full_name="Dr. B. Liskov"))["full_name"] == "Dr. B. Liskov"
    assert (await put(lead["id"], first_name="Babs"))["full_name"] == "Dr. B. Liskov"
    assert await found("liskov") == [lead["id"]]
    both = await put(lead["id"], first_name="Grace", full_name="Grace H.")
    assert (both["first_name"], both["full_name"]) == ("Grace", "Grace H.")


@pytest.mark.parametrize(
    "params,field",
    [
        ({"limit": -1}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -5}, "offset"),
        ({"status": "closed_won"}, "status"),
        ({"status": ["new", "won"]}, "status"),  # given twice: which one? (not silently the first)
        ({"platform": "tiktok"}, "platform"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_from": "1718032990"}, "date_from"),  # not a Unix time read as the year 1718
        ({"date_to": "2026-01-01", "date_from": "2026-12-31"}, "date_to"),  # a window ending before it starts
        ({"sort": "email"}, "sort"),
        ({"assigned_user_id": "x"}, "assigned_user_id"),
        ({"assigned_user_id": str(2**70)}, "assigned_user_id"),  # past 64 bits: SQLite overflowed
        ({"offset": str(2**70)}, "offset"),
        ({"limit": str(-(2**70))}, "limit"),
        ({"limit": str(2**70)}, "limit"),
        ({"date_from": "0001-01-01T00:00:00+14:00"}, "date_from"),  # before year 1 in UTC
        ({"date_to": "9999-12-31"}, "date_to"),  # its exclusive end is past year 9999
    ],
)
async def test_bad_list_parameters_are_named(
    client: httpx.AsyncClient, params: dict[str, object], field: str
) -> None:
    user = await logged_in(client, await make_entity())
    response = await client.get("/api/leads", params=params, headers=user.auth)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    if field in ("status", "platform") and not isinstance(params[field], list):
        assert "allowed" in response.json()["errors"][0]["message"]


async def test_counts_stand_at_the_entity_s_own_seq(client: httpx.AsyncClient) -> None:
    entity, other = await make_entity(), await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)

    async def counts() -> tuple[dict[str, int], int]:
        answer = (await client.get("/api/leads/counts", headers=manager.auth)).json()
        return {c["status"]: c["count"] for c in answer["data"]}, answer["seq"]

    assert await counts() == (dict.fromkeys(STATUSES, 0), 0)  # no lead and no event yet
    await make_lead(entity, status="qualified")
    for _ in range(6):  # another entity's leads move neither its counts nor its seq
        await make_lead(other)
    before = await events.current_seq(entity.id)
    per_status, seq = await counts()
    after = await events.current_seq(entity.id)  # (analytics:updated may follow the lead)
    assert per_status == dict.fromkeys(STATUSES, 0) | {"qualified": 1}
    assert 0 < before <= seq <= after < await events.current_seq(other.id), (before, seq, after)


async def test_counts_queues_and_pipeline(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    rep = await logged_in(client, entity)
    now = datetime.now(UTC)
    first = await make_lead(entity, created_at=now - timedelta(hours=3))
    await make_lead(entity, created_at=now - timedelta(hours=1))
    for _ in range(3):
        await make_lead(entity, status="won", assigned_user_id=rep.id)
    counts = (await client.get("/api/leads/counts", headers=rep.auth)).json()["data"]
    assert len(counts) == 8 and {c["status"]: c["count"] for c in counts}["won"] == 3
    assert {c["status"]: c["count"] for c in counts}["lost"] == 0
    queue = (await client.get("/api/leads/unassigned", headers=rep.auth)).json()
    assert queue["total"] == 2 and queue["data"][0]["id"] == first  # oldest first
    mine = (await client.get("/api/leads/my-leads", headers=rep.auth)).json()
    assert mine["total"] == 3 and all(r["assigned_user_id"] == rep.id for r in mine["data"])
    board = (await client.get("/api/leads/pipeline", params={"per_status": 2}, headers=rep.auth)).json()[
        "data"
    ]
    assert len(board["pipeline"]["won"]) == 2 and len(board["pipeline"]["new"]) == 2
    assert {c["status"]: c["count"] for c in board["statusCounts"]}["won"] == 3
    capped = (await client.get("/api/leads/pipeline", params={"per_status": 5000}, headers=rep.auth)).json()
    assert capped["data"]["per_status"] == 100


async def test_the_board_shows_every_change_at_once(client: httpx.AsyncClient) -> None:
    """Boards are kept rendered between requests; a new lead, an edit and an owner's new name
    each show on the next read, and another entity's change does not touch this board."""
    entity, other = await make_entity(), await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    owner = await make_user(entity)
    owned = await make_lead(entity, status="won", assigned_user_id=owner.id, first_name="Ada")

    async def board() -> dict[str, Any]:
        response = await client.get("/api/leads/pipeline", headers=manager.auth)
        return dict(response.json()["data"])

    def won(data: dict[str, Any]) -> dict[str, Any]:
        return dict(data["pipeline"]["won"][0])

    first = await board()
    assert await board() == first and won(first)["first_name"] == "Ada"
    made = await client.post("/api/leads", json={"email": "new@example.com"}, headers=manager.auth)
    after_new = await board()
    assert [lead["id"] for lead in after_new["pipeline"]["new"]] == [made.json()["data"]["id"]]
    assert {c["status"]: c["count"] for c in after_new["statusCounts"]}["new"] == 1
    edited = await client.put(f"/api/leads/{owned}", json={"first_name": "Grace"}, headers=manager.auth)
    assert edited.status_code == 200 and won(await board())["first_name"] == "Grace"
    renamed = await client.put(
        f"/api/auth/users/{owner.id}", json={"first_name": "Owner"}, headers=manager.auth
    )
    assert renamed.status_code == 200
    assert won(await board())["assigned_user"]["first_name"] == "Owner"
    await make_lead(other, status="won")
    assert await board() == await board()
    assert [c["count"] for c in (await board())["statusCounts"] if c["status"] == "won"] == [1]


async def test_another_entitys_leads_are_invisible(client: httpx.AsyncClient) -> None:
    mine, theirs = await make_entity(), await make_entity()
    user = await logged_in(client, mine, RoleId.ADMIN)
    foreign = await make_lead(theirs, status="won", email="secret@example.com")
    for path in ("/api/leads", "/api/leads/unassigned", "/api/leads/pipeline", "/api/leads/counts"):
        response = await client.get(
            path, params={"search": "secret"} if path == "/api/leads" else None, headers=user.auth
        )
        assert "secret@example.com" not in response.text and str(foreign) not in [
            str(r.get("id")) for r in response.json()["data"] if isinstance(r, dict)
        ]
    counts = (await client.get("/api/leads/counts", headers=user.auth)).json()["data"]
    assert sum(c["count"] for c in counts) == 0
    assert (
        await client.put(f"/api/leads/{foreign}", json={"first_name": "X"}, headers=user.auth)
    ).status_code == 404
