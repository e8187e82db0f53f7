"""Accounts: registration by invitation, OTP verification, login, token rotation, resets."""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from models import Entity, Invite, OtpPurpose, RefreshToken, RoleId, User
from salesmagnet import ratelimit
from salesmagnet.auth import accounts, identity, otp, passwords, sessions, tokens
from salesmagnet.auth.schemas import (
    EmailChangeIn,
    InviteIn,
    LoginIn,
    PasswordUpdateIn,
    RegisterIn,
    UserOut,
)
from salesmagnet.db import atomic, iso, utcnow
from salesmagnet.deps import Deps
from salesmagnet.errors import BadRequest, Conflict, Forbidden, TooManyRequests, Unauthorized
from salesmagnet.tenancy import Actor, create, get_owned, scoped

log = logging.getLogger(__name__)

FAILURE_WINDOW = 15 * 60
LOGIN_ACCOUNT_LIMIT = 10
ADDRESS_LIMIT = 30
EMAIL_CHANGE_LIMIT = 10  # e-mail change requests a user may make in FAILURE_WINDOW
INVITE_TTL = timedelta(days=7)
GENERIC_SENT = "If the address belongs to an account, a code has been sent to it."
SUBJECTS = {
    OtpPurpose.VERIFICATION: "SalesMagnet: verify your e-mail address",
    OtpPurpose.PASSWORD_RESET: "SalesMagnet: your password reset code",
    OtpPurpose.EMAIL_UPDATE: "SalesMagnet: confirm your new e-mail address",
}


def _owner(row: User | Invite) -> Actor:
    """The system actor of a row's entity: identity flows know the row before any actor."""
    return Actor.system(row.entity_id)


@dataclass(frozen=True)
class Session:
    access_token: str
    refresh_token: str


async def actor_for_token(secret: str, token: str) -> Actor:
    """The Actor of a bearer access token. The user row is re-read every time (one primary-key
    read), so deactivation, role changes, password resets and a sign-out of the token's own
    sign-in take effect at once."""
    claims = tokens.access_claims(secret, token)
    row = await identity.auth_row(claims.user_id, claims.sign_in)
    if row is None or not row["is_active"]:
        raise Unauthorized("User not found or account is inactive")
    if row["session_version"] != claims.session_version or row.get("signed_out"):
        raise Unauthorized("Token revoked")
    if not row["is_verified"]:
        raise Forbidden("Account not verified")
    return Actor(user_id=claims.user_id, entity_id=row["entity_id"], role=RoleId(row["role_id"]))


# -- invitations and registration -------------------------------------------------------


STAFF = (RoleId.SALES_REP, RoleId.SUPPORT)  # the roles a manager may invite and manage


def may_invite(inviter: RoleId, role: RoleId) -> bool:
    """Admins invite (and manage) any role, managers sales reps and support (CONTRACT.md §5)."""
    return inviter == RoleId.ADMIN or (inviter == RoleId.MANAGER and role in STAFF)


async def create_invite(deps: Deps, actor: Actor, data: InviteIn) -> dict[str, Any]:
    """An invitation to the actor's entity; managers may invite sales reps and support only."""
    role: RoleId = data.role
    if not may_invite(actor.role, role):
        raise Forbidden("Managers can invite sales reps and support users only")
    code = secrets.token_urlsafe(18)
    invite = await create(
        Invite,
        actor,
        role_id=int(role),
        code_hash=tokens.digest(code),
        email=data.email,
        created_by_id=actor.user_id,
        expires_at=utcnow() + INVITE_TTL,
    )
    return {
        "invite_code": code,
        "entity_id": actor.entity_id,
        "role": role.label,
        "email": data.email,
        "expires_at": iso(invite.expires_at),
    }


