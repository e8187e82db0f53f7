"""Analytics answers kept between changes, and `analytics:updated` pushed when they move.

**Kept answers.** An answer is kept as JSON with the entity's event sequence it was computed at
(every change to a lead or an activity is announced in its own transaction, which advances
it): a request reads the sequence (one primary-key row) and answers what is kept if it is still
current, else computes it from the rollups — once: requests that ask meanwhile wait for that
computation instead of repeating it. While the floor keeps changing (the sequence moved, and
what is kept is younger than ANALYTICS_LAG, 1 s), the kept answer is given at once and a newer
one computed behind it: a busy entity's figures trail it by at most that plus one computation,
as its pushes do; a quiet one's are exact. Answers are kept in the process (the newest
KEPT_ANSWERS) and, with Redis, shared by every process for KEEP_SECONDS: a Redis flushed, or
away, only means computing again.

**Pushes.** After a commit that announced lead or activity events of an entity, the process
that made it refreshes the entity's dashboard and announces it with `analytics:updated` (an
event like the others: numbered, kept, replayed) — at once, or, when the entity's last refresh
was less than a second ago, a second after it: at most one a second per entity however fast
leads arrive, and the last change is always followed by one. With Redis the second is shared
(a key that expires), so several processes together still push one a second.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from salesmagnet import events, outages
from salesmagnet.db import atomic
from salesmagnet.errors import AppError
from salesmagnet.rawsql import JsonText
from salesmagnet.tenancy import Actor, fetch

log = logging.getLogger(__name__)

KEPT_ANSWERS = 4096
KEEP_SECONDS = 600
EVERY = 1.0  # seconds: at most one analytics:updated per entity in this time
# The events whose changes move the figures (a contact edit, lead:updated, moves none).
MOVES = frozenset(
    {"lead:new", "lead:assigned", "lead:unassigned", "lead:status_changed", "activity:logged",
     "activity:updated", "sla:breach", "followup:overdue"}
)  # fmt: skip
UPDATED = "analytics:updated"


@dataclass(frozen=True)
class Kept:
    seq: int  # the entity's sequence when it was computed
    text: JsonText
    at: float  # when (monotonic)


_kept: OrderedDict[tuple[int, str, str], Kept] = OrderedDict()
_lag = 1.0
_flights: dict[tuple[int, str, str, int], asyncio.Future[JsonText]] = {}
_redis: Any = None
_dashboard: Callable[[Actor], Awaitable[dict[str, Any]]] | None = None
_due: dict[int, asyncio.TimerHandle] = {}
_last: dict[int, float] = {}
_tasks: set[asyncio.Task[None]] = set()


async def sequence(actor: Actor) -> int:
    rows = await fetch(actor, "SELECT last_seq FROM event_sequences WHERE entity_id = :entity")
    return int(rows[0]["last_seq"]) if rows else 0


def _encode(value: Any) -> JsonText:
    return JsonText(json.dumps(value, default=str, separators=(",", ":"), ensure_ascii=False))


async def answer(
    actor: Actor,
    name: str,
    query: BaseModel | None,
    compute: Callable[[], Awaitable[Any]],
    exact: bool = False,
) -> JsonText:
    """The answer `compute` gives, as JSON, kept while the entity's sequence stays (`exact`:
    never one that trails it)."""
    seq = await sequence(actor)
    asked = query.model_dump_json() if query is not None else ""
    key = (actor.entity_id, name, asked)
    if (kept := _kept.get(key)) is not None:
        _kept.move_to_end(key)
        if kept.seq == seq:
            return kept.text
        if not exact and kept.seq < seq and time.monotonic() - kept.at < _lag:  # a busy floor
            _flight(key, seq, compute)  # the next requests get a newer one
            return kept.text
    return await asyncio.shield(_flight(key, seq, compute))


def _flight(
    key: tuple[int, str, str], seq: int, compute: Callable[[], Awaitable[Any]]
) -> asyncio.Future[JsonText]:
    """The computation of `key` at `seq`: one at a time in a process (requests meanwhile wait
    for it), and none for a sequence older than the newest already kept or under way."""
    flight = (*key, seq)
    if (running := _flights.get(flight)) is None:
        running = asyncio.ensure_future(_compute(key, seq, compute))
        _flights[flight] = running
        running.add_done_callback(lambda done: _landed(flight, done))
    return running


def _landed(flight: tuple[int, str, str, int], done: asyncio.Future[JsonText]) -> None:
    """A computation ended: forget it, and log a failure here (one computed behind a kept
    answer has nobody else to tell). A request's own mistake (a 4xx: sla_hours out of range)
    is its answer, not a failure of the server."""
    _flights.pop(flight, None)
    if not done.cancelled() and (exc := done.exception()) is not None and not _asked_wrong(exc):
        outages.log_failure(log, exc, "computing analytics %s of entity %d failed", flight[1], flight[0])


def _asked_wrong(exc: BaseException) -> bool:
    return isinstance(exc, AppError) and exc.status < 500


async def _compute(key: tuple[int, str, str], seq: int, compute: Callable[[], Awaitable[Any]]) -> JsonText:
    entity_id, name, asked = key
    shared = f"salesmagnet:analytics:{entity_id}:{seq}:{name}:{asked}"
    text = await _shared(shared)
    if text is None:
        text = _encode(await compute())
        await _share(shared, text)
    if (kept := _kept.get(key)) is None or kept.seq <= seq:
        _kept[key] = Kept(seq, text, time.monotonic())
    _kept.move_to_end(key)
    while len(_kept) > KEPT_ANSWERS:
        _kept.popitem(last=False)
    return text


async def _shared(key: str) -> JsonText | None:
    if _redis is None:
        return None
    try:
        found = await _redis.get(key)
    except Exception as exc:
        outages.report(exc)
        return None
    return None if found is None else JsonText(found.decode() if isinstance(found, bytes) else found)


async def _share(key: str, text: JsonText) -> None:
    if _redis is not None:
        try:
            await _redis.set(key, str(text), ex=KEEP_SECONDS)
        except Exception as exc:
            outages.report(exc)


def start(redis: Any, dashboard: Callable[[Actor], Awaitable[dict[str, Any]]], lag: float) -> None:
    """Push `analytics:updated` from this process (its dashboard computed by `dashboard`);
    answers may trail a changing floor by `lag` seconds (ANALYTICS_LAG)."""
    global _redis, _dashboard
    _redis, _dashboard = redis, dashboard
    allow_lag(lag)
    events.on_hand_off(touched)


def allow_lag(seconds: float) -> None:
    global _lag
    _lag = seconds


def stop() -> None:
    global _redis, _dashboard
    events.on_hand_off(touched, remove=True)
    for handle in _due.values():
        handle.cancel()
    _due.clear()
    _last.clear()
    _kept.clear()
    _redis, _dashboard = None, None


def touched(records: Iterable[events.Record]) -> None:
    """Committed events: refresh the entities whose figures they move (events.on_hand_off)."""
    for entity_id in {r.entity_id for r in records if r.name in MOVES}:
        if entity_id not in _due:
            _schedule(entity_id, _last.get(entity_id, 0.0) + EVERY - time.monotonic())


def _schedule(entity_id: int, delay: float) -> None:
    loop = asyncio.get_running_loop()
    _due[entity_id] = loop.call_later(max(0.0, delay), _run, entity_id)


def _run(entity_id: int) -> None:
    task = asyncio.get_running_loop().create_task(_refresh(entity_id))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def _refresh(entity_id: int) -> None:
    try:
        if _redis is not None:
            key = f"salesmagnet:analytics:tick:{entity_id}"
            if not await _redis.set(key, 1, nx=True, px=round(EVERY * 1000)):
                wait = await _redis.pttl(key)
                _schedule(entity_id, max(wait, 10) / 1000)  # another process pushed: after its second
                return
        _due.pop(entity_id, None)
        _last[entity_id] = time.monotonic()
        await push(Actor.system(entity_id))
    except Exception as exc:
        _due.pop(entity_id, None)
        outages.log_failure(log, exc, "refreshing the analytics of entity %d failed", entity_id)


async def push(
    actor: Actor, dashboard: Callable[[Actor], Awaitable[dict[str, Any]]] | None = None
) -> dict[str, Any]:
    """Announce the entity's dashboard as it is now (`analytics:updated`); the figures. It
    advances the entity's sequence: every kept answer of it is computed again."""
    compute = dashboard or _dashboard
    if compute is None:
        raise RuntimeError("analytics pushes are not started in this process")
    figures = json.loads(await answer(actor, "dashboard", None, lambda: compute(actor), exact=True))
    async with atomic():
        events.emit(events.Event(UPDATED, actor.entity_id, {"dashboard": figures}))
    return dict(figures)
