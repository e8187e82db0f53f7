"""The floor screen and the rep's view in Chromium, against the real server: sign in, leads
arriving, assignment alerts, a dropped connection, a status change made from the rep's view."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, expect

from models import Entity, RoleId
from salesmagnet import events
from salesmagnet.db import iso, utcnow
from salesmagnet.entities import service as entities
from tests.activities.test_monitor import announce_all, log_follow_up, overrun
from tests.conftest import Served, unique
from tests.factories import PASSWORD, TestUser, logged_in, make_entity
from tests.floor.conftest import Cable, screenshot


@pytest_asyncio.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    made = await browser.new_context(viewport={"width": 1600, "height": 900})
    yield made
    await made.close()


NOTIFICATIONS_NOTED = """
window.__notified = [];
const Shown = window.Notification;
window.Notification = class extends Shown {
    constructor(title, options) { super(title, options); window.__notified.push([title, options.body]); }
};
"""


async def sign_in(page: Page, base: str, path: str, user: TestUser) -> None:
    await page.goto(f"{base}{path}")
    await page.fill("input[name=email]", user.email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await expect(page.locator("#state")).to_have_text("Live")


async def count_of(page: Page, status: str) -> int:
    return int((await page.locator(f'#counts [data-status="{status}"] .count').inner_text()).replace(",", ""))


async def post_lead(client: httpx.AsyncClient, key: str, first_name: str) -> int:
    body = {
        "platform": "website",
        "page_url": "https://example.com/landing",
        "answers": {
            "email": f"{first_name.lower()}@example.com",
            "first_name": first_name,
            "last_name": "Floor",
        },
    }
    response = await client.post("/webhooks/website", json=body, headers={"X-Webhook-Key": key})
    assert response.status_code == 201, response.text
    return int(response.json()["lead_id"])


async def floor_behind_a_cable(
    served: Served, context: BrowserContext, manager: TestUser
) -> tuple[Cable, Page]:
    """The floor signed in through a connection the test can cut."""
    cable = Cable(int(served.url.rsplit(":", 1)[1]))
    await cable.mend()
    page = await context.new_page()
    await sign_in(page, cable.url, "/floor", manager)
    return cable, page


async def floor_and_rep(
    served: Served, client: httpx.AsyncClient, browser: Browser, context: BrowserContext, name: str
) -> tuple[Page, Page, TestUser, int]:
    """The manager's floor and a rep's view, both signed in, the rep owning a new lead."""
    entity, key, manager = await floor_team(client)
    rep = await logged_in(client, entity, RoleId.SALES_REP)
    lead_id = await post_lead(client, key, unique(name))
    await client.post(
        "/api/assignments/assign", json={"leadId": lead_id, "assignedUserId": rep.id}, headers=manager.auth
    )
    floor = await context.new_page()
    await sign_in(floor, served.url, "/floor", manager)
    mine = await (await browser.new_context()).new_page()
    await sign_in(mine, served.url, "/floor/me", rep)
    return floor, mine, rep, lead_id


async def floor_team(client: httpx.AsyncClient) -> tuple[Entity, str, TestUser]:
    entity = await make_entity()
    return entity, await entities.webhook_key(entity.name), await logged_in(client, entity, RoleId.MANAGER)


async def test_sign_in_shows_the_floor_and_a_webhook_lead_arrives_within_a_second(
    served: Served, client: httpx.AsyncClient, context: BrowserContext
) -> None:
    _, key, manager = await floor_team(client)
    await post_lead(client, key, unique("Early"))  # already there when the screen opens
    page = await context.new_page()
    await sign_in(page, served.url, "/floor", manager)
    assert await count_of(page, "new") == 1
    await expect(page.locator("#online li")).to_have_count(1)  # the screen's own user

    name = unique("Arrival")
    posted = time.perf_counter()
    lead_id = await post_lead(client, key, name)
    await expect(page.locator(f'#feed li[data-lead-id="{lead_id}"]')).to_contain_text(name, timeout=1000)
    assert time.perf_counter() - posted < 1.0
    await expect(page.locator('#counts [data-status="new"] .count')).to_have_text("2")
    await expect(page.locator("#total")).to_have_text("2")
    hours = await page.evaluate("() => window.floor.state.hours.map((h) => h.new_leads)")
    assert len(hours) == 24 and sum(hours) == 2  # both leads, in this hour or the one before
    await screenshot(page, "floor")


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "Pacific/Chatham", "America/New_York"])
async def test_the_hourly_chart_names_each_hour_by_its_local_start(
    served: Served, client: httpx.AsyncClient, browser: Browser, zone: str
) -> None:
    """The chart's hours are UTC's: on a screen in Kolkata (+5:30) or Chatham (+12:45/+13:45)
    each begins at :30 or :45 there, and its label says so (not 14:00 for 14:30-15:30)."""
    _, key, manager = await floor_team(client)
    before = utcnow()
    await post_lead(client, key, unique("Hourly"))
    context = await browser.new_context(timezone_id=zone)
    page = await context.new_page()
    await sign_in(page, served.url, "/floor", manager)
    column = page.locator("#hours .column").last
    await expect(column).to_have_attribute("title", re.compile(r"— 1$"))
    title = await column.get_attribute("title")
    await context.close()
    starts = []
    for moment in (before, utcnow()):  # the hour may have turned meanwhile
        local = moment.replace(minute=0, second=0, microsecond=0).astimezone(ZoneInfo(zone))
        starts.append(f"{local.hour}:{local.minute:02d} — 1")
    assert title in starts


async def test_the_pages_load_without_an_error_in_the_console(
    served: Served, client: httpx.AsyncClient, context: BrowserContext
) -> None:
    """Nothing a page asks for is missing: the console of a wall screen stays clean (a browser
    asks for /favicon.ico unless the page names its icon)."""
    _, _, manager = await floor_team(client)
    for path in ("/floor", "/floor/me"):
        page = await context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        await sign_in(page, served.url, path, manager)
        await page.wait_for_timeout(500)
        assert errors == [], path
        await page.close()


async def test_a_wrong_password_is_refused_on_the_page(
    served: Served, client: httpx.AsyncClient, context: BrowserContext
) -> None:
    _, _, manager = await floor_team(client)
    page = await context.new_page()
    await page.goto(f"{served.url}/floor")
    await page.fill("input[name=email]", manager.email)
    await page.fill("input[name=password]", "not-the-password")
    await page.click("button[type=submit]")
    await expect(page.locator("#signin-error")).not_to_be_empty()
    await expect(page.locator(".board")).to_be_hidden()


async def test_an_assignment_alerts_that_rep_and_not_another(
    served: Served, client: httpx.AsyncClient, browser: Browser
) -> None:
    entity, key, manager = await floor_team(client)
    chosen = await logged_in(client, entity, RoleId.SALES_REP)
    other = await logged_in(client, entity, RoleId.SALES_REP)
    pages = {}
    for rep in (chosen, other):
        rep_context = await browser.new_context(
            viewport={"width": 1280, "height": 800}, permissions=["notifications"]
        )
        # Note each system notification the page shows, then show it as the browser would.
        await rep_context.add_init_script(NOTIFICATIONS_NOTED)
        pages[rep.id] = await rep_context.new_page()
        await sign_in(pages[rep.id], served.url, "/floor/me", rep)
    lead_id = await post_lead(client, key, unique("Assigned"))

    response = await client.post(
        "/api/assignments/assign", json={"leadId": lead_id, "assignedUserId": chosen.id}, headers=manager.auth
    )
    assert response.status_code in (200, 201), response.text
    alert = pages[chosen.id].locator("#assigned-alert")
    await expect(alert).to_be_visible(timeout=1000)
    await expect(alert.locator(f'[data-lead-id="{lead_id}"]')).to_have_count(1)
    await expect(pages[chosen.id].locator(f'#my-leads li[data-lead-id="{lead_id}"]')).to_have_count(1)
    await screenshot(pages[chosen.id], "floor-me")
    noted = await pages[chosen.id].evaluate("() => window.__notified")
    assert noted == [["New lead assigned to you", noted[0][1]]] and "Assigned" in noted[0][1]

    # The other rep's page got the same entity event and stays quiet; a lead assigned to them
    # afterwards alerts them, which shows the earlier one had arrived and was ignored.
    await expect(pages[other.id].locator("#assigned-alert")).to_be_hidden()
    second = await post_lead(client, key, unique("Second"))
    await client.post(
        "/api/assignments/assign", json={"leadId": second, "assignedUserId": other.id}, headers=manager.auth
    )
    await expect(pages[other.id].locator(f'#assigned-alert [data-lead-id="{second}"]')).to_have_count(1)
    assert await pages[other.id].locator(f'#my-leads li[data-lead-id="{lead_id}"]').count() == 0
    assert len(await pages[other.id].evaluate("() => window.__notified")) == 1
    for page in pages.values():
        await page.context.close()


async def test_a_dropped_connection_recovers_and_the_missed_events_appear(
    served: Served, client: httpx.AsyncClient, context: BrowserContext
) -> None:
    _, key, manager = await floor_team(client)
    cable, page = await floor_behind_a_cable(served, context, manager)

    await cable.cut()
    await expect(page.locator("#state")).to_have_text("Reconnecting…")
    await screenshot(page, "floor-reconnecting")
    missed = [await post_lead(client, key, unique("Missed")) for _ in range(3)]
    await cable.mend()

    await expect(page.locator("#state")).to_have_text("Live", timeout=10_000)
    for lead_id in missed:
        await expect(page.locator(f'#feed li[data-lead-id="{lead_id}"]')).to_have_count(1)
    await expect(page.locator('#counts [data-status="new"] .count')).to_have_text("3")
    await cable.cut()


async def test_a_page_behind_the_kept_events_reloads_on_resync(
    served: Served, client: httpx.AsyncClient, context: BrowserContext
) -> None:
    _, key, manager = await floor_team(client)
    cable, page = await floor_behind_a_cable(served, context, manager)
    loads = []
    page.on("request", lambda r: loads.append(r.url) if r.url.endswith("/api/leads/counts") else None)

    await cable.cut()
    for _ in range(3):
        await post_lead(client, key, unique("Gone"))
    await events.prune(timedelta(hours=24), keep_max=1)  # retention drops what the page missed
    await cable.mend()

    await expect(page.locator("#state")).to_have_text("Live", timeout=10_000)
    await expect(page.locator('#counts [data-status="new"] .count')).to_have_text("3")
    assert len(loads) == 1  # the resync reloaded the counts from REST
    # The event still kept (the last lead's) is in the reloaded counts, not counted twice; and
    # the page is live again.
    await expect(page.locator("#total")).to_have_text("3")
    after = await post_lead(client, key, unique("Later"))
    await expect(page.locator(f'#feed li[data-lead-id="{after}"]')).to_have_count(1)
    await expect(page.locator("#total")).to_have_text("4")
    await cable.cut()


async def test_a_status_change_made_on_the_rep_view_shows_on_the_floor(
    served: Served, client: httpx.AsyncClient, browser: Browser, context: BrowserContext
) -> None:
    floor, mine, rep, lead_id = await floor_and_rep(served, client, browser, context, "Mover")

    row = mine.locator(f'#my-leads li[data-lead-id="{lead_id}"]')
    await row.locator("button.move").click()
    await row.locator('.moves button[data-status="qualified"]').click()

    item = floor.locator(f'#feed li[data-event="status"][data-lead-id="{lead_id}"]')
    await expect(item).to_contain_text("New → Qualified")
    await expect(floor.locator('#counts [data-status="qualified"] .count')).to_have_text("1")
    await expect(floor.locator('#counts [data-status="new"] .count')).to_have_text("0")
    await expect(row).to_have_attribute("data-status", "qualified")

    # Logging a call from the rep's view goes through the same API.
    mine.once("dialog", lambda dialog: dialog.accept("Talked about pricing"))
    await row.locator("button.log-call").click()
    await expect(mine.locator("#toast")).to_contain_text("Call logged")
    activities = await client.get(f"/api/activities/lead/{lead_id}", headers=rep.auth)
    assert any(a["description"] == "Talked about pricing" for a in activities.json()["data"])
    await mine.context.close()


async def test_sla_breaches_and_overdue_follow_ups_show_as_they_are_pushed(
    served: Served, client: httpx.AsyncClient, browser: Browser, context: BrowserContext
) -> None:
    floor, mine, rep, late = await floor_and_rep(served, client, browser, context, "Late")
    await log_follow_up(client, rep, late, timedelta(hours=2))
    await expect(mine.locator(f'#pending li[data-lead-id="{late}"]')).to_contain_text("in 2 h")

    await overrun(late, hours_ago=1.5)
    due = await log_follow_up(client, rep, late, timedelta(seconds=1))
    await asyncio.sleep(1.1)
    await announce_all(await Entity.get(id=rep.entity_id))

    breach = floor.locator(f'#alerts li[data-event="sla"][data-lead-id="{late}"]')
    await expect(breach).to_contain_text("SLA breach")
    await expect(breach).to_contain_text("1.5 h over")
    await expect(floor.locator(f'#alerts li[data-event="overdue"][data-lead-id="{late}"]')).to_have_count(1)
    await expect(mine.locator(f'#overdue li[data-activity-id="{due}"]')).to_contain_text("overdue")
    await expect(mine.locator("#overdue-count")).to_have_text("1")
    await mine.context.close()


async def test_a_rep_sees_the_follow_ups_others_planned_on_their_leads(
    served: Served, client: httpx.AsyncClient, browser: Browser, context: BrowserContext
) -> None:
    """A follow-up the manager plans on a rep's lead is the rep's to do: the rep's view lists it
    (due, then overdue when it is pushed) and the lead's card names it."""
    _, mine, rep, lead_id = await floor_and_rep(served, client, browser, context, "Planned")
    manager = await logged_in(client, await Entity.get(id=rep.entity_id), RoleId.MANAGER)
    later = await log_follow_up(client, manager, lead_id, timedelta(hours=2))  # shown as it is logged
    await expect(mine.locator(f'#pending li[data-activity-id="{later}"]')).to_contain_text("in 2 h")
    card = mine.locator(f'#my-leads li[data-lead-id="{lead_id}"] .lead-next')
    await expect(card).to_contain_text("Next: Call")

    due = await log_follow_up(client, manager, lead_id, timedelta(seconds=1))
    await asyncio.sleep(1.1)
    await announce_all(await Entity.get(id=rep.entity_id))
    await expect(mine.locator(f'#overdue li[data-activity-id="{due}"]')).to_contain_text("overdue")
    await expect(mine.locator("#overdue-count")).to_have_text("1")
    await expect(card).to_contain_text("overdue")
    await mine.context.close()


