"""Global identity look-ups: the one place that reads users and invitations across entities.

A login names an e-mail address, a token names a user id and a registration names an invite
code, and none of them knows its entity yet; everything after this point is scoped by the
actor (salesmagnet.tenancy).
"""

from __future__ import annotations

from typing import Any

from tortoise import connections

from models import Invite, User
from salesmagnet import rawsql


async def user_by_email(email: str) -> User | None:
    return await User.get_or_none(email=email.lower())


async def user_by_id(user_id: int) -> User | None:
    return await User.get_or_none(id=user_id)


async def auth_row(user_id: int) -> dict[str, Any] | None:
    """The few columns request authentication needs: one primary-key read, hand-written (it
    runs on every authenticated request)."""
    client = connections.get("default")
    sql, values = rawsql.bind(
        "SELECT entity_id, role_id, is_active, is_verified, session_version FROM users WHERE id = :id",
        {"id": user_id},
        rawsql.mark_of(client),
    )
    rows = await client.execute_query_dict(sql, values)
    return rows[0] if rows else None


async def standings(user_ids: list[int]) -> dict[int, tuple[int, int]]:
    """user id → (session version, role id) of those that are active and verified."""
    rows = await User.filter(id__in=user_ids, is_active=True, is_verified=True).values_list(
        "id", "session_version", "role_id"
    )
    return {int(user_id): (int(version), int(role)) for user_id, version, role in rows}


async def email_taken(email: str) -> bool:
    return await User.exists(email=email.lower())


async def username_taken(username: str) -> bool:
    return await User.exists(username=username)


async def invite_by_code_hash(code_hash: str) -> Invite | None:
    return await Invite.get_or_none(code_hash=code_hash)
