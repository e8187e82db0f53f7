"""Response envelopes and request parsing shared by every blueprint."""

from __future__ import annotations

import secrets
from json import dumps
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sanic import Request
from sanic.response import HTTPResponse, json

from salesmagnet.errors import BadRequest, ValidationFailed
from salesmagnet.rawsql import JsonText

S = TypeVar("S", bound=BaseModel)


def ok(data: Any = None, message: str | None = None, status: int = 200, **extra: Any) -> HTTPResponse:
    body: dict[str, Any] = {"success": True}
    if data is not None:
        body["data"] = data
    if message:
        body["message"] = message
    body.update(extra)
    embedded: list[JsonText] = []
    body = _hold_out(body, embedded)
    if not embedded:
        return json(body, status=status, default=str)
    text = dumps(body, default=str, separators=(",", ":"), ensure_ascii=False)
    for n, piece in enumerate(embedded):
        text = text.replace(f'"\\u0000{_MARK}{n}"', piece, 1)
    return HTTPResponse(text, status=status, content_type="application/json")


_MARK = secrets.token_hex(8)  # no request can guess a marker and have its text swapped


def _hold_out(value: Any, embedded: list[JsonText]) -> Any:
    """`value` with each JsonText (in dicts, at any depth) swapped for a marker string."""
    if isinstance(value, JsonText):
        embedded.append(value)
        return f"\x00{_MARK}{len(embedded) - 1}"
    if isinstance(value, dict):
        return {k: _hold_out(v, embedded) for k, v in value.items()}
    return value


def created(data: Any = None, message: str | None = None) -> HTTPResponse:
    return ok(data, message, status=201)


def field_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic errors as [{field, message}] — each names its field."""
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(part) for part in err["loc"]) or "body"
        out.append({"field": loc, "message": err["msg"]})
    return out


def validate(schema: type[S], data: Any) -> S:
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc)
        names = ", ".join(dict.fromkeys(e["field"] for e in errors))
        raise ValidationFailed(f"Validation failed: {names}", errors=errors) from None


def body_json(request: Request) -> Any:
    """The JSON body; a malformed one is a 400, never a 500."""
    if not request.body:
        return {}
    try:
        return request.json
    except Exception:  # sanic raises BadRequest subclasses or ValueError on bad JSON
        raise BadRequest("Malformed JSON body") from None


def parse(schema: type[S], request: Request) -> S:
    data = body_json(request)
    if not isinstance(data, dict):
        raise ValidationFailed(
            "Validation failed: body", errors=[{"field": "body", "message": "The body must be a JSON object"}]
        )
    return validate(schema, data)


def parse_query(schema: type[S], request: Request) -> S:
    """Query parameters (first value of each) through a schema."""
    return validate(schema, {k: v[0] for k, v in request.args.items() if v})


def path_id(value: str, name: str = "id") -> int:
    """A positive integer path parameter; anything else is a 400 naming it."""
    if not value.isdigit() or int(value) <= 0 or len(value) > 12:
        raise ValidationFailed(
            f"Validation failed: {name}", errors=[{"field": name, "message": "must be a positive integer"}]
        )
    return int(value)
