"""Bulk assignment: ONE `POST /api/assignments/bulk-assign` dealing 10,000 unassigned leads over
20 sales reps, timed over HTTP against one `server.py` process on MariaDB.

    python bench/bulk_assign.py                                   # hbulk_bench, 10,000 leads, 20 reps
    python bench/bulk_assign.py --leads 10000 --reps 20 --rounds 3 --health

Each round makes a fresh entity (a manager, `--reps` active sales reps) and writes its leads
through the lead writer (lead_meta, lead_data, first stage, counters, lead:new; 1,000 a
transaction), then starts the server (no REDIS_URL: in-process Socket.IO, as one process
serves), logs the manager in, and times one bulk-assign with max_leads_per_user 1000. With
`--listen`, one rep's socket is connected during the call (its alerts are counted).
With `--health`, `GET /health` at c16 for 5 s first: the day's calibration (needs wrk).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from common import start_server, wrk

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "S3cure!pass"


def mysql(url: str, sql: str, database: bool = True) -> Any:
    """One statement on the benchmark's MariaDB (its first value back)."""
    import pymysql

    parts = urlsplit(url)
    conn = pymysql.connect(
        host=parts.hostname or "127.0.0.1", port=parts.port or 3306, user=parts.username or "root",
        password=parts.password or "", database=parts.path.lstrip("/") if database else None,
    )  # fmt: skip
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone()
        conn.commit()
        return row[0] if row else None
    finally:
        conn.close()


async def relayed(url: str, limit: float = 120.0) -> float:
    """Wait until the server's relay has published what the seeding left in the outbox (the
    lead writer's lead:new, written with no server up): otherwise the relay would send those
    10,000 events during the timed call. Returns how long that took."""
    started = time.perf_counter()
    while mysql(url, "SELECT COUNT(*) FROM event_sequences WHERE relayed_seq < last_seq"):
        if time.perf_counter() - started > limit:
            raise SystemExit("the relay did not catch up")
        await asyncio.sleep(0.5)
    await asyncio.sleep(2.5)  # its next run (every 2 s) has nothing left to read
    return time.perf_counter() - started


async def seed(url: str, name: str, reps: int, leads: int) -> tuple[str, float]:
    """An entity with a manager, `reps` sales reps and `leads` unassigned leads; returns the
    manager's e-mail and how long the leads took to write."""
    from models import Platform, RoleId
    from salesmagnet import db
    from salesmagnet.entities import service as entities
    from salesmagnet.leads.writer import NewLead, write_leads
    from salesmagnet.tenancy import Actor
    from salesmagnet.users import service as users
    from salesmagnet.users.schemas import UserCreate

    await db.connect(url)
    entity = await entities.create_entity(name)
    actor = Actor.system(entity.id)
    for i, role in enumerate([RoleId.MANAGER] + [RoleId.SALES_REP] * reps):
        data = {
            "username": f"{role.label}{i}_{entity.id}",
            "email": f"{role.label}{i}.{name}@example.com",
            "password": PASSWORD,
            "first_name": "Rep" if i else "Boss",
            "last_name": f"Number{i}",
            "role": role,
        }
        await users.create_user(actor, UserCreate.model_validate(data))
    started = time.perf_counter()
    batch = 1000
    for start in range(0, leads, batch):
        items = [
            NewLead(
                entity.id,
                Platform.WEBSITE,
                {"source_lead_id": f"{name}-{n}", "page_id": "landing_page_001"},
                {"email": f"lead{n}.{name}@example.com", "first_name": "Ada", "last_name": f"L{n}"},
            )
            for n in range(start, min(leads, start + batch))
        ]
        await write_leads(items, look_first=False)
    written = time.perf_counter() - started
    await db.disconnect()
    return f"manager0.{name}@example.com", written


