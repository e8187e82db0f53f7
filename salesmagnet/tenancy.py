"""The only door to tenant data: every query of a tenant table goes through here.

`scoped(Model, actor)` filters by the actor's entity, `create(Model, actor, …)` writes a row of
it; `get_owned()` turns an id of another
entity into the same 404 as an id that does not exist. tests/test_architecture.py fails on a
tenant query written anywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model
from tortoise.queryset import QuerySet

from models import Entity, RoleId
from salesmagnet import rawsql, statements
from salesmagnet.errors import EntityGone, NotFound
from salesmagnet.statements import Outcome, Statement

M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: built once per request from the token (or by jobs and the CLI)."""

    user_id: int | None
    entity_id: int
    role: RoleId

    @classmethod
    def system(cls, entity_id: int) -> Actor:
        return cls(user_id=None, entity_id=entity_id, role=RoleId.ADMIN)


def scoped(model: type[M], actor: Actor, **filters: Any) -> QuerySet[M]:
    """`model`'s rows of the actor's entity (plus `filters`)."""
    return model.filter(entity_id=actor.entity_id, **filters)


def unscoped(model: type[M]) -> type[M]:
    """A tenant table across entities, for keys that are global by nature (a page id routes
    to one entity). Allowed only where tests/test_architecture.py lists it."""
    return model


async def create(model: type[M], actor: Actor, **fields: Any) -> M:
    """A new `model` row of the actor's entity; the entity is never taken from `fields`."""
    if "entity" in fields or "entity_id" in fields:
        raise TypeError(f"{model.__name__}: the entity comes from the actor")
    return await model.create(entity_id=actor.entity_id, **fields)


async def get_owned(model: type[M], actor: Actor, pk: int, label: str | None = None) -> M:
    """The row with this id in the actor's entity, or NotFound — never another tenant's row."""
    row = await scoped(model, actor, id=pk).first()
    if row is None:
        raise NotFound(f"{label or model.__name__} not found")
    return row


async def entities_among(rows: QuerySet[M], limit: int, rounds: int = 10) -> set[int]:
    """The entities of `rows` (an unscoped query), each found once: every round reads at most
    `limit` rows of entities not found yet, so one entity's thousands of rows cannot hide the
    others'."""
    found: set[int] = set()
    for _ in range(rounds):
        more = rows.exclude(entity_id__in=sorted(found)) if found else rows
        batch = {int(e) for e in await more.limit(limit).values_list("entity_id", flat=True)}  # type: ignore[call-overload]
        if not batch:
            break
        found |= batch
    return found


async def own_entity(actor: Actor, lock: bool = False) -> Entity:
    """The actor's entity row (the tenant itself); with `lock`, locked until the transaction
    ends."""
    found = Entity.filter(id=actor.entity_id)
    entity = await (found.select_for_update() if lock else found).first()
    if entity is None:
        raise EntityGone()
    return entity


# Hand-written SQL (hot paths only). Reads must filter by `entity_id = :entity`, which is bound
# from the actor; inserted rows get the actor's entity_id whatever they say.


def _client() -> BaseDBAsyncClient:
    """The default connection, or the transaction open in this context (db.atomic())."""
    return connections.get("default")


