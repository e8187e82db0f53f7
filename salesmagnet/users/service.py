"""User administration inside the actor's entity; managers act on sales reps and support only.

Every change reads the actor's own row and the target's under a row lock, in id order, inside
its transaction (`_locked`), and judges the rights the actor holds then, not those its token
was let in with a moment before: two admins demoting each other at once are served one after
the other, and the second is no longer an admin. Nobody may demote or deactivate themselves, so
whoever removes an admin is an active admin still when that commits: an entity that has an
active admin keeps one, without counting them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tortoise.expressions import Q

from models import RoleId, User
from salesmagnet.auth import accounts, sessions
from salesmagnet.auth import service as auth
from salesmagnet.auth.schemas import UserOut, parse_role
from salesmagnet.db import atomic, utcnow
from salesmagnet.errors import BadRequest, Forbidden, NotFound, ValidationFailed
from salesmagnet.tenancy import Actor, get_owned, scoped
from salesmagnet.users.schemas import EDITABLE, ELSEWHERE, UserCreate, UserQuery, UserUpdate


def out(user: User) -> dict[str, Any]:
    return UserOut.model_validate(user).public()


def _may_manage(actor: Actor, target_role: RoleId) -> None:
    if not auth.may_invite(actor.role, target_role):  # who may invite a role may manage it
        raise Forbidden("Managers can manage sales reps and support users only")


async def list_users(actor: Actor, query: UserQuery) -> dict[str, Any]:
    """The entity's users, newest first, with the total of all matches."""
    qs = scoped(User, actor)
    if query.role is not None:
        qs = qs.filter(role_id=int(query.role))
    if query.is_active is not None:
        qs = qs.filter(is_active=query.is_active)
    if query.search:
        term = query.search  # Tortoise escapes LIKE wildcards itself
        qs = qs.filter(
            Q(username__icontains=term)
            | Q(email__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
        )
    total = await qs.count()
    rows = await qs.order_by("-id").offset(query.offset).limit(query.rows)
    return {"users": [out(u) for u in rows], "total": total, "limit": query.rows, "offset": query.offset}


async def get_user(actor: Actor, user_id: int) -> dict[str, Any]:
    return out(await get_owned(User, actor, user_id, "User"))


async def _locked(actor: Actor, user_id: int) -> tuple[Actor, User]:
    """Inside the caller's transaction: the actor as it stands now and the target user, both
    rows locked until commit (one at a time, in id order: two changes lock alike, no
    deadlock). Forbidden when the actor is no longer an active admin or manager; NotFound for
    a user of another entity."""
    rows: dict[int, User] = {}
    for row_id in sorted({user_id} | ({actor.user_id} if actor.user_id is not None else set())):
        row = await scoped(User, actor, id=row_id).select_for_update().first()
        if row is not None:
            rows[row_id] = row
    if actor.user_id is not None:
        actor = _standing(actor, rows.get(actor.user_id))
    user = rows.get(user_id)
    if user is None:
        raise NotFound("User not found")
    return actor, user


def _standing(actor: Actor, me: User | None) -> Actor:
    """The actor with the role its row holds now (it may have changed since the token was
    read); Forbidden unless that is an active admin or manager."""
    if me is None or not me.is_active or RoleId(me.role_id) not in (RoleId.ADMIN, RoleId.MANAGER):
        raise Forbidden("Your account no longer holds a role that may manage users")
    return replace(actor, role=RoleId(me.role_id))


async def create_user(actor: Actor, data: UserCreate) -> dict[str, Any]:
    """An active, verified user of the actor's entity (no invitation needed)."""
    role = data.chosen()
    _may_manage(actor, role)
    password_hash = await accounts.hash_for(data)
    async with atomic():
        if actor.user_id is not None:
            me = await scoped(User, actor, id=actor.user_id).select_for_update().first()
            _may_manage(_standing(actor, me), role)
        user = await accounts.insert(data, password_hash, actor.entity_id, role, verified=True)
    return out(user)


async def update_user(actor: Actor, user_id: int, data: UserUpdate) -> dict[str, Any]:
    user = await get_owned(User, actor, user_id, "User")
    _may_manage(actor, RoleId(user.role_id))
    if moved := [name for name in ELSEWHERE if _would_change(user, name, getattr(data, name))]:
        raise ValidationFailed(
            f"Validation failed: {', '.join(moved)}",
            errors=[{"field": name, "message": ELSEWHERE[name]} for name in moved],
        )
    changes = data.changes()
    if changes.get("is_active") is None:
        changes.pop("is_active", None)
    if not changes:
        raise BadRequest(f"No valid fields to update; editable: {', '.join(EDITABLE)}")
    if changes.get("is_active") is False and user.id == actor.user_id:
        raise Forbidden("You cannot deactivate your own account")
    for name in ("first_name", "last_name"):
        if name in changes and changes[name] is None:
            raise ValidationFailed(
                f"Validation failed: {name}", errors=[{"field": name, "message": "cannot be null"}]
            )
    async with atomic():
        actor, user = await _locked(actor, user_id)
        _may_manage(actor, RoleId(user.role_id))
        await scoped(User, actor, id=user.id).update(**changes, updated_at=utcnow())
        if changes.get("is_active") is False:
            await auth.end_sessions(actor, user.id)
    if changes.get("is_active") is False:
        await sessions.access_changed(user.id)
    return out(await get_owned(User, actor, user_id, "User"))


def _would_change(user: User, name: str, given: Any) -> bool:
    """Whether `given` (a field update_user does not change) would change the user: a value
    read from them and sent back is none."""
    if given is None:
        return False
    if name == "password":
        return True
    if name in ("role", "role_id"):
        try:
            return parse_role(given) != RoleId(user.role_id)
        except ValueError:
            return True
    if name == "email":  # kept lower-case
        return str(given).strip().lower() != user.email
    return given != user.username


async def change_role(actor: Actor, user_id: int, role: RoleId) -> dict[str, Any]:
    if user_id == actor.user_id:
        raise Forbidden("You cannot change your own role")
    async with atomic():
        actor, user = await _locked(actor, user_id)
        _may_manage(actor, RoleId(user.role_id))
        _may_manage(actor, role)
        await scoped(User, actor, id=user.id).update(role_id=int(role), updated_at=utcnow())
    # Requests read the role afresh; sockets reconnect to be authenticated with the new one.
    await sessions.access_changed(user.id)
    return out(await get_owned(User, actor, user_id, "User"))


async def deactivate(actor: Actor, user_id: int) -> None:
    """Deactivate (history keeps the user): its tokens and sockets end at once, for good (a
    reactivated user signs in again)."""
    if user_id == actor.user_id:
        raise Forbidden("You cannot deactivate your own account")
    async with atomic():
        actor, user = await _locked(actor, user_id)
        _may_manage(actor, RoleId(user.role_id))
        await scoped(User, actor, id=user.id).update(is_active=False, updated_at=utcnow())
        await auth.end_sessions(actor, user.id)
    await sessions.access_changed(user.id)
