"""Scheduled reports: a template run daily, weekly or monthly at a local time of the entity's
time zone, rendered in the template's format and mailed to its recipients as an attachment.

Exactly once: a due schedule is claimed under its row lock by moving `next_run_at` on (to the
next time after now: runs missed while nothing ran are made up by one run) and writing its
execution row, unique per (schedule, due time), in the same transaction; only the claimant
queues the run (`send_report`). A run whose job was lost (a worker killed between the claim and
the queue) is queued again by the scan after STALE, and recorded as failed after GIVE_UP. The
mail is tried MAIL_TRIES times with backoff; the execution log records the outcome, the rows,
the recipients and the tries.

Local times that a DST change skips run at the same wall time on the later offset (02:30 on a
spring-forward night runs at 03:30); repeated ones run at their first occurrence.
"""

from __future__ import annotations

import asyncio
import calendar
import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from models import ReportExecution, ReportSchedule, ReportTemplate, User
from salesmagnet import outages
from salesmagnet.db import atomic, iso, to_utc, utcnow
from salesmagnet.deps import Deps
from salesmagnet.errors import BadRequest, validate
from salesmagnet.leads import rollups
from salesmagnet.mail import Attachment
from salesmagnet.queue import JobQueue, enqueue_after_commit
from salesmagnet.reporting import files, reports
from salesmagnet.reporting.schemas import (
    ExecutionsQuery,
    Format,
    ReportType,
    ScheduleIn,
    SchedulesQuery,
    ScheduleUpdate,
    TemplateSchedule,
)
from salesmagnet.tenancy import Actor, create, get_owned, scoped, unscoped

log = logging.getLogger(__name__)
MAIL_TRIES = 3
MAIL_BACKOFF = 2.0  # seconds before the second try; doubled before each next one
STALE = timedelta(minutes=10)  # a run still in progress after this was lost: queued again
GIVE_UP = timedelta(hours=1)  # … and after this (every try failed), recorded as failed
RUN_FIELDS = ["attempts", "report_id", "records_processed"]
IN_PROGRESS, MAILING, SUCCESS, FAILED = "in_progress", "mailing", "success", "failed"
SCHEDULE = "Report schedule"
LOST_MAILING = "The run was lost while mailing: some recipients may not have received the report"
NO_RECIPIENTS = "A schedule needs recipients: give e-mail addresses to the schedule or its template"
SCHEDULE_OFF, TEMPLATE_OFF = "schedule_inactive", "template_inactive"  # why a schedule is paused


def next_run(timing: TemplateSchedule | ReportSchedule, zone: ZoneInfo, after: datetime) -> datetime:
    """The first time after `after` (UTC) the schedule is due, in UTC."""
    frequency = timing.frequency
    clock = timing.time if isinstance(timing, TemplateSchedule) else timing.time_of_day
    hour, minute = (int(part) for part in clock.split(":"))
    day = after.astimezone(zone).date()
    for _ in range(400):  # a year and more: every frequency is due within it
        if _matches(frequency, timing.day_of_week, timing.day_of_month, day):
            at = datetime.combine(day, time(hour, minute), zone).astimezone(UTC)
            if at > after:
                return at
        day += timedelta(days=1)
    raise ValueError(f"no run of {frequency} within a year")  # unreachable with valid days


def _matches(frequency: str, weekday: int | None, monthday: int | None, day: date) -> bool:
    if frequency == "weekly":
        return day.isoweekday() % 7 == weekday  # 0 = Sunday
    if frequency == "monthly":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.day == min(monthday or 1, last)
    return True


def _recipients(schedule: ReportSchedule, template: ReportTemplate) -> list[str]:
    return list(schedule.recipients if schedule.recipients is not None else template.recipients)


def paused_by(schedule: ReportSchedule, template: ReportTemplate) -> str | None:
    """Why a schedule does not run (None: it runs): its template switched off, or its own switch."""
    if not template.is_active:
        return TEMPLATE_OFF
    return None if schedule.is_active else SCHEDULE_OFF


