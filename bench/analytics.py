"""Analytics and stage metrics at scale (issue 12), against one `server.py` process on MariaDB.

    .venv/bin/python bench/analytics.py --db sm_analytics --leads 1000000 [--seconds 5] [--out F.json]
    .venv/bin/python bench/analytics.py --db sm_analytics --skip-load ...   # reuse a loaded database

Loads, by SQL (MariaDB's sequence engine), `--leads` leads into entity fxcareers, arrived over
the 173 days before last week (website / facebook / instagram in turn, 70 % owned by rep1..rep5), each with
three stages (new and qualified closed, then contacted or lost open: 3 rows a lead) and one
activity (call, email, meeting, note, follow_up in turn); then `salesmagnet recount` and
`salesmagnet analytics-rebuild` (timed). Then, at c16 with wrk, as manager1:

1. GET /api/leads/counts (the reference: a counter read) before and after the rest;
2. every analytics endpoint and every rollup-backed stage metric, without and with a 90-day
   window: requests/s, p50, p99, and throughput as a share of the counts' (kept answers);
3. each of them computed afresh (the entity's sequence moved first): one request, 5 times;
4. `analytics:updated`: from a webhook lead's answer to the push reaching a socket, 10 times;
   and the dashboard against the counts at c16 while webhook leads arrive (c2 behind);
5. ingestion (website webhook, c16) with ANALYTICS_ROLLUPS on and off, alternated twice.

Needs wrk and the mariadb client.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import socketio
from api import WEBHOOK_LUA
from common import cli, sql, start_server, wrk, wrk_behind

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "BenchPass123"
ENTITY = "fxcareers"
SECRET = "bench-secret-bench-secret-bench-secret-0123"

ANALYTICS = [
    "dashboard",
    "leads",
    "platforms",
    "users",
    "funnel",
    "time-based",
    "activities",
    "sla-compliance",
]
STAGES = [
    "performance-metrics", "user-performance", "transition-matrix", "conversion-rates", "summary",
    "status-statistics", "sla-compliance", "workflow-efficiency", "bottleneck-analysis",
]  # fmt: skip


def load(db: str, env: dict[str, str], leads: int) -> dict[str, float]:
    """A fresh database with the leads, stages and activities; seconds each step took."""
    subprocess.run(
        ["mariadb", "-uroot", "-h127.0.0.1", "-e", f"DROP DATABASE IF EXISTS {db}; CREATE DATABASE {db}"],
        check=True,
    )
    took: dict[str, float] = {}
    cli(env, "migrate")
    users = {"manager1": "manager"} | {f"rep{n}": "sales_rep" for n in range(1, 6)}
    for name, role in users.items():
        cli(env, "create-user", "--entity", ENTITY, "--role", role, "--email", f"{name}@example.com",
            "--password", PASSWORD)  # fmt: skip
    entity = int(sql(db, f"SELECT id FROM entities WHERE name = '{ENTITY}'")[0][0])
    reps = [int(r[0]) for r in sql(db, "SELECT id FROM users WHERE email LIKE 'rep%' ORDER BY id")]
    manager = int(sql(db, "SELECT id FROM users WHERE email = 'manager1@example.com'")[0][0])
    owner = (
        f"ELT(1 + l.id % 10, {', '.join(map(str, reps))}, {', '.join(map(str, reps[:2]))}, NULL, NULL, NULL)"
    )
    steps = {
        "lead_meta": f"""INSERT INTO lead_meta (entity_id, platform_key, source_lead_id, received_at, processing_status)
            SELECT {entity}, ELT(1 + seq % 3, 'website', 'facebook', 'instagram'), CONCAT('bench-', seq),
                   UTC_TIMESTAMP(6) - INTERVAL (7 + seq % 173) DAY - INTERVAL (seq * 7 % 86400) SECOND, 'processed'
            FROM seq_1_to_{leads}""",
        "lead_data": f"""INSERT INTO lead_data (entity_id, lead_meta_id, email, first_name, last_name, full_name,
                   platform_key, status, status_changed_at, created_at, updated_at, search_text, reached)
            SELECT m.entity_id, m.id, CONCAT('lead', m.id, '@example.com'), 'Bench', CONCAT('Lead', m.id),
                   CONCAT('Bench Lead', m.id), m.platform_key, IF(m.id % 10 < 3, 'lost', 'contacted'),
                   m.received_at + INTERVAL (m.id % 48) HOUR + INTERVAL (m.id % 72 + 30) HOUR, m.received_at,
                   m.received_at, CONCAT('bench lead', m.id), IF(m.id % 10 < 3, 131, 7)
            FROM lead_meta m WHERE m.entity_id = {entity}""",
        "owners": f"""UPDATE lead_data l SET l.assigned_user_id = {owner},
                   l.assigned_at = l.created_at + INTERVAL (l.id % 5 + 1) HOUR,
                   l.first_assigned_at = l.created_at + INTERVAL (l.id % 5 + 1) HOUR
            WHERE l.entity_id = {entity}""",
        "lead_stages": f"""INSERT INTO lead_stages (entity_id, lead_id, status_id, entered_at, exited_at,
                   duration_hours, user_id, sla_due_at, sla_breached_at, updated_at)
            SELECT l.entity_id, l.id,
                   CASE k.seq WHEN 1 THEN 1 WHEN 2 THEN 2 ELSE IF(l.status = 'lost', 8, 3) END,
                   CASE k.seq WHEN 1 THEN l.created_at WHEN 2 THEN l.created_at + INTERVAL (l.id % 48) HOUR
                        ELSE l.status_changed_at END,
                   CASE k.seq WHEN 1 THEN l.created_at + INTERVAL (l.id % 48) HOUR
                        WHEN 2 THEN l.status_changed_at END,
                   CASE k.seq WHEN 1 THEN l.id % 48 WHEN 2 THEN l.id % 72 + 30 END,
                   IF(k.seq = 1, NULL, COALESCE(l.assigned_user_id, {manager})),
                   IF(k.seq = 3 AND l.status = 'lost', NULL,
                      CASE k.seq WHEN 1 THEN l.created_at WHEN 2 THEN l.created_at + INTERVAL (l.id % 48) HOUR
                           ELSE l.status_changed_at END + INTERVAL 24 HOUR),
                   IF(k.seq = 3 AND l.status <> 'lost', l.status_changed_at + INTERVAL 24 HOUR, NULL),  -- announced
                   UTC_TIMESTAMP(6)
            FROM lead_data l JOIN seq_1_to_3 k WHERE l.entity_id = {entity}""",
        "lead_activities": f"""INSERT INTO lead_activities (entity_id, lead_id, user_id, activity_type, description,
                   priority, status, next_follow_up_at, created_at, updated_at)
            SELECT l.entity_id, l.id, COALESCE(l.assigned_user_id, {manager}),
                   ELT(1 + l.id % 5, 'call', 'email', 'meeting', 'note', 'follow_up'), 'Bench activity',
                   ELT(1 + l.id % 4, 'low', 'medium', 'high', 'urgent'),
                   IF(l.id % 5 = 4, 'pending', 'completed'),
                   IF(l.id % 5 = 4, UTC_TIMESTAMP(6) + INTERVAL (1 + l.id % 30) DAY, NULL),
                   l.created_at + INTERVAL 1 HOUR, l.created_at + INTERVAL 1 HOUR
            FROM lead_data l WHERE l.entity_id = {entity}""",
    }
    for name, statement in steps.items():
        started = time.perf_counter()
        subprocess.run(["mariadb", "-uroot", "-h127.0.0.1", db, "-e", statement], check=True)
        took[f"load {name}"] = round(time.perf_counter() - started, 1)
        print(f"  {name}: {took[f'load {name}']} s", flush=True)
    for name, args in (
        ("recount", ["recount", "--entity", ENTITY]),
        ("analytics-rebuild", ["analytics-rebuild", "--entity", ENTITY]),
    ):
        started = time.perf_counter()
        cli(env, *args)
        took[name] = round(time.perf_counter() - started, 1)
        print(f"  {name}: {took[name]} s", flush=True)
    return took


async def token(base: str) -> str:
    async with httpx.AsyncClient(base_url=base) as http:
        body = {"email": "manager1@example.com", "password": PASSWORD}
        return str((await http.post("/api/auth/login", json=body)).json()["data"]["access_token"])


def paths() -> list[str]:
    window = f"date_from={(date.today() - timedelta(days=89)).isoformat()}&date_to={date.today().isoformat()}"
    out = []
    for name in ANALYTICS:
        out += [f"/api/analytics/{name}"] + (
            [] if name == "dashboard" else [f"/api/analytics/{name}?{window}"]
        )
    for name in STAGES:
        out += [f"/api/stages/{name}", f"/api/stages/{name}?{window}"]
    return out


async def fresh(base: str, auth: dict[str, str], key: str, path: str, times: int = 5) -> list[float]:
    """One request after a new lead moved the entity's sequence (nothing kept), `times` times."""
    took = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        for n in range(times):
            body = {
                "platform": "website",
                "source_lead_id": f"fresh-{time.time_ns()}-{n}",
                "answers": {"email": f"f{time.time_ns()}@example.com"},
            }
            assert (
                await http.post("/webhooks/website", json=body, headers={"X-Webhook-Key": key})
            ).status_code in (200, 201)
            started = time.perf_counter()
            answer = await http.get(path, headers=auth)
            took.append(round((time.perf_counter() - started) * 1000, 1))
            assert answer.status_code == 200, answer.text
    return took


