"""The API against its own contract: schemathesis generates requests from the served
/openapi.json for every operation, as an admin of entity A (with leads, users, an activity, a
template, a saved report, an export and a failed Lead Ads delivery) and as an admin of entity B.

Valid requests (and, fewer, requests made invalid in their query, headers or body) are sent;
every answer must be no 5xx, a status the operation documents, its documented content type and
a body matching its schema; and nothing B is answered may carry A's data (A's distinctive
names and addresses). Path ids are A's own, so B aims every request at A's rows.

Left out, because they would end the run rather than test anything: `POST /api/auth/logout-all`
(it ends the caller's own token, so every later request would be a 401). Deletions run last
(they remove the rows the other operations are aimed at).
"""

from __future__ import annotations

import asyncio
import os
import secrets
from dataclasses import dataclass
from itertools import product
from typing import Any

import httpx
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from models import LeadMeta, RoleId
from salesmagnet.entities import service as entities
from tests.conftest import Served
from tests.factories import TestUser, logged_in, make_entity, make_lead, make_user

# Examples per operation and caller (CONTRACT_EXAMPLES): 120 operations x 2 callers x 15 take about
# 30 s on SQLite and 45 s on MariaDB.
EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "15"))
LEFT_OUT = {("POST", "/api/auth/logout-all")}


@dataclass
class Caller:
    name: str
    headers: dict[str, str]
    must_not_see: tuple[str, ...] = ()


async def _seed(served: Served, client: httpx.AsyncClient) -> tuple[dict[str, Any], Caller, Caller]:
    """Entity A with a marked lead, user, activity, template, report, export, invitation and
    failure; B's admin."""
    mine, theirs = await make_entity(), await make_entity()
    tag = secrets.token_hex(4)
    admin = await logged_in(client, mine, RoleId.ADMIN)
    rep = await make_user(mine, RoleId.SALES_REP)
    lead = await make_lead(mine, first_name=f"Marked{tag}", email=f"marked.{tag}@example.com")
    await make_lead(mine, status="contacted", assigned_user_id=rep.id)
    ids = await _seed_over_http(client, admin, lead, rep, tag)
    failed = await LeadMeta.create(
        entity_id=mine.id, platform_key="facebook", source_lead_id=f"f{tag}", processing_status="failed"
    )
    intruder = await logged_in(client, theirs, RoleId.ADMIN)
    await make_lead(theirs)
    path = ids | {
        "lead_id": lead,
        "user_id": rep.id,
        "entity_id": mine.id,
        "name": mine.name,
        "meta_id": failed.id,
    }
    markers = (f"Marked{tag}", f"marked.{tag}@example.com", rep.email, admin.email, mine.name, f"note{tag}")
    key_a = await entities.webhook_key(mine.name)
    key_b = await entities.webhook_key(theirs.name)
    a = Caller("A", {**admin.auth, "X-Webhook-Key": key_a})
    b = Caller("B", {**intruder.auth, "X-Webhook-Key": key_b}, markers)
    return path, a, b


async def _seed_over_http(
    client: httpx.AsyncClient, admin: TestUser, lead: int, rep: TestUser, tag: str
) -> dict[str, Any]:
    async def post(url: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await client.post(url, json=body, headers=admin.auth)
        assert response.status_code in (200, 201, 202), response.text
        data: dict[str, Any] = response.json()["data"]
        return data

    await post("/api/activities/log", {"leadId": lead, "activityType": "call", "description": f"note{tag}"})
    template = await post(
        "/api/reporting/templates",
        {"name": f"note{tag}", "report_type": "lead_summary", "recipients": [rep.email],
         "schedule": {"frequency": "daily", "time": "09:00"}},
    )  # fmt: skip
    saved = await post("/api/reporting/generate-and-save", {"template_id": template["id"]})
    export = await post("/api/analytics/export", {"report_type": "leads"})
    await post("/api/auth/invites", {"role": "support"})
    invites = await client.get("/api/auth/invites", headers=admin.auth)
    return {
        "invite_id": invites.json()["data"][0]["id"],
        "template_id": template["id"],
        "schedule_id": template["schedule"]["id"],
        "report_id": saved["report_id"],
        "export_id": export["id"],
    }


def _fuzz(spec: dict[str, Any], url: str, path: dict[str, Any], callers: list[Caller]) -> list[str]:
    """Runs every operation's examples for each caller; the failures, one line each."""
    schema = schemathesis.openapi.from_dict(spec)
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda op: op.method.upper() == "DELETE")
    failures: list[str] = []
    session = requests.Session()
    for operation in operations:
        if (operation.method.upper(), operation.path) in LEFT_OUT:
            continue
        names = {p.name for p in operation.path_parameters}
        pinned = {name: path[name] for name in names}
        modes = [(GenerationMode.POSITIVE, EXAMPLES)]
        if operation.query or operation.body or operation.headers:  # something to make invalid
            modes.append((GenerationMode.NEGATIVE, max(1, EXAMPLES // 3)))
        for caller, (mode, examples) in product(callers, modes):
            try:
                _examples(operation, mode, examples, pinned, url, caller, session)
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis' failures are groups
                failures.append(f"{caller.name} {mode.value} {operation.label}: {str(exc)[:1500]}")
    return failures


def _examples(
    operation: Any,
    mode: GenerationMode,
    examples: int,
    pinned: dict[str, Any],
    url: str,
    caller: Caller,
    session: Any,
) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy(generation_mode=mode, path_parameters=pinned or None))
    def run(case: Any) -> None:
        response = case.call(base_url=url, headers=caller.headers, session=session, timeout=30)
        assert response.status_code < 500, (response.status_code, response.text[:500])
        case.validate_response(
            response,
            checks=[status_code_conformance, content_type_conformance, response_schema_conformance],
        )
        for marker in caller.must_not_see:
            assert marker not in response.text, f"{caller.name} was answered {marker!r}"

    run()


async def test_every_operation_keeps_its_contract(served: Served, client: httpx.AsyncClient) -> None:
    path, a, b = await _seed(served, client)
    spec = (await client.get("/openapi.json")).json()
    failures = await asyncio.to_thread(_fuzz, spec, served.url, path, [a, b])
    assert failures == [], "\n\n".join(failures)