async def list_invites(actor: Actor, used: bool | None, offset: int, limit: int) -> dict[str, Any]:
    """The entity's invitations (with `used`, only the used ones or the open ones: unused and
    not expired), newest first, with the total of all matches; never a code."""
    qs = scoped(Invite, actor)
    if used:
        qs = qs.filter(used_at__isnull=False)
    elif used is not None:
        qs = qs.filter(used_at__isnull=True, expires_at__gt=utcnow())
    total = await qs.count()
    rows = await qs.order_by("-id").offset(offset).limit(limit)
    return {"invites": [_listed(i) for i in rows], "total": total, "limit": limit, "offset": offset}


def _listed(invite: Invite) -> dict[str, Any]:
    return {
        "id": invite.id,
        "role": RoleId(invite.role_id).label,
        "email": invite.email,
        "created_by": invite.created_by_id,
        "created_at": iso(invite.created_at),
        "expires_at": iso(invite.expires_at),
        "expired": invite.used_at is None and invite.expires_at <= utcnow(),
        "used": invite.used_at is not None,
        "used_at": iso(invite.used_at),
        "used_by": invite.used_by_id,
    }


async def revoke_invite(actor: Actor, invite_id: int) -> None:
    """Delete an unused invitation of the entity (managers: those for sales reps and support);
    a used one stays, as the record of who invited whom."""
    invite = await get_owned(Invite, actor, invite_id, "Invitation")
    if not may_invite(actor.role, RoleId(invite.role_id)):
        raise Forbidden("Managers can revoke invitations for sales reps and support users only")
    if not await scoped(Invite, actor, id=invite.id, used_at=None).delete():
        raise Conflict("This invitation was used already; the user it made is managed under /api/auth/users")


async def register(deps: Deps, data: RegisterIn) -> dict[str, Any]:
    """A new unverified user in the invitation's entity and role; mails a verification code."""
    invite = await identity.invite_by_code_hash(tokens.digest(data.invite_code))
    now = utcnow()
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        raise BadRequest("Invalid or expired invitation")
    if invite.email and invite.email != data.email:
        raise BadRequest("This invitation is for another e-mail address")
    await _inviter_still_may(invite)  # told before the slow hash; checked again under lock
    password_hash = await accounts.hash_for(data)
    async with atomic():
        user = await _create_user(data, password_hash, invite)
        issued = await otp.issue(deps.settings.jwt_secret, user, OtpPurpose.VERIFICATION, user.email)
    sent = await _mail_code(deps, user.email, OtpPurpose.VERIFICATION, issued)
    return {
        "user_id": user.id,
        "username": user.username,
        "email": user.email,
        "entity_id": user.entity_id,
        "role": RoleId(user.role_id).label,
        "otp_sent": sent,
        "otp_expires_at": iso(issued.expires_at),
    }


async def _inviter_still_may(invite: Invite, lock: bool = False) -> None:
    """An invitation is only as good as its sender's right to invite: one whose sender was
    deactivated, or no longer holds a role that may invite its role, registers nobody. With
    `lock`, the sender's row stays locked until commit (a demotion waits for the registration,
    or the registration sees it)."""
    found = scoped(User, _owner(invite), id=invite.created_by_id)
    inviter = await (found.select_for_update() if lock else found).first()
    if (
        inviter is None
        or not inviter.is_active
        or not may_invite(RoleId(inviter.role_id), RoleId(invite.role_id))
    ):
        raise BadRequest(
            "This invitation is no longer valid: its sender can no longer invite this role",
            errors=[{"field": "invite_code", "message": "no longer valid"}],
        )


async def _create_user(data: RegisterIn, password_hash: str, invite: Invite) -> User:
    await _inviter_still_may(invite, lock=True)
    claimed = await scoped(Invite, _owner(invite), id=invite.id, used_at=None).update(used_at=utcnow())
    if not claimed:
        raise BadRequest("Invalid or expired invitation")
    user = await accounts.insert(
        data, password_hash, invite.entity_id, RoleId(invite.role_id), verified=False
    )
    await scoped(Invite, _owner(invite), id=invite.id).update(used_by_id=user.id)
    return user


async def _mail_code(deps: Deps, to: str, purpose: OtpPurpose, issued: otp.Issued) -> bool:
    body = (
        f"Your SalesMagnet code is {issued.code}.\n\n"
        "It expires in 5 minutes. If you did not ask for it, ignore this mail."
    )
    return await deps.mailer.send(to, SUBJECTS[purpose], body)


