"""Report templates, generated reports and their statistics: entity-scoped (another entity's
ids are 404), camelCase and snake_case bodies alike, templates made by managers only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from models import Entity, GeneratedReport, ReportTemplate, RoleId
from salesmagnet.db import utcnow
from salesmagnet.entities import settings as entity_settings
from salesmagnet.reporting import reports
from salesmagnet.reporting.queries import midnight
from salesmagnet.reporting.schemas import REPORTS, ReportFilters, ReportType
from salesmagnet.tenancy import Actor
from tests.factories import TestUser, logged_in, make_entity, make_lead, make_user


@pytest.fixture
async def team(client: httpx.AsyncClient) -> dict[str, Any]:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await logged_in(client, entity)
    owner = await make_user(entity)
    await make_lead(entity, status="won", assigned_user_id=owner.id)
    await make_lead(entity, status="new")
    await make_lead(entity, status="new")
    return {"entity": entity, "manager": manager, "rep": rep}


async def make_template(client: httpx.AsyncClient, user: TestUser, **body: Any) -> httpx.Response:
    body = {"name": "Won leads", "filters": {"status": ["won"]}} | body
    if not {"report_type", "reportType", "type"} & set(body):  # a type given once, by one name
        body["reportType"] = "lead_summary"
    return await client.post("/api/reporting/templates", json=body, headers=user.auth)


async def test_templates_are_made_listed_changed_and_deleted(
    client: httpx.AsyncClient, team: dict[str, Any]
) -> None:
    manager, rep = team["manager"], team["rep"]
    assert (await make_template(client, rep)).status_code == 403
    made = await make_template(
        client,
        manager,
        description="Monday figures",
        recipients=["director@example.com"],
        format="csv",
        schedule={"frequency": "weekly", "dayOfWeek": "monday", "time": "08:00"},
    )
    assert made.status_code == 201, made.text
    template = made.json()["data"]
    assert template["template_id"] == template["id"] and template["report_type"] == "lead_summary"
    assert template["schedule"]["frequency"] == "weekly" and template["schedule"]["day_of_week"] == 1
    assert template["schedule"]["recipients"] == ["director@example.com"]
    second = await make_template(client, manager, name="Funnel", report_type="conversion_funnel", filters={})
    assert second.status_code == 201
    listed = (await client.get("/api/reporting/templates", headers=rep.auth)).json()
    assert listed["total"] == 2 and listed["data"][0]["name"] == "Funnel"  # newest first
    only = await client.get("/api/reporting/templates?reportType=lead_summary", headers=rep.auth)
    assert [t["id"] for t in only.json()["data"]] == [template["id"]]

    url = f"/api/reporting/templates/{template['id']}"
    changed = await client.put(url, json={"name": "Won leads (all)", "isActive": False}, headers=manager.auth)
    assert changed.status_code == 200 and changed.json()["data"]["is_active"] is False
    assert changed.json()["data"]["description"] == "Monday figures"  # untouched
    inactive = await client.get("/api/reporting/templates?is_active=false", headers=rep.auth)
    assert [t["name"] for t in inactive.json()["data"]] == ["Won leads (all)"]

    stranger = await logged_in(client, await make_entity(), RoleId.ADMIN)
    for method, path in (("GET", url), ("PUT", url), ("DELETE", url), ("POST", f"{url}/generate")):
        response = await client.request(method, path, json={}, headers=stranger.auth)
        assert response.status_code == 404 and response.json()["success"] is False, (method, path)

    assert (await client.delete(url, headers=manager.auth)).status_code == 200
    assert (await client.get(url, headers=manager.auth)).status_code == 404
    schedules = (await client.get("/api/reporting/schedules", headers=manager.auth)).json()["data"]
    assert schedules == []  # the template's schedule went with it


async def test_bad_templates_are_refused(client: httpx.AsyncClient, team: dict[str, Any]) -> None:
    manager = team["manager"]
    for body, field in (
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),  # a name of blanks lists and mails as nothing
        ({"reportType": "pie_chart"}, "reportType"),  # named as it was sent
        ({"filters": {"status": ["sleeping"]}}, "filters.status"),
        ({"filters": {"search": "smith"}}, "filters.search"),  # not a filter: never ignored
        ({"recipients": ["not-an-address"]}, "recipients"),
        ({"schedule": {"frequency": "hourly", "time": "08:00"}}, "schedule.frequency"),
        ({"schedule": {"frequency": "daily", "time": "24:00"}}, "schedule.time"),
        (
            {"schedule": {"frequency": "monthly", "time": "08:00", "day_of_month": 32}},
            "schedule.day_of_month",
        ),
    ):
        response = await make_template(client, manager, **body)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["success"] is False and field in response.json()["message"], response.text


async def test_generate_overlays_filters_and_saved_reports_are_kept(
    client: httpx.AsyncClient, team: dict[str, Any]
) -> None:
    manager, rep = team["manager"], team["rep"]
    template = (await make_template(client, manager)).json()["data"]
    url = f"/api/reporting/templates/{template['id']}/generate"
    as_is = (await client.post(url, json={}, headers=rep.auth)).json()["data"]
    assert as_is["data"]["total_leads"] == 1 and as_is["data"]["won_leads"] == 1
    overlaid = await client.post(url, json={"customFilters": {"status": ["new"]}}, headers=rep.auth)
    assert overlaid.json()["data"]["data"]["total_leads"] == 2
    assert overlaid.json()["data"]["filters"]["status"] == ["new"]

    saved = await client.post(
        "/api/reporting/generate-and-save",
        json={"templateId": template["id"], "format": "csv"},
        headers=rep.auth,
    )
    assert saved.status_code == 201, saved.text
    report = saved.json()["data"]["report"]
    assert report["saved"] is True and report["data"]["total_leads"] == 1 and report["format"] == "csv"
    assert report["user"]["id"] == rep.id and report["template_name"] == "Won leads"
    kept = await client.post(
        "/api/reporting/reports",
        json={"template_id": template["id"], "report_type": "lead_summary", "data": {"total_leads": 7}},
        headers=rep.auth,
    )
    assert kept.status_code == 201
    missing = await client.post(
        "/api/reporting/reports",
        json={"templateId": template["id"], "reportType": "lead_summary"},
        headers=rep.auth,
    )
    assert missing.status_code == 400 and "data" in missing.json()["message"]
    for text in ("hello", "[1, 2]"):  # figures, not a text (a JSON column would try to read it)
        given = {"templateId": template["id"], "reportType": "lead_summary", "data": text}
        refused = await client.post("/api/reporting/reports", json=given, headers=rep.auth)
        assert refused.status_code == 400 and "data" in refused.json()["message"], refused.text

    listed = (await client.get("/api/reporting/reports", headers=rep.auth)).json()
    assert listed["total"] == 2 and "data" not in listed["data"][0]
    assert [r["id"] for r in listed["data"]] == [
        kept.json()["data"]["report_id"],
        saved.json()["data"]["report_id"],
    ]
    one = await client.get(f"/api/reporting/reports/{report['id']}", headers=rep.auth)
    assert one.json()["data"]["data"]["won_leads"] == 1

    stats = (await client.get("/api/reporting/statistics", headers=rep.auth)).json()["data"]
    by_format = {row["format"]: row for row in stats}
    assert by_format["csv"]["total_reports"] == 1 and by_format["csv"]["reports_today"] == 1
    assert by_format["json"]["reports_this_week"] == 1 and by_format["json"]["avg_data_size_bytes"] > 0

    stranger = await logged_in(client, await make_entity(), RoleId.ADMIN)
    assert (
        await client.get(f"/api/reporting/reports/{report['id']}", headers=stranger.auth)
    ).status_code == 404
    assert (await client.get("/api/reporting/reports", headers=stranger.auth)).json()["total"] == 0
    foreign = await client.post(
        "/api/reporting/generate-and-save", json={"templateId": template["id"]}, headers=stranger.auth
    )
    assert foreign.status_code == 404
    assert (
        await client.delete(f"/api/reporting/reports/{report['id']}", headers=rep.auth)
    ).status_code == 403
    assert (
        await client.delete(f"/api/reporting/reports/{report['id']}", headers=manager.auth)
    ).status_code == 200
    assert (await client.get(f"/api/reporting/reports/{report['id']}", headers=rep.auth)).status_code == 404


async def test_a_template_saved_with_a_key_that_is_no_filter_still_runs(
    client: httpx.AsyncClient, team: dict[str, Any]
) -> None:
    """Before unknown filters were refused, a template could keep one; it runs as it did, the
    key passed over."""
    manager = team["manager"]
    template = (await make_template(client, manager)).json()["data"]
    await ReportTemplate.filter(id=template["id"]).update(filters={"status": ["won"], "search": "smith"})
    url = f"/api/reporting/templates/{template['id']}/generate"
    made = await client.post(url, json={}, headers=manager.auth)
    assert made.status_code == 200, made.text
    assert made.json()["data"]["data"]["total_leads"] == 1
    custom = await client.post(url, json={"customFilters": {"search": "x"}}, headers=manager.auth)
    assert custom.status_code == 400 and "filters.search" in custom.json()["message"]


async def test_a_filter_the_report_type_does_not_use_is_refused_naming_both(
    client: httpx.AsyncClient, team: dict[str, Any]
) -> None:
    """An activity summary "for Facebook" would count every activity: refused, not ignored."""
    manager = team["manager"]
    for report_type, filters, unused in (
        ("activity_summary", {"platform": "facebook"}, "platform"),
        ("activity_summary", {"status": ["won"], "user_id": manager.id}, "status"),
        ("sla_compliance", {"assignedUserId": manager.id}, "assignedUserId"),
        ("lead_summary", {"userId": manager.id}, "userId"),
    ):
        made = await make_template(client, manager, reportType=report_type, filters=filters)
        assert made.status_code == 400, (report_type, made.text)
        message = made.json()["message"]
        assert unused in message and report_type in message, message
        assert made.json()["errors"][0]["field"] == f"filters.{unused}"
        asked = {"report_type": report_type, "filters": filters}
        custom = await client.post("/api/analytics/custom-report", json=asked, headers=manager.auth)
        assert custom.status_code == 400 and unused in custom.json()["message"], custom.text
        exported = await client.post("/api/analytics/export", json=asked, headers=manager.auth)
        assert exported.status_code == 400 and report_type in exported.json()["message"], exported.text
    leads = {"report_type": "leads", "filters": {"user_id": manager.id}}
    refused = await client.post("/api/analytics/export", json=leads, headers=manager.auth)
    assert refused.status_code == 400 and "user_id" in refused.json()["message"]

    for report_type, filters in (  # what each type does filter by
        ("activity_summary", {"user_id": manager.id, "date_from": "2026-01-01"}),
        ("sla_compliance", {"status": ["new"], "date_to": "2026-12-31"}),
        ("user_performance", {"platform": "facebook", "assigned_user_id": manager.id}),
        ("time_based", {"status": ["won"], "group_by": "week"}),
    ):
        made = await make_template(client, manager, reportType=report_type, filters=filters)
        assert made.status_code == 201, (report_type, made.text)

    activity = (await make_template(client, manager, reportType="activity_summary", filters={})).json()[
        "data"
    ]
    url = f"/api/reporting/templates/{activity['id']}"
    changed = await client.put(url, json={"filters": {"platform": "website"}}, headers=manager.auth)
    assert changed.status_code == 400 and "activity_summary" in changed.json()["message"]
    assert (await client.get(url, headers=manager.auth)).json()["data"]["filters"] == {}
    custom = {"customFilters": {"assigned_user_id": manager.id}}
    generated = await client.post(f"{url}/generate", json=custom, headers=manager.auth)
    assert generated.status_code == 400 and "assigned_user_id" in generated.json()["message"]
    kept = {
        "templateId": activity["id"],
        "reportType": "activity_summary",
        "data": {},
        "filters": {"platform": "x"},
    }
    assert (await client.post("/api/reporting/reports", json=kept, headers=manager.auth)).status_code == 400


async def test_report_statistics_count_the_last_7_and_30_days_of_the_entity(
    client: httpx.AsyncClient,
) -> None:
    """This week: today and the 6 days before it in the entity's time zone (a report of the 8th
    day back is not in it); this month: today and the 29 before."""
    entity = await make_entity()
    zone = ZoneInfo("America/New_York")
    await Entity.filter(id=entity.id).update(settings={"timezone": zone.key})
    entity_settings.forget(entity.id)
    rep = await logged_in(client, entity)
    today = utcnow().astimezone(zone).date()
    minute = timedelta(minutes=1)
    week, month = midnight(today - timedelta(days=6), zone), midnight(today - timedelta(days=29), zone)
    for at in (week + minute, week - minute, month + minute, month - minute):
        report = await GeneratedReport.create(entity_id=entity.id, report_type="lead_summary", data={})
        await GeneratedReport.filter(id=report.id).update(generated_at=at)
    [row] = (await client.get("/api/reporting/statistics", headers=rep.auth)).json()["data"]
    assert row["total_reports"] == 4 and row["reports_today"] == 0
    assert row["reports_this_week"] == 1 and row["reports_this_month"] == 3


async def test_custom_filters_override_the_template_whichever_spelling_either_uses(
    client: httpx.AsyncClient, team: dict[str, Any]
) -> None:
    """A custom filter in camelCase replaces the template's snake_case one (and its grouping),
    as the snake_case one does: neither spelling is passed over silently."""
    manager = team["manager"]
    made = await make_template(
        client,
        manager,
        name="Daily",
        report_type="time_based",
        filters={"date_from": "2000-01-01"},
        groupBy="day",
    )
    url = f"/api/reporting/templates/{made.json()['data']['id']}/generate"
    future = {"customFilters": {"dateFrom": "2999-01-01", "groupBy": "month"}}
    generated = (await client.post(url, json=future, headers=manager.auth)).json()["data"]
    assert generated["filters"] == {"date_from": "2999-01-01", "group_by": "month"}
    assert generated["data"] == []  # no lead arrived on or after the day asked
    month = utcnow().strftime("%Y-%m")
    monthly = await client.post(url, json={"customFilters": {"groupBy": "month"}}, headers=manager.auth)
    assert [p["period"] for p in monthly.json()["data"]["data"]] == [month]

    export = {
        "report_type": "leads",
        "format": "json",
        "date_from": "2000-01-01",
        "filters": {"dateFrom": "2999-01-01"},
    }
    started = await client.post("/api/analytics/export", json=export, headers=manager.auth)
    assert started.status_code == 201, started.text
    assert started.json()["data"]["filters"]["date_from"] == "2999-01-01"  # the filters' own win
    assert started.json()["data"]["rows_total"] == 0


async def test_a_template_name_is_kept_without_its_surrounding_blanks_and_never_blank(
    client: httpx.AsyncClient, team: dict[str, Any]
) -> None:
    manager = team["manager"]
    made = await make_template(client, manager, name="  Weekly won  ")
    assert made.status_code == 201 and made.json()["data"]["name"] == "Weekly won", made.text
    url = f"/api/reporting/templates/{made.json()['data']['id']}"
    blank = await client.put(url, json={"name": "   "}, headers=manager.auth)
    assert blank.status_code == 400 and "name" in blank.json()["message"], blank.text
    assert (await client.get(url, headers=manager.auth)).json()["data"]["name"] == "Weekly won"


async def test_a_template_s_sort_by_is_checked_when_it_is_saved(
    client: httpx.AsyncClient, team: dict[str, Any]
) -> None:
    """A sort_by that is no column of the type's rows is refused when the template is made or
    changed (400 naming sort_by and the columns), as the custom report refuses it, not kept to
    be passed over at each run."""
    manager = team["manager"]
    refused = await make_template(client, manager, sortBy="leads_won")  # a user_performance column
    assert refused.status_code == 400, refused.text
    body = refused.json()
    assert body["success"] is False and body["errors"][0]["field"] == "sort_by"
    assert "sort_by" in body["message"] and "total_leads" in body["message"], body
    assert (await client.get("/api/reporting/templates", headers=manager.auth)).json()["total"] == 0
    people = await make_template(
        client, manager, reportType="user_performance", filters={}, sortBy="leads_won"
    )
    assert people.status_code == 201 and people.json()["data"]["sort_by"] == "leads_won", people.text

    made = await make_template(client, manager, sort_by="won_leads")
    assert made.status_code == 201 and made.json()["data"]["sort_by"] == "won_leads", made.text
    url = f"/api/reporting/templates/{made.json()['data']['id']}"
    changed = await client.put(url, json={"sort_by": "nonsense"}, headers=manager.auth)
    assert changed.status_code == 400 and changed.json()["errors"][0]["field"] == "sort_by"
    assert "total_leads" in changed.json()["message"]
    assert (await client.get(url, headers=manager.auth)).json()["data"]["sort_by"] == "won_leads"
    cleared = await client.put(url, json={"sort_by": None}, headers=manager.auth)
    assert cleared.status_code == 200 and cleared.json()["data"]["sort_by"] == ""


async def test_every_report_s_rows_have_the_columns_sort_by_is_checked_against(
    client: httpx.AsyncClient, team: dict[str, Any]
) -> None:
    """The columns a sort_by is checked against are those each type's rows have."""
    actor = Actor.system(team["entity"].id)
    for report_type in REPORTS:
        report = await reports.run(actor, report_type, ReportFilters())
        assert report.rows, report_type
        for row in report.rows:
            assert set(row) <= set(reports.COLUMNS[report_type]), (
                report_type,
                set(row) - set(reports.COLUMNS[report_type]),
            )
        if report_type is not ReportType.SLA_COMPLIANCE:  # its compliance_<status>: statuses decided
            assert set(report.rows[0]) == set(reports.COLUMNS[report_type]), report_type


