"""One-time codes: 6 digits from a CSPRNG, stored as a keyed hash, 5 minutes, newest only.

Issue limits per user and purpose: 3 an hour, 3 minutes apart. Verification allows 5 wrong
codes, then the code is locked and a new one must be requested.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from tortoise.expressions import F

from models import OtpCode, OtpPurpose, User
from salesmagnet.auth import tokens
from salesmagnet.db import utcnow
from salesmagnet.errors import BadRequest, TooManyRequests

TTL = timedelta(minutes=5)
PER_HOUR = 3
GAP = timedelta(minutes=3)
MAX_ATTEMPTS = 5
INVALID = "Invalid or expired OTP"


@dataclass(frozen=True)
class Issued:
    code: str
    expires_at: datetime


def _hash(secret: str, user_id: int, purpose: OtpPurpose, code: str) -> str:
    return tokens.keyed_digest(secret, "otp", user_id, purpose.value, code)


async def wait_before_issue(user_id: int, purpose: OtpPurpose) -> int:
    """Seconds until another code may be issued (0: now)."""
    now = utcnow()
    rows = (
        await OtpCode.filter(user_id=user_id, purpose=purpose, created_at__gte=now - timedelta(hours=1))
        .order_by("-created_at")
        .values_list("created_at", flat=True)
    )
    recent = [cast(datetime, row) for row in rows]  # flat values_list: one datetime a row
    waits = [0.0]
    if len(recent) >= PER_HOUR:
        waits.append((recent[PER_HOUR - 1] + timedelta(hours=1) - now).total_seconds())
    if recent:
        waits.append((recent[0] + GAP - now).total_seconds())
    return max(0, int(max(waits) + 0.999))


async def issue(secret: str, user: User, purpose: OtpPurpose, email: str) -> Issued:
    """A new code (older live codes of the purpose are superseded), or TooManyRequests."""
    wait = await wait_before_issue(user.id, purpose)
    if wait:
        raise TooManyRequests(
            "Too many codes requested: at most 3 an hour, 3 minutes apart", retry_after=wait
        )
    now = utcnow()
    code = f"{secrets.randbelow(1_000_000):06d}"
    await OtpCode.filter(user_id=user.id, purpose=purpose, consumed_at=None).update(consumed_at=now)
    row = await OtpCode.create(
        user_id=user.id,
        purpose=purpose,
        email=email,
        code_hash=_hash(secret, user.id, purpose, code),
        expires_at=now + TTL,
    )
    return Issued(code=code, expires_at=row.expires_at)


async def consume(secret: str, user_id: int, purpose: OtpPurpose, code: str) -> OtpCode:
    """Spend the newest live code if `code` matches; counts and locks wrong attempts."""
    now = utcnow()
    row = (
        await OtpCode.filter(user_id=user_id, purpose=purpose, consumed_at=None)
        .order_by("-created_at")
        .first()
    )
    if row is None or row.expires_at <= now:
        raise BadRequest(INVALID)
    # Reserve the attempt before comparing, so parallel guesses cannot outrun the lock.
    reserved = await OtpCode.filter(id=row.id, consumed_at=None, attempts__lt=MAX_ATTEMPTS).update(
        attempts=F("attempts") + 1
    )
    if not reserved:
        raise _locked(row, now)
    if not tokens.same(row.code_hash, _hash(secret, user_id, purpose, code)):
        if row.attempts + 1 >= MAX_ATTEMPTS:
            raise _locked(row, now)
        raise BadRequest(INVALID)
    spent = await OtpCode.filter(id=row.id, consumed_at=None).update(consumed_at=now)
    if not spent:  # a concurrent request spent it first
        raise BadRequest(INVALID)
    return row


def _locked(row: OtpCode, now: datetime) -> TooManyRequests:
    return TooManyRequests(
        "Too many wrong codes: this code is locked, request a new one",
        retry_after=int((row.expires_at - now).total_seconds()) + 1,
    )
