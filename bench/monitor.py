"""The SLA and follow-up monitors, measured.

    .venv/bin/python bench/monitor.py latency --database-url mysql://root:@127.0.0.1:3306/sm_monitor \\
        --redis-url redis://127.0.0.1:6379/12 [--items 200] [--spread 60] [--workers 2] [--out F.json]
        One server.py and --workers `salesmagnet worker` processes (MONITOR_INTERVAL=1). A rep owns
        --items leads and has --items follow-ups; their SLA deadlines (set by SQL on the open
        stages) and follow-up times (logged through the API) are spread over --spread seconds.
        The rep's socket times each `sla:breach` / `followup:overdue` against its deadline; every
        event is counted, on the socket and in the outbox, to find any announced twice.
    .venv/bin/python bench/monitor.py empty-scan --database-url mysql://root:@127.0.0.1:3306/sm_scan \\
        [--leads 1000000] [--scans 200]
        An entity with --leads leads, each with an open stage and a pending follow-up, none due
        (half of them already past due and announced, as a live system holds them); times the
        monitors' scan (both due-entity queries) and reads the rows it touched from the
        database's handler counters.

The database is dropped and created afresh (its name must start with sm_).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import sql  # noqa: E402

PASSWORD = "BenchPass123"
CLI = str(ROOT / ".venv/bin/salesmagnet")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def fresh_database(url: str) -> tuple[str, dict[str, str]]:
    name = url.rsplit("/", 1)[1]
    if not name.startswith("sm_"):
        sys.exit("the database name must start with sm_ (it is dropped)")
    sql("mysql", f"DROP DATABASE IF EXISTS {name}; CREATE DATABASE {name} CHARACTER SET utf8mb4")
    env = {**os.environ, "DATABASE_URL": url, "SALESMAGNET_ENV": "development"}
    subprocess.run([CLI, "migrate"], env=env, check=True, capture_output=True)
    for role, email in (("manager", "manager1.e1@example.com"), ("sales_rep", "rep1.e1@example.com")):
        subprocess.run(
            [CLI, "create-user", "--entity", "fxcareers", "--role", role, "--email", email, "--password", PASSWORD],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
    return name, env


async def login(http: httpx.AsyncClient, email: str) -> dict[str, str]:
    answer = await http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.json()['data']['access_token']}"}


def stamp(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


async def latency(a: argparse.Namespace) -> dict[str, Any]:
    import socketio

    db, env = fresh_database(a.database_url)
    env |= {"REDIS_URL": a.redis_url, "SALESMAGNET_ENV": "production", "JWT_SECRET": secrets.token_hex(32),
            "LOG_LEVEL": "WARNING", "PORT": str(a.port), "MONITOR_INTERVAL": str(a.interval)}  # fmt: skip
    subprocess.run(["redis-cli", "-u", a.redis_url, "FLUSHDB"], check=True, capture_output=True)
    procs = [subprocess.Popen([sys.executable, "server.py"], cwd=ROOT, env=env)]
    procs += [subprocess.Popen([CLI, "worker"], cwd=ROOT, env=env) for _ in range(a.workers)]
    base = f"http://127.0.0.1:{a.port}"
    received: list[tuple[str, str, float, float]] = []  # (event, key, deadline, receipt)
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            for _ in range(300):
                try:
                    if (await http.get("/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            manager, rep = (
                await login(http, "manager1.e1@example.com"),
                await login(http, "rep1.e1@example.com"),
            )
            rep_id = (await http.get("/api/auth/me", headers=rep)).json()["data"]["id"]
            leads = []
            for n in range(a.items):
                made = await http.post("/api/leads/", json={"email": f"m{n}@example.com"}, headers=manager)
                lead_id = made.json()["data"]["id"]
                body = {"leadId": lead_id, "assignedUserId": rep_id}
                assert (
                    await http.post("/api/assignments/assign", json=body, headers=manager)
                ).status_code == 200
                leads.append(lead_id)
            client = socketio.AsyncClient(reconnection=False)

            def on(event: str, key: Any, deadline: Any) -> None:
                @client.on(event)
                async def record(data: dict[str, Any]) -> None:
                    received.append((event, str(key(data)), stamp(deadline(data)), time.time()))

            on("sla:breach", lambda d: d["stage_id"], lambda d: d["deadline"])
            on("followup:overdue", lambda d: (d["activity"]["id"], d["due_at"]), lambda d: d["due_at"])
            await client.connect(base, auth={"token": rep["Authorization"][7:]}, transports=["websocket"])
            start = datetime.now(UTC) + timedelta(seconds=10)
            step = a.spread / a.items
            for n, lead_id in enumerate(leads):
                due = start + timedelta(seconds=n * step)
                body = {"leadId": lead_id, "activityType": "call", "description": "Call back",
                        "nextFollowUpDate": due.isoformat()}  # fmt: skip
                assert (await http.post("/api/activities/log", json=body, headers=rep)).status_code == 201
            low = min(leads)
            start_sql = start.strftime("%Y-%m-%d %H:%M:%S.%f")
            sql(db, f"UPDATE lead_stages SET sla_due_at = '{start_sql}' + INTERVAL "
                    f"ROUND((lead_id - {low}) * {step * 1_000_000}) MICROSECOND WHERE exited_at IS NULL")  # fmt: skip
            deadline = time.time() + 10 + a.spread + 30
            while len(received) < 2 * a.items and time.time() < deadline:  # noqa: ASYNC110 - a poll with a limit
                await asyncio.sleep(0.5)
            await asyncio.sleep(3)  # any duplicate would come now
            await client.disconnect()
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(30)
    return summarise(db, received, a)


def summarise(
    db: str, received: list[tuple[str, str, float, float]], a: argparse.Namespace
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "items": a.items,
        "spread_s": a.spread,
        "workers": a.workers,
        "interval_s": a.interval,
    }
    for event in ("sla:breach", "followup:overdue"):
        mine = [r for r in received if r[0] == event]
        late = [r[3] - r[2] for r in mine]
        keys = [r[1] for r in mine]
        key = (
            "CONCAT_WS('|', JSON_EXTRACT(payload, '$.stage_id'), JSON_EXTRACT(payload, '$.activity.id'), "
            "JSON_EXTRACT(payload, '$.due_at'))"
        )
        stored = sql(db, f"SELECT COUNT(*), COUNT(DISTINCT {key}) FROM event_outbox WHERE name = '{event}'")[
            0
        ]
        out[event] = {
            "received": len(mine),
            "distinct": len(set(keys)),
            "outbox": int(stored[0]),
            "outbox_distinct": int(stored[1]),
            "p50_s": round(pct(late, 50), 3) if late else None,
            "p99_s": round(pct(late, 99), 3) if late else None,
            "max_s": round(max(late), 3) if late else None,
        }
    every = [r[3] - r[2] for r in received]
    out["all"] = {"p99_s": round(pct(every, 99), 3) if every else None, "received": len(received)}
    return out


DIGITS = (
    "(SELECT 0 n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
    "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)"
)


def load_leads(db: str, count: int) -> None:
    """`count` website leads in fxcareers by SQL (lead_meta and lead_data; a lead a second back
    from now), their counters recounted by the code's own rebuild."""
    entity = sql(db, "SELECT id FROM entities WHERE name = 'fxcareers'")[0][0]
    places = " + ".join(f"{10**k} * d{k}.n" for k in range(7))
    digits = ", ".join(f"{DIGITS} d{k}" for k in range(7))
    sql(db,
        "CREATE TABLE bench_seq (n INT PRIMARY KEY); "
        f"INSERT INTO bench_seq SELECT {places} FROM {digits} WHERE {places} < {count}; "
        "INSERT INTO lead_meta (entity_id, platform_key, source_lead_id, received_at, processing_status) "
        f"SELECT {entity}, 'website', CONCAT('bench-', n), UTC_TIMESTAMP(6) - INTERVAL n SECOND, 'processed' "
        "FROM bench_seq ORDER BY n DESC; "
        "INSERT INTO lead_data (entity_id, lead_meta_id, email, first_name, last_name, full_name, platform_key, "
        "status, status_changed_at, created_at, updated_at) "
        f"SELECT {entity}, id, CONCAT('lead', id, '@example.com'), 'Bench', 'Lead', 'Bench Lead', 'website', "
        f"'new', received_at, received_at, received_at FROM lead_meta WHERE entity_id = {entity} ORDER BY id; "
        "DROP TABLE bench_seq",
    )  # fmt: skip
    code = (
        "import asyncio\nfrom salesmagnet import db\nfrom salesmagnet.leads import counts\n"
        "from salesmagnet.tenancy import Actor\n"
        f"async def main():\n    await db.connect('mysql://root:@127.0.0.1:3306/{db}')\n"
        f"    await counts.rebuild(Actor.system({entity}))\n    await db.disconnect()\nasyncio.run(main())\n"
    )
    subprocess.run([str(ROOT / ".venv/bin/python"), "-c", code], check=True, cwd=ROOT)


