"""The website webhook as browsers use it: plain form posts, CORS for fetch() from a landing page,
and a thank-you page after a plain form's delivery — each within the entity's own settings."""

from __future__ import annotations

from typing import Any

import httpx

from models import Entity, LeadMeta, RoleId
from salesmagnet.entities import service as entities
from tests.conftest import unique
from tests.factories import TestUser, logged_in, make_entity

SHOP = "https://shop.example.com"


async def keyed(client: httpx.AsyncClient, **settings: Any) -> tuple[Entity, str, TestUser]:
    """A fresh entity with its webhook key and an admin who set `settings` through the API."""
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    if settings:
        put = await client.put(f"/api/entities/{entity.id}", json={"settings": settings}, headers=admin.auth)
        assert put.status_code == 200, put.text
    return entity, await entities.webhook_key(entity.name), admin


async def lead_via_api(client: httpx.AsyncClient, user: TestUser, lead_id: int) -> dict[str, Any]:
    response = await client.get(f"/api/leads/{lead_id}", headers=user.auth)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def preflight(client: httpx.AsyncClient, origin: str, key: str | None) -> Any:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    return client.options("/api/webhooks/website", params={"key": key} if key else {}, headers=headers)


async def test_a_urlencoded_form_with_the_key_in_the_query_makes_a_lead(client: httpx.AsyncClient) -> None:
    entity, key, admin = await keyed(client)
    email = f"{unique('form')}@example.com"
    form = {
        "name": "Ada Lovelace",
        "email": email,
        "phone": "",  # an empty input is no answer
        "interest[]": ["crm", "support"],
        "utm_source": "flyer",
        "message": "Call me",
    }
    response = await client.post(f"/webhooks/website?key={key}", data=form)
    assert response.status_code == 201, response.text
    assert response.json()["message"] == "Lead received successfully"
    lead = await lead_via_api(client, admin, response.json()["lead_id"])
    assert (lead["email"], lead["first_name"], lead["last_name"]) == (email, "Ada", "Lovelace")
    assert lead["raw_field_data"] == {
        "name": "Ada Lovelace",
        "email": email,
        "interest": "crm, support",  # a checkbox group keeps every choice
        "message": "Call me",
        "utm_source": "flyer",
    }
    meta = await LeadMeta.get(entity_id=entity.id)
    assert meta.utm_source == "flyer"
    again = await client.post(f"/webhooks/website?key={key}", data=form)
    assert (again.status_code, again.json()["lead_id"]) == (200, response.json()["lead_id"])


async def test_a_multipart_form_with_a_hidden_key_field_makes_a_lead(client: httpx.AsyncClient) -> None:
    _, key, admin = await keyed(client)
    email = f"{unique('multi')}@example.com"
    response = await client.post(
        "/api/webhooks/website",
        data={"key": key, "first_name": "Grace", "last_name": "Hopper", "email": email, "company": "Navy"},
        files={"cv": ("cv.pdf", b"%PDF-1.4 not read", "application/pdf")},
    )
    assert response.status_code == 201, response.text
    lead = await lead_via_api(client, admin, response.json()["lead_id"])
    assert (lead["email"], lead["full_name"]) == (email, "Grace Hopper")
    # the key is not kept as an answer, and the file part is ignored
    assert lead["raw_field_data"] == {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": email,
        "company": "Navy",
    }
    wrong = await client.post("/webhooks/website", data={"key": "not-a-key", "email": email})
    assert wrong.status_code == 401


