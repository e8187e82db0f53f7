"""Exports: a report or the lead list as a CSV, JSON or XLSX file under EXPORT_DIR/<entity>/.

A report (from the rollups) and a lead list of at most INLINE_ROWS rows are written during the
request; a longer list is written by the job `run_export`, a page of leads at a time (the next
page read while the last is written, in a thread, so the event loop stays free), with its
progress kept on the export row and `export:ready` (or `export:failed`) pushed to the entity and
the user who asked when it ends. A file is written under a temporary name and renamed when
complete; it is deleted EXPORT_KEEP_HOURS after it is ready (`prune_exports`).

A writer claims the export with a lease it renews while it runs. A writer that died (its worker
killed) stops renewing it: within LEASE the sweep (`requeue_exports`, every minute) queues the
export again and another writer starts it over, up to MAX_RUNS writers; its user sees it running
again, not stuck until the job's own timeout (an hour) lets the queue retry it. A worker killed
after taking the job and before claiming the export leaves it pending: the queue hands the job
to another worker once its claim on it lapses (jobs.worker CLAIM_SECONDS, five minutes).
Each writer's run number fences it: a writer that froze past its lease and woke after its
successor took over writes nothing to the export (its progress, its end, its file).
"""

from __future__ import annotations

import asyncio
import glob
import logging
import time
from collections.abc import Coroutine
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet

from models import Export
from salesmagnet import db, events, lifecycle, outages
from salesmagnet.db import iso, to_utc, utcnow
from salesmagnet.deps import Deps
from salesmagnet.errors import Conflict, Gone
from salesmagnet.leads import rollups
from salesmagnet.queue import enqueue_after_commit
from salesmagnet.reporting import files, queries, reports
from salesmagnet.reporting.files import CONTENT_TYPES, Sink
from salesmagnet.reporting.schemas import ExportIn, Format, ReportFilters, ReportType
from salesmagnet.tenancy import Actor, create, get_owned, scoped, unscoped

log = logging.getLogger(__name__)
INLINE_ROWS = 2000  # a lead list this short is written during the request
PAGE = 5000  # leads read (and written) at a time
# After each page a long export pauses PACE times the page's time, so other requests keep most
# of the machine; less (down to PACE_BEHIND times) while it is behind RATE rows a second, so a
# busy or slow machine still gets its file in time (1M rows: 50 s as CSV or JSON, 150 s as XLSX).
PACE, PACE_BEHIND = 1.5, 0.5
RATE = {Format.CSV: 20_000, Format.JSON: 20_000, Format.XLSX: 6_700}
STUCK = timedelta(hours=6)  # an export still unfinished after this (its job gave up) is failed
LEASE = timedelta(minutes=1)  # a writer's claim, renewed every third of it while it writes
MAX_RUNS = 3  # writers that may die on one export before it is failed (it may be what kills them)
ABANDONED = f"The export was interrupted {MAX_RUNS} times; ask for it again"
REQUEUE_AFTER = timedelta(minutes=1)  # still pending after this, its job is queued again
FINISHED = ["status", "rows_done", "row_count", "size_bytes", "completed_at", "expires_at", "file_name"]
PENDING, RUNNING, READY, FAILED, EXPIRED = "pending", "running", "ready", "failed", "expired"


def state(export: Export) -> str:
    """Its status; a ready export past its expiry is expired at once (prune_exports deletes its
    file and marks it within minutes)."""
    expires = export.expires_at
    if export.status == READY and expires is not None and to_utc(expires) <= utcnow():
        return EXPIRED
    return str(export.status)


def out(export: Export) -> dict[str, Any]:
    done, total = export.rows_done, export.row_count
    status = state(export)
    ready = status == READY
    return {
        "id": export.id,
        "report_type": export.report_type,
        "format": export.format,
        "filters": export.filters,
        "status": status,
        "rows_total": total,
        "rows_done": done,
        "progress": round(100 * done / total, 1) if total else (100.0 if ready else 0.0),
        "file_name": export.file_name,
        "size_bytes": export.size_bytes,
        "error": export.error_message,
        "created_at": iso(export.created_at),
        "completed_at": iso(export.completed_at),
        "expires_at": iso(export.expires_at),
        "status_url": f"/api/analytics/export/{export.id}",
        "download_url": f"/api/analytics/export/download/{export.id}" if ready else None,
    }


