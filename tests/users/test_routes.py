"""User administration: own entity only, managers below admins."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from models import RoleId, User
from tests.conftest import unique
from tests.factories import PASSWORD, logged_in, make_entity, make_user


def new_user(role: str = "sales_rep", **extra: object) -> dict[str, object]:
    tag = unique("")
    return {
        "username": f"n_{tag}",
        "email": f"n_{tag}@example.com",
        "password": PASSWORD,
        "first_name": "Nia",
        "last_name": "New",
        "role": role,
        **extra,
    }


async def test_lists_only_the_callers_entity(client: httpx.AsyncClient) -> None:
    mine, theirs = await make_entity(), await make_entity()
    admin = await logged_in(client, mine, RoleId.ADMIN)
    rep = await make_user(mine)
    foreign = await make_user(theirs)
    response = await client.get("/api/auth/users", headers=admin.auth)
    ids = {u["id"] for u in response.json()["data"]}
    assert ids == {admin.id, rep.id} and foreign.id not in ids
    assert response.json()["total"] == 2
    by_entity = await client.get(f"/api/auth/users/entity/{theirs.id}", headers=admin.auth)
    assert by_entity.status_code == 404


async def test_list_filters_and_pagination(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    for _ in range(3):
        await make_user(entity, RoleId.SUPPORT)
    page = await client.get("/api/auth/users", params={"role": "support", "limit": 2}, headers=admin.auth)
    body = page.json()
    assert len(body["data"]) == 2 and body["total"] == 3
    assert all(u["role"] == "support" for u in body["data"])
    for params in ({"limit": -1}, {"limit": "ten"}, {"offset": -3}, {"role": "king"}):
        bad = await client.get("/api/auth/users", params=params, headers=admin.auth)
        assert bad.status_code == 400, params
    wild = await client.get("/api/auth/users", params={"search": "%_'\""}, headers=admin.auth)
    assert wild.status_code == 200 and wild.json()["data"] == []


async def test_a_phone_longer_than_a_user_keeps_is_refused(client: httpx.AsyncClient) -> None:
    """A user's phone holds 20 characters, a leading + counted: a longer one is a 400 naming the
    field (it was a 500 on MariaDB, "+" and 20 digits passing the form check)."""
    admin = await logged_in(client, await make_entity(), RoleId.ADMIN)
    longest, too_long = "+" + "1" * 19, "+" + "1" * 20
    made = await client.post("/api/auth/users", json=new_user(phone=longest), headers=admin.auth)
    assert made.status_code == 201 and made.json()["data"]["phone"] == longest, made.text
    user_id = made.json()["data"]["id"]
    for response in (
        await client.post("/api/auth/users", json=new_user(phone=too_long), headers=admin.auth),
        await client.put(f"/api/auth/users/{user_id}", json={"phone": too_long}, headers=admin.auth),
    ):
        assert response.status_code == 400, response.text
        assert [e["field"] for e in response.json()["errors"]] == ["phone"]
    assert (await User.get(id=user_id)).phone == longest


async def test_admin_creates_updates_and_deactivates(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    made = await client.post("/api/auth/users", json=new_user("manager", entity_id=9999), headers=admin.auth)
    assert made.status_code == 201
    user = made.json()["data"]
    assert (user["entity_id"], user["role"], user["is_verified"]) == (entity.id, "manager", True)
    changed = await client.put(
        f"/api/auth/users/{user['id']}",
        json={"first_name": "Nora", "phone": "+44 20 7946 0000"},
        headers=admin.auth,
    )
    assert changed.status_code == 200 and changed.json()["data"]["first_name"] == "Nora"
    # what this request does not change is refused, naming where it changes, never ignored
    for body, field, where in [
        ({"email": "nora@elsewhere.io"}, "email", "/api/auth/email/request"),
        ({"first_name": "Nina", "role": "admin"}, "role", "/role"),
        ({"password": "Another-pass-123"}, "password", "password reset"),
        ({}, "body", "editable: first_name, last_name, phone, is_active"),
    ]:
        refused = await client.put(f"/api/auth/users/{user['id']}", json=body, headers=admin.auth)
        assert refused.status_code == 400 and refused.json()["success"] is False, (body, refused.text)
        assert where in refused.text, (body, refused.text)
        if body:
            assert field in [e["field"] for e in refused.json()["errors"]], refused.text
    kept = await User.get(id=user["id"])
    assert (kept.first_name, kept.email, kept.role_id) == ("Nora", user["email"], RoleId.MANAGER)
    # a user read, edited and put back whole changes only what was edited
    read = (await client.get(f"/api/auth/users/{user['id']}", headers=admin.auth)).json()["data"]
    back = await client.put(
        f"/api/auth/users/{user['id']}", json={**read, "last_name": "Ng"}, headers=admin.auth
    )
    assert back.status_code == 200 and back.json()["data"]["last_name"] == "Ng", back.text
    role = await client.patch(f"/api/auth/users/{user['id']}/role", json={"role_id": 3}, headers=admin.auth)
    assert role.json()["data"]["role"] == "sales_rep"
    gone = await client.delete(f"/api/auth/users/{user['id']}", headers=admin.auth)
    assert gone.status_code == 200
    row = await User.get(id=user["id"])
    assert row.is_active is False  # deactivated, history keeps the user


@pytest.mark.parametrize("target_role", [RoleId.ADMIN, RoleId.MANAGER])
async def test_managers_cannot_touch_admins_or_managers(
    client: httpx.AsyncClient, target_role: RoleId
) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    target = await make_user(entity, target_role)
    assert (
        await client.put(f"/api/auth/users/{target.id}", json={"first_name": "X"}, headers=manager.auth)
    ).status_code == 403
    assert (
        await client.patch(
            f"/api/auth/users/{target.id}/role", json={"role": "support"}, headers=manager.auth
        )
    ).status_code == 403
    assert (await client.delete(f"/api/auth/users/{target.id}", headers=manager.auth)).status_code == 403
    assert (
        await client.post("/api/auth/users", json=new_user(target_role.label), headers=manager.auth)
    ).status_code == 403
    assert (await User.get(id=target.id)).is_active is True


async def test_managers_cannot_promote_staff(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await make_user(entity)
    up = await client.patch(f"/api/auth/users/{rep.id}/role", json={"role": "manager"}, headers=manager.auth)
    assert up.status_code == 403
    side = await client.patch(
        f"/api/auth/users/{rep.id}/role", json={"role": "support"}, headers=manager.auth
    )
    assert side.status_code == 200


async def test_no_self_lockout(client: httpx.AsyncClient) -> None:
    admin = await logged_in(client, await make_entity(), RoleId.ADMIN)
    assert (await client.delete(f"/api/auth/users/{admin.id}", headers=admin.auth)).status_code == 403
    assert (
        await client.patch(f"/api/auth/users/{admin.id}/role", json={"role": 3}, headers=admin.auth)
    ).status_code == 403
    assert (
        await client.put(f"/api/auth/users/{admin.id}", json={"is_active": False}, headers=admin.auth)
    ).status_code == 403


async def test_reps_and_support_cannot_administer(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    for role in (RoleId.SALES_REP, RoleId.SUPPORT):
        user = await logged_in(client, entity, role)
        assert (await client.get("/api/auth/users", headers=user.auth)).status_code == 403
        assert (await client.post("/api/auth/users", json=new_user(), headers=user.auth)).status_code == 403


async def test_role_defaults_to_sales_rep(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    for role in (RoleId.ADMIN, RoleId.MANAGER):
        creator = await logged_in(client, entity, role)
        body = new_user()
        del body["role"]
        response = await client.post("/api/auth/users", json=body, headers=creator.auth)
        assert response.status_code == 201, response.text
        assert response.json()["data"]["role"] == "sales_rep"


async def test_a_role_given_by_id_is_the_role_made(client: httpx.AsyncClient) -> None:
    """`role_id` (the reference API's name, as PATCH …/role takes it) chooses the role: it was
    ignored, so {"role_id": 2} made a sales rep, and a manager asking for an admin got one too."""
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    manager = await logged_in(client, entity, RoleId.MANAGER)
    for role_id, label in ((2, "manager"), ("support", "support")):
        body = new_user(role_id=role_id)
        del body["role"]
        made = await client.post("/api/auth/users", json=body, headers=admin.auth)
        assert made.status_code == 201 and made.json()["data"]["role"] == label, made.text
    body = new_user(role_id=1)
    del body["role"]
    refused = await client.post("/api/auth/users", json=body, headers=manager.auth)
    assert refused.status_code == 403, refused.text
    assert not await User.exists(email=body["email"])


async def test_huge_numbers_in_the_query_are_named(client: httpx.AsyncClient) -> None:
    admin = await logged_in(client, await make_entity(), RoleId.ADMIN)
    for name in ("offset", "limit"):
        response = await client.get("/api/auth/users", params={name: str(2**70)}, headers=admin.auth)
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == name
    for path in (f"/api/auth/users/{2**31}", "/api/auth/users/\u00b2", "/api/auth/users/\u0663"):
        response = await client.get(path, headers=admin.auth)
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == "id", path


async def test_validation_names_each_field(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    bad = {"username": "x", "email": "not-mail", "password": "short", "first_name": "", "last_name": "L"}
    response = await client.post("/api/auth/users", json=bad, headers=admin.auth)
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"username", "email", "password", "first_name"} <= fields
    dup = await client.post("/api/auth/users", json=new_user(email=admin.email), headers=admin.auth)
    assert dup.status_code == 409
    rep = await make_user(entity)  # a name may be left out of an edit, not cleared
    cleared = await client.put(f"/api/auth/users/{rep.id}", json={"first_name": None}, headers=admin.auth)
    assert cleared.status_code == 400 and cleared.json()["errors"] == [
        {"field": "first_name", "message": "cannot be null"}
    ]


async def test_usernames_differing_only_in_case_are_one(client: httpx.AsyncClient) -> None:
    """A username and the same in other case are one, on every database: the embedded SQLite took both
    (its unique key is case-blind only on MariaDB), so the same users could not move to it."""
    admin = await logged_in(client, await make_entity(), RoleId.ADMIN)
    first = new_user()
    made = await client.post("/api/auth/users", json=first, headers=admin.auth)
    assert made.status_code == 201, made.text
    again = new_user(username=str(first["username"]).upper())
    taken = await client.post("/api/auth/users", json=again, headers=admin.auth)
    assert taken.status_code == 409, taken.text
    assert taken.json()["errors"] == [{"field": "username", "message": "already in use"}]


async def test_admins_removing_each_other_at_once_leave_one_admin(client: httpx.AsyncClient) -> None:
    """Two admins demoting (or deactivating) each other in the same moment: the changes are
    served one after the other, and the second admin, no longer one, is refused. Both used to
    pass their checks before either change, leaving the entity with no admin at all."""
    for round_ in range(6):
        entity = await make_entity()
        first = await logged_in(client, entity, RoleId.ADMIN)
        second = await logged_in(client, entity, RoleId.ADMIN)
        demote = {"role": "sales_rep"}
        answers = await asyncio.gather(
            client.patch(f"/api/auth/users/{second.id}/role", json=demote, headers=first.auth),
            client.delete(f"/api/auth/users/{first.id}", headers=second.auth)
            if round_ % 2
            else client.patch(f"/api/auth/users/{first.id}/role", json=demote, headers=second.auth),
        )
        assert sorted(a.status_code for a in answers) == [200, 403], [a.text for a in answers]
        admins = User.filter(entity_id=entity.id, role_id=int(RoleId.ADMIN), is_active=True)
        assert await admins.count() == 1


async def test_a_manager_cannot_change_a_rep_promoted_in_the_same_moment(client: httpx.AsyncClient) -> None:
    """A manager moving a rep to support while an admin makes the rep a manager: whichever comes
    second sees the other's change, so a manager never demotes a manager and the rep ends a
    manager either way (the manager's check used to read the rep before the promotion)."""
    for _ in range(6):
        entity = await make_entity()
        admin = await logged_in(client, entity, RoleId.ADMIN)
        manager = await logged_in(client, entity, RoleId.MANAGER)
        rep = await make_user(entity)
        promoted, moved = await asyncio.gather(
            client.patch(f"/api/auth/users/{rep.id}/role", json={"role": "manager"}, headers=admin.auth),
            client.patch(f"/api/auth/users/{rep.id}/role", json={"role": "support"}, headers=manager.auth),
        )
        assert promoted.status_code == 200 and moved.status_code in (200, 403)
        assert (await User.get(id=rep.id)).role_id == int(RoleId.MANAGER)