async def pushes(base: str, bearer: str, key: str, times: int = 10) -> list[float]:
    """Seconds from a webhook lead's answer to the analytics:updated that counts it."""
    client = socketio.AsyncClient(reconnection=False)
    seen: list[tuple[float, int]] = []
    client.on(
        "analytics:updated", lambda data: seen.append((time.perf_counter(), data["dashboard"]["total_leads"]))
    )
    await client.connect(base, auth={"token": bearer}, transports=["websocket"], wait_timeout=10)
    took = []
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            for n in range(times):
                await asyncio.sleep(1.2)  # the entity's second is over: the next push is not held back
                body = {
                    "platform": "website",
                    "source_lead_id": f"push-{time.time_ns()}-{n}",
                    "answers": {"email": f"p{time.time_ns()}@example.com"},
                }
                before = (
                    await http.get("/api/analytics/dashboard", headers={"Authorization": f"Bearer {bearer}"})
                ).json()["data"]["total_leads"]
                assert (
                    await http.post("/webhooks/website", json=body, headers={"X-Webhook-Key": key})
                ).status_code in (200, 201)
                answered = time.perf_counter()
                for _ in range(500):
                    if any(total > before for at, total in seen if at >= answered - 1):
                        break
                    await asyncio.sleep(0.01)
                arrived = next(at for at, total in seen if total > before)
                took.append(round(max(arrived - answered, 0.0), 3))
    finally:
        await client.disconnect()
    return took


