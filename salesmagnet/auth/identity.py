"""Global identity look-ups: the one place that reads users and invitations across entities.

A login names an e-mail address, a token names a user id and a registration names an invite
code, and none of them knows its entity yet; everything after this point is scoped by the
actor (salesmagnet.tenancy).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from tortoise import connections

from models import Invite, RefreshToken, User
from salesmagnet import rawsql


async def user_by_email(email: str) -> User | None:
    return await User.get_or_none(email=email.lower())


async def user_by_id(user_id: int) -> User | None:
    return await User.get_or_none(id=user_id)


async def auth_row(user_id: int, sign_in: str | None = None) -> dict[str, Any] | None:
    """The few columns request authentication needs: one primary-key read, hand-written (it
    runs on every authenticated request), or the row this process read less than FRESH_FOR
    seconds ago while change notices reach it (`forget`, `trust_while`). With `sign_in` (the
    token's refresh-token family), the same statement tells whether that sign-in ended
    (`signed_out`: a sign-out, or a reuse of its refresh token, revoked its family)."""
    now = time.monotonic()
    if _trusted():
        kept = _kept.get(user_id, {}).get(sign_in)
        if kept is not None and kept[0] > now:
            return kept[1]
    epoch = _epoch
    client = connections.get("default")
    sql, values = rawsql.bind(
        _AUTH_SQL if sign_in is None else _SIGNED_IN_SQL,
        {"id": user_id, "sign_in": sign_in},
        rawsql.mark_of(client),
    )
    rows = await client.execute_query_dict(sql, values)
    row = rows[0] if rows else None
    # Only a row that lets the request in is kept, and only if no change was noticed while it
    # was read (that change may have come after the read).
    if row is not None and _admits(row) and epoch == _epoch and _trusted():
        if len(_kept) >= KEPT_MAX:
            _kept.clear()
        mine = _kept.setdefault(user_id, {})
        if len(mine) >= SIGN_INS_KEPT:
            mine.clear()
        mine[sign_in] = (now + FRESH_FOR, row)
    return row


_AUTH_SQL = "SELECT entity_id, role_id, is_active, is_verified, session_version FROM users WHERE id = :id"
# Refresh tokens are never deleted, so an ended family stays ended past its access tokens' life.
_SIGNED_IN_SQL = (
    "SELECT entity_id, role_id, is_active, is_verified, session_version, EXISTS (SELECT 1"
    " FROM refresh_tokens WHERE family = :sign_in AND revoked_at IS NOT NULL) AS signed_out"
    " FROM users WHERE id = :id"
)


def _admits(row: dict[str, Any]) -> bool:
    return bool(row["is_active"] and row["is_verified"] and not row.get("signed_out"))


# Authentication's reads, kept: a user's requests come in bursts (a floor screen, a rep's
# device), and the read was a fifth of a short request's server time (bench/RESULTS.md). Every
# change of access (deactivation, role, password, logout-all, a sign-out: salesmagnet.auth.sessions)
# makes every process forget the user at once: this one directly, the others through the realtime
# layer's notice. The cache is trusted only while such notices reach this process (one process
# alone, or its Redis listener subscribed); FRESH_FOR bounds what a lost notice could cost.
FRESH_FOR = 2.0
KEPT_MAX = 100_000  # users
SIGN_INS_KEPT = 64  # rows kept per user: one per sign-in (token `sid`) seen
_kept: dict[int, dict[str | None, tuple[float, dict[str, Any]]]] = {}
_epoch = 0  # moves on with every change noticed
_trusted: Callable[[], bool] = lambda: False  # noqa: E731


def trust_while(check: Callable[[], bool] | None) -> None:
    """Keep authentication's reads while `check()` says change notices reach this process
    (None: never, the default of a process that hears no notices)."""
    global _trusted
    _trusted = check or (lambda: False)
    _kept.clear()


def forget(user_id: int) -> None:
    """The user's access changed (or may have): read it afresh from now on."""
    global _epoch
    _epoch += 1
    _kept.pop(user_id, None)


async def standings(user_ids: list[int]) -> dict[int, tuple[int, int]]:
    """user id → (session version, role id) of those that are active and verified."""
    rows = await User.filter(id__in=user_ids, is_active=True, is_verified=True).values_list(
        "id", "session_version", "role_id"
    )
    return {int(user_id): (int(version), int(role)) for user_id, version, role in rows}


async def ended_sign_ins(sign_ins: list[str]) -> set[str]:
    """Those of the sign-ins (refresh-token families) that ended: signed out or revoked."""
    rows = await RefreshToken.filter(family__in=sign_ins, revoked_at__not_isnull=True).values_list(
        "family", flat=True
    )
    return {str(family) for family in rows}


async def email_taken(email: str) -> bool:
    return await User.exists(email=email.lower())


async def username_taken(username: str) -> bool:
    """Usernames differ in more than case (MariaDB's collation holds them so; SQLite's does not)."""
    return await User.exists(username__iexact=username)


async def invite_by_code_hash(code_hash: str) -> Invite | None:
    return await Invite.get_or_none(code_hash=code_hash)