def _bind(actor: Actor, sql: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
    if "entity_id = :entity" not in sql:
        raise ValueError("tenant SQL must filter by entity_id = :entity")
    return rawsql.bind(sql, {**params, "entity": actor.entity_id}, statements.placeholder())


async def fetch(actor: Actor, sql: str, **params: Any) -> list[dict[str, Any]]:
    """Rows of a hand-written SELECT over the actor's entity."""
    client = _client()
    text, values = _bind(actor, sql, params)
    return await client.execute_query_dict(text, values)


async def execute(actor: Actor, sql: str, **params: Any) -> int:
    """A hand-written UPDATE or DELETE over the actor's entity; returns the rows it changed."""
    client = _client()
    text, values = _bind(actor, sql, params)
    changed, _ = await client.execute_query(text, values)
    return int(changed)


async def insert_new(table: str, column: str, values: Sequence[Any]) -> None:
    """One multi-row INSERT of one-column rows into a table of no entity (bookkeeping such as
    event delivery notes), a value its unique key already holds skipped. The ORM's bulk_create
    built a model object a row: a tenth of a busy server's time, after every publish."""
    if not values:
        return
    client = _client()
    mark = rawsql.mark_of(client)
    verb = "INSERT OR IGNORE" if mark == "?" else "INSERT IGNORE"
    await client.execute_query(
        verb + rawsql.insert(table, (column,), len(values), mark)[len("INSERT") :], list(values)
    )


async def insert_rows(
    actor: Actor, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int] | None:
    """One multi-row INSERT into a tenant table; each row gets the actor's entity_id first.
    Returns the new ids in row order where the database makes one statement's ids consecutive
    (SQLite; InnoDB with innodb_autoinc_lock_mode 0 or 1, MariaDB's default), else None."""
    (done,) = await statements.run([insert_statement(actor, table, columns, rows)])
    return new_ids(done, len(rows)) if await consecutive_ids() else None


def insert_statement(
    actor: Actor, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Statement:
    """The multi-row INSERT of insert_rows(), to run with others (statements.run). A value may
    be `prior_id()`: the id the statement before gave one of its rows."""
    mark = statements.placeholder()
    if not any(isinstance(v, rawsql.Inline) for row in rows for v in row):
        sql = rawsql.insert(table, ("entity_id", *columns), len(rows), mark)
        return Statement(sql, [v for row in rows for v in (actor.entity_id, *row)])
    groups, values = [], []
    for row in rows:
        groups.append(
            "(" + ", ".join([mark, *(v if isinstance(v, rawsql.Inline) else mark for v in row)]) + ")"
        )
        values += [actor.entity_id, *(v for v in row if not isinstance(v, rawsql.Inline))]
    sql = rawsql.insert(table, ("entity_id", *columns), 0, mark) + ", ".join(groups)
    return Statement(sql, values)


def prior_id(index: int, rows: int) -> rawsql.Inline:
    """In a statement sent after a multi-row INSERT of `rows` rows (statements.run), the id
    that INSERT gave its row `index`; only where ids are consecutive (consecutive_ids())."""
    if statements.placeholder() == "?":  # SQLite: the last row's id
        return rawsql.Inline(f"(last_insert_rowid() - {int(rows) - 1 - int(index)})")
    return rawsql.Inline(f"(LAST_INSERT_ID() + {int(index)})")  # InnoDB: the first row's


def new_ids(done: Outcome, rows: int) -> list[int]:
    """The ids of a multi-row INSERT's rows that statements.run ran, in row order (ids
    consecutive: consecutive_ids())."""
    if statements.placeholder() == "?":  # SQLite reports the last id
        return list(range(done.lastrowid - rows + 1, done.lastrowid + 1))
    return list(range(done.lastrowid, done.lastrowid + rows))  # InnoDB the first


_CONSECUTIVE: dict[str, bool] = {}


async def consecutive_ids() -> bool:
    """True when one INSERT's rows get consecutive ids (SQLite; InnoDB with
    innodb_autoinc_lock_mode 0 or 1, MariaDB's default)."""
    client = _client()
    if rawsql.mark_of(client) == "?":
        return True
    if "mysql" not in _CONSECUTIVE:
        rows = await client.execute_query_dict("SELECT @@innodb_autoinc_lock_mode AS mode")
        _CONSECUTIVE["mysql"] = int(rows[0]["mode"]) <= 1
    return _CONSECUTIVE["mysql"]


async def advance(actor: Actor, table: str, column: str, by: int) -> int | None:
    """Add `by` to `column` of the entity's row of `table` in one statement, which locks that
    row until commit, and return the new value (None when the entity has no row)."""
    client = _client()
    if rawsql.mark_of(client) == "?":
        sql = f"UPDATE {table} SET {column} = {column} + ? WHERE entity_id = ? RETURNING {column}"
        rows = await client.execute_query_dict(sql, [by, actor.entity_id])
        return int(rows[0][column]) if rows else None
    # LAST_INSERT_ID(expr) hands the new value back in the statement's own reply.
    sql = f"UPDATE {table} SET {column} = LAST_INSERT_ID({column} + %s) WHERE entity_id = %s"
    value = await client.execute_insert(sql, [by, actor.entity_id])
    return int(value) if value else None


def counts_statement(
    actor: Actor,
    table: str,
    keys: Sequence[str],
    columns: str | Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> Statement:
    """The statement adding each row's last values to the `columns` of the counter keyed by
    (entity_id, *keys), making the counter the first time. `table` has a unique key on exactly
    those columns."""
    mark = statements.placeholder()
    added = (columns,) if isinstance(columns, str) else tuple(columns)
    every = ("entity_id", *keys, *added)
    sql = rawsql.insert(table, every, len(rows), mark)
    if mark == "?":
        sets = ", ".join(f"{c} = {c} + excluded.{c}" for c in added)
        sql += f" ON CONFLICT ({', '.join(every[: -len(added)])}) DO UPDATE SET {sets}"
    else:
        sql += " ON DUPLICATE KEY UPDATE " + ", ".join(f"{c} = {c} + VALUES({c})" for c in added)
    return Statement(sql, [v for row in rows for v in (actor.entity_id, *row)], shared=table)


async def add_counts(
    actor: Actor, table: str, keys: Sequence[str], column: str, rows: Sequence[Sequence[Any]]
) -> None:
    """Add to counters now (counts_statement)."""
    await statements.run([counts_statement(actor, table, keys, column, rows)])


def statement(actor: Actor, sql: str, **params: Any) -> Statement:
    """A hand-written statement over the actor's entity, to run with others (statements.run)."""
    return Statement(*_bind(actor, sql, params))
