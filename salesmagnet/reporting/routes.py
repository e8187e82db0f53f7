"""Reporting routes: custom reports and exports (under /api/analytics, as the API document
places them), and /api/reporting: templates, generated reports, statistics, schedules and
their execution log. Reading and generating is for every user of the entity (the figures are
the team's); templates and schedules are made, changed and deleted by admins and managers."""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, ResponseStream, file_stream

from salesmagnet.auth.guards import MANAGERS, requires
from salesmagnet.http import created, ok, parse, parse_query, path_id
from salesmagnet.openapi.document import Raw, documented
from salesmagnet.reporting import exports, reports, schedules, templates
from salesmagnet.reporting.files import CONTENT_TYPES
from salesmagnet.reporting.schemas import (
    CustomReport,
    CustomReportOut,
    ExecutionOut,
    ExecutionsQuery,
    ExportIn,
    ExportOut,
    Generate,
    GenerateAndSave,
    Generated,
    NewSchedule,
    NewTemplate,
    ReportIn,
    ReportOut,
    ReportsQuery,
    ReportStatistics,
    Saved,
    ScheduleIn,
    ScheduleOut,
    SchedulesQuery,
    ScheduleUpdate,
    StatisticsQuery,
    TemplateIn,
    TemplateOut,
    TemplateQuery,
    TemplateUpdate,
)

exports_bp = Blueprint("reporting_analytics", url_prefix="/api/analytics")
bp = Blueprint("reporting", url_prefix="/api/reporting")
CHUNK = 256 * 1024  # bytes per write of a download
FILE_TYPES = tuple(kind.partition(";")[0] for kind in CONTENT_TYPES.values())


@exports_bp.post("/custom-report")
@documented(CustomReportOut, body=CustomReport)
@requires()
async def custom_report(request: Request) -> HTTPResponse:
    """Run a report of any type with filters, sorted and cut to `limit` rows."""
    asked = parse(CustomReport, request)
    filters = reports.filters_for(asked.report_type, asked.merged())
    report = await reports.run(request.ctx.actor, asked.report_type, filters)
    shown = report.ordered(asked.sort_by, asked.sort_order, asked.limit)
    data = {
        "report_type": asked.report_type.value,
        "filters": report.filters.model_dump(mode="json", exclude_none=True),
        "group_by": report.filters.group_by,
        "sort_by": asked.sort_by,
        "sort_order": asked.sort_order,
        "limit": asked.limit,
        "total_rows": len(report.rows),
        "results": shown.results,
    }
    return ok(data, "Custom report generated successfully")


@exports_bp.post("/export")
@documented(ExportOut, body=ExportIn, status=(201, 202), errors=(429,))
@requires()
async def export(request: Request) -> HTTPResponse:
    """Export a report as CSV, JSON or XLSX.

    201 when it is ready at once, else 202: follow `status_url` or wait for `export:ready`."""
    started = await exports.request(request.app.ctx.deps, request.ctx.actor, parse(ExportIn, request))
    if started["status"] == exports.READY:
        return created(started, "Export ready to download")
    return ok(started, "Export started: follow status_url, or wait for export:ready", status=202)


@exports_bp.get("/export/<export_id>")
@documented(ExportOut)
@requires()
async def export_status(request: Request, export_id: str) -> HTTPResponse:
    """An export's progress."""
    return ok(await exports.status(request.ctx.actor, path_id(export_id, "export_id")))


@exports_bp.get("/export/download/<export_id>")
@documented(raw={200: Raw(Any, FILE_TYPES, "The export file")}, errors=(409, 410))
@requires()  # type: ignore[arg-type]  # a streamed file: Sanic's ResponseStream, not an HTTPResponse
async def download(request: Request, export_id: str) -> ResponseStream:
    """Download a ready export's file (410 once it has expired)."""
    deps, actor = request.app.ctx.deps, request.ctx.actor
    path, name, content_type = await exports.download(deps, actor, path_id(export_id, "export_id"))
    return await file_stream(path, chunk_size=CHUNK, mime_type=content_type, filename=name)


@bp.post("/templates")
@documented(NewTemplate, body=TemplateIn, status=201, errors=(409,))
@requires(*MANAGERS)
async def create_template(request: Request) -> HTTPResponse:
    """Create a report template, with a schedule if one is given."""
    made = await templates.create_template(request.ctx.actor, parse(TemplateIn, request))
    return created(made, "Report template created successfully")


@bp.get("/templates")
@documented(list[TemplateOut], query=TemplateQuery, extra={"total": int})
@requires()
async def list_templates(request: Request) -> HTTPResponse:
    """The entity's report templates."""
    found = await templates.list_templates(request.ctx.actor, parse_query(TemplateQuery, request))
    return ok(found["templates"], total=found["total"])


@bp.get("/templates/<template_id>")
@documented(TemplateOut)
@requires()
async def get_template(request: Request, template_id: str) -> HTTPResponse:
    """One report template."""
    return ok(await templates.get_template(request.ctx.actor, path_id(template_id, "template_id")))


@bp.put("/templates/<template_id>")
@documented(TemplateOut, body=TemplateUpdate, errors=(409,))
@requires(*MANAGERS)
async def update_template(request: Request, template_id: str) -> HTTPResponse:
    """Change a report template."""
    changes = parse(TemplateUpdate, request)
    changed = await templates.update_template(request.ctx.actor, path_id(template_id, "template_id"), changes)
    return ok(changed, "Report template updated successfully")