async def _check_code(deps: Deps, ip: str, user_id: int | None, purpose: OtpPurpose, code: str) -> Any:
    """Spend a code; failures count against the caller's address as well as the code."""
    key = f"otp:ip:{ip}"
    message = "Too many failed codes from this address"
    await ratelimit.acquire(deps.limiter, {key: ADDRESS_LIMIT}, FAILURE_WINDOW, message)
    if user_id is None:
        raise BadRequest(otp.INVALID)
    row = await otp.consume(deps.settings.jwt_secret, user_id, purpose, code)
    await deps.limiter.release(key)  # a right code is no failure
    return row


async def verify_registration(deps: Deps, ip: str, email: str, code: str) -> None:
    user = await identity.user_by_email(email)
    await _check_code(deps, ip, user.id if user else None, OtpPurpose.VERIFICATION, code)
    assert user is not None
    await scoped(User, _owner(user), id=user.id).update(is_verified=True, updated_at=utcnow())


async def resend_verification(deps: Deps, ip: str, email: str) -> None:
    """Mail a fresh verification code to an unverified account; silent otherwise."""
    await _count_request(deps, ip)
    user = await identity.user_by_email(email)
    if user is None or user.is_verified or not user.is_active:
        return
    await _issue_quietly(deps, user, OtpPurpose.VERIFICATION, user.email)


async def _count_request(deps: Deps, ip: str) -> None:
    key = f"otp-request:ip:{ip}"
    message = "Too many code requests from this address"
    await ratelimit.acquire(deps.limiter, {key: ADDRESS_LIMIT}, FAILURE_WINDOW, message)


async def _issue_quietly(deps: Deps, user: User, purpose: OtpPurpose, email: str) -> None:
    """Issue and mail a code; refusals are logged, not told (no account enumeration)."""
    try:
        issued = await otp.issue(deps.settings.jwt_secret, user, purpose, email)
    except TooManyRequests:
        log.info("code for user %s (%s) not issued: issue limit", user.id, purpose.value)
        return
    await _mail_code(deps, email, purpose, issued)


# -- login and tokens -------------------------------------------------------------------------


async def login(deps: Deps, ip: str, data: LoginIn) -> dict[str, Any]:
    """Check credentials (rate-limited per account and per address) and open a session."""
    account, address = f"login:acct:{data.email}", f"login:ip:{ip}"
    # Counted before the hash: parallel guesses cannot all pass a limit read before any counts.
    limits = {account: LOGIN_ACCOUNT_LIMIT, address: ADDRESS_LIMIT}
    await ratelimit.acquire(deps.limiter, limits, FAILURE_WINDOW, "Too many failed logins; try again later")
    user = await identity.user_by_email(data.email)
    if not await passwords.verify_password(user.password_hash if user else None, data.password):
        raise Unauthorized("Invalid email or password")
    assert user is not None
    await deps.limiter.reset(account)  # the right password is no failure
    await deps.limiter.release(address)
    if not user.is_active:
        raise Forbidden("Account is inactive")
    if not user.is_verified:
        raise Forbidden("Account not verified")
    await scoped(User, _owner(user), id=user.id).update(last_login_at=utcnow())
    entity = await Entity.get(id=user.entity_id)
    session = await _open_session(deps, user, entity, family=str(uuid.uuid4()))
    return _session_body(
        deps,
        session,
        {
            **UserOut.model_validate(user).public(),
            "entity": {"id": entity.id, "name": entity.name},
        },
    )


def _session_body(deps: Deps, session: Session, user: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"user": user} if user else {}
    return body | {
        "access_token": session.access_token,
        "token_type": "Bearer",
        "expires_in": deps.settings.jwt_expires_in,
        "refresh_token": session.refresh_token,
        "refresh_expires_in": deps.settings.jwt_refresh_expires_in,
    }


