"""Leads of the actor's entity: list, read, edit, create by hand, counts (the pipeline board is
salesmagnet.leads.board).

Status changes are not edits: they belong to the stage workflow (transitions, history, SLA),
which must move the lead_counts counters with them (salesmagnet.leads.counts).

The list, counts and pipeline are read with hand-written SQL through salesmagnet.tenancy: they
are the hottest reads of the product (floor screens poll them), and the ORM's query building
cost more than the queries themselves.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from functools import lru_cache
from typing import Any

from models import Lead, LeadMeta, Platform, RoleId, StatusName
from salesmagnet import events, rawsql, statements
from salesmagnet.db import atomic, dialect_of_connection, iso, locking_read, utcnow
from salesmagnet.errors import BadRequest, Conflict, Forbidden, NotFound
from salesmagnet.leads import counts as lead_counts
from salesmagnet.leads import events as lead_events
from salesmagnet.leads import render, rollups, search
from salesmagnet.leads.schemas import LeadCreate, LeadQuery, LeadUpdate, Page, Span, joined_name
from salesmagnet.leads.writer import CONTACT, META_COLUMNS, NewLead, write_one
from salesmagnet.rawsql import JsonText
from salesmagnet.statements import Outcome, Statement
from salesmagnet.tenancy import Actor, execute, fetch, get_owned, scoped, statement

ATTRIBUTION = (*META_COLUMNS[1:], "processing_status")  # lead_meta's columns but the platform
EDITABLE = CONTACT
NO_CONTACT = "A lead needs an email or a phone"
ORDER_COLUMN = re.compile(r"\bl\.(\w+)")  # a lead column a list's ORDER BY names


@lru_cache(maxsize=2)
def _json(dialect: str) -> str:
    return render.summary_json(dialect)


def _selected() -> str:
    """SELECT of lead summaries as JSON, joined to their owners (FROM lead_data l, users u)."""
    return f"SELECT {_json(dialect_of_connection())} AS lead {render.FROM}"


async def lead_summary(actor: Actor, lead_id: int) -> dict[str, Any]:
    rows = await fetch(actor, _selected() + " WHERE l.entity_id = :entity AND l.id = :id", id=lead_id)
    if not rows:
        raise NotFound("Lead not found")
    return dict(json.loads(rows[0]["lead"]))


def _conditions(query: LeadQuery, span: Span) -> tuple[list[str], dict[str, Any]] | None:
    """WHERE clauses and parameters of the list's filters (`span`: its window in UTC); None when
    nothing can match."""
    where: list[str] = ["l.entity_id = :entity"]
    params: dict[str, Any] = {}
    if query.status:
        where.append("l.status = :status")
        params["status"] = query.status.value
    if query.platform:
        where.append("l.platform_key = :platform")
        params["platform"] = query.platform.value
    if query.assigned_user_id:
        where.append("l.assigned_user_id = :owner")
        params["owner"] = query.assigned_user_id
    if span.since:
        where.append("l.created_at >= :date_from")
        params["date_from"] = span.since
    if span.until:
        where.append("l.created_at < :date_to")
        params["date_to"] = span.until
    if query.search is None:
        return where, params
    words = search.query_words(query.search)
    if pattern := search.email_prefix(query.search):
        where.append("l.email LIKE :email ESCAPE '!'")  # MariaDB: its case-blind index answers
        params["email"] = pattern
        if dialect_of_connection() == "mysql" or not words:
            return where, params
        words = [max(words, key=len)]  # the LIKE decides; the rarest-looking word finds candidates
    if not words:
        return None
    if dialect_of_connection() == "mysql":
        where.append("MATCH (l.search_text) AGAINST (:words IN BOOLEAN MODE)")
        params["words"] = search.fulltext_query(words)
    else:
        # SQLite's LIKE is case-blind and its indexes are not, so an address is found by its
        # words too. `+` keeps the planner off the entity's index: the word index leads.
        where[0] = "+l.entity_id = :entity"
        where.append("l.id IN (SELECT rowid FROM lead_words WHERE lead_words MATCH :words)")
        params["words"] = search.fts5_query(words)
    return where, params


def _counted(query: LeadQuery) -> bool:
    """Whether the total must be counted: the counters know status, platform and owner only."""
    return bool(query.date_from or query.date_to or query.search)


async def list_leads(actor: Actor, query: LeadQuery) -> dict[str, Any]:
    """A page of matching leads, `total` counting every match."""
    limit = query.rows
    found = _conditions(query, await rollups.span(actor, query))
    if found is None:
        return {"leads": JsonText.array([]), "total": 0, "filters": query.echo()}
    where, params = found
    direction = "DESC" if query.order == "desc" else "ASC"
    order = f"l.{query.sort.value} {direction}, l.id {direction}"
    leads, matches = await _page_of(
        actor,
        " AND ".join(where),
        order,
        limit,
        query.offset,
        params,
        count=_counted(query),
        deferred=query.assigned_user_id is not None,
    )
    if matches is None:  # from the counters, or counted apart when the page came back empty
        if _counted(query):
            sql = "SELECT COUNT(*) AS n FROM lead_data l WHERE " + " AND ".join(where)
            matches = int((await fetch(actor, sql, **params))[0]["n"])
        else:
            matches = await lead_counts.total(
                actor,
                query.status.value if query.status else None,
                platform=query.platform.value if query.platform else None,
                owner=query.assigned_user_id,
            )
    return {"leads": leads, "total": matches, "filters": query.echo()}


async def _page_of(
    actor: Actor,
    where: str,
    order: str,
    limit: int,
    offset: int,
    params: dict[str, Any],
    count: bool = False,
    deferred: bool = False,
) -> tuple[JsonText, int | None]:
    """The page's summaries, and with `count` how many rows match in all (a window over the
    same scan, so a search walks its index once; None when the page is empty).

    `deferred` takes the page's ids from an index alone first, then reads those rows: asked for
    the JSON of every column of one owner's leads at once, MariaDB walked the entity's rows
    instead of the owner's index (47 ms instead of 4 ms at 1M leads). The plain pages do not
    need it, and are a third faster without it."""
    matches = "COUNT(*) OVER ()" if count else "NULL"
    json = _json(dialect_of_connection())
    if deferred or count:
        # The page carries its order's columns and is sorted by them, before the join: sorted
        # by the joined rows' columns, the rendered rows went through a temporary table.
        keys = ", ".join(f"l.{key}" for key in dict.fromkeys(["id", *ORDER_COLUMN.findall(order)]))
        outer = ORDER_COLUMN.sub(r"page.\1", order)
        sql = (
            f"SELECT {json} AS lead, page.matches {render.FROM} "
            f"JOIN (SELECT {keys}, {matches} AS matches FROM lead_data l WHERE {where} ORDER BY {order} "
            f"LIMIT :limit OFFSET :offset) AS page ON page.id = l.id "
            f"WHERE l.entity_id = :entity ORDER BY {outer}"
        )
    else:
        sql = (
            f"SELECT {json} AS lead {render.FROM} WHERE {where} ORDER BY {order} LIMIT :limit OFFSET :offset"
        )
    rows = await fetch(actor, sql, **params, limit=limit, offset=offset)
    total = int(rows[0]["matches"]) if count and rows else None
    return JsonText.array([r["lead"] for r in rows]), total


async def get_lead(actor: Actor, lead_id: int) -> dict[str, Any]:
    """One lead with its answers and attribution (page, form, ad, campaign, UTM)."""
    lead = await get_owned(Lead, actor, lead_id, "Lead")
    meta = await scoped(LeadMeta, actor, id=lead.lead_meta_id).values(*ATTRIBUTION)  # type: ignore[attr-defined]
    out = await lead_summary(actor, lead.id)
    attribution = {k: (iso(v) if k == "created_time" else v) for k, v in (meta[0] if meta else {}).items()}
    return out | {
        "lead_meta_id": lead.lead_meta_id,  # type: ignore[attr-defined]
        "raw_field_data": lead.raw_field_data,
        "consent_time": iso(lead.consent_time),
        "attribution": attribution,
    }


def _may_edit(actor: Actor, owner: int | None) -> None:
    if actor.role == RoleId.SALES_REP and owner != actor.user_id:
        raise Forbidden("Sales reps can edit only the leads assigned to them")


async def update_lead(actor: Actor, lead_id: int, data: LeadUpdate) -> dict[str, Any]:
    """Edit contact fields; announces `lead:updated` with the fields that changed."""
    if data.status is not None:
        raise BadRequest("Status changes go through POST /api/stages/change-status")
    given = {k: v for k, v in data.model_dump(exclude_unset=True).items() if k in EDITABLE}
    if not given:
        raise BadRequest(f"No valid fields to update; editable: {', '.join(EDITABLE)}")
    async with atomic():
        changed = await change(actor, lead_id, fields=given)
        _may_edit(actor, changed.previous_owner)  # judged on the locked row; refusal rolls back
        if not (changed.lead["email"] or changed.lead["phone"]) and {"email", "phone"} & set(given):
            raise BadRequest(NO_CONTACT)  # as a new lead: an edit cannot clear the last contact
        return changed.lead


class Keep(Enum):
    """`change(owner=KEEP)`: leave the owner as it is (None means unassigned)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class LeadChange:
    lead: dict[str, Any]  # the summary after the change
    previous_status: str
    previous_owner: int | None
    changed: list[str]  # contact fields, "status", "assigned_user_id": what actually changed
    along: list[Outcome] = field(default_factory=list)  # of the statements `along` returned


