"""No request, however hostile, is answered with a 5xx.

`test_no_route_answers_hostile_input_with_a_5xx` walks the app's router, so a route added later is
covered without editing this file. Each method and path is sent, as an admin of a fresh entity
(with the entity's website-webhook key and a valid Facebook signature on every request, so webhook
bodies reach validation):
- path parameters that are huge, negative, not numbers, not ASCII, not UTF-8, and one that exists;
- bodies that are not JSON, not UTF-8, not objects, nested ~1,000 levels, and objects whose fields
  (all at once, or one at a time in an otherwise plausible body) are huge numbers, NaN, Infinity,
  10,000 characters, wrong types, arrays or objects, null, or out-of-range dates;
- query strings built the same way from the query schema's fields.
A route's fields are read from the pydantic schemas its handler names (`parse(LeadCreate, …)`);
a route that names none gets bodies with every field of every schema at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import inspect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, get_args

import httpx
from pydantic import BaseModel
from sanic import Sanic

from models import IngestionStatus, Lead, LeadMeta, Platform, RoleId
from salesmagnet.entities import service as entities
from salesmagnet.webhooks.schemas import LeadgenChange
from tests.conftest import FB_SECRET, Served, unique
from tests.factories import PASSWORD, TestUser, login, make_entity, make_lead, make_user

PARAM = re.compile(r"<(\w+)(?::[^>]*)?>")
DEEP = 1_000


def deep_array(levels: int) -> str:
    return "[" * levels + "]" * levels


def deep_object(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


# Numbers as text: in a body they are JSON as it arrives (NaN, Infinity), in a query just text.
NUMBERS = [
    str(2**70),
    str(-(2**70)),
    str(2**63),
    "-1",
    "0",
    "1.5",
    "1e400",
    "NaN",
    "Infinity",
]
# JSON texts (not Python values: NaN, Infinity and 1,000 levels are written as they arrive).
VALUES = [
    *NUMBERS,
    "-Infinity",
    "true",
    "null",
    '""',
    json.dumps("x" * 10_000),
    '"\\u0000"',
    json.dumps("' OR 1=1 --"),
    json.dumps("💥"),
    '"\\ud800"',
    '"0001-01-01T00:00:00+14:00"',
    '"9999-12-31T23:59:59-14:00"',
    "[]",
    "{}",
    "[1, 2]",
    '[{"a": 1}]',
    '{"$gt": ""}',
    deep_array(DEEP),
    deep_object(DEEP),
]
RAW_BODIES = [
    b"",
    b"{",
    b"null",
    b"[]",
    b'"text"',
    b"123",
    b"NaN",
    b"\xff\xfe{}",
    b'{"email": "\xff"}',
    b"[{}]",
    deep_array(DEEP).encode(),
    deep_array(DEEP + 10).encode(),
    deep_object(DEEP - 10).encode(),
    deep_object(DEEP).encode(),
]
QUERY_VALUES = [
    *NUMBERS,
    "",
    "x" * 2_000,
    "\x00",
    "💥",
    "%",
    "true",
    "[]",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31",
    "0001-01-01",
]
SMALL = {"raw b''", "raw b'NaN'", "plausible"}  # the bodies sent along the hostile path values
PATH_VALUES = [str(2**70), str(2**63), str(2**31), "0", "-1", "abc", "1.5", "\u00b2", "%FF", "%00", "x" * 300]


@dataclass
class World:
    """The fresh entity the requests act in, and what exists in it."""

    admin: TestUser
    key: str
    page_id: str
    existing: dict[str, str]
    plausible: dict[str, Any]


async def make_world(client: httpx.AsyncClient) -> World:
    entity = await make_entity()
    admin = await login(client, await make_user(entity, RoleId.ADMIN))
    rep = await make_user(entity)
    lead = await make_lead(entity)
    page_id = unique("hostile")
    await entities.map_page(entity.name, page_id, "instagram")
    meta = await LeadMeta.create(
        entity_id=entity.id,
        platform_key=Platform.FACEBOOK,
        source_lead_id=unique("failed"),
        processing_status=IngestionStatus.FAILED,
    )
    tag = unique("")
    plausible = {
        "username": f"h_{tag}",
        "email": f"h_{tag}@example.com",
        "new_email": f"h2_{tag}@example.com",
        "password": PASSWORD,
        "new_password": PASSWORD,
        "first_name": "Hana",
        "last_name": "Host",
        "full_name": "Hana Host",
        "phone": "+15550001111",
        "role": "sales_rep",
        "role_id": "support",
        "invite_code": "i" * 16,
        "otp": "123456",
        "refresh_token": "r" * 40,
        "token": "t" * 40,
        "name": f"h_{tag}",
        "is_active": True,
        "answers": {"email": f"h_{tag}@example.com"},
        "source_lead_id": tag,
        "leadgen_id": tag,
        "page_id": page_id,
        "form_id": "f1",
        "created_time": 1732437000,
    }
    existing = {
        "lead_id": str(lead),
        "user_id": str(rep.id),
        "entity_id": str(entity.id),
        "meta_id": str(meta.id),
        "name": entity.name,
    }
    return World(admin, await entities.webhook_key(entity.name), page_id, existing, plausible)


# -- what to send ----------------------------------------------------------------------------


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models_in(arg)


def schema_fields(model: type[BaseModel]) -> list[tuple[str, ...]]:
    """Field paths of a schema, one level into nested schemas (settings.sla_hours)."""
    paths: list[tuple[str, ...]] = []
    for name, info in model.model_fields.items():
        paths.append((name,))
        for nested in _models_in(info.annotation):
            paths.extend((name, inner) for inner in nested.model_fields)
    return paths


def all_schemas() -> list[type[BaseModel]]:
    def below(cls: type[BaseModel]) -> Iterator[type[BaseModel]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return [m for m in below(BaseModel) if m.__module__.startswith("salesmagnet.")]


def handler_schemas(handler: Any) -> list[type[BaseModel]]:
    """The pydantic schemas a handler names (parse(LeadUpdate, request), validate(…))."""
    inner = inspect.unwrap(handler)
    names = inner.__code__.co_names
    found = [inner.__globals__.get(name) for name in names]
    return [s for s in found if isinstance(s, type) and issubclass(s, BaseModel)]


def leadgen_envelope(page_id: str, value: str) -> str:
    """A Lead Ads delivery whose one leadgen change value is the JSON text `value`."""
    head = '{"object": "page", "entry": [{"id": ' + json.dumps(page_id) + ', "time": 1732437000, '
    return head + '"changes": [{"field": "leadgen", "value": ' + value + "}]}]}"


def with_field(base: dict[str, Any], path: tuple[str, ...], value: str) -> str:
    """`base` as JSON text with the field at `path` set to the JSON text `value`."""
    marker = "\x00MARK\x00"
    body = json.loads(json.dumps(base))
    target = body
    for part in path[:-1]:
        if not isinstance(target.get(part), dict):
            target[part] = {}
        target = target[part]
    target[path[-1]] = marker
    return json.dumps(body).replace(json.dumps(marker), value)


@dataclass
class Plan:
    """The bodies and query strings one route gets."""

    bodies: list[tuple[str, bytes]] = field(default_factory=list)
    queries: list[tuple[str, str]] = field(default_factory=list)


def plan(handler: Any, method: str, world: World) -> Plan:
    schemas = handler_schemas(handler)
    envelope = inspect.unwrap(handler).__name__ == "facebook_deliver"  # Meta's wrapping of a change
    if envelope:
        schemas = [LeadgenChange]
    paths = list(dict.fromkeys(p for s in schemas for p in schema_fields(s)))
    top = list(dict.fromkeys(p[0] for p in paths)) or list(
        dict.fromkeys(name for s in all_schemas() for name in s.model_fields)
    )
    base = {k: v for k, v in world.plausible.items() if k in top}
    wrap = (lambda text: leadgen_envelope(world.page_id, text)) if envelope else (lambda text: text)

    out = Plan()
    out.bodies += [(f"raw {raw[:30]!r}", raw) for raw in RAW_BODIES]
    out.bodies.append(("plausible", wrap(json.dumps(base)).encode()))
    out.bodies.append(("array of the plausible body", wrap(json.dumps([base])).encode()))
    for value in VALUES:
        every = "{" + ", ".join(f"{json.dumps(name)}: {value}" for name in top) + "}"
        out.bodies.append((f"every field = {value[:30]}", wrap(every).encode()))
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            for path in paths:
                text = wrap(with_field(base, path, value))
                out.bodies.append((f"plausible, {'.'.join(path)} = {value[:30]}", text.encode()))

    names = top if method == "GET" and schemas else ["limit", "offset", "id", "search"]
    for value in QUERY_VALUES:
        out.queries.append(
            (f"every param = {value[:30]!r}", str(httpx.QueryParams(dict.fromkeys(names, value))))
        )
        for name in names if method == "GET" and schemas else []:  # one at a time: a query schema's
            out.queries.append((f"{name} = {value[:30]!r}", str(httpx.QueryParams({name: value}))))
    out.queries.append(("not UTF-8", "&".join(f"{name}=%FF%FE" for name in names)))
    return out


def routes(app: Sanic, world: World) -> Iterator[tuple[str, str, Any, bool]]:
    """(method, url, handler, full): every route with its path parameters filled. `full` (every
    body and query) for the first path of a handler with parameters that exist (an unknown
    parameter name gets the lead's id); its other paths get the SMALL bodies and one query."""
    done: set[tuple[str, Any]] = set()
    for route in app.router.routes:
        params = PARAM.findall(route.path)
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            real = {p: world.existing.get(p, world.existing["lead_id"]) for p in params}
            full = (method, route.handler) not in done
            done.add((method, route.handler))
            yield method, fill(route.path, real), route.handler, full
            for value in PATH_VALUES if params else []:
                yield method, fill(route.path, dict.fromkeys(params, value)), route.handler, False


def fill(path: str, values: dict[str, str]) -> str:
    return "/" + PARAM.sub(lambda m: values[m.group(1)], path)


# -- sending ---------------------------------------------------------------------------------


def headers(world: World, raw: bytes) -> dict[str, str]:
    signature = hmac.new(FB_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return {
        **world.admin.auth,
        "X-Webhook-Key": world.key,
        "X-Hub-Signature-256": f"sha256={signature}",
        "Content-Type": "application/json",
    }


def problem(response: httpx.Response) -> str | None:
    if response.status_code >= 500:
        return f"{response.status_code} {response.text[:200]}"
    if response.status_code in (204, 303):  # a CORS preflight; a form's thank-you redirect
        return None
    if response.request.url.path == "/metrics" and response.status_code == 200:  # Prometheus' text
        return None
    if response.request.url.path.startswith(("/floor", "/docs")) and response.status_code in (200, 304):
        return None
    if not response.headers.get("content-type", "").startswith("application/json"):
        return f"{response.status_code} not JSON: {response.text[:200]}"
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            return f"{response.status_code} without a JSON body: {response.text[:200]}"
        if not (isinstance(body, dict) and body.get("success") is False and body.get("message")):
            return f"{response.status_code} without the error envelope: {response.text[:200]}"
    return None


async def test_no_route_answers_hostile_input_with_a_5xx(served: Served, client: httpx.AsyncClient) -> None:
    world = await make_world(client)
    failures: list[str] = []
    seen: dict[int, int] = {}
    gate = asyncio.Semaphore(8)

    async def send(method: str, url: str, label: str, raw: bytes) -> None:
        async with gate:
            response = await client.request(method, url, content=raw, headers=headers(world, raw))
        seen[response.status_code] = seen.get(response.status_code, 0) + 1
        if (trouble := problem(response)) is not None:
            failures.append(f"{method} {url[:120]} [{label}] → {trouble}")

    for method, url, handler, full in routes(served.app, world):
        work = plan(handler, method, world)
        bodies = work.bodies if full else [b for b in work.bodies if b[0] in SMALL]
        queries = work.queries if full else work.queries[:1]
        await asyncio.gather(
            *(send(method, url, label, raw) for label, raw in bodies),
            *(send(method, f"{url}?{query}", f"query {label}", b"") for label, query in queries),
        )
        await served.app.ctx.deps.limiter.clear()
        if (await client.get("/api/auth/me", headers=world.admin.auth)).status_code == 401:
            await login(client, world.admin)  # a route ended the admin's session: carry on
    sent = sum(seen.values())
    assert not failures, f"{len(failures)} of {sent} hostile requests failed:\n" + "\n".join(failures[:60])
    assert sent > 3_000 and seen.get(201, 0) + seen.get(200, 0) > 0, seen  # plausible bodies got through


def nested(levels: int) -> str:
    """A lead body whose raw_field_data makes the whole body `levels` deep."""
    return '{"email": "deep@example.com", "raw_field_data": ' + deep_object(levels - 1) + "}"


async def test_a_lone_surrogate_in_a_body_is_refused(served: Served, client: httpx.AsyncClient) -> None:
    """A JSON string may escape half a UTF-16 pair ("\\ud800"), which no text can hold: a lead's
    raw_field_data holding one was a 500 on MariaDB (its JSON check refused the row) and stored
    on SQLite. Every body is refused with a 400 saying why, the webhooks' too."""
    world = await make_world(client)
    before = await LeadMeta.all().count()
    bodies = (
        '{"email": "half@example.com", "raw_field_data": {"note": "a\\ud800b"}}',
        '{"email": "half@example.com", "raw_field_data": {"\\udfff": 1}}',
        '{"email": "half@example.com", "answers": {"email": "half@example.com", "x": ["\\ud83d"]}}',
    )
    for path in ("/api/leads", "/webhooks/website"):
        for body in bodies:
            raw = body.encode()
            response = await client.post(path, content=raw, headers=headers(world, raw))
            assert response.status_code == 400, (path, body, response.text)
            assert response.json()["message"].startswith("JSON text must be valid Unicode"), response.text
    assert await LeadMeta.all().count() == before
    paired = b'{"email": "pair@example.com", "raw_field_data": {"smile": "\\ud83d\\ude42"}}'
    created = await client.post("/api/leads", content=paired, headers=headers(world, paired))
    assert created.status_code == 201, created.text


async def test_control_characters_in_text_fields_are_refused_by_name(client: httpx.AsyncClient) -> None:
    """ "a\u0000b" was stored as a lead's name on both databases, and a user search for NUL listed
    every user on SQLite and none on MariaDB. A single-line text field (names, e-mails, phones,
    search terms) refuses any control character; a multi-line one (descriptions, notes) takes
    lines and tabs, and refuses the others."""
    entity = await make_entity()
    admin = await login(client, await make_user(entity, RoleId.ADMIN))
    lead = await make_lead(entity)
    before = await Lead.filter(entity_id=entity.id).count()

    async def refused(response: httpx.Response, name: str) -> None:
        assert response.status_code == 400, response.text
        assert [e["field"] for e in response.json()["errors"]] == [name], response.text

    for name, value in (
        ("first_name", "a\u0000b"),
        ("last_name", "Ada\nLovelace"),
        ("full_name", "x\u001by"),
    ):
        body = {"email": f"c_{unique('')}@example.com", name: value}
        await refused(await client.post("/api/leads", json=body, headers=admin.auth), name)
    await refused(
        await client.put(f"/api/leads/{lead}", json={"last_name": "\u0007"}, headers=admin.auth), "last_name"
    )
    await refused(
        await client.put(f"/api/leads/{lead}", json={"phone": "+44 20\u0000"}, headers=admin.auth), "phone"
    )
    assert await Lead.filter(entity_id=entity.id).count() == before
    user = {"username": unique("cc_"), "email": f"{unique('cc')}@example.com", "password": PASSWORD,
            "first_name": "Ada\tB", "last_name": "L", "role": "sales_rep"}  # fmt: skip
    await refused(await client.post("/api/auth/users", json=user, headers=admin.auth), "first_name")
    secret = "Tab\tin-Pass1"  # a password is compared, never shown: any character stays
    made = await client.post(
        "/api/auth/users", json={**user, "first_name": "Ada", "password": secret}, headers=admin.auth
    )
    assert made.status_code == 201, made.text
    signed_in = await client.post("/api/auth/login", json={"email": user["email"], "password": secret})
    assert signed_in.status_code == 200, signed_in.text
    for path in ("/api/auth/users", "/api/leads"):
        await refused(await client.get(path, params={"search": "\u0000"}, headers=admin.auth), "search")

    lines = "Called.\r\n\tVoicemail, will try again\n"
    body = {"leadId": lead, "activityType": "call", "description": lines, "notes": "a\tb\nc"}
    logged = await client.post("/api/activities/log", json=body, headers=admin.auth)
    assert logged.status_code == 201, logged.text
    assert logged.json()["data"]["activity"]["notes"] == "a\tb\nc"
    assert logged.json()["data"]["activity"]["description"] == lines.strip()
    nul = {**body, "description": "a\u0000b"}
    await refused(await client.post("/api/activities/log", json=nul, headers=admin.auth), "description")


async def test_deep_and_non_finite_bodies_are_refused(served: Served, client: httpx.AsyncClient) -> None:
    """990-1,010 levels once overflowed the stack in validation (500); NaN and Infinity were
    stored and later served as invalid JSON. Every body is held to one limit, the webhooks' too."""
    world = await make_world(client)
    targets = ["/api/leads", "/webhooks/website", "/webhooks/facebook"]
    before = await LeadMeta.all().count()
    for path in targets:
        for levels in (33, 990, 1_000, 1_010):
            raw = nested(levels).encode()
            response = await client.post(path, content=raw, headers=headers(world, raw))
            assert response.status_code == 400, (path, levels, response.text)
            assert response.json()["message"] == "JSON nested too deeply (limit 32)"
        for number in ("NaN", "Infinity", "-Infinity", "1e400"):
            body = '{"email": "n@example.com", "answers": {"email": "n@example.com", "score": ' + number
            raw = (body + "}}").encode()
            response = await client.post(path, content=raw, headers=headers(world, raw))
            assert response.status_code == 400, (path, number, response.text)
            assert response.json()["message"].startswith("NaN and Infinity are not JSON numbers")
    assert await LeadMeta.all().count() == before
    raw = nested(32).encode()
    created = await client.post("/api/leads", content=raw, headers=headers(world, raw))
    assert created.status_code == 201, created.text
