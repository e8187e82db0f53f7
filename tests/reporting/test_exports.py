"""Exports: the files parse and hold exactly the entity's data (CSV with `csv`, XLSX with
openpyxl, JSON), formula-looking cells are neutralised in CSV and stay text in XLSX, another
entity's export is a 404, a long export runs as a job with its progress and `export:ready`,
and an expired file is gone."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest
from arq.constants import in_progress_key_prefix

from models import Entity, Export, RoleId
from salesmagnet.db import atomic, to_utc, utcnow
from salesmagnet.reporting import exports, queries, workbook
from salesmagnet.reporting.exports import prune
from salesmagnet.reporting.schemas import ReportFilters
from salesmagnet.tenancy import Actor
from tests.conftest import TEST_DB, Served, forget_killed_jobs, run_jobs, worker_env
from tests.factories import TestUser, logged_in, make_entity, make_lead, make_user
from tests.procs import process
from tests.realtime.clients import Listener

HOSTILE = '=HYPERLINK("http://evil.example","click")'
ANSWERS = {"budget": "high", "note": '=2+2, "quoted"'}


async def export(client: httpx.AsyncClient, user: TestUser, **body: Any) -> dict[str, Any]:
    response = await client.post("/api/analytics/export", json=body, headers=user.auth)
    assert response.status_code in (201, 202), response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def download(client: httpx.AsyncClient, user: TestUser, started: dict[str, Any]) -> httpx.Response:
    response = await client.get(started["download_url"], headers=user.auth)
    assert response.status_code == 200, response.text
    return response


@pytest.fixture
async def floor(client: httpx.AsyncClient) -> dict[str, Any]:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await make_user(entity)
    ids = [
        await make_lead(
            entity,
            first_name=HOSTILE,
            last_name='O\'Brien, "Jr"',
            phone="+15550001111",
            raw_field_data=ANSWERS,
        ),
        await make_lead(
            entity, first_name="Zoë", last_name="Łukasz", status="qualified", assigned_user_id=rep.id
        ),
        await make_lead(entity, first_name="@sum", last_name="-1+2", status="won", assigned_user_id=rep.id),
    ]
    other = await make_entity()
    await make_lead(other, first_name="Elsewhere")
    leads = {}
    for lead_id in ids:
        response = await client.get(f"/api/leads/{lead_id}", headers=manager.auth)
        leads[lead_id] = response.json()["data"]
    return {"entity": entity, "manager": manager, "rep": rep, "leads": leads}


async def test_csv_export_holds_every_lead_exactly_and_neutralises_formulas(
    client: httpx.AsyncClient, floor: dict[str, Any]
) -> None:
    manager, leads = floor["manager"], floor["leads"]
    started = await export(client, manager, report_type="leads", format="csv")
    assert started["status"] == "ready" and started["rows_total"] == 3 and started["progress"] == 100.0
    assert started["file_name"].startswith("leads_") and started["file_name"].endswith(".csv")
    assert started["expires_at"] is not None
    response = await download(client, manager, started)
    assert response.headers["content-type"].startswith("text/csv")
    assert f'filename="{started["file_name"]}"' in response.headers["content-disposition"]
    assert b"\r\n" in response.content  # RFC 4180 line ends
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"), newline="")))
    assert [int(r["id"]) for r in rows] == sorted(leads)
    assert list(rows[0]) == queries.COLUMNS
    for row in rows:
        lead = leads[int(row["id"])]
        for name in ("email", "status", "created_at", "updated_at"):
            assert row[name] == (lead[name] or ""), name
        assert row["platform"] == lead["platform_key"]
        assert row["assigned_user_id"] == str(lead["assigned_user_id"] or "")
        assert row["assigned_at"] == (lead["assigned_at"] or "")
    by_id = {int(r["id"]): r for r in rows}
    first, _, third = sorted(leads)
    assert by_id[first]["first_name"] == "'" + HOSTILE  # shown as text by spreadsheets
    assert by_id[first]["last_name"] == 'O\'Brien, "Jr"'  # quoted by the writer, read back whole
    assert by_id[first]["phone"] == "'+15550001111"
    assert by_id[first]["answers"].startswith("{"), by_id[first]["answers"]
    assert json.loads(by_id[first]["answers"]) == ANSWERS  # the answers as given
    assert by_id[third]["answers"] == ""
    assert by_id[third]["first_name"] == "'@sum" and by_id[third]["last_name"] == "'-1+2"
    owner = leads[third]["assigned_user"]
    assert by_id[third]["assigned_user"] == f"{owner['first_name']} {owner['last_name']}"


async def test_json_and_xlsx_exports_hold_the_same_leads_typed(
    client: httpx.AsyncClient, floor: dict[str, Any]
) -> None:
    manager, leads = floor["manager"], floor["leads"]
    as_json = json.loads(
        (
            await download(client, manager, await export(client, manager, report_type="leads", format="json"))
        ).content
    )
    assert as_json["report_type"] == "leads"
    assert [r["id"] for r in as_json["results"]] == sorted(leads)
    first = as_json["results"][0]
    assert first["first_name"] == HOSTILE  # JSON carries the value itself
    assert first["answers"] == ANSWERS and as_json["results"][2]["answers"] is None
    assert first["created_at"] == leads[first["id"]]["created_at"]

    started = await export(client, manager, reportType="leads", format="XLSX")
    response = await download(client, manager, started)
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == queries.COLUMNS
    assert [r[0] for r in rows] == sorted(leads)  # typed numbers
    column = {name: n for n, name in enumerate(header)}
    for row in rows:
        lead = leads[row[0]]
        created = datetime.fromisoformat(lead["created_at"].replace("Z", "+00:00")).astimezone(UTC)
        assert isinstance(row[column["created_at"]], datetime)
        assert abs(row[column["created_at"]] - created.replace(tzinfo=None)) < timedelta(milliseconds=1)
        assert row[column["email"]] == lead["email"]
    assert json.loads(rows[0][column["answers"]]) == ANSWERS
    hostile = next(cell for cell in sheet["B"] if cell.value == HOSTILE)
    assert hostile.data_type == "s"  # a text cell, never a formula


async def test_a_form_answer_longer_than_a_cell_holds_is_cut_not_the_export_failed(
    client: httpx.AsyncClient, floor: dict[str, Any]
) -> None:
    manager, entity = floor["manager"], floor["entity"]
    essay = "Hello " * 6000  # 36,000 characters from a public form
    long_one = await make_lead(entity, first_name="Verbose", raw_field_data={"message": essay})
    started = await export(client, manager, report_type="leads", format="xlsx")
    assert started["status"] == "ready", started
    sheet = openpyxl.load_workbook(io.BytesIO((await download(client, manager, started)).content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    row = next(r for r in rows if r[0] == long_one)
    answers = row[header.index("answers")]
    assert len(answers) == workbook.CELL_CHARS and answers.endswith(workbook.CUT)
    assert answers.startswith('{"message": "Hello Hello') or answers.startswith('{"message":"Hello Hello')
    assert len(rows) == 4  # every lead is there


async def test_filters_and_report_exports(client: httpx.AsyncClient, floor: dict[str, Any]) -> None:
    manager, leads = floor["manager"], floor["leads"]
    picked = await export(
        client, manager, report_type="leads", format="json", filters={"status": ["won", "qualified"]}
    )
    found = json.loads((await download(client, manager, picked)).content)["results"]
    assert sorted(r["status"] for r in found) == ["qualified", "won"]
    assert picked["filters"]["status"] == ["won", "qualified"]

    report = await export(client, manager, report_type="lead_summary", format="csv")
    rows = list(csv.DictReader(io.StringIO((await download(client, manager, report)).text)))
    assert len(rows) == 1 and rows[0]["total_leads"] == str(len(leads)) and rows[0]["won_leads"] == "1"
    funnel = await export(client, manager, report_type="conversion_funnel", format="json")
    stages = json.loads((await download(client, manager, funnel)).content)["results"]["stages"]
    assert stages[0] == {"stage": "new", "count": 3, "percentage": 100.0}

    before = await Export.filter(entity_id=floor["entity"].id).count()
    two = {"report_type": "sla_compliance", "filters": {"status": "new,won"}}
    refused = await client.post("/api/analytics/export", json=two, headers=manager.auth)
    assert refused.status_code == 400 and "one status" in refused.json()["message"]
    assert await Export.filter(entity_id=floor["entity"].id).count() == before  # nothing left behind
    bad = await client.post("/api/analytics/export", json={"report_type": "nope"}, headers=manager.auth)
    assert bad.status_code == 400 and bad.json()["success"] is False
    assert "report_type" in bad.json()["message"]
    wrong = await client.post(
        "/api/analytics/export",
        json={"report_type": "leads", "format": "pdf"},
        headers=manager.auth,
    )
    assert wrong.status_code == 400
    dates = await client.post(
        "/api/analytics/export",
        json={"report_type": "leads", "filters": {"date_from": "2026-02-01", "date_to": "2026-01-01"}},
        headers=manager.auth,
    )
    assert dates.status_code == 400 and "filters" in dates.json()["message"]
    for url in ("/api/analytics/export", "/api/analytics/custom-report"):
        unknown = {"report_type": "leads" if "export" in url else "lead_summary", "filters": {"search": "x"}}
        refused = await client.post(url, json=unknown, headers=manager.auth)  # not every lead, silently
        assert refused.status_code == 400 and "filters.search" in refused.json()["message"], refused.text
        assert "date_from" in refused.json()["errors"][0]["message"]


async def test_another_entity_cannot_see_or_download_an_export(
    client: httpx.AsyncClient, floor: dict[str, Any]
) -> None:
    started = await export(client, floor["manager"], report_type="leads", format="csv")
    stranger = await logged_in(client, await make_entity(), RoleId.ADMIN)
    for url in (started["download_url"], started["status_url"]):
        response = await client.get(url, headers=stranger.auth)
        assert response.status_code == 404 and response.json()["success"] is False
    colleague = await login_rep(client, floor)
    assert (await client.get(started["download_url"], headers=colleague.auth)).status_code == 200
    assert (await client.get(started["download_url"])).status_code == 401


async def login_rep(client: httpx.AsyncClient, floor: dict[str, Any]) -> TestUser:
    from tests.factories import login

    return await login(client, floor["rep"])


async def test_a_long_export_runs_as_a_job_with_progress_and_a_push(
    client: httpx.AsyncClient, served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    ids = [await make_lead(entity, first_name=f"Lead {n}") for n in range(12)]
    monkeypatch.setattr(exports, "INLINE_ROWS", 5)
    monkeypatch.setattr(exports, "PAGE", 5)  # in-process runs: pages of 5
    listener = await Listener().connect(served.url, manager.token)
    try:
        started = await export(client, manager, report_type="leads", format="csv")
        assert (
            started["status"] == "pending" and started["rows_total"] == 12 and started["download_url"] is None
        )
        early = await client.get(f"/api/analytics/export/download/{started['id']}", headers=manager.auth)
        assert early.status_code == 409 and early.json()["success"] is False
        await run_jobs(served)
        await listener.wait_for(lambda: bool(listener.named("export:ready")), limit=10)
    finally:
        await listener.close()
    pushed = listener.named("export:ready")[0]["export"]
    assert pushed["id"] == started["id"] and pushed["rows_done"] == 12
    state = (await client.get(started["status_url"], headers=manager.auth)).json()["data"]
    assert state["status"] == "ready" and state["progress"] == 100.0 and state["rows_done"] == 12
    rows = list(csv.DictReader(io.StringIO((await download(client, manager, state)).text)))
    assert [int(r["id"]) for r in rows] == ids


async def long_export_team(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> tuple[Entity, TestUser, list[int]]:
    """A manager of an entity with 8 leads, whose exports are long ones (written by a job)."""
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    ids = [await make_lead(entity, first_name=f"Lead {n}") for n in range(8)]
    monkeypatch.setattr(exports, "INLINE_ROWS", 5)
    return entity, manager, ids


async def test_a_long_export_whose_job_was_never_queued_is_queued_again(
    client: httpx.AsyncClient, served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asked for while Redis was away, its job never queued: the minute sweep queues it."""
    _, manager, _ = await long_export_team(client, monkeypatch)

    async def lost(*args: Any, **kwargs: Any) -> None:  # the enqueue that met no Redis
        return None

    monkeypatch.setattr(exports, "enqueue_after_commit", lost)
    started = await export(client, manager, report_type="leads", format="csv")
    await run_jobs(served)
    assert (await Export.get(id=started["id"])).status == "pending"  # nothing ran it
    deps = served.app.ctx.deps
    assert await exports.requeue(deps, utcnow()) == 0  # asked for just now: its enqueue may be on its way
    assert await exports.requeue(deps, utcnow() + timedelta(minutes=2)) == 1
    await run_jobs(served)
    state = (await client.get(started["status_url"], headers=manager.auth)).json()["data"]
    assert state["status"] == "ready" and state["rows_done"] == 8
    assert await exports.requeue(deps, utcnow() + timedelta(minutes=2)) == 0  # done: never again


