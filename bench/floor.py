"""The floor screen in Chromium: webhook POST → lead visible on the floor, and the page's frames
while leads pour in (issue 14).

    .venv/bin/python bench/floor.py [--database-url mysql://root:@127.0.0.1:3306/sm_floor] [--rate 50] [--seconds 20]

Starts `server.py` (a fresh SQLite file by default, or the given database, re-created), a
manager and the website-webhook key through the CLI, and Debian's Chromium (headless, driven by
Playwright) signed in to /floor; measures the day's `GET /health` rate at c16 (wrk, 5 s), the
calibration its figures are read against. Then:

1. **Latency**: 100 leads posted one after another; each one's time from just before its POST
   to the first animation frame after its row entered the feed (the page's own clock, the same
   machine's). p50 / p99 / max.
2. **Responsiveness**: `--rate` leads a second for `--seconds`, paced; meanwhile the page
   records the gap between consecutive animation frames and the browser's long tasks. Every
   lead must reach the counters.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Page, async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import cli, sql, start_server, wrk
from tests.floor.conftest import CHROMIUM, FLAGS

PASSWORD = "S3cure!pass"
WATCH = """() => {
    window.__seen = {};
    window.__gaps = [];
    window.__long = [];
    new MutationObserver((changes) => {
        const at = Date.now();
        for (const change of changes) for (const node of change.addedNodes) {
            const id = node.dataset && node.dataset.leadId;
            if (id && !(id in window.__seen)) {
                window.__seen[id] = at;
                requestAnimationFrame(() => { window.__seen[id] = Date.now(); });
            }
        }
    }).observe(document.querySelector('#feed'), {childList: true});
    let last = performance.now();
    const frame = (now) => { window.__gaps.push(now - last); last = now; requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__long.push(entry.duration);
    }).observe({entryTypes: ['longtask']});
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def lead_body(n: int) -> dict[str, Any]:
    tag = f"{n}-{time.time_ns()}"
    return {
        "platform": "website",
        "page_url": "https://example.com/landing",
        "answers": {"email": f"floor{tag}@example.com", "first_name": f"Bench{n}", "last_name": "Floor"},
    }


async def sign_in(page: Page, base: str, email: str) -> None:
    await page.goto(f"{base}/floor")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_function("() => document.querySelector('#state').textContent === 'Live'")
    await page.evaluate(WATCH)


async def latency(page: Page, http: httpx.AsyncClient, key: str, count: int) -> list[float]:
    took = []
    for n in range(count):
        sent = time.time() * 1000
        response = await http.post("/webhooks/website", json=lead_body(n), headers={"X-Webhook-Key": key})
        lead_id = str(response.json()["lead_id"])
        await page.wait_for_function("id => window.__seen[id] !== undefined", arg=lead_id)
        await asyncio.sleep(0.03)  # the frame after it
        took.append(await page.evaluate("id => window.__seen[id]", lead_id) - sent)
    return took


async def pour(page: Page, http: httpx.AsyncClient, key: str, rate: int, seconds: int) -> dict[str, float]:
    await page.evaluate("() => { window.__gaps = []; window.__long = []; }")
    before = int((await page.inner_text("#total")).replace(",", ""))
    start = time.perf_counter()
    tasks = []
    for n in range(rate * seconds):
        due = start + n / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(
            asyncio.create_task(
                http.post("/webhooks/website", json=lead_body(n), headers={"X-Webhook-Key": key})
            )
        )
    answers = await asyncio.gather(*tasks)
    posted = time.perf_counter() - start
    failed = sum(1 for a in answers if a.status_code != 201)
    expected = before + rate * seconds - failed
    try:
        await page.wait_for_function(
            "n => Number(document.querySelector('#total').textContent.replaceAll(',', '')) >= n",
            arg=expected,
            timeout=60_000,
        )
    except Exception:
        shown = await page.inner_text("#total")
        state = await page.inner_text("#state")
        raise SystemExit(f"the floor shows {shown} leads ({state}), {expected} expected") from None
    gaps: list[float] = await page.evaluate("() => window.__gaps")
    long: list[float] = await page.evaluate("() => window.__long")
    return {
        "leads": rate * seconds,
        "failed": failed,
        "rate": rate * seconds / posted,
        "frames": len(gaps),
        "gap_p50": statistics.median(gaps),
        "gap_p99": pct(gaps, 99),
        "gap_max": max(gaps),
        "gaps_over_100": sum(1 for g in gaps if g > 100),
        "long_tasks": len(long),
        "long_max": max(long, default=0.0),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="mysql://… (re-created); default: a fresh SQLite file")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="floor-bench-"))
    env = {**os.environ, "PORT": str(free_port()), "LOG_LEVEL": "warning", "EXPORT_DIR": str(tmp / "exports")}
    env.pop("REDIS_URL", None)
    if args.database_url:
        name = args.database_url.rsplit("/", 1)[1]
        sql("mysql", f"DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        env["DATABASE_URL"] = args.database_url
    else:
        env["DATABASE_URL"] = f"sqlite://{tmp / 'floor.db'}"
    cli(env, "migrate")
    email = f"floor{time.time_ns()}@example.com"
    cli(
        env,
        "create-user",
        "--entity",
        "fxcareers",
        "--role",
        "manager",
        "--email",
        email,
        "--password",
        PASSWORD,
    )
    key = cli(env, "webhook-key", "--entity", "fxcareers").splitlines()[-1]
    server, base = await start_server(env)
    try:
        async with async_playwright() as playwright, httpx.AsyncClient(base_url=base, timeout=30) as http:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            page = await (await browser.new_context(viewport={"width": 1920, "height": 1080})).new_page()
            await sign_in(page, base, email)
            calibration = wrk(f"{base}/health", 16, 5)
            print(f"the day's calibration: GET /health at c16 {calibration['rps']:,.0f} req/s")
            took = await latency(page, http, key, args.count)
            print(f"webhook POST → visible on the floor, {args.count} leads one after another:")
            print(
                f"  p50 {statistics.median(took):.1f} ms  p99 {pct(took, 99):.1f} ms  max {max(took):.1f} ms"
            )
            figures = await pour(page, http, key, args.rate, args.seconds)
            print(
                f"{args.rate} leads/s for {args.seconds} s (posted at {figures['rate']:.1f}/s, {figures['failed']} failed):"
            )
            print(
                f"  frames {figures['frames']}: gap p50 {figures['gap_p50']:.1f} ms, p99 {figures['gap_p99']:.1f} ms, "
                f"max {figures['gap_max']:.1f} ms, over 100 ms: {figures['gaps_over_100']}; "
                f"long tasks {figures['long_tasks']} (max {figures['long_max']:.0f} ms)"
            )
            await browser.close()
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
