"""Operations: request ids, one log format (JSON lines), the webhook key kept out of logs,
Prometheus metrics, and configuration errors as one line with exit 2."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

import server as server_module
from jobs.tasks import FUNCTIONS
from salesmagnet import events, metrics
from salesmagnet.logs import JsonFormatter, TextFormatter
from salesmagnet.queue import LocalQueue
from tests.conftest import ROOT, Served
from tests.factories import logged_in, make_entity
from tests.mailbox import free_port
from tests.procs import process, python, run_cli, until_up
from tests.realtime.clients import Listener, commit


async def sample(client: httpx.AsyncClient, name: str, **labels: str) -> float:
    """One sample's value from GET /metrics (0 when the series does not exist yet)."""
    response = await client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    for family in text_string_to_metric_families(response.text):
        for found in family.samples:
            if found.name == name and all(found.labels.get(k) == v for k, v in labels.items()):
                return float(found.value)
    return 0.0


class Lines(logging.Handler):
    """The formatted lines a logger writes (the server's own formatter)."""

    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__()
        self.setFormatter(formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def access_lines() -> Iterator[Lines]:
    """uvicorn's access log of the in-process server, as JSON lines."""
    logger = logging.getLogger("uvicorn.access")
    handler, level = Lines(JsonFormatter()), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


async def test_request_id_is_taken_or_made_and_echoed(client: httpx.AsyncClient) -> None:
    given = await client.get("/health", headers={"X-Request-ID": "trace-42.abc"})
    assert given.headers["x-request-id"] == "trace-42.abc"
    made = await client.get("/health")
    other = await client.get("/health")
    assert len(made.headers["x-request-id"]) == 32
    assert made.headers["x-request-id"] != other.headers["x-request-id"]
    for bad in ("x" * 129, "tab\there"):
        replaced = (await client.get("/health", headers={"X-Request-ID": bad})).headers["x-request-id"]
        assert replaced != bad and len(replaced) == 32
    missing = await client.get("/no/such/route", headers={"X-Request-ID": "on-errors-too"})
    assert missing.status_code == 404 and missing.headers["x-request-id"] == "on-errors-too"


async def test_access_line_carries_the_request_id_and_no_key(
    client: httpx.AsyncClient, access_lines: Lines
) -> None:
    await client.get("/health", headers={"X-Request-ID": "line-7"})
    await client.post(
        "/webhooks/website?key=hunter2secret&src=x", json={}, headers={"X-Request-ID": "hook-8"}
    )
    lines = [json.loads(line) for line in access_lines.lines]
    health = [line for line in lines if line.get("request_id") == "line-7"]
    assert len(health) == 1 and "GET /health" in health[0]["message"]
    assert {"time", "level", "logger", "message"} <= health[0].keys()
    hook = next(line for line in lines if line.get("request_id") == "hook-8")
    assert "key=[redacted]&src=x" in hook["message"]
    assert "hunter2secret" not in "".join(access_lines.lines)


def test_text_lines_redact_every_spelling_of_the_key() -> None:
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "GET %s", ("/a?k%65y=s1&KEY=s2&b=key=s3",), None
    )
    line = TextFormatter().format(record)
    assert "s1" not in line and "s2" not in line and "b=key=s3" in line
    assert " WARNING x [-] GET /a?k%65y=[redacted]&KEY=[redacted]" in line


async def test_metrics_count_requests_by_route_name(client: httpx.AsyncClient) -> None:
    labels = {"route": "system.health", "method": "GET", "status": "200"}
    before = await sample(client, "salesmagnet_http_requests_total", **labels)
    for _ in range(3):
        await client.get("/health")
    assert await sample(client, "salesmagnet_http_requests_total", **labels) == before + 3
    assert await sample(client, "salesmagnet_http_request_seconds_count", route=labels["route"]) >= 3
    await client.get("/no/such/route/at/all")
    unmatched = {"route": "unmatched", "method": "GET", "status": "404"}
    assert await sample(client, "salesmagnet_http_requests_total", **unmatched) >= 1
    text = (await client.get("/metrics")).text
    assert "/no/such/route" not in text


async def test_metrics_count_job_runs_and_failures(served: Served, client: httpx.AsyncClient) -> None:
    @metrics.counted
    async def broken_job(ctx: dict[str, Any]) -> None:
        raise ValueError("broken on purpose")

    runs = await sample(client, "salesmagnet_job_runs_total", job="sweep_presence")
    queue = LocalQueue([*FUNCTIONS, broken_job], [], {"deps": served.app.ctx.deps})
    await queue.enqueue("sweep_presence")
    await queue.enqueue("broken_job")
    await queue.drain()
    assert await sample(client, "salesmagnet_job_runs_total", job="sweep_presence") == runs + 1
    assert await sample(client, "salesmagnet_job_failures_total", job="sweep_presence") == 0
    assert await sample(client, "salesmagnet_job_runs_total", job="broken_job") == 1
    assert await sample(client, "salesmagnet_job_failures_total", job="broken_job") == 1