@dataclass(frozen=True)
class Locked:
    """What `along` is told: the lead as locked (before the change), and the rows the caller's
    `reads` found in the same round trip."""

    status: str
    owner: int | None
    reads: list[Outcome]


Along = Callable[[Locked], list[Statement]]


async def change(
    actor: Actor,
    lead_id: int,
    *,
    status: str | None = None,
    owner: int | Keep | None = KEEP,
    fields: dict[str, Any] | None = None,
    reads: Sequence[Statement] = (),
    along: Along | None = None,
) -> LeadChange:
    """The one door through which a lead changes, inside the caller's db.atomic(): it locks the
    row, moves the lead's counter cells (status, platform, owner), keeps search text and the
    change times right, and announces `lead:updated` when contact fields changed. A status or an
    owner change is announced by the domain that made it (stages, assignments), in the same
    transaction; the pipeline board follows the entity's events.

    The caller's `reads` (an assignee's row) run in the lock's round trip. `along(Locked)`,
    called once the row is locked and read, may refuse the change (raise: nothing is written)
    or return the domain's own statements (a history row, a stage), which run in the same round
    trip as the lead's write; their outcomes come back in `LeadChange.along`."""
    if events.pending() is None:
        raise RuntimeError("leads.change() must run inside db.atomic()")
    if unknown := set(fields or {}) - set(CONTACT):
        raise ValueError(f"not contact fields: {sorted(unknown)}")
    # Hand-written, as the lists are: an assignment is a handful of statements, and the ORM's
    # building and decoding was a third of its server time (bench/RESULTS.md, assignments).
    lock = locking_read()
    zone = await rollups.zone_of(actor) if status or owner is not KEEP else None
    locking = statement(actor, f"{_LOCK_READ} WHERE entity_id = :entity AND id = :id{lock}", id=lead_id)
    found, *seen = await statements.run([locking, *reads])
    if not found.rows:
        raise NotFound("Lead not found")
    lead = _LOCKED.row(found.rows[0])
    edits = {k: v for k, v in (fields or {}).items() if lead[k] != v}
    if {"first_name", "last_name"} & set(edits) and "full_name" not in (fields or {}):
        edits |= _full_name_follows(lead, edits)
    before = (StatusName(lead["status"]).value, lead["assigned_user_id"])
    after = (StatusName(status).value if status else before[0], before[1] if owner is KEEP else owner)
    extra = along(Locked(*before, seen)) if along else []
    values = _changed_values(lead, edits, before, after)
    run = [statement(actor, _selected() + " WHERE l.entity_id = :entity AND l.id = :id", id=lead_id)]
    if values:  # written and read back in one round trip
        columns = ", ".join(f"{column} = :{column}" for column in values)
        update = f"UPDATE lead_data SET {columns} WHERE entity_id = :entity AND id = :id"
        run.insert(0, statement(actor, update, id=lead_id, **values))
    done = await statements.run([*run, *extra])
    read = done[len(run) - 1]
    if after != before:
        platform = Platform(lead["platform_key"]).value
        cell = lambda state: (state[0], platform, state[1] or lead_counts.NOBODY)  # noqa: E731
        await lead_counts.add(actor, {cell(before): -1, cell(after): 1})
        assert zone is not None  # asked for whenever a status or an owner is given
        await rollups.move(actor, [rollups.tally(zone, lead)], [rollups.tally(zone, lead | values)])
    out = dict(json.loads(read.rows[0]["lead"]))
    if edits:
        events.emit(lead_events.lead_updated(actor.entity_id, out, list(edits)))
    moved = [name for name, i in (("status", 0), ("assigned_user_id", 1)) if before[i] != after[i]]
    return LeadChange(out, before[0], before[1], [*edits, *moved], done[len(run) :])