def busy(base: str, auth: dict[str, str], key: str, seconds: int) -> dict[str, object]:
    """The dashboard and the counts at c16 while webhook leads arrive (wrk at c2 behind): the
    entity's sequence moves all the time, so answers are computed again about once a second."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WEBHOOK_LUA.replace("%KEY%", key))
    out: dict[str, object] = {}
    for name, path in (("dashboard", "/api/analytics/dashboard"), ("counts", "/api/leads/counts")):
        behind = wrk_behind(f"{base}/webhooks/website", 2, seconds + 1, script.name)
        try:
            out[name] = wrk(f"{base}{path}", 16, seconds, headers=auth)
        finally:
            behind.wait()
    return out


async def ingest(env: dict[str, str], key: str, seconds: int) -> dict[str, list[float]]:
    """Webhook ingestion at c16 with the rollups on and off, alternated twice."""
    out: dict[str, list[float]] = {"on": [], "off": []}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WEBHOOK_LUA.replace("%KEY%", key))
    for _ in range(2):
        for state in ("on", "off"):
            server, base = await start_server(env | {"ANALYTICS_ROLLUPS": state})
            try:
                out[state].append(wrk(f"{base}/webhooks/website", 16, seconds, script=script.name)["rps"])
            finally:
                server.terminate()
                server.wait()
    return out


async def main() -> tuple[str, str | None]:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="sm_analytics")
    ap.add_argument("--leads", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--skip-load", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--busy-only", action="store_true", help="only the dashboard while leads arrive")
    args = ap.parse_args()
    env = os.environ | {
        "DATABASE_URL": f"mysql://root:@127.0.0.1:3306/{args.db}", "SALESMAGNET_ENV": "production",
        "JWT_SECRET": SECRET, "LOG_LEVEL": "WARNING", "WEBHOOK_RATE_PER_MINUTE": "100000000",
        "HOST": "127.0.0.1", "PORT": "8100",
    }  # fmt: skip
    env.pop("REDIS_URL", None)
    result: dict[str, object] = {"leads": args.leads}
    if not args.skip_load:
        result["load"] = load(args.db, env, args.leads)
    key = cli(env, "webhook-key", "--entity", ENTITY).splitlines()[-1]
    server, base = await start_server(env)
    try:
        bearer = await token(base)
        auth = {"Authorization": f"Bearer {bearer}"}
        health = wrk(f"{base}/health", 16, args.seconds)
        result["busy"] = busy(base, auth, key, args.seconds)
        if args.busy_only:
            return json.dumps(result, indent=2), args.out
        counts = [wrk(f"{base}/api/leads/counts", 16, args.seconds, headers=auth)]
        kept = {}
        for path in paths():
            kept[path] = wrk(f"{base}{path}", 16, args.seconds, headers=auth)
            print(f"  {path}: {kept[path]}", flush=True)
        counts.append(wrk(f"{base}/api/leads/counts", 16, args.seconds, headers=auth))
        reference = statistics.mean(c["rps"] for c in counts)
        for figures in kept.values():
            figures["share_of_counts"] = round(figures["rps"] / reference, 2)
        result |= {"health": health, "counts": counts, "kept": kept}
        result["fresh_ms"] = {path: await fresh(base, auth, key, path) for path in paths()}
        result["push_seconds"] = await pushes(base, bearer, key)
    finally:
        server.terminate()
        server.wait()
    result["ingest_rps"] = await ingest(env, key, args.seconds)
    return json.dumps(result, indent=2), args.out


if __name__ == "__main__":
    text, out = asyncio.run(main())
    print(text)
    if out:
        Path(out).write_text(text)