async def test_a_page_longer_than_the_database_joins_still_comes_whole(served: Served) -> None:
    """MariaDB joins a page's rows in one GROUP_CONCAT, which it cuts at the session's
    `group_concat_max_len`: a page it cut is read again a row at a time, nothing lost."""
    if TEST_DB != "mysql":
        pytest.skip("SQLite's pages are joined by the worker, never cut")
    entity = await make_entity()
    ids = [await make_lead(entity, first_name=f"Lead {n}", raw_field_data=ANSWERS) for n in range(4)]
    actor = Actor.system(entity.id)
    where, params = queries.conditions(ReportFilters(), ZoneInfo("UTC"))
    async with atomic() as connection:  # one connection: the limit set below is this page's
        whole = await queries.lead_page(actor, "csv", where, params, 0, 10, "\r\n")
        await connection.execute_script("SET SESSION group_concat_max_len = 64")
        try:
            cut = await queries.lead_page(actor, "csv", where, params, 0, 10, "\r\n")
        finally:
            await connection.execute_script("SET SESSION group_concat_max_len = 16777216")
    assert len(whole.text) > 64 and (cut.text, cut.rows, cut.last) == (whole.text, 4, ids[-1])
    rows = list(csv.reader(io.StringIO(whole.text, newline="")))
    assert [int(row[0]) for row in rows] == ids and json.loads(rows[0][-1]) == ANSWERS


