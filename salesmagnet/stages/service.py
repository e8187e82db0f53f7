"""A lead's way through the pipeline: change its status along the transition graph, its current
stage, history and next statuses, and the notes of a stage.

A status change is one transaction: the lead gate (`leads.change`: row lock, counters, board)
moves the lead, the open stage row closes (`exited_at`, `duration_hours` to two decimals), the
next opens with its SLA deadline, a `status_change` activity is logged and `lead:status_changed`
announced. The gate's row lock makes two changes of one lead take turns: the second sees the
first's status and is refused with the statuses allowed from there, so a lead never has two open
stages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from models import (
    STATUS_IDS,
    ActivityType,
    Lead,
    LeadStage,
    LeadStatus,
    RoleId,
    StatusName,
)
from salesmagnet import events, rawsql, statements
from salesmagnet.activities import records as activities
from salesmagnet.db import atomic, defer, dialect_of_connection, iso, locking_read, retried, utcnow
from salesmagnet.entities import settings as entity_settings
from salesmagnet.errors import Forbidden, InvalidTransition, NotFound
from salesmagnet.leads import rollups as lead_rollups
from salesmagnet.leads import service as leads
from salesmagnet.stages import rollups as stage_rollups
from salesmagnet.stages.schemas import ChangeStatus, StageQuery, UpdateNotes
from salesmagnet.statements import Statement
from salesmagnet.tenancy import Actor, execute, fetch, get_owned, insert_statement, scoped, statement

S = StatusName
TRANSITIONS: dict[StatusName, tuple[StatusName, ...]] = {
    S.NEW: (S.QUALIFIED, S.LOST),
    S.QUALIFIED: (S.CONTACTED, S.LOST),
    S.CONTACTED: (S.MEETING_SCHEDULED, S.PROPOSAL_SENT, S.LOST),
    S.MEETING_SCHEDULED: (S.PROPOSAL_SENT, S.NEGOTIATION, S.LOST),
    S.PROPOSAL_SENT: (S.NEGOTIATION, S.WON, S.LOST),
    S.NEGOTIATION: (S.WON, S.LOST),
    S.WON: (),
    S.LOST: (),
}
STAGE = (
    "id", "lead_id", "status_id", "entered_at", "exited_at", "duration_hours", "user_id", "notes",
    "next_action_required", "sla_due_at", "sla_breached_at",
)  # fmt: skip
NAMES = {
    "status_name": "status__name",
    "status_description": "status__description",
    "first_name": "user__first_name",
    "last_name": "user__last_name",
    "user_email": "user__email",
}
LEAD = {
    "lead_email": "lead__email",
    "lead_first_name": "lead__first_name",
    "lead_last_name": "lead__last_name",
    "platform_key": "lead__platform_key",
    "assigned_user_id": "lead__assigned_user_id",
}


def rows(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stage rows as the API shows them: ISO times, hours as numbers, status names."""
    for row in found:
        for key in ("entered_at", "exited_at", "sla_due_at", "sla_breached_at"):
            if key in row:
                row[key] = iso(row[key])
        if row.get("duration_hours") is not None:
            row["duration_hours"] = float(row["duration_hours"])
        if "platform_key" in row and row["platform_key"] is not None:
            row["platform_key"] = str(getattr(row["platform_key"], "value", row["platform_key"]))
    return found


async def _stage(actor: Actor, stage_id: int) -> dict[str, Any]:
    return rows(await scoped(LeadStage, actor, id=stage_id).values(*STAGE, **NAMES))[0]


def _may_move(actor: Actor, owner: int | None, doing: str = "move") -> None:
    """Admins and managers move any lead of the entity (and write its stages' notes); a sales
    rep only the leads they own; nobody else."""
    if actor.role in (RoleId.ADMIN, RoleId.MANAGER):
        return
    if actor.role != RoleId.SALES_REP:
        raise Forbidden(f"Only admins, managers and the lead's sales rep can {doing} leads")
    if owner != actor.user_id:
        raise Forbidden(f"Sales reps can {doing} only the leads assigned to them")


async def change_status(actor: Actor, data: ChangeStatus) -> dict[str, Any]:
    """Move the lead to `data.status` if the graph allows it from where the lead is."""
    return await retried(lambda: _change_status(actor, data))