async def test_metrics_sockets_events_and_relay_lag(served: Served, client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    user = await logged_in(client, entity)
    before = await sample(client, "salesmagnet_sockets_connected")
    listener = await Listener().connect(served.url, user.token)
    try:
        assert await sample(client, "salesmagnet_sockets_connected") == before + 1
        published = await sample(client, "salesmagnet_events_published_total", event="lead:noted")
        await commit(entity.id, 2, name="lead:noted")
        await listener.wait_for(lambda: len(listener.named("lead:noted")) == 2)
        assert await sample(client, "salesmagnet_events_published_total", event="lead:noted") >= published + 2
    finally:
        await listener.close()
    for _ in range(100):  # the disconnect is handled after the client returns
        if await sample(client, "salesmagnet_sockets_connected") == before:
            break
        await asyncio.sleep(0.05)
    assert await sample(client, "salesmagnet_sockets_connected") == before
    lag = {"entity": str(entity.id)}
    await events.relay()  # too recent to pass: the relay is behind by every event so far
    assert await sample(client, "salesmagnet_relay_lag_events", **lag) >= 2
    await events.relay(older_than=timedelta(0))
    assert await sample(client, "salesmagnet_relay_lag_events", **lag) == 0


async def test_metrics_can_be_switched_off(served: Served, client: httpx.AsyncClient) -> None:
    settings = served.app.ctx.settings
    try:
        served.app.ctx.settings = replace(settings, metrics=False)
        assert (await client.get("/metrics")).status_code == 404
        served.app.ctx.settings = replace(settings, metrics_token="t" * 24)
        refused = await client.get("/metrics")
        assert refused.status_code == 401 and "METRICS_TOKEN" in refused.json()["message"]
        assert (await client.get("/metrics", headers={"Authorization": "Bearer wrong"})).status_code == 401
        allowed = await client.get("/metrics", headers={"Authorization": f"Bearer {'t' * 24}"})
        assert allowed.status_code == 200 and "salesmagnet_http_requests_total" in allowed.text
        # In production the entity labels are not for anyone who asks: a token is required.
        served.app.ctx.settings = replace(settings, env="production")
        closed = await client.get("/metrics")
        assert closed.status_code == 403 and "METRICS_TOKEN" in closed.json()["message"]
        served.app.ctx.settings = replace(settings, env="production", metrics_token="t" * 24)
        assert (await client.get("/metrics")).status_code == 401
        allowed = await client.get("/metrics", headers={"Authorization": f"Bearer {'t' * 24}"})
        assert allowed.status_code == 200
    finally:
        served.app.ctx.settings = settings


def sqlite_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "WORKERS", "LOG_LEVEL")}
    return {
        **env,
        "DATABASE_URL": f"sqlite://{tmp_path / 'ops.db'}",
        "JWT_SECRET": "o" * 40,
        "SALESMAGNET_ENV": "production",
        "PORT": str(free_port()),
        **extra,
    }


async def test_server_writes_json_lines_with_request_ids_and_no_key(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path, LOG_FORMAT="json", LOG_LEVEL="INFO")
    assert run_cli(env, "migrate").returncode == 0
    process = await asyncio.create_subprocess_exec(
        sys.executable, "server.py", cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE
    )
    url = f"http://127.0.0.1:{env['PORT']}"
    try:
        assert await until_up(url), "server.py did not start"
        async with httpx.AsyncClient(base_url=url) as http:
            hook = await http.post(
                "/webhooks/website?key=s3cr3t-key-value", json={}, headers={"X-Request-ID": "sub-1"}
            )
            assert hook.headers["x-request-id"] == "sub-1"
            await http.get("/health", headers={"X-Request-ID": "sub-2"})
    finally:
        if process.returncode is None:
            process.terminate()
        stderr = (await asyncio.wait_for(process.communicate(), 20))[1].decode()
    parsed = [json.loads(line) for line in stderr.splitlines()]  # every line is one JSON object
    assert {"uvicorn.error", "uvicorn.access"} <= {line["logger"] for line in parsed}
    access = {line["request_id"]: line["message"] for line in parsed if line["logger"] == "uvicorn.access"}
    assert "key=[redacted]" in access["sub-1"] and "GET /health" in access["sub-2"]
    assert "s3cr3t-key-value" not in stderr


