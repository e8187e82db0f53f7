"""Invitation → registration → OTP by mail → verification → login, over HTTP."""

from __future__ import annotations

from datetime import timedelta

import httpx

from models import Invite, RoleId, User
from salesmagnet.db import utcnow
from tests.conftest import unique
from tests.factories import PASSWORD, logged_in, make_entity
from tests.mailbox import Mailbox


async def invite(
    client: httpx.AsyncClient, inviter_auth: dict[str, str], role: str, email: str | None = None
) -> str:
    response = await client.post(
        "/api/auth/invites", json={"role": role, "email": email}, headers=inviter_auth
    )
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["invite_code"])


def signup(code: str, email: str, **extra: object) -> dict[str, object]:
    return {
        "invite_code": code,
        "username": email.split("@")[0],
        "email": email,
        "password": PASSWORD,
        "first_name": "Rita",
        "last_name": "Rep",
        **extra,
    }


async def test_full_registration_flow(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    email = f"{unique('rita')}@example.com"
    code = await invite(client, admin.auth, "sales_rep")

    # A body naming another role and entity changes nothing: the invitation decides.
    response = await client.post("/api/auth/register", json=signup(code, email, role_id=1, entity_id=2))
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert (data["entity_id"], data["role"], data["otp_sent"]) == (entity.id, "sales_rep", True)

    login = {"email": email, "password": PASSWORD}
    refused = await client.post("/api/auth/login", json=login)
    assert refused.status_code == 403 and "not verified" in refused.json()["message"]

    otp = await mailbox.code_for(email)
    stored = await User.get(email=email)
    assert otp not in str(await stored.otp_codes.all().values_list("code_hash", flat=True))
    verified = await client.post("/api/auth/verify-otp", json={"email": email, "otp": otp})
    assert verified.status_code == 200, verified.text
    assert verified.json() == {"success": True, "data": None, "message": "Account verified successfully"}

    response = await client.post("/api/auth/login", json=login)
    assert response.status_code == 200
    user = response.json()["data"]["user"]
    assert (user["role"], user["entity"]["id"]) == ("sales_rep", entity.id)


async def test_invitation_is_single_use(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    code = await invite(client, admin.auth, "support")
    first = await client.post("/api/auth/register", json=signup(code, f"{unique('a')}@example.com"))
    second = await client.post("/api/auth/register", json=signup(code, f"{unique('b')}@example.com"))
    assert first.status_code == 201
    assert second.status_code == 400 and "invitation" in second.json()["message"]


async def test_registration_needs_a_valid_invitation(client: httpx.AsyncClient) -> None:
    email = f"{unique('x')}@example.com"
    missing = await client.post(
        "/api/auth/register", json={k: v for k, v in signup("", email).items() if k != "invite_code"}
    )
    assert missing.status_code == 400
    assert any(e["field"] == "invite_code" for e in missing.json()["errors"])
    forged = await client.post("/api/auth/register", json=signup("not-a-real-code-at-all", email))
    assert forged.status_code == 400
    assert not await User.exists(email=email)


async def test_expired_and_addressed_invitations(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    addressed = await invite(client, admin.auth, "sales_rep", "only.me@example.com")
    other = await client.post("/api/auth/register", json=signup(addressed, f"{unique('c')}@example.com"))
    assert other.status_code == 400 and "another e-mail" in other.json()["message"]

    code = await invite(client, admin.auth, "sales_rep")
    await Invite.filter(entity_id=entity.id, used_at=None, email=None).update(expires_at=utcnow())
    late = await client.post("/api/auth/register", json=signup(code, f"{unique('d')}@example.com"))
    assert late.status_code == 400


async def test_managers_invite_only_staff(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await logged_in(client, entity, RoleId.SALES_REP)
    for role in ("admin", "manager", 1):
        response = await client.post("/api/auth/invites", json={"role": role}, headers=manager.auth)
        assert response.status_code == 403
    assert (
        await client.post("/api/auth/invites", json={"role": "support"}, headers=manager.auth)
    ).status_code == 201
    assert (
        await client.post("/api/auth/invites", json={"role": "support"}, headers=rep.auth)
    ).status_code == 403
    bad = await client.post("/api/auth/invites", json={"role": "emperor"}, headers=manager.auth)
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "role"


async def test_duplicate_email_is_a_conflict(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    code = await invite(client, admin.auth, "sales_rep")
    taken = await client.post("/api/auth/register", json=signup(code, admin.email.upper()))
    assert taken.status_code == 409


async def test_resend_verification_code(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    email = f"{unique('r')}@example.com"
    await client.post("/api/auth/register", json=signup(await invite(client, admin.auth, "sales_rep"), email))
    first = await mailbox.code_for(email)
    # Within three minutes no new code is issued, and the answer does not say so.
    again = await client.post("/api/auth/resend-otp", json={"email": email})
    assert again.status_code == 200 and len(mailbox.to(email)) == 1
    unknown = await client.post("/api/auth/resend-otp", json={"email": "nobody@example.com"})
    assert unknown.json() == again.json()
    ok = await client.post("/api/auth/verify-otp", json={"email": email, "otp": first})
    assert ok.status_code == 200


async def test_an_invitation_ends_with_its_senders_right_to_invite(client: httpx.AsyncClient) -> None:
    """An invitation made by an admin registers nobody once that admin is deactivated, nor one
    made by a manager once the manager is made a sales rep; an admin's invitation for a rep
    still works after the admin becomes a manager (a manager may invite reps)."""
    entity = await make_entity()
    owner = await logged_in(client, entity, RoleId.ADMIN)
    admin = await logged_in(client, entity, RoleId.ADMIN)
    manager = await logged_in(client, entity, RoleId.MANAGER)
    by_admin = await invite(client, admin.auth, "manager")
    by_admin_for_rep = await invite(client, admin.auth, "sales_rep")
    by_manager = await invite(client, manager.auth, "support")

    demote = {"role": "sales_rep"}
    assert (
        await client.patch(f"/api/auth/users/{manager.id}/role", json=demote, headers=owner.auth)
    ).status_code == 200
    refused = await client.post("/api/auth/register", json=signup(by_manager, f"{unique('m')}@example.com"))
    assert refused.status_code == 400, refused.text
    assert refused.json()["message"].startswith("This invitation is no longer valid")
    assert refused.json()["errors"][0]["field"] == "invite_code"

    to_manager = {"role": "manager"}
    assert (
        await client.patch(f"/api/auth/users/{admin.id}/role", json=to_manager, headers=owner.auth)
    ).status_code == 200
    for_manager = await client.post("/api/auth/register", json=signup(by_admin, f"{unique('a')}@example.com"))
    assert for_manager.status_code == 400  # a manager may not invite managers
    rep = await client.post("/api/auth/register", json=signup(by_admin_for_rep, f"{unique('r')}@example.com"))
    assert rep.status_code == 201, rep.text

    again = await invite(client, owner.auth, "support")
    successor = await logged_in(client, entity, RoleId.ADMIN)
    assert (await client.delete(f"/api/auth/users/{owner.id}", headers=successor.auth)).status_code == 200
    gone = await client.post("/api/auth/register", json=signup(again, f"{unique('d')}@example.com"))
    assert gone.status_code == 400 and "no longer valid" in gone.json()["message"]
    assert await Invite.filter(entity_id=entity.id, used_at__isnull=False).count() == 1  # none spent


async def test_invitations_are_listed_without_their_codes(client: httpx.AsyncClient) -> None:
    entity, other = await make_entity(), await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    manager = await logged_in(client, entity, RoleId.MANAGER)
    rep = await logged_in(client, entity)
    stranger = await logged_in(client, other, RoleId.ADMIN)
    codes = [
        await invite(client, admin.auth, "manager", f"{unique('m')}@example.com"),
        await invite(client, manager.auth, "support"),
        await invite(client, admin.auth, "sales_rep"),
    ]
    await invite(client, stranger.auth, "support")
    used = await client.post("/api/auth/register", json=signup(codes[2], f"{unique('u')}@example.com"))
    assert used.status_code == 201

    for caller in (admin, manager):
        listed = await client.get("/api/auth/invites", params={"limit": 2}, headers=caller.auth)
        assert listed.status_code == 200, listed.text
        body = listed.json()
        assert (body["total"], body["limit"], body["offset"], len(body["data"])) == (3, 2, 0, 2)
        for code in codes:
            assert code not in listed.text
        newest = body["data"][0]
        assert (newest["role"], newest["used"], newest["used_by"]) == (
            "sales_rep",
            True,
            used.json()["data"]["user_id"],
        )
        assert (body["data"][1]["role"], body["data"][1]["created_by"], body["data"][1]["used"]) == (
            "support",
            manager.id,
            False,
        )
        assert "invite_code" not in newest and "code_hash" not in newest
    open_ones = (await client.get("/api/auth/invites", params={"used": "false"}, headers=admin.auth)).json()
    assert [i["role"] for i in open_ones["data"]] == ["support", "manager"] and open_ones["total"] == 2
    assert not any(i["expired"] for i in open_ones["data"])
    # One that expired unused registers nobody: not open any more, listed as expired.
    await Invite.filter(entity_id=entity.id, role_id=RoleId.MANAGER).update(
        expires_at=utcnow() - timedelta(minutes=1)
    )
    open_ones = (await client.get("/api/auth/invites", params={"used": "false"}, headers=admin.auth)).json()
    assert [i["role"] for i in open_ones["data"]] == ["support"] and open_ones["total"] == 1
    every = (await client.get("/api/auth/invites", headers=admin.auth)).json()["data"]
    assert [(i["role"], i["expired"]) for i in every] == [
        ("sales_rep", False),
        ("support", False),
        ("manager", True),
    ]
    assert (await client.get("/api/auth/invites", headers=rep.auth)).status_code == 403
    assert (
        await client.get("/api/auth/invites", params={"limit": -1}, headers=admin.auth)
    ).status_code == 400


async def test_revoking_invitations(client: httpx.AsyncClient) -> None:
    entity, other = await make_entity(), await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    manager = await logged_in(client, entity, RoleId.MANAGER)
    stranger = await logged_in(client, other, RoleId.ADMIN)
    for_manager = await invite(client, admin.auth, "manager")
    for_support = await invite(client, admin.auth, "support")
    spent = await invite(client, admin.auth, "sales_rep")
    assert (
        await client.post("/api/auth/register", json=signup(spent, f"{unique('s')}@example.com"))
    ).status_code == 201
    ids = {
        i["role"]: i["id"] for i in (await client.get("/api/auth/invites", headers=admin.auth)).json()["data"]
    }

    assert (
        await client.delete(f"/api/auth/invites/{ids['manager']}", headers=manager.auth)
    ).status_code == 403
    assert (
        await client.delete(f"/api/auth/invites/{ids['support']}", headers=stranger.auth)
    ).status_code == 404
    revoked = await client.delete(f"/api/auth/invites/{ids['support']}", headers=manager.auth)
    assert revoked.status_code == 200 and revoked.json()["message"] == "Invitation revoked"
    assert (await client.delete(f"/api/auth/invites/{ids['support']}", headers=admin.auth)).status_code == 404
    assert (
        await client.delete(f"/api/auth/invites/{ids['sales_rep']}", headers=admin.auth)
    ).status_code == 409
    assert (await client.delete(f"/api/auth/invites/{ids['manager']}", headers=admin.auth)).status_code == 200
    for code in (for_manager, for_support):
        gone = await client.post("/api/auth/register", json=signup(code, f"{unique('g')}@example.com"))
        assert gone.status_code == 400
    remaining = (await client.get("/api/auth/invites", headers=admin.auth)).json()
    assert [i["role"] for i in remaining["data"]] == ["sales_rep"] and remaining["total"] == 1
    assert (await client.delete("/api/auth/invites/abc", headers=admin.auth)).status_code == 400


async def test_the_invitation_list_and_revocation_are_documented(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert {"get", "post"} <= set(paths["/api/auth/invites"])
    listed = paths["/api/auth/invites"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert "invite_code" not in str(listed) and "total" in str(listed)
    assert "delete" in paths["/api/auth/invites/{invite_id}"]