async def _change_status(actor: Actor, data: ChangeStatus) -> dict[str, Any]:
    assert data.status is not None  # the schema requires it
    target = data.status
    async with atomic():
        policy = await entity_settings.of(actor)
        stage: dict[str, Any] = {  # its times are read under the lead's lock (move)
            "lead_id": data.lead_id,
            "status_id": STATUS_IDS[target],
            "exited_at": None,
            "duration_hours": None,
            "user_id": actor.user_id,
            "notes": data.notes,
            "next_action_required": data.next_action_required,
            "sla_breached_at": None,
        }

        zone = await lead_rollups.zone_of(actor)
        counted: list[stage_rollups.Delta] = []
        moves: list[tuple[date, int, int, int]] = []
        mover: list[dict[str, Any]] = []  # the acting user, read with the lead's lock

        def move(lead: leads.Locked) -> list[Statement]:
            """Judged on the locked row (a refusal writes nothing): the open stage (read with
            the lock) closed, the next opened, in the lead's own round trip. The time is read
            under the lock too: a move that waited for another never starts before it ended."""
            _may_move(actor, lead.owner)
            if target not in TRANSITIONS[StatusName(lead.status)]:
                raise _refused(StatusName(lead.status), target)
            now = stage["entered_at"] = utcnow()
            stage["sla_due_at"] = entity_settings.sla_due(policy, target, now)
            stages_read, about_mover = lead.reads
            mover.extend(map(_MOVER.row, about_mover.rows))
            stages = list(map(_STAGES.row, stages_read.rows))
            closing = []
            for row in (row for row in stages if row["exited_at"] is None):
                delta, spent = stage_rollups.closed(zone, row, now)
                counted.append(delta)
                moves.append(
                    (lead_rollups.local_day(zone, now), int(row["status_id"]), STATUS_IDS[target], spent)
                )
                closing.append(_close_stage(actor, int(row["id"]), spent, now))
            first = actor.user_id is None or not any(  # a user's first move of it: a lead handled
                row["user_id"] == actor.user_id and row["status_id"] != STATUS_IDS[StatusName.NEW]
                for row in stages
            )
            counted.append(stage_rollups.opened(zone, now, STATUS_IDS[target], actor.user_id, first))
            return [*closing, _open_stage(actor, stage, now)]

        reads = [_stages_of(actor, data.lead_id), _mover(actor)]
        moved = await leads.change(actor, data.lead_id, status=target.value, reads=reads, along=move)
        await stage_rollups.move(actor, counted, moves)
        previous = StatusName(moved.previous_status)
        opened = moved.along[-1]
        stage["id"] = opened.lastrowid
        if actor.user_id is not None:
            note = f"Status changed from {previous.value} to {target.value}" + (
                f": {data.notes}" if data.notes else ""
            )
            await activities.insert_later(
                actor,
                [
                    activities.logged(
                        data.lead_id, actor.user_id, ActivityType.STATUS_CHANGE, note, stage["entered_at"]
                    )
                ],
            )
        shown = await _shown(stage, target, mover)
        events.emit(
            events.Event(
                "lead:status_changed",
                actor.entity_id,
                {
                    "lead_id": data.lead_id,
                    "previous_status": previous.value,
                    "new_status": target.value,
                    "stage": shown,
                    "lead": moved.lead,
                },
            )
        )
    return {
        "stage_id": shown["id"],
        "current_stage": shown,
        "previous_status": previous.value,
        "new_status": target.value,
        "transition_valid": True,
        "lead": moved.lead,
    }


_STAGE_COLUMNS = (
    "lead_id", "status_id", "entered_at", "user_id", "notes", "next_action_required", "sla_due_at",
    "updated_at",
)  # fmt: skip


def _open_stage(actor: Actor, stage: dict[str, Any], now: datetime) -> Statement:
    return insert_statement(
        actor, "lead_stages", _STAGE_COLUMNS, [[stage[c] for c in _STAGE_COLUMNS[:-1]] + [now]]
    )


_MOVER = rawsql.Packed(("u.first_name", "u.last_name", "u.email"))


def _mover(actor: Actor) -> Statement:
    """The read of the acting user: the names shown on the stage they open (`email` as
    `user_email`). No row for an actor who is not a user."""
    sql = f"SELECT {_MOVER.select} FROM users u WHERE u.entity_id = :entity AND u.id = :me"
    return statement(actor, sql, me=actor.user_id or 0)


async def _shown(stage: dict[str, Any], status: StatusName, mover: list[dict[str, Any]]) -> dict[str, Any]:
    """A stage just opened as the API shows it (status, mover), without reading it back."""
    found = mover[0] if mover else dict.fromkeys(("first_name", "last_name", "email"))
    names = {"first_name": found["first_name"], "last_name": found["last_name"], "user_email": found["email"]}
    shown = {**{key: stage[key] for key in STAGE}, "status_name": status.value}
    return rows([{**shown, "status_description": await description(status), **names}])[0]