async def _open_session(deps: Deps, user: User, entity: Entity, family: str) -> Session:
    claims = {
        "user_id": user.id,
        "email": user.email,
        "role_id": user.role_id,
        "entity_id": entity.id,
        "entity_name": entity.name,
        "sv": user.session_version,
        "sid": family,  # the sign-in: a sign-out ends its access tokens too
    }
    access, _ = tokens.encode(deps.settings.jwt_secret, claims, tokens.ACCESS, deps.settings.access_ttl)
    refresh = tokens.new_opaque()
    await RefreshToken.create(
        user_id=user.id,
        family=family,
        token_hash=tokens.digest(refresh),
        expires_at=utcnow() + deps.settings.refresh_ttl,
    )
    return Session(access_token=access, refresh_token=refresh)


async def refresh(deps: Deps, presented: str) -> dict[str, Any]:
    """Rotate: spend the presented token for a new pair; a spent token revokes its family."""
    row = await RefreshToken.get_or_none(token_hash=tokens.digest(presented))
    if row is None:
        raise Unauthorized("Invalid refresh token")
    now = utcnow()
    if row.used_at is None and row.revoked_at is not None:  # its session ended (a reuse, a sign-out)
        raise Unauthorized("Refresh token revoked; sign in again")
    if row.used_at is not None:
        await _end_sign_in(row)
        raise Unauthorized("Refresh token already used; the session is revoked, sign in again")
    if row.expires_at <= now:
        raise Unauthorized("Refresh token expired")
    if not await RefreshToken.filter(id=row.id, used_at=None, revoked_at=None).update(used_at=now):
        await _end_sign_in(row)
        raise Unauthorized("Refresh token already used; the session is revoked, sign in again")
    if await RefreshToken.exists(family=row.family, revoked_at__not_isnull=True):
        # Its sign-in ended while the token before it was being rotated (a sign-out between
        # that claim and this token's insert): the sign-in stays ended.
        await _end_sign_in(row)
        raise Unauthorized("Refresh token revoked; sign in again")
    user = await identity.user_by_id(row.user_id)
    if user is None or not user.is_active or not user.is_verified:
        await _end_sign_in(row)
        raise Unauthorized("User not found or account is inactive")
    entity = await Entity.get(id=user.entity_id)
    return _session_body(deps, await _open_session(deps, user, entity, family=row.family))


async def logout(actor: Actor, presented: str) -> None:
    """End the sign-in the refresh token belongs to (only the caller's own): its refresh
    tokens and its access tokens, in every process; the user's other sign-ins go on."""
    row = await RefreshToken.get_or_none(token_hash=tokens.digest(presented), user_id=actor.user_id)
    if row is not None:
        await _end_sign_in(row)


async def _end_sign_in(row: RefreshToken) -> None:
    """Revoke the token's family: its refresh tokens stop, and so do the access tokens naming
    it (`sid`), once every process has forgotten the user's kept row."""
    await RefreshToken.filter(family=row.family, revoked_at=None).update(revoked_at=utcnow())
    await sessions.sign_in_ended(row.user_id, row.family)


async def revoke_all_sessions(user_id: int) -> None:
    await RefreshToken.filter(user_id=user_id, revoked_at=None).update(revoked_at=utcnow())


async def end_sessions(actor: Actor, user_id: int) -> None:
    """Inside the caller's transaction: every access token of the user ends for good (its
    session version moves on, so no later reactivation brings one back) and every refresh
    token is revoked. Call sessions.access_changed after the commit."""
    await scoped(User, actor, id=user_id).update(
        session_version=F("session_version") + 1, updated_at=utcnow()
    )
    await revoke_all_sessions(user_id)


async def logout_everywhere(actor: Actor) -> None:
    """End every session of the caller: tokens, refresh tokens and open sockets."""
    assert actor.user_id is not None
    async with atomic():
        await end_sessions(actor, actor.user_id)
    await sessions.access_changed(actor.user_id)


# -- password reset and e-mail change ---------------------------------------------------------


