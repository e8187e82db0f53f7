"""Exports at scale (issue 13), on MariaDB + Redis: `server.py` and one `salesmagnet worker`.

    .venv/bin/python bench/exports.py --db sm_exports [--leads 1000000] [--small 100000] [--out F.json]
    .venv/bin/python bench/exports.py --db sm_exports --skip-load ...   # reuse a loaded database

Loads, by SQL (MariaDB's sequence engine), `--leads` leads into entity fxcareers and `--small`
into yamarkets, each with its attribution (page, form, ad, campaign, UTM) and answers, 70 %
owned. Then, as each entity's manager:

1. the 100k entity's lead list to CSV: seconds from the request to the file being ready;
2. the 1M entity's lead list to CSV, then to XLSX, each while wrk reads `GET /api/leads` (c16)
   on the same server: seconds to ready, the throughput of those reads against the same wrk
   alone just before (their share), and the resident memory (VmRSS) of the server and of the
   worker, peak minus before;
3. the 1M CSV downloaded: seconds and the server's memory growth while it streams;
4. `--embedded`: also the 1M CSV with no Redis (the export runs inside server.py itself).

Needs wrk, Redis and the mariadb client.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from common import cli, sql, start_server, wrk

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "BenchPass123"
SECRET = "bench-secret-bench-secret-bench-secret-0123"
BIG, SMALL = "fxcareers", "yamarkets"


def load(db: str, env: dict[str, str], sizes: dict[str, int]) -> dict[str, float]:
    subprocess.run(
        ["mariadb", "-uroot", "-h127.0.0.1", "-e", f"DROP DATABASE IF EXISTS {db}; CREATE DATABASE {db}"],
        check=True,
    )
    cli(env, "migrate")
    took: dict[str, float] = {}
    for entity_name, leads in sizes.items():
        for name, role in {"manager": "manager", "rep1": "sales_rep", "rep2": "sales_rep"}.items():
            cli(env, "create-user", "--entity", entity_name, "--role", role,
                "--email", f"{name}.{entity_name}@example.com", "--password", PASSWORD)  # fmt: skip
        entity = int(sql(db, f"SELECT id FROM entities WHERE name = '{entity_name}'")[0][0])
        reps = [r[0] for r in sql(db, f"SELECT id FROM users WHERE entity_id = {entity} ORDER BY id")]
        owner = f"ELT(1 + l.id % 10, {', '.join(reps * 3)}, NULL, NULL, NULL)"
        steps = {
            "lead_meta": f"""INSERT INTO lead_meta (entity_id, platform_key, source_lead_id, page_id, form_id,
                    ad_id, campaign_id, created_time, received_at, page_url, utm_source, utm_medium, utm_campaign,
                    processing_status)
                SELECT {entity}, ELT(1 + seq % 3, 'website', 'facebook', 'instagram'), CONCAT('{entity_name}-', seq),
                    CONCAT('page', seq % 7), CONCAT('form', seq % 13), CONCAT('ad', seq % 101),
                    CONCAT('campaign', seq % 17), UTC_TIMESTAMP(6) - INTERVAL (seq * 7 % 15000000) SECOND,
                    UTC_TIMESTAMP(6) - INTERVAL (seq * 7 % 15000000) SECOND,
                    'https://example.com/landing?x=1', 'google', 'cpc', CONCAT('spring-', seq % 5), 'processed'
                FROM seq_1_to_{leads}""",
            "lead_data": f"""INSERT INTO lead_data (entity_id, lead_meta_id, email, phone, first_name, last_name,
                    full_name, platform_key, status, status_changed_at, created_at, updated_at, search_text,
                    raw_field_data, source_page_id, source_page_name, consent_time)
                SELECT m.entity_id, m.id, CONCAT('lead', m.id, '@example.com'), CONCAT('+1555', LPAD(m.id, 7, '0')),
                    'Bench', CONCAT('Lead', m.id), CONCAT('Bench Lead', m.id), m.platform_key,
                    ELT(1 + m.id % 8, 'new', 'qualified', 'contacted', 'meeting_scheduled', 'proposal_sent',
                        'negotiation', 'won', 'lost'),
                    m.received_at, m.received_at, m.received_at, CONCAT('bench lead', m.id),
                    '[{{"name": "budget", "values": ["high"]}}, {{"name": "city", "values": ["Pune"]}}]',
                    m.page_id, 'Bench Page', m.received_at
                FROM lead_meta m WHERE m.entity_id = {entity}""",
            "owners": f"""UPDATE lead_data l SET l.assigned_user_id = {owner},
                    l.assigned_at = l.created_at + INTERVAL 1 HOUR, l.first_assigned_at = l.created_at + INTERVAL 1 HOUR
                WHERE l.entity_id = {entity}""",
        }
        for name, statement in steps.items():
            started = time.perf_counter()
            subprocess.run(["mariadb", "-uroot", "-h127.0.0.1", db, "-e", statement], check=True)
            took[f"{entity_name} {name}"] = round(time.perf_counter() - started, 1)
            print(f"  {entity_name} {name}: {took[f'{entity_name} {name}']} s", flush=True)
        cli(env, "recount", "--entity", entity_name)
    return took


class Rss:
    """Peak resident memory of a process and its children (the workbook writer) while the block
    runs, sampled every 50 ms (MB)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.before, self.peak = pid, self.now(pid), 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def own(pid: int) -> float:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:  # gone meanwhile
            pass
        return 0.0

    @classmethod
    def now(cls, pid: int) -> float:
        kids = []
        for task in Path(f"/proc/{pid}/task").glob("*"):  # a child started by any thread
            try:
                kids += [int(k) for k in (task / "children").read_text().split()]
            except OSError:
                pass
        return cls.own(pid) + sum(cls.now(k) for k in kids)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.now(self.pid))
            time.sleep(0.05)

    def __enter__(self) -> Rss:
        self.before = self.now(self.pid)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def growth(self) -> float:
        return round(max(self.peak, self.before) - self.before, 1)


