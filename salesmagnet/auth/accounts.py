"""Making a user account: one path for registration by invitation and for administrators."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from models import RoleId, User
from salesmagnet.auth import identity, passwords
from salesmagnet.auth.schemas import NewUser
from salesmagnet.errors import Conflict
from salesmagnet.tenancy import Actor, create


async def ensure_free(email: str, username: str) -> None:
    """A clear 409 before the (slow) password hash; the unique keys still decide races."""
    if await identity.email_taken(email):
        raise Conflict("E-mail address already in use")
    if await identity.username_taken(username):
        raise Conflict("Username already in use", errors=[{"field": "username", "message": "already in use"}])


async def hash_for(data: NewUser) -> str:
    await ensure_free(data.email, data.username)
    return await passwords.hash_password(data.password)


async def insert(data: NewUser, password_hash: str, entity_id: int, role: RoleId, verified: bool) -> User:
    try:
        return await create(
            User,
            Actor.system(entity_id),
            username=data.username,
            email=data.email,
            password_hash=password_hash,
            first_name=data.first_name,
            last_name=data.last_name,
            phone=data.phone,
            role_id=int(role),
            is_verified=verified,
        )
    except IntegrityError:
        raise Conflict("E-mail address or username already in use") from None