async def test_an_expired_export_is_deleted_and_gone(
    client: httpx.AsyncClient, served: Served, floor: dict[str, Any]
) -> None:
    manager = floor["manager"]
    started = await export(client, manager, report_type="leads", format="csv")
    row = await Export.get(id=started["id"])
    path = exports.path_of(served.app.ctx.deps, row)
    assert path.exists()
    await Export.filter(id=row.id).update(expires_at=utcnow() - timedelta(seconds=1))
    assert await prune(served.app.ctx.deps, utcnow()) >= 1
    assert not path.exists()
    response = await client.get(started["download_url"], headers=manager.auth)
    assert response.status_code == 410 and response.json()["success"] is False
    assert (await client.get(started["status_url"], headers=manager.auth)).json()["data"][
        "status"
    ] == "expired"


async def test_an_export_past_its_expiry_is_gone_before_the_prune_comes_round(
    client: httpx.AsyncClient, served: Served, floor: dict[str, Any]
) -> None:
    manager = floor["manager"]
    started = await export(client, manager, report_type="leads", format="csv")
    await Export.filter(id=started["id"]).update(expires_at=utcnow() - timedelta(seconds=1))
    # prune_exports runs every 10 minutes: until then the file is still on disk
    response = await client.get(started["download_url"], headers=manager.auth)
    assert response.status_code == 410 and response.json()["success"] is False
    status = (await client.get(started["status_url"], headers=manager.auth)).json()["data"]
    assert status["status"] == "expired" and status["download_url"] is None


