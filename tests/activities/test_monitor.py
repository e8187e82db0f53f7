"""The SLA breach and overdue follow-up monitors: each due item announced once, to the right
rooms, by the in-process loop or by real `salesmagnet worker` processes — two at once, one killed
and another started in between."""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from models import Entity, EventOutbox, LeadActivity, LeadStage, RoleId
from salesmagnet.activities import overdue
from salesmagnet.db import utcnow
from salesmagnet.stages import breaches
from salesmagnet.tenancy import Actor, entities_among, unscoped
from tests.conftest import TEST_DB, Served, forget_killed_jobs
from tests.conftest import worker_env as served_worker_env
from tests.factories import TestUser, logged_in, make_entity, make_lead
from tests.procs import process
from tests.realtime.clients import Listener


async def log_follow_up(
    client: httpx.AsyncClient, who: TestUser, lead_id: int, due_in: timedelta, **more: object
) -> int:
    due = (utcnow() + due_in).isoformat().replace("+00:00", "Z")
    body = {"leadId": lead_id, "activityType": "call", "description": "Call back", "nextFollowUpDate": due}
    logged = await client.post("/api/activities/log", json=body | more, headers=who.auth)
    assert logged.status_code == 201, logged.text
    return int(logged.json()["data"]["activity_id"])


async def overrun(lead_id: int, hours_ago: float = 1.0) -> None:
    """The lead's open stage ran out of SLA `hours_ago` hours ago."""
    await LeadStage.filter(lead_id=lead_id, exited_at=None).update(
        sla_due_at=utcnow() - timedelta(hours=hours_ago)
    )


async def announced(entity: Entity, name: str) -> list[EventOutbox]:
    return await EventOutbox.filter(entity_id=entity.id, name=name).order_by("seq")


async def announce_all(entity: Entity) -> int:
    """What is due in the entity, announced now. (On SQLite the server's own loop scans every
    second too: the tests count what was announced, not who announced it.)"""
    actor, now = Actor.system(entity.id), utcnow()
    return await breaches.announce(actor, now, 500) + await overdue.announce(actor, now, 500)


async def test_a_breach_reaches_the_owner_and_the_floor_once(
    served: Served, client: httpx.AsyncClient
) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    owner, other = await logged_in(client, entity), await logged_in(client, entity)
    late = await make_lead(entity, assigned_user_id=owner.id)
    on_time = await make_lead(entity, assigned_user_id=other.id)
    await overrun(late, hours_ago=2.5)
    floor, foreign = (
        await Listener().connect(served.url, manager.token),
        await Listener().connect(served.url, (await logged_in(client, await make_entity())).token),
    )
    try:
        await announce_all(entity)
        assert await announce_all(entity) == 0  # once per lead and stage
        await floor.wait_for(lambda: bool(floor.named("sla:breach")))
        [breach] = floor.named("sla:breach")
        assert (breach["lead_id"], breach["status"], breach["assigned_user_id"]) == (late, "new", owner.id)
        assert 2.4 < breach["hours_over"] < 2.6 and breach["deadline"].endswith("Z")
        [record] = await announced(entity, "sla:breach")
        assert record.user_ids == [owner.id]  # the owner's room; the other rep hears it only on the floor
        assert foreign.named("sla:breach") == []
        violations = await client.get("/api/stages/sla-violations", headers=manager.auth)
        shown = violations.json()["data"]
        assert [row["lead_id"] for row in shown["leads"]] == [late] and shown["total_exceeding"] == 1
        assert shown["leads"][0]["sla_breached_at"] is not None  # what was pushed, in the list
    finally:
        await floor.close()
        await foreign.close()
    stage = await LeadStage.get(lead_id=on_time, exited_at=None)
    assert stage.sla_breached_at is None  # not due: not announced


