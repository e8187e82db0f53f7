"""Refresh-token rotation, reuse detection, logout and deactivation."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import httpx
import jwt

from models import RefreshToken, RoleId
from salesmagnet.auth import tokens
from salesmagnet.db import utcnow
from tests.conftest import SECRET
from tests.factories import PASSWORD, logged_in, login, make_entity, make_user


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/auth/refresh", json={"refresh_token": token})


async def test_rotation_gives_a_new_working_pair(client: httpx.AsyncClient) -> None:
    user = await logged_in(client, await make_entity())
    response = await refresh(client, user.refresh)
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["refresh_token"] != user.refresh
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {data['access_token']}"})
    assert me.status_code == 200 and me.json()["data"]["id"] == user.id


async def test_reuse_revokes_the_login_but_not_other_logins(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    user = await make_user(entity)
    first = await login(client, user)
    spent = first.refresh
    other_login = (
        await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    ).json()["data"]
    fresh = (await refresh(client, spent)).json()["data"]["refresh_token"]

    reused = await refresh(client, spent)
    assert reused.status_code == 401 and "already used" in reused.json()["message"]
    # The whole family is gone, including the token issued by the legitimate rotation (never
    # used: its answer says it was revoked)…
    revoked = await refresh(client, fresh)
    assert revoked.status_code == 401 and "revoked; sign in again" in revoked.json()["message"]
    # …while the user's other login goes on.
    assert (await refresh(client, other_login["refresh_token"])).status_code == 200


async def test_logout_ends_the_session(client: httpx.AsyncClient) -> None:
    user = await logged_in(client, await make_entity())
    out = await client.post("/api/auth/logout", json={"refresh_token": user.refresh}, headers=user.auth)
    assert out.status_code == 200
    assert out.json() == {"success": True, "data": None, "message": "Signed out"}
    assert (await refresh(client, user.refresh)).status_code == 401


async def test_logout_ends_the_access_tokens_of_that_sign_in_only(client: httpx.AsyncClient) -> None:
    """Signing out of a shared machine ends that sign-in at once (its access tokens too, the one
    a refresh gave as well as the first); the user's sign-in on another device goes on."""
    user = await make_user(await make_entity())
    floor = await login(client, replace(user))
    phone = await login(client, replace(user))
    first_access = floor.auth
    renewed = (await refresh(client, floor.refresh)).json()["data"]
    floor.token, floor.refresh = renewed["access_token"], renewed["refresh_token"]
    assert (await client.get("/api/auth/me", headers=floor.auth)).status_code == 200

    out = await client.post("/api/auth/logout", json={"refresh_token": floor.refresh}, headers=floor.auth)
    assert out.status_code == 200
    for auth in (floor.auth, first_access):
        gone = await client.get("/api/auth/me", headers=auth)
        assert gone.status_code == 401 and gone.json()["message"] == "Token revoked"
    assert (await refresh(client, floor.refresh)).status_code == 401
    assert (await client.get("/api/auth/me", headers=phone.auth)).status_code == 200
    assert (await refresh(client, phone.refresh)).status_code == 200
    again = await login(client, replace(user))  # signing in again on the floor works
    assert (await client.get("/api/auth/me", headers=again.auth)).status_code == 200


async def test_a_reused_refresh_token_ends_the_access_tokens_of_its_sign_in(
    client: httpx.AsyncClient,
) -> None:
    user = await make_user(await make_entity())
    first = await login(client, replace(user))
    other = await login(client, replace(user))
    assert (await refresh(client, first.refresh)).status_code == 200
    assert (await refresh(client, first.refresh)).status_code == 401  # reused: the login is revoked
    assert (await client.get("/api/auth/me", headers=first.auth)).status_code == 401
    assert (await client.get("/api/auth/me", headers=other.auth)).status_code == 200


async def test_a_refresh_token_made_as_its_sign_in_ended_does_not_revive_it(
    client: httpx.AsyncClient,
) -> None:
    """A rotation racing a sign-out: the sign-out revoked the family's rows just before the
    rotation inserted its new token. That token is refused, as its access token is."""
    user = await login(client, await make_user(await make_entity()))
    renewed = (await refresh(client, user.refresh)).json()["data"]
    await RefreshToken.filter(token_hash=tokens.digest(user.refresh)).update(revoked_at=utcnow())
    survivor = await refresh(client, renewed["refresh_token"])
    assert survivor.status_code == 401 and "revoked" in survivor.json()["message"]
    late = {"Authorization": f"Bearer {renewed['access_token']}"}
    assert (await client.get("/api/auth/me", headers=late)).status_code == 401