def _full_name_follows(lead: dict[str, Any], edits: dict[str, Any]) -> dict[str, Any]:
    """The full name, when a part changed and it was made from the parts (or empty): made again
    from the new ones, so the lead is not found by its old name. One given apart is kept."""
    if lead["full_name"] not in (None, "", joined_name(lead["first_name"], lead["last_name"])):
        return {}
    full = joined_name(edits.get("first_name", lead["first_name"]), edits.get("last_name", lead["last_name"]))
    return {"full_name": full} if full != lead["full_name"] else {}


_LOCKED = rawsql.Packed(
    (
        "id", "status", "platform_key", "assigned_user_id", "created_at", "first_assigned_at",
        "status_changed_at", "reached", *CONTACT,
    )
)  # fmt: skip
_LOCK_READ = f"SELECT {_LOCKED.select} FROM lead_data"


def _changed_values(
    lead: dict[str, Any], edits: dict[str, Any], before: tuple[str, int | None], after: tuple[str, int | None]
) -> dict[str, Any]:
    """The columns to write for these edits and this (status, owner) move; nothing if none."""
    now = utcnow()
    values: dict[str, Any] = dict(edits)
    if edits:
        values["search_text"] = search.text_of(**{c: edits.get(c, lead[c]) for c in CONTACT})
    if after[0] != before[0]:
        values |= {
            "status": after[0],
            "status_changed_at": now,
            "reached": lead["reached"] | rollups.bit(after[0]),
        }
    if after[1] != before[1]:
        values |= {"assigned_user_id": after[1], "assigned_at": now if after[1] else None}
        if after[1] and lead["first_assigned_at"] is None:
            values["first_assigned_at"] = now
    if values:
        values["updated_at"] = now
    return values


