"""`salesmagnet seed-demo`: a believable sales floor for screens and benchmarks.

A manager and six sales reps (known demo logins, printed), and leads arrived over the last 90
days on every platform, each with a past: an owner (some reassigned), moves along the stage
graph (some won, some lost, most still open), calls, e-mails, notes and meetings, and
follow-ups (some overdue, some due soon).

Everything goes through the domains' own writers, a batch of leads at a time: the lead writer
(rows, first stage, counters, rollups), then the lead gate's `settle_many` (status, owner,
counters, rollups), the stage workflow's `record_past` (stage rows, deadlines, stage rollups,
`status_change` activities), the assignment records' `record_past` (history rows, `assignment`
activities) and the activity records (counters, rollups), in one transaction per batch.

Backdating: the product stamps "now" everywhere, and a demo needs 90 days of history. Those
doors take the past's own times instead (a clock parameter per row, for seeding only) rather
than the services stamping now and an UPDATE moving the times afterwards: every counter, rollup,
duration and deadline is then computed by the same code from the same times as a live change
would be, and nothing is written twice: `salesmagnet analytics-rebuild` afterwards finds every
rollup as it was (tests/test_seed_demo.py), so the seeder does not spend a recount on it (15 s
at 100k leads) and only announces the entity's figures.

Events: a past is no news. The writer's `lead:new` of each seeded lead is noted delivered as
it commits (a running server's relay would otherwise push thousands of old arrivals to every
watching screen); the closing `analytics:updated` goes out as usual and moves the entity's
sequence, so boards and kept answers are read again. Stages and follow-ups that fell due in the
past are marked announced then, as the monitors would have: no burst of old alerts either.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import deque
from collections.abc import Sequence
from contextvars import Context
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from models import (
    ActivityPriority,
    ActivityStatus,
    ActivityType,
    AssignmentAction,
    Platform,
    RoleId,
    StatusName,
    User,
)
from salesmagnet import events
from salesmagnet.activities import records as activity_records
from salesmagnet.analytics import service as analytics
from salesmagnet.assignments import records as assignment_records
from salesmagnet.db import atomic, retried, utcnow
from salesmagnet.leads import counts as lead_counts
from salesmagnet.leads import rollups as lead_rollups
from salesmagnet.leads import service as leads
from salesmagnet.leads.writer import NewLead, write_leads
from salesmagnet.stages import service as stages
from salesmagnet.tenancy import Actor, scoped
from salesmagnet.users import service as users
from salesmagnet.users.schemas import UserCreate

DAYS = 90
BATCH = 1000  # leads a transaction (the writer's, then their pasts')
IN_FLIGHT = 3  # batches written at once
# The demo accounts' password, printed by the command (README): demo logins on a demo floor, not a
# secret; --password gives the accounts a run makes another.
DEMO_PASSWORD = "Demo!floor-2026"  # noqa: S105
S = StatusName

FIRST = (
    "Olivia Liam Emma Noah Amelia Oliver Ava Elijah Sophia James Isabella William Mia Benjamin Charlotte "
    "Lucas Harper Henry Evelyn Alexander Aisha Omar Fatima Yusuf Priya Arjun Mei Wei Hana Kenji Sofia Mateo "
    "Valentina Diego Lea Jonas Chloe Hugo Ingrid Lars Zara Kwame Amara Chidi Nadia Ivan Elena Marco Giulia "
    "Sean Niamh Ravi Ananya Tomasz Zofia Ahmed Leila Carlos Lucia"
).split()
LAST = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Wilson "
    "Anderson Thomas Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis Walker Young Allen "
    "King Wright Scott Nguyen Hill Adams Baker Nelson Carter Mitchell Patel Khan Singh Kowalski Novak "
    "Rossi Bianchi Schmidt Fischer Weber Dubois Moreau Silva Santos Okafor Mensah Haddad Tanaka Sato Kim "
    "Park Chen Wang Murphy Kelly"
).split()
COMPANIES = (
    ("Northwind Traders", "northwind.io"),
    ("Bluefin Capital", "bluefincap.com"),
    ("Harbor & Finch", "harborfinch.co"),
    ("Summit Ridge Partners", "summitridge.com"),
    ("Lumen Analytics", "lumenanalytics.io"),
    ("Crescent Logistics", "crescentlog.com"),
    ("Atlas Ventures", "atlasvc.com"),
    ("Pinecrest Holdings", "pinecrest.co.uk"),
    ("Quantum Ledger", "quantumledger.io"),
    ("Redwood Wealth", "redwoodwealth.com"),
    ("Silverline Media", "silverline.media"),
    ("Orbit Systems", "orbitsys.net"),
    ("Meridian Health", "meridianhealth.org"),
    ("Copperleaf Studio", "copperleaf.design"),
    ("Vantage Point Realty", "vantagepoint.homes"),
    ("Evergreen Foods", "evergreenfoods.com"),
    ("Ironbridge Engineering", "ironbridge.eng.br"),
    ("Solstice Energy", "solstice.energy"),
    ("Keystone Legal", "keystonelegal.com"),
    ("Nimbus Cloudworks", "nimbuscloud.dev"),
)
FREE_MAIL = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me")
PLATFORMS = ((Platform.WEBSITE, 40), (Platform.FACEBOOK, 28), (Platform.INSTAGRAM, 20), (Platform.MANUAL, 12))
INTERESTS = (
    "Forex course",
    "Trading mentorship",
    "Managed account",
    "Signals plan",
    "Webinar seat",
    "1:1 coaching",
)
CAMPAIGNS = ("autumn_promo", "webinar_series", "retargeting", "brand_search", "lookalike_eu", "newsletter")
# From each status: (next status or None = stays there, weight).
WALK: dict[StatusName, tuple[tuple[StatusName | None, int], ...]] = {
    S.NEW: ((S.QUALIFIED, 72), (S.LOST, 12), (None, 16)),
    S.QUALIFIED: ((S.CONTACTED, 74), (S.LOST, 10), (None, 16)),
    S.CONTACTED: ((S.MEETING_SCHEDULED, 45), (S.PROPOSAL_SENT, 25), (S.LOST, 14), (None, 16)),
    S.MEETING_SCHEDULED: ((S.PROPOSAL_SENT, 50), (S.NEGOTIATION, 20), (S.LOST, 14), (None, 16)),
    S.PROPOSAL_SENT: ((S.NEGOTIATION, 36), (S.WON, 30), (S.LOST, 18), (None, 16)),
    S.NEGOTIATION: ((S.WON, 56), (S.LOST, 28), (None, 16)),
}
DAYS_IN = {
    S.NEW: 0.6,
    S.QUALIFIED: 1.5,
    S.CONTACTED: 3,
    S.MEETING_SCHEDULED: 4,
    S.PROPOSAL_SENT: 5,
    S.NEGOTIATION: 6,
}
LOSS_NOTES = ("Went with a competitor", "No budget this quarter", "Not responsive", "Not a fit")
WORK = (
    (ActivityType.CALL, ("Intro call: walked through the programme", "Call: answered questions on pricing",
                         "Left a voicemail", "Discovery call, interested in the advanced track")),
    (ActivityType.EMAIL, ("Sent the brochure and schedule", "E-mailed the pricing sheet",
                          "Followed up on the proposal by e-mail", "Sent testimonials")),
    (ActivityType.NOTE, ("Prefers contact after 5pm", "Has traded before, two years of experience",
                         "Asked about payment plans", "Referred by a current client")),
    (ActivityType.MEETING, ("Video meeting: demo of the platform", "Met at the office for a walkthrough",
                            "Zoom session with their partner")),
)  # fmt: skip
FOLLOW_UPS = (
    "Call back about the proposal",
    "Check whether they read the brochure",
    "Confirm the meeting time",
    "Chase the signed agreement",
    "Answer the question on payment plans",
)


@dataclass(frozen=True)
class Floor:
    """The demo's people: the manager and the sales reps (User rows of the entity)."""

    manager: User
    reps: list[User]
    created: list[str]  # e-mails of the accounts this run made


