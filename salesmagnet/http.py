"""Response envelopes and request parsing shared by every blueprint."""

from __future__ import annotations

import difflib
import functools
import math
import secrets
from json import dumps
from typing import Any, TypeVar

from pydantic import AliasChoices, AliasPath, BaseModel
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
    NaN/Infinity or half a UTF-16 pair (which the parser lets through) is a 400, never a 500.
    Every route reads its body here."""
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
            items = [*value, *value.values()] if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items if isinstance(item, dict | list | float | str))
        elif isinstance(value, float) and not math.isfinite(value):
            raise BadRequest("NaN and Infinity are not JSON numbers; send a finite number or null")
        elif isinstance(value, str) and not _is_unicode(value):
            # an escaped half of a UTF-16 pair ("\ud800"): no database column can hold it
            raise BadRequest("JSON text must be valid Unicode: a lone surrogate (\\ud800-\\udfff) is not")


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse(schema: type[S], request: Request) -> S:
    """The body through a schema; a field it does not take is refused (a mistyped one, e.g.
    `nextFollowupDate`, would otherwise answer 201 with nothing of it saved)."""
    data = body_json(request)
    if not isinstance(data, dict):
        raise ValidationFailed(
            "Validation failed: body", errors=[{"field": "body", "message": "The body must be a JSON object"}]
        )
    refuse_unknown_fields(schema, data)
    return validate(schema, data)


def refuse_unknown_fields(schema: type[BaseModel], data: dict[str, Any]) -> None:
    """A 400 naming each top-level field of the body `schema` does not take, with the ones it
    takes, and each field given under two of its names (`report_type` and `reportType`: which
    one was meant?), unless the schema tolerates others (extra="allow" or "ignore"). A schema
    may say where a field belongs instead (`misplaced`)."""
    if schema.model_config.get("extra") != "forbid":
        return
    accepted = query_names(schema)
    unused: frozenset[str] = getattr(schema, "UNUSED", frozenset())
    if unknown := sorted(set(data) - set(accepted) - unused):
        hint = getattr(schema, "misplaced", lambda name: None)
        listed = f"accepted: {', '.join(accepted)}" if accepted else "this request takes none"
        raise ValidationFailed(
            f"Unknown field{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}; {listed}",
            errors=[
                {"field": name, "message": hint(name) or _unknown(name, accepted, "a field of this request")}
                for name in unknown
            ],
        )
    _refuse_twice(schema, data)


def _refuse_twice(schema: type[BaseModel], data: dict[str, Any]) -> None:
    """A 400 naming each field given under two of its names."""
    twice = [
        given for names in field_names(schema).values() if len(given := [n for n in names if n in data]) > 1
    ]
    if twice:
        raise ValidationFailed(
            f"Validation failed: {', '.join(names[1] for names in twice)}",
            errors=[
                {"field": names[1], "message": f"the same field as {names[0]}: give it once, by one name"}
                for names in twice
            ],
        )


def parse_query(schema: type[S], request: Request) -> S:
    """Query parameters through a schema; one it does not name is refused (a mistyped filter
    would otherwise answer unfiltered), one given twice too (which one was meant?); a list is
    given comma-separated where a schema takes one."""
    refuse_unknown_args(request, query_names(schema))
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


def refuse_unknown_args(request: Request, accepted: tuple[str, ...]) -> None:
    """A 400 naming each query parameter not `accepted` (blank ones too), with the ones taken."""
    given = request.get_args(keep_blank_values=True)
    if not (unknown := sorted(set(given) - set(accepted))):
        return
    listed = f"accepted: {', '.join(accepted)}" if accepted else "this request takes none"
    raise ValidationFailed(
        f"Unknown query parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}; {listed}",
        errors=[{"field": name, "message": _unknown(name, accepted)} for name in unknown],
    )


def _unknown(name: str, accepted: tuple[str, ...], what: str = "a parameter of this request") -> str:
    by_case = {a.lower(): a for a in accepted}
    meant = by_case.get(name.lower()) or next(iter(difflib.get_close_matches(name, accepted, n=1)), None)
    return f"not {what}" + (f"; did you mean {meant}?" if meant else "")


@functools.cache
def field_names(schema: type[BaseModel]) -> dict[str, tuple[str, ...]]:
    """Each field of `schema` and the names it is given by: its own and its aliases
    (`report_type` and `reportType` where both are read)."""
    by_name = bool(schema.model_config.get("validate_by_name") or schema.model_config.get("populate_by_name"))
    found: dict[str, tuple[str, ...]] = {}
    for name, field in schema.model_fields.items():
        names: dict[str, None] = {}
        alias = field.validation_alias or field.alias
        if isinstance(alias, AliasChoices):
            names |= {str(c if isinstance(c, str) else c.path[0]): None for c in alias.choices}
        elif isinstance(alias, AliasPath):
            names[str(alias.path[0])] = None
        elif alias:
            names[alias] = None
        if not alias or by_name:
            names[name] = None
        found[name] = tuple(names)
    return found


@functools.cache
def query_names(schema: type[BaseModel]) -> tuple[str, ...]:
    """Every name a query parameter (or a body field) of `schema` is given by, in field order."""
    return tuple(dict.fromkeys(n for names in field_names(schema).values() for n in names))


def path_id(value: str, name: str = "id") -> int:
    """A positive integer path parameter (an INT column's range); anything else is a 400 naming it."""
    if not value.isascii() or not value.isdigit() or len(value) > 12 or not 0 < int(value) <= MAX_INT:
        raise ValidationFailed(
            f"Validation failed: {name}", errors=[{"field": name, "message": "must be a positive integer"}]
        )
    return int(value)
