"""An admin administers its own entity and sees no other."""

from __future__ import annotations

import httpx

from models import RoleId
from tests.factories import logged_in, make_entity


async def test_sees_only_its_own_entity(client: httpx.AsyncClient) -> None:
    mine, other = await make_entity(), await make_entity()
    admin = await logged_in(client, mine, RoleId.ADMIN)
    listed = await client.get("/api/entities", headers=admin.auth)
    assert [e["id"] for e in listed.json()["data"]] == [mine.id]
    assert (await client.get(f"/api/entities/{mine.id}", headers=admin.auth)).status_code == 200
    assert (await client.get(f"/api/entities/{other.id}", headers=admin.auth)).status_code == 404
    assert (await client.get(f"/api/entities/name/{mine.name}", headers=admin.auth)).status_code == 200
    assert (await client.get(f"/api/entities/name/{other.name}", headers=admin.auth)).status_code == 404
    put = await client.put(f"/api/entities/{other.id}", json={"name": "hijacked"}, headers=admin.auth)
    assert put.status_code == 404


async def test_settings_update_merges(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    first = {"settings": {"sla_hours": {"new": 2}, "timezone": "Europe/London"}}
    response = await client.put(f"/api/entities/{entity.id}", json=first, headers=admin.auth)
    assert response.status_code == 200
    settings = response.json()["data"]["settings"]
    assert settings["sla_hours"]["new"] == 2 and settings["sla_hours"]["qualified"] == 24
    second = {"settings": {"sla_hours": {"contacted": 8}, "auto_assignment": "round_robin"}}
    settings = (await client.put(f"/api/entities/{entity.id}", json=second, headers=admin.auth)).json()[
        "data"
    ]["settings"]
    assert (settings["sla_hours"]["new"], settings["sla_hours"]["contacted"]) == (2, 8)
    assert (settings["timezone"], settings["auto_assignment"]) == ("Europe/London", "round_robin")


async def test_bad_settings_are_named(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    bad = {
        "settings": {
            "sla_hours": {"won": 3, "limbo": 1},
            "timezone": "Mars/Olympus",
            "auto_assignment": "dice",
        }
    }
    response = await client.put(f"/api/entities/{entity.id}", json=bad, headers=admin.auth)
    assert response.status_code == 400
    fields = " ".join(e["field"] for e in response.json()["errors"])
    assert "timezone" in fields and "auto_assignment" in fields and "sla_hours" in fields


async def test_rename_conflict_and_roles(client: httpx.AsyncClient) -> None:
    entity, other = await make_entity(), await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    manager = await logged_in(client, entity, RoleId.MANAGER)
    clash = await client.put(f"/api/entities/{entity.id}", json={"name": other.name}, headers=admin.auth)
    assert clash.status_code == 409
    # nor in other case (operator commands find entities by name), on SQLite as on MariaDB
    shouted = {"name": other.name.upper()}
    assert (
        await client.put(f"/api/entities/{entity.id}", json=shouted, headers=admin.auth)
    ).status_code == 409
    own = {"name": entity.name.upper()}  # its own name in other case is no clash
    assert (await client.put(f"/api/entities/{entity.id}", json=own, headers=admin.auth)).status_code == 200
    denied = await client.put(f"/api/entities/{entity.id}", json={"name": "mine_now"}, headers=manager.auth)
    assert denied.status_code == 403
    assert (await client.get(f"/api/entities/{entity.id}", headers=manager.auth)).status_code == 200
    assert (
        await client.post("/api/entities", json={"name": "new_one"}, headers=admin.auth)
    ).status_code == 405
