"""/api/auth: registration, verification, login, tokens, password reset, e-mail change."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from salesmagnet.auth import service
from salesmagnet.auth.guards import MANAGERS, public, requires
from salesmagnet.auth.schemas import (
    EmailChanged,
    EmailChangeIn,
    EmailIn,
    Invite,
    InviteIn,
    InviteListed,
    Login,
    LoginIn,
    OtpIn,
    OtpSent,
    PasswordUpdateIn,
    Profile,
    RefreshIn,
    Registered,
    RegisterIn,
    ResetToken,
    Tokens,
    VerifyOtpIn,
)
from salesmagnet.deps import Deps
from salesmagnet.http import created, ok, parse, parse_query, path_id
from salesmagnet.openapi.document import documented
from salesmagnet.users.schemas import InviteQuery

bp = Blueprint("auth", url_prefix="/api/auth")


def deps(request: Request) -> Deps:
    return request.app.ctx.deps


def client_ip(request: Request) -> str:
    """The client's address: the connection's, or the one a trusted proxy forwarded
    (TRUSTED_PROXIES: uvicorn puts it in the connection's place)."""
    return request.ip or "unknown"


@bp.post("/register")
@documented(Registered, body=RegisterIn, status=201, errors=(409, 429))
@public
async def register(request: Request) -> HTTPResponse:
    """Register with an invitation code; a verification code is mailed."""
    data = await service.register(deps(request), parse(RegisterIn, request))
    return created(data, "User registered successfully. Please check your email for verification.")


@bp.post("/verify-otp")
@documented(body=VerifyOtpIn, errors=(429,))
@public
async def verify_otp(request: Request) -> HTTPResponse:
    """Verify a new account with the mailed code."""
    body = parse(VerifyOtpIn, request)
    await service.verify_registration(deps(request), client_ip(request), body.email, body.otp)
    return ok(message="Account verified successfully")


@bp.post("/resend-otp")
@documented(body=EmailIn, errors=(429,))
@public
async def resend_otp(request: Request) -> HTTPResponse:
    """Mail the verification code again (the same answer whether the account exists or not)."""
    body = parse(EmailIn, request)
    await service.resend_verification(deps(request), client_ip(request), body.email)
    return ok(message=service.GENERIC_SENT)


@bp.post("/login")
@documented(Login, body=LoginIn, errors=(401, 403, 429))
@public
async def login(request: Request) -> HTTPResponse:
    """Sign in: an access token, a refresh token and the profile."""
    return ok(await service.login(deps(request), client_ip(request), parse(LoginIn, request)))


@bp.post("/refresh")
@documented(Tokens, body=RefreshIn, errors=(401,))
@public
async def refresh(request: Request) -> HTTPResponse:
    """Rotate a refresh token into a new pair; a spent one revokes its login."""
    return ok(await service.refresh(deps(request), parse(RefreshIn, request).refresh_token))


@bp.post("/logout")
@documented(body=RefreshIn)
@requires()
async def logout(request: Request) -> HTTPResponse:
    """Sign out: that sign-in's refresh and access tokens (and sockets) end; others go on."""
    await service.logout(request.ctx.actor, parse(RefreshIn, request).refresh_token)
    return ok(message="Signed out")


@bp.post("/logout-all")
@documented()
@requires()
async def logout_all(request: Request) -> HTTPResponse:
    """End every token, refresh token and socket of the caller."""
    await service.logout_everywhere(request.ctx.actor)
    return ok(message="Signed out everywhere")


@bp.get("/me")
@documented(Profile)
@requires()
async def me(request: Request) -> HTTPResponse:
    """The caller's profile and entity."""
    return ok(await service.profile(request.ctx.actor))


@bp.post("/password/request")
@documented(body=EmailIn, errors=(429,))
@public
async def password_request(request: Request) -> HTTPResponse:
    """Mail a password-reset code (the same answer whether the account exists or not)."""
    body = parse(EmailIn, request)
    await service.request_password_reset(deps(request), client_ip(request), body.email)
    return ok(message=service.GENERIC_SENT)


@bp.post("/password/verify-otp")
@documented(ResetToken, body=VerifyOtpIn, errors=(429,))
@public
async def password_verify(request: Request) -> HTTPResponse:
    """Trade the reset code for a 10-minute reset token."""
    body = parse(VerifyOtpIn, request)
    return ok(await service.verify_password_reset(deps(request), client_ip(request), body.email, body.otp))


@bp.post("/password/update")
@documented(body=PasswordUpdateIn, errors=(401,))
@public
async def password_update(request: Request) -> HTTPResponse:
    """Set a new password with the reset token; every session of the user ends."""
    await service.reset_password(deps(request), parse(PasswordUpdateIn, request))
    return ok(message="Password updated successfully")


@bp.post("/email/request")
@documented(OtpSent, body=EmailChangeIn, errors=(403, 409, 429))
@requires()
async def email_request(request: Request) -> HTTPResponse:
    """Mail a code to the caller's new e-mail address; the current password is asked again."""
    body = parse(EmailChangeIn, request)
    data = await service.request_email_change(deps(request), request.ctx.actor, body)
    return ok(data, "A code was sent to the new address")


@bp.post("/email/verify")
@documented(EmailChanged, body=OtpIn, errors=(409, 429))
@requires()
async def email_verify(request: Request) -> HTTPResponse:
    """Confirm the new e-mail address with the mailed code."""
    code = parse(OtpIn, request).otp
    data = await service.confirm_email_change(deps(request), request.ctx.actor, client_ip(request), code)
    return ok(data, "Email updated successfully")


@bp.post("/invites")
@documented(Invite, body=InviteIn, status=201)
@requires(*MANAGERS)
async def invite(request: Request) -> HTTPResponse:
    """Invite a user into the caller's entity (admins; managers for sales_rep and support)."""
    data = await service.create_invite(deps(request), request.ctx.actor, parse(InviteIn, request))
    return created(data, "Invitation created")


@bp.get("/invites")
@documented(list[InviteListed], query=InviteQuery, extra={"total": int, "limit": int, "offset": int})
@requires(*MANAGERS)
async def list_invites(request: Request) -> HTTPResponse:
    """The entity's invitations, newest first (`used=false`: the open ones, unused and not
    expired); never their codes."""
    query = parse_query(InviteQuery, request)
    result = await service.list_invites(request.ctx.actor, query.used, query.offset, query.rows)
    return ok(result.pop("invites"), **result)


@bp.delete("/invites/<invite_id>")
@documented(errors=(409,))
@requires(*MANAGERS)
async def revoke_invite(request: Request, invite_id: str) -> HTTPResponse:
    """Revoke an unused invitation (managers: those for sales_rep and support)."""
    await service.revoke_invite(request.ctx.actor, path_id(invite_id))
    return ok(message="Invitation revoked")
