"""Real processes: replay across a server restart, and two servers plus an arq worker sharing
Redis behaving as one server."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
import pytest
from redis.asyncio import Redis
from tortoise.transactions import in_transaction

from models import Entity, EventDelivery, EventOutbox, RoleId
from realtime.manager import CHANNEL, StrictRedisManager
from salesmagnet import events
from salesmagnet.presence.store import RedisPresence
from tests.conftest import SECRET, TEST_DB, Served, recreate_mysql_database, worker_env
from tests.factories import TestUser, logged_in, make_entity
from tests.mailbox import free_port
from tests.procs import process, run_cli, until_up
from tests.realtime.clients import Listener
from tests.test_schema import own_sibling


@asynccontextmanager
async def server(env: dict[str, str]) -> AsyncIterator[str]:
    url = f"http://127.0.0.1:{env['PORT']}"
    async with process(env, "server.py"):
        assert await until_up(url, "/ready")
        yield url


def presence_of(listener: Listener, user_id: int) -> list[bool]:
    return [d["online"] for d in listener.named("presence:changed") if d["user_id"] == user_id]


async def until(ready: Callable[[], bool], limit: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + limit
    while not ready():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def until_counted(entity_id: int, user_id: int, sockets: int) -> None:
    """Wait until presence counts `sockets` connections of the user (in Redis, every process's)."""
    redis = Redis.from_url(os.environ["TEST_REDIS_URL"])
    try:
        presence = RedisPresence(redis)
        for _ in range(500):
            if await presence.connections(entity_id, user_id) == sockets:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"presence never counted {sockets} sockets of user {user_id}")
    finally:
        await redis.aclose()


async def login(url: str, email: str) -> str:
    async with httpx.AsyncClient(base_url=url) as http:
        response = await http.post("/api/auth/login", json={"email": email, "password": "S3cure!pass"})
        assert response.status_code == 200, response.text
        return str(response.json()["data"]["access_token"])


async def test_replay_across_a_server_restart(tmp_path: object) -> None:
    env = {
        **os.environ,
        "JWT_SECRET": SECRET,
        "SALESMAGNET_ENV": "test",
        "PORT": str(free_port()),
        "LOG_LEVEL": "WARNING",
    }
    if TEST_DB == "mysql":
        env["DATABASE_URL"] = own_sibling("restart")
        env["REDIS_URL"] = os.environ["TEST_REDIS_URL"]
        await recreate_mysql_database(env["DATABASE_URL"])
    else:
        env["DATABASE_URL"] = f"sqlite://{tmp_path}/restart.db"
    assert run_cli(env, "migrate").returncode == 0
    for email in ("one@example.com", "two@example.com"):
        assert (
            run_cli(
                env,
                "create-user",
                "--entity",
                "yamarkets",
                "--role",
                "sales_rep",
                "--email",
                email,
                "--password",
                "S3cure!pass",
            ).returncode
            == 0
        )
    async with server(env) as url:
        one_token, two_token = await login(url, "one@example.com"), await login(url, "two@example.com")
        one = await Listener().connect(url, one_token)
        await until(lambda: bool(one.seqs()))
        two = await Listener().connect(url, two_token)
        await until(lambda: len(one.seqs()) >= 2)
        seen = one.seqs()[-1]
        await one.close()
        await two.close()
        await asyncio.sleep(0.5)  # both offline announcements committed
    async with server(env) as url:  # a new process: nothing in memory survives
        again = await Listener().connect(url, one_token, last_seq=seen)
        try:
            await until(lambda: len(again.seqs()) >= 3)
            await again.quiet(0.3)
            assert again.seqs() == [seen + 1, seen + 2, seen + 3]  # one offline, two offline, one online
            assert [d["online"] for _, d in again.received] == [False, False, True]
        finally:
            await again.close()


