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


async def make_lead(entity: Entity, **fields: Any) -> int:
    """A lead through the service (first stage, lead:new), then any status/owner/time given."""
    from models import Lead
    from salesmagnet.leads import counts as lead_counts
    from salesmagnet.leads import service as leads
    from salesmagnet.leads.schemas import LeadCreate

    later = {k: fields.pop(k) for k in ("status", "assigned_user_id", "created_at") if k in fields}
    fields.setdefault("email", f"lead_{secrets.token_hex(4)}@example.com")
    lead = await leads.create_lead(Actor.system(entity.id), LeadCreate.model_validate(fields))
    if later:  # seeding a state the stage workflow would reach; the counters are recounted
        await Lead.filter(id=lead["id"]).update(**later)
        await lead_counts.rebuild(Actor.system(entity.id))
    return int(lead["id"])
