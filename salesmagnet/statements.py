"""Statements sent together: several in one round trip to MariaDB, in turn on SQLite.

A hot path's statements whose results nothing in between needs (an UPDATE and the read of
what it wrote; the counters, the outbox and the COMMIT of a transaction) cost one round trip
instead of one each: `run()` hands them to salesmagnet.mysql_engine's `execute_batch()`. SQLite
runs in the process: there they simply run one after the other.

Statements carry their SQL with the driver's placeholders already bound (salesmagnet.rawsql).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise import connections
from tortoise.exceptions import IntegrityError, OperationalError

from salesmagnet import rawsql

_mark: str | None = None  # the process's placeholder, once db.connect() said which database


def use_placeholder(mark: str | None) -> None:
    """The placeholder of the database this process uses ("%s" or "?"; None: ask the
    connection each time). One database per process: statement builders ask `placeholder()`
    instead of looking the connection up (Tortoise's look-up costs ~2 µs a call)."""
    global _mark
    _mark = mark


def placeholder() -> str:
    return _mark if _mark is not None else rawsql.mark_of(connections.get("default"))


@dataclass(frozen=True, slots=True)
class Statement:
    sql: str  # with the connection's placeholders (%s or ?)
    values: list[Any] | None  # None: the text is sent as it is (no placeholders, % left alone)
    shared: str | None = None  # counters every writer moves: their table (db.defer orders by it)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one statement did: rows changed (or read), the first new id, the rows it read."""

    rowcount: int
    lastrowid: int
    rows: list[dict[str, Any]]


async def run(statements: Sequence[Statement], commit: bool = False) -> list[Outcome]:
    """Run `statements` in order on this context's connection (db.atomic()'s transaction inside
    one); with `commit` on MariaDB, the transaction's COMMIT rides with them (on SQLite the
    transaction commits as usual, when its block ends). The first that fails raises, and
    nothing after it runs."""
    client = connections.get("default")
    batch = getattr(client, "execute_batch", None)
    if batch is not None:
        return list(await batch(list(statements), commit))
    return [await _sqlite(client, statement) for statement in statements]


async def _sqlite(client: Any, statement: Statement) -> Outcome:
    async with client.acquire_connection() as connection:
        try:
            cursor = await connection.execute(statement.sql, statement.values)
            try:
                rows = [dict(row) for row in await cursor.fetchall()]
                return Outcome(cursor.rowcount, cursor.lastrowid or 0, rows)
            finally:
                await cursor.close()
        except sqlite3.IntegrityError as exc:  # as Tortoise's own calls raise them
            raise IntegrityError(exc) from exc
        except sqlite3.OperationalError as exc:
            raise OperationalError(exc) from exc
