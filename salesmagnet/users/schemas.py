"""Request shapes of user administration."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import StringConstraints
from pydantic.json_schema import SkipJsonSchema

from models import RoleId
from salesmagnet.auth.schemas import Body, Name, NewUser, Phone, RoleField
from salesmagnet.leads.schemas import Page


class UserCreate(NewUser):
    UNUSED = frozenset({"entity_id"})  # the earlier implementation required it: the caller's decides

    role: RoleField = None
    role_id: RoleField = None  # the reference API's name for it (as PATCH …/role takes it)

    def chosen(self) -> RoleId:
        """`role`, else `role_id`, else sales_rep."""
        return self.role or self.role_id or RoleId.SALES_REP


class UserUpdate(Body):
    # a user read and put back whole; entity_id, as the earlier implementation's clients send it
    UNUSED = frozenset({"id", "entity_id", "is_verified", "last_login_at", "created_at", "updated_at"})

    # documented as text only: a name may be left out, not cleared (null is a 400 naming it)
    first_name: Name | SkipJsonSchema[None] = None
    last_name: Name | SkipJsonSchema[None] = None
    phone: Phone | None = None
    is_active: bool | None = None
    # Changed elsewhere (ELSEWHERE): read so that a change of them is refused, naming where,
    # instead of ignored; the same value sent back (a user read, edited, put back) is not one.
    email: SkipJsonSchema[Any] = None
    username: SkipJsonSchema[Any] = None
    role: SkipJsonSchema[Any] = None
    role_id: SkipJsonSchema[Any] = None
    password: SkipJsonSchema[Any] = None

    def changes(self) -> dict[str, Any]:
        """The editable fields given."""
        return self.model_dump(exclude_unset=True, include=set(EDITABLE))


ELSEWHERE = {
    "email": "changes through POST /api/auth/email/request, by its user",
    "username": "cannot be changed",
    "role": "changes through PATCH /api/auth/users/<id>/role",
    "role_id": "changes through PATCH /api/auth/users/<id>/role",
    "password": "changes through the password reset, by its user",
}
EDITABLE = ("first_name", "last_name", "phone", "is_active")


class RoleChange(Body):
    role: RoleField = None
    role_id: RoleField = None

    def chosen(self) -> RoleField:
        return self.role if self.role is not None else self.role_id


class UserQuery(Page):
    role: RoleField = None
    is_active: bool | None = None
    search: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None


class InviteQuery(Page):
    used: bool | None = None  # false: the open ones only
