"""Runs jobs for a server process: through arq when REDIS_URL is set (a separate
`salesmagnet worker` executes them), else in-process with the cron table."""

from __future__ import annotations

from arq.connections import ArqRedis
from sanic import Sanic

from jobs.tasks import FUNCTIONS, crons
from salesmagnet.deps import redis_client
from salesmagnet.queue import ArqQueue, LocalQueue


def attach(app: Sanic) -> None:
    @app.before_server_start
    async def start_jobs(app: Sanic) -> None:
        deps = app.ctx.deps
        if deps.settings.redis_url:  # connects on first use: the server starts while Redis is away
            settings = deps.settings
            deps.queue = ArqQueue(redis_client(settings.redis_url, settings.redis_timeout, ArqRedis))
        else:
            settings = deps.settings
            local = LocalQueue(FUNCTIONS, crons(settings), {"deps": deps}, settings.worker_db_timeout)
            local.start()
            deps.queue = local

    @app.after_server_stop
    async def stop_jobs(app: Sanic) -> None:
        if app.ctx.deps.queue is not None:
            await app.ctx.deps.queue.close()
