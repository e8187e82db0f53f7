"""Faults: a Redis and a MariaDB of the test's own are killed, frozen and started again under a
steady flow of website deliveries. Every delivery answers within a bound (2xx or 503), no lead
that was acknowledged is lost, every event reaches the floor after recovery, each outage is
logged once, and nothing needs a restart."""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, SECRET, TEST_DB, recreate_mysql_database
from tests.faults.services import OwnMariaDB, OwnRedis
from tests.mailbox import free_port
from tests.procs import run_cli, until_up
from tests.realtime.clients import Listener
from tests.test_schema import sibling_url

pytestmark = pytest.mark.skipif(TEST_DB != "mysql", reason="fault tests run in the MariaDB + Redis run")

BOUND = 1.5  # seconds any delivery may take, outage or not (DB_TIMEOUT 0.75 s + a margin)
PASSWORD = "S3cure!pass"


@dataclass
class Deployment:
    url: str
    key: str
    token: str
    logs: list[Path] = field(default_factory=list)

    def log_lines(self, text: str) -> int:
        return sum(path.read_text().count(text) for path in self.logs)


@dataclass
class Flow:
    """Deliveries sent at a steady rate: (status, seconds, lead_id) of each."""

    answers: list[tuple[int, float, int | None]] = field(default_factory=list)

    @property
    def accepted(self) -> set[int]:
        return {lead for status, _, lead in self.answers if status in (200, 201) and lead}

    def statuses(self) -> set[int]:
        return {status for status, _, _ in self.answers}

    def slowest(self) -> float:
        return max(seconds for _, seconds, _ in self.answers)


async def deliver(http: httpx.AsyncClient, key: str, flow: Flow) -> None:
    body = {
        "source_lead_id": f"fault-{secrets.token_hex(6)}",
        "answers": {"email": f"{secrets.token_hex(5)}@example.com", "first_name": "Fay", "last_name": "Ult"},
    }
    started = time.monotonic()
    try:
        response = await http.post("/webhooks/website", json=body, headers={"X-Webhook-Key": key})
        status, lead = response.status_code, response.json().get("lead_id")
        if status == 503:
            assert response.headers.get("retry-after"), response.text
    except httpx.TimeoutException:
        status, lead = 0, None
    flow.answers.append((status, time.monotonic() - started, lead))


async def steady(url: str, key: str, flow: Flow, per_second: float, stop: asyncio.Event) -> None:
    """Deliveries at `per_second`, each on its own (a slow one never delays the next)."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        sent: set[asyncio.Task[None]] = set()
        while not stop.is_set():
            sent.add(asyncio.create_task(deliver(http, key, flow)))
            await asyncio.sleep(1 / per_second)
        await asyncio.gather(*sent)


@asynccontextmanager
async def process(env: dict[str, str], log: Path, *args: str) -> AsyncIterator[asyncio.subprocess.Process]:
    with log.open("w") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *args, cwd=ROOT, env=env, stdout=out, stderr=out
        )
        try:
            yield proc
        finally:
            if proc.returncode is None:
                proc.terminate()
                await asyncio.wait_for(proc.wait(), 20)


def prepared(env: dict[str, str]) -> tuple[str, str]:
    """Migrate, make an admin and the entity's webhook key: (admin e-mail, key)."""
    assert run_cli(env, "migrate").returncode == 0
    email = f"admin-{secrets.token_hex(4)}@example.com"
    made = run_cli(env, "create-user", "--entity", "fxcareers", "--role", "admin", "--email", email,
                   "--password", PASSWORD)  # fmt: skip
    assert made.returncode == 0, made.stderr
    key = run_cli(env, "webhook-key", "--entity", "fxcareers")
    assert key.returncode == 0, key.stderr
    return email, key.stdout.strip().splitlines()[-1]


async def login(url: str, email: str) -> str:
    async with httpx.AsyncClient(base_url=url) as http:
        response = await http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return str(response.json()["data"]["access_token"])


def base_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "JWT_SECRET": SECRET,
        "SALESMAGNET_ENV": "test",
        "PORT": str(free_port()),
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        **extra,
    }


async def stored(deployment: Deployment, ids: set[int]) -> set[int]:
    """Which of these leads the API finds."""
    headers = {"Authorization": f"Bearer {deployment.token}"}
    async with httpx.AsyncClient(base_url=deployment.url, headers=headers, timeout=10) as http:
        found = set()
        for lead_id in ids:
            response = await http.get(f"/api/leads/{lead_id}")
            if response.status_code == 200:
                found.add(lead_id)
        return found


async def test_a_redis_outage_loses_nothing_and_the_worker_carries_on(tmp_path: Path) -> None:
    redis = OwnRedis()
    await redis.start()
    database = sibling_url(os.environ["TEST_MYSQL_URL"], "salesmagnet_faults_redis")
    await recreate_mysql_database(database)
    env = base_env(database, REDIS_URL=redis.url)
    email, key = prepared(env)
    server_log, worker_log = tmp_path / "server.log", tmp_path / "worker.log"
    url = f"http://127.0.0.1:{env['PORT']}"
    try:
        async with (
            process(env, server_log, "server.py"),
            process(env, worker_log, "-m", "salesmagnet", "worker") as worker,
        ):
            assert await until_up(url, "/ready")
            deployment = Deployment(url, key, await login(url, email), [server_log, worker_log])
            floor = await Listener().connect(url, deployment.token)
            flow, stop = Flow(), asyncio.Event()
            sending = asyncio.create_task(steady(url, key, flow, 25, stop))
            await asyncio.sleep(2)
            redis.kill()
            await asyncio.sleep(1)
            async with httpx.AsyncClient(base_url=url, timeout=5) as http:
                started = time.monotonic()
                ready = await http.get("/ready")
                assert time.monotonic() - started < 1.2
                assert ready.status_code == 503 and ready.json()["checks"]["redis"] == "unreachable"
            await asyncio.sleep(9)
            await redis.start()  # the same port: servers and the worker find it again by themselves
            recovered = time.monotonic()
            await asyncio.sleep(3)
            stop.set()
            await sending

            assert flow.statuses() <= {200, 201, 503}, flow.statuses()
            assert flow.slowest() < BOUND
            assert await stored(deployment, flow.accepted) == flow.accepted  # no acknowledged lead lost
            # Every new lead reaches the floor, those committed while Redis was away through the
            # worker's relay, within 15 s of Redis returning.
            announced = lambda: {d["lead"]["id"] for d in floor.named("lead:new")}  # noqa: E731
            await floor.wait_for(
                lambda: flow.accepted <= announced(), limit=15 - (time.monotonic() - recovered)
            )
            assert floor.seqs() == sorted(set(floor.seqs()))  # each once, in order
            await floor.close()
            assert worker.returncode is None  # the worker rode it out
            assert deployment.log_lines("redis unreachable") == 2  # once in each process
            assert deployment.log_lines("redis is back") == 2
            assert deployment.log_lines("Traceback") == 0, server_log.read_text()[-3000:]
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
        async with process(env, log, "server.py"):
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
