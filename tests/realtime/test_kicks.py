"""Access that ends or changes ends the user's open sockets at once: deactivation, a role
change, a password reset, logout-all; and the periodic re-check catches what no notice told."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import httpx
import jwt
import pytest
import socketio

from models import Entity, RefreshToken, RoleId, User
from salesmagnet.auth import tokens
from salesmagnet.db import utcnow
from tests.auth.test_codes import request_reset
from tests.conftest import SECRET, Served
from tests.factories import TestUser, logged_in, login, make_entity, make_lead
from tests.mailbox import Mailbox
from tests.realtime.clients import Listener
from tests.realtime.test_sockets import listen

KICKED_WITHIN = 1.0  # seconds


async def dropped(listener: Listener) -> None:
    await listener.wait_for(lambda: not listener.client.connected, limit=KICKED_WITHIN)


async def team(served: Served, client: httpx.AsyncClient) -> tuple[TestUser, TestUser, Listener, Listener]:
    """An admin and a rep of a new entity, each with a settled socket."""
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    rep = await logged_in(client, entity)
    return admin, rep, await listen(served, admin), await listen(served, rep)


async def test_deactivation_disconnects_and_keeps_out(served: Served, client: httpx.AsyncClient) -> None:
    admin, rep, watcher, target = await team(served, client)
    second = await listen(served, rep, settle=False)  # every socket of the user goes
    try:
        assert (await client.delete(f"/api/auth/users/{rep.id}", headers=admin.auth)).status_code == 200
        await dropped(target)
        await dropped(second)
        await make_lead(await Entity.get(id=admin.entity_id))
        await watcher.wait_for(lambda: bool(watcher.named("lead:new")))
        assert watcher.client.connected  # the others stay
        assert not target.named("lead:new")
        with pytest.raises(socketio.exceptions.ConnectionError):
            await Listener().connect(served.url, rep.token)
    finally:
        for listener in (watcher, target, second):
            await listener.close()


async def test_deactivation_by_update_disconnects(served: Served, client: httpx.AsyncClient) -> None:
    admin, rep, watcher, target = await team(served, client)
    try:
        body = {"is_active": False}
        assert (
            await client.put(f"/api/auth/users/{rep.id}", json=body, headers=admin.auth)
        ).status_code == 200
        await dropped(target)
        assert watcher.client.connected
    finally:
        await watcher.close()
        await target.close()


async def test_role_change_disconnects_and_the_same_token_reconnects(
    served: Served, client: httpx.AsyncClient
) -> None:
    admin, rep, watcher, target = await team(served, client)
    try:
        changed = await client.patch(
            f"/api/auth/users/{rep.id}/role", json={"role": "support"}, headers=admin.auth
        )
        assert changed.status_code == 200
        await dropped(target)
        again = await listen(served, rep)  # the same token: authenticated afresh, as support now
        session = await served.app.ctx.hub.sio.get_session(again.client.get_sid("/"))
        assert session["actor"].role == RoleId.SUPPORT
        await again.close()
    finally:
        await watcher.close()
        await target.close()


async def test_password_reset_disconnects(
    served: Served, client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    _, rep, watcher, target = await team(served, client)
    try:
        code = await request_reset(client, mailbox, rep.email)
        verified = await client.post("/api/auth/password/verify-otp", json={"email": rep.email, "otp": code})
        body = {"token": verified.json()["data"]["token"], "new_password": "Brand-n3w-pass"}
        assert (await client.post("/api/auth/password/update", json=body)).status_code == 200
        await dropped(target)
        assert watcher.client.connected
    finally:
        await watcher.close()
        await target.close()


async def test_logout_all_disconnects(served: Served, client: httpx.AsyncClient) -> None:
    _, rep, watcher, target = await team(served, client)
    try:
        assert (await client.post("/api/auth/logout-all", headers=rep.auth)).status_code == 200
        await dropped(target)
        assert watcher.client.connected
    finally:
        await watcher.close()
        await target.close()


async def test_recheck_drops_sockets_no_notice_told_of(served: Served, client: httpx.AsyncClient) -> None:
    _, rep, watcher, target = await team(served, client)
    try:
        # Changed behind the services' back (another tool, a lost notice): no kick is sent; a
        # re-check drops the socket (this one, or the periodic one every 30 s if it came first:
        # waiting to see the socket still up raced it).
        await User.filter(id=rep.id).update(is_active=False)
        await served.app.ctx.hub.recheck()
        await dropped(target)
        assert watcher.client.connected
    finally:
        await watcher.close()
        await target.close()


async def test_a_socket_ends_when_its_token_expires(served: Served, client: httpx.AsyncClient) -> None:
    """A socket does not outlive the access token it was opened with (REST answers 401 then):
    the re-check ends it, and the client reconnects with a renewed token."""
    _, rep, watcher, _ = await team(served, client)
    claims = jwt.decode(rep.token, options={"verify_signature": False})
    short, _ = tokens.encode(SECRET, claims, tokens.ACCESS, timedelta(seconds=2))
    brief = await listen(served, replace(rep, token=short), settle=False)  # the rep is online already
    try:
        await served.app.ctx.hub.recheck()
        assert brief.client.connected  # not expired yet
        await asyncio.sleep(2.1)
        await served.app.ctx.hub.recheck()
        await dropped(brief)
        assert watcher.client.connected
        with pytest.raises(socketio.exceptions.ConnectionError):
            await Listener().connect(served.url, short)
    finally:
        await watcher.close()
        await brief.close()


async def test_logout_disconnects_the_sockets_of_that_sign_in_only(
    served: Served, client: httpx.AsyncClient
) -> None:
    """A sign-out ends that sign-in's sockets at once; the user's other device stays connected."""
    _, rep, watcher, floor = await team(served, client)
    phone = await login(client, replace(rep))
    other = await listen(served, phone, settle=False)  # the rep is online already
    try:
        out = await client.post("/api/auth/logout", json={"refresh_token": rep.refresh}, headers=rep.auth)
        assert out.status_code == 200
        await dropped(floor)
        await other.quiet()
        assert other.client.connected and watcher.client.connected
        with pytest.raises(socketio.exceptions.ConnectionError):
            await Listener().connect(served.url, rep.token)
        # The periodic re-check agrees: the other device's socket still stands.
        await served.app.ctx.hub.recheck()
        assert other.client.connected
    finally:
        for listener in (watcher, floor, other):
            await listener.close()


async def test_the_recheck_ends_a_socket_whose_sign_in_ended_unannounced(
    served: Served, client: httpx.AsyncClient
) -> None:
    _, rep, watcher, target = await team(served, client)
    try:
        # Revoked behind the services' back (a lost notice): the re-check finds it.
        await RefreshToken.filter(user_id=rep.id).update(revoked_at=utcnow())
        await served.app.ctx.hub.recheck()
        await dropped(target)
        assert watcher.client.connected
    finally:
        await watcher.close()
        await target.close()
