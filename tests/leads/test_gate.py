"""The one door through which a lead changes (salesmagnet.leads.service.change)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest

from models import Lead, RoleId
from salesmagnet.db import atomic, retried
from salesmagnet.errors import NotFound
from salesmagnet.leads import service as leads
from salesmagnet.tenancy import Actor
from tests.conftest import TEST_DB, Served
from tests.factories import logged_in, make_entity, make_lead, make_user
from tests.realtime.clients import Listener


async def test_a_change_needs_the_callers_transaction() -> None:
    entity = await make_entity()
    lead_id = await make_lead(entity)
    with pytest.raises(RuntimeError, match=r"inside db\.atomic"):
        await leads.change(Actor.system(entity.id), lead_id, status="contacted")


async def test_status_and_owner_move_the_counters_and_the_queues(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await make_user(entity)
    lead_id = await make_lead(entity)
    async with atomic():
        moved = await leads.change(Actor.system(entity.id), lead_id, status="contacted", owner=rep.id)
    assert (moved.previous_status, moved.previous_owner) == ("new", None)
    assert moved.changed == ["status", "assigned_user_id"]
    assert moved.lead["status"] == "contacted" and moved.lead["assigned_user_id"] == rep.id
    counts = {
        c["status"]: c["count"]
        for c in (await client.get("/api/leads/counts", headers=manager.auth)).json()["data"]
    }
    assert counts["contacted"] == 1 and counts["new"] == 0
    unassigned = await client.get("/api/leads/unassigned", headers=manager.auth)
    assert unassigned.json()["total"] == 0
    async with atomic():  # back to nobody: the owner's cell moves again
        again = await leads.change(Actor.system(entity.id), lead_id, owner=None)
    assert again.changed == ["assigned_user_id"] and again.lead["assigned_user_id"] is None
    assert (await client.get("/api/leads/unassigned", headers=manager.auth)).json()["total"] == 1


async def test_an_edit_keeps_search_right_and_is_announced(served: Served, client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    lead_id = await make_lead(entity, first_name="Ada")
    floor = await Listener().connect(served.url, manager.token)
    try:
        async with atomic():
            same = await leads.change(Actor.system(entity.id), lead_id, fields={"first_name": "Ada"})
            edited = await leads.change(Actor.system(entity.id), lead_id, fields={"first_name": "Grace"})
        # the full name (empty: the lead had none) is made from the new first name
        assert same.changed == [] and edited.changed == ["first_name", "full_name"]
        await floor.wait_for(lambda: bool(floor.named("lead:updated")))
        await floor.quiet()
        assert [e["changed"] for e in floor.named("lead:updated")] == [["first_name", "full_name"]]  # once
    finally:
        await floor.close()
    found = await client.get("/api/leads", params={"search": "grace"}, headers=manager.auth)
    assert [lead["id"] for lead in found.json()["data"]] == [lead_id]
    assert (await client.get("/api/leads", params={"search": "ada"}, headers=manager.auth)).json()[
        "total"
    ] == 0


async def test_another_entitys_lead_is_not_found_and_stays_as_it_was() -> None:
    mine, theirs = await make_entity(), await make_entity()
    lead_id = await make_lead(theirs)
    with pytest.raises(NotFound):
        async with atomic():
            await leads.change(Actor.system(mine.id), lead_id, status="lost")
    assert (await Lead.get(id=lead_id)).status == "new"


@pytest.mark.skipif(TEST_DB != "mysql", reason="row locks: MariaDB")
async def test_concurrent_changes_of_one_lead_leave_one_truth() -> None:
    """Ten owners given at once: the row lock orders them, the counters follow each move."""
    entity = await make_entity()
    reps = [await make_user(entity) for _ in range(10)]
    lead_id = await make_lead(entity)

    async def give(owner: int) -> None:
        async with atomic():
            await leads.change(Actor.system(entity.id), lead_id, owner=owner)

    await asyncio.gather(*(give(rep.id) for rep in reps))
    assert (await Lead.get(id=lead_id)).assigned_user_id in {rep.id for rep in reps}


@pytest.mark.skipif(TEST_DB != "mysql", reason="deadlocks: MariaDB")
async def test_a_deadlock_victim_is_run_again() -> None:
    """Two transactions lock two leads in opposite orders: MariaDB rolls one back (1213) and
    db.retried runs it again, so both land."""
    entity = await make_entity()
    first, second = await make_lead(entity), await make_lead(entity)
    actor = Actor.system(entity.id)
    runs: list[str] = []
    both_hold_one = asyncio.Barrier(2)

    def crossing(name: str, one: int, other: int, status: str) -> Callable[[], Awaitable[None]]:
        async def work() -> None:
            runs.append(name)
            async with atomic():
                await leads.change(actor, one, fields={"first_name": name})
                if runs.count(name) == 1:  # the first run waits until both hold a row
                    await both_hold_one.wait()
                await leads.change(actor, other, status=status)

        return work

    await asyncio.gather(
        retried(crossing("a", first, second, "qualified")), retried(crossing("b", second, first, "lost"))
    )
    assert sorted(runs) in (["a", "a", "b"], ["a", "b", "b"])  # one victim, run twice
    assert (await Lead.get(id=first)).status == "lost" and (await Lead.get(id=second)).status == "qualified"


async def test_counter_moves_are_written_at_commit_and_dropped_with_their_block() -> None:
    """The gate's counter cells are written just before the commit: a nested block that fails
    takes its moves with it, the outer one's stand (the recount after the test checks both)."""
    entity = await make_entity()
    rep = await make_user(entity)
    kept, dropped = await make_lead(entity), await make_lead(entity)
    actor = Actor.system(entity.id)
    async with atomic():
        await leads.change(actor, kept, owner=rep.id)
        with pytest.raises(RuntimeError):
            async with atomic():
                await leads.change(actor, dropped, status="lost")
                raise RuntimeError("this block fails")
    assert ((await Lead.get(id=kept)).assigned_user_id, (await Lead.get(id=dropped)).status) == (
        rep.id,
        "new",
    )
    with pytest.raises(RuntimeError):
        async with atomic():
            await leads.change(actor, dropped, owner=rep.id)
            raise RuntimeError("the whole transaction fails")
    assert (await Lead.get(id=dropped)).assigned_user_id is None