def login_of(entity: str, role: str) -> str:
    return f"demo.{role}@{entity.replace('_', '-')}.example.com"


TEAM = (
    ("manager", "Morgan", "Blake", RoleId.MANAGER),
    ("rep1", "Jordan", "Reyes", RoleId.SALES_REP),
    ("rep2", "Priya", "Shah", RoleId.SALES_REP),
    ("rep3", "Sam", "Okoro", RoleId.SALES_REP),
    ("rep4", "Alex", "Novak", RoleId.SALES_REP),
    ("rep5", "Casey", "Lindqvist", RoleId.SALES_REP),
    ("rep6", "Taylor", "Moreau", RoleId.SALES_REP),
)


async def floor(actor: Actor, entity: str, password: str) -> Floor:
    """The demo users of the entity, made the first time (an existing one is kept as it is)."""
    people: list[User] = []
    created: list[str] = []
    for tag, first, last, role in TEAM:
        email = login_of(entity, tag)
        user = await scoped(User, actor, email=email).first()
        if user is None:
            data = UserCreate.model_validate(
                {
                    "username": f"demo_{entity[:30]}_{tag}",
                    "email": email,
                    "password": password,
                    "first_name": first,
                    "last_name": last,
                    "role": role,
                }
            )
            made = await users.create_user(actor, data)
            user = await scoped(User, actor, id=made["id"]).first()
            created.append(email)
        assert user is not None
        people.append(user)
    return Floor(people[0], people[1:], created)


