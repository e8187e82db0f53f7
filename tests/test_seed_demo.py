"""`salesmagnet seed-demo`, for real: the command in its own process on a fresh database, then a
server over it, read as a manager would read the floor (and `--live` against that server)."""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest_asyncio
import socketio

from models import Lead, StatusName
from salesmagnet import demo
from salesmagnet.demo import DEMO_PASSWORD, TEAM, login_of
from salesmagnet.entities import service as entities
from salesmagnet.entities.schemas import EntityUpdate
from salesmagnet.stages.service import TRANSITIONS
from salesmagnet.tenancy import Actor
from tests.conftest import ROOT, TEST_DB, recreate_mysql_database
from tests.factories import make_entity
from tests.mailbox import free_port
from tests.procs import run_cli, until_up
from tests.test_schema import own_sibling

LEADS = 300
# Figures a rollup answers; a rebuild from the tables must find them as the seeder left them.
ROLLED_UP = [
    "/api/analytics/leads",
    "/api/analytics/platforms",
    "/api/analytics/funnel",
    "/api/analytics/time-based?group_by=week",
    "/api/analytics/activities",
    "/api/analytics/sla-compliance",
    "/api/stages/performance-metrics",
    "/api/stages/transition-matrix",
    "/api/stages/user-performance",
    "/api/stages/conversion-rates",
]


@pytest_asyncio.fixture
async def env(tmp_path: Path) -> dict[str, str]:
    if TEST_DB == "mysql":
        url = own_sibling("seed")
        await recreate_mysql_database(url)
    else:
        url = f"sqlite://{tmp_path / 'demo.db'}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "JWT_SECRET": "d" * 40,
        "PORT": str(free_port()),
        "LOG_LEVEL": "WARNING",
        "ANALYTICS_LAG": "0",  # every answer exact: figures are compared across a rebuild
    }


@pytest_asyncio.fixture
async def seeded(env: dict[str, str]) -> AsyncIterator[tuple[str, str]]:
    """The command's output, and a server over the seeded database."""
    assert run_cli(env, "migrate").returncode == 0
    done = run_cli(env, "seed-demo", "--leads", str(LEADS))
    assert done.returncode == 0, done.stderr
    process = await asyncio.create_subprocess_exec(
        sys.executable, "server.py", cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{env['PORT']}"
    try:
        assert await until_up(url)
        yield done.stdout, url
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 20)


async def login(http: httpx.AsyncClient, email: str) -> dict[str, str]:
    answer = await http.post("/api/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['data']['access_token']}"}


async def data(http: httpx.AsyncClient, auth: dict[str, str], path: str, **params: Any) -> Any:
    answer = await http.get(path, headers=auth, params=params)
    assert answer.status_code == 200, f"{path}: {answer.text}"
    return answer.json()


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def counted(http: httpx.AsyncClient, auth: dict[str, str]) -> dict[str, int]:
    """Leads per status by COUNT(*): a date bound makes the list count its rows, not read the
    counters."""
    out = {}
    for status in StatusName:
        found = await data(http, auth, "/api/leads", status=status.value, date_from="2000-01-01", limit=1)
        out[status.value] = found["total"]
    return out


async def test_seed_demo_makes_a_floor_the_figures_agree_with(
    env: dict[str, str], seeded: tuple[str, str]
) -> None:
    output, url = seeded
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        for tag, *_ in TEAM:  # every demo login printed works
            assert login_of("fxcareers", tag) in output
            await login(http, login_of("fxcareers", tag))
        assert output.count(DEMO_PASSWORD) == len(TEAM)
        manager = await login(http, login_of("fxcareers", "manager"))

        counts = {c["status"]: c["count"] for c in (await data(http, manager, "/api/leads/counts"))["data"]}
        assert counts == await counted(http, manager) and sum(counts.values()) == LEADS
        assert counts["won"] > 0 and counts["lost"] > 0 and counts["new"] > 0
        await _spans_ninety_days(http, manager)
        await _pasts_follow_the_graph(http, manager)
        await _follow_ups_and_assignments(http, manager)

        dashboard = (await data(http, manager, "/api/analytics/dashboard"))["data"]
        assert dashboard["total_leads"] == LEADS
        assert {s: dashboard[f"{s}_leads"] for s in counts} == counts
        unassigned = (await data(http, manager, "/api/leads/unassigned", limit=1))["total"]
        assert dashboard["unassigned_leads"] == unassigned > 0
        board = (await data(http, manager, "/api/leads/pipeline", per_status=5))["data"]
        assert board, "the pipeline board answers"

        before = [await data(http, manager, path) for path in ROLLED_UP]
        assert run_cli(env, "recount").returncode == 0
        assert run_cli(env, "analytics-rebuild", "--entity", "fxcareers").returncode == 0
        after = [await data(http, manager, path) for path in ROLLED_UP]
        for path, was, now in zip(ROLLED_UP, before, after, strict=True):
            assert was["data"] == now["data"], f"{path} changed when counted again from the tables"
        recounted = {
            c["status"]: c["count"] for c in (await data(http, manager, "/api/leads/counts"))["data"]
        }
        assert recounted == counts

        again = run_cli(env, "seed-demo", "--leads", "20")  # the demo users exist already
        assert again.returncode == 0, again.stderr
        assert "password unchanged" in again.stdout
        assert sum((await counted(http, manager)).values()) == LEADS + 20