def schedule_out(schedule: ReportSchedule, template: ReportTemplate, zone: ZoneInfo) -> dict[str, Any]:
    reason = paused_by(schedule, template)
    return {
        "id": schedule.id,
        "template_id": template.id,
        "name": template.name,
        "template_description": template.description,
        "report_type": template.report_type,
        "format": template.format,
        "frequency": schedule.frequency,
        "time": schedule.time_of_day,
        "day_of_week": schedule.day_of_week,
        "day_of_month": schedule.day_of_month,
        "timezone": zone.key,
        "recipients": _recipients(schedule, template),
        "next_run": iso(schedule.next_run_at) if reason is None else None,
        "last_run": iso(schedule.last_run_at),
        "status": "active" if reason is None else "paused",
        "paused_reason": reason,
        "is_active": schedule.is_active,
        "created_at": iso(schedule.created_at),
        "updated_at": iso(schedule.updated_at),
    }


async def add(
    actor: Actor,
    template: ReportTemplate,
    timing: TemplateSchedule,
    recipients: list[str] | None,
    active: bool,
) -> dict[str, Any]:
    """A new schedule of `template` (its recipients, unless `recipients` are given)."""
    if not (recipients if recipients is not None else template.recipients):
        raise BadRequest(NO_RECIPIENTS)
    zone = await rollups.zone_of(actor)
    schedule = await create(
        ReportSchedule,
        actor,
        template=template,
        frequency=timing.frequency,
        time_of_day=timing.time,
        day_of_week=timing.day_of_week if timing.frequency == "weekly" else None,
        day_of_month=timing.day_of_month if timing.frequency == "monthly" else None,
        recipients=recipients,
        is_active=active,
        next_run_at=next_run(timing, zone, utcnow()),
    )
    return schedule_out(schedule, template, zone)


async def create_schedule(actor: Actor, body: ScheduleIn) -> dict[str, Any]:
    template = await get_owned(ReportTemplate, actor, body.template_id, "Report template")
    recipients = list(body.recipients) if body.recipients is not None else None
    if recipients is None and not template.recipients:
        recipients = await own_address(actor)  # none given, none on the template: to whoever sets it up
    return await add(actor, template, body, recipients, body.is_active)


async def own_address(actor: Actor) -> list[str]:
    """The e-mail of the user setting up a schedule, as its recipients when none are given."""
    if actor.user_id is None:
        return []
    return [str(e) for e in await scoped(User, actor, id=actor.user_id).values_list("email", flat=True)]


async def _templates(actor: Actor, ids: set[int]) -> dict[int, ReportTemplate]:
    return {t.id: t for t in await scoped(ReportTemplate, actor, id__in=list(ids) or [0])}


async def list_schedules(actor: Actor, query: SchedulesQuery) -> dict[str, Any]:
    """A page of the entity's schedules, oldest first, and how many match in all."""
    rows = scoped(ReportSchedule, actor)
    if query.is_active is not None:
        rows = rows.filter(is_active=query.is_active)
    if query.template_id is not None:
        rows = rows.filter(template_id=query.template_id)
    total = await rows.count()
    found = await rows.order_by("created_at", "id").offset(query.offset).limit(query.rows)
    templates = await _templates(actor, {s.template_id for s in found})  # type: ignore[attr-defined]
    zone = await rollups.zone_of(actor)
    page = [schedule_out(s, templates[s.template_id], zone) for s in found]  # type: ignore[attr-defined]
    return {"schedules": page, "total": total}


async def get_schedule(actor: Actor, schedule_id: int) -> dict[str, Any]:
    schedule = await get_owned(ReportSchedule, actor, schedule_id, SCHEDULE)
    template = await get_owned(ReportTemplate, actor, schedule.template_id, "Report template")  # type: ignore[attr-defined]
    return schedule_out(schedule, template, await rollups.zone_of(actor))