async def test_malformed_forms_are_refused_cleanly(client: httpx.AsyncClient) -> None:
    _, key, _ = await keyed(client)
    before = await LeadMeta.all().count()
    url = f"/webhooks/website?key={key}"
    no_boundary = await client.post(url, content=b"x", headers={"Content-Type": "multipart/form-data"})
    bad_part = await client.post(
        url,
        content=b"--b\r\nno colon here\r\n\r\nvalue\r\n--b--\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    too_many = await client.post(url, data={f"f{n}": "x" for n in range(300)})
    no_contact = await client.post(url, data={"name": "Nobody"})
    for response in (no_boundary, bad_part, too_many, no_contact):
        assert response.status_code == 400, response.text
        assert response.json()["success"] is False and response.json()["message"]
    assert await LeadMeta.all().count() == before


async def test_preflight_answers_only_origins_the_entity_lists(client: httpx.AsyncClient) -> None:
    _, key, _ = await keyed(client, webhook_allowed_origins=[SHOP, "http://localhost:8080"])
    allowed = await preflight(client, SHOP, key)
    assert allowed.status_code == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == SHOP
    assert allowed.headers["Vary"] == "Origin"
    assert allowed.headers["Access-Control-Allow-Methods"] == "POST"
    assert "x-webhook-key" in allowed.headers["Access-Control-Allow-Headers"].lower()
    assert int(allowed.headers["Access-Control-Max-Age"]) > 0
    local = await preflight(client, "http://localhost:8080", key)
    assert local.headers["Access-Control-Allow-Origin"] == "http://localhost:8080"
    for origin, presented in (
        ("https://evil.example.com", key),  # not listed
        ("http://shop.example.com", key),  # another scheme is another origin
        (SHOP, None),  # no key: nothing to decide by
        (SHOP, "not-a-key"),
    ):
        refused = await preflight(client, origin, presented)
        assert refused.status_code == 204
        assert "Access-Control-Allow-Origin" not in refused.headers, (origin, presented)
        assert "Access-Control-Allow-Methods" not in refused.headers


async def test_any_origin_only_when_the_admin_says_star(client: httpx.AsyncClient) -> None:
    _, quiet_key, _ = await keyed(client)  # nothing listed: no CORS answer at all
    assert "Access-Control-Allow-Origin" not in (await preflight(client, SHOP, quiet_key)).headers
    _, key, _ = await keyed(client, webhook_allowed_origins=["*"])
    anywhere = await preflight(client, "https://anyone.example.net", key)
    assert anywhere.headers["Access-Control-Allow-Origin"] == "*"
    posted = await client.post(
        "/webhooks/website",
        json={"email": f"{unique('star')}@example.com"},
        headers={"X-Webhook-Key": key, "Origin": "https://anyone.example.net"},
    )
    assert posted.status_code == 201 and posted.headers["Access-Control-Allow-Origin"] == "*"


async def test_posts_from_pages_follow_the_listed_origins(client: httpx.AsyncClient) -> None:
    entity, key, _ = await keyed(client, webhook_allowed_origins=[SHOP])
    headers = {"X-Webhook-Key": key, "Origin": SHOP}
    made = await client.post(
        "/webhooks/website", json={"email": f"{unique('o')}@example.com"}, headers=headers
    )
    assert made.status_code == 201
    assert made.headers["Access-Control-Allow-Origin"] == SHOP and made.headers["Vary"] == "Origin"
    # an error from an allowed page is readable by its script too
    bad = await client.post("/webhooks/website", json={"name": "No contact"}, headers=headers)
    assert bad.status_code == 400 and bad.headers["Access-Control-Allow-Origin"] == SHOP
    before = await LeadMeta.filter(entity_id=entity.id).count()
    elsewhere = await client.post(
        f"/webhooks/website?key={key}",
        data={"email": f"{unique('x')}@example.com"},
        headers={"Origin": "https://evil.example.com"},
    )
    assert elsewhere.status_code == 403 and elsewhere.json()["success"] is False
    assert "Access-Control-Allow-Origin" not in elsewhere.headers
    assert await LeadMeta.filter(entity_id=entity.id).count() == before
    server = await client.post(
        "/webhooks/website", json={"email": f"{unique('s')}@example.com"}, headers={"X-Webhook-Key": key}
    )
    assert server.status_code == 201  # no Origin: a server's delivery, not a page's
    assert "Access-Control-Allow-Origin" not in server.headers


async def test_one_entitys_origin_does_not_open_anothers_key(client: httpx.AsyncClient) -> None:
    _, key_a, _ = await keyed(client, webhook_allowed_origins=[SHOP])
    _, key_b, _ = await keyed(client, webhook_allowed_origins=["https://b.example.org"])
    _, key_c, _ = await keyed(client)  # lists nothing
    assert (await preflight(client, SHOP, key_a)).headers["Access-Control-Allow-Origin"] == SHOP
    for key in (key_b, key_c):
        assert "Access-Control-Allow-Origin" not in (await preflight(client, SHOP, key)).headers
    body = {"email": f"{unique('ab')}@example.com"}
    from_shop_to_b = await client.post(
        "/webhooks/website", json=body, headers={"X-Webhook-Key": key_b, "Origin": SHOP}
    )
    assert from_shop_to_b.status_code == 403
    from_shop_to_c = await client.post(
        "/webhooks/website", json=body, headers={"X-Webhook-Key": key_c, "Origin": SHOP}
    )
    assert from_shop_to_c.status_code == 201  # taken as before, but the browser gets no CORS answer
    assert "Access-Control-Allow-Origin" not in from_shop_to_c.headers


async def test_a_plain_form_is_sent_on_to_an_allowed_thank_you_page(client: httpx.AsyncClient) -> None:
    entity, key, admin = await keyed(client, webhook_redirect_hosts=["shop.example.com"])
    email = f"{unique('thanks')}@example.com"
    form = {"email": email, "_redirect": f"{SHOP}/thanks?from=form"}
    first = await client.post(f"/webhooks/website?key={key}", data=form)
    assert first.status_code == 303 and first.headers["Location"] == f"{SHOP}/thanks?from=form"
    assert key not in first.headers["Location"]
    again = await client.post(f"/webhooks/website?key={key}", data=form)
    assert again.status_code == 303  # a resubmitted form goes to the same page, one lead
    leads = (await client.get("/api/leads", headers=admin.auth)).json()
    assert leads["total"] == 1 and leads["data"][0]["email"] == email
    lead = await lead_via_api(client, admin, leads["data"][0]["id"])
    assert "_redirect" not in lead["raw_field_data"]
    plain = await client.post(f"/webhooks/website?key={key}", json={"email": f"{unique('j')}@example.com"})
    assert plain.status_code == 201 and plain.json()["success"] is True  # no _redirect: JSON as ever
    assert await LeadMeta.filter(entity_id=entity.id).count() == 2


async def test_a_redirect_elsewhere_is_refused_and_writes_nothing(client: httpx.AsyncClient) -> None:
    entity, key, _ = await keyed(client, webhook_redirect_hosts=["shop.example.com"])
    _, open_key, _ = await keyed(client)  # lists no hosts: no redirect at all
    for target, presented in (
        ("https://evil.example.com/thanks", key),
        ("https://shop.example.com.evil.example.com/", key),
        ("https://shop.example.com@evil.example.com/", key),
        ("https://evil.example.com\\@shop.example.com/", key),
        ("javascript:alert(1)//shop.example.com", key),
        ("//shop.example.com/thanks", key),
        ("/thanks", key),
        (f"{SHOP}/thanks\r\nSet-Cookie: x=1", key),
        (f"{SHOP}/thanks", open_key),
    ):
        response = await client.post(
            f"/webhooks/website?key={presented}",
            data={"email": f"{unique('r')}@example.com", "_redirect": target},
        )
        assert response.status_code == 400, (target, response.text)
        assert "Location" not in response.headers
        assert response.json()["errors"][0]["field"] == "_redirect"
    assert await LeadMeta.filter(entity_id=entity.id).count() == 0


async def test_the_settings_are_validated_and_normalised(client: httpx.AsyncClient) -> None:
    entity, _, admin = await keyed(client)
    url = f"/api/entities/{entity.id}"
    shown = (await client.get(url, headers=admin.auth)).json()["data"]["settings"]
    assert (shown["webhook_allowed_origins"], shown["webhook_redirect_hosts"]) == ([], [])
    good = {
        "webhook_allowed_origins": ["HTTPS://Shop.Example.com:443/", "http://localhost:8080", SHOP],
        "webhook_redirect_hosts": ["Shop.Example.com.", "thanks.example.org"],
    }
    saved = await client.put(url, json={"settings": good}, headers=admin.auth)
    assert saved.status_code == 200, saved.text
    settings = saved.json()["data"]["settings"]
    assert settings["webhook_allowed_origins"] == [SHOP, "http://localhost:8080"]
    assert settings["webhook_redirect_hosts"] == ["shop.example.com", "thanks.example.org"]
    for field, value in (
        ("webhook_allowed_origins", ["https://shop.example.com/page"]),
        ("webhook_allowed_origins", ["shop.example.com"]),
        ("webhook_allowed_origins", ["ftp://shop.example.com"]),
        ("webhook_allowed_origins", ["https://user@shop.example.com"]),
        ("webhook_allowed_origins", ["https://shop.example.com:99999"]),
        ("webhook_allowed_origins", ["*", SHOP]),
        ("webhook_allowed_origins", "*"),
        ("webhook_redirect_hosts", ["https://shop.example.com"]),
        ("webhook_redirect_hosts", ["shop.example.com/thanks"]),
        ("webhook_redirect_hosts", ["*.example.com"]),
        ("webhook_redirect_hosts", ["bad_host.example.com"]),
    ):
        response = await client.put(url, json={"settings": {field: value}}, headers=admin.auth)
        assert response.status_code == 400, (field, value)
        assert field in " ".join(e["field"] for e in response.json()["errors"]), response.text
    kept = (await client.get(url, headers=admin.auth)).json()["data"]["settings"]
    assert kept["webhook_allowed_origins"] == [SHOP, "http://localhost:8080"]
    cleared = await client.put(url, json={"settings": {"webhook_allowed_origins": []}}, headers=admin.auth)
    assert cleared.json()["data"]["settings"]["webhook_allowed_origins"] == []
    manager = await logged_in(client, entity, RoleId.MANAGER)
    star = {"settings": {"webhook_allowed_origins": ["*"]}}
    assert (await client.put(url, json=star, headers=manager.auth)).status_code == 403
