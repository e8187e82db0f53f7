"""OTP brute force, issue limits, password reset and e-mail change, end to end with mail."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx

from models import OtpCode, User
from salesmagnet.auth import service
from salesmagnet.db import utcnow
from tests.conftest import unique
from tests.factories import PASSWORD, TestUser, logged_in, make_entity, make_user
from tests.mailbox import Mailbox


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def move_email(
    client: httpx.AsyncClient, user: TestUser, new_email: str, password: str = PASSWORD
) -> httpx.Response:
    """Ask for a code at `new_email`, typing the password again as the account's owner would."""
    asked = {"new_email": new_email, "current_password": password}
    return await client.post("/api/auth/email/request", json=asked, headers=user.auth)


async def request_reset(client: httpx.AsyncClient, mailbox: Mailbox, email: str) -> str:
    before = len(mailbox.to(email))
    response = await client.post("/api/auth/password/request", json={"email": email})
    assert response.status_code == 200
    return await mailbox.code_for(email, after=before)


async def test_password_reset_flow(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    user = await logged_in(client, await make_entity())
    code = await request_reset(client, mailbox, user.email)
    verified = await client.post("/api/auth/password/verify-otp", json={"email": user.email, "otp": code})
    assert verified.status_code == 200
    reset = verified.json()["data"]["token"]
    body = {"token": reset, "new_password": "Brand-n3w-pass"}
    assert (await client.post("/api/auth/password/update", json=body)).status_code == 200
    # The reset token is spent, old tokens and sessions are over, the new password works.
    assert (await client.post("/api/auth/password/update", json=body)).status_code == 401
    assert (await client.get("/api/auth/me", headers=user.auth)).status_code == 401
    assert (await client.post("/api/auth/refresh", json={"refresh_token": user.refresh})).status_code == 401
    old = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    new = await client.post("/api/auth/login", json={"email": user.email, "password": "Brand-n3w-pass"})
    assert (old.status_code, new.status_code) == (401, 200)


async def test_reset_request_does_not_reveal_accounts(client: httpx.AsyncClient) -> None:
    user = await make_user(await make_entity())
    known = await client.post("/api/auth/password/request", json={"email": user.email})
    unknown = await client.post("/api/auth/password/request", json={"email": "nobody@example.com"})
    assert known.json() == unknown.json()


async def test_brute_force_locks_the_code(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    user = await make_user(await make_entity())
    code = await request_reset(client, mailbox, user.email)
    attempt = {"email": user.email, "otp": wrong(code)}
    answers = [await client.post("/api/auth/password/verify-otp", json=attempt) for _ in range(5)]
    assert [a.status_code for a in answers] == [400, 400, 400, 400, 429]
    assert "Retry-After" in answers[-1].headers
    # Locked: even the right code no longer works.
    right = await client.post("/api/auth/password/verify-otp", json={"email": user.email, "otp": code})
    assert right.status_code == 429


async def test_parallel_guesses_cannot_outrun_the_lock(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    user = await make_user(await make_entity())
    code = await request_reset(client, mailbox, user.email)
    guesses = [f"{n:06d}" for n in range(40) if f"{n:06d}" != code][:30]
    answers = await asyncio.gather(
        *(client.post("/api/auth/password/verify-otp", json={"email": user.email, "otp": g}) for g in guesses)
    )
    assert all(a.status_code in (400, 429) for a in answers)
    row = await OtpCode.filter(user_id=user.id).order_by("-id").first()
    assert row is not None and row.attempts == 5


async def test_expired_code_is_refused(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    user = await make_user(await make_entity())
    code = await request_reset(client, mailbox, user.email)
    await OtpCode.filter(user_id=user.id).update(expires_at=utcnow())
    response = await client.post("/api/auth/password/verify-otp", json={"email": user.email, "otp": code})
    assert response.status_code == 400


async def test_issue_limits(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    user = await logged_in(client, await make_entity())
    first = await move_email(client, user, f"{unique('n')}@example.com")
    assert first.status_code == 200
    soon = await move_email(client, user, f"{unique('n')}@example.com")
    assert soon.status_code == 429 and int(soon.headers["Retry-After"]) > 100
    # Three an hour: move the earlier codes back past the three-minute gap, then count.
    for _ in range(2):
        await OtpCode.filter(user_id=user.id).update(
            created_at=utcnow().replace(microsecond=0) - timedelta(minutes=4)
        )
        again = await move_email(client, user, f"{unique('n')}@example.com")
        assert again.status_code == 200
    await OtpCode.filter(user_id=user.id).update(created_at=utcnow() - timedelta(minutes=4))
    fourth = await move_email(client, user, f"{unique('n')}@example.com")
    assert fourth.status_code == 429


async def test_email_change_flow(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    entity = await make_entity()
    user = await logged_in(client, entity)
    other = await make_user(entity)
    taken = await move_email(client, user, other.email)
    assert taken.status_code == 409
    new = f"{unique('moved')}@example.com"
    response = await move_email(client, user, new)
    assert response.status_code == 200
    code = await mailbox.code_for(new)
    done = await client.post("/api/auth/email/verify", json={"otp": code}, headers=user.auth)
    assert done.status_code == 200
    assert (await User.get(id=user.id)).email == new
    login = await client.post("/api/auth/login", json={"email": new, "password": PASSWORD})
    assert login.status_code == 200
    (notice,) = mailbox.to(user.email)  # the old address is told, and gets no code
    assert new in notice.get_payload(decode=True).decode()


async def test_asking_for_taken_addresses_is_limited(client: httpx.AsyncClient) -> None:
    """Any account could otherwise learn which addresses have an account, in every entity."""
    user = await logged_in(client, await make_entity())
    elsewhere = await make_user(await make_entity())
    codes = []
    for _ in range(service.EMAIL_CHANGE_LIMIT + 1):
        codes.append((await move_email(client, user, elsewhere.email)).status_code)
    assert codes == [409] * service.EMAIL_CHANGE_LIMIT + [429]
    refused = await move_email(client, user, f"{unique('free')}@example.com")
    assert refused.status_code == 429 and refused.json()["success"] is False


async def test_email_change_asks_for_the_password(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    """A stolen access token alone cannot move the account to another address (and with it
    every password reset); guessing the password there is limited like any request."""
    user = await logged_in(client, await make_entity())
    new = f"{unique('thief')}@example.com"
    missing = await client.post("/api/auth/email/request", json={"new_email": new}, headers=user.auth)
    assert missing.status_code == 400 and "current_password" in missing.json()["message"]
    guesses = [
        (await move_email(client, user, new, "guess-" + str(n))).status_code
        for n in range(service.EMAIL_CHANGE_LIMIT)
    ]
    assert guesses == [403] * service.EMAIL_CHANGE_LIMIT
    assert (await move_email(client, user, new)).status_code == 429
    await asyncio.sleep(0.2)
    assert mailbox.to(new) == [] and (await User.get(id=user.id)).email == user.email
