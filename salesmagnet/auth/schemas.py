"""Request and response shapes of /api/auth."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from models import RoleId
from salesmagnet.db import MAX_INT  # leads.schemas reads it from here too

_PASSWORD_RULES = (
    (re.compile(r"[a-z]"), "a lower-case letter"),
    (re.compile(r"[A-Z]"), "an upper-case letter"),
    (re.compile(r"\d"), "a digit"),
)


def _password(value: str) -> str:
    missing = [label for rule, label in _PASSWORD_RULES if not rule.search(value)]
    if missing:
        raise ValueError("must contain " + ", ".join(missing))
    return value


def _email(value: str) -> str:
    return value.lower()


def parse_role(value: Any) -> RoleId:
    """A role by name ('manager') or id (2)."""
    if isinstance(value, bool):
        raise ValueError("unknown role")
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        try:
            return RoleId(int(value))
        except ValueError:
            pass
    elif isinstance(value, str):
        for role in RoleId:
            if role.label == value.strip().lower():
                return role
    raise ValueError("unknown role; use admin, manager, sales_rep, support (or 1-4)")


Email = Annotated[EmailStr, StringConstraints(max_length=100), AfterValidator(_email)]
Password = Annotated[str, StringConstraints(min_length=8, max_length=128), AfterValidator(_password)]
Username = Annotated[str, StringConstraints(min_length=3, max_length=50, pattern=r"^[A-Za-z0-9_]+$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ()\-]{3,20}$")]
Otp = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
RoleField = Annotated[Any, AfterValidator(parse_role)]

MAX_OFFSET = 10_000_000
RowId = Annotated[int, Field(ge=1, le=MAX_INT)]


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore", str_max_length=4096)


class NewUser(Body):
    """The fields of a new account, however it is made."""

    username: Username
    email: Email
    password: Password
    first_name: Name
    last_name: Name
    phone: Phone | None = None


class RegisterIn(NewUser):
    invite_code: Annotated[str, StringConstraints(min_length=8, max_length=128)]


class LoginIn(Body):
    email: Email
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class EmailIn(Body):
    email: Email


class VerifyOtpIn(Body):
    email: Email
    otp: Otp


class OtpIn(Body):
    otp: Otp


class RefreshIn(Body):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class PasswordUpdateIn(Body):
    token: Annotated[str, StringConstraints(min_length=1, max_length=2048)]
    new_password: Password


class EmailChangeIn(Body):
    new_email: Email


class InviteIn(Body):
    role: RoleField
    email: Email | None = None


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    phone: str | None
    role_id: int
    entity_id: int
    is_active: bool
    is_verified: bool
    last_login_at: Any = None
    created_at: Any = None
    updated_at: Any = None

    @property
    def role(self) -> str:
        return RoleId(self.role_id).label

    def public(self) -> dict[str, Any]:
        return {**self.model_dump(mode="json"), "role": self.role}
