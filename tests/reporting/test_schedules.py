"""Scheduled reports: `next_run` in the entity's time zone (month ends, DST changes), the
schedule API's checks, and runs: a due schedule is run once — by two workers at once, and again
after a restart — its report mailed as an attachment (caught by a real SMTP server) and its run
recorded; a mail that cannot be delivered is tried again, then recorded as failed, while the
other schedules go on."""

from __future__ import annotations

import asyncio
import csv
import importlib.util
import io
from datetime import UTC, date, datetime, timedelta
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest
from tortoise.exceptions import DBConnectionError

from jobs import tasks
from models import Entity, GeneratedReport, ReportExecution, ReportSchedule, ReportTemplate, RoleId
from salesmagnet import db, schema
from salesmagnet.analytics import service as analytics
from salesmagnet.db import utcnow
from salesmagnet.entities import settings as entity_settings
from salesmagnet.reporting import reports, schedules
from salesmagnet.reporting.schemas import Period, TemplateSchedule
from salesmagnet.tenancy import Actor
from tests.conftest import TEST_DB, Served, run_jobs, unique, worker_env
from tests.factories import TestUser, logged_in, make_entity, make_lead
from tests.mailbox import Mailbox
from tests.procs import process

UTC_ZONE = ZoneInfo("UTC")


def when(frequency: str, clock: str, **days: Any) -> TemplateSchedule:
    return TemplateSchedule(frequency=frequency, time=clock, **days)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_next_run_daily_weekly_and_monthly_in_the_entity_zone() -> None:
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+5:30
    # 09:00 there is 03:30 UTC: before it, today; after it, tomorrow.
    assert schedules.next_run(when("daily", "09:00"), kolkata, utc("2026-03-02T03:00")) == utc(
        "2026-03-02T03:30"
    )
    assert schedules.next_run(when("daily", "09:00"), kolkata, utc("2026-03-02T03:30")) == utc(
        "2026-03-03T03:30"
    )
    # 2026-03-02 is a Monday; 0 = Sunday.
    monday = when("weekly", "08:00", day_of_week=1)
    assert schedules.next_run(monday, UTC_ZONE, utc("2026-03-02T09:00")) == utc("2026-03-09T08:00")
    assert schedules.next_run(
        when("weekly", "08:00", day_of_week=0), UTC_ZONE, utc("2026-03-02T09:00")
    ) == utc("2026-03-08T08:00")


def test_next_run_of_a_monthly_31st_is_each_month_last_day() -> None:
    last = when("monthly", "07:00", day_of_month=31)
    runs, after = [], utc("2026-01-31T08:00")
    for _ in range(4):
        after = schedules.next_run(last, UTC_ZONE, after)
        runs.append(after.date().isoformat())
    assert runs == ["2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"]
    leap = schedules.next_run(when("monthly", "07:00", day_of_month=30), UTC_ZONE, utc("2028-02-01T00:00"))
    assert leap == utc("2028-02-29T07:00")


def test_next_run_across_dst_changes() -> None:
    new_york = ZoneInfo("America/New_York")  # 2026-03-08: 02:00 EST becomes 03:00 EDT
    daily = when("daily", "09:00")
    assert schedules.next_run(daily, new_york, utc("2026-03-07T15:00")) == utc(
        "2026-03-08T13:00"
    )  # 09:00 EDT
    assert schedules.next_run(daily, new_york, utc("2026-03-06T15:00")) == utc(
        "2026-03-07T14:00"
    )  # 09:00 EST
    skipped = schedules.next_run(when("daily", "02:30"), new_york, utc("2026-03-08T05:00"))
    assert skipped == utc("2026-03-08T07:30")  # 02:30 does not exist that night: 03:30 EDT
    london = ZoneInfo("Europe/London")  # 2026-10-25: 02:00 BST becomes 01:00 GMT, 01:30 twice
    twice = schedules.next_run(when("daily", "01:30"), london, utc("2026-10-24T23:00"))
    assert twice == utc("2026-10-25T00:30")  # its first occurrence (BST)
    assert schedules.next_run(when("daily", "01:30"), london, twice) == utc("2026-10-26T01:30")


async def setup_team(client: httpx.AsyncClient, zone: str = "Asia/Kolkata") -> tuple[Entity, TestUser]:
    entity = await make_entity()
    await Entity.filter(id=entity.id).update(settings={"timezone": zone})
    entity_settings.forget(entity.id)
    return entity, await logged_in(client, entity, RoleId.MANAGER)


async def template(client: httpx.AsyncClient, user: TestUser, **body: Any) -> dict[str, Any]:
    body = {"name": "Daily summary", "report_type": "lead_summary", "format": "csv"} | body
    made = await client.post("/api/reporting/templates", json=body, headers=user.auth)
    assert made.status_code == 201, made.text
    data: dict[str, Any] = made.json()["data"]
    return data


