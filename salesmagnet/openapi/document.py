"""The OpenAPI 3.1 document, generated from the routes and the pydantic schemas they name.

A handler declares what it reads and answers with `@documented(...)`; its docstring is the
description (the first line the summary). `build(routes)` walks the router once: path and query
parameters, request bodies, the `{success, data, message?}` envelope around each answer's
model, the error envelope of each failure it can answer, and who may call it (`__auth__`, set
by `@public` / `@requires`). pydantic writes JSON Schema 2020-12, the dialect OpenAPI 3.1 uses;
every named model lands in `components/schemas`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar

from pydantic import BaseModel, TypeAdapter

from salesmagnet.db import MAX_INT

F = TypeVar("F", bound=Callable[..., Any])
REF = "#/components/schemas/{model}"
Mode = Literal["validation", "serialization"]
JSON = "application/json"
PARAM = re.compile(r"<(\w+)(?::[^>]*)?>")
# The failures every answer of a kind may be: the 4xx the one error handler renders.
REASONS = {
    400: "Validation failed (each error names its field) or a malformed body",
    401: "No valid credentials",
    403: "The caller's role or ownership does not allow it",
    404: "Not found (or another entity's)",
    409: "Conflicts with the current state",
    410: "No longer available",
    413: "Request body too large",
    422: "The status change is not allowed",
    429: "Too many requests (see Retry-After)",
    503: "A dependency is unavailable (see Retry-After)",
}


@dataclass(frozen=True)
class Raw:
    """An answer outside the envelope: its schema (a type; None for no body) and media types
    (a body that is not JSON is text or bytes: its schema is a string)."""

    schema: Any = None
    media: str | tuple[str, ...] = JSON
    description: str = "OK"


@dataclass(frozen=True)
class Doc:
    out: Any = None  # the type of the envelope's `data`; None: the answer's data is null
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    status: tuple[int, ...] = (200,)
    errors: tuple[int, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)  # envelope fields beside data
    raw: Mapping[int, Raw] | None = None  # answers outside the envelope, by status
    security: tuple[str, ...] | None = None  # None: from the handler's `__auth__`
    form: bool = False  # the body may also be a browser's form
    headers: Mapping[str, str] = field(default_factory=dict)  # request headers: name → description
    summary: str | None = None  # for handlers made in a loop (no docstring of their own)


def documented(
    out: Any = None,
    *,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    status: int | tuple[int, ...] = 200,
    errors: Iterable[int] = (),
    extra: Mapping[str, Any] | None = None,
    raw: Mapping[int, Raw] | None = None,
    security: tuple[str, ...] | None = None,
    form: bool = False,
    headers: Mapping[str, str] | None = None,
    summary: str | None = None,
) -> Callable[[F], F]:
    """Declares what a handler reads and answers (the handler's docstring describes it)."""
    doc = Doc(
        out=out,
        body=body,
        query=query,
        status=status if isinstance(status, tuple) else (status,),
        errors=tuple(errors),
        extra=extra or {},
        raw=raw,
        security=security,
        form=form,
        headers=headers or {},
        summary=summary,
    )

    def mark(handler: F) -> F:
        handler.__openapi__ = doc  # type: ignore[attr-defined]
        return handler

    return mark


class Route(Protocol):
    path: str
    name: str
    methods: Iterable[str]
    handler: Callable[..., Any]


class ErrorItem(BaseModel):
    field: str
    message: str


class Error(BaseModel):
    """The failure envelope every error answers with."""

    success: Literal[False]
    message: str
    errors: list[ErrorItem] | None = None
    data: dict[str, Any] | None = None


class Schemas:
    """components/schemas as models are met; the same name must mean the same schema."""

    def __init__(self) -> None:
        self.components: dict[str, Any] = {}

    def ref(
        self, kind: Any, mode: Literal["validation", "serialization"] = "serialization"
    ) -> dict[str, Any]:
        schema = TypeAdapter(kind).json_schema(ref_template=REF, mode=mode)
        for name, sub in schema.pop("$defs", {}).items():
            self._keep(name, sub)
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            self._keep(kind.__name__, schema)
            return {"$ref": REF.format(model=kind.__name__)}
        return schema

    def _keep(self, name: str, schema: dict[str, Any]) -> None:
        known = self.components.setdefault(name, schema)
        if known != schema:
            raise ValueError(f"two different schemas are named {name}")


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter's schema without its `null` (an absent parameter is the null)."""
    options = [s for s in schema.get("anyOf", ()) if s != {"type": "null"}]
    if "anyOf" not in schema or len(options) == len(schema["anyOf"]):
        return schema
    rest = {k: v for k, v in schema.items() if k != "anyOf"}
    return {**rest, **options[0]} if len(options) == 1 else {**rest, "anyOf": options}


def _query(model: type[BaseModel], schemas: Schemas) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=REF, mode="validation")
    for name, sub in schema.pop("$defs", {}).items():
        schemas._keep(name, sub)
    required = set(schema.get("required", ()))
    parameters = []
    for name, prop in schema.get("properties", {}).items():
        described = {"description": prop.pop("description")} if "description" in prop else {}
        parameter = {"name": name, "in": "query", "required": name in required, **described}
        parameter["schema"] = _not_null(prop)
        if _is_list(parameter["schema"]):  # `status=new,lost`: a parameter is given once
            parameter |= {"style": "form", "explode": False}
        parameters.append(parameter)
    return parameters