async def test_a_report_export_that_could_not_be_written_is_failed_not_later_made_a_lead_list(
    client: httpx.AsyncClient, served: Served, floor: dict[str, Any]
) -> None:
    manager, entity = floor["manager"], floor["entity"]
    blocked = served.settings.export_dir / str(entity.id)
    blocked.parent.mkdir(parents=True, exist_ok=True)
    if blocked.is_dir():
        for old in blocked.iterdir():
            old.unlink()
        blocked.rmdir()
    blocked.write_text("not a directory")  # the entity's folder cannot be made: no file is written
    try:
        asked = {"report_type": "lead_summary", "format": "csv"}
        response = await client.post("/api/analytics/export", json=asked, headers=manager.auth)
        assert response.status_code == 500
    finally:
        blocked.unlink()
    [row] = await Export.filter(entity_id=entity.id)
    assert row.status == "failed"
    # the minute-later requeue of pending exports does not write it as a lead list
    assert await exports.requeue(served.app.ctx.deps, utcnow() + timedelta(minutes=2)) == 0
    await run_jobs(served)
    status = (await client.get(f"/api/analytics/export/{row.id}", headers=manager.auth)).json()["data"]
    assert status["status"] == "failed" and status["download_url"] is None


async def test_custom_report_sorts_and_limits(client: httpx.AsyncClient, floor: dict[str, Any]) -> None:
    manager, rep = floor["manager"], floor["rep"]
    asked = {"reportType": "user_performance", "sortBy": "leads_assigned", "sortOrder": "DESC", "limit": 1}
    response = await client.post("/api/analytics/custom-report", json=asked, headers=manager.auth)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["total_rows"] == 2 and len(data["results"]) == 1  # the manager and the rep
    assert data["results"][0]["user_id"] == rep.id and data["results"][0]["leads_assigned"] == 2
    asked |= {"sortOrder": "asc"}
    response = await client.post("/api/analytics/custom-report", json=asked, headers=manager.auth)
    assert response.json()["data"]["results"][0]["user_id"] == manager.id
    funnel = await client.post(
        "/api/analytics/custom-report",
        json={"report_type": "lead_performance", "filters": {"status": ["new", "won"]}},
        headers=manager.auth,
    )
    summary = funnel.json()["data"]["results"]
    assert summary["total_leads"] == 2 and summary["won_leads"] == 1 and summary["qualified_leads"] == 0
    bad_sort = await client.post(
        "/api/analytics/custom-report",
        json={"report_type": "user_performance", "sort_by": "nonsense"},
        headers=manager.auth,
    )
    assert bad_sort.status_code == 400 and "leads_assigned" in bad_sort.json()["message"]
    missing = await client.post("/api/analytics/custom-report", json={}, headers=manager.auth)
    assert missing.status_code == 400 and missing.json()["success"] is False