@pytest.mark.skipif(TEST_DB != "mysql", reason="several processes need MariaDB and Redis")
async def test_two_servers_and_a_worker_behave_as_one(served: Served, client: httpx.AsyncClient) -> None:
    base = {
        **os.environ,
        "DATABASE_URL": served.settings.database_url,
        "REDIS_URL": os.environ["TEST_REDIS_URL"],
        "JWT_SECRET": SECRET,
        "SALESMAGNET_ENV": "test",
        "LOG_LEVEL": "WARNING",
    }
    entity = await make_entity()
    watcher_user: TestUser = await logged_in(client, entity)
    mover: TestUser = await logged_in(client, entity, RoleId.MANAGER)
    admin: TestUser = await logged_in(client, entity, RoleId.ADMIN)
    async with (
        server({**base, "PORT": str(free_port()), "WORKERS": "2"}) as first,  # uvicorn workers
        server({**base, "PORT": str(free_port())}) as second,
        process(base, "-m", "salesmagnet", "worker"),
    ):
        watcher = await Listener().connect(second, watcher_user.token)
        bystander = await Listener().connect(first, watcher_user.token)
        try:
            await until(lambda: presence_of(watcher, watcher_user.id) == [True])
            a = await Listener().connect(first, mover.token)
            b = await Listener().connect(second, mover.token)
            await until(lambda: presence_of(watcher, mover.id) == [True])
            # A socket's presence is recorded after its connect is acknowledged: closing `a`
            # before `b` counted would rightly take the mover offline, then online again.
            await until_counted(entity.id, mover.id, 2)
            await a.close()
            await watcher.quiet(0.5)
            assert presence_of(watcher, mover.id) == [True]  # still online on the other server
            await b.close()
            await until(lambda: presence_of(watcher, mover.id) == [True, False])

            # A commit whose process died before publishing: the worker's relay delivers it
            # to sockets on both servers.
            async with in_transaction("default"):
                orphan = (
                    await events.write_outbox([events.Event("lead:new", entity.id, {"lead": {"id": 9}})])
                )[0]
            await EventOutbox.filter(event_id=orphan.event_id).update(
                created_at=events.now() - timedelta(seconds=60)
            )
            for listener in (watcher, bystander):
                await until(lambda listener=listener: bool(listener.named("lead:new")), limit=15)
                assert [d["seq"] for d in listener.named("lead:new")] == [orphan.seq]
            # Each socket saw every seq once, in order.
            for listener in (watcher, bystander):
                assert listener.seqs() == sorted(set(listener.seqs()))

            # Access ended through one server ends on the other at once, though the other had
            # just let the user in (and keeps what authentication read for two seconds).
            async with httpx.AsyncClient(base_url=second) as there, httpx.AsyncClient(base_url=first) as here:
                assert (await there.get("/api/auth/me", headers=mover.auth)).status_code == 200
                ended = await here.delete(f"/api/auth/users/{mover.id}", headers=admin.auth)
                assert ended.status_code == 200
                started = asyncio.get_running_loop().time()
                while (await there.get("/api/auth/me", headers=mover.auth)).status_code != 401:
                    assert asyncio.get_running_loop().time() - started < 0.5, "still let in"
                    await asyncio.sleep(0.01)
        finally:
            await watcher.close()
            await bystander.close()


async def test_a_command_s_events_reach_sockets_as_it_ends(served: Served, client: httpx.AsyncClient) -> None:
    """With Redis, a command (here analytics-rebuild) publishes what it committed itself, as a
    worker does, instead of leaving it to the servers' relay (seconds late, after newer events)."""
    if TEST_DB != "mysql":
        pytest.skip("without Redis a command has no way to the sockets: the relay brings its events")
    entity = await make_entity()
    listener = await Listener().connect(served.url, (await logged_in(client, entity, RoleId.MANAGER)).token)
    try:
        done = await asyncio.to_thread(
            run_cli, worker_env(served), "analytics-rebuild", "--entity", entity.name
        )
        assert done.returncode == 0, done.stderr
        [rebuilt] = await EventOutbox.filter(entity_id=entity.id, name="analytics:updated")
        # noted delivered by the command itself, before the servers' relay (every 2 s) could
        assert await EventDelivery.filter(event_id=rebuilt.event_id).exists()
        await listener.wait_for(lambda: bool(listener.named("analytics:updated")))
    finally:
        await listener.close()


