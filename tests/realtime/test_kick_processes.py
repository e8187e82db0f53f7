"""A kick reaches sockets held by another server process, through Redis (MariaDB + Redis only:
a second `server.py` on the suite's own database and Redis db)."""

from __future__ import annotations

import asyncio
import os
from dataclasses import replace

import httpx
import pytest

from models import RoleId
from tests.conftest import SECRET, TEST_DB, Served
from tests.factories import logged_in, login, make_entity
from tests.mailbox import free_port
from tests.realtime.clients import Listener
from tests.realtime.test_kicks import dropped
from tests.realtime.test_processes import server

pytestmark = pytest.mark.skipif(TEST_DB != "mysql", reason="processes share sockets through Redis")


async def test_deactivation_disconnects_a_socket_of_another_process(
    served: Served, client: httpx.AsyncClient
) -> None:
    env = other_env()
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    rep = await logged_in(client, entity)
    async with server(env) as other:
        target = await Listener().connect(other, rep.token)
        try:
            await target.wait_for(
                lambda: any(d["user_id"] == rep.id for d in target.named("presence:changed"))
            )
            # Deactivated through this process; the socket lives in the other one.
            assert (await client.delete(f"/api/auth/users/{rep.id}", headers=admin.auth)).status_code == 200
            await dropped(target)
        finally:
            await target.close()


def other_env() -> dict[str, str]:
    return {
        **os.environ,
        "JWT_SECRET": SECRET,
        "SALESMAGNET_ENV": "test",
        "PORT": str(free_port()),
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": os.environ["TEST_MYSQL_URL"],
        "REDIS_URL": os.environ["TEST_REDIS_URL"],
    }


async def test_a_sign_out_is_refused_at_once_by_another_process(
    served: Served, client: httpx.AsyncClient
) -> None:
    """The other process had the user's row kept (read less than 2 s before); the sign-out's
    notice makes it refuse that sign-in's token at once, its socket included, while the user's
    other sign-in goes on there."""
    user = await logged_in(client, await make_entity())
    phone = await login(client, replace(user))
    async with server(other_env()) as other, httpx.AsyncClient(base_url=other) as far:
        floor_socket = await Listener().connect(other, user.token)
        phone_socket = await Listener().connect(other, phone.token)
        try:
            for auth in (user.auth, phone.auth):
                assert (await far.get("/api/auth/me", headers=auth)).status_code == 200
            out = await client.post(
                "/api/auth/logout", json={"refresh_token": user.refresh}, headers=user.auth
            )
            assert out.status_code == 200
            # The notice travels through Redis beside this answer: allowed 0.5 s (as
            # test_processes allows a deactivation), well within the 2 s the row would be kept.
            await until_refused(far, user.auth, within=0.5)
            assert (await far.get("/api/auth/me", headers=phone.auth)).status_code == 200
            spent = await far.post("/api/auth/refresh", json={"refresh_token": user.refresh})
            assert spent.status_code == 401
            await dropped(floor_socket)
            await phone_socket.quiet()
            assert phone_socket.client.connected
        finally:
            await floor_socket.close()
            await phone_socket.close()


async def until_refused(http: httpx.AsyncClient, auth: dict[str, str], within: float) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while (await http.get("/api/auth/me", headers=auth)).status_code != 401:
        assert asyncio.get_running_loop().time() < deadline, "the token still works"
        await asyncio.sleep(0.02)
