"""A kick reaches sockets held by another server process, through Redis (MariaDB + Redis only:
a second `server.py` on the suite's own database and Redis db)."""

from __future__ import annotations

import os

import httpx
import pytest

from models import RoleId
from tests.conftest import SECRET, TEST_DB, Served
from tests.factories import logged_in, make_entity
from tests.mailbox import free_port
from tests.realtime.clients import Listener
from tests.realtime.test_kicks import dropped
from tests.realtime.test_processes import server

pytestmark = pytest.mark.skipif(TEST_DB != "mysql", reason="processes share sockets through Redis")


async def test_deactivation_disconnects_a_socket_of_another_process(
    served: Served, client: httpx.AsyncClient
) -> None:
    env = {
        **os.environ,
        "JWT_SECRET": SECRET,
        "SALESMAGNET_ENV": "test",
        "PORT": str(free_port()),
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": os.environ["TEST_MYSQL_URL"],
        "REDIS_URL": os.environ["TEST_REDIS_URL"],
    }
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