def empty_scan(a: argparse.Namespace) -> dict[str, Any]:
    db, _ = fresh_database(a.database_url)
    t0 = time.monotonic()
    load_leads(db, a.leads)
    entity = sql(db, "SELECT id FROM entities WHERE name = 'fxcareers'")[0][0]
    rep = sql(db, "SELECT id FROM users WHERE email = 'rep1.e1@example.com'")[0][0]
    # Every lead: an open stage and a pending follow-up; odd leads already past due and announced.
    sql(db,
        "INSERT INTO lead_stages (entity_id, lead_id, status_id, entered_at, updated_at, sla_due_at, sla_breached_at) "
        f"SELECT entity_id, id, 1, created_at, created_at, "
        "CASE WHEN id % 2 = 1 THEN UTC_TIMESTAMP(6) - INTERVAL 1 HOUR ELSE UTC_TIMESTAMP(6) + INTERVAL 2 DAY END, "
        "CASE WHEN id % 2 = 1 THEN UTC_TIMESTAMP(6) - INTERVAL 1 HOUR END "
        f"FROM lead_data WHERE entity_id = {entity};"
        "INSERT INTO lead_activities (entity_id, lead_id, user_id, activity_type, description, next_follow_up_at, "
        "priority, status, overdue_notified_for, created_at, updated_at) "
        f"SELECT entity_id, id, {rep}, 'call', 'Call back', "
        "CASE WHEN id % 2 = 1 THEN UTC_TIMESTAMP(6) - INTERVAL 1 HOUR ELSE UTC_TIMESTAMP(6) + INTERVAL 2 DAY END, "
        "'medium', 'pending', CASE WHEN id % 2 = 1 THEN UTC_TIMESTAMP(6) - INTERVAL 1 HOUR END, created_at, created_at "
        f"FROM lead_data WHERE entity_id = {entity};"
        "ANALYZE TABLE lead_stages, lead_activities",
    )  # fmt: skip
    loaded = time.monotonic() - t0
    counts = sql(db, "SELECT (SELECT COUNT(*) FROM lead_data), (SELECT COUNT(*) FROM lead_stages WHERE exited_at IS NULL), "
                     "(SELECT COUNT(*) FROM lead_activities WHERE status = 'pending')")[0]  # fmt: skip
    code = f"""
import asyncio, json, time
from salesmagnet import db
from salesmagnet.db import utcnow
from salesmagnet.activities import overdue
from salesmagnet.stages import breaches
from tortoise import connections

async def main():
    await db.connect({a.database_url!r})
    conn = connections.get("default")
    async def handler_reads():
        rows = await conn.execute_query_dict("SHOW SESSION STATUS LIKE 'Handler_read%'")
        return sum(int(r["Value"]) for r in rows)
    for _ in range(20):  # warm
        await breaches.due_entities(utcnow(), 500); await overdue.due_entities(utcnow(), 500)
    times, reads = [], []
    for _ in range({a.scans}):
        before = await handler_reads()
        t = time.perf_counter()
        found = await breaches.due_entities(utcnow(), 500) | await overdue.due_entities(utcnow(), 500)
        times.append((time.perf_counter() - t) * 1000)
        reads.append(await handler_reads() - before)
        assert not found, found
    explain = await conn.execute_query_dict(
        "EXPLAIN SELECT entity_id FROM lead_activities WHERE status = 'pending' AND overdue_notified_for IS NULL "
        "AND next_follow_up_at <= UTC_TIMESTAMP(6) LIMIT 500")
    explain += await conn.execute_query_dict(
        "EXPLAIN SELECT entity_id FROM lead_stages WHERE exited_at IS NULL AND sla_breached_at IS NULL "
        "AND sla_due_at <= UTC_TIMESTAMP(6) LIMIT 500")
    times.sort()
    print(json.dumps({{"p50_ms": round(times[len(times) // 2], 3), "p99_ms": round(times[int(len(times) * 0.99) - 1], 3),
                      "max_ms": round(times[-1], 3), "rows_read_per_scan": max(reads),
                      "explain": [{{k: str(v) for k, v in e.items()}} for e in explain]}}))
    await db.disconnect()
asyncio.run(main())
"""
    probe = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    result = json.loads(probe.stdout.strip().splitlines()[-1])
    return {"leads": int(counts[0]), "open_stages": int(counts[1]), "pending_follow_ups": int(counts[2]),
            "load_s": round(loaded, 1), "scans": a.scans, **result}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=("latency", "empty-scan"))
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    ap.add_argument("--items", type=int, default=200)
    ap.add_argument("--spread", type=float, default=60)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--interval", type=int, default=1)
    ap.add_argument("--port", type=int, default=8300)
    ap.add_argument("--leads", type=int, default=1_000_000)
    ap.add_argument("--scans", type=int, default=200)
    ap.add_argument("--out")
    a = ap.parse_args()
    result = asyncio.run(latency(a)) if a.mode == "latency" else empty_scan(a)
    print(json.dumps(result, indent=1))
    if a.out:
        Path(a.out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