async def test_a_follow_up_done_or_moved_elsewhere_leaves_the_rep_s_lists(
    served: Served, client: httpx.AsyncClient, browser: Browser, context: BrowserContext
) -> None:
    """The rep's lists follow `activity:updated`: a follow-up completed, or moved to another
    time, by anyone (the manager, another client of the API) is shown as it now is."""
    _, mine, rep, lead_id = await floor_and_rep(served, client, browser, context, "Done")
    manager = await logged_in(client, await Entity.get(id=rep.entity_id), RoleId.MANAGER)
    late = await log_follow_up(client, rep, lead_id, timedelta(seconds=1))
    moved = await log_follow_up(client, rep, lead_id, timedelta(hours=5))
    await asyncio.sleep(1.1)
    await announce_all(await Entity.get(id=rep.entity_id))
    await expect(mine.locator(f'#overdue li[data-activity-id="{late}"]')).to_have_count(1)
    await expect(mine.locator(f'#pending li[data-activity-id="{moved}"]')).to_contain_text("in 5 h")

    done = {"activityId": late, "status": "completed"}
    assert (
        await client.put("/api/activities/update-status", json=done, headers=manager.auth)
    ).status_code == 200
    await expect(mine.locator(f'#overdue li[data-activity-id="{late}"]')).to_have_count(0)
    await expect(mine.locator("#overdue-count")).to_have_text("0")
    sooner = {"activityId": moved, "nextFollowUpDate": iso(utcnow() + timedelta(hours=3))}
    assert (
        await client.put("/api/activities/update-follow-up", json=sooner, headers=manager.auth)
    ).status_code == 200
    await expect(mine.locator(f'#pending li[data-activity-id="{moved}"]')).to_contain_text("in 3 h")
    await mine.context.close()