async def test_schedules_are_checked_computed_and_scoped(client: httpx.AsyncClient) -> None:
    _, manager = await setup_team(client)
    made = await template(client, manager, recipients=["boss@example.com"])
    url = "/api/reporting/schedules"
    daily = await client.post(
        url, json={"templateId": made["id"], "frequency": "daily", "time": "09:00"}, headers=manager.auth
    )
    assert daily.status_code == 201, daily.text
    schedule = daily.json()["data"]
    assert schedule["schedule_id"] == schedule["id"] and schedule["status"] == "active"
    assert schedule["next_run"].endswith("T03:30:00Z") and schedule["timezone"] == "Asia/Kolkata"
    assert schedule["recipients"] == ["boss@example.com"] and schedule["name"] == "Daily summary"
    next_run = datetime.fromisoformat(schedule["next_run"].replace("Z", "+00:00"))
    assert utcnow() < next_run <= utcnow() + timedelta(days=1)

    for body, field in (
        ({"frequency": "hourly", "time": "09:00"}, "frequency"),
        ({"frequency": "daily", "time": "9am"}, "time"),
        ({"frequency": "weekly", "time": "09:00"}, "day_of_week"),
        ({"frequency": "weekly", "time": "09:00", "dayOfWeek": 7}, "day_of_week"),
        ({"frequency": "monthly", "time": "09:00"}, "day_of_month"),
        ({"frequency": "monthly", "time": "09:00", "day_of_month": 0}, "day_of_month"),
        ({"frequency": "daily", "time": "09:00", "recipients": ["nobody"]}, "recipients"),
    ):
        response = await client.post(url, json={"template_id": made["id"], **body}, headers=manager.auth)
        assert response.status_code == 400 and response.json()["success"] is False, body
        assert field in str(response.json()), (body, response.text)
    quiet = await template(client, manager, name="No one to tell")
    nobody = await client.post(
        url,
        json={"templateId": quiet["id"], "frequency": "daily", "time": "09:00", "recipients": []},
        headers=manager.auth,
    )
    assert nobody.status_code == 400 and "recipients" in nobody.json()["message"]
    # none given and none on the template: the report goes to whoever set the schedule up
    mine = await client.post(
        url, json={"templateId": quiet["id"], "frequency": "daily", "time": "09:00"}, headers=manager.auth
    )
    assert mine.status_code == 201 and mine.json()["data"]["recipients"] == [manager.email], mine.text
    gone = await client.delete(f"{url}/{mine.json()['data']['id']}", headers=manager.auth)
    assert gone.status_code == 200

    _, stranger = await setup_team(client)
    theirs = await template(client, stranger, recipients=["x@example.com"])
    foreign = await client.post(
        url, json={"templateId": theirs["id"], "frequency": "daily", "time": "09:00"}, headers=manager.auth
    )
    assert foreign.status_code == 404
    mine = f"{url}/{schedule['id']}"
    for method in ("GET", "PUT", "DELETE"):
        response = await client.request(method, mine, json={}, headers=stranger.auth)
        assert response.status_code == 404, method
    assert (await client.get(f"{mine}/executions", headers=stranger.auth)).status_code == 404

    monthly = await client.put(
        mine, json={"frequency": "monthly", "dayOfMonth": 31, "time": "23:30"}, headers=manager.auth
    )
    assert monthly.status_code == 200, monthly.text
    moved = monthly.json()["data"]
    assert moved["frequency"] == "monthly" and moved["day_of_month"] == 31 and moved["day_of_week"] is None
    assert moved["next_run"].endswith("T18:00:00Z")  # 23:30 in Kolkata
    paused = await client.put(mine, json={"is_active": False}, headers=manager.auth)
    assert paused.json()["data"]["status"] == "paused" and paused.json()["data"]["next_run"] is None
    listed = (await client.get(url, headers=manager.auth)).json()["data"]
    assert [s["id"] for s in listed] == [schedule["id"]]
    assert (await client.get(f"{url}?is_active=true", headers=manager.auth)).json()["data"] == []
    assert (await client.delete(mine, headers=manager.auth)).status_code == 200
    assert (await client.get(mine, headers=manager.auth)).status_code == 404


def mails_to(mailbox: Mailbox, address: str) -> list[Message]:
    return [m for m in mailbox.messages if address in (m["To"] or "")]


def attachment(message: Message) -> tuple[str, bytes]:
    for part in message.walk():
        if part.get_filename():
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return part.get_filename() or "", payload
    raise AssertionError("no attachment")


async def due_schedule(client: httpx.AsyncClient, manager: TestUser, address: str, **body: Any) -> int:
    made = await template(client, manager, recipients=[address], **body)
    response = await client.post(
        "/api/reporting/schedules",
        json={"templateId": made["id"], "frequency": "daily", "time": "06:00"},
        headers=manager.auth,
    )
    schedule_id = int(response.json()["data"]["id"])
    await ReportSchedule.filter(id=schedule_id).update(next_run_at=utcnow() - timedelta(seconds=1))
    return schedule_id