async def login(base: str, entity: str) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=base) as http:
        body = {"email": f"manager.{entity}@example.com", "password": PASSWORD}
        token = (await http.post("/api/auth/login", json=body)).json()["data"]["access_token"]
    return {"Authorization": f"Bearer {token}"}


async def export(base: str, auth: dict[str, str], fmt: str) -> dict[str, Any]:
    """Ask for the lead list in `fmt`; seconds until it is ready, and its figures."""
    async with httpx.AsyncClient(base_url=base, headers=auth, timeout=60) as http:
        started = time.perf_counter()
        answer = (
            await http.post("/api/analytics/export", json={"report_type": "leads", "format": fmt})
        ).json()
        state = answer["data"]
        while state["status"] in ("pending", "running"):
            await asyncio.sleep(0.25)
            state = (await http.get(state["status_url"])).json()["data"]
        seconds = round(time.perf_counter() - started, 1)
    assert state["status"] == "ready", state
    return {"seconds": seconds, "rows": state["rows_total"], "mb": round(state["size_bytes"] / 2**20, 1),
            "id": state["id"], "download_url": state["download_url"]}  # fmt: skip


async def under_load(base: str, auth: dict[str, str], fmt: str, pids: dict[str, int]) -> dict[str, Any]:
    """The export while wrk reads lead pages; those reads alone just before and just after (the
    mean) for comparison."""
    url = f"{base}/api/leads?limit=20"
    before = wrk(url, 16, 10, headers=auth)
    loop = asyncio.get_running_loop()
    samplers = {name: Rss(pid) for name, pid in pids.items()}
    for sampler in samplers.values():
        sampler.__enter__()
    job = asyncio.ensure_future(export(base, auth, fmt))
    await asyncio.sleep(0.5)  # the job is under way
    reads = []
    while not job.done():
        reads.append(await loop.run_in_executor(None, lambda: wrk(url, 16, 5, headers=auth)))
    done = await job
    for sampler in samplers.values():
        sampler.__exit__()
    after = wrk(url, 16, 10, headers=auth)
    alone = (before["rps"] + after["rps"]) / 2
    during = statistics.mean(r["rps"] for r in reads[:-1] or reads)  # the last run may outlast the job
    return done | {
        "reads_alone_rps": [before["rps"], after["rps"]],
        "reads_during_rps": [r["rps"] for r in reads],
        "reads_share": round(during / alone, 2),
        "rss_growth_mb": {name: s.growth() for name, s in samplers.items()},
        "rss_before_mb": {name: round(s.before, 1) for name, s in samplers.items()},
    }