async def update_schedule(actor: Actor, schedule_id: int, body: ScheduleUpdate) -> dict[str, Any]:
    """Change a schedule; its next run is computed again from now."""
    schedule = await get_owned(ReportSchedule, actor, schedule_id, SCHEDULE)
    template = await get_owned(ReportTemplate, actor, schedule.template_id, "Report template")  # type: ignore[attr-defined]
    given = body.model_dump(exclude_unset=True)
    timing = validate(
        TemplateSchedule,
        {
            "frequency": given.get("frequency") or schedule.frequency,
            "time": given.get("time") or schedule.time_of_day,
            "day_of_week": given["day_of_week"] if "day_of_week" in given else schedule.day_of_week,
            "day_of_month": given["day_of_month"] if "day_of_month" in given else schedule.day_of_month,
        },
    )
    if "recipients" in given:
        schedule.recipients = given["recipients"]
        if not _recipients(schedule, template):
            raise BadRequest(
                "A schedule needs recipients: give e-mail addresses to the schedule or its template"
            )
    if given.get("is_active") is not None:
        schedule.is_active = given["is_active"]
    schedule.frequency, schedule.time_of_day = timing.frequency, timing.time
    schedule.day_of_week = timing.day_of_week if timing.frequency == "weekly" else None
    schedule.day_of_month = timing.day_of_month if timing.frequency == "monthly" else None
    zone = await rollups.zone_of(actor)
    schedule.next_run_at = next_run(timing, zone, utcnow())
    await schedule.save()
    return schedule_out(schedule, template, zone)


async def follow_zone(actor: Actor, zone: ZoneInfo) -> None:
    """The entity's time zone changed: each schedule runs at its local time there, from its
    next run on (within the caller's transaction)."""
    now = utcnow()
    for schedule in await scoped(ReportSchedule, actor).select_for_update():
        schedule.next_run_at = next_run(schedule, zone, now)
        await schedule.save(update_fields=["next_run_at", "updated_at"])


async def resume(actor: Actor, template: ReportTemplate) -> None:
    """The template was switched on again: its schedules run from their next time after now,
    not at once for the times that passed while it was off (as a schedule switched on again)."""
    zone, now = await rollups.zone_of(actor), utcnow()
    for schedule in await scoped(ReportSchedule, actor, template_id=template.id).select_for_update():
        schedule.next_run_at = next_run(schedule, zone, now)
        await schedule.save(update_fields=["next_run_at", "updated_at"])


async def delete_schedule(actor: Actor, schedule_id: int) -> None:
    schedule = await get_owned(ReportSchedule, actor, schedule_id, SCHEDULE)
    await schedule.delete()


def execution_out(execution: ReportExecution) -> dict[str, Any]:
    return {
        "id": execution.id,
        "schedule_id": execution.schedule_id,  # type: ignore[attr-defined]
        "report_id": execution.report_id,  # type: ignore[attr-defined]
        "status": execution.status,
        "due_at": iso(execution.due_at),
        "started_at": iso(execution.started_at),
        "completed_at": iso(execution.completed_at),
        "error": execution.error_message,
        "rows": execution.records_processed,
        "recipients": execution.recipients,
        "attempts": execution.attempts,
    }


async def executions(actor: Actor, query: ExecutionsQuery) -> dict[str, Any]:
    rows = scoped(ReportExecution, actor)
    if query.schedule_id is not None:
        rows = rows.filter(schedule_id=query.schedule_id)
    if query.status is not None:
        rows = rows.filter(status=query.status)
    total = await rows.count()
    page = await rows.order_by("-started_at", "-id").offset(query.offset).limit(query.rows)
    return {"executions": [execution_out(e) for e in page], "total": total}


async def due(now: datetime, limit: int) -> list[tuple[int, int]]:
    """(entity, schedule) of active schedules of active templates due by `now`, soonest first
    (across entities). A schedule of a switched-off template is not due: it is listed paused."""
    rows = (
        await unscoped(ReportSchedule)
        .filter(is_active=True, template__is_active=True, next_run_at__lte=now)
        .order_by("next_run_at")
        .limit(limit)
        .values_list("entity_id", "id")
    )
    return [(int(entity), int(schedule)) for entity, schedule in rows]


