"""Serve SalesMagnet: the Sanic API as ASGI under uvicorn, on one port.

With no configuration: SQLite, one process, jobs in-process. With DATABASE_URL/REDIS_URL and
WORKERS > 1: several uvicorn worker processes sharing Socket.IO rooms through Redis, and jobs
queued for `salesmagnet worker`. Run `salesmagnet migrate` first (`make run` does).
"""

from __future__ import annotations

import asyncio
import gc
import sys

import socketio
import uvicorn
from sanic import Sanic
from tortoise.exceptions import DBConnectionError

from jobs import runtime as jobs_runtime
from realtime import hub
from salesmagnet import db, logs, metrics, schema
from salesmagnet.app import Acyclic, Observed, create_app
from salesmagnet.config import ConfigError, Settings, load_settings, unreachable

# Thousands of long-lived sockets make a full collection walk millions of objects: 150-190 ms
# stalls every ~1.6 s at 1,000 sockets with CPython's defaults (bench/RESULTS.md).
GC_THRESHOLD = (50_000, 20, 20)
KEEP_ALIVE_SECONDS = 30
# Told to stop, the server waits this long for open requests, then cancels them: a Socket.IO
# long-poll is held up to its ping interval (25 s), and a stop waited each one out.
SHUTDOWN_GRACE = 5


async def tune_gc(app: Sanic) -> None:
    """Collect far less often, and keep start-up objects out of every pass (per process)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def compose(settings: Settings) -> tuple[Observed, Sanic]:
    """The Sanic API with Socket.IO mounted beside it on /socket.io, and the job runner, behind
    the edge that gives each request its id and metrics."""
    app = create_app(settings)
    sio = hub.create(app)
    jobs_runtime.attach(app)
    app.after_server_start(tune_gc)
    both = socketio.ASGIApp(sio, other_asgi_app=Acyclic(app), socketio_path="socket.io")
    return Observed(both, metrics_on=settings.metrics), app


def asgi() -> Observed:
    """The ASGI application (uvicorn factory: one per worker process)."""
    metrics.forget_dead_processes()  # a worker uvicorn restarted replaces a dead one
    return compose(load_settings())[0]


async def preflight(settings: Settings) -> None:
    """Refuse to start on a database that is missing or not at the newest schema."""
    await db.connect(settings.database_url)
    try:
        await schema.check_current(settings.database_url)
    except DBConnectionError as exc:
        raise unreachable(settings.database_url, exc) from None
    finally:
        await db.disconnect()


def main() -> int:
    try:
        settings = load_settings()
        logs.configure(settings)
        asyncio.run(preflight(settings))
    except (ConfigError, schema.SchemaError) as exc:
        print(f"salesmagnet: {exc}", file=sys.stderr)
        return 2
    metrics.clear_multiprocess_dir()
    uvicorn.run(
        "server:asgi",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=logs.dict_config(settings),
        lifespan="on",
        ws="websockets-sansio",
        # Behind a load balancer, rate limits and logs need the client's address, not its own.
        proxy_headers=settings.trusted_proxies is not None,
        forwarded_allow_ips=settings.trusted_proxies or "",
        # An idle connection is kept 30 s (uvicorn's default is 5: clients that pause a few
        # seconds between requests met a connection closed under them as they reused it).
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
