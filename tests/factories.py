"""Async factories: each test makes its own entity and users through the services."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import httpx

from models import Entity, RoleId
from salesmagnet.entities import service as entities
from salesmagnet.tenancy import Actor
from salesmagnet.users import service as users
from salesmagnet.users.schemas import UserCreate

PASSWORD = "S3cure!pass"


@dataclass
class TestUser:
    __test__ = False

    id: int
    email: str
    entity_id: int
    role: RoleId
    token: str = ""
    refresh: str = ""

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def make_entity() -> Entity:
    return await entities.create_entity(f"ent_{secrets.token_hex(5)}")


async def make_user(entity: Entity, role: RoleId = RoleId.SALES_REP, password: str = PASSWORD) -> TestUser:
    tag = secrets.token_hex(5)
    data = UserCreate.model_validate(
        {
            "username": f"u_{tag}",
            "email": f"u_{tag}@example.com",
            "password": password,
            "first_name": "Test",
            "last_name": role.label,
            "role": role,
        }
    )
    user = await users.create_user(Actor.system(entity.id), data)
    return TestUser(id=user["id"], email=user["email"], entity_id=entity.id, role=role)


async def login(client: httpx.AsyncClient, user: TestUser, password: str = PASSWORD) -> TestUser:
    response = await client.post("/api/auth/login", json={"email": user.email, "password": password})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    user.token, user.refresh = data["access_token"], data["refresh_token"]
    return user


async def logged_in(client: httpx.AsyncClient, entity: Entity, role: RoleId = RoleId.SALES_REP) -> TestUser:
    return await login(client, await make_user(entity, role))


def long_email(length: int) -> str:
    """A valid address of `length` characters (an address has at most 254): 64 in its local
    part, the rest in the domain's labels (each at most 63)."""
    local, labels, room = "a" + secrets.token_hex(4) + "x" * 55, [], length - 65 - len(".com")
    while room > 63:
        size = min(62, room - 2)
        labels.append("d" * size)
        room -= size + 1
    return f"{local}@{'.'.join([*labels, 'e' * room])}.com"


async def make_lead(entity: Entity, **fields: Any) -> int:
    """A lead through the service (first stage, lead:new), then moved through the lead gate to
    any status and owner given (counters and events as the product makes them); `created_at`
    back-dates it (seeding only: no flow of the product changes when a lead was created)."""
    from models import Lead
    from salesmagnet.db import atomic
    from salesmagnet.leads import service as leads
    from salesmagnet.leads.schemas import LeadCreate

    status, created_at = fields.pop("status", None), fields.pop("created_at", None)
    owner = fields.pop("assigned_user_id", leads.KEEP)
    fields.setdefault("email", f"lead_{secrets.token_hex(4)}@example.com")
    actor = Actor.system(entity.id)
    lead_id = int((await leads.create_lead(actor, LeadCreate.model_validate(fields)))["id"])
    if status is not None or owner is not leads.KEEP:
        async with atomic():
            await leads.change(actor, lead_id, status=status, owner=owner)
    if created_at is not None:
        await Lead.filter(id=lead_id).update(created_at=created_at)
    return lead_id


async def assert_counts_match() -> None:
    """Every entity's lead counters equal a recount of its leads (COUNT(*) per status, platform
    and owner): whatever a test did to leads went through the gates that keep them."""
    from tortoise.transactions import in_transaction

    async with in_transaction("default") as conn:  # one snapshot: no commit between the reads
        counted = await conn.execute_query_dict(
            "SELECT entity_id, status, platform_key, COALESCE(assigned_user_id, 0) AS owner, COUNT(*) AS n "
            "FROM lead_data GROUP BY entity_id, status, platform_key, COALESCE(assigned_user_id, 0)"
        )
        kept = await conn.execute_query_dict(
            "SELECT entity_id, status, platform_key, owner_id AS owner, count AS n "
            "FROM lead_counts WHERE count <> 0"
        )

    def cells(rows: list[dict[str, Any]]) -> dict[tuple[int, str, str, int], int]:
        return {(r["entity_id"], r["status"], r["platform_key"], int(r["owner"])): int(r["n"]) for r in rows}

    assert cells(kept) == cells(counted), "lead_counts differ from a recount of lead_data"
    await _activity_counts_match()


async def _activity_counts_match() -> None:
    """Every entity's activity counters equal a recount of its activities."""
    from tortoise.transactions import in_transaction

    async with in_transaction("default") as conn:
        counted = await conn.execute_query_dict(
            "SELECT entity_id, user_id, activity_type, status, priority, "
            "CASE WHEN next_follow_up_at IS NULL THEN 0 ELSE 1 END AS dated, COUNT(*) AS n "
            "FROM lead_activities GROUP BY entity_id, user_id, activity_type, status, priority, 6"
        )
        kept = await conn.execute_query_dict(
            "SELECT entity_id, user_id, activity_type, status, priority, dated, count AS n "
            "FROM activity_counts WHERE count <> 0"
        )

    def cells(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], int]:
        keys = ("entity_id", "user_id", "activity_type", "status", "priority", "dated")
        return {tuple(r[k] for k in keys): int(r["n"]) for r in rows}

    assert cells(kept) == cells(counted), "activity_counts differ from a recount of lead_activities"
