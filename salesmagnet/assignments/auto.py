"""Auto-assignment: new leads are born owned, by the entity's `auto_assignment` setting.

The lead writer asks `deal()` for the owners of a batch of new leads inside its transaction, so
the lead row, its counters and its `lead:new` already carry the owner; `record()` then writes
each lead's history row (action `auto`) and `assignment` activity and announces `lead:assigned`
to the entity and the rep.

- `round_robin`: the entity's active sales reps by id, in turn. A batch takes its turns from the
  entity's cursor row in one autocommitted statement, so concurrent batches — in one process or
  many — share one rotation without waiting for each other's commits.
- `least_loaded`: each lead to the rep with the fewest open leads (then the lowest id), from
  the lead counters as committed; the batch holds the cursor row until it commits, so the next
  batch reads the loads this one left (such batches take turns).
- `auto_assignment_online_first`: only reps with a live socket, when any is online.
"""

from __future__ import annotations

import asyncio
import contextvars
import heapq
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime
from typing import Any, TypeVar

from models import AssignmentAction, RoleId
from salesmagnet import outages
from salesmagnet.assignments import records
from salesmagnet.db import dialect_of_connection
from salesmagnet.leads import counts
from salesmagnet.tenancy import Actor, add_counts, advance, fetch

log = logging.getLogger(__name__)
T = TypeVar("T")
Online = Callable[[int], Awaitable[dict[int, str]]]
_online: Online | None = None
REASON = {
    "round_robin": "Automatic assignment (round robin)",
    "least_loaded": "Automatic assignment (least loaded)",
}


def use_presence(online: Online | None) -> None:
    """Who is online per entity (the presence store's `online`), for `online first`."""
    global _online
    _online = online


Rep = records.Owner  # an active sales rep, as assignments name their owners


async def deal(actor: Actor, settings: dict[str, Any], count: int) -> list[Rep | None]:
    """An owner for each of `count` new leads (all None when auto-assignment is off or the
    entity has no active sales rep)."""
    mode = settings["auto_assignment"]
    if mode == "off" or count == 0:
        return [None] * count
    reps = await _pool(actor, bool(settings["auto_assignment_online_first"]))
    if not reps:
        return [None] * count
    if mode == "round_robin":
        return [reps[turn % len(reps)] for turn in await _take_turns(actor, count)]
    await _advance(actor, count)  # in this transaction: least-loaded batches take turns
    # The loads as committed (the batch before ours committed before we got the cursor): read
    # outside this transaction, so neither its snapshot nor a shared lock on the counters.
    loads = await _apart(counts.by_owner(actor))
    heap = [(loads.get(rep.id, (0, 0))[0], rep.id, rep) for rep in reps]
    heapq.heapify(heap)
    owners: list[Rep | None] = []
    for _ in range(count):
        load, rep_id, rep = heap[0]
        heapq.heapreplace(heap, (load + 1, rep_id, rep))
        owners.append(rep)
    return owners


async def _pool(actor: Actor, online_first: bool) -> list[Rep]:
    reps = await _reps(actor)
    if online_first and _online is not None and reps:
        try:
            online = await _online(actor.entity_id)
        except Exception as exc:  # presence away: deal to everyone rather than refuse the leads
            outages.log_failure(log, exc, "Presence unreadable; auto-assigning among all reps")
            online = {}
        return [rep for rep in reps if rep.id in online] or reps
    return reps


REPS_FRESH_FOR = 2.0  # seconds a process deals to the reps it read
_reps_read: dict[int, tuple[float, list[Rep]]] = {}


async def _reps(actor: Actor) -> list[Rep]:
    """The entity's active sales reps by id, as read at most REPS_FRESH_FOR seconds ago (the
    writer deals with every batch; a rep added or deactivated counts within that)."""
    now = time.monotonic()
    kept = _reps_read.get(actor.entity_id)
    if kept is not None and kept[0] > now:
        return kept[1]
    rows = await fetch(
        actor,
        "SELECT id, first_name, last_name FROM users WHERE entity_id = :entity AND role_id = :role "
        "AND is_active = :yes ORDER BY id",
        role=int(RoleId.SALES_REP),
        yes=True,
    )
    reps = [Rep(int(r["id"]), r["first_name"], r["last_name"]) for r in rows]
    _reps_read[actor.entity_id] = (now + REPS_FRESH_FOR, reps)
    return reps


async def _take_turns(actor: Actor, count: int) -> list[int]:
    """`count` turns of the entity's rotation, taken from its cursor row in one statement of
    their own, committed at once: the row is locked for that statement, not for the batch, so
    concurrent batches of any process share one rotation without waiting for each other's
    commits. A batch that then fails leaves its turns unused (the rotation skips them). SQLite
    has one connection and one writer at a time: there the turns are taken in the batch's own
    transaction."""
    if dialect_of_connection() == "sqlite":
        last = await _advance(actor, count)
    else:
        last = await _apart(_advance_now(actor, count))
    return list(range(last - count, last))


async def _apart(work: Coroutine[Any, Any, T]) -> T:
    """`work` outside the caller's transaction (a fresh context: the pool, autocommitted). On
    SQLite, whose one connection the transaction holds, in it: one writer, nothing to miss."""
    if dialect_of_connection() == "sqlite":
        return await work
    return await asyncio.get_running_loop().create_task(work, context=contextvars.Context())


async def _advance_now(actor: Actor, count: int) -> int:
    turn = await advance(actor, "assignment_cursors", "turn", count)
    if turn is None:  # the entity's first auto-assignment: make its cursor
        await add_counts(actor, "assignment_cursors", (), "turn", [(0,)])
        turn = await advance(actor, "assignment_cursors", "turn", count)
    assert turn is not None
    return turn


async def rotation(actor: Actor) -> int:
    """The turns the entity's rotation has taken (0 before its first): its next turn goes to
    the active sales rep at that index (by id), modulo their number."""
    rows = await fetch(actor, "SELECT turn FROM assignment_cursors WHERE entity_id = :entity")
    return int(rows[0]["turn"]) if rows else 0


async def turn(actor: Actor, count: int) -> None:
    """Move the entity's rotation on by `count` turns, committed at once (a bulk assignment,
    which deals outside one transaction, says how far it went)."""
    if count:
        await _apart(add_counts(actor, "assignment_cursors", (), "turn", [(count,)]))


async def _advance(actor: Actor, count: int) -> int:
    """Advance the entity's cursor by `count`, locking it until commit; the new last turn."""
    await add_counts(actor, "assignment_cursors", (), "turn", [(count,)])
    rows = await fetch(actor, "SELECT turn FROM assignment_cursors WHERE entity_id = :entity")
    return int(rows[0]["turn"])


async def record(actor: Actor, mode: str, dealt: list[tuple[dict[str, Any], Rep]], now: datetime) -> None:
    """History rows, activities and `lead:assigned` of leads just written with these owners
    (`dealt`: each new lead's summary and its rep)."""
    await records.record_many(
        actor, AssignmentAction.AUTO, REASON.get(mode, "Automatic assignment"), dealt, now
    )
