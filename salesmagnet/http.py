"""Response envelopes and request parsing shared by every blueprint."""

from __future__ import annotations

import math
import secrets
from json import dumps
from typing import Any, TypeVar

from pydantic import BaseModel
from sanic import Request
from sanic.response import HTTPResponse, json

from salesmagnet.db import MAX_INT
from salesmagnet.errors import BadRequest, ValidationFailed, validate
from salesmagnet.rawsql import JsonText

S = TypeVar("S", bound=BaseModel)


def ok(data: Any = None, message: str | None = None, status: int = 200, **extra: Any) -> HTTPResponse:
    """The success envelope: `data` is always there (null when there is nothing to return)."""
    body: dict[str, Any] = {"success": True, "data": data}
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


def ok_or_none(found: Any, absent: str) -> HTTPResponse:
    """`found`, or (None) `data: null` with a message saying what is absent, as the API document
    answers a lead's current assignment or stage."""
    return ok(found, absent if found is None else None)


def created(data: Any = None, message: str | None = None) -> HTTPResponse:
    return ok(data, message, status=201)


MAX_JSON_DEPTH = 32  # arrays and objects inside each other; real bodies nest under ten


def body_json(request: Request) -> Any:
    """The JSON body; a malformed one, one nested deeper than MAX_JSON_DEPTH or one holding
    NaN/Infinity (which the parser lets through) is a 400, never a 500. Every route reads its
    body here."""
    if not request.body:
        return {}
    try:
        data = request.json
    except Exception:  # sanic raises BadRequest subclasses or ValueError on bad JSON
        raise BadRequest("Malformed JSON body") from None
    _check_json(data)
    return data


def _check_json(data: Any) -> None:
    """Walks the parsed body without recursion (a deep one would exhaust the stack later, in
    validation or in json.dumps) and refuses what JSON cannot carry or we cannot handle."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise BadRequest(f"JSON nested too deeply (limit {MAX_JSON_DEPTH})")
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items if isinstance(item, dict | list | float))
        elif isinstance(value, float) and not math.isfinite(value):
            raise BadRequest("NaN and Infinity are not JSON numbers; send a finite number or null")


def parse(schema: type[S], request: Request) -> S:
    data = body_json(request)
    if not isinstance(data, dict):
        raise ValidationFailed(
            "Validation failed: body", errors=[{"field": "body", "message": "The body must be a JSON object"}]
        )
    return validate(schema, data)


def parse_query(schema: type[S], request: Request) -> S:
    """Query parameters through a schema; one given twice is refused (which one was meant?),
    a list is given comma-separated where a schema takes one."""
    if twice := [k for k, v in request.args.items() if len(v) > 1]:
        raise ValidationFailed(
            f"Validation failed: {', '.join(twice)}",
            errors=[
                {
                    "field": k,
                    "message": "given more than once; give it once (several values: comma-separated)",
                }
                for k in twice
            ],
        )
    return validate(schema, {k: v[0] for k, v in request.args.items() if v})


def path_id(value: str, name: str = "id") -> int:
    """A positive integer path parameter (an INT column's range); anything else is a 400 naming it."""
    if not value.isascii() or not value.isdigit() or len(value) > 12 or not 0 < int(value) <= MAX_INT:
        raise ValidationFailed(
            f"Validation failed: {name}", errors=[{"field": name, "message": "must be a positive integer"}]
        )
    return int(value)
