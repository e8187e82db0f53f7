"""POST /webhooks/website: the key decides the entity; normalised fields; retries make one lead."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx

from models import Lead, LeadMeta
from salesmagnet.entities import service as entities
from salesmagnet.entities import settings as entity_settings
from salesmagnet.tenancy import Actor
from tests.conftest import Served, unique
from tests.factories import logged_in, long_email, make_entity
from tests.realtime.clients import Listener

DOC_BODY = {
    "platform": "website",
    "page_url": "https://example.com/landing-page",
    "page_id": "landing_page_001",
    "utm": {"source": "google", "medium": "cpc", "campaign": "summer_sale"},
    "answers": {
        "email": "user@example.com",
        "phone": "+15551234567",
        "first_name": "John",
        "last_name": "Doe",
    },
}


async def keyed() -> tuple[object, str]:
    entity = await make_entity()
    return entity, await entities.webhook_key(entity.name)


async def post(
    client: httpx.AsyncClient, body: object, key: str | None, path: str = "/webhooks/website"
) -> httpx.Response:
    headers = {"X-Webhook-Key": key} if key else {}
    return await client.post(path, json=body, headers=headers)


async def floor(served: Served, client: httpx.AsyncClient, entity: object) -> Listener:
    """A sales-floor socket of the entity."""
    user = await logged_in(client, entity)  # type: ignore[arg-type]
    return await Listener().connect(served.url, user.token)


async def test_document_body_creates_a_lead_in_the_keys_entity(
    served: Served, client: httpx.AsyncClient
) -> None:
    entity, key = await keyed()
    listener = await floor(served, client, entity)
    outsider = await floor(served, client, await make_entity())
    try:
        response = await post(client, {**DOC_BODY, "source_lead_id": unique("form-")}, key)
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["success"] is True and body["message"] == "Lead received successfully"
        lead = await Lead.get(id=body["lead_id"])
        assert (lead.entity_id, lead.email, lead.full_name, lead.source_page_name) == (
            entity.id,
            "user@example.com",
            "John Doe",
            "example.com",  # type: ignore[attr-defined]
        )
        meta = await LeadMeta.get(id=lead.lead_meta_id)  # type: ignore[attr-defined]
        assert (meta.page_id, meta.utm_source, meta.utm_campaign, meta.platform_key) == (
            "landing_page_001",
            "google",
            "summer_sale",
            "website",
        )
        await listener.wait_for(lambda: bool(listener.named("lead:new")))
        assert listener.named("lead:new")[0]["lead"]["id"] == body["lead_id"]
        await outsider.quiet()
        assert outsider.named("lead:new") == []  # another entity's floor hears nothing
    finally:
        await listener.close()
        await outsider.close()


async def test_field_name_variations_are_normalised(client: httpx.AsyncClient) -> None:
    _, key = await keyed()
    answers = {
        "Email_Address": "Mixed@Example.COM",
        "phone-number": " +44 20 7946 0000 ",
        "Full Name": "Mary Ann Smith",
        "budget": "10k",
        "consent_time": "2026-11-01T10:00:00+01:00",
    }
    response = await post(client, {"answers": answers, "source_lead_id": unique("v-")}, key)
    lead = await Lead.get(id=response.json()["lead_id"])
    assert (lead.email, lead.phone, lead.first_name, lead.last_name) == (
        "mixed@example.com",
        "+44 20 7946 0000",
        "Mary",
        "Ann Smith",
    )
    assert lead.raw_field_data == answers and lead.consent_time is not None
    flat = {"firstName": "Flat", "email": f"{unique('flat')}@example.com", "utm_source": "newsletter"}
    made = await post(client, flat, key, path="/api/webhooks/website")
    assert made.status_code == 201
    lead = await Lead.get(id=made.json()["lead_id"])
    assert lead.first_name == "Flat" and (await LeadMeta.get(id=lead.lead_meta_id)).utm_source == "newsletter"  # type: ignore[attr-defined]


async def test_key_and_entity_checks(client: httpx.AsyncClient) -> None:
    entity, key = await keyed()
    other = await make_entity()
    before = await Lead.all().count()
    assert (await post(client, DOC_BODY, None)).status_code == 401
    assert (await post(client, DOC_BODY, "not-a-key")).status_code == 401
    assert (
        await client.post(f"/webhooks/website?key={key}", json={**DOC_BODY, "source_lead_id": unique("q-")})
    ).status_code == 201
    wrong = await post(client, {**DOC_BODY, "entity_id": other.id}, key)
    assert wrong.status_code == 403 and wrong.json()["success"] is False
    same = await post(client, {**DOC_BODY, "entity_id": entity.id, "source_lead_id": unique("e-")}, key)  # type: ignore[attr-defined]
    assert same.status_code == 201
    assert await Lead.all().count() == before + 2


async def test_bad_deliveries_write_nothing(client: httpx.AsyncClient) -> None:
    _, key = await keyed()
    before = await LeadMeta.all().count()
    for body in (
        {"answers": {"first_name": "No contact"}},
        {**DOC_BODY, "platform": "facebook"},
        [1, 2],
        "text",
    ):
        response = await post(client, body, key)
        assert response.status_code == 400, body
    broken = await client.post("/webhooks/website", content=b'{"answers": ', headers={"X-Webhook-Key": key})
    assert broken.status_code == 400
    # an address that is not one: the answer names the field and says what is wrong
    mistyped = await post(client, {"answers": {"E-mail": "not-an-email", "first_name": "Bad"}}, key)
    assert mistyped.status_code == 400 and mistyped.json()["errors"][0]["field"] == "answers.E-mail"
    assert "'not-an-email' is not an e-mail address" in mistyped.json()["message"]
    assert await LeadMeta.all().count() == before


async def test_an_address_as_long_as_mail_allows_is_kept(client: httpx.AsyncClient) -> None:
    """A 254-character address (the most mail allows) is the lead's e-mail; an address that
    cannot be kept (longer, or not one) is a 400 naming the answer, even beside a phone: the
    form can tell its visitor, where a lead without it would lose the address unseen."""
    _, key = await keyed()
    longest = long_email(254)
    kept = await post(client, {"answers": {"email": longest, "phone": "+15550001"}}, key)
    assert kept.status_code == 201, kept.text
    assert (await Lead.get(id=kept.json()["lead_id"])).email == longest
    before = await LeadMeta.all().count()
    too_long = long_email(255)
    refused = await post(client, {"answers": {"Work Email": too_long, "phone": "+15550002"}}, key)
    assert refused.status_code == 400 and refused.json()["success"] is False
    assert refused.json()["errors"][0]["field"] == "answers.Work Email"
    assert "254" in refused.json()["message"]
    flat = await post(client, {"email": "not-an-email", "phone": "+15550003"}, key)
    assert flat.status_code == 400 and flat.json()["errors"][0]["field"] == "email"
    assert "'not-an-email' is not an e-mail address" in flat.json()["message"]
    assert await LeadMeta.all().count() == before


async def test_a_phone_answer_is_kept_whole_or_refused(client: httpx.AsyncClient) -> None:
    """A phone answer is never cut to fit (a shortened number rings someone else): up to 30
    characters it is the lead's phone, a longer one (two numbers in one field) is a 400 naming
    the answer, even beside an e-mail."""
    _, key = await keyed()
    longest = "+1 (555) 123-4567 ext. 8901234"
    assert len(longest) == 30
    kept = await post(client, {"answers": {"Mobile": longest, "email": "ok@example.com"}}, key)
    assert kept.status_code == 201, kept.text
    assert (await Lead.get(id=kept.json()["lead_id"])).phone == longest
    before = await LeadMeta.all().count()
    two = "+1 555 123 4567 / +1 555 765 4321"
    refused = await post(client, {"answers": {"Mobile": two, "email": "two@example.com"}}, key)
    assert refused.status_code == 400 and refused.json()["success"] is False
    assert refused.json()["errors"] == [
        {"field": "answers.Mobile", "message": f"{two!r} is not a phone number: longer than 30 characters"}
    ]
    assert await LeadMeta.all().count() == before


async def test_names_are_kept_whole_or_refused(client: httpx.AsyncClient) -> None:
    """A name answer is kept as sent up to its column (first and last names 100 characters, a
    full name 200); a longer one is a 400 naming the answer and writes nothing, where it was cut
    to fit. A full name split into its parts keeps the part that fits whole; one that does not
    is left out, never cut (the full name holds it)."""
    _, key = await keyed()
    first, last = "F" * 100, "L" * 99
    answers = {"email": "names@example.com", "fname": first, "Surname": last}
    kept = await post(client, {"answers": answers}, key)
    assert kept.status_code == 201, kept.text
    lead = await Lead.get(id=kept.json()["lead_id"])
    assert (lead.first_name, lead.last_name, lead.full_name) == (first, last, f"{first} {last}")
    long_rest = "Ann " + "Smith-" * 25  # 154 characters after the first name
    full = f"Mary {long_rest}"
    split = await post(client, {"answers": {"phone": "+15550006", "Full Name": full}}, key)
    assert split.status_code == 201, split.text
    lead = await Lead.get(id=split.json()["lead_id"])
    assert (lead.first_name, lead.last_name, lead.full_name) == ("Mary", None, full.strip())
    before = await LeadMeta.all().count()
    for answers, field, limit in (
        ({"email": "a@example.com", "first_name": "F" * 101}, "answers.first_name", 100),
        ({"email": "b@example.com", "Last Name": "L" * 101}, "answers.Last Name", 100),
        ({"phone": "+15550007", "name": "N " * 101}, "answers.name", 200),
    ):
        refused = await post(client, {"answers": answers}, key)
        assert refused.status_code == 400 and refused.json()["success"] is False, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == [field]
        assert f"longer than {limit} characters" in refused.json()["errors"][0]["message"]
    flat = await post(client, {"email": "c@example.com", "firstName": "F" * 101}, key)
    assert flat.status_code == 400 and [e["field"] for e in flat.json()["errors"]] == ["firstName"]
    assert await LeadMeta.all().count() == before


async def test_utm_values_are_kept_whole_or_refused(client: httpx.AsyncClient) -> None:
    """UTM values are kept as sent, up to their columns (campaign 150, the others 100); a longer
    one is a 400 naming it (`utm.source` in the document's body, `utm_source` in a flat one) and
    writes nothing, where it was cut to 100 and the lead's attribution was another's."""
    _, key = await keyed()
    fits = {"source": "s" * 100, "medium": "m" * 100, "campaign": "c" * 150, "term": "t" * 100}
    fits["content"] = "x" * 100
    kept = await post(client, {**DOC_BODY, "source_lead_id": unique("utm-"), "utm": fits}, key)
    assert kept.status_code == 201, kept.text
    meta = await LeadMeta.get(lead__id=kept.json()["lead_id"])
    assert (meta.utm_source, meta.utm_medium, meta.utm_campaign, meta.utm_term, meta.utm_content) == tuple(
        fits.values()
    )
    before = await LeadMeta.all().count()
    for name in ("source", "medium", "term", "content"):
        nested = await post(client, {**DOC_BODY, "utm": {**fits, name: "u" * 101}}, key)
        assert nested.status_code == 400 and nested.json()["success"] is False, nested.text
        assert [e["field"] for e in nested.json()["errors"]] == [f"utm.{name}"]
        assert "100 characters" in nested.json()["errors"][0]["message"]
        flat = await post(client, {"email": "flat@example.com", f"utm_{name}": "u" * 101}, key)
        assert flat.status_code == 400 and [e["field"] for e in flat.json()["errors"]] == [f"utm_{name}"]
    campaign = await post(client, {"phone": "+15550005", "utm_campaign": "c" * 151}, key)
    assert campaign.status_code == 400 and [e["field"] for e in campaign.json()["errors"]] == ["utm_campaign"]
    assert await LeadMeta.all().count() == before


async def test_a_page_on_a_long_host_still_delivers(client: httpx.AsyncClient) -> None:
    """A page whose host name is longer than the lead's page name holds (150; DNS allows 253)
    delivers its lead (it was a 500 on MariaDB); the page URL keeps the host."""
    entity, key = await keyed()
    user = await logged_in(client, entity)  # type: ignore[arg-type]
    host = ".".join(["h" * 63, "o" * 63, "s" * 63]) + ".example"
    page_url = f"https://{host}/landing"
    response = await post(client, {"page_url": page_url, "answers": {"phone": "+15550004"}}, key)
    assert response.status_code == 201, response.text
    lead_id = response.json()["lead_id"]
    read = (await client.get(f"/api/leads/{lead_id}", headers=user.auth)).json()["data"]
    assert (read["source_page_name"], read["attribution"]["page_url"]) == (None, page_url)


async def test_created_time_out_of_range_is_named(client: httpx.AsyncClient) -> None:
    _, key = await keyed()
    before = await LeadMeta.all().count()
    for created_time in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "soon", 10**12, [1]):
        response = await post(client, {**DOC_BODY, "created_time": created_time}, key)
        assert response.status_code == 400, (created_time, response.text)
        assert [e["field"] for e in response.json()["errors"]] == ["created_time"]
    assert await LeadMeta.all().count() == before
    fine = await post(client, {**DOC_BODY, "created_time": "2026-01-02T03:04:05+14:00"}, key)
    assert fine.status_code == 201
    meta = await LeadMeta.get(lead__id=fine.json()["lead_id"])
    assert meta.created_time is not None and meta.created_time.isoformat().startswith("2026-01-01T13:04:05")


async def test_retries_make_one_lead(client: httpx.AsyncClient) -> None:
    _, key = await keyed()
    body = {**DOC_BODY, "source_lead_id": unique("retry-")}
    first, again = await post(client, body, key), await post(client, body, key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["lead_id"] == again.json()["lead_id"]
    anonymous = {**DOC_BODY, "answers": {**DOC_BODY["answers"], "email": f"{unique('a')}@example.com"}}  # type: ignore[dict-item]
    one, two = await post(client, anonymous, key), await post(client, anonymous, key)
    assert (one.status_code, two.status_code) == (201, 200) and one.json()["lead_id"] == two.json()["lead_id"]


async def test_twenty_concurrent_copies_make_one_lead_and_one_event(
    served: Served, client: httpx.AsyncClient
) -> None:
    entity, key = await keyed()
    listener = await floor(served, client, entity)
    try:
        body = {**DOC_BODY, "source_lead_id": unique("burst-")}
        answers = await asyncio.gather(*(post(client, body, key) for _ in range(20)))
        assert sorted(a.status_code for a in answers) == [200] * 19 + [201]
        assert len({a.json()["lead_id"] for a in answers}) == 1
        assert await Lead.filter(entity_id=entity.id).count() == 1  # type: ignore[attr-defined]
        await listener.wait_for(lambda: bool(listener.named("lead:new")))
        await listener.quiet(0.5)
        assert len(listener.named("lead:new")) == 1
    finally:
        await listener.close()


async def test_a_burst_mixing_new_leads_retries_and_copies(served: Served, client: httpx.AsyncClient) -> None:
    """Deliveries that arrive together share transactions: new leads, a retry of a lead made
    earlier (which fails a shared batch, whose leads are then written one by one) and copies
    within the burst each end as exactly one lead, one event, and counted once."""
    entity, key = await keyed()
    listener = await floor(served, client, entity)
    try:
        earlier = {**DOC_BODY, "source_lead_id": unique("earlier-")}
        made_before = (await post(client, earlier, key)).json()["lead_id"]
        fresh = [{**DOC_BODY, "source_lead_id": unique(f"new{n}-")} for n in range(24)]
        burst = [*fresh, earlier, fresh[0], fresh[5], earlier, *fresh[10:14]]
        answers = await asyncio.gather(*(post(client, body, key) for body in burst))
        assert all(a.status_code in (200, 201) for a in answers), [a.text for a in answers]
        ids = [a.json()["lead_id"] for a in answers]
        by_source = {}
        for body, lead_id in zip(burst, ids, strict=True):
            assert by_source.setdefault(body["source_lead_id"], lead_id) == lead_id
        assert by_source[earlier["source_lead_id"]] == made_before
        assert sum(a.status_code == 201 for a in answers) == 24
        # Each lead is tied to its own delivery's record (a batch names them by the ids the
        # records' INSERT gave them).
        records = LeadMeta.filter(entity_id=entity.id, source_lead_id__in=list(by_source))
        record_of = dict(await records.values_list("source_lead_id", "id"))
        tied = dict(await Lead.filter(id__in=list(by_source.values())).values_list("id", "lead_meta_id"))  # type: ignore[attr-defined]
        assert {source: tied[lead_id] for source, lead_id in by_source.items()} == record_of
        assert await Lead.filter(entity_id=entity.id).count() == 25  # type: ignore[attr-defined]
        await listener.wait_for(lambda: len(listener.named("lead:new")) >= 25)
        await listener.quiet(0.3)
        seqs = [e["seq"] for e in listener.named("lead:new")]
        assert len(seqs) == 25 and sorted(seqs) == seqs  # one each, in order
        user = await logged_in(client, entity)  # type: ignore[arg-type]
        counts = (await client.get("/api/leads/counts", headers=user.auth)).json()["data"]
        listed = (await client.get("/api/leads", headers=user.auth)).json()
        assert counts[0] == {"status": "new", "count": 25} and listed["total"] == 25
    finally:
        await listener.close()


async def test_per_key_rate_limit(served: Served, client: httpx.AsyncClient) -> None:
    _, key = await keyed()
    deps = served.app.ctx.deps
    settings = deps.settings
    deps.settings = replace(settings, webhook_rate_per_minute=3)
    try:
        codes = [
            (await post(client, {**DOC_BODY, "source_lead_id": unique("r-")}, key)).status_code
            for _ in range(4)
        ]
        assert codes == [201, 201, 201, 429]
        limited = await post(client, DOC_BODY, key)
        assert 0 < int(limited.headers["Retry-After"]) <= 60
    finally:
        deps.settings = settings


async def test_hostile_bodies_with_a_valid_key_are_refused_cleanly(client: httpx.AsyncClient) -> None:
    _, key = await keyed()
    bodies: list[object] = [
        {"answers": "text"},
        {"answers": [1]},
        {"answers": {"email": ["a@b.co"], "phone": {"x": 1}}},
        {"answers": {"email": "a@b.co"}, "utm": "google"},
        {"answers": {"email": "a@b.co"}, "entity_id": "x"},
        {"answers": {"email": "a@b.co"}, "source_lead_id": "x" * 500},
        {"answers": {"email": "a@b.co"}, "page_url": "h" * 600},
        {"answers": {"email": "\u0000@\u0000.\u0000", "phone": None}},
        {"answers": {"email": "' OR 1=1 --"}},
        {"answers": {"email": "x@y.z", "created_time": {"$gt": 0}}, "created_time": [1, 2]},
    ]
    before = await LeadMeta.all().count()
    for body in bodies:
        response = await post(client, body, key)
        assert 400 <= response.status_code < 500 or response.status_code == 201, (body, response.text)
        assert response.json()["success"] is (response.status_code == 201)
        if response.status_code >= 400:
            assert response.json()["message"]
    assert await LeadMeta.all().count() - before <= 1  # only the last body is a valid lead


async def test_ids_sent_as_numbers_are_kept_as_text(client: httpx.AsyncClient) -> None:
    """A form builder that numbers its submissions sends `"source_lead_id": 1234` (and numeric
    page, form, ad and campaign ids): the lead is made, and a retry of it is recognised."""
    _, key = await keyed()
    number = int(unique(""), 16)
    body = {
        "source_lead_id": number,
        "page_id": 101,
        "form_id": 202,
        "ad_id": 303,
        "campaign_id": 404,
        "answers": {"email": f"{unique('num')}@example.com"},
    }
    first, again = await post(client, body, key), await post(client, body, key)
    assert (first.status_code, again.status_code) == (201, 200), first.text
    assert first.json()["lead_id"] == again.json()["lead_id"]
    meta = await LeadMeta.get(lead__id=first.json()["lead_id"])
    assert (meta.source_lead_id, meta.page_id, meta.form_id, meta.ad_id, meta.campaign_id) == (
        str(number),
        "101",
        "202",
        "303",
        "404",
    )


async def test_a_delivery_without_a_valid_key_is_401_whatever_its_body(client: httpx.AsyncClient) -> None:
    """The key is checked before the body: a sender with a wrong key is told so (401), not
    sent to fix a body it may then resend to be refused anyway."""
    _, key = await keyed()
    for sent_key in (None, "not-a-key"):
        for body in (b'{"answers": ', b"[1, 2]", b'{"answers": {"first_name": "No contact"}}'):
            headers = {"X-Webhook-Key": sent_key} if sent_key else {}
            response = await client.post("/webhooks/website", content=body, headers=headers)
            assert response.status_code == 401, (sent_key, body, response.text)
    keyed_form = await client.post("/webhooks/website", data={"key": key, "first_name": "No contact"})
    assert keyed_form.status_code == 400  # a form's own key field still opens it
    unkeyed_form = await client.post("/webhooks/website", data={"key": "not-a-key", "first_name": "x"})
    assert unkeyed_form.status_code == 401


async def test_utm_values_sent_as_numbers_are_kept_as_text(client: httpx.AsyncClient) -> None:
    """A numeric campaign id as the UTM value (`"utm": {"campaign": 2026}`, or flat
    `"utm_campaign": 2026`): the lead is made and keeps it, neither refused nor dropped."""
    _, key = await keyed()
    nested = {"utm": {"campaign": 2026, "content": 7}, "answers": {"email": f"{unique('u')}@example.com"}}
    flat = {"utm_campaign": 2027, "utm_term": 8.5, "email": f"{unique('u')}@example.com"}
    kept = []
    for body in (nested, flat):
        response = await post(client, body, key)
        assert response.status_code == 201, response.text
        meta = await LeadMeta.get(lead__id=response.json()["lead_id"])
        kept.append((meta.utm_campaign, meta.utm_content, meta.utm_term))
    assert kept == [("2026", "7", None), ("2027", None, "8.5")]


async def test_ids_differing_only_in_case_are_two_leads(client: httpx.AsyncClient) -> None:
    """A form's submission ids are exact: "aB1…" and "Ab1…" (or "café…" and "cafe…") are two
    submissions, two leads on either database. MariaDB's collation took the second for a retry
    of the first (200, the first lead_id) and its lead was lost. A true retry is still one."""
    entity, key = await keyed()
    tag = unique("")
    ids = [f"aB1-{tag}", f"Ab1-{tag}", f"café-{tag}", f"cafe-{tag}"]
    made = []
    for number, source_id in enumerate(ids):
        answers = {"email": f"case{number}-{tag}@example.com"}
        response = await post(client, {"source_lead_id": source_id, "answers": answers}, key)
        assert response.status_code == 201, (source_id, response.text)
        made.append(response.json()["lead_id"])
    assert len(set(made)) == 4
    for source_id, lead_id in zip(ids, made, strict=True):
        retry = await post(client, {"source_lead_id": source_id, "answers": {"email": "x@example.com"}}, key)
        assert (retry.status_code, retry.json()["lead_id"]) == (200, lead_id)
    metas = await LeadMeta.filter(entity_id=entity.id).order_by("id").values_list("source_lead_id", flat=True)  # type: ignore[attr-defined]
    assert metas == ids


async def test_a_delivery_for_an_entity_deleted_moments_ago_is_refused_as_an_unknown_key(
    client: httpx.AsyncClient,
) -> None:
    """The server remembers a key's entity for 30 s. An operator deleting the entity (entity-delete,
    another process) meanwhile took its key with it: a delivery then is a 401, as with a key that
    never was, not a 404 "Entity not found" that tells the sender nothing of its key, nor a 500
    while the lead writer still held the entity's settings (read at most 2 s before, here by
    hand); from a web page (with an Origin, whose entity's rules are read first) too."""
    page = {"Origin": "https://shop.example.com"}
    for origin, settings_held in (({}, False), ({}, True), (page, False)):
        entity, key = await keyed()
        headers = {"X-Webhook-Key": key, **origin}
        refused = await client.post(
            "/webhooks/website", json={"answers": {"first_name": "x"}}, headers=headers
        )
        assert refused.status_code == 400  # the key was found, and is now remembered
        if settings_held:
            await entity_settings.of(Actor.system(entity.id))  # type: ignore[attr-defined]
        await entities.delete_entity(entity.name)  # type: ignore[attr-defined]
        for _ in range(2):
            body = {"source_lead_id": unique("gone-"), "answers": {"email": f"{unique('g')}@example.com"}}
            response = await client.post("/webhooks/website", json=body, headers=headers)
            assert response.status_code == 401, (origin, settings_held, response.text)
            assert response.json() == {"success": False, "message": "A valid X-Webhook-Key is required"}
        assert not await LeadMeta.filter(entity_id=entity.id).exists()  # type: ignore[attr-defined]