async def test_an_access_token_from_before_sign_ins_were_named_works_until_it_expires(
    client: httpx.AsyncClient,
) -> None:
    """Tokens issued before `sid` existed carry none: a sign-out does not end them (nothing
    names their sign-in), logout-all and expiry still do."""
    user = await login(client, await make_user(await make_entity()))
    claims = jwt.decode(user.token, options={"verify_signature": False})
    del claims["sid"]
    old, _ = tokens.encode(SECRET, claims, tokens.ACCESS, timedelta(hours=1))
    old_auth = {"Authorization": f"Bearer {old}"}
    assert (await client.get("/api/auth/me", headers=old_auth)).status_code == 200
    out = await client.post("/api/auth/logout", json={"refresh_token": user.refresh}, headers=old_auth)
    assert out.status_code == 200
    assert (await refresh(client, user.refresh)).status_code == 401
    assert (await client.get("/api/auth/me", headers=old_auth)).status_code == 200
    assert (await client.post("/api/auth/logout-all", headers=old_auth)).status_code == 200
    assert (await client.get("/api/auth/me", headers=old_auth)).status_code == 401


async def test_logout_cannot_end_someone_elses_session(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    victim = await logged_in(client, entity)
    attacker = await logged_in(client, entity)
    await client.post("/api/auth/logout", json={"refresh_token": victim.refresh}, headers=attacker.auth)
    assert (await client.get("/api/auth/me", headers=victim.auth)).status_code == 200
    assert (await refresh(client, victim.refresh)).status_code == 200


async def test_deactivated_user_is_refused_at_once(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    rep = await logged_in(client, entity)
    assert (await client.get("/api/auth/me", headers=rep.auth)).status_code == 200
    gone = await client.delete(f"/api/auth/users/{rep.id}", headers=admin.auth)
    assert gone.status_code == 200
    assert (await client.get("/api/auth/me", headers=rep.auth)).status_code == 401
    assert (await refresh(client, rep.refresh)).status_code == 401
    again = await client.post("/api/auth/login", json={"email": rep.email, "password": PASSWORD})
    assert again.status_code == 403


async def test_bad_refresh_bodies(client: httpx.AsyncClient) -> None:
    assert (await refresh(client, "made-up")).status_code == 401
    response = await client.post("/api/auth/refresh", json={})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "refresh_token"


async def test_reactivation_does_not_bring_old_tokens_back(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    rep = await logged_in(client, entity)
    assert (await client.delete(f"/api/auth/users/{rep.id}", headers=admin.auth)).status_code == 200
    back = await client.put(f"/api/auth/users/{rep.id}", json={"is_active": True}, headers=admin.auth)
    assert back.status_code == 200 and back.json()["data"]["is_active"] is True
    old = await client.get("/api/auth/me", headers=rep.auth)
    assert old.status_code == 401 and old.json()["message"] == "Token revoked"
    assert (await refresh(client, rep.refresh)).status_code == 401
    await login(client, rep)  # a new sign-in works
    assert (await client.get("/api/auth/me", headers=rep.auth)).status_code == 200


async def test_deactivation_by_update_ends_tokens_for_good(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    rep = await logged_in(client, entity)
    for active in (False, True):
        body = {"is_active": active}
        assert (
            await client.put(f"/api/auth/users/{rep.id}", json=body, headers=admin.auth)
        ).status_code == 200
    assert (await client.get("/api/auth/me", headers=rep.auth)).status_code == 401


async def test_logout_all_ends_every_session(client: httpx.AsyncClient) -> None:
    user = await make_user(await make_entity())
    first = await login(client, user)
    other = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    second = other.json()["data"]
    out = await client.post("/api/auth/logout-all", headers=first.auth)
    assert out.status_code == 200 and out.json()["success"] is True
    assert (await client.get("/api/auth/me", headers=first.auth)).status_code == 401
    other_auth = {"Authorization": f"Bearer {second['access_token']}"}
    assert (await client.get("/api/auth/me", headers=other_auth)).status_code == 401
    assert (await refresh(client, first.refresh)).status_code == 401
    assert (await refresh(client, second["refresh_token"])).status_code == 401
    assert (await client.post("/api/auth/logout-all")).status_code == 401  # needs a bearer token
