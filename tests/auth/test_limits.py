"""Failed-login limits: per account and per address, with Retry-After."""

from __future__ import annotations

import httpx

from tests.factories import PASSWORD, make_entity, make_user


async def test_account_locks_after_ten_failures(client: httpx.AsyncClient) -> None:
    user = await make_user(await make_entity())
    bad = {"email": user.email, "password": "Wrong-pass1"}
    codes = [(await client.post("/api/auth/login", json=bad)).status_code for _ in range(11)]
    assert codes == [401] * 10 + [429]
    right = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    assert right.status_code == 429
    assert 0 < int(right.headers["Retry-After"]) <= 900


async def test_address_locks_after_thirty_failures(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    users = [await make_user(entity) for _ in range(4)]
    codes = []
    for n in range(31):
        target = users[n % 4]
        codes.append(
            (
                await client.post("/api/auth/login", json={"email": target.email, "password": "Nope-nope1"})
            ).status_code
        )
    assert codes[:30] == [401] * 30 and codes[30] == 429
    fresh = await make_user(entity)
    blocked = await client.post("/api/auth/login", json={"email": fresh.email, "password": PASSWORD})
    assert blocked.status_code == 429


async def test_unknown_and_known_accounts_fail_alike(client: httpx.AsyncClient) -> None:
    user = await make_user(await make_entity())
    known = await client.post("/api/auth/login", json={"email": user.email, "password": "Wrong-pass1"})
    unknown = await client.post(
        "/api/auth/login", json={"email": "ghost@example.com", "password": "Wrong-pass1"}
    )
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