async def test_other_processes_events_reach_a_socket_in_seq_order_once(
    served: Served, client: httpx.AsyncClient
) -> None:
    """Two processes committing together hand their events over in either order, a process that
    dies before noting a delivery has it sent again by the relay, and one that dies before
    publishing leaves a seq only the outbox has: a socket still gets every seq once, in order (a
    client resuming from the last seq it saw must not skip one)."""
    if TEST_DB != "mysql":
        pytest.skip("one process without Redis: its publisher orders its own commits")
    entity = await make_entity()
    async with elsewhere(served, client, entity) as (listener, other):
        [first] = await commit_unpublished(entity.id, 1)
        await publish(other, first)
        await listener.wait_for(lambda: listener.seqs("lead:updated") == [first.seq])
        one, two, three, four = await commit_unpublished(entity.id, 4)
        for record in (two, one, first, one):  # a race, then the relay's copies
            await publish(other, record)
        await listener.wait_for(lambda: len(listener.seqs("lead:updated")) == 3)
        await publish(other, four)  # `three`'s process died before publishing it
        await listener.wait_for(lambda: len(listener.seqs("lead:updated")) == 5)
        await listener.quiet(0.3)
        assert listener.seqs("lead:updated") == [r.seq for r in (first, one, two, three, four)]
        assert listener.seqs() == sorted(set(listener.seqs()))  # every event of the socket


async def test_a_deployment_on_another_redis_database_is_not_heard(
    served: Served, client: httpx.AsyncClient
) -> None:
    """Deployments sharing a Redis server keep apart by database number (REDIS_URL's /N), but
    Redis pub/sub ignores it: another deployment's events must neither reach this one's sockets
    (its entity of the same id is another tenant) nor silence this one's own pushes."""
    if TEST_DB != "mysql":
        pytest.skip("no Redis without MariaDB here")
    entity = await make_entity()
    ours = served.settings.redis_url or ""
    base, _, db = ours.rpartition("/")
    theirs = f"{base}/{(int(db or 0) + 1) % 16}"  # publishes only: no key of that database is written
    neighbour = StrictRedisManager(theirs, CHANNEL, 1.0, write_only=True)
    async with elsewhere(served, client, entity) as (listener, other):
        try:
            foreign = {"lead": {"id": 1, "email": "theirs@example.com"}, "entity_id": entity.id}
            payload = {**foreign, "seq": 10**6, "event_id": "not-ours", "at": "2026-12-01T09:00:00Z"}
            await neighbour.emit("lead:new", payload, room=f"entity:{entity.id}", namespace="/")
            [record] = await commit_unpublished(entity.id, 1)
            await publish(other, record)
            await listener.wait_for(lambda: bool(listener.named("lead:updated")))
            await listener.quiet(0.3)
            assert listener.named("lead:new") == []
            assert listener.seqs("lead:updated") == [record.seq]
        finally:
            if neighbour.redis is not None:
                await neighbour.redis.aclose()