_DESCRIPTIONS: dict[StatusName, str | None] = {}


async def description(status: StatusName) -> str | None:
    """The status's description (seeded reference data, read once per process)."""
    if not _DESCRIPTIONS:
        for name, text in await LeadStatus.all().values_list("name", "description"):
            _DESCRIPTIONS[StatusName(name)] = text
    return _DESCRIPTIONS.get(status)


def _refused(current: StatusName, target: StatusName) -> InvalidTransition:
    allowed = [s.value for s in TRANSITIONS[current]]
    if not allowed:
        message = f"'{current.value}' is final: a {current.value} lead does not move"
    elif current == target:
        message = f"The lead is already {current.value}; allowed next: {', '.join(allowed)}"
    else:
        message = (
            f"Invalid transition from '{current.value}' to '{target.value}'; allowed: {', '.join(allowed)}"
        )
    return InvalidTransition(
        message,
        data={"current_status": current.value, "requested_status": target.value, "allowed_statuses": allowed},
    )


_STAGES = rawsql.Packed(
    ("id", "status_id", "entered_at", "exited_at", "user_id", "sla_due_at", "sla_breached_at")
)


def _stages_of(actor: Actor, lead_id: int) -> Statement:
    """The lead's stages (the open one to close; who moved it before), locked: a locking read
    sees the latest committed rows, where a plain one would see the transaction's snapshot,
    perhaps taken before it waited for the lead's lock. It locks the lead's rows of its index
    only (a count by user had MariaDB merge the user index in, and moves deadlocked)."""
    sql = f"SELECT {_STAGES.select} FROM lead_stages WHERE entity_id = :entity AND lead_id = :lead"
    return statement(actor, sql + locking_read(), lead=lead_id)


def _close_stage(actor: Actor, stage_id: int, spent: int, now: datetime) -> Statement:
    """End a stage now, `spent` hundredths of an hour after it was entered."""
    return statement(
        actor,
        "UPDATE lead_stages SET exited_at = :now, duration_hours = :hours, updated_at = :now "
        "WHERE entity_id = :entity AND id = :id",
        id=stage_id,
        hours=f"{spent // 100}.{spent % 100:02d}",  # exact, as DECIMAL(10, 2) keeps it
        now=now,
    )


@dataclass(frozen=True)
class PastStage:
    """A stage a lead entered after its first, in its past (demo seeding, salesmagnet/demo.py)."""

    status: StatusName
    entered_at: datetime
    user_id: int | None
    notes: str | None = None


_PAST_COLUMNS = (
    "lead_id", "status_id", "entered_at", "exited_at", "duration_hours", "user_id", "notes", "sla_due_at",
    "sla_breached_at", "updated_at",
)  # fmt: skip
_CLOSED = ("exited_at", "duration_hours", "sla_breached_at", "updated_at")
_NAME_OF = {status_id: name for name, status_id in STATUS_IDS.items()}


async def record_past(actor: Actor, pasts: dict[int, list[PastStage]], now: datetime) -> None:
    """Demo seeding only, inside the caller's db.atomic() beside leads.settle_many() (which
    moves the leads): each lead's open stage closes when its next stage began, the later stages
    are written in order along TRANSITIONS (each closed when the next began, the last one open)
    with their deadlines and a `status_change` activity of their mover, and the stage rollups
    and moves follow. A stage whose deadline passed while it was open is marked announced at its
    deadline, as the breach monitor would have done then: a seeded past makes no burst of old
    alerts. Nothing is announced (a past is no news)."""
    if not pasts:
        return
    policy = await entity_settings.of(actor)
    zone = await lead_rollups.zone_of(actor)
    lock = locking_read()
    found = await fetch(
        actor,
        "SELECT id, lead_id, status_id, entered_at, user_id, sla_due_at, sla_breached_at FROM lead_stages "
        f"WHERE entity_id = :entity AND lead_id IN (:ids) AND exited_at IS NULL ORDER BY lead_id{lock}",
        ids=sorted(pasts),
    )
    past = _Past(zone, policy, now)
    for row in found:
        past.walk(row, pasts[int(row["lead_id"])])
    if past.closing:
        update = "UPDATE lead_stages {sets} WHERE entity_id = :entity AND id IN (:ids)"
        await statements.run(
            [
                statement(actor, update.format(sets=rawsql.set_by_id(_CLOSED, len(part))), **params)
                for part, params in rawsql.by_id_chunks(_CLOSED, past.closing)
            ]
        )
    if past.later and not defer(insert_statement(actor, "lead_stages", _PAST_COLUMNS, past.later)):
        raise RuntimeError("stages.record_past() must run inside db.atomic()")
    await stage_rollups.move(actor, past.deltas, past.moves)
    await activities.insert_later(actor, past.logged)


