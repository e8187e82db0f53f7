"""A report: one of the analytics (salesmagnet.analytics.service) for a set of filters, as the
API answers it (`results`) and as a table (`rows`, what CSV and XLSX files hold)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from models import GeneratedReport, ReportTemplate, StatusName
from salesmagnet.analytics import service as analytics
from salesmagnet.analytics.schemas import ActivityDays, SlaDays, TimeBased
from salesmagnet.db import utcnow
from salesmagnet.errors import BadRequest, ValidationFailed, validate
from salesmagnet.leads import rollups
from salesmagnet.reporting.schemas import Period, ReportFilters, ReportType
from salesmagnet.tenancy import Actor, create

Row = dict[str, Any]
FIGURES = tuple(analytics.figures(None))  # total_leads, won_leads, …, avg_assignment_time
STATUSES = tuple(s.value for s in StatusName)
# The columns of each type's rows (`run` below makes them): what a report is sorted by.
COLUMNS: dict[ReportType, tuple[str, ...]] = {
    ReportType.LEAD_SUMMARY: tuple(
        dict.fromkeys([*FIGURES, *(f"{s}_leads" for s in STATUSES), "assigned_leads", "unassigned_leads"])
    ),
    ReportType.PLATFORM_PERFORMANCE: ("platform", *FIGURES),
    ReportType.USER_PERFORMANCE: (
        *("user_id", "username", "first_name", "last_name", "email", "role", "is_active"),
        *(
            "leads_assigned",
            "leads_won",
            "leads_lost",
            *FIGURES[3:],
            "total_activities",
            "pending_follow_ups",
        ),
    ),
    ReportType.CONVERSION_FUNNEL: ("stage", "count", "percentage"),
    ReportType.TIME_BASED: ("period", "new_leads", "won_leads", "lost_leads", "conversion_rate", "win_rate"),
    ReportType.ACTIVITY_SUMMARY: ("dimension", "value", "count"),
    ReportType.SLA_COMPLIANCE: (
        *("total_leads", "within_sla", "exceeded_sla", "compliance_rate", "avg_exceeded_time"),
        *(f"compliance_{s}" for s in STATUSES),
    ),
}


def check_sort(report_type: ReportType, sort_by: str | None) -> None:
    """A `sort_by` must be a column of the type's rows: a 400 naming the field and the columns
    (a custom report's, and a template's when it is saved, so its runs never meet a bad one)."""
    columns = COLUMNS.get(report_type, ())
    if sort_by is not None and sort_by not in columns:
        message = f"sort_by must be one of: {', '.join(columns)}"
        raise ValidationFailed(message, errors=[{"field": "sort_by", "message": message}])


@dataclass
class Report:
    report_type: ReportType
    filters: ReportFilters
    results: Any  # the analytics' answer
    rows: list[Row]  # one line per record: lists as they are, a summary as one line

    def ordered(self, sort_by: str | None, order: str, limit: int, strict: bool = True) -> Report:
        """The rows sorted by `sort_by` (a column of the type's: check_sort; nulls last) and
        cut at `limit`; a list answer is the rows themselves, so it is sorted and cut the same
        way. Unless `strict`, a `sort_by` that is no column (a template's, saved before it was
        checked) leaves their order as it is."""
        rows = self.rows
        if sort_by is not None and sort_by not in COLUMNS.get(self.report_type, ()):
            if strict:
                check_sort(self.report_type, sort_by)
            sort_by = None
        if sort_by is not None:
            present = [r for r in rows if r.get(sort_by) is not None]
            present.sort(key=lambda r: r[sort_by], reverse=order == "desc")
            rows = present + [r for r in rows if r.get(sort_by) is None]
        rows = rows[:limit]
        results = rows if isinstance(self.results, list) else self.results
        if isinstance(self.results, dict) and "stages" in self.results:
            results = self.results | {"stages": [r for r in rows if r["stage"] != "lost"]}
        return Report(self.report_type, self.filters, results, rows)


# The API document's template example sends these among its filters: taken and kept, they
# change no figure (platforms and the funnel are reports of their own).
DOCUMENT_OPTIONS = frozenset(
    {"include_platforms", "includePlatforms", "include_conversion_funnel", "includeConversionFunnel"}
)


def filters_of(given: dict[str, Any]) -> ReportFilters:
    """The filters of a body (or a template overlaid by custom ones); a bad one is a 400
    naming `filters.<field>`."""
    if not isinstance(given, dict):
        raise BadRequest("filters must be a JSON object")
    # Ignored, an unknown filter would give every lead while the caller believes them filtered.
    if unknown := sorted(set(given) - ReportFilters.names() - DOCUMENT_OPTIONS):
        known = ", ".join(ReportFilters.model_fields)
        errors = [
            {"field": f"filters.{k}", "message": f"not a filter (the filters: {known})"} for k in unknown
        ]
        raise ValidationFailed("Validation failed: " + ", ".join(e["field"] for e in errors), errors=errors)
    try:
        return validate(ReportFilters, {k: v for k, v in given.items() if k not in DOCUMENT_OPTIONS})
    except ValidationFailed as exc:
        for error in exc.errors or []:
            error["field"] = f"filters.{error['field']}"
        exc.message = "Validation failed: " + ", ".join(e["field"] for e in exc.errors or [])
        raise


LEAD_FILTERS = frozenset({"date_from", "date_to", "platform", "status", "assigned_user_id"})
# What each type filters by (every other type: its leads). `group_by` is a grouping, taken by
# every type (the API document's own template groups a lead summary by month).
USED = {
    ReportType.ACTIVITY_SUMMARY: frozenset({"date_from", "date_to", "user_id"}),
    ReportType.SLA_COMPLIANCE: frozenset({"date_from", "date_to", "status"}),
}


def filters_for(report_type: ReportType, given: dict[str, Any]) -> ReportFilters:
    """The filters of a body for a report of this type; a filter the type does not use is a 400
    naming it and the type (ignored, it would leave the caller believing the figures filtered)."""
    filters = filters_of(given)
    if filters.period is not None and (filters.date_from is not None or filters.date_to is not None):
        message = "filters.period stands for date_from and date_to: give the period or the dates, not both"
        raise ValidationFailed(message, errors=[{"field": "filters.period", "message": message}])
    used = USED.get(report_type, LEAD_FILTERS)
    unused = [
        key
        for key, name in ReportFilters.fields_by_key().items()
        if key in given and name not in used | {"group_by", "period"} and getattr(filters, name) is not None
    ]
    if unused:
        named = ", ".join(unused)
        message = f"{report_type.value} does not filter by {named} (its filters: {', '.join(sorted(used))})"
        raise ValidationFailed(
            message, errors=[{"field": f"filters.{key}", "message": message} for key in unused]
        )
    return filters


def period_days(period: Period, today: date) -> tuple[date, date]:
    """The first and last day (both included) of a period, `today` being the entity's today."""
    if period is Period.TODAY:
        return today, today
    if period is Period.YESTERDAY:
        return today - timedelta(days=1), today - timedelta(days=1)
    if period in (Period.LAST_7_DAYS, Period.LAST_30_DAYS):
        return today - timedelta(days=6 if period is Period.LAST_7_DAYS else 29), today
    monday = today - timedelta(days=today.weekday())
    if period is Period.THIS_WEEK:
        return monday, today
    if period is Period.LAST_WEEK:
        return monday - timedelta(days=7), monday - timedelta(days=1)
    first = today.replace(day=1)
    if period is Period.THIS_MONTH:
        return first, today
    last = first - timedelta(days=1)
    return last.replace(day=1), last  # LAST_MONTH


def resolved(filters: ReportFilters, zone: ZoneInfo, at: datetime) -> ReportFilters:
    """The filters with a period's days as date_from and date_to, as of `at` in `zone`."""
    if filters.period is None:
        return filters
    start, end = period_days(filters.period, at.astimezone(zone).date())
    return filters.model_copy(update={"date_from": start, "date_to": end})


async def run(
    actor: Actor, report_type: ReportType, filters: ReportFilters, at: datetime | None = None
) -> Report:
    """The report of this type over these filters (from the rollups: fast at any size); a
    period covers its days as of `at` (now when not given)."""
    if filters.period is not None:
        filters = resolved(filters, await rollups.zone_of(actor), at or utcnow())
    leads = filters.lead_filters()
    days = {"date_from": filters.date_from, "date_to": filters.date_to}
    if report_type is ReportType.LEAD_SUMMARY:
        summary = await analytics.leads(actor, leads)
        return Report(report_type, filters, summary, [summary])
    if report_type is ReportType.PLATFORM_PERFORMANCE:
        platforms = await analytics.platforms(actor, leads)
        return Report(report_type, filters, platforms, platforms)
    if report_type is ReportType.USER_PERFORMANCE:
        people = await analytics.users(actor, leads)
        return Report(report_type, filters, people, people)
    if report_type is ReportType.CONVERSION_FUNNEL:
        funnel = await analytics.funnel(actor, leads)
        lost = {"stage": "lost", **funnel["lost"]}
        return Report(report_type, filters, funnel, [*funnel["stages"], lost])
    if report_type is ReportType.TIME_BASED:
        query = TimeBased(**leads.model_dump(), group_by=filters.group_by or "day")
        periods = await analytics.time_based(actor, query)
        return Report(report_type, filters, periods, periods)
    if report_type is ReportType.ACTIVITY_SUMMARY:
        figures = await analytics.activity_figures(actor, ActivityDays(**days, user_id=filters.user_id))
        rows = [
            {"dimension": key.removeprefix("by_"), "value": value, "count": count}
            for key in ("by_type", "by_priority", "by_status")
            for value, count in figures[key].items()
        ]
        return Report(report_type, filters, figures, rows)
    if report_type is ReportType.SLA_COMPLIANCE:
        if filters.status is not None and len(filters.status) > 1:
            raise BadRequest("sla_compliance takes one status at most")
        status = filters.status[0] if filters.status else None
        sla = await analytics.sla_compliance(actor, SlaDays(**days, status=status))
        line = {k: v for k, v in sla.items() if k != "by_status"}
        line |= {f"compliance_{status}": rate for status, rate in sla["by_status"].items()}
        return Report(report_type, filters, sla, [line])
    raise BadRequest(f"{report_type.value} is an export of the lead list, not a report")


def overlaid(template: ReportTemplate, custom: dict[str, Any]) -> dict[str, Any]:
    """The template's filters (and grouping) overlaid by the custom ones. A key of a template
    saved before unknown filters were refused is passed over, as it was then."""
    known = ReportFilters.names() | DOCUMENT_OPTIONS
    base = {k: v for k, v in template.filters.items() if k in known}
    if template.group_by and "group_by" not in base and "groupBy" not in base:
        base["group_by"] = template.group_by
    return ReportFilters.overlay(base, custom)


async def run_template(
    actor: Actor, template: ReportTemplate, custom: dict[str, Any], at: datetime | None = None
) -> Report:
    """The template's report (its filters overlaid by `custom`); a period as of `at` (now)."""
    report_type = ReportType(template.report_type)
    report = await run(actor, report_type, filters_for(report_type, overlaid(template, custom)), at)
    if template.sort_by:
        order = template.sort_order.lower()
        return report.ordered(template.sort_by, order, len(report.rows), strict=False)
    return report


async def save(
    actor: Actor, template: ReportTemplate | None, report: Report, fmt: str, by: int | None
) -> GeneratedReport:
    return await create(
        GeneratedReport,
        actor,
        template=template,
        report_type=report.report_type.value,
        filters=report.filters.model_dump(mode="json", exclude_none=True),
        data=report.results,
        format=fmt,
        generated_by_id=by,
    )
