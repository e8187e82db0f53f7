"""Schema management: `salesmagnet migrate` and the start-up check that refuses a stale database.

MySQL keeps its history as aerich migrations in migrations/models/. aerich writes dialect SQL,
which SQLite cannot run (STACK-NOTES §4), so the embedded database is built by schema generation
and stamped with a fingerprint of that schema: a database made by other code is refused with a
clear message, never used half-migrated.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from aerich import Command
from tortoise.exceptions import OperationalError
from tortoise.utils import get_schema_sql

from models import STATUS_IDS, Entity, EventSequence, LeadStatus, Role, RoleId, SchemaState, StatusName
from salesmagnet import db
from salesmagnet.leads import search
from salesmagnet.tenancy import Actor

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
FINGERPRINT_KEY = "schema_fingerprint"

STATUS_DESCRIPTIONS = {
    StatusName.NEW: "New lead received",
    StatusName.QUALIFIED: "Lead qualified and ready for contact",
    StatusName.CONTACTED: "Initial contact made",
    StatusName.MEETING_SCHEDULED: "Meeting or call scheduled",
    StatusName.PROPOSAL_SENT: "Proposal or quote sent",
    StatusName.NEGOTIATION: "In negotiation phase",
    StatusName.WON: "Lead converted to customer",
    StatusName.LOST: "Lead lost or disqualified",
}
SEED_ENTITIES = {1: "fxcareers", 2: "yamarkets", 3: "nxgmarkets"}


# Data that a migration's SQL cannot compute: the lead search words (salesmagnet.leads.search).
SEARCH_TEXT_MIGRATION = "2_20261124080321_lead_counts_search.py"


async def _fill_search_text() -> None:
    for entity_id in await Entity.all().values_list("id", flat=True):
        filled = await search.fill_missing(Actor.system(int(entity_id)))  # type: ignore[call-overload]
        if filled:
            log.info("entity %s: search words written for %d lead(s)", entity_id, filled)


class SchemaError(Exception):
    """The database cannot be used by this version of the code."""


def fingerprint() -> str:
    sql = get_schema_sql(db.conn(), safe=False) + ";".join(search.SQLITE_WORD_INDEX)
    return hashlib.sha256(sql.encode()).hexdigest()


def aerich_command(db_url: str) -> Command:
    return Command(tortoise_config=db.tortoise_config(db_url), app=db.APP, location=str(MIGRATIONS_DIR))


async def _table_names() -> set[str]:
    if db.dialect_of_connection() == "sqlite":
        _, rows = await db.conn().execute_query("SELECT name FROM sqlite_master WHERE type='table'")
        return {row["name"] for row in rows}
    _, rows = await db.conn().execute_query(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()"
    )
    return {row["name"] for row in rows}


async def _sqlite_migrate() -> None:
    tables = await _table_names()
    if not tables:
        from tortoise import Tortoise

        await Tortoise.generate_schemas(safe=False)
        for statement in search.SQLITE_WORD_INDEX:
            await db.conn().execute_script(statement)
        await SchemaState.create(key=FINGERPRINT_KEY, value=fingerprint())
        log.info("created the embedded database schema")
        return
    await _sqlite_check(tables)


async def _sqlite_check(tables: set[str] | None = None) -> None:
    tables = tables if tables is not None else await _table_names()
    if "schema_state" not in tables:
        raise SchemaError(
            "The embedded database has no SalesMagnet schema: run `salesmagnet migrate` "
            "(on an empty file) or point DATABASE_URL at another database."
        )
    stamp = await SchemaState.get_or_none(key=FINGERPRINT_KEY)
    if stamp is None or stamp.value != fingerprint():
        raise SchemaError(
            "The embedded SQLite database was made by a different version of SalesMagnet and "
            "cannot be upgraded in place. Back it up and remove the file (then run "
            "`salesmagnet migrate`), or move to MySQL, whose migrations upgrade in place."
        )


async def _mysql_pending(db_url: str) -> list[str]:
    command = aerich_command(db_url)
    await command.init()
    return await command.heads()


async def migrate(db_url: str) -> list[str]:
    """Bring the database to the newest schema and insert reference data. Idempotent."""
    applied: list[str] = []
    if db.dialect(db_url) == "sqlite":
        await _sqlite_migrate()
    else:
        command = aerich_command(db_url)
        await command.init()
        applied = await command.upgrade(run_in_transaction=True)
        if SEARCH_TEXT_MIGRATION in applied:
            await _fill_search_text()
    await seed_reference_data()
    return applied


async def check_current(db_url: str) -> None:
    """Refuse to serve a database that is not at the newest schema."""
    if db.dialect(db_url) == "sqlite":
        await _sqlite_check()
        return
    try:
        pending = await _mysql_pending(db_url)
    except OperationalError as exc:
        raise SchemaError(f"The database is not migrated: run `salesmagnet migrate` ({exc})") from None
    if pending:
        raise SchemaError(
            f"The database is {len(pending)} migration(s) behind ({', '.join(pending)}): "
            "run `salesmagnet migrate`."
        )


async def seed_reference_data() -> None:
    """Roles, the eight statuses and the three seed entities; safe to run again."""
    for role in RoleId:
        await Role.get_or_create(id=int(role), defaults={"name": role.label})
    for status, number in STATUS_IDS.items():
        await LeadStatus.get_or_create(
            id=number, defaults={"name": status.value, "description": STATUS_DESCRIPTIONS[status]}
        )
    for entity_id, name in SEED_ENTITIES.items():
        if await Entity.exists(name=name):
            continue
        if await Entity.exists(id=entity_id):  # the id went to an operator-made entity
            await Entity.create(name=name)
        else:
            await Entity.create(id=entity_id, name=name)
    for entity in await Entity.all():
        await EventSequence.get_or_create(entity_id=entity.id, defaults={"last_seq": 0})