async def test_a_kept_report_is_of_its_template_s_type(
    client: httpx.AsyncClient, team: dict[str, Any]
) -> None:
    """POST /reports keeps a report of its template: another report_type is a 400 naming it
    (a funnel kept under a lead summary would be listed and counted as one); none given is the
    template's."""
    manager = team["manager"]
    template = (await make_template(client, manager)).json()["data"]  # a lead summary
    url = "/api/reporting/reports"
    other = {"template_id": template["id"], "report_type": "conversion_funnel", "data": {"stages": []}}
    refused = await client.post(url, json=other, headers=manager.auth)
    assert refused.status_code == 400 and refused.json()["success"] is False, refused.text
    assert refused.json()["errors"][0]["field"] == "report_type"
    assert "lead_summary" in refused.json()["message"]
    assert (await client.get(url, headers=manager.auth)).json()["total"] == 0

    untyped = await client.post(
        url, json={"templateId": template["id"], "data": {"total_leads": 3}}, headers=manager.auth
    )
    assert untyped.status_code == 201, untyped.text
    assert untyped.json()["data"]["report"]["report_type"] == "lead_summary"
    alias = {"templateId": template["id"], "reportType": "lead_performance", "data": {"total_leads": 3}}
    named = await client.post(url, json=alias, headers=manager.auth)  # the document's name of the same type
    assert named.status_code == 201 and named.json()["data"]["report"]["report_type"] == "lead_summary"