async def test_the_socket_module_speaks_the_protocol(
    served: Served, client: httpx.AsyncClient, context: BrowserContext
) -> None:
    """socket.js on its own in the page: packet decoding, a refused token, events and replay."""
    _, key, manager = await floor_team(client)
    page = await context.new_page()
    await page.goto(f"{served.url}/floor")
    decoded = await page.evaluate(
        """async () => {
            const m = await import('/floor/assets/socket.js');
            return [
                m.decodeSocket('2["lead:new",{"seq":3}]'),
                m.decodeSocket('0{"sid":"abc"}'),
                m.decodeSocket('2/admin,7["x",1]'),
                m.decodeSocket('1'),
                m.decodeEngine('0{"pingInterval":25000}'),
                m.connectFrame({token: 't', last_seq: 4}),
                m.socketUrl('https://crm.example.com/floor'),
            ];
        }"""
    )
    assert decoded[0] == {"type": "2", "namespace": "/", "id": None, "payload": ["lead:new", {"seq": 3}]}
    assert decoded[1]["payload"] == {"sid": "abc"}
    assert decoded[2] == {"type": "2", "namespace": "/admin", "id": 7, "payload": ["x", 1]}
    assert decoded[3]["payload"] is None
    assert decoded[4] == {"type": "0", "data": '{"pingInterval":25000}'}
    assert decoded[5] == '40{"token":"t","last_seq":4}'
    assert decoded[6] == "wss://crm.example.com/socket.io/?EIO=4&transport=websocket"

    refused = await page.evaluate(
        """async () => {
            const m = await import('/floor/assets/socket.js');
            return await new Promise((resolve) => {
                const socket = new m.Socket(location.origin, () => ({token: 'not-a-token'}));
                socket.on('connect_error', (e) => { socket.close(); resolve(e.message); });
                socket.open();
            });
        }"""
    )
    assert "token" in refused.lower()

    first = await post_lead(client, key, unique("Replayed"))
    counts = (await client.get("/api/leads/counts", headers=manager.auth)).json()
    second = await post_lead(client, key, unique("After"))
    got = await page.evaluate(
        """async ([token, lastSeq]) => {
            const m = await import('/floor/assets/socket.js');
            return await new Promise((resolve) => {
                const socket = new m.Socket(location.origin, () => ({token, last_seq: lastSeq}));
                const seen = [];
                socket.on('lead:new', (e) => seen.push([e.seq, e.lead.id]));
                const done = () => { socket.close(); resolve(seen); };
                socket.on('state', (s) => s === 'connected' && setTimeout(done, 500));
                socket.open();
            });
        }""",
        [manager.token, counts["seq"]],
    )
    # Replayed from the counts' seq on: the lead they do not hold yet, not the one they do.
    assert [lead for _, lead in got] == [second]
    assert got[0][0] > counts["seq"] and first != second


