"""One real server per test session, in the test loop, on a real port (STACK-NOTES §6).

TEST_DB=sqlite (default) runs on an embedded SQLite file with in-process limits;
TEST_DB=mysql runs on MariaDB (TEST_MYSQL_URL), migrated by the real aerich migrations, with
limits in Redis (TEST_REDIS_URL). Under CI=true an unreachable service fails the run.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import pytest_asyncio
import uvicorn
from arq.constants import default_queue_name, in_progress_key_prefix, job_key_prefix, retry_key_prefix
from redis.asyncio import Redis
from sanic import Sanic

from salesmagnet import schema
from salesmagnet.config import Settings, load_settings
from salesmagnet.queue import LocalQueue
from server import compose
from tests.fake_graph import TOKEN, FakeGraph
from tests.mailbox import Mailbox, free_port, start_smtp
from tests.procs import python

TEST_DB = os.environ.get("TEST_DB", "sqlite")
ROOT = Path(__file__).resolve().parent.parent
SECRET = "test-secret-" + "x" * 40


def mysql_url() -> str:
    url = os.environ.get("TEST_MYSQL_URL")
    if not url:
        pytest.fail("TEST_DB=mysql needs TEST_MYSQL_URL (e.g. mysql://root:@127.0.0.1:3306/salesmagnet_test)")
    return url


async def mysql_connect(url: str, database: bool = True) -> Any:
    """An autocommitting aiomysql connection to the server of the URL, to its database (or to
    none), beside the suite's own Tortoise set-up."""
    import aiomysql

    parts = urlsplit(url)
    query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
    kwargs = {"unix_socket": query["unix_socket"]} if "unix_socket" in query else {}
    if database:
        kwargs["db"] = parts.path.lstrip("/")
    return await aiomysql.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=parts.username or "root",
        password=parts.password or "",
        autocommit=True,
        **kwargs,
    )


async def recreate_mysql_database(url: str) -> None:
    """Drop and create the test database named in the URL, connecting without it."""
    name = urlsplit(url).path.lstrip("/")
    conn = await mysql_connect(url, database=False)
    async with conn.cursor() as cur:
        await cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        await cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    conn.close()


def base_settings(tmp: Path) -> Settings:
    # Analytics answers exact after every change (tests read right after writing); the lag a
    # busy floor is allowed has its own test (tests/analytics/test_rollups.py). A database call
    # may take 10 s, not production's 0.75 s: on a loaded test machine a slow call answered 503
    # (the deliveries of test_redeliveries_and_batches, a login); the bound has its own tests
    # (tests/faults/test_outages.py, tests/jobs/test_queue.py), which set it themselves.
    env = {"SALESMAGNET_ENV": "test", "JWT_SECRET": SECRET, "ANALYTICS_LAG": "0", "DB_TIMEOUT": "10"}
    settings = load_settings(env)
    if TEST_DB == "mysql":
        redis_url = os.environ.get("TEST_REDIS_URL")
        if not redis_url:
            pytest.fail("TEST_DB=mysql needs TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)")
        return replace(settings, database_url=mysql_url(), redis_url=redis_url, export_dir=tmp / "exports")
    return replace(settings, database_url=f"sqlite://{tmp / 'test.db'}", export_dir=tmp / "exports")


FB_SECRET = "test-app-secret"
FB_VERIFY = "test-verify-token"


@dataclass
class Served:
    app: Sanic
    url: str
    settings: Settings
    mailbox: Mailbox
    graph: FakeGraph


@pytest_asyncio.fixture(scope="session")
async def served(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Served]:
    Sanic.test_mode = True
    controller, mailbox = start_smtp()
    graph = FakeGraph()
    await graph.start(free_port())
    settings = replace(
        base_settings(tmp_path_factory.mktemp("db")),
        smtp_host="127.0.0.1",
        smtp_port=controller.port,
        fb_app_secret=FB_SECRET,
        fb_verify_token=FB_VERIFY,
        fb_page_access_token=TOKEN,
        fb_graph_url=graph.url,
        fb_retry_seconds=0.05,
    )
    if TEST_DB == "mysql":
        await recreate_mysql_database(settings.database_url)
        # The test Redis database is the suite's own: arq keeps finished job ids for an hour,
        # and a re-created database hands out the same row ids again.
        redis = Redis.from_url(settings.redis_url or "")
        await redis.flushdb()
        await redis.aclose()
    from salesmagnet import db

    await db.connect(settings.database_url)
    await schema.migrate(settings.database_url)  # the real migration path of each backend
    await db.disconnect()
    asgi, app = compose(settings)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(asgi, host="127.0.0.1", port=port, lifespan="on", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    yield Served(app=app, url=f"http://127.0.0.1:{port}", settings=settings, mailbox=mailbox, graph=graph)
    server.should_exit = True
    await task
    controller.stop()
    await graph.stop()


@pytest_asyncio.fixture
async def client(served: Served) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=served.url, timeout=10) as http:
        yield http
    await served.app.ctx.deps.limiter.clear()


@pytest.fixture
def mailbox(served: Served) -> Mailbox:
    return served.mailbox


def worker_env(served: Served) -> dict[str, str]:
    """The environment of a `salesmagnet worker` beside the served app (its services)."""
    s = served.settings
    return {
        **os.environ,
        "DATABASE_URL": s.database_url,
        "REDIS_URL": s.redis_url or "",
        "JWT_SECRET": SECRET,
        "SALESMAGNET_ENV": "test",
        "FB_GRAPH_URL": s.fb_graph_url,
        "FB_PAGE_ACCESS_TOKEN": s.fb_page_access_token or "",
        "FB_RETRY_SECONDS": "0.05",
        "EXPORT_DIR": str(s.export_dir),
        "SMTP_HOST": s.smtp_host or "",
        "SMTP_PORT": str(s.smtp_port),
    }


async def run_jobs(served: Served) -> None:
    """Run the queued jobs: in-process (embedded) or with a real arq worker process (Redis)."""
    queue = served.app.ctx.deps.queue
    if isinstance(queue, LocalQueue):
        await queue.drain()
        return
    done = await asyncio.to_thread(
        python, "-m", "salesmagnet", "worker", "--burst", env=worker_env(served), timeout=120
    )
    assert done.returncode == 0, done.stderr


async def forget_killed_jobs(served: Served) -> int:
    """Take off the queue the jobs a killed worker had claimed (call it once no worker of the
    test runs): arq keeps them claimed for five minutes (jobs.worker CLAIM_SECONDS), and every
    later burst worker (run_jobs) waits for an empty queue. Returns how many."""
    pool = served.app.ctx.deps.queue.pool
    claimed = [
        job_id
        for job_id in await pool.zrange(default_queue_name, 0, -1)
        if await pool.exists(in_progress_key_prefix + job_id.decode())
    ]
    for job_id in claimed:
        name = job_id.decode()
        await pool.zrem(default_queue_name, name)
        await pool.delete(job_key_prefix + name, in_progress_key_prefix + name, retry_key_prefix + name)
    return len(claimed)


def unique(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(4)}"
