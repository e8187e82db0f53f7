"""Lead API and ingestion throughput against a running `server.py` (one process), with wrk.

    python bench/api.py --database-url mysql://root:@127.0.0.1:3306/sm_api --leads 100000
    python bench/api.py --database-url sqlite:///tmp/sm_api.db --leads 100000

Migrates the database, creates an entity with a webhook key and a user, then:
1. website-webhook ingestion (the API document's body, a fresh source_lead_id each request)
   at concurrency 1, 16 and 64;
2. bulk-loads --leads leads into the entity (multi-row INSERTs, outside the API);
3. GET /api/leads (with and without a status filter), search, counts and pipeline.

Needs wrk (Debian: apt-get install wrk). Prints a markdown table per section.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from common import cli, start_server, wrk, wrk_behind

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "S3cure!pass"
STATUSES = [
    "new",
    "qualified",
    "contacted",
    "meeting_scheduled",
    "proposal_sent",
    "negotiation",
    "won",
    "lost",
]

WEBHOOK_LUA = """
local n = 0
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
local prefix = tostring(math.random(1, 2000000000))
request = function()
  n = n + 1
  local body = string.format([[{"platform":"website","source_lead_id":"%s-%d","page_url":"https://example.com/landing-page","page_id":"landing_page_001","utm":{"source":"google","medium":"cpc","campaign":"summer_sale"},"answers":{"email":"user%s-%d@example.com","phone":"+15551234567","first_name":"John","last_name":"Doe"}}]], prefix, n, prefix, n)
  return wrk.format("POST", "/webhooks/website", {["Content-Type"]="application/json", ["X-Webhook-Key"]="%KEY%"}, body)
