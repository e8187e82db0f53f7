"""Request and response shapes of /api/auth."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any, ClassVar, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

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


class TextKind:
    """Marks a text type for `Body`'s control-character check: MULTI_LINE (notes, descriptions)
    may hold line breaks and tabs; SECRET (a password) is never shown, only compared, so any
    character stays (a password set with one still signs in). Any other text of a request is
    one line (a name, an e-mail, a search)."""


MULTI_LINE, SECRET = TextKind(), TextKind()
# C0 and DEL: NUL was stored in names, and a search for it matched differently per database.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab, LF and CR allowed


def _marked(annotation: Any, kind: TextKind) -> bool:
    """Whether a field's type (`Notes | None` included) carries `kind`."""
    if get_origin(annotation) is Annotated and kind in annotation.__metadata__:
        return True
    return any(_marked(arg, kind) for arg in get_args(annotation))


@cache
def _refused(schema: type[BaseModel], name: str) -> re.Pattern[str] | None:
    """The characters a field refuses (None: any character)."""
    field = schema.model_fields[name]
    if SECRET in field.metadata or _marked(field.annotation, SECRET):
        return None
    lines = MULTI_LINE in field.metadata or _marked(field.annotation, MULTI_LINE)
    return CONTROL_BUT_LINES if lines else CONTROL


Email = Annotated[EmailStr, StringConstraints(max_length=100), AfterValidator(_email)]
Password = Annotated[str, StringConstraints(min_length=8, max_length=128), AfterValidator(_password), SECRET]
Username = Annotated[str, StringConstraints(min_length=3, max_length=50, pattern=r"^[A-Za-z0-9_]+$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
Phone = Annotated[  # users.phone holds 20, a leading + counted
    str, StringConstraints(strip_whitespace=True, max_length=20, pattern=r"^\+?[0-9 ()\-]{3,20}$")
]
Otp = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
RoleField = Annotated[
    Any,
    AfterValidator(parse_role),
    WithJsonSchema(  # a name, or its id
        {
            "anyOf": [
                {"type": "string", "enum": [r.label for r in RoleId]},
                {"type": "integer", "enum": list(RoleId)},
            ]
        }
    ),
]

MAX_OFFSET = 10_000_000


def _not_a_boolean(value: Any) -> Any:
    """JSON's true is not the id 1 (pydantic would take it as one)."""
    if isinstance(value, bool):
        raise ValueError("must be a positive integer id, not true or false")
    return value


RowId = Annotated[int, Field(ge=1, le=MAX_INT), BeforeValidator(_not_a_boolean)]  # limits documented
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    """A day only as YYYY-MM-DD (pydantic alone reads a number as a Unix time)."""
    if isinstance(value, date) or (isinstance(value, str) and ISO_DAY.fullmatch(value := value.strip())):
        return value
    raise ValueError("use YYYY-MM-DD")


FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9999, 12, 30)  # the day after the last still exists


def _within(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"must be a day from {FIRST_DAY} to {LAST_DAY}")
    return value


Day = Annotated[
    date,
    BeforeValidator(_iso_day),
    AfterValidator(_within),
    Field(description=f"YYYY-MM-DD, {FIRST_DAY} to {LAST_DAY}"),
]


def _not_before_start(value: date | None, info: ValidationInfo) -> date | None:
    start = (info.data or {}).get("date_from")
    if value is not None and start is not None and start > value:
        raise ValueError("must not be before date_from")
    return value


# A window's last day (included), declared after its `date_from`: one ending before it starts is
# refused, named by its end.
DayTo = Annotated[Day | None, AfterValidator(_not_before_start)]


class Body(BaseModel):
    """A request's body or query. A field it does not take is a 400 naming it (ignored, a
    mistyped field would answer success with nothing of it saved). Its text holds no control
    characters (a single-line field none at all, a MULTI_LINE one only tabs and line breaks, a
    SECRET any): a 400 naming it."""

    model_config = ConfigDict(extra="forbid", str_max_length=4096)
    # Fields a client may send that change nothing here, named so that any other is refused:
    # taken and left out. The read-only fields of a resource read, edited and put back whole;
    # what the earlier implementation's clients send and the contract lets a body say in vain
    # (register's role and entity: the invitation decides).
    UNUSED: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def misplaced(cls, name: str) -> str | None:
        """Where a field this body does not take belongs, when the schema knows (None: nowhere)."""
        return None

    @model_validator(mode="before")
    @classmethod
    def _drop_unused(cls, data: Any) -> Any:
        if cls.UNUSED and isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in cls.UNUSED}
        return data

    @field_validator("*")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        refused = _refused(cls, str(info.field_name)) if info.field_name else CONTROL
        if refused is None:
            return value
        for text in [value] if isinstance(value, str) else value if isinstance(value, list) else []:
            if isinstance(text, str) and (found := refused.search(text)):
                but = " other than tabs and line breaks" if refused is CONTROL_BUT_LINES else ""
                raise ValueError(
                    f"must not contain control characters{but} (found U+{ord(found.group()):04X})"
                )
        return value


class Out(BaseModel):
    """An answer's shape, field for field: the API document (/openapi.json) is generated from it
    and the contract test holds every answer to it, so a field it does not name is a failure."""

    model_config = ConfigDict(extra="forbid")


class Figures(BaseModel):
    """Computed figures: the fields named are always there; more may come with the figures."""

    model_config = ConfigDict(extra="allow")


class NewUser(Body):
    """The fields of a new account, however it is made."""

    username: Username
    email: Email
    password: Password
    first_name: Name
    last_name: Name
    phone: Phone | None = None


class RegisterIn(NewUser):
    UNUSED = frozenset({"role", "role_id", "entity_id"})  # the invitation decides (CONTRACT §5)

    invite_code: Annotated[str, StringConstraints(min_length=8, max_length=128)]


Given = Annotated[str, StringConstraints(min_length=1, max_length=1024), SECRET]  # a password typed in


class LoginIn(Body):
    email: Email
    password: Given


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
    current_password: Given


class InviteIn(Body):
    role: RoleField
    email: Email | None = None


class UserFields(Out):
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
    last_login_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class UserOut(UserFields):
    model_config = ConfigDict(from_attributes=True, extra="forbid")

    @property
    def role(self) -> str:
        return RoleId(self.role_id).label

    def public(self) -> dict[str, Any]:
        return {**self.model_dump(mode="json"), "role": self.role}


class UserPublic(UserFields):
    """A user as the API shows one (`UserOut.public()`)."""

    role: str


class EntityRef(Out):
    id: int
    name: str


class Profile(UserPublic):
    entity: EntityRef


class Tokens(Out):
    access_token: str
    token_type: str
    expires_in: str
    refresh_token: str
    refresh_expires_in: str


class Login(Tokens):
    user: Profile


class ResetToken(Out):
    token: str
    expires_in: str


class EmailChanged(Out):
    email: str


class OtpSent(Out):
    otp_sent: bool
    otp_expires_at: datetime


class Registered(Out):
    user_id: int
    username: str
    email: str
    entity_id: int
    role: str
    otp_sent: bool
    otp_expires_at: datetime


class Invite(Out):
    invite_code: str
    entity_id: int
    role: str
    email: str | None
    expires_at: datetime


class InviteListed(Out):
    """An invitation as administrators see it: never its code (only the code's hash is kept)."""

    id: int
    role: str
    email: str | None
    created_by: int
    created_at: datetime
    expires_at: datetime
    expired: bool  # unused past expires_at: it registers nobody
    used: bool
    used_at: datetime | None
    used_by: int | None
