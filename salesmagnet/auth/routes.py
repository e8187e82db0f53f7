"""/api/auth: registration, verification, login, tokens, password reset, e-mail change."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from salesmagnet.auth import service
from salesmagnet.auth.guards import MANAGERS, public, requires
from salesmagnet.auth.schemas import (
    EmailChangeIn,
    EmailIn,
    InviteIn,
    LoginIn,
    OtpIn,
    PasswordUpdateIn,
    RefreshIn,
    RegisterIn,
    VerifyOtpIn,
)
from salesmagnet.deps import Deps
from salesmagnet.http import created, ok, parse

bp = Blueprint("auth", url_prefix="/api/auth")


def deps(request: Request) -> Deps:
    return request.app.ctx.deps


def client_ip(request: Request) -> str:
    return request.remote_addr or request.ip or "unknown"


@bp.post("/register")
@public
async def register(request: Request) -> HTTPResponse:
    data = await service.register(deps(request), parse(RegisterIn, request))
    return created(data, "User registered successfully. Please check your email for verification.")


@bp.post("/verify-otp")
@public
async def verify_otp(request: Request) -> HTTPResponse:
    body = parse(VerifyOtpIn, request)
    await service.verify_registration(deps(request), client_ip(request), body.email, body.otp)
    return ok(message="Account verified successfully")


@bp.post("/resend-otp")
@public
async def resend_otp(request: Request) -> HTTPResponse:
    body = parse(EmailIn, request)
    await service.resend_verification(deps(request), client_ip(request), body.email)
    return ok(message=service.GENERIC_SENT)


@bp.post("/login")
@public
async def login(request: Request) -> HTTPResponse:
    return ok(await service.login(deps(request), client_ip(request), parse(LoginIn, request)))


@bp.post("/refresh")
@public
async def refresh(request: Request) -> HTTPResponse:
    return ok(await service.refresh(deps(request), parse(RefreshIn, request).refresh_token))


@bp.post("/logout")
@requires()
async def logout(request: Request) -> HTTPResponse:
    await service.logout(request.ctx.actor, parse(RefreshIn, request).refresh_token)
    return ok(message="Signed out")


@bp.post("/logout-all")
@requires()
async def logout_all(request: Request) -> HTTPResponse:
    await service.logout_everywhere(request.ctx.actor)
    return ok(message="Signed out everywhere")


@bp.get("/me")
@requires()
async def me(request: Request) -> HTTPResponse:
    return ok(await service.profile(request.ctx.actor))


@bp.post("/password/request")
@public
async def password_request(request: Request) -> HTTPResponse:
    body = parse(EmailIn, request)
    await service.request_password_reset(deps(request), client_ip(request), body.email)
    return ok(message=service.GENERIC_SENT)


@bp.post("/password/verify-otp")
@public
async def password_verify(request: Request) -> HTTPResponse:
    body = parse(VerifyOtpIn, request)
    return ok(await service.verify_password_reset(deps(request), client_ip(request), body.email, body.otp))


@bp.post("/password/update")
@public
async def password_update(request: Request) -> HTTPResponse:
    await service.reset_password(deps(request), parse(PasswordUpdateIn, request))
    return ok(message="Password updated successfully")


@bp.post("/email/request")
@requires()
async def email_request(request: Request) -> HTTPResponse:
    body = parse(EmailChangeIn, request)
    data = await service.request_email_change(deps(request), request.ctx.actor, body.new_email)
    return ok(data, "A code was sent to the new address")


@bp.post("/email/verify")
@requires()
async def email_verify(request: Request) -> HTTPResponse:
    code = parse(OtpIn, request).otp
    data = await service.confirm_email_change(deps(request), request.ctx.actor, client_ip(request), code)
    return ok(data, "Email updated successfully")


@bp.post("/invites")
@requires(*MANAGERS)
async def invite(request: Request) -> HTTPResponse:
    data = await service.create_invite(deps(request), request.ctx.actor, parse(InviteIn, request))
    return created(data, "Invitation created")