@bp.delete("/templates/<template_id>")
@documented()
@requires(*MANAGERS)
async def delete_template(request: Request, template_id: str) -> HTTPResponse:
    """Delete a report template and its schedules."""
    await templates.delete_template(request.ctx.actor, path_id(template_id, "template_id"))
    return ok(message="Report template deleted successfully")


@bp.post("/templates/<template_id>/generate")
@documented(Generated, body=Generate)
@requires()
async def generate(request: Request, template_id: str) -> HTTPResponse:
    """Run a template's report now (not saved)."""
    custom = parse(Generate, request).custom_filters
    found = await templates.generate(request.ctx.actor, path_id(template_id, "template_id"), custom)
    return ok(found, "Report generated successfully")


@bp.post("/generate-and-save")
@documented(Saved, body=GenerateAndSave, status=201)
@requires()
async def generate_and_save(request: Request) -> HTTPResponse:
    """Run a template's report and keep it."""
    saved = await templates.generate_and_save(request.ctx.actor, parse(GenerateAndSave, request))
    return created(saved, "Report generated and saved successfully")


@bp.post("/reports")
@documented(Saved, body=ReportIn, status=201)
@requires()
async def add_report(request: Request) -> HTTPResponse:
    """Keep a report made elsewhere."""
    saved = await templates.add_report(request.ctx.actor, parse(ReportIn, request))
    return created(saved, "Report saved successfully")


@bp.get("/reports")
@documented(list[ReportOut], query=ReportsQuery, extra={"total": int})
@requires()
async def list_reports(request: Request) -> HTTPResponse:
    """The entity's saved reports, newest first."""
    found = await templates.list_reports(request.ctx.actor, parse_query(ReportsQuery, request))
    return ok(found["reports"], total=found["total"])


@bp.get("/reports/<report_id>")
@documented(ReportOut)
@requires()
async def get_report(request: Request, report_id: str) -> HTTPResponse:
    """One saved report with its figures."""
    return ok(await templates.get_report(request.ctx.actor, path_id(report_id, "report_id")))


@bp.delete("/reports/<report_id>")
@documented()
@requires(*MANAGERS)
async def delete_report(request: Request, report_id: str) -> HTTPResponse:
    """Delete a saved report."""
    await templates.delete_report(request.ctx.actor, path_id(report_id, "report_id"))
    return ok(message="Generated report deleted successfully")


@bp.get("/statistics")
@documented(list[ReportStatistics], query=StatisticsQuery)
@requires()
async def statistics(request: Request) -> HTTPResponse:
    """Saved reports counted per type and format."""
    found = await templates.statistics(request.ctx.actor, parse_query(StatisticsQuery, request))
    return ok(found, "Report statistics retrieved successfully")


@bp.post("/schedules")
@documented(NewSchedule, body=ScheduleIn, status=201, errors=(409,))
@requires(*MANAGERS)
async def create_schedule(request: Request) -> HTTPResponse:
    """Schedule a template's report (daily, weekly or monthly)."""
    made = await schedules.create_schedule(request.ctx.actor, parse(ScheduleIn, request))
    return created(made | {"schedule_id": made["id"]}, "Report scheduled successfully")


@bp.get("/schedules")
@documented(list[ScheduleOut], query=SchedulesQuery, extra={"total": int})
@requires()
async def list_schedules(request: Request) -> HTTPResponse:
    """The entity's report schedules, oldest first."""
    found = await schedules.list_schedules(request.ctx.actor, parse_query(SchedulesQuery, request))
    return ok(found["schedules"], total=found["total"])


@bp.get("/schedules/<schedule_id>")
@documented(ScheduleOut)
@requires()
async def get_schedule(request: Request, schedule_id: str) -> HTTPResponse:
    """One report schedule."""
    return ok(await schedules.get_schedule(request.ctx.actor, path_id(schedule_id, "schedule_id")))


@bp.put("/schedules/<schedule_id>")
@documented(ScheduleOut, body=ScheduleUpdate, errors=(409,))
@requires(*MANAGERS)
async def update_schedule(request: Request, schedule_id: str) -> HTTPResponse:
    """Change a report schedule."""
    changes = parse(ScheduleUpdate, request)
    changed = await schedules.update_schedule(request.ctx.actor, path_id(schedule_id, "schedule_id"), changes)
    return ok(changed, "Report schedule updated successfully")


@bp.delete("/schedules/<schedule_id>")
@documented()
@requires(*MANAGERS)
async def delete_schedule(request: Request, schedule_id: str) -> HTTPResponse:
    """Delete a report schedule."""
    await schedules.delete_schedule(request.ctx.actor, path_id(schedule_id, "schedule_id"))
    return ok(message="Report schedule deleted successfully")


@bp.get("/schedules/<schedule_id>/executions")
@documented(list[ExecutionOut], query=ExecutionsQuery, extra={"total": int})
@requires()
async def schedule_executions(request: Request, schedule_id: str) -> HTTPResponse:
    """A schedule's runs, newest first."""
    query = parse_query(ExecutionsQuery, request).model_copy(
        update={"schedule_id": path_id(schedule_id, "schedule_id")}
    )
    await schedules.get_schedule(request.ctx.actor, query.schedule_id or 0)  # 404 for another's
    found = await schedules.executions(request.ctx.actor, query)
    return ok(found["executions"], total=found["total"])


@bp.get("/executions")
@documented(list[ExecutionOut], query=ExecutionsQuery, extra={"total": int})
@requires()
async def executions(request: Request) -> HTTPResponse:
    """The entity's scheduled runs, newest first."""
    found = await schedules.executions(request.ctx.actor, parse_query(ExecutionsQuery, request))
    return ok(found["executions"], total=found["total"])
