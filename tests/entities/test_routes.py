"""An admin administers its own entity and sees no other."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from models import LeadStage, RoleId
from salesmagnet.db import atomic
from salesmagnet.tenancy import Actor, execute, fetch, own_entity
from tests.conftest import TEST_DB
from tests.factories import logged_in, make_entity, make_lead


async def test_sees_only_its_own_entity(client: httpx.AsyncClient) -> None:
    mine, other = await make_entity(), await make_entity()
    admin = await logged_in(client, mine, RoleId.ADMIN)
    listed = await client.get("/api/entities", headers=admin.auth)
    assert [e["id"] for e in listed.json()["data"]] == [mine.id]
    assert (await client.get(f"/api/entities/{mine.id}", headers=admin.auth)).status_code == 200
    assert (await client.get(f"/api/entities/{other.id}", headers=admin.auth)).status_code == 404
    assert (await client.get(f"/api/entities/name/{mine.name}", headers=admin.auth)).status_code == 200
    assert (await client.get(f"/api/entities/name/{other.name}", headers=admin.auth)).status_code == 404
    # a name in another case is the same entity (names differ in more than case), another's is not
    shouted = await client.get(f"/api/entities/name/{mine.name.upper()}", headers=admin.auth)
    assert shouted.status_code == 200 and shouted.json()["data"]["id"] == mine.id, shouted.text
    theirs = await client.get(f"/api/entities/name/{other.name.upper()}", headers=admin.auth)
    assert theirs.status_code == 404
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


async def test_a_setting_given_beside_settings_is_refused(client: httpx.AsyncClient) -> None:
    """{"timezone": "Asia/Tokyo"} (the setting not inside `settings`) answered 200 "Entity
    updated" and changed nothing; it is a 400 naming the field and where it goes, and an update
    that names nothing to change is a 400 as a user's or a lead's is."""
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    loose = {"timezone": "Asia/Tokyo", "sla_hours": {"new": 2}}
    response = await client.put(f"/api/entities/{entity.id}", json=loose, headers=admin.auth)
    assert response.status_code == 400, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["sla_hours", "timezone"]
    assert "inside settings" in response.json()["errors"][0]["message"]
    nothing = await client.put(f"/api/entities/{entity.id}", json={"id": entity.id}, headers=admin.auth)
    assert nothing.status_code == 400 and nothing.json()["message"].startswith("No valid fields to update")
    read = (await client.get(f"/api/entities/{entity.id}", headers=admin.auth)).json()["data"]
    assert read["settings"]["timezone"] == "UTC" and read["settings"]["sla_hours"]["new"] == 24
    read["settings"]["timezone"] = "Asia/Tokyo"  # what was read, changed and put back
    again = await client.put(f"/api/entities/{entity.id}", json=read, headers=admin.auth)
    assert again.status_code == 200 and again.json()["data"]["settings"]["timezone"] == "Asia/Tokyo"


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


@pytest.mark.parametrize("zone", ["localtime", "Factory", "posixrules", "posix/Europe/Paris", "right/UTC"])
async def test_a_time_zone_of_the_host_is_refused(client: httpx.AsyncClient, zone: str) -> None:
    """zoneinfo also finds names on the host that are no IANA place ("localtime" is the
    machine's own zone): the entity's days would depend on the server it runs on."""
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    response = await client.put(
        f"/api/entities/{entity.id}", json={"settings": {"timezone": zone}}, headers=admin.auth
    )
    assert response.status_code == 400, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["settings.timezone"]
    read = (await client.get(f"/api/entities/{entity.id}", headers=admin.auth)).json()["data"]
    assert read["settings"]["timezone"] == "UTC"
    for fine in ("America/Argentina/Buenos_Aires", "Etc/GMT+5", "UTC", "US/Eastern"):  # links too
        put = await client.put(
            f"/api/entities/{entity.id}", json={"settings": {"timezone": fine}}, headers=admin.auth
        )
        assert put.status_code == 200, put.text


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


@pytest.mark.skipif(TEST_DB != "mysql", reason="deadlocks: MariaDB")
async def test_an_sla_change_picked_as_a_deadlock_victim_is_run_again(client: httpx.AsyncClient) -> None:
    """The SLA change holds the entity and waits for an open stage it re-dates, which another
    transaction (a lead being moved) holds while it asks for the entity: MariaDB rolls the change
    back (1213), and it is run again rather than answered with a 500."""
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    lead_id = await make_lead(entity)
    for _ in range(20):  # the other side weighs more: not the victim
        await make_lead(entity)
    stage = await LeadStage.get(lead_id=lead_id, exited_at=None)
    actor = Actor.system(entity.id)
    holding = asyncio.Event()

    async def crossing() -> None:
        async with atomic():
            await execute(
                actor,
                "UPDATE lead_data SET phone = '1' WHERE entity_id = :entity AND id <> :lead",
                lead=lead_id,
            )
            await fetch(
                actor,
                "SELECT id FROM lead_stages WHERE entity_id = :entity AND id = :id FOR UPDATE",
                id=stage.id,
            )
            holding.set()
            await asyncio.sleep(0.3)  # the change holds the entity and waits for the stage
            await own_entity(actor, lock=True)

    other = asyncio.create_task(crossing())
    await asyncio.wait_for(holding.wait(), 5)
    body = {"settings": {"sla_hours": {"new": 2}}}
    changed = await client.put(f"/api/entities/{entity.id}", json=body, headers=admin.auth)
    await other
    assert changed.status_code == 200, changed.text
    assert changed.json()["data"]["settings"]["sla_hours"]["new"] == 2
    moved = await LeadStage.get(id=stage.id)
    assert moved.sla_due_at is not None and (moved.sla_due_at - moved.entered_at).total_seconds() == 7200