async def test_the_page_applies_each_event_once_in_whatever_order_it_arrives(
    served: Served, context: BrowserContext
) -> None:
    """Commits close together may reach a socket out of seq order: none is lost or applied
    twice, and a gap that stays open reconnects from the last seq before it."""
    page = await context.new_page()
    await page.goto(f"{served.url}/floor")
    outcome = await page.evaluate(
        """async () => {
            const { Live } = await import('/floor/assets/app.js');
            const live = new Live({ access: null }, async () => 2);
            const applied = [];
            live.on('lead:new', (e) => applied.push(e.seq));
            let drops = 0;
            live.socket.drop = () => { drops += 1; };
            await live.reload();
            for (const seq of [4, 3, 3, 5, 2, 7]) live.deliver('lead:new', { seq });
            live.deliver('activity:logged', { seq: 6 });  // an event the page ignores moves the mark
            const afterFill = [live.seq, live.ahead.size];
            live.deliver('lead:new', { seq: 9 });  // 8 never comes
            await new Promise((r) => setTimeout(r, 2300));
            return { applied, afterFill, mark: live.seq, drops };
        }"""
    )
    assert outcome["applied"] == [4, 3, 5, 7, 9]
    assert outcome["afterFill"] == [7, 0]
    assert outcome["mark"] == 7 and outcome["drops"] == 1  # reconnects with last_seq 7