async def request_password_reset(deps: Deps, ip: str, email: str) -> None:
    await _count_request(deps, ip)
    user = await identity.user_by_email(email)
    if user is None or not user.is_active:
        return
    await _issue_quietly(deps, user, OtpPurpose.PASSWORD_RESET, user.email)


async def verify_password_reset(deps: Deps, ip: str, email: str, code: str) -> dict[str, Any]:
    """Spend a reset code for a 10-minute token that is good only for setting a password."""
    user = await identity.user_by_email(email)
    await _check_code(deps, ip, user.id if user else None, OtpPurpose.PASSWORD_RESET, code)
    assert user is not None
    claims = {"user_id": user.id, "sv": user.session_version}
    token, _ = tokens.encode(deps.settings.jwt_secret, claims, tokens.PASSWORD_RESET, tokens.RESET_TTL)
    return {"token": token, "expires_in": "10m"}


async def reset_password(deps: Deps, data: PasswordUpdateIn) -> None:
    """Set a new password; ends every token and session of the user (the reset token too)."""
    claims = tokens.decode(deps.settings.jwt_secret, data.token, tokens.PASSWORD_RESET)
    user = await identity.user_by_id(int(claims.get("user_id", 0)))
    if user is None or not user.is_active or user.session_version != claims.get("sv"):
        raise Unauthorized("Invalid token")
    password_hash = await passwords.hash_password(data.new_password)
    async with atomic():
        changed = await scoped(User, _owner(user), id=user.id, session_version=user.session_version).update(
            password_hash=password_hash, session_version=user.session_version + 1, updated_at=utcnow()
        )
        if not changed:
            raise Unauthorized("Invalid token")
        await revoke_all_sessions(user.id)
    await sessions.access_changed(user.id)


async def request_email_change(deps: Deps, actor: Actor, data: EmailChangeIn) -> dict[str, Any]:
    """Mail a code to the new address. The password is asked again: a stolen access token
    alone must not move the account (and with it password resets) to another address."""
    # Counted before the password or "in use" is told: else a token could guess the password,
    # or test every address there is.
    key = f"email-change:user:{actor.user_id}"
    message = "Too many e-mail change requests; try again later"
    await ratelimit.acquire(deps.limiter, {key: EMAIL_CHANGE_LIMIT}, FAILURE_WINDOW, message)
    user = await _me(actor)
    if not await passwords.verify_password(user.password_hash, data.current_password):
        raise Forbidden("Current password is incorrect")
    new_email = data.new_email
    if await identity.email_taken(new_email):
        raise Conflict("E-mail address already in use")
    issued = await otp.issue(deps.settings.jwt_secret, user, OtpPurpose.EMAIL_UPDATE, new_email)
    sent = await _mail_code(deps, new_email, OtpPurpose.EMAIL_UPDATE, issued)
    return {"otp_sent": sent, "otp_expires_at": iso(issued.expires_at)}


async def confirm_email_change(deps: Deps, actor: Actor, ip: str, code: str) -> dict[str, Any]:
    """Set the new address; the old one is told (someone holding a stolen session could
    otherwise move the account away unnoticed)."""
    row = await _check_code(deps, ip, actor.user_id, OtpPurpose.EMAIL_UPDATE, code)
    old = (await _me(actor)).email
    try:
        await scoped(User, actor, id=actor.user_id).update(email=row.email, updated_at=utcnow())
    except IntegrityError:
        raise Conflict("E-mail address already in use") from None
    body = (
        f"The e-mail address of your SalesMagnet account was changed to {row.email}.\n\n"
        "If you did not change it, tell your administrator at once."
    )
    await deps.mailer.send(old, "SalesMagnet: your e-mail address was changed", body)
    return {"email": row.email}


async def _me(actor: Actor) -> User:
    user = await identity.user_by_id(actor.user_id or 0)
    if user is None:
        raise Unauthorized("User not found or account is inactive")
    return user


async def profile(actor: Actor) -> dict[str, Any]:
    user = await _me(actor)
    entity = await Entity.get(id=user.entity_id)
    return {**UserOut.model_validate(user).public(), "entity": {"id": entity.id, "name": entity.name}}
