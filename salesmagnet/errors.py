"""Errors services raise; one handler renders them (salesmagnet.app)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

S = TypeVar("S", bound=BaseModel)


class AppError(Exception):
    status = 400
    default_message = "Bad request"

    def __init__(
        self,
        message: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        data: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        self.errors = errors
        self.data = data
        self.headers = headers or {}


class BadRequest(AppError):
    status = 400


class ValidationFailed(AppError):
    status = 400
    default_message = "Validation failed"


class Unauthorized(AppError):
    status = 401
    default_message = "Authentication required"


class Forbidden(AppError):
    status = 403
    default_message = "You are not allowed to do this"


class NotFound(AppError):
    status = 404
    default_message = "Not found"


class EntityGone(NotFound):
    """The actor's entity no longer exists: an operator deleted it (`salesmagnet entity-delete`)
    after a webhook key or Lead Ads page, still remembered for a few seconds, was looked up."""

    default_message = "Entity not found"


class Conflict(AppError):
    status = 409
    default_message = "Conflict"


class Gone(AppError):
    status = 410
    default_message = "No longer available"


class InvalidTransition(AppError):
    status = 422
    default_message = "This status change is not allowed"


class TooManyRequests(AppError):
    status = 429
    default_message = "Too many requests"

    def __init__(self, message: str | None = None, *, retry_after: int) -> None:
        retry_after = max(1, int(retry_after))
        super().__init__(message, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class ServiceUnavailable(AppError):
    """503 with Retry-After: a dependency is unreachable or slower than its bound."""

    status = 503
    default_message = "Service unavailable"

    def __init__(self, message: str | None = None, *, retry_after: int = 5) -> None:
        super().__init__(message, headers={"Retry-After": str(max(1, int(retry_after)))})


def field_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic errors as [{field, message}] — each names its field."""
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(part) for part in err["loc"]) or "body"
        message = "not a field of this request" if err["type"] == "extra_forbidden" else err["msg"]
        out.append({"field": loc, "message": message})
    return out


def validate(schema: type[S], data: Any) -> S:
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc)
        names = ", ".join(dict.fromkeys(e["field"] for e in errors))
        raise ValidationFailed(f"Validation failed: {names}", errors=errors) from None
