"""Request shapes of user administration."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from models import RoleId
from salesmagnet.auth.schemas import MAX_OFFSET, Body, Name, NewUser, Phone, RoleField


class UserCreate(NewUser):
    role: RoleField = RoleId.SALES_REP


class UserUpdate(Body):
    first_name: Name | None = None
    last_name: Name | None = None
    phone: Phone | None = None
    is_active: bool | None = None


class RoleChange(BaseModel):
    role: RoleField = None
    role_id: RoleField = None

    def chosen(self) -> RoleField:
        return self.role if self.role is not None else self.role_id


class UserQuery(Body):
    role: RoleField = None
    is_active: bool | None = None
    search: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)