async def until(check: Any, limit: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "not in time"
        await asyncio.sleep(0.2)


async def run_ended(served: Served, schedule_id: int, limit: float = 30.0) -> ReportExecution:
    """Scan for due schedules, run the jobs, and wait for the schedule's run to end."""
    await tasks.scan_reports({"deps": served.app.ctx.deps})
    await run_jobs(served)

    async def ended() -> bool:
        done = ReportExecution.filter(schedule_id=schedule_id, status__in=["success", "failed"])
        return await done.exists()

    await until(ended, limit)
    return await ReportExecution.get(schedule_id=schedule_id)


async def test_a_due_schedule_runs_once_and_mails_its_report(
    client: httpx.AsyncClient, served: Served, mailbox: Mailbox, tmp_path: Path
) -> None:
    entity, manager = await setup_team(client)
    for status in ("won", "new", "new"):
        await make_lead(entity, status=status)
    address = f"{unique('director')}@example.com"
    schedule_id = await due_schedule(client, manager, address)

    async def finished() -> bool:
        return await ReportExecution.filter(schedule_id=schedule_id, status="success").exists()

    if TEST_DB == "mysql":  # two real workers scanning at once; then a restarted one
        env = worker_env(served)
        async with (
            process(env, "-m", "salesmagnet", "worker", log=tmp_path / "w1.log"),
            process(env, "-m", "salesmagnet", "worker", log=tmp_path / "w2.log"),
        ):
            await until(finished)
            await asyncio.sleep(6)  # another scan of each: nothing more
        async with process(env, "-m", "salesmagnet", "worker", log=tmp_path / "w3.log"):
            await asyncio.sleep(6)
    else:  # two scans at once beside the server's own (its cron scans every 5 s)
        ctx = {"deps": served.app.ctx.deps}
        await asyncio.gather(tasks.scan_reports(ctx), tasks.scan_reports(ctx))
        await run_jobs(served)
        await until(finished)
        await asyncio.sleep(6)
    assert len(mails_to(mailbox, address)) == 1
    mail = mails_to(mailbox, address)[0]
    assert mail["Subject"].startswith("Daily summary")
    name, content = attachment(mail)
    assert name.startswith("daily-summary_") and name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    assert rows[0]["total_leads"] == "3" and rows[0]["won_leads"] == "1" and rows[0]["new_leads"] == "2"

    log = await client.get(f"/api/reporting/schedules/{schedule_id}/executions", headers=manager.auth)
    runs = log.json()["data"]
    assert len(runs) == 1 and runs[0]["status"] == "success" and runs[0]["attempts"] == 1
    assert runs[0]["rows"] == 1 and runs[0]["recipients"] == [address] and runs[0]["completed_at"]
    report = await client.get(f"/api/reporting/reports/{runs[0]['report_id']}", headers=manager.auth)
    assert report.json()["data"]["data"]["total_leads"] == 3
    after = (await client.get(f"/api/reporting/schedules/{schedule_id}", headers=manager.auth)).json()["data"]
    assert datetime.fromisoformat(after["next_run"].replace("Z", "+00:00")) > utcnow()
    assert after["last_run"] is not None


async def test_an_undeliverable_mail_is_retried_then_recorded_without_holding_others(
    client: httpx.AsyncClient, served: Served, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schedules, "MAIL_BACKOFF", 0.2)  # in-process runs (a worker keeps 2 s)
    entity, manager = await setup_team(client)
    await make_lead(entity)
    good = f"{unique('ok')}@example.com"
    bad_id = await due_schedule(client, manager, f"{unique('gone')}@bounce.example", name="Bounces")
    good_id = await due_schedule(client, manager, good, name="Arrives", format="xlsx")
    await tasks.scan_reports({"deps": served.app.ctx.deps})
    await run_jobs(served)

    async def both_ended() -> bool:
        ended = ReportExecution.filter(schedule_id__in=[bad_id, good_id], status__in=["success", "failed"])
        return await ended.count() == 2

    await until(both_ended)
    bad = await ReportExecution.get(schedule_id=bad_id)
    fine = await ReportExecution.get(schedule_id=good_id)
    assert bad.status == "failed" and bad.attempts == schedules.MAIL_TRIES
    assert "not delivered" in (bad.error_message or "")
    assert fine.status == "success" and fine.attempts == 1
    assert fine.completed_at is not None and bad.completed_at is not None
    assert fine.completed_at < bad.completed_at  # it did not wait for the retries
    name, content = attachment(mails_to(mailbox, good)[0])
    assert name.endswith(".xlsx") and content[:2] == b"PK"  # a workbook (a zip)
    failed = await client.get("/api/reporting/executions?status=failed", headers=manager.auth)
    assert [e["schedule_id"] for e in failed.json()["data"]] == [bad_id]


async def test_a_lost_run_is_queued_again_then_given_up(client: httpx.AsyncClient, served: Served) -> None:
    _, manager = await setup_team(client)
    schedule_id = await due_schedule(client, manager, f"{unique('late')}@example.com")
    await ReportSchedule.filter(id=schedule_id).update(is_active=False)  # no scan claims it meanwhile
    schedule = await ReportSchedule.get(id=schedule_id)
    now = utcnow()
    recent, old = [
        await ReportExecution.create(
            entity_id=schedule.entity_id, schedule_id=schedule_id, status="in_progress", due_at=now - age
        )
        for age in (timedelta(minutes=20), timedelta(hours=2))
    ]
    for execution, age in ((recent, timedelta(minutes=20)), (old, timedelta(hours=2))):
        await ReportExecution.filter(id=execution.id).update(started_at=now - age)
    again = await schedules.lost(now, 100)
    assert (schedule.entity_id, recent.id) in again and (schedule.entity_id, old.id) not in again
    given_up = await ReportExecution.get(id=old.id)
    assert given_up.status == "failed" and "lost" in (given_up.error_message or "")
    assert (await ReportExecution.get(id=recent.id)).status == "in_progress"


async def test_the_api_document_s_template_example_schedules_it_for_its_author(
    client: httpx.AsyncClient,
) -> None:
    _, manager = await setup_team(client)
    example = {  # POST /reporting/templates, as the API document gives it: no recipients anywhere
        "name": "Monthly Lead Performance",
        "type": "lead_analytics",
        "filters": {"group_by": "month", "include_platforms": True, "include_conversion_funnel": True},
        "schedule": {"frequency": "monthly", "day_of_month": 1, "time": "09:00"},
    }
    made = await client.post("/api/reporting/templates", json=example, headers=manager.auth)
    assert made.status_code == 201, made.text
    data = made.json()["data"]
    assert data["recipients"] == [manager.email] and data["schedule"]["recipients"] == [manager.email]
    listed = (await client.get("/api/reporting/schedules", headers=manager.auth)).json()["data"]
    assert [(s["name"], s["frequency"], s["recipients"]) for s in listed] == [
        ("Monthly Lead Performance", "monthly", [manager.email])
    ]


async def test_a_template_s_recipients_cannot_be_cleared_under_a_schedule_that_mails_them(
    client: httpx.AsyncClient,
) -> None:
    _, manager = await setup_team(client)
    boss = f"{unique('boss')}@example.com"
    made = await template(client, manager, recipients=[boss])
    url = f"/api/reporting/templates/{made['id']}"
    response = await client.post(
        "/api/reporting/schedules",
        json={"template_id": made["id"], "frequency": "daily", "time": "09:00"},
        headers=manager.auth,
    )
    schedule_url = f"/api/reporting/schedules/{response.json()['data']['id']}"
    cleared = await client.put(url, json={"recipients": []}, headers=manager.auth)
    assert cleared.status_code == 400 and "recipients" in cleared.json()["message"], cleared.text
    assert (await client.get(url, headers=manager.auth)).json()["data"]["recipients"] == [boss]
    assert (await client.get(schedule_url, headers=manager.auth)).json()["data"]["recipients"] == [boss]
    # once the schedule has recipients of its own, the template's may go
    own = await client.put(schedule_url, json={"recipients": [boss]}, headers=manager.auth)
    assert own.status_code == 200, own.text
    cleared = await client.put(url, json={"recipients": []}, headers=manager.auth)
    assert cleared.status_code == 200 and cleared.json()["data"]["recipients"] == []
    assert (await client.get(schedule_url, headers=manager.auth)).json()["data"]["recipients"] == [boss]


async def test_a_schedule_keeps_its_local_time_when_the_entity_changes_time_zone(
    client: httpx.AsyncClient,
) -> None:
    entity, manager = await setup_team(client, zone="America/New_York")
    admin = await logged_in(client, entity, RoleId.ADMIN)
    made = await template(client, manager, recipients=["boss@example.com"])
    response = await client.post(
        "/api/reporting/schedules",
        json={"template_id": made["id"], "frequency": "daily", "time": "09:00"},
        headers=manager.auth,
    )
    url = f"/api/reporting/schedules/{response.json()['data']['id']}"
    assert response.json()["data"]["next_run"][11:] in ("14:00:00Z", "13:00:00Z")  # 09:00 EST / EDT
    moved = await client.put(
        f"/api/entities/{entity.id}", json={"settings": {"timezone": "Asia/Tokyo"}}, headers=admin.auth
    )
    assert moved.status_code == 200, moved.text
    schedule = (await client.get(url, headers=manager.auth)).json()["data"]
    assert schedule["timezone"] == "Asia/Tokyo" and schedule["time"] == "09:00"
    assert schedule["next_run"].endswith("T00:00:00Z")  # 09:00 in Tokyo (UTC+9), within a day
    next_run = datetime.fromisoformat(schedule["next_run"].replace("Z", "+00:00"))
    assert utcnow() < next_run <= utcnow() + timedelta(days=1)


async def test_runs_of_one_template_due_together_each_mail_a_whole_attachment(
    client: httpx.AsyncClient, served: Served, mailbox: Mailbox
) -> None:
    entity, manager = await setup_team(client)
    for status in ("won", "new", "lost"):
        await make_lead(entity, status=status)
    made = await template(client, manager, name="Team figures", format="xlsx", recipients=["a@example.com"])
    addresses = [f"{unique('team')}@example.com" for _ in range(8)]
    ids = []
    for address in addresses:  # one schedule per office, all due at once
        response = await client.post(
            "/api/reporting/schedules",
            json={"template_id": made["id"], "frequency": "daily", "time": "06:00", "recipients": [address]},
            headers=manager.auth,
        )
        ids.append(int(response.json()["data"]["id"]))
    await ReportSchedule.filter(id__in=ids).update(next_run_at=utcnow() - timedelta(seconds=1))
    await tasks.scan_reports({"deps": served.app.ctx.deps})
    await run_jobs(served)

    async def all_ended() -> bool:
        ended = ReportExecution.filter(schedule_id__in=ids, status__in=["success", "failed"])
        return await ended.count() == len(ids)

    await until(all_ended)
    assert await ReportExecution.filter(schedule_id__in=ids, status="success").count() == len(ids)
    for address in addresses:
        name, content = attachment(mails_to(mailbox, address)[0])
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert name.startswith("team-figures_") and rows[1][0] == 3, address  # total_leads


async def test_a_template_named_across_lines_is_still_mailed_with_its_name_on_one_line(
    client: httpx.AsyncClient, served: Served, mailbox: Mailbox
) -> None:
    entity, manager = await setup_team(client)
    await make_lead(entity)
    address = f"{unique('lines')}@example.com"
    name = "Weekly\r\nBcc: spy@example.com\u2028x"
    body = {"name": name, "report_type": "lead_summary", "recipients": [address]}
    refused = await client.post("/api/reporting/templates", json=body, headers=manager.auth)
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "name"  # one line
    schedule_id = await due_schedule(client, manager, address)
    made = await ReportSchedule.get(id=schedule_id)
    await ReportTemplate.filter(id=made.template_id).update(name=name)  # saved before names were one line
    assert (await run_ended(served, schedule_id)).status == "success"
    [mail] = mails_to(mailbox, address)
    subject = str(make_header(decode_header(mail["Subject"])))
    assert subject.startswith("Weekly Bcc: spy@example.com x — ") and mail["Bcc"] is None
    assert mails_to(mailbox, "spy@example.com") == []


async def test_a_report_mail_gives_its_times_in_the_entity_s_zone(
    client: httpx.AsyncClient, served: Served, mailbox: Mailbox
) -> None:
    """The body says when the run was due as the team's clocks said it, like its subject's day."""
    entity, manager = await setup_team(client, zone="America/New_York")
    await make_lead(entity)
    address = f"{unique('local')}@example.com"
    schedule_id = await due_schedule(client, manager, address)
    run = await run_ended(served, schedule_id)
    [mail] = mails_to(mailbox, address)
    text = next(p.get_payload(decode=True) for p in mail.walk() if p.get_content_type() == "text/plain")
    due = run.due_at.astimezone(ZoneInfo("America/New_York"))
    assert f"Due {due:%Y-%m-%d %H:%M} {due:%Z}," in text.decode(), text
    assert due.tzname() in ("EST", "EDT")


async def test_a_run_with_no_one_to_mail_is_recorded_as_failed_at_once(
    client: httpx.AsyncClient, served: Served
) -> None:
    _, manager = await setup_team(client)
    schedule_id = await due_schedule(client, manager, f"{unique('gone')}@example.com")
    schedule = await ReportSchedule.get(id=schedule_id)
    # left so by an earlier version, which let the template's recipients be cleared under it
    await ReportTemplate.filter(id=schedule.template_id).update(recipients=[])  # type: ignore[attr-defined]
    run = await run_ended(served, schedule_id, limit=10)
    assert run.status == "failed" and "recipients" in (run.error_message or "")
    assert run.completed_at is not None and run.report_id is None  # no report saved for no one


async def test_a_recipient_the_server_refuses_fails_the_run_and_the_others_get_one_mail(
    client: httpx.AsyncClient, served: Served, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schedules, "MAIL_BACKOFF", 0.2)  # in-process runs (a worker keeps 2 s)
    entity, manager = await setup_team(client)
    await make_lead(entity)
    good, gone = f"{unique('here')}@example.com", f"{unique('left')}@bounce.example"
    made = await template(client, manager, name="Both", recipients=[good, gone])
    response = await client.post(
        "/api/reporting/schedules",
        json={"template_id": made["id"], "frequency": "daily", "time": "06:00"},
        headers=manager.auth,
    )
    schedule_id = int(response.json()["data"]["id"])
    await ReportSchedule.filter(id=schedule_id).update(next_run_at=utcnow() - timedelta(seconds=1))
    run = await run_ended(served, schedule_id)
    error = run.error_message or ""
    assert run.status == "failed" and gone in error and good not in error
    assert len(mails_to(mailbox, good)) == 1  # delivered once, not again with each try for the other


async def migrate_by_hand(name: str) -> None:
    """Run a data migration's SQL again on the test database (migrated before any test wrote)."""
    [path] = (schema.MIGRATIONS_DIR / "models").glob(f"*_{name}.py")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    await db.conn().execute_script(await module.upgrade(db.conn()))


async def test_templates_kept_with_filters_their_type_does_not_use_run_again_once_migrated(
    client: httpx.AsyncClient, served: Served, mailbox: Mailbox
) -> None:
    """Saved before such filters were refused, a template holds one its type never applied; the
    migration strips it (the others stay), so its scheduled runs go on as they ran."""
    entity, manager = await setup_team(client)
    for status in ("won", "won", "new"):
        await make_lead(entity, status=status)
    address = f"{unique('ops')}@example.com"
    daily = {"frequency": "daily", "time": "06:00"}
    made = await template(client, manager, name="Won", recipients=[address], schedule=daily)
    template_id, schedule_id = made["id"], made["schedule"]["id"]
    sla = await template(client, manager, name="SLA", report_type="sla_compliance")
    activity = await template(client, manager, name="Calls", report_type="activity_summary")
    stale = {
        template_id: {"status": ["won"], "userId": manager.id, "group_by": "month"},
        sla["id"]: {"status": ["new"], "platform": "website", "assigned_user_id": 7},
        activity["id"]: {"user_id": manager.id, "assignedUserId": 7, "status": ["won"]},
    }
    unused = {template_id: {"userId"}, sla["id"]: {"platform", "assigned_user_id"}}
    unused[activity["id"]] = {"assignedUserId", "status"}
    for made, filters in stale.items():
        await ReportTemplate.filter(id=made).update(filters=filters)
    generate = f"/api/reporting/templates/{template_id}/generate"
    refused = await client.post(generate, json={}, headers=manager.auth)
    assert refused.status_code == 400 and "userId" in refused.json()["message"]  # why it is migrated

    await migrate_by_hand("report_filters_by_type")
    for made, filters in stale.items():
        found = await client.get(f"/api/reporting/templates/{made}", headers=manager.auth)
        assert found.json()["data"]["filters"] == {k: v for k, v in filters.items() if k not in unused[made]}
    await ReportSchedule.filter(id=schedule_id).update(next_run_at=utcnow() - timedelta(seconds=1))
    run = await run_ended(served, schedule_id)
    assert run.status == "success", run.error_message
    rows = list(csv.DictReader(io.StringIO(attachment(mails_to(mailbox, address)[0])[1].decode("utf-8"))))
    assert rows[0]["total_leads"] == "2" and rows[0]["won_leads"] == "2"
    again = await client.post(generate, json={}, headers=manager.auth)
    assert again.status_code == 200 and again.json()["data"]["data"]["total_leads"] == 2


async def test_the_schedule_list_pages_and_counts_every_match(client: httpx.AsyncClient) -> None:
    _, manager = await setup_team(client)
    made = await template(client, manager, recipients=["boss@example.com"])
    url = "/api/reporting/schedules"
    ids = []
    for clock in ("07:00", "08:00", "09:00"):
        body = {"templateId": made["id"], "frequency": "daily", "time": clock}
        ids.append((await client.post(url, json=body, headers=manager.auth)).json()["data"]["id"])
    await client.put(f"{url}/{ids[2]}", json={"is_active": False}, headers=manager.auth)

    first = (await client.get(f"{url}?limit=2", headers=manager.auth)).json()
    assert [s["id"] for s in first["data"]] == ids[:2] and first["total"] == 3
    rest = (await client.get(f"{url}?limit=2&offset=2", headers=manager.auth)).json()
    assert [s["id"] for s in rest["data"]] == ids[2:] and rest["total"] == 3
    active = (await client.get(f"{url}?is_active=true&limit=1", headers=manager.auth)).json()
    assert [s["id"] for s in active["data"]] == ids[:1] and active["total"] == 2
    for bad in ("limit=0", "offset=-1"):
        refused = await client.get(f"{url}?{bad}", headers=manager.auth)
        assert refused.status_code == 400 and bad.split("=")[0] in refused.json()["message"], bad


async def test_a_run_that_crashes_is_failed_once_and_the_schedule_goes_on(
    client: httpx.AsyncClient, served: Served, mailbox: Mailbox
) -> None:
    entity, manager = await setup_team(client)
    await make_lead(entity)
    address = f"{unique('crash')}@example.com"
    schedule_id = await due_schedule(client, manager, address)
    schedule = await ReportSchedule.get(id=schedule_id)
    blocker = served.settings.export_dir / str(entity.id)  # a file where its attachment is written
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a directory")
    run = await run_ended(served, schedule_id, limit=10)
    assert run.status == "failed" and "NotADirectoryError" in (run.error_message or "")
    assert run.completed_at is not None and mails_to(mailbox, address) == []

    later = utcnow() + schedules.STALE + timedelta(minutes=1)
    assert (entity.id, run.id) not in await schedules.lost(later, 100)  # not run again
    saved = await GeneratedReport.filter(template_id=schedule.template_id).count()  # type: ignore[attr-defined]
    assert saved <= 1 and run.report_id is not None
    goes_on = await ReportSchedule.get(id=schedule_id)
    assert goes_on.is_active and goes_on.next_run_at is not None and goes_on.next_run_at > utcnow()

    blocker.unlink()  # its next time comes: it runs as ever
    await ReportSchedule.filter(id=schedule_id).update(next_run_at=utcnow() - timedelta(seconds=1))
    await tasks.scan_reports({"deps": served.app.ctx.deps})
    await run_jobs(served)

    async def next_sent() -> bool:
        return await ReportExecution.filter(schedule_id=schedule_id, status="success").exists()

    await until(next_sent, 10)
    assert len(mails_to(mailbox, address)) == 1
    assert await ReportExecution.filter(schedule_id=schedule_id).count() == 2


async def run_in_progress(
    client: httpx.AsyncClient, tag: str
) -> tuple[Entity, TestUser, str, ReportExecution]:
    """A due schedule's run in progress (a lead to report on, one recipient), its schedule
    switched off so that no scan claims it meanwhile: (entity, its manager, the recipient, the run)."""
    entity, manager = await setup_team(client)
    await make_lead(entity)
    address = f"{unique(tag)}@example.com"
    schedule_id = await due_schedule(client, manager, address)
    await ReportSchedule.filter(id=schedule_id).update(is_active=False)
    run = await ReportExecution.create(
        entity_id=entity.id,
        schedule_id=schedule_id,
        status="in_progress",
        due_at=utcnow(),
        recipients=[address],
    )
    return entity, manager, address, run


async def test_a_run_cut_off_after_saving_its_report_keeps_one_report_when_run_again(
    client: httpx.AsyncClient, served: Served, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run cancelled (arq's timeout or shutdown) just after saving its report is run again:
    one report kept, not two, and one mail."""
    entity, _, address, run = await run_in_progress(client, "once")
    schedule_id = run.schedule_id  # type: ignore[attr-defined]
    schedule = await ReportSchedule.get(id=schedule_id)
    saving = reports.save

    async def saved_then_cut_off(*args: Any, **kwargs: Any) -> Any:
        await saving(*args, **kwargs)
        raise asyncio.CancelledError

    monkeypatch.setattr(reports, "save", saved_then_cut_off)
    deps, actor = served.app.ctx.deps, Actor.system(entity.id)
    with pytest.raises(asyncio.CancelledError):
        await schedules.send(deps, actor, run.id)
    monkeypatch.setattr(reports, "save", saving)
    assert await schedules.send(deps, actor, run.id) == "success"  # the job tried again

    kept = await GeneratedReport.filter(template_id=schedule.template_id).values_list("id", flat=True)  # type: ignore[attr-defined]
    assert len(kept) == 1 and (await ReportExecution.get(id=run.id)).report_id == kept[0]
    assert len(mails_to(mailbox, address)) == 1


@pytest.mark.parametrize("step", ["generating", "rendering"])
async def test_a_run_an_outage_cut_short_before_mailing_is_mailed_when_tried_again(
    client: httpx.AsyncClient, served: Served, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """The database away while the report is generated or its file made: the job is tried
    again (arq), and that try mails it, once (it was recorded failed, or left marked mailing
    with nobody mailed)."""
    entity, _, address, run = await run_in_progress(client, f"blip-{step}")
    deps, actor = served.app.ctx.deps, Actor.system(entity.id)
    module, name = (reports, "run_template") if step == "generating" else (schedules, "_render")
    real, tries = getattr(module, name), []

    async def away_once(*args: Any, **kwargs: Any) -> Any:
        tries.append(1)
        if len(tries) == 1:
            raise DBConnectionError("the database went away")
        return await real(*args, **kwargs)

    monkeypatch.setattr(module, name, away_once)
    with pytest.raises(DBConnectionError):
        await schedules.send(deps, actor, run.id)
    assert await schedules.send(deps, actor, run.id) == "success"
    assert len(mails_to(mailbox, address)) == 1


async def test_an_address_given_twice_gets_the_report_once(
    client: httpx.AsyncClient, served: Served, mailbox: Mailbox
) -> None:
    """Recipients are a set of addresses: one written twice (in another case, as a pasted list
    often has it) is kept once, on the template and on the schedule, and mailed once."""
    entity, manager = await setup_team(client)
    await make_lead(entity)
    address = f"{unique('boss')}@example.com"
    made = await template(client, manager, recipients=[address, address.upper()])
    assert made["recipients"] == [address]
    response = await client.post(
        "/api/reporting/schedules",
        json={"templateId": made["id"], "frequency": "daily", "time": "06:00", "recipients": [address] * 2},
        headers=manager.auth,
    )
    assert response.status_code == 201 and response.json()["data"]["recipients"] == [address], response.text
    schedule_id = int(response.json()["data"]["id"])
    await ReportSchedule.filter(id=schedule_id).update(next_run_at=utcnow() - timedelta(seconds=1))
    run = await run_ended(served, schedule_id)
    assert run.status == "success" and run.recipients == [address]
    assert len(mails_to(mailbox, address)) == 1


async def test_a_schedule_of_a_switched_off_template_is_listed_paused_and_does_not_run(
    client: httpx.AsyncClient, served: Served, mailbox: Mailbox
) -> None:
    """A switched-off template pauses its schedules: listed paused (no next run, saying why),
    and no run falls due meanwhile; switched on again, they run from their next time on, not
    at once for the times that passed."""
    entity, manager = await setup_team(client)
    await make_lead(entity)
    address = f"{unique('off')}@example.com"
    # off before its schedule falls due, so the server's own scan (every 5 s) cannot run it first
    schedule_id = await due_schedule(client, manager, address, is_active=False)
    template_id = (await ReportSchedule.get(id=schedule_id)).template_id  # type: ignore[attr-defined]
    template_url = f"/api/reporting/templates/{template_id}"

    [listed] = (await client.get("/api/reporting/schedules", headers=manager.auth)).json()["data"]
    assert listed["status"] == "paused" and listed["next_run"] is None
    assert listed["paused_reason"] == "template_inactive" and listed["is_active"] is True
    one = (await client.get(f"/api/reporting/schedules/{schedule_id}", headers=manager.auth)).json()
    assert one["data"]["status"] == "paused" and one["data"]["paused_reason"] == "template_inactive"

    await tasks.scan_reports({"deps": served.app.ctx.deps})
    await run_jobs(served)
    assert await ReportExecution.filter(schedule_id=schedule_id).count() == 0
    assert mails_to(mailbox, address) == []

    on = await client.put(template_url, json={"is_active": True}, headers=manager.auth)
    assert on.status_code == 200, on.text
    resumed = (await client.get(f"/api/reporting/schedules/{schedule_id}", headers=manager.auth)).json()
    assert resumed["data"]["status"] == "active" and resumed["data"]["paused_reason"] is None
    next_run = datetime.fromisoformat(resumed["data"]["next_run"].replace("Z", "+00:00"))
    assert utcnow() < next_run <= utcnow() + timedelta(days=1)
    await tasks.scan_reports({"deps": served.app.ctx.deps})
    await run_jobs(served)
    assert await ReportExecution.filter(schedule_id=schedule_id).count() == 0  # not due at once
    url = f"/api/reporting/schedules/{schedule_id}"
    paused = await client.put(url, json={"is_active": False}, headers=manager.auth)
    assert paused.json()["data"]["paused_reason"] == "schedule_inactive"
    off = await client.put(template_url, json={"is_active": False}, headers=manager.auth)
    assert off.status_code == 200, off.text
    both = (await client.get(url, headers=manager.auth)).json()["data"]
    assert both["status"] == "paused" and both["paused_reason"] == "template_inactive"


def test_a_period_s_days_as_of_a_day() -> None:
    wednesday = date(2026, 3, 4)
    days = {p.value: reports.period_days(p, wednesday) for p in Period}
    assert days == {
        "today": (wednesday, wednesday),
        "yesterday": (date(2026, 3, 3), date(2026, 3, 3)),
        "last_7_days": (date(2026, 2, 26), wednesday),
        "last_30_days": (date(2026, 2, 3), wednesday),
        "this_week": (date(2026, 3, 2), wednesday),  # from Monday (ISO weeks, as group_by week)
        "last_week": (date(2026, 2, 23), date(2026, 3, 1)),
        "this_month": (date(2026, 3, 1), wednesday),
        "last_month": (date(2026, 2, 1), date(2026, 2, 28)),
    }
    new_year = date(2026, 1, 1)  # a Thursday
    assert reports.period_days(Period.LAST_MONTH, new_year) == (date(2025, 12, 1), date(2025, 12, 31))
    assert reports.period_days(Period.YESTERDAY, new_year) == (date(2025, 12, 31), date(2025, 12, 31))
    assert reports.period_days(Period.LAST_WEEK, new_year) == (date(2025, 12, 22), date(2025, 12, 28))
    monday = date(2026, 3, 2)
    assert reports.period_days(Period.THIS_WEEK, monday) == (monday, monday)


async def test_a_scheduled_run_covers_its_period_as_of_when_it_was_due(
    client: httpx.AsyncClient, served: Served, mailbox: Mailbox
) -> None:
    """A template of "yesterday" mailed each morning covers the day before each run (in the
    entity's time zone), not the same fixed days forever; fixed dates still work beside it."""
    entity, manager = await setup_team(client, zone="America/New_York")
    zone = ZoneInfo("America/New_York")
    now = utcnow()
    for age in (timedelta(0), timedelta(days=1), timedelta(days=1), timedelta(days=10)):
        await make_lead(entity, created_at=now - age)
    await analytics.rebuild(Actor.system(entity.id))
    address = f"{unique('daily')}@example.com"
    schedule_id = await due_schedule(client, manager, address, filters={"period": "yesterday"})
    run = await run_ended(served, schedule_id)
    assert run.status == "success", run.error_message
    rows = list(csv.DictReader(io.StringIO(attachment(mails_to(mailbox, address)[0])[1].decode("utf-8"))))
    assert rows[0]["total_leads"] == "2"
    yesterday = (run.due_at.astimezone(zone) - timedelta(days=1)).date().isoformat()
    report = await client.get(f"/api/reporting/reports/{run.report_id}", headers=manager.auth)
    kept = report.json()["data"]["filters"]
    assert kept == {"period": "yesterday", "date_from": yesterday, "date_to": yesterday}, kept
    template_id = (await ReportSchedule.get(id=schedule_id)).template_id  # type: ignore[attr-defined]
    stored = await client.get(f"/api/reporting/templates/{template_id}", headers=manager.auth)
    assert stored.json()["data"]["filters"] == {"period": "yesterday"}  # resolved at each run, not kept

    generate = f"/api/reporting/templates/{template_id}/generate"
    for custom, total in (
        ({"period": "last_30_days"}, 4),
        ({"period": "today"}, 1),
        ({"date_from": yesterday}, 3),  # fixed days given replace the template's period
        ({}, 2),
    ):
        made = await client.post(generate, json={"customFilters": custom}, headers=manager.auth)
        assert made.status_code == 200, (custom, made.text)
        assert made.json()["data"]["data"]["total_leads"] == total, custom
    custom = await client.post(
        "/api/analytics/custom-report",
        json={"report_type": "time_based", "filters": {"period": "LAST_7_DAYS"}},
        headers=manager.auth,
    )
    assert custom.status_code == 200 and sum(p["new_leads"] for p in custom.json()["data"]["results"]) == 3

    for filters in ({"period": "fortnight"}, {"period": "yesterday", "date_from": "2026-01-01"}):
        refused = await client.post(
            "/api/reporting/templates",
            json={"name": "Bad", "report_type": "lead_summary", "filters": filters},
            headers=manager.auth,
        )
        assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "filters.period", (
            refused.text
        )


async def test_a_run_queued_again_while_its_first_try_still_mails_is_mailed_once(
    client: httpx.AsyncClient, served: Served, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run still mailing after STALE is queued again (its job may have been lost): the second
    try finds it mailing and mails nothing; the first ends it. One left mailing past GIVE_UP
    (its worker died mid-mail) is recorded failed, saying some may not have it."""
    entity, manager, address, run = await run_in_progress(client, "slow")
    schedule_id = run.schedule_id  # type: ignore[attr-defined]
    deps, actor = served.app.ctx.deps, Actor.system(entity.id)
    sending, release, mailer_send = asyncio.Event(), asyncio.Event(), deps.mailer.send

    async def slow_first(*args: Any) -> bool:
        if not sending.is_set():  # the first try's mail hangs on a slow server
            sending.set()
            await release.wait()
        return bool(await mailer_send(*args))

    monkeypatch.setattr(deps.mailer, "send", slow_first)
    first = asyncio.create_task(schedules.send(deps, actor, run.id))
    await asyncio.wait_for(sending.wait(), 10)
    later = utcnow() + schedules.STALE + timedelta(minutes=1)
    assert (entity.id, run.id) not in await schedules.lost(later, 100)  # not queued again
    assert await schedules.send(deps, actor, run.id) == "mailing"  # its job run again anyway
    listed = await client.get("/api/reporting/executions?status=mailing", headers=manager.auth)
    assert [e["id"] for e in listed.json()["data"]] == [run.id]
    release.set()
    assert await asyncio.wait_for(first, 20) == "success"
    assert len(mails_to(mailbox, address)) == 1
    template_id = (await ReportSchedule.get(id=schedule_id)).template_id  # type: ignore[attr-defined]
    assert await GeneratedReport.filter(template_id=template_id).count() == 1  # kept once

    died = await ReportExecution.create(
        entity_id=entity.id, schedule_id=schedule_id, status="mailing", due_at=utcnow() - timedelta(days=1)
    )
    await ReportExecution.filter(id=died.id).update(started_at=utcnow() - timedelta(hours=2))
    assert (entity.id, died.id) not in await schedules.lost(utcnow(), 100)
    given_up = await ReportExecution.get(id=died.id)
    assert given_up.status == "failed" and "may not have received" in (given_up.error_message or "")
