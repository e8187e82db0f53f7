"""Errors services raise; one handler renders them (salesmagnet.app)."""

from __future__ import annotations

from typing import Any


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


class Conflict(AppError):
    status = 409
    default_message = "Conflict"


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
    status = 503
    default_message = "Service unavailable"


class Unavailable(AppError):
    """A service this answer needs is away for now (Redis, the database): retry shortly."""

    status = 503
    default_message = "Service temporarily unavailable"

    def __init__(self, message: str | None = None, retry_after: int = 5) -> None:
        retry_after = max(1, int(retry_after))
        super().__init__(message, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after
