"""Database set-up and transactions.

`atomic()` is the one way services open a transaction, so that events buffered inside it
(salesmagnet.events) are written and published, and work registered with `after_commit()` (jobs:
salesmagnet.queue.enqueue_after_commit) is run, only after the outermost block commits.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TypeVar

from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.transactions import in_transaction

from salesmagnet import events, outages, statements
from salesmagnet.statements import Statement

APP = "models"
MAX_INT = 2**31 - 1  # ids and counts are INT columns: no number past this reaches SQL
log = logging.getLogger(__name__)


# MySQL/MariaDB sessions in UTC, for any SQL date function (Tortoise sets the zone on one
# pooled connection only), and GROUP_CONCAT up to 16 MB (an export's page; the default is 1 MB).
MYSQL_SESSION = "SET SESSION time_zone = '+00:00', group_concat_max_len = 16777216"
MYSQL_POOL_SIZE = 20  # Tortoise's default of 5 queued requests at concurrency 16


def tortoise_config(db_url: str, bound: float | None = None) -> dict[str, Any]:
    """Tortoise's configuration; on MySQL our engine (mysql_engine), every call bounded by
    `bound` seconds if given."""
    connection = expand_db_url(db_url)
    if dialect(db_url) == "mysql":
        connection["credentials"].setdefault("maxsize", MYSQL_POOL_SIZE)
        connection["credentials"].setdefault("init_command", MYSQL_SESSION)
        connection["engine"] = "salesmagnet.mysql_engine"
        connection["credentials"]["query_timeout"] = bound  # None: migrations, operator commands
        if bound is not None:
            connection["credentials"].setdefault("connect_timeout", bound)
    return {
        "connections": {"default": connection},
        "apps": {APP: {"models": ["models", "aerich.models"], "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


def dialect(db_url: str) -> str:
    return "sqlite" if db_url.startswith("sqlite") else "mysql"


async def connect(db_url: str, bound: float | None = None) -> None:
    # _enable_global_fallback: request handlers run outside the context that called init
    # (STACK-NOTES §0.2).
    await Tortoise.init(config=tortoise_config(db_url, bound), _enable_global_fallback=True)
    statements.use_placeholder("?" if dialect(db_url) == "sqlite" else "%s")
    outages.watch(outages.DATABASE, ping)


async def disconnect() -> None:
    await Tortoise.close_connections()
    statements.use_placeholder(None)


def conn() -> BaseDBAsyncClient:
    return connections.get("default")


def dialect_of_connection() -> str:
    return "sqlite" if statements.placeholder() == "?" else "mysql"


def locking_read() -> str:
    """What ends a locking read: it sees the latest committed rows and holds them to the commit,
    where a plain read sees the transaction's snapshot, taken at its first read, perhaps before
    it waited for a lock. SQLite has one writer: nothing."""
    return "" if dialect_of_connection() == "sqlite" else " FOR UPDATE"


PING_BOUND = 0.8  # seconds: /ready answers within a second whatever the database does


async def ping() -> bool:
    """True when the database answers `SELECT 1` within PING_BOUND; never raises."""
    try:
        async with asyncio.timeout(PING_BOUND):
            await conn().execute_query("SELECT 1")
    except Exception:
        return False
    return True


AfterCommit = Callable[[], Awaitable[None]]
_after: ContextVar[list[AfterCommit] | None] = ContextVar("salesmagnet_after_commit", default=None)


def after_commit(callback: AfterCommit) -> bool:
    """Run `callback` once the outermost db.atomic() block commits (never if it rolls back, nor
    if the nested block that registered it fails). False outside a transaction: the caller runs
    it now."""
    hooks = _after.get()
    if hooks is None:
        return False
    hooks.append(callback)
    return True


_deferred: ContextVar[list[Statement] | None] = ContextVar("salesmagnet_deferred", default=None)


def defer(statement: Statement) -> bool:
    """Run `statement` inside the outermost db.atomic() block just before it commits, sent
    together with the transaction's other deferred statements, its events and its COMMIT (one
    round trip on MariaDB), and dropped if the nested block that deferred it fails. For writes
    nothing reads back before the commit and to rows every writer shares, such as counters:
    taken last (the counters after the rest, table by table), their locks are held for the
    least time. False outside a transaction: the caller runs it now."""
    deferred = _deferred.get()
    if deferred is None:
        return False
    deferred.append(statement)
    return True


@asynccontextmanager
async def atomic() -> AsyncIterator[BaseDBAsyncClient]:
    """A transaction with its event buffer (salesmagnet.events) and after-commit hooks.

    The outermost block ends by sending the statements deferred with `defer()`, then the
    buffered events' outbox rows, and the COMMIT, together; after the commit it hands the
    events to the publisher, then runs the hooks in order; a rollback drops all three.
    Nested blocks join the outer one (as savepoints), and drop their own events, deferred
    statements and hooks if they fail.
    """
    buffered, hooks, deferred = events.pending(), _after.get(), _deferred.get()
    if buffered is not None and hooks is not None and deferred is not None:
        marks = len(buffered), len(hooks), len(deferred)
        try:
            async with in_transaction("default") as connection:
                yield connection
        except BaseException:
            del buffered[marks[0] :], hooks[marks[1] :], deferred[marks[2] :]
            raise
        return
    buffered, token = events.begin()
    hooks, deferred = [], []
    hooks_token, deferred_token = _after.set(hooks), _deferred.set(deferred)
    flying: events.Flight | None = None
    try:
        async with in_transaction("default") as connection:
            yield connection
            _deferred.set(None)  # what is deferred from here on runs at once
            outbox = events.outbox(buffered)
            if deferred or outbox.statements:
                flying = events.taking_off(buffered)
                # Counters last, table by table in one order for every writer: two transactions
                # moving the same two counter tables in turn would deadlock.
                deferred.sort(key=lambda statement: statement.shared or "")
                done = await statements.run([*deferred, *outbox.statements], commit=True)
                records = outbox.records(done[len(deferred) :])
            else:
                records = []
    finally:
        events.landed(flying)  # nothing awaits between this and the hand-off below
        events.end(token)
        _after.reset(hooks_token)
        _deferred.reset(deferred_token)
    events.hand_off(records)
    await run_hooks(hooks)


DEADLOCK = 1213  # ER_LOCK_DEADLOCK: InnoDB rolled the whole transaction back
T = TypeVar("T")


async def retried(work: Callable[[], Awaitable[T]], attempts: int = 4) -> T:
    """Run `work` — a whole transaction, `atomic()` included — again when MariaDB picked it as a
    deadlock's victim (nothing of it was kept), after a short random pause."""
    for attempt in range(1, attempts + 1):
        try:
            return await work()
        except Exception as exc:
            if attempt == attempts or outages.mysql_code(exc) != DEADLOCK:
                raise
            log.info("Deadlock; running the transaction again (attempt %d)", attempt + 1)
            await asyncio.sleep(random.uniform(0.005, 0.02) * attempt)
    raise AssertionError("unreachable")


async def run_hooks(hooks: list[AfterCommit]) -> None:
    """Run after-commit work in order. The transaction is committed: a failing hook is logged
    (an outage noted once) and never fails the caller, nor the hooks after it."""
    for hook in hooks:
        try:
            await hook()
        except Exception as exc:
            outages.log_failure(log, exc, "after commit, %s failed", getattr(hook, "__qualname__", hook))


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_utc(value: datetime) -> datetime:
    """Aware UTC, before any ORM call (MariaDB update()/filter() do not convert: STACK-NOTES §4)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    """ISO-8601 UTC with a Z, the one timestamp format of every response."""
    if value is None:
        return None
    return to_utc(value).isoformat().replace("+00:00", "Z")


# For the aerich command line (new migrations are made against MySQL: see README).
AERICH_CONFIG = tortoise_config(
    os.environ.get("DATABASE_URL", "mysql://root:@127.0.0.1:3306/salesmagnet_dev")
)
