"""The stage metrics on a small history whose answers were worked out by hand.

T is midnight ten days ago. Lead A (won): new 2 h, qualified 28 h (by M), contacted 1 h, proposal_sent
50 h, won since T+81 h. Lead B (lost, moved by R): new 10 h, qualified 1 h, lost since T+11 h.
Lead C (qualified, by M): new 1 h, qualified since T+1 h (about 239 h: past every limit).
The entity's SLA for new is 4 hours; every other open status has the default 24.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from models import STATUS_IDS, Entity, LeadStage, RoleId, StatusName
from salesmagnet.db import utcnow
from salesmagnet.leads import rollups as lead_rollups
from salesmagnet.stages import breaches
from salesmagnet.stages import rollups as stage_rollups
from salesmagnet.tenancy import Actor
from tests.conftest import TEST_DB
from tests.factories import TestUser, logged_in, make_entity, make_lead, make_user

S = StatusName


def start() -> datetime:
    """Midnight (UTC, the entity's zone) ten days ago: every time of the history is on a known day."""
    return (utcnow() - timedelta(days=10)).replace(hour=0, minute=0, second=0, microsecond=0)


async def history(entity: Entity, mover: int, rep: int) -> None:
    t = start()
    plans: list[tuple[StatusName, list[tuple[StatusName, float | None, int | None]]]] = [
        (S.WON, [(S.NEW, 2, None), (S.QUALIFIED, 28, mover), (S.CONTACTED, 1, mover),
                 (S.PROPOSAL_SENT, 50, mover), (S.WON, None, mover)]),
        (S.LOST, [(S.NEW, 10, None), (S.QUALIFIED, 1, rep), (S.LOST, None, rep)]),
        (S.QUALIFIED, [(S.NEW, 1, None), (S.QUALIFIED, None, mover)]),
    ]  # fmt: skip
    sla = {S.NEW: 4}
    for final, stages in plans:
        lead_id = await make_lead(entity, status=final.value)
        await LeadStage.filter(lead_id=lead_id).delete()
        at = t
        for status, hours, user in stages:
            due = None if status in (S.WON, S.LOST) else at + timedelta(hours=sla.get(status, 24))
            left = None if hours is None else at + timedelta(hours=hours)
            await LeadStage.create(
                entity_id=entity.id,
                lead_id=lead_id,
                status_id=STATUS_IDS[status],
                entered_at=at,
                exited_at=left,
                duration_hours=None if hours is None else Decimal(hours).quantize(Decimal("0.01")),
                user_id=user,
                sla_due_at=due,
            )
            at = left or at


@pytest.fixture
async def known(client: httpx.AsyncClient) -> tuple[TestUser, int, int]:
    entity = await make_entity()
    await Entity.filter(id=entity.id).update(settings={"sla_hours": {"new": 4}})
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await make_user(entity)
    await history(entity, manager.id, rep.id)
    await recount(entity)
    return manager, manager.id, rep.id


async def recount(entity: Entity) -> None:
    """The history was written by hand: the statuses each lead held and the rollups follow it,
    as after a bulk load."""
    from tortoise import connections

    await connections.get("default").execute_query(
        "UPDATE lead_data SET reached = (SELECT SUM(DISTINCT 1 << (s.status_id - 1)) FROM lead_stages s "
        "WHERE s.lead_id = lead_data.id) WHERE entity_id = %s"
        if TEST_DB == "mysql"
        else "UPDATE lead_data SET reached = (SELECT SUM(DISTINCT 1 << (s.status_id - 1)) FROM lead_stages s "
        "WHERE s.lead_id = lead_data.id) WHERE entity_id = ?",
        [entity.id],
    )
    actor = Actor.system(entity.id)
    await lead_rollups.rebuild(actor)
    await stage_rollups.rebuild(actor)


async def get(client: httpx.AsyncClient, who: TestUser, name: str, **params: Any) -> Any:
    response = await client.get(f"/api/stages/{name}", params=params, headers=who.auth)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def by(rows: list[dict[str, Any]], *fields: str, key: str = "status_name") -> dict[str, tuple[Any, ...]]:
    return {row[key]: tuple(row[f] for f in fields) for row in rows}


async def test_performance_metrics(client: httpx.AsyncClient, known: tuple[TestUser, int, int]) -> None:
    manager = known[0]
    rows = await get(client, manager, "performance-metrics")
    assert [r["status_name"] for r in rows] == [
        "new",
        "qualified",
        "contacted",
        "proposal_sent",
        "won",
        "lost",
    ]
    fields = (
        "total_entries", "total_exits", "currently_in_stage", "avg_duration_hours",
        "min_duration_hours", "max_duration_hours", "leads_exceeding_24h", "leads_exceeding_48h",
    )  # fmt: skip
    assert by(rows, *fields) == {
        "new": (3, 3, 0, 4.33, 1.0, 10.0, 0, 0),
        "qualified": (3, 2, 1, 14.5, 1.0, 28.0, 1, 0),  # A's 28 h (C, open for days, is a violation)
        "contacted": (1, 1, 0, 1.0, 1.0, 1.0, 0, 0),
        "proposal_sent": (1, 1, 0, 50.0, 50.0, 50.0, 1, 1),
        "won": (1, 0, 1, None, None, None, 0, 0),  # a final status is not "over" anything
        "lost": (1, 0, 1, None, None, None, 0, 0),
    }


async def test_moves_per_user_and_between_statuses(
    client: httpx.AsyncClient, known: tuple[TestUser, int, int]
) -> None:
    manager, mover, rep = known
    users = await get(client, manager, "user-performance")
    fields = (
        "total_stage_changes",
        "completed_stages",
        "active_stages",
        "avg_stage_duration",
        "unique_leads_handled",
    )
    assert by(users, *fields, key="id") == {mover: (5, 3, 2, 26.33, 2), rep: (2, 1, 1, 1.0, 1)}
    assert [u["id"] for u in await get(client, manager, "user-performance", user_id=rep)] == [rep]
    matrix = await get(client, manager, "transition-matrix")
    pairs = {
        (m["from_status"], m["to_status"]): (m["transition_count"], m["avg_time_in_from_status"])
        for m in matrix
    }
    assert pairs == {
        ("new", "qualified"): (3, 4.33),
        ("qualified", "contacted"): (1, 28.0),
        ("contacted", "proposal_sent"): (1, 1.0),
        ("proposal_sent", "won"): (1, 50.0),
        ("qualified", "lost"): (1, 1.0),
    }
    assert matrix[0]["from_status"] == "new"  # most frequent first
    later = await get(
        client, manager, "transition-matrix", date_from=(start() + timedelta(days=1)).date().isoformat()
    )
    assert {(m["from_status"], m["to_status"]) for m in later} == {
        ("qualified", "contacted"),
        ("contacted", "proposal_sent"),
        ("proposal_sent", "won"),
    }


async def test_conversion_summary_efficiency(
    client: httpx.AsyncClient, known: tuple[TestUser, int, int]
) -> None:
    manager = known[0]
    rates = await get(client, manager, "conversion-rates")
    assert by(rates, "leads_entered", "won_leads", "lost_leads", "conversion_rate") == {
        "new": (3, 1, 1, 33.33),
        "qualified": (3, 1, 1, 33.33),
        "contacted": (1, 1, 0, 100.0),
        "proposal_sent": (1, 1, 0, 100.0),
        "won": (1, 1, 0, 100.0),
        "lost": (1, 0, 1, 0.0),
    }
    summary = await get(client, manager, "summary")
    assert by(summary, "lead_count", "total_entries", "active_leads", "avg_duration") == {
        "new": (3, 3, 0, 4.33),
        "qualified": (3, 3, 1, 14.5),
        "contacted": (1, 1, 0, 1.0),
        "proposal_sent": (1, 1, 0, 50.0),
        "won": (1, 1, 1, None),
        "lost": (1, 1, 1, None),
    }
    efficiency = await get(client, manager, "workflow-efficiency")
    assert by(efficiency, "completed_stages", "active_stages", "completion_rate", "avg_completion_time") == {
        "new": (3, 0, 100.0, 4.33),
        "qualified": (2, 1, 66.67, 14.5),
        "contacted": (1, 0, 100.0, 1.0),
        "proposal_sent": (1, 0, 100.0, 50.0),
        "won": (0, 1, 0.0, None),
        "lost": (0, 1, 0.0, None),
    }


async def test_sla_and_bottlenecks(client: httpx.AsyncClient, known: tuple[TestUser, int, int]) -> None:
    manager = known[0]
    compliance = await get(client, manager, "sla-compliance")
    assert by(
        compliance["compliance"],
        "total_leads",
        "within_sla",
        "exceeding_sla",
        "sla_compliance_rate",
        "sla_hours",
    ) == {
        "new": (3, 2, 1, 66.67, 4.0),  # B's 10 h broke the 4 h limit
        "qualified": (2, 1, 1, 50.0, 24.0),
        "contacted": (1, 1, 0, 100.0, 24.0),
        "proposal_sent": (1, 0, 1, 0.0, 24.0),
    }
    flat = await get(client, manager, "sla-compliance", sla_hours=24)
    assert by(flat["compliance"], "within_sla")["new"] == (3,) and flat["sla_hours"] == 24
    violations = await get(client, manager, "sla-violations")
    [late] = violations["leads"]
    assert violations["total_exceeding"] == 1 and late["status_name"] == "qualified"
    since = (utcnow() - start() - timedelta(hours=1)).total_seconds() / 3600
    assert late["sla_hours"] == 24.0 and abs(late["hours_in_stage"] - since) < 0.1
    assert round(late["hours_over_sla"], 2) == round(late["hours_in_stage"] - 24, 2)
    assert (await get(client, manager, "sla-violations", sla_hours=1000))["total_exceeding"] == 0
    bottlenecks = await get(client, manager, "bottleneck-analysis")
    assert by(
        bottlenecks,
        "total_entries",
        "leads_over_24h",
        "leads_over_48h",
        "leads_over_72h",
        "bottleneck_percentage",
    ) == {
        "proposal_sent": (1, 1, 1, 0, 100.0),
        "qualified": (3, 1, 0, 0, 33.33),  # closed stages only: C, still there, is counted apart
    }
    assert [b["status_name"] for b in bottlenecks] == ["proposal_sent", "qualified"]
    assert [b["status_name"] for b in await get(client, manager, "bottleneck-analysis", threshold=70)] == [
        "proposal_sent"
    ]


async def test_recent_changes_and_status_statistics(
    client: httpx.AsyncClient, known: tuple[TestUser, int, int]
) -> None:
    manager = known[0]
    response = await client.get("/api/stages/recent-changes", params={"limit": 2}, headers=manager.auth)
    body = response.json()
    assert body["total"] == 7  # moves only (A 4, B 2, C 1): arrivals in new are not changes
    assert [c["status_name"] for c in body["data"]] == ["won", "proposal_sent"]
    params = {"limit": 1, "offset": 1}  # pages like every list
    after = (await client.get("/api/stages/recent-changes", params=params, headers=manager.auth)).json()
    assert ([c["status_name"] for c in after["data"]], after["total"]) == (["proposal_sent"], 7)
    stats = await get(client, manager, "status-statistics")
    assert by(stats, "lead_count", "assigned_leads", "unassigned_leads") == {
        "won": (1, 0, 0),  # a won or lost lead nobody owns is in no queue: not unassigned
        "lost": (1, 0, 0),
        "qualified": (1, 0, 1),
    }
    assert all(0 <= s["avg_age_hours"] < 1 for s in stats)  # the leads were made just now


async def test_bad_metric_parameters_are_named(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    manager = await logged_in(client, await make_entity(), RoleId.MANAGER)
    caplog.set_level(logging.ERROR)
    for name, params in [
        ("performance-metrics", {"date_from": "yesterday"}),
        (
            "performance-metrics",
            {"date_to": "2026-01-01", "date_from": "2026-12-31"},
        ),  # reversed: named by its end
        ("sla-violations", {"sla_hours": "0"}),
        ("recent-changes", {"limit": "0"}),
        ("bottleneck-analysis", {"threshold": "-1"}),
        ("sla-compliance", {"sla_hours": "10"}),  # the rollups count 24, 48 and 72 hours
        ("summary", {"date_from": "2026-01-05T10:30:00"}),  # days, not times of day
    ]:
        response = await client.get(f"/api/stages/{name}", params=params, headers=manager.auth)
        assert response.status_code == 400, (name, response.text)
        assert next(iter(params)) in response.text
    await asyncio.sleep(0.05)  # a computation's end is logged after its answer
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []  # the asker's mistake
    empty = await client.get("/api/stages/summary", headers=manager.auth)
    assert empty.status_code == 200 and empty.json()["data"] == []


async def test_analytics_sla_compliance_counts_each_stage_under_a_deadline(
    client: httpx.AsyncClient, known: tuple[TestUser, int, int]
) -> None:
    """Closed by their deadlines: A new 2 h of 4, C new 1 h, B qualified 1 h, A contacted 1 h; late:
    B new 10 h (6 over), A qualified 28 h (4 over), A proposal_sent 50 h (26 over). C's open
    qualified stage counts once announced past its deadline."""
    manager = known[0]
    await breaches.announce(Actor.system(manager.entity_id), utcnow(), 100)  # C's, if not yet
    response = await client.get("/api/analytics/sla-compliance", headers=manager.auth)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["total_leads"], data["within_sla"], data["exceeded_sla"]) == (8, 4, 4)
    assert (data["compliance_rate"], data["avg_exceeded_time"]) == (50.0, 12.0)
    assert data["by_status"] == {"new": 66.7, "qualified": 33.3, "contacted": 100.0, "proposal_sent": 0.0}


async def test_a_stage_announced_past_its_deadline_then_closed_within_that_second_is_late(
    client: httpx.AsyncClient,
) -> None:
    """A stage closed a fraction of a second after its deadline (announced as breached, even) missed
    it: both compliance answers count it late, as the rollups counted from the tables do."""
    manager = await logged_in(client, await make_entity(), RoleId.MANAGER)
    created = await client.post("/api/leads", json={"email": "late@example.com"}, headers=manager.auth)
    lead_id = created.json()["data"]["id"]
    while utcnow().microsecond > 200_000:  # the deadline early in a second, the move within it
        await asyncio.sleep(0.01)
    await LeadStage.filter(lead_id=lead_id, exited_at=None).update(sla_due_at=utcnow())
    await breaches.announce(Actor.system(manager.entity_id), utcnow(), 100)
    body = {"leadId": lead_id, "status": "qualified"}
    moved = await client.post("/api/stages/change-status", json=body, headers=manager.auth)
    assert moved.status_code == 200, moved.text
    stage = await LeadStage.get(lead_id=lead_id, status_id=STATUS_IDS[S.NEW])
    assert stage.exited_at is not None and stage.sla_due_at is not None
    assert stage.exited_at > stage.sla_due_at and stage.sla_breached_at is not None

    async def answers() -> tuple[tuple[int, int], tuple[int, int]]:
        flat = (await client.get("/api/analytics/sla-compliance", headers=manager.auth)).json()["data"]
        staged = (await client.get("/api/stages/sla-compliance", headers=manager.auth)).json()["data"]
        new = next(row for row in staged["compliance"] if row["status_name"] == "new")
        return (flat["within_sla"], flat["exceeded_sla"]), (new["within_sla"], new["exceeding_sla"])

    assert await answers() == ((0, 1), (0, 1))
    await stage_rollups.rebuild(Actor.system(manager.entity_id))
    assert await answers() == ((0, 1), (0, 1))


async def test_moves_per_user_name_each_user_as_they_are_now(
    client: httpx.AsyncClient, known: tuple[TestUser, int, int]
) -> None:
    """A user renamed (a change that announces no event) showed under their old name in the
    moves per user, kept while the entity's event sequence stood still."""
    manager, mover, rep = known
    before = {u["id"]: u for u in await get(client, manager, "user-performance")}
    assert before[rep]["first_name"] != "Renamed"
    renamed = await client.put(
        f"/api/auth/users/{rep}", json={"first_name": "Renamed", "last_name": "Rep"}, headers=manager.auth
    )
    assert renamed.status_code == 200, renamed.text
    after = {u["id"]: u for u in await get(client, manager, "user-performance")}
    assert (after[rep]["first_name"], after[rep]["last_name"]) == ("Renamed", "Rep")
    assert after[rep]["total_stage_changes"] == 2 and after[mover] == before[mover]


async def test_sla_compliance_states_the_sla_hours_the_entity_has_now(
    client: httpx.AsyncClient, known: tuple[TestUser, int, int]
) -> None:
    """New SLA hours (a change of the entity's settings, which announces no event) did not show
    in the SLA compliance, kept while the entity's event sequence stood still: it went on
    stating the old hours."""
    manager = known[0]
    before = await get(client, manager, "sla-compliance")
    assert before["sla_hours"]["new"] == 4 and by(before["compliance"], "sla_hours")["new"] == (4.0,)
    entity = await Entity.get(id=manager.entity_id)
    admin = await logged_in(client, entity, RoleId.ADMIN)
    changed = await client.put(
        f"/api/entities/{entity.id}", json={"settings": {"sla_hours": {"new": 8}}}, headers=admin.auth
    )
    assert changed.status_code == 200, changed.text
    after = await get(client, manager, "sla-compliance")
    assert after["sla_hours"]["new"] == 8 and by(after["compliance"], "sla_hours")["new"] == (8.0,)
    # each closed stage is still judged by the deadline it had
    assert by(after["compliance"], "within_sla")["new"] == (2,)
