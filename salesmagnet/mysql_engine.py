"""Tortoise's MySQL backend with every call bounded, and statements sent together.

Bounded: statements, pool waits, BEGIN and COMMIT.
aiomysql bounds nothing but the TCP connect: against a frozen server (SIGSTOP, a stalled
network) a query, a pool acquire or a new connection's handshake waits forever, and so does
every request behind it. Here each call gives up after `query_timeout` seconds (DB_TIMEOUT)
with `outages.DependencyTimeout`, which requests answer as 503. aiomysql closes a connection
cancelled mid-statement, so a bounded call never hands a half-read connection back to the pool.

Together: a statement costs a round trip to the server (~0.15 ms of aiomysql's Python and as
much of MariaDB's time, bench/RESULTS.md), so `execute_batch()` sends several in one (the
connection speaks MULTI_STATEMENTS; every value is escaped by the driver, as in `execute()`),
a transaction's COMMIT may ride with its last statements, and its BEGIN rides with its first.

Used as the Tortoise engine `salesmagnet.mysql_engine` (salesmagnet.db.tortoise_config).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

import aiomysql.connection
import pymysql.converters
from pymysql.constants import CLIENT
from tortoise.backends.base.client import (
    NestedTransactionContext,
    TransactionalDBClient,
    TransactionContext,
    TransactionContextPooled,
)
from tortoise.backends.mysql.client import MySQLClient, TransactionWrapper, translate_exceptions
from tortoise.connection import get_connections

from salesmagnet.outages import DATABASE, DependencyTimeout
from salesmagnet.statements import Outcome, Statement

DEFAULT_TIMEOUT = 5.0
CLIENT_FLAGS = CLIENT.MULTI_STATEMENTS  # for execute_batch(): several statements in one text


def escape_string(value: str) -> str:
    """PyMySQL's escape_string (backslash escapes for \\ NUL LF CR ^Z " '), the same text made
    with str.replace: PyMySQL's str.translate leaves CPython's fast path at the first character
    that becomes two (every `"` of a JSON document), and costs ~20 µs a 1 KB event payload
    against ~3.5 µs here (a py-spy profile of bulk assignment: a fifth of its time escaping)."""
    return (
        value.replace("\\", "\\\\")
        .replace("\0", "\\0")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\032", "\\Z")
        .replace('"', '\\"')
        .replace("'", "\\'")
    )


def escape_datetime(value: datetime, mapping: Any = None) -> str:
    """PyMySQL's escape_datetime (the value's own fields, its zone ignored; the fraction only
    when there is one), the same text cut from `isoformat()`, which CPython writes in C, instead
    of `str.format` over ten attributes: ~2 µs against ~4 µs, and a bulk assignment of 10,000
    leads escapes ~60,000 of them."""
    return "'" + value.isoformat(" ")[: 26 if value.microsecond else 19] + "'"


# aiomysql's Connection.escape_string calls the name it imported from PyMySQL; its connections
# escape every other value through PyMySQL's `encoders`, the dict itself.
aiomysql.connection.escape_string = escape_string
pymysql.converters.encoders[datetime] = escape_datetime


_patience: ContextVar[float | None] = ContextVar("db_patience", default=None)


@contextmanager
def patient(seconds: float | None) -> Iterator[None]:
    """Database calls in this block, and in the tasks it starts, wait up to `seconds` where their
    client's bound is shorter: a job run in server.py (no Redis) waits as long as it would in
    `salesmagnet worker` (WORKER_DB_TIMEOUT), while the requests beside it keep DB_TIMEOUT."""
    token = _patience.set(seconds)
    try:
        yield
    finally:
        _patience.reset(token)


@asynccontextmanager
async def bounded(seconds: float | None, connection: Any = None) -> AsyncIterator[None]:
    """Cancel the block after `seconds` (or the longer patience of `patient()`); DependencyTimeout
    if this bound (not an inner one) fired.

    A transaction's `connection` is closed then, so its ROLLBACK fails at once instead of
    waiting out a bound of its own on a server that did not answer the statement before it."""
    if seconds is not None and (patience := _patience.get()) is not None:
        seconds = max(seconds, patience)
    scope = asyncio.timeout(seconds)
    try:
        async with scope:
            yield
    except TimeoutError:
        if scope.expired():
            if connection is not None:
                connection.close()
            raise DependencyTimeout(DATABASE, seconds or 0) from None
        raise


class BoundedStatements(MySQLClient):
    """The ways Tortoise runs a statement (the ORM's queries and hand-written SQL), bounded, and
    `execute_batch()`. A transaction's deferred BEGIN (BoundedTransaction) is sent in front of
    its first statement."""

    bound: float | None = DEFAULT_TIMEOUT

    def _opening(self) -> str:
        """ "BEGIN;" when this is a transaction's first statement (see BoundedTransaction)."""
        return ""

    async def _begin_now(self) -> None:
        """Send a deferred BEGIN alone (before statements that cannot carry it)."""

    @translate_exceptions
    async def execute_insert(self, query: str, values: list[Any]) -> int:
        outcome = await self._one(query, values)
        return outcome.lastrowid

    @translate_exceptions
    async def execute_query(self, query: str, values: list[Any] | None = None) -> tuple[int, list[dict]]:
        outcome = await self._one(query, values)
        return outcome.rowcount, outcome.rows

    async def execute_query_dict(self, query: str, values: list[Any] | None = None) -> list[dict]:
        return (await self.execute_query(query, values))[1]

    async def execute_many(self, query: str, values: list[Any]) -> None:
        async with bounded(self.bound, self._connection):
            await self._begin_now()
            await super().execute_many(query, values)

    async def execute_script(self, query: str) -> None:
        async with bounded(self.bound, self._connection):
            await self._begin_now()
            await super().execute_script(query)

    async def _one(self, query: str, values: list[Any] | None) -> Outcome:
        return (await self._batch([Statement(query, values)], commit=False))[0]

    @translate_exceptions
    async def execute_batch(self, statements: list[Statement], commit: bool = False) -> list[Outcome]:
        """Run `statements` in order in one round trip; with `commit`, the transaction's COMMIT
        too. The server stops at the first that fails (its error is raised here)."""
        return await self._batch(statements, commit)

    async def _batch(self, statements: list[Statement], commit: bool) -> list[Outcome]:
        async with bounded(self.bound, self._connection), self.acquire_connection() as connection:
            async with connection.cursor() as cursor:
                texts = [cursor.mogrify(s.sql, s.values) for s in statements]
                opening = self._opening()  # taken once the text is sure to be sent
                await cursor.execute(opening + ";\n".join([*texts, *(["COMMIT"] if commit else [])]))
                if opening:
                    await cursor.nextset()
                outcomes = []
                for n in range(len(statements)):
                    if n:
                        await cursor.nextset()
                    rows = await cursor.fetchall() if cursor.description else ()
                    names = [f[0] for f in cursor.description or ()]
                    found = [dict(zip(names, row, strict=True)) for row in rows]
                    outcomes.append(Outcome(cursor.rowcount, cursor.lastrowid, found))
                if commit:
                    await cursor.nextset()
                    self._committed()
                return outcomes

    def _committed(self) -> None:
        raise RuntimeError("COMMIT outside a transaction")


class BoundedMySQLClient(BoundedStatements):
    def __init__(self, *args: Any, query_timeout: float | None = DEFAULT_TIMEOUT, **kwargs: Any) -> None:
        kwargs["client_flag"] = int(kwargs.get("client_flag", 0)) | CLIENT_FLAGS
        super().__init__(*args, **kwargs)
        self.bound = None if query_timeout is None else float(query_timeout)

    def _in_transaction(self) -> TransactionContext:
        return BoundedPooledTransaction(BoundedTransaction(self), self._pool_init_lock)


class BoundedTransaction(BoundedStatements, TransactionWrapper):
    """A transaction's connection: its statements, BEGIN, COMMIT and savepoints bounded too.

    BEGIN is not sent on its own: it rides in front of the transaction's first statement (a
    transaction that runs none sends neither BEGIN nor COMMIT). Nested blocks (savepoints) share
    the outermost block's state: `_root`."""

    def __init__(self, connection: MySQLClient) -> None:
        super().__init__(connection)
        self.bound = getattr(connection, "bound", DEFAULT_TIMEOUT)
        outer = connection._root if isinstance(connection, BoundedTransaction) else self
        self._root: BoundedTransaction = outer
        self._begin_pending = False

    def _in_transaction(self) -> TransactionContext:
        return NestedTransactionContext(BoundedTransaction(self))

    def _opening(self) -> str:
        root = self._root
        if not root._begin_pending:
            return ""
        root._begin_pending = False
        return "BEGIN;\n"

    async def _begin_now(self) -> None:
        if self._opening():
            await TransactionWrapper.begin(self)

    def _committed(self) -> None:
        self._finalized = True

    async def begin(self) -> None:
        self._root._begin_pending = True
        self._finalized = False

    async def commit(self) -> None:
        if self._root._begin_pending:  # nothing ran: nothing to commit
            self._root._begin_pending = False
            self._finalized = True
            return
        async with bounded(self.bound, self._connection):
            await super().commit()

    async def rollback(self) -> None:
        if self._root._begin_pending:
            self._root._begin_pending = False
            self._finalized = True
            return
        async with bounded(self.bound, self._connection):
            await super().rollback()

    async def savepoint(self) -> None:
        async with bounded(self.bound, self._connection):
            await self._begin_now()
            await super().savepoint()

    async def savepoint_rollback(self) -> None:
        async with bounded(self.bound, self._connection):
            await super().savepoint_rollback()

    async def release_savepoint(self) -> None:
        async with bounded(self.bound, self._connection):
            await super().release_savepoint()


class BoundedPooledTransaction(TransactionContextPooled):
    """Tortoise's pooled transaction, with the pool wait bounded and no connection kept when
    BEGIN fails (the stock context would never release it: its __aexit__ does not run)."""

    client: BoundedTransaction

    def __init__(self, client: TransactionalDBClient, pool_init_lock: asyncio.Lock) -> None:
        super().__init__(client, pool_init_lock)

    async def __aenter__(self) -> TransactionalDBClient:
        parent = self.client._parent
        async with bounded(self.client.bound):
            await self.ensure_connection()
            connection = await parent._pool.acquire()
        self.client._connection = connection
        self.token = get_connections().set(self.connection_name, self.client)
        try:
            await self.client.begin()
        except BaseException:
            get_connections().reset(self.token)
            connection.close()
            await parent._pool.release(connection)
            raise
        return self.client


client_class = BoundedMySQLClient