async def assign_many(actor: Actor, pairs: Sequence[tuple[int, int]]) -> list[LeadChange]:
    """The gate's door for many owner changes at once (bulk assignment), inside the caller's
    db.atomic(): it locks the leads of `pairs` (lead id, owner: a user of the entity whom the
    caller checked may own leads), keeps those still unassigned (one taken meanwhile is left as
    it is, and out of the answer), gives them their owners in one UPDATE, moves their counter
    cells in one add and reads their summaries in one query. The caller records and announces
    each change, as it does after change(). Their summaries come from the locking read, the
    owner and the times set here (no second read)."""
    if events.pending() is None:
        raise RuntimeError("leads.assign_many() must run inside db.atomic()")
    owner_of = dict(pairs)
    if not owner_of:
        return []
    lock = locking_read()
    # Locked and read as summaries at once: unassigned, they join no user row (none is locked).
    free = await fetch(
        actor,
        f"SELECT l.id, l.status, l.platform_key, l.created_at, l.first_assigned_at, l.status_changed_at, "
        f"l.reached, {_json(dialect_of_connection())} AS lead {render.FROM} "
        "WHERE l.entity_id = :entity AND l.id IN (:ids) AND l.assigned_user_id IS NULL "
        f"ORDER BY l.id{lock}",
        ids=sorted(owner_of),
    )
    if not free:
        return []
    now = utcnow()
    await _give_owners(actor, {int(row["id"]): owner_of[int(row["id"])] for row in free}, now)
    moves: Counter[lead_counts.Key] = Counter()
    for row in free:
        moves[(row["status"], row["platform_key"], lead_counts.NOBODY)] -= 1
        moves[(row["status"], row["platform_key"], owner_of[int(row["id"])])] += 1
    await lead_counts.add(actor, moves)
    zone = await rollups.zone_of(actor)
    await rollups.move(
        actor,
        [rollups.tally(zone, row | {"assigned_user_id": None}) for row in free],
        [rollups.tally(zone, _given(row, owner_of[int(row["id"])], now)) for row in free],
    )
    people = await fetch(
        actor,
        "SELECT id, first_name, last_name FROM users WHERE entity_id = :entity AND id IN (:ids)",
        ids=sorted(set(owner_of.values())),
    )
    person = {
        int(p["id"]): {"id": int(p["id"]), "first_name": p["first_name"], "last_name": p["last_name"]}
        for p in people
    }
    stamp = iso(now)
    changed: dict[int, LeadChange] = {}
    for row in free:
        lead_id, owner = int(row["id"]), owner_of[int(row["id"])]
        given = {"assigned_user_id": owner, "assigned_at": stamp, "updated_at": stamp}
        lead = json.loads(row["lead"]) | given | {"assigned_user": person[owner]}
        changed[lead_id] = LeadChange(lead, StatusName(row["status"]).value, None, ["assigned_user_id"])
    return [changed[lead_id] for lead_id in owner_of if lead_id in changed]  # in the order given


