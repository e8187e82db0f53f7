"""GET /openapi.json documents every route of the router (a description and a response schema
each), and GET /docs is a page whose every file the app itself serves (it works offline)."""

from __future__ import annotations

import re

import httpx

from salesmagnet.openapi.routes import skipped
from tests.conftest import Served

PARAM = re.compile(r"<(\w+)(?::[^>]*)?>")
NO_BODY = {"204", "303"}  # a CORS preflight's answer and a form's redirect carry no body


async def test_every_route_is_documented(served: Served, client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.1")
    walked = 0
    for route in served.app.router.routes:
        if skipped(route):
            continue
        path = "/" + PARAM.sub(lambda m: "{" + m.group(1) + "}", route.path).rstrip("/")
        for method in route.methods - {"HEAD"}:
            operation = spec["paths"][path or "/"][method.lower()]
            walked += 1
            assert operation["description"].strip(), (method, path)
            answers = {code: answer for code, answer in operation["responses"].items() if code < "400"}
            assert answers, (method, path)
            for code, answer in answers.items():
                if code not in NO_BODY:
                    assert all("schema" in c for c in answer["content"].values()), (method, path, code)
            failure = operation["responses"]["503"]["content"]["application/json"]["schema"]
            assert failure == {"$ref": "#/components/schemas/Error"}
    assert walked > 100


async def test_the_document_names_its_security_and_shapes(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert schemes["webhookKey"] == {"type": "apiKey", "in": "header", "name": "X-Webhook-Key"}
    website = spec["paths"]["/webhooks/website"]["post"]
    assert {"webhookKey": []} in website["security"]
    assert "application/x-www-form-urlencoded" in website["requestBody"]["content"]
    lead = spec["paths"]["/api/leads/{lead_id}"]["get"]
    assert lead["security"] == [{"bearerAuth": []}]
    assert lead["parameters"][0] == {
        "name": "lead_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": 2_147_483_647},
    }
    data = lead["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["data"]
    assert data == {"$ref": "#/components/schemas/LeadDetail"}
    assert "attribution" in spec["components"]["schemas"]["LeadDetail"]["properties"]
    listed = spec["paths"]["/api/leads"]["get"]
    assert {p["name"] for p in listed["parameters"]} >= {"status", "search", "limit", "offset"}
    verify = spec["paths"]["/webhooks/facebook"]["get"]
    assert {p["name"] for p in verify["parameters"]} == {"hub.mode", "hub.verify_token", "hub.challenge"}
    assert spec["paths"]["/api/auth/login"]["post"]["security"] == []


async def test_the_docs_page_is_served_whole_by_the_app(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    files = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert files and all(f.startswith("/docs/") for f in files)  # nothing from another host
    for name in files:
        asset = await client.get(name)
        assert asset.status_code == 200, name
        assert len(asset.content) > 0
    init = (await client.get("/docs/init.js")).text
    assert '"/openapi.json"' in init
    assert (await client.get("/docs/..%2Fpyproject.toml")).status_code == 404
    assert (await client.get("/docs/index.html")).status_code == 404


async def test_every_success_answer_carries_data(client: httpx.AsyncClient) -> None:
    """`{success: true, data, message?}` everywhere: an answer with nothing to return says
    `data: null`, so a client reads `data` the same way from every call. (The probes and the
    webhooks answer in the shapes CONTRACT §4 and §5 and Meta fix, outside the envelope.)"""
    spec = (await client.get("/openapi.json")).json()
    without = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for code, answer in operation["responses"].items():
                schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
                enveloped = "success" in schema.get("properties", {})
                if code < "400" and enveloped and "data" not in schema["required"]:
                    without.append(f"{method.upper()} {path} {code}")
    assert without == []


async def test_every_list_documents_how_many_rows_a_page_holds(client: httpx.AsyncClient) -> None:
    """A list's `limit` names its default and its ceiling: a `maximum` it refuses beyond, or the
    500 rows a page holds when a larger one is clamped."""
    spec = (await client.get("/openapi.json")).json()
    vague = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation["parameters"]:
                if parameter["in"] != "query" or parameter["name"] != "limit":
                    continue
                schema = parameter["schema"]
                ceiling = schema.get("maximum", 0) <= 500 or "at most 500" in parameter.get("description", "")
                if "default" not in schema or not ceiling:
                    vague.append(f"{method.upper()} {path}")
    assert vague == []
