"""The operator's path, for real: CLI commands and `python server.py` in their own processes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from tests.conftest import ROOT, TEST_DB, recreate_mysql_database
from tests.mailbox import free_port
from tests.procs import python, run_cli, until_up
from tests.test_schema import own_sibling

PASSWORD = "S3cure!pass"


@pytest_asyncio.fixture
async def env(tmp_path: Path) -> dict[str, str]:
    if TEST_DB == "mysql":
        url = own_sibling("cli")
        await recreate_mysql_database(url)
    else:
        url = f"sqlite://{tmp_path / 'cli.db'}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "JWT_SECRET": "c" * 40,
        "SALESMAGNET_ENV": "production",
        "PORT": str(free_port()),
        "LOG_LEVEL": "WARNING",
    }


@pytest_asyncio.fixture
async def server(env: dict[str, str]) -> AsyncIterator[str]:
    assert run_cli(env, "migrate").returncode == 0
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "server.py",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{env['PORT']}"
    if not await until_up(url):
        process.kill()
        raise AssertionError(((await process.communicate())[1] or b"").decode())
    yield url
    process.terminate()
    _, stderr = await asyncio.wait_for(process.communicate(), 20)
    # uvicorn shuts down gracefully, then re-raises the captured SIGTERM (exit -15).
    assert process.returncode in (0, -15)
    assert b"Traceback" not in stderr, stderr.decode()


def create_user(
    env: dict[str, str], email: str, entity: str = "fxcareers", role: str = "admin"
) -> subprocess.CompletedProcess[str]:
    return run_cli(
        env, "create-user", "--entity", entity, "--role", role, "--email", email, "--password", PASSWORD
    )


async def test_migrate_create_user_login_and_deactivate(env: dict[str, str], server: str) -> None:
    first = create_user(env, "a@x.io")
    assert first.returncode == 0, first.stderr
    first_id = int(first.stdout.strip().splitlines()[-1])
    second = create_user(env, "b@x.io")
    async with httpx.AsyncClient(base_url=server) as http:
        tokens = {}
        for email in ("a@x.io", "b@x.io"):
            login = await http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
            assert login.status_code == 200, login.text
            tokens[email] = {"Authorization": f"Bearer {login.json()['data']['access_token']}"}
        assert (await http.get("/api/auth/users", headers=tokens["a@x.io"])).status_code == 200
        assert (await http.get("/ready")).status_code == 200
        gone = await http.delete(f"/api/auth/users/{first_id}", headers=tokens["b@x.io"])
        assert gone.status_code == 200, gone.text
        assert (await http.get("/api/auth/users", headers=tokens["a@x.io"])).status_code == 401
    assert second.returncode == 0


async def test_operator_commands(env: dict[str, str]) -> None:
    assert run_cli(env, "migrate").returncode == 0
    assert run_cli(env, "migrate").returncode == 0  # idempotent
    assert create_user(env, "dup@example.com").returncode == 0
    duplicate = create_user(env, "dup@example.com")
    assert duplicate.returncode == 2 and "already in use" in duplicate.stderr
    # usernames are the deployment's: another entity's dup@ clashes, and is told how to choose
    clash = create_user(env, "dup@elsewhere.example.com", entity="yamarkets")
    assert clash.returncode == 2 and "--username" in clash.stderr, clash.stderr
    named = ("--email", "dup@elsewhere.example.com", "--password", PASSWORD, "--username", "dup_yamarkets")
    chosen = run_cli(env, "create-user", "--entity", "yamarkets", "--role", "admin", *named)
    assert chosen.returncode == 0, chosen.stderr
    unknown = create_user(env, "z@example.com", entity="atlantis")
    assert unknown.returncode == 2 and "Unknown entity" in unknown.stderr
    bad_role = create_user(env, "y@example.com", role="pharaoh")
    assert bad_role.returncode == 2 and "role" in bad_role.stderr

    made = run_cli(env, "entity-create", "acme_corp")
    assert made.returncode == 0 and made.stdout.strip().isdigit()
    assert run_cli(env, "entity-create", "acme_corp").returncode == 2
    # names and page ids the database could not hold (or the API would not take) are refused
    for name in ("a" * 101, "acme corp"):
        refused = run_cli(env, "entity-create", name)
        assert refused.returncode == 2 and "name" in refused.stderr and "Traceback" not in refused.stderr
    long_page = run_cli(env, "map-page", "--entity", "acme_corp", "--page-id", "1" * 65)
    assert long_page.returncode == 2 and "page_id" in long_page.stderr, long_page.stderr
    key = run_cli(env, "webhook-key", "--entity", "acme_corp").stdout.strip()
    assert len(key) >= 32 and run_cli(env, "webhook-key", "--entity", "acme_corp").stdout.strip() == key
    # a name in another case is the same entity, on SQLite as on MariaDB (entity-create says so)
    assert run_cli(env, "webhook-key", "--entity", "ACME_Corp").stdout.strip() == key
    assert (
        run_cli(
            env, "map-page", "--entity", "acme_corp", "--page-id", "1234", "--platform", "instagram"
        ).returncode
        == 0
    )
    assert run_cli(env, "entity-delete", "acme_corp").returncode == 0
    recounted = run_cli(env, "recount")
    assert recounted.returncode == 0 and "entity fxcareers: counters recounted" in recounted.stdout
    assert run_cli(env, "recount", "--entity", "atlantis").returncode == 2
    busy = run_cli(env, "entity-delete", "fxcareers")
    assert busy.returncode == 2 and "users" in busy.stderr


async def test_production_needs_a_secret(env: dict[str, str]) -> None:
    no_secret = {k: v for k, v in env.items() if k != "JWT_SECRET"}
    for command in (["server.py"], ["-m", "salesmagnet", "migrate"]):
        done = python(*command, env=no_secret, timeout=60)
        assert done.returncode == 2 and "JWT_SECRET" in done.stderr


@pytest.mark.parametrize(
    "name,value",
    [("WORKERS", "2"), ("JWT_EXPIRES_IN", "soon"), ("PORT", "eighty"), ("MONITOR_INTERVAL", "7")],
)
async def test_bad_configuration_is_named(env: dict[str, str], name: str, value: str) -> None:
    bad = {**env, name: value}
    bad.pop("REDIS_URL", None)
    done = python("server.py", env=bad, timeout=60)
    assert (done.returncode == 2 and name in done.stderr) or value in done.stderr