def _given(row: dict[str, Any], owner: int, now: datetime) -> dict[str, Any]:
    """A locked row (assign_many) as it is once given its owner."""
    return row | {"assigned_user_id": owner, "first_assigned_at": row["first_assigned_at"] or now}


async def _give_owners(actor: Actor, owner_of: dict[int, int], now: datetime) -> None:
    """One UPDATE: each lead its owner (a CASE over the owners' id lists), stamped now."""
    leads_of: defaultdict[int, list[int]] = defaultdict(list)
    for lead_id, owner in owner_of.items():
        leads_of[owner].append(lead_id)
    owners = sorted(leads_of)
    cases = " ".join(f"WHEN id IN (:leads{n}) THEN :owner{n}" for n in range(len(owners)))
    await execute(
        actor,
        f"UPDATE lead_data SET assigned_user_id = CASE {cases} END, assigned_at = :now, updated_at = :now, "
        "first_assigned_at = COALESCE(first_assigned_at, :now) "
        "WHERE entity_id = :entity AND id IN (:ids) AND assigned_user_id IS NULL",
        ids=sorted(owner_of),
        now=now,
        **{f"owner{n}": owner for n, owner in enumerate(owners)},
        **{f"leads{n}": leads_of[owner] for n, owner in enumerate(owners)},
    )


@dataclass(frozen=True)
class Settled:
    """Where a lead's past left it (demo seeding, salesmagnet/demo.py): its status and owner,
    every status it held (`reached`, rollups.bit each) and when those changed, in the past."""

    lead_id: int
    status: str
    owner: int | None
    reached: int
    status_changed_at: datetime
    assigned_at: datetime | None
    first_assigned_at: datetime | None
    updated_at: datetime


_SETTLED = ("status", "assigned_user_id", "reached", "status_changed_at", "assigned_at", "first_assigned_at")


async def settle_many(actor: Actor, settled: Sequence[Settled]) -> None:
    """The gate's door for many leads' pasts at once (demo seeding only), inside the caller's
    db.atomic(): it locks the leads, writes each its status, owner, `reached` and the times
    given (not now: the past is backdated here, where the lead's columns are kept) in one
    UPDATE, and moves their counter cells and rollup tallies from where the writer left them.
    The caller writes the stages, history rows and activities of those pasts. Nothing is
    announced lead by lead (a past is no news); the seeder's analytics push (demo.seed) announces the
    entity's figures, which moves its sequence (boards and kept answers follow)."""
    if events.pending() is None:
        raise RuntimeError("leads.settle_many() must run inside db.atomic()")
    if not settled:
        return
    lock = locking_read()
    ids = sorted({s.lead_id for s in settled})
    locked = await fetch(actor, f"{_LOCK_READ} WHERE entity_id = :entity AND id IN (:ids){lock}", ids=ids)
    found = [_LOCKED.row(row) for row in locked]
    if len(found) != len(ids):
        raise NotFound("Lead not found")
    given = {s.lead_id: s for s in settled}
    after = [
        {"id": int(row["id"]), **_settled_values(given[int(row["id"])])} for row in sorted(found, key=_id)
    ]
    columns = (*_SETTLED, "updated_at")
    update = "UPDATE lead_data {sets} WHERE entity_id = :entity AND id IN (:ids)"
    await statements.run(
        [
            statement(actor, update.format(sets=rawsql.set_by_id(columns, len(part))), **params)
            for part, params in rawsql.by_id_chunks(columns, after)
        ]
    )
    moves: Counter[lead_counts.Key] = Counter()
    for row, new in zip(sorted(found, key=_id), after, strict=True):
        moves[(row["status"], row["platform_key"], row["assigned_user_id"] or lead_counts.NOBODY)] -= 1
        moves[(new["status"], row["platform_key"], new["assigned_user_id"] or lead_counts.NOBODY)] += 1
    await lead_counts.add(actor, moves)
    zone = await rollups.zone_of(actor)
    await rollups.move(
        actor,
        [rollups.tally(zone, row) for row in found],
        [rollups.tally(zone, row | new) for row, new in zip(sorted(found, key=_id), after, strict=True)],
    )


