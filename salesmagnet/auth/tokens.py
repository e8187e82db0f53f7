"""JWTs (HS256) for access and password reset, opaque refresh tokens, keyed hashes.

Each JWT carries `typ`; a token is accepted only where its type is expected, so a reset token
is never a bearer token and the reverse. `sv` (the user's session version) lets a password
reset end every token issued before it; `sid` (the sign-in: its refresh-token family) lets a
sign-out end the access tokens of that sign-in alone. Tokens issued before `sid` existed carry
none and end only with their session version or expiry.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import jwt

from salesmagnet.db import utcnow
from salesmagnet.errors import Unauthorized

ALGORITHM = "HS256"
ACCESS = "access"
PASSWORD_RESET = "password_reset"  # noqa: S105 - a token type, not a secret
RESET_TTL = timedelta(minutes=10)


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    entity_id: int
    role_id: int
    session_version: int
    sign_in: str | None = None  # the refresh-token family; None in tokens made before it


def encode(secret: str, claims: dict[str, Any], typ: str, ttl: timedelta) -> tuple[str, datetime]:
    now = utcnow()
    expires = now + ttl
    payload = {**claims, "typ": typ, "iat": int(now.timestamp()), "exp": int(expires.timestamp())}
    payload["jti"] = secrets.token_hex(8)
    return jwt.encode(payload, secret, algorithm=ALGORITHM), expires


def decode(secret: str, token: str, typ: str) -> dict[str, Any]:
    """Verified claims of a token of type `typ`, or Unauthorized saying why."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "iat", "typ"]}
        )
    except jwt.ExpiredSignatureError:
        raise Unauthorized("Token expired") from None
    except jwt.PyJWTError:
        raise Unauthorized("Invalid token") from None
    if claims.get("typ") != typ:
        raise Unauthorized("Invalid token")
    return claims


def access_claims(secret: str, token: str) -> AccessClaims:
    """The claims of a valid access token. Verification is remembered per token (a client
    sends the same one with every request until it expires), and expiry checked every time."""
    return access_claims_until(secret, token)[0]


def access_claims_until(secret: str, token: str) -> tuple[AccessClaims, int]:
    """The claims of a valid access token, and when it expires (epoch seconds)."""
    claims, expires = _verified_access(secret, token)
    if expires <= time.time():
        raise Unauthorized("Token expired")
    return claims, expires


@lru_cache(maxsize=4096)
def _verified_access(secret: str, token: str) -> tuple[AccessClaims, int]:
    """Raises (and so remembers nothing) for a token that does not verify."""
    claims = decode(secret, token, ACCESS)
    sign_in = claims.get("sid")
    if sign_in is not None and not isinstance(sign_in, str):
        raise Unauthorized("Invalid token")
    try:
        return AccessClaims(
            user_id=int(claims["user_id"]),
            entity_id=int(claims["entity_id"]),
            role_id=int(claims["role_id"]),
            session_version=int(claims["sv"]),
            sign_in=sign_in,
        ), int(claims["exp"])
    except (KeyError, TypeError, ValueError):
        raise Unauthorized("Invalid token") from None


def new_opaque() -> str:
    return secrets.token_urlsafe(32)


def digest(value: str) -> str:
    """Lookup hash of a high-entropy secret (refresh tokens, invite codes)."""
    return hashlib.sha256(value.encode()).hexdigest()


def keyed_digest(secret: str, *parts: object) -> str:
    """HMAC of low-entropy values (OTP codes): useless without the server key."""
    message = ":".join(str(p) for p in parts).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