class _Past:
    """The rows, rollup deltas and activities of leads' pasts (record_past)."""

    def __init__(self, zone: Any, policy: dict[str, Any], now: datetime) -> None:
        self.zone, self.policy, self.now = zone, policy, now
        self.closing: list[dict[str, Any]] = []  # open stages the past closes (by id)
        self.later: list[list[Any]] = []  # stages to insert
        self.deltas: list[stage_rollups.Delta] = []
        self.moves: list[tuple[date, int, int, int]] = []
        self.logged: list[activities.NewActivity] = []

    def walk(self, row: dict[str, Any], steps: list[PastStage]) -> None:
        lead_id = int(row["lead_id"])
        stage = {
            "id": int(row["id"]),
            "status_id": int(row["status_id"]),
            "entered_at": lead_rollups.utc(row["entered_at"]),
            "user_id": row["user_id"],
            "notes": None,
            "sla_due_at": None if row["sla_due_at"] is None else lead_rollups.utc(row["sla_due_at"]),
            "sla_breached_at": row["sla_breached_at"],
        }
        movers: set[int] = set()
        for step in steps:
            left = _NAME_OF[stage["status_id"]]
            if step.status not in TRANSITIONS[left] or step.entered_at < stage["entered_at"]:
                raise ValueError(f"lead {lead_id}: no move from {left.value} to {step.status.value} then")
            delta, spent = stage_rollups.closed(self.zone, stage, step.entered_at)
            self.deltas.append(delta)
            if "id" in stage:  # the writer's first stage: its mark only kept the monitors off it
                stage["sla_breached_at"] = None
            day = lead_rollups.local_day(self.zone, step.entered_at)
            self.moves.append((day, stage["status_id"], STATUS_IDS[step.status], spent))
            self._keep(lead_id, stage, step.entered_at, spent)
            first = step.user_id is not None and step.user_id not in movers
            if step.user_id is not None:
                movers.add(step.user_id)
                note = f"Status changed from {left.value} to {step.status.value}"
                self.logged.append(
                    activities.logged(
                        lead_id, step.user_id, ActivityType.STATUS_CHANGE, note, step.entered_at
                    )
                )
            self.deltas.append(
                stage_rollups.opened(self.zone, step.entered_at, STATUS_IDS[step.status], step.user_id, first)
            )
            due = entity_settings.sla_due(self.policy, step.status, step.entered_at)
            stage = {
                "status_id": STATUS_IDS[step.status],
                "entered_at": step.entered_at,
                "user_id": step.user_id,
                "notes": step.notes,
                "sla_due_at": due,
                "sla_breached_at": None,
            }
        if (
            stage["sla_due_at"] is not None
            and stage["sla_due_at"] <= self.now
            and not stage["sla_breached_at"]
        ):
            stage["sla_breached_at"] = stage["sla_due_at"]  # announced then, as the monitor would
            self.deltas.append(stage_rollups.breached(self.zone, stage))
            self._keep(lead_id, stage, None, None)
        elif "id" not in stage:
            self._keep(lead_id, stage, None, None)

    def _keep(self, lead_id: int, stage: dict[str, Any], ended: datetime | None, spent: int | None) -> None:
        """The stage as the past leaves it: closed at `ended` (None: still open)."""
        due = stage["sla_due_at"]
        breached = stage["sla_breached_at"]
        if ended is not None and due is not None and due < ended and breached is None:
            breached = due  # it ran past its deadline while open: announced then
        hours = None if spent is None else f"{spent // 100}.{spent % 100:02d}"
        touched = ended or stage["entered_at"]
        if "id" in stage:
            self.closing.append(
                {"id": stage["id"], "exited_at": ended, "duration_hours": hours, "sla_breached_at": breached,
                 "updated_at": touched}
            )  # fmt: skip
            return
        self.later.append(
            [lead_id, stage["status_id"], stage["entered_at"], ended, hours, stage["user_id"], stage["notes"],
             due, breached, touched]
        )  # fmt: skip