async def test_a_relayed_copy_from_before_a_process_began_is_not_delivered_by_it(
    served: Served, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process killed before publishing has its events sent by the relay seconds later: a
    server started meanwhile had no socket open when they were committed, and hands its new
    sockets none of them (out of order, after newer ones)."""
    if TEST_DB != "mysql":
        pytest.skip("one process without Redis: no relayed copies from elsewhere")
    entity = await make_entity()
    [before] = await commit_unpublished(entity.id, 1)
    monkeypatch.setattr(served.app.ctx.hub.manager, "_since", time.time())  # this server began now
    async with elsewhere(served, client, entity) as (listener, other):
        [after] = await commit_unpublished(entity.id, 1)
        await publish(other, after)
        await publish(other, before)  # the relay's copy
        await listener.wait_for(lambda: listener.seqs("lead:updated") == [after.seq])
        await listener.quiet(0.3)
        assert listener.seqs("lead:updated") == [after.seq]


async def test_a_late_event_is_delivered_once_though_its_copy_comes_again(
    served: Served, client: httpx.AsyncClient
) -> None:
    """An event reaching this process after later ones it passed (its publisher was slow) goes
    out late; a second copy of it (the relay's, its process having died before noting the
    delivery) must be dropped like any copy. It was delivered again."""
    if TEST_DB != "mysql":
        pytest.skip("one process without Redis: no copies from elsewhere")
    entity = await make_entity()
    slow, _ = await commit_unpublished(entity.id, 2)  # a slow publisher's, then one never sent
    async with elsewhere(served, client, entity) as (listener, other):
        await listener.wait_for(lambda: bool(listener.named("presence:changed")))  # a later seq here
        await publish(other, slow)
        await listener.wait_for(lambda: slow.seq in listener.seqs())
        await publish(other, slow)  # the relay's copy
        [after] = await commit_unpublished(entity.id, 1)
        await publish(other, after)
        await listener.wait_for(lambda: after.seq in listener.seqs())
        await listener.quiet(0.3)
        assert listener.seqs().count(slow.seq) == 1


async def test_a_missing_event_the_outbox_failed_to_give_is_read_again(
    served: Served, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database failing the read of a missing seq does not make the line move past it (its
    live copy would then be dropped as delivered): it is read again."""
    if TEST_DB != "mysql":
        pytest.skip("one process without Redis: its publisher orders its own commits")
    entity = await make_entity()
    read = events.replay_after
    failures = []

    async def failing_once(entity_id: int, seq: int, limit: int = 500) -> list[events.Record]:
        if entity_id == entity.id and not failures:
            failures.append(seq)
            raise ConnectionResetError("the database went away")
        return await read(entity_id, seq, limit)

    async with elsewhere(served, client, entity) as (listener, other):
        [first] = await commit_unpublished(entity.id, 1)
        await publish(other, first)
        await listener.wait_for(lambda: listener.seqs("lead:updated") == [first.seq])
        lost, later = await commit_unpublished(entity.id, 2)
        monkeypatch.setattr(events, "replay_after", failing_once)
        await publish(other, later)  # `lost` never comes by Redis
        await listener.wait_for(lambda: len(listener.seqs("lead:updated")) == 3, limit=5)
        assert failures and listener.seqs("lead:updated") == [first.seq, lost.seq, later.seq]


@asynccontextmanager
async def elsewhere(
    served: Served, client: httpx.AsyncClient, entity: Entity
) -> AsyncIterator[tuple[Listener, StrictRedisManager]]:
    """A manager's socket on the served process, and an emitter standing for another process
    (write-only, as a worker's or another server's publisher)."""
    listener = await Listener().connect(served.url, (await logged_in(client, entity, RoleId.MANAGER)).token)
    other = StrictRedisManager(served.settings.redis_url or "", CHANNEL, 1.0, write_only=True)
    try:
        yield listener, other
    finally:
        await listener.close()
        if other.redis is not None:
            await other.redis.aclose()


async def commit_unpublished(entity_id: int, n: int) -> list[events.Record]:
    """Events committed by a process that has not published them (yet)."""
    async with in_transaction("default"):
        made = [events.Event("lead:updated", entity_id, {"lead": {"id": k}}) for k in range(n)]
        return await events.write_outbox(made)


async def publish(emitter: StrictRedisManager, record: events.Record) -> None:
    await emitter.emit(record.name, record.payload, room=record.rooms(), namespace="/")
