"""Accounts: roles, users, one-time codes, refresh tokens and invitations."""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.entities import Entity


class RoleId(IntEnum):
    """Fixed role ids; the contract names them and `salesmagnet migrate` seeds them."""

    ADMIN = 1
    MANAGER = 2
    SALES_REP = 3
    SUPPORT = 4

    @property
    def label(self) -> str:
        return self.name.lower()


class Role(Model):
    id = fields.IntField(primary_key=True, generated=False)
    name = fields.CharField(max_length=50, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "roles"


class User(Model):
    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=50, unique=True)
    email = fields.CharField(max_length=100, unique=True)  # stored lower-cased
    password_hash = fields.CharField(max_length=255)
    first_name = fields.CharField(max_length=50)
    last_name = fields.CharField(max_length=50)
    role: fields.ForeignKeyRelation[Role] = fields.ForeignKeyField(
        "models.Role", related_name="users", on_delete=fields.RESTRICT
    )
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="users", on_delete=fields.RESTRICT
    )
    phone = fields.CharField(max_length=20, null=True)
    is_active = fields.BooleanField(default=True)
    is_verified = fields.BooleanField(default=False)
    # Bumped when credentials change: tokens carrying an older value stop working.
    session_version = fields.IntField(default=1)
    last_login_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    role_id: int
    entity_id: int

    class Meta:
        table = "users"
        indexes = (("entity_id", "role_id"), ("entity_id", "is_active"))


class OtpPurpose(StrEnum):
    VERIFICATION = "verification"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose, not a secret
    EMAIL_UPDATE = "email_update"


class OtpCode(Model):
    """A one-time code, stored as a keyed hash; only the newest of a purpose is live."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="otp_codes", on_delete=fields.CASCADE
    )
    purpose = fields.CharEnumField(OtpPurpose, max_length=20)
    email = fields.CharField(max_length=100)  # for email_update: the new address
    code_hash = fields.CharField(max_length=64)
    attempts = fields.SmallIntField(default=0)
    expires_at = fields.DatetimeField()
    consumed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    user_id: int

    class Meta:
        table = "otp_codes"
        indexes = (("user_id", "purpose", "created_at"), ("expires_at",))


class RefreshToken(Model):
    """An opaque refresh token (hash stored). Tokens of one login share a family."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="refresh_tokens", on_delete=fields.CASCADE
    )
    family = fields.CharField(max_length=36)
    token_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    user_id: int

    class Meta:
        table = "refresh_tokens"
        indexes = (("family",), ("user_id", "revoked_at"), ("expires_at",))


class Invite(Model):
    """An invitation that fixes entity and role for one registration."""

    id = fields.IntField(primary_key=True)
    entity: fields.ForeignKeyRelation[Entity] = fields.ForeignKeyField(
        "models.Entity", related_name="invites", on_delete=fields.CASCADE
    )
    role: fields.ForeignKeyRelation[Role] = fields.ForeignKeyField(
        "models.Role", related_name="invites", on_delete=fields.RESTRICT
    )
    code_hash = fields.CharField(max_length=64, unique=True)
    email = fields.CharField(max_length=100, null=True)
    created_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="invites_sent", on_delete=fields.CASCADE
    )
    used_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="invite_used", null=True, on_delete=fields.SET_NULL
    )
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    entity_id: int
    role_id: int
    created_by_id: int
    used_by_id: int | None

    class Meta:
        table = "invites"
        indexes = (("entity_id", "created_at"),)
