"""Reporting routes: custom reports and exports (under /api/analytics, as the API document
places them), and /api/reporting: templates, generated reports, statistics, schedules and
their execution log. Reading and generating is for every user of the entity (the figures are
the team's); templates and schedules are made, changed and deleted by admins and managers."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, ResponseStream, file_stream

from salesmagnet.auth.guards import MANAGERS, requires
from salesmagnet.http import created, ok, parse, parse_query, path_id
from salesmagnet.reporting import exports, reports, schedules, templates
from salesmagnet.reporting.schemas import (
    CustomReport,
    ExecutionsQuery,
    ExportIn,
    Generate,
    GenerateAndSave,
    ReportIn,
    ReportsQuery,
    ScheduleIn,
    SchedulesQuery,
    ScheduleUpdate,
    StatisticsQuery,
    TemplateIn,
    TemplateQuery,
    TemplateUpdate,
)

exports_bp = Blueprint("reporting_analytics", url_prefix="/api/analytics")
bp = Blueprint("reporting", url_prefix="/api/reporting")
CHUNK = 256 * 1024  # bytes per write of a download


@exports_bp.post("/custom-report")
@requires()
async def custom_report(request: Request) -> HTTPResponse:
    asked = parse(CustomReport, request)
    report = await reports.run(request.ctx.actor, asked.report_type, reports.filters_of(asked.merged()))
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
@requires()
async def export(request: Request) -> HTTPResponse:
    started = await exports.request(request.app.ctx.deps, request.ctx.actor, parse(ExportIn, request))
    if started["status"] == exports.READY:
        return created(started, "Export ready to download")
    return ok(started, "Export started: follow status_url, or wait for export:ready", status=202)


@exports_bp.get("/export/<export_id>")
@requires()
async def export_status(request: Request, export_id: str) -> HTTPResponse:
    return ok(await exports.status(request.ctx.actor, path_id(export_id, "export_id")))


@exports_bp.get("/export/download/<export_id>")
@requires()  # type: ignore[arg-type]  # a streamed file: Sanic's ResponseStream, not an HTTPResponse
async def download(request: Request, export_id: str) -> ResponseStream:
    deps, actor = request.app.ctx.deps, request.ctx.actor
    path, name, content_type = await exports.download(deps, actor, path_id(export_id, "export_id"))
    return await file_stream(path, chunk_size=CHUNK, mime_type=content_type, filename=name)


@bp.post("/templates")
@requires(*MANAGERS)
async def create_template(request: Request) -> HTTPResponse:
    made = await templates.create_template(request.ctx.actor, parse(TemplateIn, request))
    return created(made, "Report template created successfully")


@bp.get("/templates")
@requires()
async def list_templates(request: Request) -> HTTPResponse:
    found = await templates.list_templates(request.ctx.actor, parse_query(TemplateQuery, request))
    return ok(found["templates"], total=found["total"])


@bp.get("/templates/<template_id>")
@requires()
async def get_template(request: Request, template_id: str) -> HTTPResponse:
    return ok(await templates.get_template(request.ctx.actor, path_id(template_id, "template_id")))


@bp.put("/templates/<template_id>")
@requires(*MANAGERS)
async def update_template(request: Request, template_id: str) -> HTTPResponse:
    changes = parse(TemplateUpdate, request)
    changed = await templates.update_template(request.ctx.actor, path_id(template_id, "template_id"), changes)
    return ok(changed, "Report template updated successfully")


@bp.delete("/templates/<template_id>")
@requires(*MANAGERS)
async def delete_template(request: Request, template_id: str) -> HTTPResponse:
    await templates.delete_template(request.ctx.actor, path_id(template_id, "template_id"))
    return ok(message="Report template deleted successfully")


@bp.post("/templates/<template_id>/generate")
@requires()
async def generate(request: Request, template_id: str) -> HTTPResponse:
    custom = parse(Generate, request).custom_filters
    found = await templates.generate(request.ctx.actor, path_id(template_id, "template_id"), custom)
    return ok(found, "Report generated successfully")


@bp.post("/generate-and-save")
@requires()
async def generate_and_save(request: Request) -> HTTPResponse:
    saved = await templates.generate_and_save(request.ctx.actor, parse(GenerateAndSave, request))
    return created(saved, "Report generated and saved successfully")


@bp.post("/reports")
@requires()
async def add_report(request: Request) -> HTTPResponse:
    saved = await templates.add_report(request.ctx.actor, parse(ReportIn, request))
    return created(saved, "Report saved successfully")


@bp.get("/reports")
@requires()
async def list_reports(request: Request) -> HTTPResponse:
    found = await templates.list_reports(request.ctx.actor, parse_query(ReportsQuery, request))
    return ok(found["reports"], total=found["total"])


@bp.get("/reports/<report_id>")
@requires()
async def get_report(request: Request, report_id: str) -> HTTPResponse:
    return ok(await templates.get_report(request.ctx.actor, path_id(report_id, "report_id")))


@bp.delete("/reports/<report_id>")
@requires(*MANAGERS)
async def delete_report(request: Request, report_id: str) -> HTTPResponse:
    await templates.delete_report(request.ctx.actor, path_id(report_id, "report_id"))
    return ok(message="Generated report deleted successfully")


@bp.get("/statistics")
@requires()
async def statistics(request: Request) -> HTTPResponse:
    found = await templates.statistics(request.ctx.actor, parse_query(StatisticsQuery, request))
    return ok(found, "Report statistics retrieved successfully")


@bp.post("/schedules")
@requires(*MANAGERS)
async def create_schedule(request: Request) -> HTTPResponse:
    made = await schedules.create_schedule(request.ctx.actor, parse(ScheduleIn, request))
    return created(made | {"schedule_id": made["id"]}, "Report scheduled successfully")


@bp.get("/schedules")
@requires()
async def list_schedules(request: Request) -> HTTPResponse:
    return ok(await schedules.list_schedules(request.ctx.actor, parse_query(SchedulesQuery, request)))


@bp.get("/schedules/<schedule_id>")
@requires()
async def get_schedule(request: Request, schedule_id: str) -> HTTPResponse:
    return ok(await schedules.get_schedule(request.ctx.actor, path_id(schedule_id, "schedule_id")))


@bp.put("/schedules/<schedule_id>")
@requires(*MANAGERS)
async def update_schedule(request: Request, schedule_id: str) -> HTTPResponse:
    changes = parse(ScheduleUpdate, request)
    changed = await schedules.update_schedule(request.ctx.actor, path_id(schedule_id, "schedule_id"), changes)
    return ok(changed, "Report schedule updated successfully")


@bp.delete("/schedules/<schedule_id>")
@requires(*MANAGERS)
async def delete_schedule(request: Request, schedule_id: str) -> HTTPResponse:
    await schedules.delete_schedule(request.ctx.actor, path_id(schedule_id, "schedule_id"))
    return ok(message="Report schedule deleted successfully")


@bp.get("/schedules/<schedule_id>/executions")
@requires()
async def schedule_executions(request: Request, schedule_id: str) -> HTTPResponse:
    query = parse_query(ExecutionsQuery, request).model_copy(
        update={"schedule_id": path_id(schedule_id, "schedule_id")}
    )
    await schedules.get_schedule(request.ctx.actor, query.schedule_id or 0)  # 404 for another's
    found = await schedules.executions(request.ctx.actor, query)
    return ok(found["executions"], total=found["total"])


@bp.get("/executions")
@requires()
async def executions(request: Request) -> HTTPResponse:
    found = await schedules.executions(request.ctx.actor, parse_query(ExecutionsQuery, request))
    return ok(found["executions"], total=found["total"])