def _is_list(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "array" or any(s.get("type") == "array" for s in schema.get("anyOf", ()))


def _path(name: str) -> dict[str, Any]:
    """Ids are positive INTs; any other path parameter (an entity's name) is text."""
    schema: dict[str, Any] = (
        {"type": "integer", "minimum": 1, "maximum": MAX_INT} if name.endswith("_id") else {"type": "string"}
    )
    return {"name": name, "in": "path", "required": True, "schema": schema}


def envelope(data: dict[str, Any] | None, extra: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The success envelope around `data` (None: an answer whose data is null)."""
    properties: dict[str, Any] = {
        "success": {"const": True},
        "message": {"type": "string"},
        "data": {"type": "null"} if data is None else data,
    }
    properties |= extra
    required = ["success", "data", *extra]
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _text(handler: Callable[..., Any], doc: Doc) -> tuple[str, str]:
    described = inspect.getdoc(handler) or doc.summary or ""
    summary = described.split("\n", 1)[0].strip()
    return summary, described


def _auth(handler: Callable[..., Any], doc: Doc) -> tuple[list[dict[str, list[str]]], tuple[int, ...]]:
    if doc.security is not None:
        return [{name: []} for name in doc.security], (401, 403)
    if getattr(handler, "__auth__", "public") == "public":
        return [], ()
    return [{"bearerAuth": []}], (401, 403)  # a role the route names, or a rule of the service


def operation(route: Route, schemas: Schemas, method: str) -> dict[str, Any]:
    handler, doc = route.handler, getattr(route.handler, "__openapi__", None)
    if doc is None:
        raise ValueError(f"{route.name} is not @documented")
    summary, described = _text(handler, doc)
    security, auth_errors = _auth(handler, doc)
    params = [_path(name) for name in PARAM.findall(route.path)]
    params += _query(doc.query, schemas) if doc.query else []
    params += [
        {"name": name, "in": "header", "required": False, "description": text, "schema": {"type": "string"}}
        for name, text in doc.headers.items()
    ]
    failures = {*doc.errors, *auth_errors, 503}
    failures |= {400} if params or doc.body else set()
    failures |= {404} if PARAM.search(route.path) or (doc.body and security) else set()  # ids in bodies
    failures |= {413} if doc.body or method in ("POST", "PUT", "PATCH") else set()
    found: dict[str, Any] = {
        "operationId": route.name.partition(".")[2],
        "tags": [route.name.split(".")[1]],
        "summary": summary,
        "description": described,
        "security": security,
        "parameters": params,
        "responses": {**_answers(doc, schemas), **_failures(failures)},
    }
    if doc.body is not None:
        found["requestBody"] = _body(doc, schemas)
    return found


def _answers(doc: Doc, schemas: Schemas) -> dict[str, Any]:
    if doc.raw is not None:
        return {str(status): _raw(answer, schemas) for status, answer in doc.raw.items()}
    data = schemas.ref(doc.out) if doc.out is not None else None
    extra = {name: schemas.ref(kind) for name, kind in doc.extra.items()}
    body = {"content": {JSON: {"schema": envelope(data, extra)}}}
    return {str(status): {"description": "OK", **body} for status in doc.status}


def _raw(answer: Raw, schemas: Schemas) -> dict[str, Any]:
    if answer.schema is None:
        return {"description": answer.description}
    medias = (answer.media,) if isinstance(answer.media, str) else answer.media
    content = {
        media: {"schema": schemas.ref(answer.schema) if media == JSON else {"type": "string"}}
        for media in medias
    }
    return {"description": answer.description, "content": content}


def _failures(statuses: set[int]) -> dict[str, Any]:
    error = {"content": {JSON: {"schema": {"$ref": REF.format(model="Error")}}}}
    return {str(status): {"description": REASONS[status], **error} for status in sorted(statuses)}


def _body(doc: Doc, schemas: Schemas) -> dict[str, Any]:
    assert doc.body is not None
    schema = schemas.ref(doc.body, mode="validation")
    content = {JSON: {"schema": schema}}
    if doc.form:
        form = {"type": "object", "additionalProperties": {"type": "string"}}
        content |= {"application/x-www-form-urlencoded": {"schema": form}}
    required = bool(doc.body.model_json_schema(mode="validation").get("required"))
    return {"required": required, "content": content}


SECURITY_SCHEMES = {
    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
    "webhookKey": {"type": "apiKey", "in": "header", "name": "X-Webhook-Key"},
    "webhookKeyQuery": {"type": "apiKey", "in": "query", "name": "key"},
}


def build(routes: Iterable[Route], skip: Callable[[Route], bool], version: str) -> dict[str, Any]:
    """The whole document for these routes (those `skip` names are left out)."""
    schemas = Schemas()
    schemas.ref(Error)
    paths: dict[str, dict[str, Any]] = {}
    for route in sorted(routes, key=lambda r: r.path):
        if skip(route):
            continue
        path = "/" + PARAM.sub(lambda m: "{" + m.group(1) + "}", route.path).rstrip("/")
        for method in sorted(set(route.methods) - {"HEAD"}):
            paths.setdefault(path or "/", {})[method.lower()] = operation(route, schemas, method)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SalesMagnet CRM API",
            "version": version,
            "description": "Every answer is `{success, data, message?}`; a failure is "
            "`{success: false, message, errors?}` (each error names its field). A query parameter "
            "an operation does not list is refused: 400 naming it, with the names the operation "
            "takes (a mistyped filter never answers unfiltered).",
        },
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.components.items())),
            "securitySchemes": SECURITY_SCHEMES,
        },
    }