async def lost(now: datetime, limit: int) -> list[tuple[int, int]]:
    """(entity, execution) of runs in progress for longer than STALE (their job was lost), to
    queue again; those older than GIVE_UP are recorded as failed instead (across entities). A
    run that began mailing is never queued again (its mail goes out once at most): one still
    mailing after GIVE_UP was lost on the way, recorded as failed."""
    await (
        unscoped(ReportExecution)
        .filter(status=IN_PROGRESS, started_at__lte=now - GIVE_UP)
        .update(status=FAILED, error_message="The run was lost and could not be completed", completed_at=now)
    )
    await (
        unscoped(ReportExecution)
        .filter(status=MAILING, started_at__lte=now - GIVE_UP)
        .update(status=FAILED, error_message=LOST_MAILING, completed_at=now)
    )
    rows = (
        await unscoped(ReportExecution)
        .filter(status=IN_PROGRESS, started_at__lte=now - STALE)
        .limit(limit)
        .values_list("entity_id", "id")
    )
    return [(int(entity), int(execution)) for entity, execution in rows]


async def claim(actor: Actor, queue: JobQueue, schedule_id: int, now: datetime) -> int | None:
    """Claim the schedule's due run and queue it (after commit); None when it is not due (any
    more: another worker claimed it, or its template was switched off meanwhile)."""
    async with atomic():
        schedule = (
            await scoped(ReportSchedule, actor, id=schedule_id, is_active=True).select_for_update().first()
        )
        if schedule is None or schedule.next_run_at is None or to_utc(schedule.next_run_at) > now:
            return None
        due_at = to_utc(schedule.next_run_at)
        template = await get_owned(ReportTemplate, actor, schedule.template_id, "Report template")  # type: ignore[attr-defined]
        if not template.is_active:  # paused: its next run is computed again when it is switched on
            return None
        schedule.next_run_at = next_run(schedule, await rollups.zone_of(actor), now)
        schedule.last_run_at = now
        await schedule.save(update_fields=["next_run_at", "last_run_at", "updated_at"])
        execution = await create(
            ReportExecution,
            actor,
            schedule=schedule,
            status=IN_PROGRESS,
            due_at=due_at,
            recipients=_recipients(schedule, template),
        )
        await enqueue_after_commit(
            queue, "send_report", actor.entity_id, execution.id, job_id=f"report:{execution.id}"
        )
    return execution.id


async def send(deps: Deps, actor: Actor, execution_id: int) -> str:
    """Run a claimed execution: generate the report, save it, mail it; its final status."""
    execution = await get_owned(ReportExecution, actor, execution_id, "Report execution")
    if execution.status != IN_PROGRESS:
        return str(execution.status)
    schedule = await scoped(ReportSchedule, actor, id=execution.schedule_id).first()  # type: ignore[attr-defined]
    if schedule is None:
        return await _end(execution, FAILED, "The schedule was deleted before its run")
    template = await get_owned(ReportTemplate, actor, schedule.template_id, "Report template")  # type: ignore[attr-defined]
    if not execution.recipients:  # the mail library refuses a mail to no one: nothing to run
        return await _end(execution, FAILED, NO_RECIPIENTS)
    try:
        report = await reports.run_template(actor, template, {}, to_utc(execution.due_at))  # its period then
    except Exception as exc:  # a template whose filters no longer hold: recorded, not retried
        if outages.report(exc) is not None:
            raise  # the database or Redis away: tried again once it is back
        log.exception("scheduled report %s failed", execution.id)
        return await _end(execution, FAILED, f"The report could not be generated: {exc}")
    try:
        return await _deliver(deps, actor, execution, template, report)
    except Exception as exc:
        if outages.report(exc) is not None:
            raise  # tried again once the database or Redis is back
        # Left in progress, the run would be queued again every STALE, a report saved each time.
        log.exception("scheduled report %s failed", execution.id)
        crash = f"The run failed ({type(exc).__name__}); the worker's log has the details"
        return await _end(execution, FAILED, crash)


