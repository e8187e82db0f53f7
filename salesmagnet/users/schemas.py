"""Request shapes of user administration."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from models import RoleId
from salesmagnet.auth.schemas import MAX_OFFSET, Body, Name, NewUser, Phone, RoleField


class UserCreate(NewUser):
    role: RoleField = RoleId.SALES_REP


def _elsewhere(how: str) -> AfterValidator:
    """A field this request does not change: sent, it is refused with where it changes (not
    ignored, which answered 200 for a change that never happened)."""

    def refuse(value: Any) -> Any:
        raise ValueError(how)

    return AfterValidator(refuse)


class UserUpdate(Body):
    first_name: Name | None = None
    last_name: Name | None = None
    phone: Phone | None = None
    is_active: bool | None = None
    email: SkipJsonSchema[
        Annotated[Any, _elsewhere("changes through POST /api/auth/email/request, by its user")]
    ] = None
    role: SkipJsonSchema[Annotated[Any, _elsewhere("changes through PATCH /api/auth/users/<id>/role")]] = None
    role_id: SkipJsonSchema[Annotated[Any, _elsewhere("changes through PATCH /api/auth/users/<id>/role")]] = (
        None
    )
    password: SkipJsonSchema[
        Annotated[Any, _elsewhere("changes through the password reset, by its user")]
    ] = None
    username: SkipJsonSchema[Annotated[Any, _elsewhere("cannot be changed")]] = None

    def changes(self) -> dict[str, Any]:
        """The fields given (the refused ones never get here)."""
        return self.model_dump(exclude_unset=True, include=set(EDITABLE))


EDITABLE = ("first_name", "last_name", "phone", "is_active")


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