def contact(rng: random.Random) -> dict[str, Any]:
    """A made-up person: names, e-mail (at their company or a free mailer), phone, company."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    company, domain = rng.choice(COMPANIES)
    mail = domain if rng.random() < 0.6 else rng.choice(FREE_MAIL)
    return {
        "email": f"{first.lower()}.{last.lower()}{rng.randint(1, 9999)}@{mail}",
        "phone": f"+44 20 7{rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        "first_name": first,
        "last_name": last,
        "full_name": f"{first} {last}",
        "raw_field_data": {"company": company, "interest": rng.choice(INTERESTS)},
    }


@dataclass
class Plan:
    """One lead and its past, decided before anything is written."""

    item: NewLead
    arrived: datetime
    owner: User | None = None
    changes: list[tuple[datetime, AssignmentAction, User, User | None]] = field(default_factory=list)
    steps: list[stages.PastStage] = field(default_factory=list)
    work: list[activity_records.NewActivity] = field(default_factory=list)  # lead_id 0 until written
    reached: int = 1
    last: datetime | None = None

    @property
    def status(self) -> StatusName:
        return self.steps[-1].status if self.steps else S.NEW


class Planner:
    """Random pasts: arrivals over DAYS days (more on weekdays and in office hours of the
    entity's time zone, growing towards now), owners, moves along the stage graph, activities
    and follow-ups."""

    def __init__(
        self, entity_id: int, team: Floor, now: datetime, rng: random.Random, zone: ZoneInfo
    ) -> None:
        self.entity_id, self.team, self.now, self.rng, self.zone = entity_id, team, now, rng, zone
        self.run, self.made = f"{now:%Y%m%d%H%M%S}{uuid.uuid4().hex[:6]}", 0

    def arrival(self) -> datetime:
        rng = self.rng
        while True:
            days = DAYS * (1 - rng.random() ** 0.8)  # a little busier lately
            moment = self.now - timedelta(days=days)
            local = moment.astimezone(self.zone)
            hour_weight = 1.0 if 8 <= local.hour < 20 else 0.25
            day_weight = 1.0 if local.weekday() < 5 else 0.45
            if rng.random() < hour_weight * day_weight and moment < self.now - timedelta(minutes=2):
                return moment

    def arrivals(self, count: int) -> list[datetime]:
        """`count` arrival times, oldest first: leads are written in the order they came, so
        their ids follow their times as a live floor's do, and each batch's rows land on the
        same few pages of the time indexes (random times over 90 days made every batch read
        pages from disk at 100k leads: a third slower)."""
        return sorted(self.arrival() for _ in range(count))

    def lead(self, arrived: datetime) -> Plan:
        rng = self.rng
        fields = contact(rng)
        platform = rng.choices([p for p, _ in PLATFORMS], [w for _, w in PLATFORMS])[0]
        self.made += 1  # source ids in order: each batch's land together in lead_meta's unique index
        meta: dict[str, Any] = {"source_lead_id": f"demo-{self.run}-{self.made:09d}"}
        if platform in (Platform.FACEBOOK, Platform.INSTAGRAM):
            meta |= {"page_id": "demo-page-1", "form_id": f"demo-form-{rng.randint(1, 4)}",
                     "campaign_id": rng.choice(CAMPAIGNS), "created_time": arrived}  # fmt: skip
            fields["source_page_name"] = "Demo Lead Ads page"
        elif platform == Platform.WEBSITE:
            source = rng.choice(("google", "newsletter", "direct"))
            meta |= {"page_url": "https://www.example.com/contact", "utm_source": source,
                     "utm_medium": "cpc", "utm_campaign": rng.choice(CAMPAIGNS)}  # fmt: skip
        user_id = self.team.manager.id if platform == Platform.MANUAL else None
        item = NewLead(self.entity_id, platform, meta, fields, user_id=user_id, arrived_at=arrived)
        plan = Plan(item, arrived)
        self._past(plan)
        return plan

    def _after(self, moment: datetime, mean_days: float) -> datetime:
        return moment + timedelta(days=self.rng.expovariate(1 / mean_days))

    def _past(self, plan: Plan) -> None:
        rng, now = self.rng, self.now
        plan.last = plan.arrived
        if rng.random() < 0.1:
            return  # still in the unassigned queue
        given = plan.arrived + timedelta(minutes=rng.expovariate(1 / 90))
        if given >= now:
            return
        plan.owner = rng.choice(self.team.reps)
        plan.changes.append((given, AssignmentAction.ASSIGN, plan.owner, None))
        plan.last = moment = given
        reassign_at = self._after(given, 10) if rng.random() < 0.08 else None
        status = S.NEW
        while status in WALK:
            nxt = rng.choices([s for s, _ in WALK[status]], [w for _, w in WALK[status]])[0]
            moment = self._after(moment, DAYS_IN[status])
            if nxt is None or moment >= now:
                break
            if reassign_at is not None and reassign_at < moment:
                self._reassign(plan, reassign_at)
                reassign_at = None
            mover = self.team.manager if rng.random() < 0.15 else plan.owner
            assert mover is not None
            note = rng.choice(LOSS_NOTES) if nxt == S.LOST else None
            plan.steps.append(stages.PastStage(nxt, moment, mover.id, note))
            plan.reached |= lead_rollups.bit(nxt.value)
            plan.last = moment
            status = nxt
        if reassign_at is not None and reassign_at < now and status not in (S.WON, S.LOST):
            self._reassign(plan, reassign_at)
        self._work(plan)

    def _reassign(self, plan: Plan, at: datetime) -> None:
        previous = plan.owner
        plan.owner = self.rng.choice([r for r in self.team.reps if r is not previous])
        plan.changes.append((at, AssignmentAction.REASSIGN, plan.owner, previous))
        plan.last = max(plan.last or at, at)

    def _work(self, plan: Plan) -> None:
        """Calls, e-mails, notes and meetings while the lead was worked; a follow-up on some
        open ones (due in the past: overdue; or within the next week)."""
        rng, now = self.rng, self.now
        owner = plan.owner
        assert owner is not None and plan.last is not None
        start, end = plan.changes[0][0], max(plan.last, plan.changes[0][0] + timedelta(hours=2))
        end = min(end, now - timedelta(minutes=1))
        for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
            kind, texts = rng.choice(WORK)
            at = start + (end - start) * rng.random()
            status = ActivityStatus.COMPLETED if rng.random() < 0.93 else ActivityStatus.CANCELLED
            priority = rng.choices(list(ActivityPriority), (25, 50, 20, 5))[0]
            plan.work.append(
                activity_records.NewActivity(
                    0, owner.id, kind.value, rng.choice(texts), at, priority.value, status.value
                )
            )
        if plan.status in (S.WON, S.LOST) or rng.random() > 0.5:
            return
        due = now - timedelta(hours=rng.uniform(1, 96))  # overdue, if the lead was worked before
        overdue = rng.random() < 0.35 and due > plan.last + timedelta(hours=1)
        if not overdue:
            due = now + timedelta(hours=rng.uniform(0.2, 168))
        logged = min(now - timedelta(minutes=1), max(plan.last, due - timedelta(days=rng.uniform(0.5, 4))))
        priority = rng.choices(list(ActivityPriority), (15, 45, 28, 12))[0]
        plan.work.append(
            activity_records.NewActivity(
                0, owner.id, ActivityType.FOLLOW_UP.value, rng.choice(FOLLOW_UPS), logged, priority.value,
                ActivityStatus.PENDING.value, due, None, due if overdue else None,
            )
        )  # fmt: skip


class _Noted:
    """The seeder's publisher: its commits' events are collected and noted delivered (a past
    is no news; see the module's docstring)."""

    def __init__(self) -> None:
        self.records: list[events.Record] = []

    def submit(self, records: list[events.Record]) -> None:
        self.records.extend(records)

    async def publish(self, records: list[events.Record]) -> None:
        self.records.extend(records)

    def holds(self, event_id: str) -> bool:
        return False

    async def settle(self) -> None:
        taken, self.records = self.records, []
        for start in range(0, len(taken), 5000):
            await events.mark_published(taken[start : start + 5000])


@dataclass
class Seeded:
    leads: int
    seconds: float
    floor: Floor
    by_status: dict[str, int]


async def seed(
    actor: Actor, entity: str, count: int, password: str = DEMO_PASSWORD, seed: int | None = None
) -> Seeded:
    """Seed `count` leads with their pasts into the actor's entity (named `entity`: the demo
    logins carry its name), and its demo users."""
    started = time.monotonic()
    team = await floor(actor, entity, password)
    zone = await lead_rollups.zone_of(actor)
    planner = Planner(actor.entity_id, team, utcnow(), random.Random(seed), zone)
    noted, previous = _Noted(), events.publisher()
    events.set_publisher(noted)
    running: deque[asyncio.Task[None]] = deque()
    arrivals = planner.arrivals(count)
    try:
        for start in range(0, count, BATCH):
            plans = [planner.lead(arrived) for arrived in arrivals[start : start + BATCH]]
            # IN_FLIGHT batches at once, each in a fresh context (its own transactions): the
            # next is planned and written while the database commits the last.
            work = _batch(actor, plans, planner.now, team.manager.id)
            running.append(asyncio.get_running_loop().create_task(work, context=Context()))
            if len(running) == IN_FLIGHT:
                await running.popleft()
                await noted.settle()
        while running:
            await running.popleft()
        await noted.settle()
    finally:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        events.set_publisher(previous)
    await analytics.announce(actor)
    by_status = await lead_counts.by_status(actor)
    return Seeded(count, time.monotonic() - started, team, by_status)


async def _batch(actor: Actor, plans: Sequence[Plan], now: datetime, manager_id: int) -> None:
    """A batch of leads through the writer, then their pasts in one transaction (the manager
    makes the owner changes). Each transaction is run again if MariaDB made it a deadlock's
    victim (the batches in flight move the same counter cells); the writer finds leads a
    committed try made."""
    written = await retried(lambda: write_leads([p.item for p in plans]))
    ids = [o.lead_id for o in written]
    settled, pasts, changes, work = [], {}, [], []
    for plan, lead_id in zip(plans, ids, strict=True):
        pasts[lead_id] = plan.steps
        given = plan.changes
        for at, action, owner, previous in given:
            reason = "New lead for the desk" if action == AssignmentAction.ASSIGN else "Workload balancing"
            changes.append(
                assignment_records.PastChange(
                    lead_id, action, owner, previous.id if previous else None, manager_id, reason, at
                )
            )
        work += [w._replace(lead_id=lead_id) for w in plan.work]
        if given or plan.steps:
            settled.append(
                leads.Settled(
                    lead_id,
                    plan.status.value,
                    plan.owner.id if plan.owner else None,
                    plan.reached,
                    plan.steps[-1].entered_at if plan.steps else plan.arrived,
                    given[-1][0] if given else None,
                    given[0][0] if given else None,
                    plan.last or plan.arrived,
                )
            )

    async def past() -> None:
        async with atomic():
            await leads.settle_many(actor, settled)
            await stages.record_past(actor, pasts, now)
            await assignment_records.record_past(actor, changes)
            await activity_records.insert_later(actor, work)

    await retried(past)


def report(result: Seeded, entity: str, password: str) -> list[str]:
    """What the command prints: figures and the demo logins."""
    lines = [
        f"entity {entity}: {result.leads} demo leads seeded in {result.seconds:.1f} s",
        "leads now: " + ", ".join(f"{k} {v}" for k, v in result.by_status.items()),
        "demo logins (POST /api/auth/login):",
    ]
    for user in [result.floor.manager, *result.floor.reps]:
        made = user.email in result.floor.created
        secret = password if made else "(made by an earlier run: its password unchanged)"
        lines.append(f"  {RoleId(user.role_id).label:<10} {user.email}  {secret}")
    return lines