async def _deliver(
    deps: Deps, actor: Actor, execution: ReportExecution, template: ReportTemplate, report: Any
) -> str:
    """Save the run's report (once: a run tried again keeps it) and mail it (once at most);
    its final status. The run is marked mailing only once the mail is made, right before the
    first send: a failure before then (the file, the database away) leaves it to be tried
    again or recorded failed, never marked mailing with nobody mailed."""
    async with atomic():  # the report and the run's record of it together, the run's row locked:
        # a run cut off after saving keeps nothing, and a run tried again (or one still going
        # beside it) finds the report the other kept instead of saving a second
        held = await scoped(ReportExecution, actor, id=execution.id).select_for_update().first()
        if held is None or held.status != IN_PROGRESS:
            return str(held.status) if held else FAILED  # the other run ended it, or is mailing it
        if held.report_id is None:  # type: ignore[attr-defined]
            held.report_id = (await reports.save(actor, template, report, template.format, None)).id
        execution.report_id = held.report_id  # type: ignore[attr-defined]
        execution.records_processed = len(report.rows)
        await execution.save(update_fields=RUN_FIELDS)
    zone = await rollups.zone_of(actor)
    day = execution.due_at.astimezone(zone).date().isoformat()
    stem = f"{_slug(template.name)}_{day}"
    attachment = await _render(deps, actor, template, report, stem, execution.id)
    subject = " ".join(f"{template.name} — {day}".split())  # a header holds no line break
    body = (
        f"Your scheduled report \u201c{template.name}\u201d ({template.report_type}) is attached.\n"
        f"Rows: {len(report.rows)}. Due {_local(execution.due_at, zone)}, "
        f"generated {_local(utcnow(), zone)}.\n"
    )
    # Claimed for mailing: a run tried again while this one mails (or after it died mailing)
    # mails nothing; a mail half sent is recorded failed (lost), never sent twice.
    claimed = await scoped(ReportExecution, actor, id=execution.id, status=IN_PROGRESS).update(
        status=MAILING, attempts=1
    )
    if not claimed:  # another try of this run got here first
        return str((await get_owned(ReportExecution, actor, execution.id, "Report execution")).status)
    execution.status, execution.attempts = MAILING, 1
    return await _mail(deps, execution, subject, body, attachment)


def _local(moment: datetime, zone: ZoneInfo) -> str:
    """A time as the entity's people read it: local, with the zone's name ("2026-03-09 06:00 EDT")."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


async def _mail(
    deps: Deps, execution: ReportExecution, subject: str, body: str, attachment: Attachment
) -> str:
    """Mail the run's report to each recipient, MAIL_TRIES times at most; its final status."""
    # A mail each: a server may refuse one address of several and take the mail for the rest
    # (reported as sent); each address is tried again alone, so no one gets it twice.
    # The first try's count is saved with the run's mark (no write between it and the send).
    waiting = list(execution.recipients or [])
    for attempt in range(1, MAIL_TRIES + 1):
        if attempt > 1:
            execution.attempts = attempt
            await execution.save(update_fields=RUN_FIELDS)
        waiting = [to for to in waiting if not await deps.mailer.send(to, subject, body, [attachment])]
        if not waiting:
            return await _end(execution, SUCCESS, None)
        if attempt < MAIL_TRIES:
            await asyncio.sleep(MAIL_BACKOFF * 2 ** (attempt - 1))
    missed = ", ".join(waiting)
    return await _end(execution, FAILED, f"The mail was not delivered to {missed} after {MAIL_TRIES} tries")


def _slug(name: str) -> str:
    kept = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    return "-".join(part for part in kept.split("-") if part)[:60] or "report"


async def _render(
    deps: Deps, actor: Actor, template: ReportTemplate, report: Any, stem: str, run: int
) -> Attachment:
    """The report's file as an attachment named `stem`; written under a name of this run's
    own (runs of one template due together render at once, in other threads or workers)."""
    fmt = Format(template.format)
    name = f"{stem}.{fmt.value}"
    path = deps.settings.export_dir / str(actor.entity_id) / "scheduled" / f"{run}-{name}"
    head = {"report_type": ReportType(template.report_type).value, "template": template.name}

    def render() -> bytes:
        files.write_report(path, fmt, head | {"generated_at": iso(utcnow())}, report.results, report.rows)
        try:
            return path.read_bytes()
        finally:
            path.unlink(missing_ok=True)

    return Attachment(name, await asyncio.to_thread(render), files.CONTENT_TYPES[fmt])


async def _end(execution: ReportExecution, status: str, error: str | None) -> str:
    execution.status, execution.completed_at = status, utcnow()
    if error is not None:
        execution.error_message = error
    await execution.save(
        update_fields=[
            "status",
            "error_message",
            "completed_at",
            "attempts",
            "report_id",
            "records_processed",
        ]
    )
    return status
