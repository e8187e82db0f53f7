"""The outbox numbers each entity's events from that entity's own sequence: gapless, in order,
the records told the same numbers the rows were stored with."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from models import EventOutbox, EventSequence
from salesmagnet import events
from tests.conftest import Served
from tests.factories import make_entity


async def stored(entity_id: int) -> dict[str, int]:
    return dict(await EventOutbox.filter(entity_id=entity_id).values_list("event_id", "seq"))


async def test_one_transaction_numbers_each_entity_from_its_own_sequence(served: Served) -> None:
    first, second = await make_entity(), await make_entity()
    async with in_transaction("default"):  # earlier events: numbering goes on from them
        await events.write_outbox([events.Event("lead:new", first.id, {"lead": {"id": n}}) for n in (1, 2)])
    async with in_transaction("default"):
        records = await events.write_outbox(
            [
                events.Event("lead:new", second.id, {"lead": {"id": 10}}),
                events.Event("lead:new", first.id, {"lead": {"id": 3}}),
                events.Event("lead:assigned", second.id, {"lead": {"id": 10}}),
                events.Event("lead:new", first.id, {"lead": {"id": 4}}),
                events.Event("lead:new", first.id, {"lead": {"id": 5}}),
            ]
        )
    told = {r.event_id: r.seq for r in records}
    assert [r.seq for r in records if r.entity_id == first.id] == [3, 4, 5]
    assert [r.seq for r in records if r.entity_id == second.id] == [1, 2]
    assert all(r.payload["seq"] == r.seq for r in records)
    for entity in (first, second):
        rows = await stored(entity.id)
        assert {r.event_id for r in records if r.entity_id == entity.id} <= set(rows)
        assert {e: told[e] for e in rows if e in told} == {e: s for e, s in rows.items() if e in told}
        assert sorted(rows.values()) == list(range(1, len(rows) + 1))  # gapless
        assert (await EventSequence.get(entity_id=entity.id)).last_seq == len(rows)


async def test_an_entity_without_a_sequence_row_starts_at_one(served: Served) -> None:
    entity = await make_entity()
    await EventSequence.filter(entity_id=entity.id).delete()
    async with in_transaction("default"):
        records = await events.write_outbox(
            [events.Event("lead:new", entity.id, {"lead": {"id": n}}) for n in (1, 2, 3)]
        )
    assert [r.seq for r in records] == [1, 2, 3]
    assert sorted((await stored(entity.id)).values()) == [1, 2, 3]
    assert (await EventSequence.get(entity_id=entity.id)).last_seq == 3