async def _spans_ninety_days(http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    now = datetime.now(UTC)
    oldest = (await data(http, auth, "/api/leads", sort="created_at", order="asc", limit=1))["data"]
    newest = (await data(http, auth, "/api/leads", sort="created_at", order="desc", limit=1))["data"]
    assert timedelta(days=75) < now - moment(oldest[0]["created_at"]) <= timedelta(days=90, minutes=5)
    assert now - moment(newest[0]["created_at"]) < timedelta(days=3)
    platforms = {p["platform"] for p in (await data(http, auth, "/api/analytics/platforms"))["data"]}
    assert platforms >= {"website", "facebook", "instagram"}


async def _pasts_follow_the_graph(http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    """Won and lost leads have whole stage histories along the graph, in the past, each stage
    closed when the next began."""
    for status in ("won", "lost"):
        leads = (await data(http, auth, "/api/leads", status=status, limit=5))["data"]
        for lead in leads:
            stages = (await data(http, auth, f"/api/stages/lead/{lead['id']}/history"))["data"]
            names = [StatusName(s["status_name"]) for s in stages]
            assert names[0] == StatusName.NEW and names[-1] == StatusName(status)
            assert all(b in TRANSITIONS[a] for a, b in itertools.pairwise(names))
            for stage, following in itertools.pairwise(stages):
                assert stage["exited_at"] == following["entered_at"]
                spent = moment(stage["exited_at"]) - moment(stage["entered_at"])
                assert abs(stage["duration_hours"] - spent.total_seconds() / 3600) < 0.01
            assert stages[-1]["exited_at"] is None and moment(stages[-1]["entered_at"]) < datetime.now(UTC)
            assert moment(stages[0]["entered_at"]) == moment(lead["created_at"])
    moves = await data(http, auth, "/api/stages/recent-changes", limit=5)
    assert moves["total"] > LEADS  # most leads moved, most more than once


async def _follow_ups_and_assignments(http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    overdue = await data(http, auth, "/api/activities/follow-ups/overdue", limit=1)
    pending = await data(http, auth, "/api/activities/follow-ups/pending", limit=1)
    assert overdue["total"] > 0 and pending["total"] > 0
    kinds = {a["activity_type"] for a in (await data(http, auth, "/api/activities/summary"))["data"]}
    assert {"call", "email", "note", "meeting", "status_change", "assignment", "follow_up"} <= kinds
    history = await data(http, auth, "/api/assignments/entity", limit=500)
    actions = {row["action"] for row in history["data"]}
    assert {"assign", "reassign"} <= actions
    lead = history["data"][0]["lead_id"]
    rows = (await data(http, auth, f"/api/assignments/lead/{lead}/history"))["data"]
    assert rows and rows[0]["action"] == "assign"
    assert all(moment(r["assigned_at"]) < datetime.now(UTC) for r in rows)


async def test_live_demo_moves_the_floor_through_the_server(
    env: dict[str, str], seeded: tuple[str, str]
) -> None:
    _, url = seeded
    # No connection reused across the live run's seconds of silence: an idle one can be closed
    # by the server's keep-alive timeout just as it is reused.
    fresh = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=fresh) as http:
        manager = await login(http, login_of("fxcareers", "manager"))
        moved_before = (await data(http, manager, "/api/stages/recent-changes", limit=1))["total"]
        screen = socketio.AsyncClient()  # a watched screen: the server's pushes reach it
        seen: list[str] = []
        screen.on("*", lambda name, _: seen.append(name))
        token = manager["Authorization"].removeprefix("Bearer ")
        await screen.connect(url, auth={"token": token}, transports=["websocket"])
        try:
            live = await asyncio.to_thread(
                run_cli,
                env,
                "seed-demo",
                "--leads",
                "0",
                "--live",
                "--url",
                url,
                "--rate",
                "4",
                "--seconds",
                "4",
            )
            assert live.returncode == 0, live.stderr
            for _ in range(50):  # the last pushes may trail the command's end
                if "lead:new" in seen and {"lead:status_changed", "lead:assigned"} & set(seen):
                    break
                await asyncio.sleep(0.1)
        finally:
            await screen.disconnect()
        assert "lead:new" in seen and {"lead:status_changed", "lead:assigned"} & set(seen), seen
        arrived = sum((await counted(http, manager)).values()) - LEADS
        assert arrived >= 5 and f"stopped after {arrived} lead(s)" in live.stdout
        assert " → " in live.stdout
        moved = (await data(http, manager, "/api/stages/recent-changes", limit=1))["total"]
        assigned = "→ user" in live.stdout
        assert moved > moved_before or assigned
        website = await data(http, manager, "/api/leads", platform="website", sort="created_at", limit=1)
        assert website["data"][0]["email"]  # the newest website lead came through the webhook

    down = run_cli(
        {**env}, "seed-demo", "--leads", "0", "--live", "--url", "http://127.0.0.1:9", "--seconds", "1"
    )
    assert down.returncode == 2 and "no server" in down.stderr


async def test_demo_leads_arrive_in_the_entity_s_office_hours(client: httpx.AsyncClient) -> None:
    """Office hours and weekdays are the entity's: on a floor in Chatham (+12:45/+13:45), whose
    08:00-20:00 is UTC's night, most demo leads still arrive between 08:00 and 20:00 there."""
    entity = await make_entity()
    update = EntityUpdate.model_validate({"settings": {"timezone": "Pacific/Chatham"}})
    actor = Actor.system(entity.id)
    await entities.update(actor, entity.id, update)
    await demo.seed(actor, entity.name, LEADS, seed=20261202)
    zone = ZoneInfo("Pacific/Chatham")
    local = [lead.created_at.astimezone(zone) for lead in await Lead.filter(entity_id=entity.id)]
    office = sum(1 for moment in local if 8 <= moment.hour < 20)
    assert len(local) == LEADS and office / LEADS > 0.7, f"{office} of {LEADS} in office hours"