async def move_deadlines(actor: Actor, hours: dict[str, float]) -> int:
    """The entity changed the SLA hours of these statuses: its open stages in them that were
    not announced yet get the deadline entered_at + the new hours (an earlier one may be due
    at once; a breach already announced stays announced). Returns the stages moved."""
    moved = 0
    for status, sla in sorted(hours.items()):
        where = (
            "entity_id = :entity AND status_id = :status AND exited_at IS NULL AND sla_breached_at IS NULL"
        )
        params: dict[str, Any] = {"status": STATUS_IDS[StatusName(status)], "now": utcnow()}
        if dialect_of_connection() != "sqlite":
            due = "entered_at + INTERVAL :us MICROSECOND"
            sql = f"UPDATE lead_stages SET sla_due_at = {due}, updated_at = :now WHERE {where}"
            moved += await execute(actor, sql, us=round(float(sla) * 3_600_000_000), **params)
            continue
        # SQLite keeps times as text: the new deadlines are computed here (an embedded database is small).
        stages = scoped(
            LeadStage, actor, status_id=params["status"], exited_at=None, sla_breached_at=None
        ).select_for_update()
        for row in await stages.values("id", "entered_at"):
            deadline = entity_settings.sla_due({"sla_hours": {status: sla}}, status, row["entered_at"])
            moved += await scoped(LeadStage, actor, id=row["id"]).update(
                sla_due_at=deadline, updated_at=params["now"]
            )
    return moved


async def current(actor: Actor, lead_id: int) -> dict[str, Any] | None:
    """The lead's open stage (None for a lead that has none)."""
    lead = await get_owned(Lead, actor, lead_id, "Lead")
    found = await scoped(LeadStage, actor, lead_id=lead.id, exited_at=None).values(*STAGE, **NAMES)
    return rows(found)[0] if found else None


async def history(actor: Actor, lead_id: int) -> list[dict[str, Any]]:
    """Every stage of the lead, oldest first, with who moved it there."""
    lead = await get_owned(Lead, actor, lead_id, "Lead")
    found = (
        await scoped(LeadStage, actor, lead_id=lead.id).order_by("entered_at", "id").values(*STAGE, **NAMES)
    )
    return rows(found)


async def next_statuses(actor: Actor, lead_id: int) -> dict[str, Any]:
    lead = await get_owned(Lead, actor, lead_id, "Lead")
    status = StatusName(lead.status)
    allowed = [STATUS_IDS[s] for s in TRANSITIONS[status]]
    found = (
        await LeadStatus.filter(id__in=allowed, is_active=True)
        .order_by("id")
        .values("id", "name", "description")
    )
    return {"current_status": status.value, "next_possible_statuses": found}


async def update_notes(actor: Actor, data: UpdateNotes) -> dict[str, Any]:
    """Set the notes and/or next action of a stage of the entity (only the fields given)."""
    given = data.model_dump(include={"notes", "next_action_required"}, exclude_unset=True)
    async with atomic():
        stage = await scoped(LeadStage, actor, id=data.stage_id).select_for_update().first()
        if stage is None:
            raise NotFound("Stage not found")
        owner = (await get_owned(Lead, actor, stage.lead_id, "Lead")).assigned_user_id  # type: ignore[attr-defined]
        _may_move(actor, owner, "write the stage notes of")
        if given:
            await scoped(LeadStage, actor, id=stage.id).update(**given, updated_at=utcnow())
        return await _stage(actor, stage.id)


async def entity_stages(actor: Actor, query: StageQuery) -> dict[str, Any]:
    """The entity's stage rows, newest first, with their leads; `total` counts every match."""
    filters: dict[str, Any] = {}
    if query.status_id is not None:
        filters["status_id"] = STATUS_IDS[query.status_id]
    if query.user_id is not None:
        filters["user_id"] = query.user_id
    if query.lead_id is not None:
        filters["lead_id"] = query.lead_id
    since, until = await lead_rollups.span(actor, query)
    if since is not None:
        filters["entered_at__gte"] = since
    if until is not None:
        filters["entered_at__lt"] = until
    if query.active_only:
        filters["exited_at__isnull"] = True
    matching = scoped(LeadStage, actor, **filters)
    found = (
        await matching.order_by("-entered_at", "-id")
        .offset(query.offset)
        .limit(query.rows)
        .values(*STAGE, **NAMES, **LEAD)
    )
    return {"stages": rows(found), "total": await matching.count()}
