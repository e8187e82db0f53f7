"""Statements sent together (salesmagnet.statements) and the engine's deferred BEGIN: what a
transaction wrote is kept whole or not at all, whichever round trip carried it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from tortoise.exceptions import IntegrityError

from salesmagnet import db, rawsql, statements
from salesmagnet.statements import Statement
from tests.conftest import TEST_DB, Served

MARK = "?" if TEST_DB == "sqlite" else "%s"
KEY = "INTEGER PRIMARY KEY" if TEST_DB == "sqlite" else "INT AUTO_INCREMENT PRIMARY KEY"


@pytest_asyncio.fixture
async def probe(served: Served) -> AsyncIterator[None]:
    client = db.conn()
    await client.execute_script("DROP TABLE IF EXISTS statements_probe")
    await client.execute_script(f"CREATE TABLE statements_probe (id {KEY}, name VARCHAR(50) NOT NULL UNIQUE)")
    yield
    await client.execute_script("DROP TABLE statements_probe")


def put(name: str) -> Statement:
    return Statement(rawsql.insert("statements_probe", ("name",), 1, MARK), [name])


async def names() -> list[str]:
    rows = await db.conn().execute_query_dict("SELECT name FROM statements_probe ORDER BY name")
    return [row["name"] for row in rows]


async def test_a_batch_that_fails_midway_keeps_nothing_of_its_transaction(probe: None) -> None:
    await statements.run([put("taken")])
    with pytest.raises(IntegrityError):
        async with db.atomic():
            await statements.run([put("first")])
            await statements.run([put("second"), put("taken"), put("never")], commit=True)
    assert await names() == ["taken"]


async def test_a_transactions_first_statement_is_inside_it(probe: None) -> None:
    """BEGIN rides with the first statement: a rollback still takes that statement back."""
    with pytest.raises(RuntimeError):
        async with db.atomic():
            await statements.run([put("alone")])
            raise RuntimeError("changed my mind")
    with pytest.raises(RuntimeError):
        async with db.atomic():
            async with db.atomic():  # a savepoint first
                await statements.run([put("nested")])
            raise RuntimeError("changed my mind")
    async with db.atomic():
        done = await statements.run([put("kept"), Statement("SELECT name FROM statements_probe", None)])
    assert done[0].rowcount == 1 and done[1].rows == [{"name": "kept"}]
    assert await names() == ["kept"]


async def test_text_without_values_is_sent_as_it_is(probe: None) -> None:
    rows = await db.conn().execute_query_dict("SELECT '100%' AS share")
    assert rows == [{"share": "100%"}]