def _id(row: dict[str, Any]) -> int:
    return int(row["id"])


def _settled_values(s: Settled) -> dict[str, Any]:
    return {
        "status": StatusName(s.status).value,
        "assigned_user_id": s.owner,
        "reached": s.reached,
        "status_changed_at": s.status_changed_at,
        "assigned_at": s.assigned_at,
        "first_assigned_at": s.first_assigned_at,
        "updated_at": s.updated_at,
    }


async def create_lead(actor: Actor, data: LeadCreate) -> dict[str, Any]:
    """A lead entered by hand: platform `manual`, first stage `new`; announces `lead:new`."""
    if data.status is not None:
        raise BadRequest("A new lead starts as new; change its status through the stage API")
    fields = data.model_dump(include=set(EDITABLE), exclude_none=True)
    if not fields.get("email") and not fields.get("phone"):
        raise BadRequest(NO_CONTACT)
    if not fields.get("full_name") and (full := joined_name(data.first_name, data.last_name)):
        fields["full_name"] = full
    meta = {"source_lead_id": data.source_lead_id or f"manual-{uuid.uuid4()}"}
    item = NewLead(
        actor.entity_id,
        Platform.MANUAL,
        meta,
        {**fields, "raw_field_data": data.raw_field_data},
        user_id=actor.user_id,
    )
    outcome = await write_one(item)
    if outcome.lead is None:
        raise Conflict("A lead with this source_lead_id exists", data={"lead_id": outcome.lead_id})
    return outcome.lead


async def leads_by_owner(actor: Actor) -> dict[int, tuple[int, int]]:
    """(open, closed) leads per owner, from the counters."""
    return await lead_counts.by_owner(actor)


async def unassigned_ids(actor: Actor, limit: int) -> list[int]:
    """Ids of the first `limit` open leads nobody owns, oldest first (from the owner index; a
    won or lost lead is no one's to work)."""
    rows = await fetch(
        actor,
        "SELECT id FROM lead_data WHERE entity_id = :entity AND assigned_user_id IS NULL "
        "AND status NOT IN (:closed) ORDER BY created_at, id LIMIT :limit",
        closed=list(rollups.CLOSED),
        limit=limit,
    )
    return [int(row["id"]) for row in rows]


async def unassigned_count(actor: Actor) -> int:
    """Open leads nobody owns (the queue bulk assignment deals), from the counters."""
    per_status = await lead_counts.by_status(actor, owner=lead_counts.NOBODY)
    return sum(n for status, n in per_status.items() if status not in rollups.CLOSED)


def _listed(per_status: dict[str, int]) -> list[dict[str, Any]]:
    """Leads per status, every status listed (zeros included), in pipeline order."""
    return [{"status": s.value, "count": per_status[s.value]} for s in StatusName]


async def counts(actor: Actor) -> list[dict[str, Any]]:
    return _listed(await lead_counts.by_status(actor))


async def counts_and_seq(actor: Actor) -> tuple[list[dict[str, Any]], int]:
    """`counts`, and the entity's event seq they stand at, in one read (counters and events
    commit together): a screen that connects with `last_seq` = that seq is replayed exactly the
    changes the counts do not hold yet."""
    per_status, seq = await lead_counts.by_status_at_seq(actor)
    return _listed(per_status), seq


async def _page(
    actor: Actor, where: str, order: str, page: Page, total: int, **params: Any
) -> dict[str, Any]:
    limit = page.rows
    return {
        "leads": (await _page_of(actor, where, order, limit, page.offset, params, deferred=True))[0],
        "total": total,
        "limit": limit,
        "offset": page.offset,
    }


async def unassigned(actor: Actor, page: Page) -> dict[str, Any]:
    """Open leads nobody owns, oldest first (the queue to work through; a won or lost lead is
    in no queue)."""
    where = "l.entity_id = :entity AND l.assigned_user_id IS NULL AND l.status NOT IN (:closed)"
    total = await unassigned_count(actor)
    return await _page(actor, where, "l.created_at ASC, l.id ASC", page, total, closed=list(rollups.CLOSED))


async def my_leads(actor: Actor, page: Page) -> dict[str, Any]:
    where = "l.entity_id = :entity AND l.assigned_user_id = :me"
    total = await lead_counts.total(actor, owner=actor.user_id) if actor.user_id else 0
    return await _page(actor, where, "l.created_at DESC, l.id DESC", page, total, me=actor.user_id)
