"""Failure limits: per account and per address, with Retry-After, counted before the check (so
parallel guesses cannot pass them)."""

from __future__ import annotations

import asyncio

import httpx

from tests.auth.test_codes import request_reset, wrong
from tests.factories import PASSWORD, make_entity, make_user
from tests.mailbox import Mailbox


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


async def test_parallel_wrong_logins_are_counted_before_the_hash(client: httpx.AsyncClient) -> None:
    user = await make_user(await make_entity())
    bad = {"email": user.email, "password": "Wrong-pass1"}
    answers = await asyncio.gather(*(client.post("/api/auth/login", json=bad) for _ in range(20)))
    checked = [a for a in answers if a.status_code == 401]
    assert len(checked) == 10  # the account's limit: the other ten never reached the hash
    assert all(a.json()["message"] == "Invalid email or password" for a in checked)
    refused = [a for a in answers if a.status_code == 429]
    assert len(refused) == 10 and all(int(a.headers["Retry-After"]) > 0 for a in refused)
    right = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    assert right.status_code == 429


async def test_parallel_wrong_codes_from_one_address_are_counted_first(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    entity = await make_entity()
    users = [await make_user(entity) for _ in range(10)]
    codes = {u.email: await request_reset(client, mailbox, u.email) for u in users}
    # Four wrong codes for each of ten accounts (below each code's own lock of five): forty
    # guesses from one address, whose limit is thirty.
    guesses = [{"email": email, "otp": wrong(code)} for email, code in codes.items() for _ in range(4)]
    answers = await asyncio.gather(
        *(client.post("/api/auth/password/verify-otp", json=guess) for guess in guesses)
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [400] * 30 + [429] * 10
    assert all("this address" in a.json()["message"] for a in answers if a.status_code == 429)


async def test_parallel_wrong_verification_codes_are_counted_first(client: httpx.AsyncClient) -> None:
    user = await make_user(await make_entity())
    guess = {"email": user.email, "otp": "123456"}
    answers = await asyncio.gather(*(client.post("/api/auth/verify-otp", json=guess) for _ in range(40)))
    assert sorted(a.status_code for a in answers) == [400] * 30 + [429] * 10


async def test_right_passwords_do_not_count_against_the_address(client: httpx.AsyncClient) -> None:
    user = await make_user(await make_entity())
    for _ in range(35):  # an office behind one address: successes are not failures
        ok = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
        assert ok.status_code == 200
    bad = await client.post("/api/auth/login", json={"email": user.email, "password": "Wrong-pass1"})
    assert bad.status_code == 401