def path_of(deps: Deps, export: Export) -> Path:
    return deps.settings.export_dir / str(export.entity_id) / (export.file_name or f"{export.id}")  # type: ignore[attr-defined]


async def request(deps: Deps, actor: Actor, asked: ExportIn) -> dict[str, Any]:
    """Start an export: written now when it is small, else queued; answers its state. A report
    is run before anything is kept, so a report it cannot make leaves no export behind."""
    zone = await rollups.zone_of(actor)
    filters = reports.resolved(reports.filters_for(asked.report_type, asked.merged()), zone, utcnow())
    report = None
    if asked.report_type is not ReportType.LEADS:
        report = await reports.run(actor, asked.report_type, filters)
    day = utcnow().astimezone(zone).date().isoformat()
    export = await create(
        Export,
        actor,
        requested_by_id=actor.user_id,
        report_type=asked.report_type.value,
        format=asked.format.value,
        filters=filters.model_dump(mode="json", exclude_none=True),
        status=PENDING,
    )
    export.file_name = f"{asked.report_type.value}_{day}_{export.id}.{asked.format.value}"
    if report is not None:
        await _write_report(deps, actor, export, report)
        return out(export)
    where, params = queries.conditions(filters, zone)
    export.row_count, export.last_lead_id = await queries.count_leads(actor, where, params)
    await export.save(update_fields=["file_name", "row_count", "last_lead_id"])
    if export.row_count <= INLINE_ROWS or deps.queue is None:
        await write_leads(deps, actor, export.id)
        await export.refresh_from_db()
    else:
        await enqueue_after_commit(
            deps.queue, "run_export", actor.entity_id, export.id, job_id=f"export:{export.id}"
        )
    return out(export)


async def status(actor: Actor, export_id: int) -> dict[str, Any]:
    return out(await get_owned(Export, actor, export_id, "Export"))


async def download(deps: Deps, actor: Actor, export_id: int) -> tuple[Path, str, str]:
    """The file of a ready export of the actor's entity: (path, name, content type)."""
    export = await get_owned(Export, actor, export_id, "Export")
    if state(export) == EXPIRED:
        raise Gone("This export has expired; ask for a new one")
    if export.status == FAILED:
        raise Conflict(f"This export failed: {export.error_message}")
    if export.status != READY:
        raise Conflict(f"This export is not ready yet ({out(export)['progress']}% written)", data=out(export))
    path = path_of(deps, export)
    if not path.exists():
        raise Gone("This export's file is gone; ask for a new one")
    return path, export.file_name or path.name, CONTENT_TYPES[Format(export.format)]


def _head(export: Export, filters: ReportFilters) -> dict[str, Any]:
    return {
        "report_type": export.report_type,
        "filters": filters.model_dump(mode="json", exclude_none=True),
        "exported_at": iso(utcnow()),
    }


async def _write_report(deps: Deps, actor: Actor, export: Export, report: reports.Report) -> None:
    path, head = path_of(deps, export), _head(export, report.filters)
    try:
        size = await asyncio.to_thread(
            files.write_report, path, Format(export.format), head, report.results, report.rows
        )
    except Exception as exc:  # failed, not left pending (the requeue writes lead lists only)
        await _fail(actor, export, f"{type(exc).__name__}: {exc}")
        raise
    await _finish(deps, actor, export, len(report.rows), size, announce=False)


async def write_leads(deps: Deps, actor: Actor, export_id: int) -> None:
    """Write a lead-list export (the job's body; a second run of a finished one does nothing)."""
    export = await get_owned(Export, actor, export_id, "Export")
    if not await _claim(actor, export):
        return  # finished, or another writer's claim is alive
    filters = reports.filters_of(export.filters)
    zone = await rollups.zone_of(actor)
    where, params = queries.conditions(filters, zone, export.last_lead_id or 0)
    path = path_of(deps, export)
    part = path.with_name(f"{path.name}.{export.runs}.part")  # a writer that died left its own
    fmt = Format(export.format)
    renewing = asyncio.ensure_future(_renew(actor, export))
    try:
        done = await _stream(actor, export, where, params, part, fmt, _head(export, filters))
        await _settle(deps, actor, export, part, path, done)
    except Exception as exc:
        part.unlink(missing_ok=True)
        if outages.report(exc) is not None:
            raise  # the job is tried again once the database is back
        log.exception("export %s failed", export.id)
        await _fail(actor, export, f"{type(exc).__name__}: {exc}")
        return
    finally:
        await lifecycle.stop_tasks([renewing])