async def one_round(env: dict[str, str], args: argparse.Namespace) -> float:
    name = f"bulk_{int(time.time())}_{random.randint(0, 9999)}"
    email, written = await seed(args.database_url, name, args.reps, args.leads)
    print(f"\nentity {name}: {args.reps} reps, {args.leads:,} unassigned leads written in {written:.1f} s")
    server, base = await start_server(env)
    try:
        async with httpx.AsyncClient(base_url=base, timeout=120) as http:
            login = await http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
            auth = {"Authorization": f"Bearer {login.json()['data']['access_token']}"}
            print(f"the relay published the seeding's lead:new in {await relayed(args.database_url):.1f} s")
            if args.health:
                print(f"GET /health c16: {wrk(f'{base}/health', 16, 5)['rps']:.0f} req/s")
            listener = await listen(base, http, name) if args.listen else None
            spy = profile(server.pid, args.profile) if args.profile else None
            db_pid = database_pid(args.database_url)
            cpu = cpu_seconds(server.pid), cpu_seconds(db_pid)
            started = time.perf_counter()
            answer = await http.post(
                "/api/assignments/bulk-assign", json={"max_leads_per_user": 1000}, headers=auth
            )
            elapsed = time.perf_counter() - started
            used = cpu_seconds(server.pid) - cpu[0], cpu_seconds(db_pid) - cpu[1]
            if spy is not None:
                spy.send_signal(signal.SIGINT)
                spy.wait(30)
            assert answer.status_code == 200, answer.text
            total = answer.json()["data"]["total_assigned"]
            print(f"bulk-assign: {total:,} leads assigned in {elapsed:.3f} s (HTTP, one call)")
            print(f"CPU during the call: server {used[0]:.2f} s, MariaDB {used[1]:.2f} s")
            if listener is not None:
                sio, heard = listener
                await asyncio.sleep(2)
                print(f"rep 1's socket heard {len(heard):,} lead:assigned within 2 s of the answer")
                await sio.disconnect()
            if total != min(args.leads, args.reps * 1000):
                raise SystemExit(f"expected {min(args.leads, args.reps * 1000)} assigned, got {total}")
    finally:
        server.terminate()
        server.wait(30)
    return elapsed


def database_pid(url: str) -> int | None:
    """The benchmark's MariaDB (other servers may run on this machine)."""
    try:
        return int(Path(mysql(url, "SELECT @@pid_file")).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU a process has used (0 when it cannot be read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def profile(pid: int, out: str) -> subprocess.Popen[bytes]:
    """py-spy sampling the server (collapsed stacks, idle frames too: time waiting on MariaDB
    shows as the awaits it is)."""
    spy = subprocess.Popen(
        [str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid), "--format", "raw",
         "--idle", "--rate", "500", "-o", out],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1.0)  # attached
    return spy


async def listen(base: str, http: httpx.AsyncClient, name: str) -> tuple[object, list[object]]:
    import socketio

    login = await http.post(
        "/api/auth/login", json={"email": f"sales_rep1.{name}@example.com", "password": PASSWORD}
    )
    heard: list[object] = []
    sio = socketio.AsyncClient(reconnection=False)
    sio.on("lead:assigned", lambda data: heard.append(data))
    await sio.connect(base, auth={"token": login.json()["data"]["access_token"]}, transports=["websocket"])
    return sio, heard


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="mysql://root:@127.0.0.1:3306/hbulk_bench")
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--health", action="store_true", help="GET /health at c16 first (wrk)")
    parser.add_argument("--profile", metavar="FILE", help="py-spy the server during the call")
    parser.add_argument("--listen", action="store_true", help="a rep's socket connected during the call")
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "JWT_SECRET": "a" * 48,
        "SALESMAGNET_ENV": "production",
        "PORT": str(8300 + random.randint(0, 500)),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    if not args.database_url.startswith("mysql"):
        raise SystemExit("MariaDB only (--database-url mysql://…)")
    mysql(args.database_url, f"CREATE DATABASE IF NOT EXISTS `{urlsplit(args.database_url).path[1:]}`", False)
    from salesmagnet import schema

    await schema.migrate(args.database_url)
    from salesmagnet import db

    await db.disconnect()
    times = [await one_round(env, args) for _ in range(args.rounds)]
    print(f"\nbulk-assign of {args.leads:,} over {args.reps} reps: " + ", ".join(f"{t:.3f} s" for t in times))
    if len(times) > 1:
        print(f"median {statistics.median(times):.3f} s")


if __name__ == "__main__":
    asyncio.run(main())