async def test_a_moved_lead_is_not_announced_for_the_stage_it_left(
    served: Served, client: httpx.AsyncClient
) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    lead_id = await make_lead(entity)
    moved = await client.post(
        "/api/stages/change-status", json={"leadId": lead_id, "statusId": "qualified"}, headers=manager.auth
    )
    assert moved.status_code == 200, moved.text
    await (
        LeadStage.filter(lead_id=lead_id)
        .exclude(exited_at=None)
        .update(sla_due_at=utcnow() - timedelta(hours=1))
    )
    assert await announce_all(entity) == 0
    assert await announced(entity, "sla:breach") == []


async def test_sla_hours_changed_move_open_deadlines(served: Served, client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    lead_id = await make_lead(entity)
    stage = await LeadStage.get(lead_id=lead_id, exited_at=None)
    changed = await client.put(
        f"/api/entities/{entity.id}", json={"settings": {"sla_hours": {"new": 0.5}}}, headers=admin.auth
    )
    assert changed.status_code == 200, changed.text
    moved = await LeadStage.get(id=stage.id)
    assert moved.sla_due_at is not None
    assert abs((moved.sla_due_at - stage.entered_at).total_seconds() - 1800) < 1
    await LeadStage.filter(id=stage.id).update(entered_at=utcnow() - timedelta(hours=1))
    await client.put(
        f"/api/entities/{entity.id}", json={"settings": {"sla_hours": {"new": 0.25}}}, headers=admin.auth
    )
    await announce_all(entity)  # an hour in, 15 minutes allowed: due
    assert len(await announced(entity, "sla:breach")) == 1


async def test_overdue_follow_ups_once_per_due_time_rearmed_by_a_new_time(
    served: Served, client: httpx.AsyncClient
) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    owner, logger = await logged_in(client, entity), await logged_in(client, entity)
    lead_id = await make_lead(entity, assigned_user_id=owner.id)
    # Listening before anything is due: on SQLite the server's own loop scans every second and
    # may announce the follow-up before announce_all below (a socket connected later misses it).
    floor = await Listener().connect(served.url, manager.token)
    foreign = await Listener().connect(served.url, (await logged_in(client, await make_entity())).token)
    try:
        late = await log_follow_up(client, logger, lead_id, -timedelta(minutes=5), priority="urgent")
        done = await log_follow_up(client, logger, lead_id, timedelta(hours=2))  # due once completed
        later = await log_follow_up(client, logger, lead_id, timedelta(hours=2))
        completed = await client.put(
            "/api/activities/update-status",
            json={"activityId": done, "status": "completed"},
            headers=logger.auth,
        )
        assert completed.status_code == 200, completed.text
        await LeadActivity.filter(id=done).update(next_follow_up_at=utcnow() - timedelta(minutes=5))
        await announce_all(entity)
        assert await announce_all(entity) == 0
        await floor.wait_for(lambda: bool(floor.named("followup:overdue")), limit=30)
        [alert] = floor.named("followup:overdue")
        assert alert["activity"]["id"] == late and alert["lead"]["id"] == lead_id
        assert 0.05 < alert["hours_overdue"] < 0.2
        [record] = await announced(entity, "followup:overdue")
        assert sorted(record.user_ids) == sorted([logger.id, owner.id])  # the activity's and the lead's owner
        # Moved to a new time, it is announced again when that passes; moved to the future, not yet.
        for activity_id, due_in in ((late, -timedelta(minutes=1)), (later, timedelta(hours=3))):
            body = {"activityId": activity_id, "nextFollowUpDate": (utcnow() + due_in).isoformat()}
            moved = await client.put("/api/activities/update-follow-up", json=body, headers=logger.auth)
            assert moved.status_code == 200, moved.text
        await announce_all(entity)  # (or the embedded loop did: the outbox says what went out)
        assert [r.payload["activity"]["id"] for r in await announced(entity, "followup:overdue")] == [
            late,
            late,
        ]
        overdue_list = await client.get("/api/activities/follow-ups/overdue", headers=manager.auth)
        assert [f["id"] for f in overdue_list.json()["data"]] == [late]  # what was pushed, still pending
        assert foreign.named("followup:overdue") == []  # another entity hears nothing
    finally:
        await floor.close()
        await foreign.close()
    assert (await LeadActivity.get(id=done)).overdue_notified_for is None  # completed: never announced


@pytest.mark.skipif(TEST_DB != "sqlite", reason="the embedded loop runs where the server has no Redis")
async def test_the_embedded_loop_pushes_a_follow_up_within_seconds(
    served: Served, client: httpx.AsyncClient
) -> None:
    entity = await make_entity()
    rep = await logged_in(client, entity)
    lead_id = await make_lead(entity, assigned_user_id=rep.id)
    alerts = await Listener().connect(served.url, rep.token)
    try:
        activity = await log_follow_up(client, rep, lead_id, timedelta(seconds=1))
        await alerts.wait_for(lambda: bool(alerts.named("followup:overdue")), limit=6)
        [alert] = alerts.named("followup:overdue")
        assert alert["activity"]["id"] == activity
    finally:
        await alerts.close()


def worker_env(served: Served) -> dict[str, str]:
    return served_worker_env(served) | {"MONITOR_INTERVAL": "1"}


async def until(check: object, limit: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit
    while not await check():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "not announced in time"
        await asyncio.sleep(0.2)


@pytest.mark.skipif(TEST_DB != "mysql", reason="real arq workers on Redis: MariaDB run")
async def test_two_workers_a_kill_and_a_restart_announce_each_item_once(
    served: Served, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    entity = await make_entity()
    rep = await logged_in(client, entity)
    leads = [await make_lead(entity, assigned_user_id=rep.id) for _ in range(20)]
    for lead_id in leads:
        await overrun(lead_id, hours_ago=0.1)
    follow_ups = [await log_follow_up(client, rep, lead_id, -timedelta(seconds=30)) for lead_id in leads]
    alerts = await Listener().connect(served.url, rep.token)
    env = worker_env(served)

    async def counts() -> tuple[int, int]:
        return len(await announced(entity, "sla:breach")), len(await announced(entity, "followup:overdue"))

    try:
        async with (
            process(env, "-m", "salesmagnet", "worker", log=tmp_path / "w1.log") as first,
            process(env, "-m", "salesmagnet", "worker", log=tmp_path / "w2.log"),
        ):
            await until(lambda: _at_least(counts, (20, 20)))
            first.send_signal(signal.SIGKILL)  # one dies without goodbye; the other goes on
            await first.wait()
            # Rescheduled into the past: due again; completed: never again.
            for activity_id in follow_ups[:5]:
                body = {
                    "activityId": activity_id,
                    "nextFollowUpDate": (utcnow() - timedelta(seconds=5)).isoformat(),
                }
                assert (
                    await client.put("/api/activities/update-follow-up", json=body, headers=rep.auth)
                ).is_success
            for activity_id in follow_ups[5:10]:
                body = {"activityId": activity_id, "status": "completed"}
                assert (
                    await client.put("/api/activities/update-status", json=body, headers=rep.auth)
                ).is_success
            await until(lambda: _at_least(counts, (20, 25)))
        await overrun(leads[0], hours_ago=0.0)  # an announced stage overrun again: still once
        late = await log_follow_up(client, rep, leads[1], -timedelta(seconds=1))
        async with process(env, "-m", "salesmagnet", "worker", log=tmp_path / "w3.log"):  # a restart
            await until(lambda: _at_least(counts, (20, 26)))
            await asyncio.sleep(2.5)  # more scans: nothing more
            # What the killed worker committed and never published reaches the sockets through
            # a live worker's relay (events settled 5 s, every 2 s): this one's. What it published
            # and had not noted yet is sent again (clients drop a seq they have seen).
            await alerts.wait_for(lambda: len(seen(alerts, "followup:overdue")) == 26, limit=15)
        assert await counts() == (20, 26)
        overdue_ids = [r.payload["activity"]["id"] for r in await announced(entity, "followup:overdue")]
        assert sorted(overdue_ids) == sorted([*follow_ups, *follow_ups[:5], late])
        breach_leads = sorted(r.payload["lead_id"] for r in await announced(entity, "sla:breach"))
        assert breach_leads == sorted(leads)
        await alerts.wait_for(lambda: len(seen(alerts, "sla:breach")) == 20)
    finally:
        await alerts.close()
        await forget_killed_jobs(served)  # what the killed worker held would stall run_jobs after


def seen(listener: Listener, name: str) -> set[int]:
    """The distinct events of `name` a socket received (by seq)."""
    return {data["seq"] for data in listener.named(name)}


async def _at_least(counts: object, wanted: tuple[int, int]) -> bool:
    got = await counts()  # type: ignore[operator]
    return bool(got[0] >= wanted[0] and got[1] >= wanted[1])


@pytest.mark.skipif(TEST_DB != "mysql", reason="no loop of the server may announce meanwhile: MariaDB run")
async def test_an_announcement_cut_short_leaves_the_item_due(
    served: Served, client: httpx.AsyncClient
) -> None:
    """A worker that dies inside the announcing transaction commits neither the claim nor the
    event: the next scan announces the item (once)."""
    from salesmagnet.db import atomic

    entity = await make_entity()
    lead_id = await make_lead(entity)
    await overrun(lead_id)

    class Died(Exception):
        pass

    with pytest.raises(Died):
        async with atomic():
            assert await announce_all(entity) == 1
            raise Died
    assert await announced(entity, "sla:breach") == []
    assert (await LeadStage.get(lead_id=lead_id, exited_at=None)).sla_breached_at is None
    assert await announce_all(entity) == 1
    assert len(await announced(entity, "sla:breach")) == 1


async def test_a_claim_checks_the_deadline_again(served: Served, client: httpx.AsyncClient) -> None:
    """The entity moved a stage's deadline after a scan found it due: the claim refuses it."""
    entity = await make_entity()
    lead_id = await make_lead(entity)
    stage = await LeadStage.get(lead_id=lead_id, exited_at=None)
    await LeadStage.filter(id=stage.id).update(sla_due_at=utcnow() + timedelta(hours=1))
    row = {"id": stage.id, "status_id": stage.status_id, "entered_at": stage.entered_at, "user_id": None}  # type: ignore[attr-defined]
    assert not await breaches._claim(Actor.system(entity.id), row, utcnow())
    assert (await LeadStage.get(id=stage.id)).sla_breached_at is None


async def test_one_entity_s_backlog_does_not_hide_another_s(
    served: Served, client: httpx.AsyncClient
) -> None:
    """The scan's rounds: each reads at most `limit` rows of entities not found yet."""
    busy, quiet = await make_entity(), await make_entity()
    for entity, count in ((busy, 3), (quiet, 1)):
        for _ in range(count):
            await make_lead(entity)
    open_stages = unscoped(LeadStage).filter(exited_at=None, entity_id__in=[busy.id, quiet.id])
    assert await entities_among(open_stages.order_by("entity_id"), limit=2) == {busy.id, quiet.id}
    assert await entities_among(open_stages, limit=2, rounds=1) <= {busy.id, quiet.id}


async def test_a_bulk_move_to_the_same_time_announces_nothing_again(
    served: Served, client: httpx.AsyncClient
) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    lead_id = await make_lead(entity)
    activity_id = await log_follow_up(client, manager, lead_id, -timedelta(minutes=2))
    await announce_all(entity)
    due = (await LeadActivity.get(id=activity_id)).next_follow_up_at
    assert due is not None
    body = {"activityIds": [activity_id], "nextFollowUpDate": due.isoformat()}
    moved = await client.put("/api/activities/bulk-update-follow-ups", json=body, headers=manager.auth)
    assert moved.status_code == 200 and moved.json()["data"]["updated_count"] == 1
    await announce_all(entity)
    assert len(await announced(entity, "followup:overdue")) == 1  # the same due time: once
    body["nextFollowUpDate"] = (utcnow() - timedelta(seconds=5)).isoformat()
    moved = await client.put("/api/activities/bulk-update-follow-ups", json=body, headers=manager.auth)
    await announce_all(entity)
    assert len(await announced(entity, "followup:overdue")) == 2  # a new time: again
