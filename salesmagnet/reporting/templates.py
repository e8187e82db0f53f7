"""Report templates (a saved report: type, filters, grouping, format, recipients), the reports
generated from them, and their statistics. Every id is the caller's entity's or a 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from models import GeneratedReport, ReportSchedule, ReportTemplate, User
from salesmagnet.db import atomic, iso, utcnow
from salesmagnet.errors import BadRequest, ValidationFailed
from salesmagnet.leads import rollups
from salesmagnet.reporting import queries, reports, schedules
from salesmagnet.reporting.schemas import (
    GenerateAndSave,
    ReportIn,
    ReportsQuery,
    ReportType,
    StatisticsQuery,
    TemplateIn,
    TemplateQuery,
    TemplateUpdate,
)
from salesmagnet.tenancy import Actor, create, get_owned, scoped

TEMPLATE = "Report template"
PERIODS = {"today": 0, "week": 6, "month": 29}  # days before today each period starts


def template_out(template: ReportTemplate) -> dict[str, Any]:
    return {
        "id": template.id,
        "name": template.name,
        "description": template.description,
        "report_type": template.report_type,
        "filters": template.filters,
        "group_by": template.group_by,
        "sort_by": template.sort_by,
        "sort_order": template.sort_order.lower(),
        "format": template.format,
        "recipients": template.recipients,
        "is_active": template.is_active,
        "created_by": template.created_by_id,  # type: ignore[attr-defined]
        "created_at": iso(template.created_at),
        "updated_at": iso(template.updated_at),
    }


async def create_template(actor: Actor, body: TemplateIn) -> dict[str, Any]:
    reports.filters_for(body.report_type, body.filters)  # refused now rather than at its first run
    reports.check_sort(body.report_type, body.sort_by or None)
    async with atomic():
        template = await create(
            ReportTemplate,
            actor,
            name=body.name,
            description=body.description,
            report_type=body.report_type.value,
            filters=body.filters,
            group_by=body.group_by,
            sort_by=body.sort_by or "",
            sort_order=body.sort_order,
            format=body.format.value,
            # Scheduled without recipients (the API document's own example): to whoever set it up.
            recipients=list(body.recipients) or (await schedules.own_address(actor) if body.schedule else []),
            is_active=body.is_active,
            created_by_id=actor.user_id,
        )
        schedule = None
        if body.schedule is not None:
            schedule = await schedules.add(actor, template, body.schedule, None, body.is_active)
    return {"template_id": template.id, **template_out(template), "schedule": schedule}


async def list_templates(actor: Actor, query: TemplateQuery) -> dict[str, Any]:
    rows = scoped(ReportTemplate, actor)
    if query.is_active is not None:
        rows = rows.filter(is_active=query.is_active)
    if query.report_type is not None:
        rows = rows.filter(report_type=query.report_type.value)
    total = await rows.count()
    page = await rows.order_by("-created_at", "-id").offset(query.offset).limit(query.rows)
    return {"templates": [template_out(t) for t in page], "total": total}


async def get_template(actor: Actor, template_id: int) -> dict[str, Any]:
    return template_out(await get_owned(ReportTemplate, actor, template_id, TEMPLATE))


async def update_template(actor: Actor, template_id: int, body: TemplateUpdate) -> dict[str, Any]:
    template = await get_owned(ReportTemplate, actor, template_id, TEMPLATE)
    given = body.model_dump(exclude_unset=True)
    if given.get("filters") is not None:
        reports.filters_for(ReportType(template.report_type), given["filters"])
    if given.get("sort_by"):
        reports.check_sort(ReportType(template.report_type), given["sort_by"])
    if "recipients" in given and not given["recipients"]:
        await _keep_recipients(actor, template)
    switched_on = given.get("is_active") is True and not template.is_active
    for name, value in given.items():
        if value is None and name not in ("description", "group_by", "sort_by"):
            continue  # null does not clear a required field
        setattr(template, name, getattr(value, "value", value) if name == "format" else value)
    if "sort_by" in given:
        template.sort_by = given["sort_by"] or ""
    async with atomic():
        await template.save()
        if switched_on:
            await schedules.resume(actor, template)
    return template_out(template)


async def _keep_recipients(actor: Actor, template: ReportTemplate) -> None:
    """Refuse to clear a template's recipients while a schedule of it mails them (it has none
    of its own): its runs would have no one to go to."""
    if await scoped(ReportSchedule, actor, template_id=template.id, recipients__isnull=True).exists():
        raise BadRequest(schedules.NO_RECIPIENTS)


async def delete_template(actor: Actor, template_id: int) -> None:
    """Delete a template and its schedules; its generated reports stay (without a template)."""
    template = await get_owned(ReportTemplate, actor, template_id, TEMPLATE)
    await template.delete()


async def generate(actor: Actor, template_id: int, custom: dict[str, Any]) -> dict[str, Any]:
    """Run a template now (its filters overlaid by `custom`); nothing is saved."""
    template = await get_owned(ReportTemplate, actor, template_id, TEMPLATE)
    report = await reports.run_template(actor, template, custom)
    return {
        "template": template_out(template),
        "filters": report.filters.model_dump(mode="json", exclude_none=True),
        "data": report.results,
        "generated_at": iso(utcnow()),
    }


async def generate_and_save(actor: Actor, body: GenerateAndSave) -> dict[str, Any]:
    template = await get_owned(ReportTemplate, actor, body.template_id, TEMPLATE)
    report = await reports.run_template(actor, template, body.custom_filters)
    saved = await reports.save(actor, template, report, body.format.value, actor.user_id)
    return {
        "report_id": saved.id,
        "report": await _report_out(actor, saved, with_data=True) | {"saved": True},
    }


async def add_report(actor: Actor, body: ReportIn) -> dict[str, Any]:
    """Keep a report a client generated from one of the entity's templates: of the template's
    type (none given: the template's; another is a 400 naming report_type)."""
    template = await get_owned(ReportTemplate, actor, body.template_id, TEMPLATE)
    report_type = ReportType(template.report_type)
    if body.report_type not in (None, report_type):
        message = f"report_type must be the template's, {report_type.value} (not {body.report_type.value})"
        raise ValidationFailed(message, errors=[{"field": "report_type", "message": message}])
    filters = reports.filters_for(report_type, body.filters)
    report = reports.Report(report_type, filters, body.data, [])
    saved = await reports.save(actor, template, report, body.format.value, actor.user_id)
    return {"report_id": saved.id, "report": await _report_out(actor, saved, with_data=True)}


async def list_reports(actor: Actor, query: ReportsQuery) -> dict[str, Any]:
    rows = scoped(GeneratedReport, actor)
    if query.report_type is not None:
        rows = rows.filter(report_type=query.report_type.value)
    if query.generated_by is not None:
        rows = rows.filter(generated_by_id=query.generated_by)
    zone = await rollups.zone_of(actor)
    if query.date_from is not None:
        rows = rows.filter(generated_at__gte=queries.midnight(query.date_from, zone))
    if query.date_to is not None:
        rows = rows.filter(generated_at__lt=queries.midnight(query.date_to + timedelta(days=1), zone))
    total = await rows.count()
    page = await rows.order_by("-generated_at", "-id").offset(query.offset).limit(query.rows)
    out = await _reports_out(actor, page, with_data=False)
    return {"reports": out, "total": total}


async def _reports_out(actor: Actor, found: list[GeneratedReport], with_data: bool) -> list[dict[str, Any]]:
    template_ids = {r.template_id for r in found if r.template_id}  # type: ignore[attr-defined]
    user_ids = {r.generated_by_id for r in found if r.generated_by_id}  # type: ignore[attr-defined]
    names = dict(
        await scoped(ReportTemplate, actor, id__in=list(template_ids) or [0]).values_list("id", "name")
    )
    people = {
        u["id"]: u
        for u in await scoped(User, actor, id__in=list(user_ids) or [0]).values(
            "id", "first_name", "last_name", "email"
        )
    }
    out = []
    for report in found:
        person = people.get(report.generated_by_id)  # type: ignore[attr-defined]
        item = {
            "id": report.id,
            "template_id": report.template_id,  # type: ignore[attr-defined]
            "template_name": names.get(report.template_id),  # type: ignore[attr-defined]
            "report_type": report.report_type,
            "filters": report.filters,
            "format": report.format,
            "generated_by": report.generated_by_id,  # type: ignore[attr-defined]
            "user": None
            if person is None
            else {
                "id": person["id"],
                "name": f"{person['first_name']} {person['last_name']}",
                "email": person["email"],
            },
            "generated_at": iso(report.generated_at),
        }
        if with_data:
            item["data"] = report.data
        out.append(item)
    return out


async def _report_out(actor: Actor, report: GeneratedReport, with_data: bool) -> dict[str, Any]:
    return (await _reports_out(actor, [report], with_data))[0]


async def get_report(actor: Actor, report_id: int) -> dict[str, Any]:
    report = await get_owned(GeneratedReport, actor, report_id, "Generated report")
    return await _report_out(actor, report, with_data=True)


async def delete_report(actor: Actor, report_id: int) -> None:
    report = await get_owned(GeneratedReport, actor, report_id, "Generated report")
    await report.delete()


async def statistics(actor: Actor, query: StatisticsQuery) -> list[dict[str, Any]]:
    """Per report type and format: reports generated (within the days), today, in the last 7
    and 30 days (the entity's days, today the last of them), and their average size in bytes
    of JSON."""
    zone = await rollups.zone_of(actor)
    today = utcnow().astimezone(zone).date()
    starts = {name: queries.midnight(today - timedelta(days=back), zone) for name, back in PERIODS.items()}
    since = queries.midnight(query.date_from, zone) if query.date_from else None
    until = queries.midnight(query.date_to + timedelta(days=1), zone) if query.date_to else None
    kind = query.report_type.value if query.report_type else None
    return [
        {
            "report_type": row["report_type"],
            "format": row["format"],
            "total_reports": int(row["total"]),
            "reports_today": int(row["today"] or 0),
            "reports_this_week": int(row["week"] or 0),
            "reports_this_month": int(row["month"] or 0),
            "avg_data_size_bytes": round(float(row["size"] or 0)),
        }
        for row in await queries.report_statistics(actor, starts, since, until, kind)
    ]
