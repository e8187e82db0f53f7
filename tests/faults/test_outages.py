"""Faults: a Redis and a MariaDB of the test's own are killed, frozen and started again under a
steady flow of website deliveries. Every delivery answers within a bound (2xx or 503), no lead
that was acknowledged is lost, every event reaches the floor after recovery, each outage is
logged once, and nothing needs a restart."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_DB, recreate_mysql_database
from tests.faults.harness import Deployment, Flow, base_env, deliver, login, prepared, steady, stored
from tests.faults.services import OwnMariaDB, OwnRedis
from tests.mailbox import free_port
from tests.procs import process, until_up
from tests.realtime.clients import Listener
from tests.test_schema import own_sibling

pytestmark = pytest.mark.skipif(TEST_DB != "mysql", reason="fault tests run in the MariaDB + Redis run")

BOUND = 1.5  # seconds any delivery may take, outage or not (DB_TIMEOUT 0.75 s + a margin)


async def test_a_redis_outage_loses_nothing_and_the_worker_carries_on(tmp_path: Path) -> None:
    redis = OwnRedis()
    await redis.start()
    database = own_sibling("faults_redis")
    await recreate_mysql_database(database)
    env = base_env(database, REDIS_URL=redis.url)
    email, key = prepared(env)
    logs = [tmp_path / name for name in ("server.log", "other-server.log", "worker.log")]
    url = f"http://127.0.0.1:{env['PORT']}"
    other_env = {**env, "PORT": str(free_port())}
    other = f"http://127.0.0.1:{other_env['PORT']}"
    try:
        async with (
            process(env, "server.py", log=logs[0]),
            process(other_env, "server.py", log=logs[1]),
            process(env, "-m", "salesmagnet", "worker", log=logs[2]) as worker,
        ):
            assert await until_up(url, "/ready") and await until_up(other, "/ready")
            deployment = Deployment(url, key, await login(url, email), logs)
            # Leads arrive at one server, the floor watches through another: what Redis refused
            # reaches it only through the worker's relay.
            floor = await Listener().connect(other, deployment.token)
            flow, stop = Flow(), asyncio.Event()
            sending = asyncio.create_task(steady(url, key, flow, 25, stop))
            await asyncio.sleep(2)
            redis.kill()
            await asyncio.sleep(1)
            async with httpx.AsyncClient(base_url=url, timeout=5) as http:
                started = time.monotonic()
                ready = await http.get("/ready")
                assert time.monotonic() - started < 1.2
                # still serving (CONTRACT §5: 503 only without the database), Redis named as away
                assert ready.status_code == 200 and ready.json()["checks"]["redis"] == "unreachable"
                assert ready.json()["status"] == "degraded"
            await asyncio.sleep(9)
            await redis.start()  # the same port: servers and the worker find it again by themselves
            recovered = time.monotonic()
            await asyncio.sleep(3)
            stop.set()
            await sending

            # Leads are still taken while Redis is away: limits fall back to per process, events
            # wait in the outbox.
            assert flow.statuses() == {201}, flow.statuses()
            assert flow.slowest() < BOUND
            assert await stored(deployment, flow.accepted) == flow.accepted  # no acknowledged lead lost
            # Every new lead reaches the floor, those committed while Redis was away through the
            # worker's relay, within 15 s of Redis returning.
            announced = lambda: {d["lead"]["id"] for d in floor.named("lead:new")}  # noqa: E731
            await floor.wait_for(
                lambda: flow.accepted <= announced(), limit=15 - (time.monotonic() - recovered)
            )
            # Each once, the relay's pass over what Redis refused included (it waits 5 s).
            await asyncio.sleep(max(0.0, 14 - (time.monotonic() - recovered)))
            assert len(floor.seqs()) == len(set(floor.seqs()))
            await floor.close()
            assert worker.returncode is None  # the worker rode it out
            assert deployment.log_lines("redis unreachable") == 3  # once in each process
            assert deployment.log_lines("redis is back") == 3
            assert deployment.log_lines("Traceback") == 0, logs[0].read_text()[-3000:]
    finally:
        redis.kill()


async def test_a_frozen_then_killed_database_answers_503_and_recovers(tmp_path: Path) -> None:
    mariadb = OwnMariaDB(tmp_path)
    await mariadb.start()
    try:
        await mariadb.create("salesmagnet")
        env = base_env(mariadb.url("salesmagnet"))  # no Redis: the embedded job runner
        email, key = prepared(env)
        url = f"http://127.0.0.1:{env['PORT']}"
        log = tmp_path / "server.log"
        async with process(env, "server.py", log=log):
            assert await until_up(url, "/ready")
            deployment = Deployment(url, key, await login(url, email), [log])
            flow = Flow()
            async with httpx.AsyncClient(base_url=url, timeout=10) as http:
                await asyncio.gather(*(deliver(http, key, flow) for _ in range(5)))
                assert flow.statuses() == {201}

                for outage in (mariadb.freeze, mariadb.kill):
                    outage()
                    during = Flow()
                    await asyncio.gather(*(deliver(http, key, during) for _ in range(10)))
                    assert during.statuses() == {503}, during.answers
                    assert during.slowest() < BOUND
                    started = time.monotonic()
                    ready = await http.get("/ready")
                    assert time.monotonic() - started < 1.2
                    assert ready.status_code == 503 and ready.json()["checks"]["database"] == "unreachable"
                    login_attempt = await http.post("/api/auth/login", json={"email": email, "password": "x"})
                    assert login_attempt.status_code == 503
                    if outage == mariadb.freeze:
                        mariadb.thaw()
                    else:
                        await mariadb.start()
                    await _until_ready(http)
                    after = Flow()
                    await asyncio.gather(*(deliver(http, key, after) for _ in range(5)))
                    assert after.statuses() == {201}, after.answers  # no restart needed
                    flow.answers += during.answers + after.answers
            assert await stored(deployment, flow.accepted) == flow.accepted
            await asyncio.sleep(0.5)
        assert deployment.log_lines("database unreachable") == 2  # once per outage
        assert deployment.log_lines("database is back") == 2
        assert deployment.log_lines("Traceback") == 0, log.read_text()[-3000:]
    finally:
        mariadb.kill()


async def _until_ready(http: httpx.AsyncClient, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while (await http.get("/ready")).status_code != 200:
        assert time.monotonic() < deadline, "never ready again"
        await asyncio.sleep(0.1)


async def test_sockets_connected_through_a_redis_restart_are_online_again(tmp_path: Path) -> None:
    # Redis keeps nothing on disk: a restart empties presence while the sockets stay connected.
    redis = OwnRedis()
    await redis.start()
    database = own_sibling("presence")
    await recreate_mysql_database(database)
    env = base_env(database, REDIS_URL=redis.url)
    email, _ = prepared(env)
    url = f"http://127.0.0.1:{env['PORT']}"
    try:
        async with process(env, "server.py", log=tmp_path / "server.log"):
            assert await until_up(url, "/ready")
            token = await login(url, email)
            floor = await Listener().connect(url, token)
            async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}) as http:

                async def online() -> list[int]:
                    answer = await http.get("/api/realtime/presence")
                    return [u["user_id"] for u in answer.json()["data"]] if answer.status_code == 200 else []

                await floor.wait_for(lambda: len(floor.named("presence:changed")) == 1)
                me = floor.named("presence:changed")[0]["user_id"]
                assert await online() == [me]
                redis.kill()
                await asyncio.sleep(1)
                await redis.start()
                deadline = time.monotonic() + 10  # two heartbeats
                while await online() != [me]:
                    assert time.monotonic() < deadline, "a connected user stays offline after Redis restarted"
                    await asyncio.sleep(0.2)
                # the floor is told, once, that the user is (still) online
                await floor.wait_for(lambda: len(floor.named("presence:changed")) == 2)
                assert floor.named("presence:changed")[1]["online"] is True
                await floor.quiet(6)
                assert len(floor.named("presence:changed")) == 2
            await floor.close()
    finally:
        redis.kill()
