"""Socket.IO on the served app: authentication, rooms, isolation, after-commit delivery,
replay, resync, duplicate suppression and presence — with real clients on a real port."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import pytest
import socketio

from models import EventDelivery, EventOutbox, EventSequence, RoleId
from realtime import hub as hub_module
from realtime import manager as manager_module
from realtime import publisher as publisher_module
from salesmagnet import events
from salesmagnet.db import atomic
from tests.conftest import TEST_DB, Served
from tests.factories import TestUser, logged_in, make_entity
from tests.realtime.clients import Listener, commit


async def listen(served: Served, user: TestUser, settle: bool = True, **kwargs: object) -> Listener:
    """A connected listener; with `settle`, after its own presence announcement arrived."""
    listener = await Listener().connect(served.url, user.token, **kwargs)  # type: ignore[arg-type]
    if settle:
        await listener.wait_for(
            lambda: any(d["user_id"] == user.id for d in listener.named("presence:changed"))
        )
    return listener


async def current_seq(entity_id: int) -> int:
    return (await events.bounds(entity_id))[1]


@pytest.mark.parametrize("auth", [None, {}, {"token": ""}, {"token": "x.y.z"}, {"token": 42}])
async def test_connect_needs_a_valid_token(served: Served, auth: object) -> None:
    listener = Listener()
    with pytest.raises(socketio.exceptions.ConnectionError):
        await listener.client.connect(served.url, auth=auth, transports=["websocket"], wait_timeout=5)
    assert (
        listener.refusal and "token" in str(listener.refusal.get("message", "")).lower()
    ) or listener.refusal


async def test_expired_or_revoked_token_is_refused(served: Served, client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    rep = await logged_in(client, entity)
    await client.delete(f"/api/auth/users/{rep.id}", headers=admin.auth)
    listener = Listener()
    with pytest.raises(socketio.exceptions.ConnectionError):
        await listener.connect(served.url, rep.token)
    assert "inactive" in listener.refusal["message"]


@pytest.mark.parametrize("last_seq", ["5", -1, True, 1.5, [1]])
async def test_odd_last_seq_is_refused_by_name(
    served: Served, client: httpx.AsyncClient, last_seq: object
) -> None:
    user = await logged_in(client, await make_entity())
    listener = Listener()
    with pytest.raises(socketio.exceptions.ConnectionError):
        await listener.connect(served.url, user.token, last_seq=last_seq)
    assert "last_seq" in listener.refusal["message"]


async def test_socket_is_in_exactly_its_two_rooms(served: Served, client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    user = await logged_in(client, entity)
    listener = await listen(served, user)
    try:
        sio = served.app.ctx.hub.sio
        sid = listener.client.get_sid("/")
        await listener.client.emit("join", {"room": "entity:1"})
        await listener.client.emit("enter_room", "entity:1")
        await listener.quiet(0.2)
        rooms = set(sio.rooms(sid)) - {sid}
        assert rooms == {f"entity:{entity.id}", f"user:{user.id}"}
    finally:
        await listener.close()


async def test_burst_reaches_its_entity_only(served: Served, client: httpx.AsyncClient) -> None:
    mine, other = await make_entity(), await make_entity()
    a = await listen(served, await logged_in(client, mine))
    b = await listen(served, await logged_in(client, other))
    try:
        start = await current_seq(mine.id)
        for _chunk in range(20):  # 1,000 events in 1,000 transactions, 50 at a time
            await asyncio.gather(*(commit(mine.id) for _ in range(50)))
        await a.wait_for(lambda: len(a.named("lead:updated")) >= 1000, limit=30)
        await b.quiet(0.5)
        seqs = a.seqs("lead:updated")
        assert sorted(seqs) == list(range(start + 1, start + 1001))
        assert all(d["entity_id"] == mine.id for d in a.named("lead:updated"))
        assert b.named("lead:updated") == []
        assert all(d["entity_id"] == other.id for _, d in b.received)
    finally:
        await a.close()
        await b.close()


async def test_rolled_back_change_emits_nothing(served: Served, client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    listener = await listen(served, await logged_in(client, entity))
    try:
        before = await current_seq(entity.id)
        with pytest.raises(RuntimeError):
            async with atomic():
                events.emit(events.Event("lead:updated", entity.id, {"lead": {"id": 1}}))
                raise RuntimeError("rolled back")
        await commit(entity.id)
        await listener.wait_for(lambda: bool(listener.named("lead:updated")))
        await listener.quiet()
        assert [d["seq"] for d in listener.named("lead:updated")] == [before + 1]
        assert await EventOutbox.filter(entity_id=entity.id, seq__gt=before).count() == 1
    finally:
        await listener.close()


async def test_payload_carries_the_contract_fields(served: Served, client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    listener = await listen(served, await logged_in(client, entity))
    try:
        await commit(entity.id)
        await listener.wait_for(lambda: bool(listener.named("lead:updated")))
        payload = listener.named("lead:updated")[0]
        assert {"event_id", "seq", "entity_id", "at", "lead"} <= payload.keys()
        assert payload["at"].endswith("Z")
    finally:
        await listener.close()


async def test_replay_after_a_disconnect(served: Served, client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    user = await logged_in(client, entity)
    first = await listen(served, user)
    await commit(entity.id)
    await first.wait_for(lambda: bool(first.named("lead:updated")))
    seen = first.seqs()[-1]
    await first.close()
    await commit(entity.id, count=5)
    again = await listen(served, user, last_seq=seen)
    try:
        await again.wait_for(lambda: len(again.named("lead:updated")) >= 5)
        await commit(entity.id)
        await again.wait_for(lambda: len(again.named("lead:updated")) >= 6)
        await again.quiet()
        # Every event after last_seq — the 5 missed updates, presence changes, the live update —
        # in order, each once.
        assert again.seqs() == list(range(seen + 1, await current_seq(entity.id) + 1))
        assert len(again.named("lead:updated")) == 6
    finally:
        await again.close()


async def test_replay_races_live_events_without_gaps_or_duplicates(
    served: Served, client: httpx.AsyncClient
) -> None:
    entity = await make_entity()
    user = await logged_in(client, entity)
    await commit(entity.id, count=300)

    async def writer() -> None:
        for _ in range(60):
            await commit(entity.id)

    writing = asyncio.create_task(writer())
    listener = await listen(served, user, last_seq=0)
    try:
        await writing
        final = await current_seq(entity.id)
        await listener.wait_for(lambda: (listener.seqs() or [0])[-1] >= final, limit=15)
        await listener.quiet()
        assert listener.seqs() == list(range(1, final + 1))
    finally:
        await listener.close()


async def test_resync_when_behind_what_is_kept(served: Served, client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    user = await logged_in(client, entity)
    await commit(entity.id, count=10)
    await events.prune(keep=timedelta(hours=24), keep_max=3)
    current = await current_seq(entity.id)
    listener = await listen(served, user, last_seq=1)
    try:
        await listener.wait_for(lambda: len(listener.seqs("lead:updated")) >= 3)
        assert listener.received[0] == ("resync", {"from_seq": current - 2, "current_seq": current})
        assert listener.seqs("lead:updated") == [current - 2, current - 1, current]
    finally:
        await listener.close()


@asynccontextmanager
async def outbox_locked(served: Served, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """The database not answering reads of the outbox within production's DB_TIMEOUT (0.75 s):
    another connection holds a write lock on it while the block runs (MariaDB)."""
    if TEST_DB != "mysql":
        pytest.skip("a second connection locks the outbox on MariaDB")
    import aiomysql
    from tortoise import connections

    monkeypatch.setattr(connections.get("default"), "bound", 0.75)
    url = urlsplit(served.settings.database_url)
    locker = await aiomysql.connect(
        host=url.hostname or "127.0.0.1", port=url.port or 3306, user=url.username or "root",
        password=url.password or "", db=url.path.lstrip("/"), autocommit=True,
    )  # fmt: skip
    try:
        async with locker.cursor() as cursor:
            await cursor.execute("LOCK TABLES event_outbox WRITE")
            yield
            await cursor.execute("UNLOCK TABLES")
    finally:
        locker.close()


async def test_a_replay_the_database_did_not_answer_is_still_given(
    served: Served, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A socket resuming with last_seq while the database is slow past DB_TIMEOUT (a reconnect
    storm after a deploy) gets its missed events once it answers, before live ones. It used to
    go on live without them, silently (and without being announced online)."""
    entity = await make_entity()
    user = await logged_in(client, entity)
    watcher = await listen(served, await logged_in(client, entity))
    seen = await current_seq(entity.id)
    await commit(entity.id, count=3)
    await watcher.wait_for(lambda: len(watcher.named("lead:updated")) == 3)  # delivered, and missed
    resumed = None
    try:
        async with outbox_locked(served, monkeypatch):
            resumed = await Listener().connect(served.url, user.token, last_seq=seen)
            await asyncio.sleep(2)  # its replay's reads fail meanwhile
        await resumed.wait_for(lambda: len(resumed.seqs()) >= 4, limit=10)
        await resumed.quiet()
        # the three missed updates, then its own presence
        assert resumed.seqs() == [seen + 1, seen + 2, seen + 3, seen + 4]
        assert resumed.named("presence:changed")[0]["user_id"] == user.id
    finally:
        await watcher.close()
        if resumed is not None:
            await resumed.close()