async def _claim(actor: Actor, export: Export) -> bool:
    """Take up the export: pending, or running under a lease its writer stopped renewing."""
    now = utcnow()
    taken = await (
        scoped(Export, actor, id=export.id, runs__lt=MAX_RUNS)
        .filter(Q(status=PENDING) | _writer_died(now))
        .update(status=RUNNING, rows_done=0, lease_until=now + LEASE, runs=F("runs") + 1)
    )
    if taken:
        await export.refresh_from_db(fields=["status", "rows_done", "lease_until", "runs"])
    return bool(taken)


def _writer_died(now: datetime) -> Q:
    return Q(status=RUNNING) & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))


def _held(actor: Actor, export: Export) -> QuerySet[Export]:
    """The export while this writer holds it: its run is the export's latest. A writer that
    froze past its lease (a stalled database, a paused machine) and woke after a successor took
    the export over writes nothing to it: not its progress, not its end, not its file."""
    return scoped(Export, actor, id=export.id, runs=export.runs, status=RUNNING)


async def _renew(actor: Actor, export: Export) -> None:
    """Keep the writer's lease while it writes (a page may take long; the writer is alive)."""
    while True:
        await asyncio.sleep(LEASE.total_seconds() / 3)
        try:
            await _held(actor, export).update(lease_until=utcnow() + LEASE)
        except Exception as exc:
            outages.log_failure(log, exc, "export %s: its lease was not renewed", export.id)


async def _settle(deps: Deps, actor: Actor, export: Export, part: Path, path: Path, rows: int) -> None:
    """Put the written file in place and mark the export ready, if this writer still holds it
    (under the export's row lock: a successor settles before or after, never between)."""
    async with db.atomic():
        if await _held(actor, export).select_for_update().first() is None:
            log.warning("export %s: taken over by another writer; this one's file is dropped", export.id)
            await asyncio.to_thread(part.unlink, missing_ok=True)
            return
        await asyncio.to_thread(part.replace, path)
        await _finish(deps, actor, export, rows, (await asyncio.to_thread(path.stat)).st_size, announce=True)


async def _stream(
    actor: Actor,
    export: Export,
    where: list[str],
    params: dict[str, Any],
    part: Path,
    fmt: Format,
    head: dict[str, Any],
) -> int:
    def opened() -> Sink:
        part.parent.mkdir(parents=True, exist_ok=True)
        if fmt is Format.XLSX:
            return files.XlsxSink(part, queries.COLUMNS, "leads", queries.TIMES, export.row_count or 0)
        return files.open_sink(fmt, part, queries.COLUMNS, head)

    sink = await asyncio.to_thread(opened)
    done = 0

    def read(after: int) -> Coroutine[Any, Any, queries.Page]:
        return queries.lead_page(actor, fmt.value, where, params, after, PAGE, sink.SEPARATOR)

    began = time.monotonic()
    try:
        page = await read(0)
        while page.rows:
            started = time.monotonic()
            following = asyncio.ensure_future(read(page.last)) if page.rows == PAGE else None
            try:
                await asyncio.to_thread(sink.write_page, page.text)
            except BaseException:
                if following is not None:
                    following.cancel()
                    await asyncio.gather(following, return_exceptions=True)
                raise
            done += page.rows
            await _held(actor, export).update(rows_done=done)
            if following is None:
                break
            page = await following
            if page.rows:  # yield to the requests
                now = time.monotonic()
                took, ahead = now - started, began + done / RATE[fmt] - now
                await asyncio.sleep(min(PACE * took, max(PACE_BEHIND * took, ahead)))
    finally:
        await asyncio.to_thread(sink.close)
    return done