def test_a_workbook_longer_than_a_sheet_goes_on_to_more_sheets(tmp_path: Path) -> None:
    path = tmp_path / "long.xlsx"
    records = ({"id": n, "name": f"=lead {n}"} for n in range(1, 8))
    workbook.write_xlsx(records, path, "leads", total=7, per_sheet=3)
    book = openpyxl.load_workbook(path)
    assert [sheet.title for sheet in book.worksheets] == ["leads", "leads 2", "leads 3"]
    found = []
    for sheet in book.worksheets:
        header, *rows = list(sheet.iter_rows(values_only=True))
        assert header == ("id", "name") and sheet.freeze_panes == "A2"
        found += [(int(n), name) for n, name in rows]
    assert found == [(n, f"=lead {n}") for n in range(1, 8)]


async def writer_died(export_id: int, runs: int) -> None:
    """What a worker killed mid-export leaves: running, under a lease no one renews."""
    await Export.filter(id=export_id).update(
        status="running", runs=runs, rows_done=5, lease_until=utcnow() - timedelta(seconds=1)
    )


async def test_an_export_whose_writer_died_is_taken_over_within_minutes(
    client: httpx.AsyncClient, served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, manager, ids = await long_export_team(client, monkeypatch)
    started = await export(client, manager, report_type="leads", format="csv")
    await run_jobs(served)
    deps = served.app.ctx.deps
    assert await exports.requeue(deps, utcnow() + timedelta(minutes=2)) == 0  # ready: left alone
    await writer_died(started["id"], runs=1)
    state = (await client.get(started["status_url"], headers=manager.auth)).json()["data"]
    assert state["status"] == "running"
    assert await exports.requeue(deps, utcnow()) == 1  # not an hour later: at the next sweep
    await run_jobs(served)
    state = (await client.get(started["status_url"], headers=manager.auth)).json()["data"]
    assert state["status"] == "ready" and state["rows_done"] == 8
    rows = list(csv.DictReader(io.StringIO((await download(client, manager, state)).text)))
    assert [int(r["id"]) for r in rows] == ids


async def test_an_export_whose_writers_keep_dying_is_failed(
    client: httpx.AsyncClient, served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, manager, _ = await long_export_team(client, monkeypatch)
    started = await export(client, manager, report_type="leads", format="csv")
    await run_jobs(served)
    await writer_died(started["id"], runs=exports.MAX_RUNS)
    assert await exports.requeue(served.app.ctx.deps, utcnow()) == 0
    state = (await client.get(started["status_url"], headers=manager.auth)).json()["data"]
    assert state["status"] == "failed" and "interrupted" in state["error"]


async def until_status(export_id: int, status: str) -> None:
    for _ in range(300):
        if (await Export.get(id=export_id)).status == status:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"export {export_id} not {status} in time")


async def test_a_worker_killed_mid_export_leaves_it_to_the_next_worker(
    client: httpx.AsyncClient, served: Served, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if TEST_DB != "mysql":
        pytest.skip("a worker process of its own takes its jobs from Redis")
    entity, manager, ids = await long_export_team(client, monkeypatch)
    started = await export(client, manager, report_type="leads", format="csv")
    first_part = served.settings.export_dir / str(entity.id) / f"{started['file_name']}.1.part"
    first_part.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(first_part)  # no one reads it: the first writer waits there, mid-export
    try:
        async with process(
            worker_env(served), "-m", "salesmagnet", "worker", log=tmp_path / "w.log"
        ) as worker:
            await until_status(started["id"], "running")
            worker.kill()
            await worker.wait()
        await taken_over(client, served, manager, started, ids, tmp_path)
    finally:
        first_part.unlink(missing_ok=True)
        await forget_killed_jobs(served)


async def taken_over(
    client: httpx.AsyncClient,
    served: Served,
    manager: TestUser,
    started: dict[str, Any],
    ids: list[int],
    tmp_path: Path,
) -> None:
    """The killed worker's export, running under a lease no one renews, goes to the next worker."""
    left = await Export.get(id=started["id"])
    assert left.status == "running" and left.lease_until is not None
    lease_ends = to_utc(left.lease_until)
    assert lease_ends <= utcnow() + exports.LEASE
    deps = served.app.ctx.deps
    assert await exports.requeue(deps, utcnow()) == 0  # its writer may yet be alive
    await Export.filter(id=left.id).update(lease_until=utcnow() - timedelta(seconds=1))  # a minute on
    assert await exports.requeue(deps, utcnow()) == 1  # the next sweep
    # A worker, not a burst: the killed job stays queued (arq's claim on it lasts an hour).
    async with process(worker_env(served), "-m", "salesmagnet", "worker", log=tmp_path / "w2.log"):
        await until_status(started["id"], "ready")
    state = (await client.get(started["status_url"], headers=manager.auth)).json()["data"]
    assert state["status"] == "ready" and state["rows_done"] == 8
    rows = list(csv.DictReader(io.StringIO((await download(client, manager, state)).text)))
    assert [int(r["id"]) for r in rows] == ids


async def blocked_claims(connection: Any) -> list[int]:
    """The connections waiting to claim an export (their UPDATE to running queued behind a row
    lock; not the prune's UPDATE to failed, which may wait there too)."""
    rows = await connection.execute_query_dict(
        "SELECT ID FROM information_schema.PROCESSLIST"
        " WHERE DB = DATABASE() AND INFO LIKE 'UPDATE `exports` SET `status`=''running''%%'"
    )
    return [int(row["ID"]) for row in rows]


async def test_a_worker_killed_before_claiming_an_export_lets_it_go_within_minutes(
    client: httpx.AsyncClient, served: Served, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A worker that took an export's job and died before claiming the export in the database
    leaves it pending: arq's claim on the job lapses within minutes (not an hour), and the next
    worker, a burst one too, writes the export and ends."""
    if TEST_DB != "mysql":
        pytest.skip("a worker process of its own takes its jobs from Redis")
    _, manager, ids = await long_export_team(client, monkeypatch)
    started = await export(client, manager, report_type="leads", format="csv")
    pool = served.app.ctx.deps.queue.pool
    claim = in_progress_key_prefix + f"export:{started['id']}"
    try:
        async with atomic() as connection:  # the export's row locked: the worker waits to claim it
            await connection.execute_query("SELECT id FROM exports WHERE id = %s FOR UPDATE", [started["id"]])
            async with process(
                worker_env(served), "-m", "salesmagnet", "worker", log=tmp_path / "w.log"
            ) as worker:
                for _ in range(300):
                    if waiting := await blocked_claims(connection):
                        break
                    await asyncio.sleep(0.1)
                assert waiting, "the worker never tried to claim the export"
                worker.kill()
                await worker.wait()
            for connection_id in waiting:  # its connection dies with it: its claim never lands
                await connection.execute_script(f"KILL {connection_id}")
        state = (await client.get(started["status_url"], headers=manager.auth)).json()["data"]
        assert state["status"] == "pending"
        assert await pool.exists(claim)  # arq holds the job for the dead worker ...
        assert 0 < await pool.pttl(claim) <= 6 * 60 * 1000  # ... for minutes, not an hour
        await pool.delete(claim)  # those minutes on
        # and the dead worker's other jobs let go too (a cron job it was running when killed
        # would keep the burst below waiting for an empty queue those minutes)
        await forget_killed_jobs(served)
        await run_jobs(served)  # a burst takes the job up again, and ends
        state = (await client.get(started["status_url"], headers=manager.auth)).json()["data"]
        assert state["status"] == "ready" and state["rows_done"] == 8
        rows = list(csv.DictReader(io.StringIO((await download(client, manager, state)).text)))
        assert [int(r["id"]) for r in rows] == ids
    finally:
        await forget_killed_jobs(served)


@pytest.mark.parametrize("wakes_to", ["an error", "a longer list"])
async def test_a_writer_that_froze_past_its_lease_leaves_its_successor_s_export_alone(
    client: httpx.AsyncClient, served: Served, monkeypatch: pytest.MonkeyPatch, wakes_to: str
) -> None:
    """A writer stalled past its lease (a stalled database, a paused machine) while a successor
    took the export over and finished it wakes up: the ready export keeps the successor's file
    and figures, neither failed nor overwritten under its user."""
    entity, manager, ids = await long_export_team(client, monkeypatch)

    async def not_queued(*args: Any, **kwargs: Any) -> None:  # the writers are run here
        return None

    monkeypatch.setattr(exports, "enqueue_after_commit", not_queued)
    started = await export(client, manager, report_type="leads", format="csv")
    streaming, frozen, woken = exports._stream, asyncio.Event(), asyncio.Event()

    async def first_one_stalls(*args: Any) -> int:
        if frozen.is_set():
            return await streaming(*args)
        frozen.set()
        await woken.wait()
        if wakes_to == "an error":
            raise ValueError("a row it could not write")
        return await streaming(*args)

    monkeypatch.setattr(exports, "_stream", first_one_stalls)
    deps, actor = served.app.ctx.deps, Actor.system(entity.id)
    first = asyncio.ensure_future(exports.write_leads(deps, actor, started["id"]))
    await frozen.wait()
    await Export.filter(id=started["id"]).update(lease_until=utcnow() - timedelta(seconds=1))  # ran out
    await exports.write_leads(deps, actor, started["id"])  # its successor, to the end
    finished = (await client.get(started["status_url"], headers=manager.auth)).json()["data"]
    assert finished["status"] == "ready" and finished["rows_done"] == 8
    await make_lead(entity)  # the list grows meanwhile
    woken.set()
    await first
    state = (await client.get(started["status_url"], headers=manager.auth)).json()["data"]
    assert state == finished
    rows = list(csv.DictReader(io.StringIO((await download(client, manager, state)).text)))
    assert [int(r["id"]) for r in rows] == ids


async def test_a_report_csv_writes_yes_and_no_as_its_json_does(
    client: httpx.AsyncClient, floor: dict[str, Any]
) -> None:
    """true / false, as the JSON export and the API answer: not Python's True / False."""
    manager = floor["manager"]
    people = await export(client, manager, report_type="user_performance", format="csv")
    rows = list(csv.DictReader(io.StringIO((await download(client, manager, people)).text)))
    assert rows and {r["is_active"] for r in rows} == {"true"}, rows