end
"""


async def bulk_load(url: str, entity_id: int, user_ids: list[int], count: int) -> float:
    """Insert `count` leads with their lead_meta rows, 2,000 per multi-row INSERT, then recount."""
    from salesmagnet import db
    from salesmagnet.leads import counts
    from salesmagnet.leads.search import text_of
    from salesmagnet.tenancy import Actor

    await db.connect(url)
    conn = db.conn()
    mysql = db.dialect_of_connection() == "mysql"
    mark = "%s" if mysql else "?"
    started = time.perf_counter()
    now = time.time()
    rng = random.Random(7)
    first, last = (
        ["Ada", "Grace", "Alan", "Linus", "Ken", "Barbara", "Edsger", "Donald"],
        ["Lovelace", "Hopper", "Turing", "Torvalds", "Thompson", "Liskov", "Dijkstra", "Knuth"],
    )
    batch = 2000
    for start in range(0, count, batch):
        size = min(batch, count - start)
        tag = f"bulk-{int(now)}-{start}"
        stamp = [
            time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now - rng.uniform(0, 365 * 86400)))
            for _ in range(size)
        ]
        metas = [
            (entity_id, "website", f"{tag}-{i}", "landing_page_001", stamp[i], "processed")
            for i in range(size)
        ]
        sql = (
            "INSERT INTO lead_meta (entity_id, platform_key, source_lead_id, page_id, received_at, processing_status) VALUES "
            + ",".join([f"({mark},{mark},{mark},{mark},{mark},{mark})"] * size)
        )
        await conn.execute_query(sql, [v for row in metas for v in row])
        _, ids = await conn.execute_query(
            f"SELECT id FROM lead_meta WHERE platform_key = 'website' AND entity_id = {mark} "
            f"AND source_lead_id LIKE {mark} ORDER BY id",
            [entity_id, f"{tag}-%"],
        )
        rows = []
        for i, meta in enumerate(ids):
            given, family = rng.choice(first), rng.choice(last)
            owner = rng.choice(user_ids) if rng.random() < 0.7 else None
            rows.append(
                (
                    entity_id,
                    meta["id"],
                    f"{given.lower()}.{family.lower()}{start + i}@example.com",
                    f"+1555{start + i:07d}",
                    given,
                    family,
                    f"{given} {family}",
                    "website",
                    rng.choice(STATUSES),
                    owner,
                    stamp[i],
                    stamp[i],
                    stamp[i],
                )
            )
        rows = [(*row, text_of(row[2], row[3], row[4], row[5], row[6])) for row in rows]
        sql = (
            "INSERT INTO lead_data (entity_id, lead_meta_id, email, phone, first_name, last_name, full_name, platform_key, "
            "status, assigned_user_id, status_changed_at, created_at, updated_at, search_text) VALUES "
            + ",".join([f"({','.join([mark] * 14)})"] * len(rows))
        )
        await conn.execute_query(sql, [v for row in rows for v in row])
    await counts.rebuild(Actor.system(entity_id))
    elapsed = time.perf_counter() - started
    await db.disconnect()
    return elapsed


async def user_ids(url: str, entity: str) -> list[int]:
    """The manager and reps an earlier run made for `entity`, in the order it made them."""
    from salesmagnet import db

    await db.connect(url)
    mark = "%s" if db.dialect_of_connection() == "mysql" else "?"
    _, rows = await db.conn().execute_query(
        f"SELECT id FROM users WHERE email LIKE {mark} ORDER BY id", [f"%.{entity}@example.com"]
    )
    await db.disconnect()
    return [int(r["id"]) for r in rows]


def table(title: str, rows: list[tuple[str, dict[str, float]]]) -> None:
    print(f"\n{title}\n| request | req/s | p50 ms | p99 ms | non-2xx |\n|---|---|---|---|---|")
    for name, r in rows:
        print(f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['non2xx']:.0f} |")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument(
        "--reuse", metavar="ENTITY", help="rerun on an entity an earlier run loaded (no load)"
    )
    parser.add_argument("--skip-reads", action="store_true")
    parser.add_argument("--workers", type=int, default=1, help="server processes (needs --redis-url)")
    parser.add_argument("--redis-url")
    args = parser.parse_args()
    port = 8300 + random.randint(0, 500)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "JWT_SECRET": "a" * 48,
        "SALESMAGNET_ENV": "production",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        "WEBHOOK_RATE_PER_MINUTE": "100000000",
    }
    env.pop("REDIS_URL", None)
    if args.workers > 1:
        if not args.redis_url:
            raise SystemExit("--workers needs --redis-url (rooms and limits are shared through Redis)")
        env |= {"WORKERS": str(args.workers), "REDIS_URL": args.redis_url}
    cli(env, "migrate")
    entity = args.reuse or f"bench_{int(time.time())}"
    if args.reuse:
        users = await user_ids(args.database_url, entity)
    else:
        cli(env, "entity-create", entity)
        users = [
            int(
                cli(
                    env,
                    "create-user",
                    "--entity",
                    entity,
                    "--role",
                    role,
                    "--email",
                    f"{role}{i}.{entity}@example.com",
                    "--password",
                    PASSWORD,
                )
            )
            for i, role in enumerate(["manager", "sales_rep", "sales_rep", "sales_rep"])
        ]
    key = cli(env, "webhook-key", "--entity", entity).splitlines()[-1]
    server, base = await start_server(env)
    try:
        import httpx

        async with httpx.AsyncClient(base_url=base) as http:
            login = await http.post(
                "/api/auth/login", json={"email": f"manager0.{entity}@example.com", "password": PASSWORD}
            )
            token = login.json()["data"]["access_token"]
            entity_id = login.json()["data"]["user"]["entity_id"]
        auth = {"Authorization": f"Bearer {token}"}
        script = Path(tempfile.mkdtemp()) / "webhook.lua"
        script.write_text(WEBHOOK_LUA.replace("%KEY%", key))
        if not args.skip_ingest:
            table(
                f"website webhook ({args.database_url.split(':')[0]}, one server process)",
                [
                    (
                        f"POST /webhooks/website c{c}",
                        wrk(f"{base}/webhooks/website", c, args.seconds, script=str(script)),
                    )
                    for c in (1, 16, 64)
                ],
            )
        if not args.reuse:
            server.terminate()
            server.wait(30)
            loaded = await bulk_load(args.database_url, entity_id, users[1:], args.leads)
            print(f"\nloaded {args.leads} leads in {loaded:.1f} s")
            server, base = await start_server(env)
        if args.skip_reads:
            return
        queries = [
            ("GET /api/leads?limit=50", "/api/leads?limit=50"),
            ("GET /api/leads?status=won&limit=50", "/api/leads?status=won&limit=50"),
            ("GET /api/leads?platform=website&limit=50", "/api/leads?platform=website&limit=50"),
            (
                f"GET /api/leads?assigned_user_id={users[1]}&limit=50",
                f"/api/leads?assigned_user_id={users[1]}&limit=50",
            ),
            ("GET /api/leads?search=lovelace12&limit=50", "/api/leads?search=lovelace12&limit=50"),
            (
                "GET /api/leads?search=ada.lovelace4242@example.com",
                "/api/leads?search=ada.lovelace4242%40example.com",
            ),
            ("GET /api/leads?search=555-044-0045 (one number)", "/api/leads?search=555-044-0045"),
            ("GET /api/leads?search=0440045 (a number's last 7 digits)", "/api/leads?search=0440045"),
            ("GET /api/leads?search=555000&status=won", "/api/leads?search=555000&status=won"),
            ("GET /api/leads/counts", "/api/leads/counts"),
            ("GET /api/leads/pipeline", "/api/leads/pipeline"),
        ]
        queries += [
            (f"{name} c4", path)
            for name, path in queries
            if path.startswith(("/api/leads/counts", "/api/leads/pipeline"))
        ]
        rows = [
            (name, wrk(base + path, 4 if name.endswith(" c4") else 16, args.seconds, headers=auth))
            for name, path in queries
        ]
        # The board kept between reads is read again after every change: with leads arriving,
        # each read is a fresh one.
        behind = wrk_behind(f"{base}/webhooks/website", 2, args.seconds + 2, str(script))
        try:
            rows.append(
                (
                    "GET /api/leads/pipeline while leads arrive (webhooks at c2)",
                    wrk(f"{base}/api/leads/pipeline", 16, args.seconds, headers=auth),
                )
            )
        finally:
            behind.wait(args.seconds + 10)
        table(f"lead reads at {args.leads:,} leads in one entity (c16 unless named)", rows)
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    asyncio.run(main())