async def download(base: str, auth: dict[str, str], url: str, pid: int) -> dict[str, float]:
    with Rss(pid) as rss:
        started, size = time.perf_counter(), 0
        async with httpx.AsyncClient(base_url=base, headers=auth, timeout=120) as http:
            async with http.stream("GET", url) as response:
                assert response.status_code == 200, response.status_code
                async for chunk in response.aiter_bytes(1 << 20):
                    size += len(chunk)
        seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 1), "mb": round(size / 2**20, 1), "server_rss_growth_mb": rss.growth()}


async def main() -> tuple[str, str | None]:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="sm_exports")
    ap.add_argument("--leads", type=int, default=1_000_000)
    ap.add_argument("--small", type=int, default=100_000)
    ap.add_argument("--skip-load", action="store_true")
    ap.add_argument("--embedded", action="store_true", help="also the 1M CSV with no Redis (in server.py)")
    ap.add_argument("--out")
    args = ap.parse_args()
    exports_dir = Path(f"/tmp/{args.db}-exports")
    env = os.environ | {
        "DATABASE_URL": f"mysql://root:@127.0.0.1:3306/{args.db}", "SALESMAGNET_ENV": "production",
        "JWT_SECRET": SECRET, "LOG_LEVEL": "WARNING", "HOST": "127.0.0.1", "PORT": "8100",
        "REDIS_URL": "redis://127.0.0.1:6379/9", "EXPORT_DIR": str(exports_dir),
    }  # fmt: skip
    result: dict[str, Any] = {"leads": args.leads, "small": args.small}
    if not args.skip_load:
        result["load"] = load(args.db, env, {BIG: args.leads, SMALL: args.small})
    subprocess.run(["redis-cli", "-n", "9", "FLUSHDB"], check=True, capture_output=True)
    worker = subprocess.Popen([sys.executable, "-m", "salesmagnet", "worker"], cwd=ROOT, env=env)
    server, base = await start_server(env)
    try:
        big, small = await login(base, BIG), await login(base, SMALL)
        result["health"] = wrk(f"{base}/health", 16, 5)
        await export(base, small, "csv")  # warm: connections, imports, the first file
        result["csv_100k"] = [await export(base, small, "csv") for _ in range(3)]
        print("  100k csv:", result["csv_100k"], flush=True)
        pids = {"server": server.pid, "worker": worker.pid}
        result["csv_1m"] = await under_load(base, big, "csv", pids)
        print("  1M csv:", result["csv_1m"], flush=True)
        result["download_1m_csv"] = await download(base, big, result["csv_1m"]["download_url"], server.pid)
        print("  download:", result["download_1m_csv"], flush=True)
        result["xlsx_1m"] = await under_load(base, big, "xlsx", pids)
        print("  1M xlsx:", result["xlsx_1m"], flush=True)
    finally:
        server.terminate()
        worker.terminate()
        server.wait()
        worker.wait()
    if args.embedded:
        env.pop("REDIS_URL")
        server, base = await start_server(env)
        try:
            big = await login(base, BIG)
            result["embedded_csv_1m"] = await under_load(base, big, "csv", {"server": server.pid})
            print("  embedded 1M csv:", result["embedded_csv_1m"], flush=True)
        finally:
            server.terminate()
            server.wait()
    return json.dumps(result, indent=2), args.out


if __name__ == "__main__":
    text, out = asyncio.run(main())
    print(text)
    if out:
        Path(out).write_text(text)