async def _finish(deps: Deps, actor: Actor, export: Export, rows: int, size: int, announce: bool) -> None:
    now = utcnow()
    export.status, export.rows_done, export.row_count = READY, rows, rows
    export.size_bytes, export.completed_at = size, now
    export.expires_at = now + timedelta(hours=deps.settings.export_keep_hours)
    async with db.atomic():
        await export.save(
            update_fields=[
                "status",
                "rows_done",
                "row_count",
                "size_bytes",
                "completed_at",
                "expires_at",
                "file_name",
            ]
        )
        if announce:
            _announce(actor, export, "export:ready")


async def _fail(actor: Actor, export: Export, error: str) -> None:
    """Fail the export this writer holds (one a successor took over, or finished, is left)."""
    export.status, export.error_message, export.completed_at = FAILED, error[:1000], utcnow()
    async with db.atomic():
        held = scoped(Export, actor, id=export.id, runs=export.runs, status__in=[PENDING, RUNNING])
        ended = {"error_message": export.error_message, "completed_at": export.completed_at}
        if await held.update(status=FAILED, **ended):
            _announce(actor, export, "export:failed")


def _announce(actor: Actor, export: Export, name: str) -> None:
    owner = export.requested_by_id  # type: ignore[attr-defined]
    users = (owner,) if owner is not None else ()
    events.emit(events.Event(name, actor.entity_id, {"export": out(export)}, users))


async def requeue(deps: Deps, now: datetime, limit: int = 100) -> int:
    """Queue again the long exports still pending a minute after they were asked for (their job
    was never queued: Redis was away), until they are given up (STUCK), and those whose writer
    died (its lease ran out), each run under a job id of its own. A job already queued or run
    keeps its id: queuing it again does nothing. Answers how many were queued."""
    if deps.queue is None:
        return 0
    queued = 0
    for entity_id, export_id in await _waiting(now, limit):
        job_id = f"export:{export_id}"
        queued += bool(await deps.queue.enqueue("run_export", entity_id, export_id, job_id=job_id))
    for entity_id, export_id, runs in await _abandoned(now, limit):
        job_id = f"export:{export_id}:{runs}"
        queued += bool(await deps.queue.enqueue("run_export", entity_id, export_id, job_id=job_id))
    return queued


async def _waiting(now: datetime, limit: int) -> list[tuple[int, int]]:
    rows = (
        await unscoped(Export)
        .filter(
            report_type=ReportType.LEADS.value,
            status=PENDING,
            created_at__lte=now - REQUEUE_AFTER,
            created_at__gt=now - STUCK,
        )
        .order_by("id")
        .limit(limit)
        .values_list("entity_id", "id")
    )
    return [(int(entity), int(export)) for entity, export in rows]


async def _abandoned(now: datetime, limit: int) -> list[tuple[int, int, int]]:
    """(entity, export, runs) of the running exports whose writer died, to start over; those
    whose MAX_RUNS writers all died are failed instead (across entities)."""
    await (
        unscoped(Export)
        .filter(_writer_died(now), runs__gte=MAX_RUNS)
        .update(status=FAILED, error_message=ABANDONED, completed_at=now)
    )
    rows = (
        await unscoped(Export)
        .filter(_writer_died(now), runs__lt=MAX_RUNS, created_at__gt=now - STUCK)
        .order_by("id")
        .limit(limit)
        .values_list("entity_id", "id", "runs")
    )
    return [(int(entity), int(export), int(runs)) for entity, export, runs in rows]


async def prune(deps: Deps, now: datetime, limit: int = 500) -> int:
    """Delete the files of exports past their expiry (across entities) and mark them expired;
    fail the exports whose job gave up (still unfinished after STUCK)."""
    await (
        unscoped(Export)
        .filter(status__in=[PENDING, RUNNING], created_at__lte=now - STUCK)
        .update(status=FAILED, error_message="The export did not finish; ask for it again", completed_at=now)
    )
    expired = await unscoped(Export).filter(status=READY, expires_at__lte=now).limit(limit)
    for export in expired:
        path = path_of(deps, export)
        for file in [path, *path.parent.glob(f"{glob.escape(path.name)}.*.part")]:  # writers that died
            file.unlink(missing_ok=True)
    if expired:
        await unscoped(Export).filter(id__in=[e.id for e in expired], status=READY).update(status=EXPIRED)
    return len(expired)
