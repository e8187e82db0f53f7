"""/docs in Chromium: Swagger UI renders the generated document with nothing fetched from
outside this server (the page must work offline)."""

from __future__ import annotations

from playwright.async_api import Browser, Route, expect

from tests.conftest import Served
from tests.floor.conftest import screenshot


async def test_the_docs_page_renders_every_tag_offline(served: Served, browser: Browser) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    outside: list[str] = []

    async def refuse(route: Route) -> None:
        outside.append(route.request.url)
        await route.abort()

    await context.route(lambda url: not url.startswith(served.url), refuse)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(f"{served.url}/docs")
    await expect(page.locator(".swagger-ui .info .title")).to_contain_text("SalesMagnet")
    await expect(page.locator(".opblock-tag").first).to_be_visible()
    assert await page.locator(".opblock-tag").count() >= 10  # one section per domain
    lead_routes = page.locator('.opblock-tag[data-tag="leads"]')
    await expect(lead_routes).to_have_count(1)
    await screenshot(page, "docs", full_page=False)
    assert outside == [] and errors == []
    await context.close()