@pytest.mark.parametrize("trusted", [True, False])
async def test_the_address_limit_counts_the_client_a_trusted_proxy_names(
    tmp_path: Path, trusted: bool
) -> None:
    """Behind a load balancer every connection comes from it: thirty bad logins from one client
    must not lock out everyone else. A header from anyone else is not believed."""
    env = sqlite_env(tmp_path, LOG_LEVEL="WARNING", **({"TRUSTED_PROXIES": "127.0.0.1"} if trusted else {}))
    assert run_cli(env, "migrate").returncode == 0
    url = f"http://127.0.0.1:{env['PORT']}"
    async with process(env, "server.py"):
        assert await until_up(url), "server.py did not start"
        async with httpx.AsyncClient(base_url=url) as http:

            async def login(n: int, client: str) -> int:
                body = {"email": f"nobody{n}@example.com", "password": "Wrong-pass1"}
                answer = await http.post("/api/auth/login", json=body, headers={"X-Forwarded-For": client})
                return answer.status_code

            guesses = [await login(n, "203.0.113.7") for n in range(31)]
            assert guesses == [401] * 30 + [429]
            other_client = await login(99, "203.0.113.8")
    assert other_client == (401 if trusted else 429)


@pytest.mark.parametrize(
    "name,value,needle",
    [
        ("LOG_LEVEL", "verbose", "LOG_LEVEL"),
        ("TRUSTED_PROXIES", "10.0.0.1,load-balancer", "TRUSTED_PROXIES"),
        ("DATABASE_URL", "postgres://u:pw@127.0.0.1/crm", "DATABASE_URL"),
        ("DATABASE_URL", "mysql://root:pw@127.0.0.1:1/x", "cannot reach the database"),
    ],
)
@pytest.mark.parametrize("command", [["server.py"], ["-m", "salesmagnet", "migrate"]])
def test_configuration_errors_are_one_line_and_exit_2(
    tmp_path: Path, command: list[str], name: str, value: str, needle: str
) -> None:
    done = python(*command, env={**sqlite_env(tmp_path), name: value}, timeout=60)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert needle in done.stderr and "Traceback" not in done.stderr
    assert ":pw@" not in done.stderr  # a password in the URL is never printed


def test_worker_start_on_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    redis = os.environ.get("TEST_REDIS_URL")
    if not redis:
        pytest.skip("the worker needs Redis: set TEST_REDIS_URL")
    env = {**sqlite_env(tmp_path), "REDIS_URL": redis, "LOG_LEVEL": "WARNING"}
    done = run_cli({**env, "DATABASE_URL": "mysql://root:pw@127.0.0.1:1/x"}, "worker", "--burst")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        "salesmagnet: cannot reach the database at mysql://root@127.0.0.1:1/x: "
        "Can't connect to MySQL server on '127.0.0.1'"
    ]


def test_a_port_in_use_ends_the_server_at_once_saying_so(tmp_path: Path) -> None:
    """With Redis, stopping after the failed bind met the presence heartbeat in a Redis call
    that lost its cancellation: the server never exited."""
    redis = os.environ.get("TEST_REDIS_URL")
    if not redis:
        pytest.skip("set TEST_REDIS_URL: the hang was in the Redis tasks' stop")
    env = {**sqlite_env(tmp_path), "REDIS_URL": redis, "HOST": "127.0.0.1", "LOG_LEVEL": "INFO"}
    assert run_cli(env, "migrate").returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", int(env["PORT"])))
        taken.listen()
        for _ in range(3):  # the lost cancellation is a race: a few tries show it
            done = python("server.py", env=env, timeout=30)
            assert done.returncode != 0 and "address already in use" in done.stderr, done.stderr


async def test_a_stopping_server_waits_for_open_requests_a_few_seconds_at_most(tmp_path: Path) -> None:
    """A Socket.IO long-poll is held open up to its ping interval (25 s): SIGTERM waited it out."""
    env = sqlite_env(tmp_path, LOG_LEVEL="WARNING")
    assert run_cli(env, "migrate").returncode == 0
    url = f"http://127.0.0.1:{env['PORT']}"
    async with process(env, "server.py") as server, httpx.AsyncClient(base_url=url, timeout=60) as http:
        assert await until_up(url), "server.py did not start"
        opened = await http.get("/socket.io/?EIO=4&transport=polling")
        sid = json.loads(opened.text[1:])["sid"]
        poll = asyncio.ensure_future(http.get(f"/socket.io/?EIO=4&transport=polling&sid={sid}"))
        await asyncio.sleep(0.5)  # held open by the server
        started = time.monotonic()
        server.terminate()
        await asyncio.wait_for(server.wait(), 20)
        assert time.monotonic() - started < server_module.SHUTDOWN_GRACE + 3
        await asyncio.gather(poll, return_exceptions=True)