async def test_pages_and_assets_are_served_with_cache_headers(client: httpx.AsyncClient) -> None:
    page = await client.get("/floor")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-cache"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    again = await client.get("/floor", headers={"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    script = await client.get("/floor/assets/socket.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert script.headers["cache-control"] == "no-cache"  # a page and its modules from one release
    assert (
        await client.get("/floor/assets/socket.js", headers={"If-None-Match": script.headers["etag"]})
    ).status_code == 304
    assert "form-action 'none'" in page.headers["content-security-policy"]
    assert (await client.get("/floor/me")).status_code == 200
    for missing in ("/floor/assets/nope.js", "/floor/assets/floor.html", "/floor/assets/..%2fapp.py"):
        response = await client.get(missing)
        assert response.status_code == 404 and response.json()["success"] is False


async def test_counts_carry_their_seq_and_hourly_counts_arrivals(client: httpx.AsyncClient) -> None:
    _, key, manager = await floor_team(client)
    before = (await client.get("/api/leads/counts", headers=manager.auth)).json()
    await post_lead(client, key, unique("Hour"))
    await post_lead(client, key, unique("Hour"))
    after = (await client.get("/api/leads/counts", headers=manager.auth)).json()
    assert after["seq"] >= before["seq"] + 2
    hours = (await client.get("/api/analytics/hourly?hours=3", headers=manager.auth)).json()["data"]
    assert len(hours) == 3 and hours[0]["new_leads"] == 0 and sum(h["new_leads"] for h in hours) == 2
    assert hours[-1]["hour"].endswith(":00:00Z")
    bad = await client.get("/api/analytics/hourly?hours=0", headers=manager.auth)
    assert bad.status_code == 400 and bad.json()["success"] is False
    stranger = await logged_in(client, await make_entity(), RoleId.MANAGER)
    theirs = (await client.get("/api/analytics/hourly?hours=3", headers=stranger.auth)).json()["data"]
    assert [h["new_leads"] for h in theirs] == [0, 0, 0]