async def test_a_replay_the_database_never_gave_ends_the_socket(
    served: Served, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given up on, a replay ends its socket (its client reconnects from its last_seq) rather
    than letting it go on live past the events it missed."""
    entity = await make_entity()
    user = await logged_in(client, entity)
    monkeypatch.setattr(hub_module, "REPLAY_TRIES", 2)
    resumed = Listener()
    try:
        async with outbox_locked(served, monkeypatch):
            await resumed.connect(served.url, user.token, last_seq=0)
            await resumed.wait_for(lambda: not resumed.client.connected, limit=10)
        assert resumed.received == []
    finally:
        await resumed.close()


async def test_events_pruned_while_a_replay_runs_are_announced_by_resync(
    served: Served, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Retention may drop events a long replay has not reached yet: the socket is told, with a
    `resync` from where its events start again (it used to skip from one seq to a much later
    one without a word, its state silently short of what it missed)."""
    entity = await make_entity()
    user = await logged_in(client, entity)
    await commit(entity.id, count=1000)
    current = await current_seq(entity.id)
    monkeypatch.setattr(hub_module, "REPLAY_PAGE", 1)  # a long replay: one read an event
    listener = await Listener().connect(served.url, user.token, last_seq=0)
    try:
        await listener.wait_for(lambda: bool(listener.seqs()))
        await events.prune(keep=timedelta(hours=24), keep_max=50)  # EVENT_KEEP_MAX's turn
        await listener.wait_for(lambda: current in listener.seqs(), limit=30)
        names = [name for name, _ in listener.received]
        assert names.count("resync") == 1
        cut = names.index("resync")
        before = [d["seq"] for _, d in listener.received[:cut]]
        resync = listener.received[cut][1]
        after = [d["seq"] for _, d in listener.received[cut + 1 :] if d["seq"] <= current]
        assert before == list(range(1, len(before) + 1))
        assert resync == {"from_seq": current - 49, "current_seq": current}
        assert after == list(range(current - 49, current + 1))
    finally:
        await listener.close()


async def test_last_seq_ahead_replays_nothing(served: Served, client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    user = await logged_in(client, entity)
    await commit(entity.id, count=3)
    listener = await listen(served, user, last_seq=10**12)
    try:
        await listener.quiet()
        assert listener.named("lead:updated") == [] and listener.named("resync") == []
        await commit(entity.id)  # live events after the connect still arrive
        await listener.wait_for(lambda: bool(listener.named("lead:updated")))
        assert listener.seqs("lead:updated") == [await current_seq(entity.id)]
    finally:
        await listener.close()


async def test_event_for_entity_and_user_room_arrives_once(served: Served, client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    owner = await logged_in(client, entity)
    colleague = await logged_in(client, entity)
    mine, theirs = await listen(served, owner), await listen(served, colleague)
    try:
        await commit(entity.id, name="lead:assigned", user_ids=(owner.id,))
        for listener in (mine, theirs):
            await listener.wait_for(lambda listener=listener: bool(listener.named("lead:assigned")))
            await listener.quiet()
            assert len(listener.named("lead:assigned")) == 1
    finally:
        await mine.close()
        await theirs.close()


async def test_presence_counts_sockets_per_user(served: Served, client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    watcher = await listen(served, await logged_in(client, entity))
    user = await logged_in(client, entity, RoleId.MANAGER)
    try:
        one, two = await listen(served, user), await listen(served, user, settle=False)
        await watcher.wait_for(
            lambda: any(d["user_id"] == user.id for d in watcher.named("presence:changed"))
        )
        online = await client.get("/api/realtime/presence", headers=user.auth)
        listed = {u["user_id"]: u for u in online.json()["data"]}
        assert listed[user.id]["role"] == "manager" and listed[user.id]["since"]
        await one.close()
        await watcher.quiet()
        mine = [d for d in watcher.named("presence:changed") if d["user_id"] == user.id]
        assert [d["online"] for d in mine] == [True]
        await two.close()
        await watcher.wait_for(
            lambda: len([d for d in watcher.named("presence:changed") if d["user_id"] == user.id]) == 2
        )
        mine = [d for d in watcher.named("presence:changed") if d["user_id"] == user.id]
        assert [d["online"] for d in mine] == [True, False] and mine[1]["seq"] > mine[0]["seq"]
        after = await client.get("/api/realtime/presence", headers=user.auth)
        assert user.id not in {u["user_id"] for u in after.json()["data"]}
    finally:
        await watcher.close()


async def test_a_socket_gone_at_once_is_offline_at_once(
    served: Served, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Disconnected before its settling ended, a socket still settles: the user is online, then
    offline, within seconds (it waited 30 s on an event nobody set, and logged a KeyError)."""
    entity = await make_entity()
    watcher = await listen(served, await logged_in(client, entity))
    user = await logged_in(client, entity, RoleId.MANAGER)
    try:
        gone = await listen(served, user, settle=False)
        await gone.close()
        await watcher.wait_for(
            lambda: (
                [d["online"] for d in watcher.named("presence:changed") if d["user_id"] == user.id]
                == [True, False]
            ),
            limit=5,
        )
        after = await client.get("/api/realtime/presence", headers=user.auth)
        assert user.id not in {u["user_id"] for u in after.json()["data"]}
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    finally:
        await watcher.close()


async def test_relay_publishes_what_a_dead_process_left(served: Served, client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    listener = await listen(served, await logged_in(client, entity))
    try:
        from tortoise.transactions import in_transaction

        async with in_transaction("default"):  # committed, then the "process died"
            records = await events.write_outbox([events.Event("lead:new", entity.id, {"lead": {"id": 7}})])
        await listener.quiet()
        assert listener.named("lead:new") == []
        assert await events.relay(older_than=timedelta(0)) >= 1
        await listener.wait_for(lambda: bool(listener.named("lead:new")))
        assert listener.named("lead:new")[0]["seq"] == records[0].seq
        progress = await EventSequence.get(entity_id=entity.id)
        assert progress.relayed_seq == records[0].seq  # relayed once: later relays pass it by
        assert all(r.entity_id != entity.id for r in await events.unpublished(timedelta(0)))
    finally:
        await listener.close()


async def test_a_replayed_event_is_not_sent_again_however_late_its_copy_comes(
    served: Served, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A socket that resumed with last_seq got a dead process's event in its replay; the relay
    sends that event when it next can, which may be minutes later (Redis or the worker away).
    The resumed socket must not get it a second time (it did once the floor's 120 s lapsed);
    a socket that missed it gets it then."""
    from tortoise.transactions import in_transaction

    entity = await make_entity()
    user = await logged_in(client, entity)
    # The floor used to lapse after 120 s; 0.2 s stands for the minutes the relay may take.
    monkeypatch.setattr(manager_module, "FLOOR_TTL", 0.2, raising=False)
    live = await listen(served, user)  # the user online: the next socket announces nothing
    seen = await current_seq(entity.id)
    async with in_transaction("default"):  # committed, then the "process died"
        [orphan] = await events.write_outbox([events.Event("lead:new", entity.id, {"lead": {"id": 7}})])
    resumed = await Listener().connect(served.url, user.token, last_seq=seen)
    try:
        await resumed.wait_for(lambda: resumed.seqs() == [orphan.seq])
        await asyncio.sleep(0.3)
        assert await events.relay(older_than=timedelta(0)) >= 1
        await live.wait_for(lambda: bool(live.named("lead:new")))  # the one that missed it
        await commit(entity.id)  # a later event: the relay's copy had its turn before it
        await resumed.wait_for(lambda: bool(resumed.named("lead:updated")))
        await resumed.quiet()
        assert resumed.seqs() == [orphan.seq, orphan.seq + 1]
    finally:
        await live.close()
        await resumed.close()


async def test_relay_sends_only_the_orphans_and_moves_past_them(
    served: Served, client: httpx.AsyncClient
) -> None:
    """Delivered events are noted once, in a row of their own; the relay publishes only what was
    never delivered, once, then moves the entity's progress past both and forgets the notes."""
    from tortoise.transactions import in_transaction

    entity = await make_entity()
    listener = await listen(served, await logged_in(client, entity))
    try:
        await commit(entity.id, count=3)
        async with in_transaction("default"):  # committed, then the "process died"
            written = await events.write_outbox([events.Event("lead:new", entity.id, {"lead": {"id": 9}})])
        orphan = written[0]
        await commit(entity.id)
        await listener.wait_for(lambda: len(listener.named("lead:updated")) == 4)
        kept = await EventOutbox.filter(entity_id=entity.id).values_list("event_id", flat=True)
        delivered = EventDelivery.filter(event_id__in=list(kept))
        for _ in range(50):  # the publisher notes deliveries just after emitting them
            if await delivered.count() == len(kept) - 1:
                break
            await asyncio.sleep(0.05)
        assert [r.event_id for r in await events.unpublished(timedelta(0)) if r.entity_id == entity.id] == [
            orphan.event_id
        ]
        await events.relay(older_than=timedelta(0))
        await listener.wait_for(lambda: bool(listener.named("lead:new")))
        await events.relay(older_than=timedelta(0))
        await listener.quiet()
        assert [d["seq"] for d in listener.named("lead:new")] == [orphan.seq]  # once
        progress = await EventSequence.get(entity_id=entity.id)
        assert progress.relayed_seq == progress.last_seq
        assert await delivered.count() == 0  # behind the progress: no longer needed
    finally:
        await listener.close()


async def test_relay_catches_up_past_several_batches(
    served: Served, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Delivered events and more orphans than one batch holds are all passed in one run, each
    orphan published once, in order."""
    from tortoise.transactions import in_transaction

    entity = await make_entity()
    listener = await listen(served, await logged_in(client, entity))
    try:
        await commit(entity.id, count=2)
        orphaned = [events.Event("lead:new", entity.id, {"lead": {"id": n}}) for n in range(5)]
        async with in_transaction("default"):  # committed, then the "process died"
            await events.write_outbox(orphaned)
        await commit(entity.id, count=2)
        await listener.wait_for(lambda: len(listener.named("lead:updated")) == 4)
        # The publisher holds what it delivered until its notes are written (within
        # NOTE_AFTER): the relay passes events only once they are noted.
        delivered = [d["event_id"] for d in listener.named("lead:updated")]
        for _ in range(50):
            if await EventDelivery.filter(event_id__in=delivered).count() == 4:
                break
            await asyncio.sleep(0.05)
        monkeypatch.setattr(events, "RELAY_BATCH", 2)  # several batches
        await events.relay(older_than=timedelta(0))
        await listener.wait_for(lambda: len(listener.named("lead:new")) == 5)
        progress = await EventSequence.get(entity_id=entity.id)
        assert progress.relayed_seq == progress.last_seq
        await listener.quiet()
        orphans = [d["seq"] for d in listener.named("lead:new")]
        assert orphans == sorted(orphans) and len(set(orphans)) == 5  # in order, once each
        assert len(listener.named("lead:updated")) == 4  # the delivered ones not again
    finally:
        await listener.close()


async def test_relay_leaves_a_slow_publishers_events_alone(served: Served) -> None:
    from realtime.publisher import RoomPublisher

    entity = await make_entity()
    release, delivered = asyncio.Event(), []

    async def slow_emit(name: str, payload: dict[str, object], room: list[str], namespace: str) -> None:
        await release.wait()
        if payload["entity_id"] == entity.id:  # other tests' late events may pass through too
            delivered.append(payload["seq"])

    await events.mark_published(await events.unpublished(timedelta(0), limit=100_000))  # earlier orphans
    publisher, previous = RoomPublisher(slow_emit), events.publisher()
    publisher.start()
    events.set_publisher(publisher)
    try:
        await commit(entity.id)
        await EventOutbox.filter(entity_id=entity.id).update(created_at=events.now() - timedelta(minutes=5))
        assert await events.relay() == 0  # still held by the publisher: not doubled
        release.set()
        await publisher.close()
        assert len(delivered) == 1
        left = await events.unpublished(timedelta(0), limit=100_000)
        assert all(r.entity_id != entity.id for r in left)  # delivered: no relay will double it
    finally:
        events.set_publisher(previous)


def note_at_once(served: Served, event_id: str) -> None:
    """Write an event's delivery note and commit it, blocking, as another connection does."""
    if TEST_DB == "mysql":
        import pymysql

        url = urlsplit(served.settings.database_url)
        db = pymysql.connect(
            host=url.hostname or "127.0.0.1",
            port=url.port or 3306,
            user=url.username or "root",
            password=url.password or "",
            database=url.path.lstrip("/"),
            autocommit=True,
        )
        with db, db.cursor() as cursor:
            cursor.execute("INSERT IGNORE INTO event_deliveries (event_id) VALUES (%s)", (event_id,))
        return
    import sqlite3

    path = served.settings.database_url.removeprefix("sqlite://")
    with sqlite3.connect(path, timeout=10) as db:
        db.execute("INSERT OR IGNORE INTO event_deliveries (event_id) VALUES (?)", (event_id,))
    db.close()


class LetsGoWhenAsked:
    """A live publisher that delivered its records and whose notes land just as the relay asks
    whether it still holds one: the note is committed, then the record is let go."""

    def __init__(self, served: Served) -> None:
        self.served = served
        self.waiting: set[str] = set()
        self.published: list[events.Record] = []

    def submit(self, records: list[events.Record]) -> None:
        self.waiting.update(r.event_id for r in records)

    def holds(self, event_id: str) -> bool:
        if event_id in self.waiting:
            note_at_once(self.served, event_id)
            self.waiting.discard(event_id)
        return False

    async def publish(self, records: list[events.Record]) -> None:
        self.published += records


async def test_relay_does_not_resend_what_a_publisher_noted_as_it_let_go(served: Served) -> None:
    """The relay read the delivery notes, then asked the publisher whether it still held the
    event: a publisher that noted it and let go in between had it sent again (twice to every
    socket in one process). Asked first, the publisher's note is in what the relay reads."""
    from tortoise.transactions import in_transaction

    entity = await make_entity()
    await events.mark_published(await events.unpublished(timedelta(0), limit=100_000))  # earlier orphans
    async with in_transaction("default"):
        records = await events.write_outbox([events.Event("lead:new", entity.id, {"lead": {"id": 7}})])
    publisher, previous = LetsGoWhenAsked(served), events.publisher()
    publisher.submit(records)  # delivered, its note about to be written
    events.set_publisher(publisher)
    try:
        await events.relay(older_than=timedelta(0))
    finally:
        events.set_publisher(previous)
    assert [r.seq for r in publisher.published if r.entity_id == entity.id] == []  # not sent again
    assert (await EventSequence.get(entity_id=entity.id)).relayed_seq == records[0].seq  # passed


class Captured:
    """A publisher that only keeps what it is handed (to hand it on in another order)."""

    def __init__(self) -> None:
        self.records: list[events.Record] = []

    def submit(self, records: list[events.Record]) -> None:
        self.records += records

    def holds(self, event_id: str) -> bool:
        return any(r.event_id == event_id for r in self.records)

    async def publish(self, records: list[events.Record]) -> None:
        self.records += records


async def test_a_commit_handed_off_before_an_earlier_one_still_reaches_sockets_in_seq_order(
    served: Served, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two commits of one entity answered in the same moment hand off in either order: a
    record after a gap waits while an earlier commit of its entity is in flight."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    listener = await listen(served, manager)
    live = served.app.ctx.hub.publisher
    captured = Captured()
    events.set_publisher(captured)
    try:
        for _ in range(3):
            await commit(entity.id)
    finally:
        events.set_publisher(live)
    first, second, third = sorted(captured.records, key=lambda r: r.seq)
    monkeypatch.setattr(publisher_module, "HOLD_AT_MOST", 5.0)  # no race with a slow machine

    live.submit([first])
    await listener.wait_for(lambda: listener.seqs("lead:updated") == [first.seq])
    flying = events.taking_off([events.Event("lead:updated", entity.id, {})])  # `second` commits
    live.submit([third])  # answered in the same moment, handed off first
    await asyncio.sleep(0.02)
    live.submit([second])
    events.landed(flying)
    await listener.wait_for(lambda: len(listener.seqs("lead:updated")) == 3)
    assert listener.seqs("lead:updated") == [first.seq, second.seq, third.seq]

    # Only a commit in flight when a record was handed off can hold a seq below it: once those
    # land, a commit taking off later does not keep the record waiting.
    earlier = events.taking_off([events.Event("lead:updated", entity.id, {})])
    payload = {**third.payload, "event_id": "gap", "seq": third.seq + 2}
    gap = events.Record(third.name, entity.id, third.seq + 2, payload, ())
    live.submit([gap])
    later = events.taking_off([events.Event("lead:updated", entity.id, {})])
    try:
        await asyncio.sleep(0.05)
        assert len(listener.seqs("lead:updated")) == 3  # held for `earlier`
        events.landed(earlier)  # it failed: nothing to hand off
        live.submit([])
        await listener.wait_for(lambda: len(listener.seqs("lead:updated")) == 4, limit=2)
    finally:
        events.landed(later)

    await listener.close()
