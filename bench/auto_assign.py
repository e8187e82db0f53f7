"""Website ingestion with auto-assignment on against off, on one server, runs alternating.

    .venv/bin/python bench/auto_assign.py --database-url mysql://root:@127.0.0.1:3306/sm_auto \\
        [--conns 1,16,64] [--repeat 3] [--duration 10] [--out F.json]

One `server.py` process on MariaDB (the database is re-created). Two entities: `auto_on`
(round robin over 10 sales reps) and `auto_off` (no auto-assignment, the same 10 reps). wrk posts
the API document's website body with a unique source id and e-mail (bench/api.py's script) to
each entity's key at each connection
count, alternating on/off as ../shared/bench/side_by_side.py does (its code runs the runs; in
its table "SalesMagnet (A)" is auto-assignment on and "peer (B)" is off: A/B is the ratio asked
for). After the runs, every lead of `auto_on` is checked to have exactly one owner.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import WEBHOOK_LUA  # noqa: E402
from bench.common import cli, side_by_side, sql, start_server  # noqa: E402


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--conns", default="1,16,64", type=lambda s: [int(x) for x in s.split(",")])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--settle", type=float, default=20)
    ap.add_argument("--port", type=int, default=8170)
    ap.add_argument("--out")
    a = ap.parse_args()
    db = a.database_url.rsplit("/", 1)[1]
    sql("mysql", f"DROP DATABASE IF EXISTS `{db}`; CREATE DATABASE `{db}` CHARACTER SET utf8mb4")
    env = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        "DATABASE_URL": a.database_url,
        "JWT_SECRET": "a" * 48,
        "SALESMAGNET_ENV": "production",
        "PORT": str(a.port),
        "LOG_LEVEL": "WARNING",
        "WEBHOOK_RATE_PER_MINUTE": "100000000",
    }
    cli(env, "migrate")
    keys = {}
    for name in ("auto_on", "auto_off"):
        cli(env, "entity-create", name)
        for i in range(10):
            cli(env, "create-user", "--entity", name, "--role", "sales_rep", "--email",
                f"rep{i}.{name}@example.com", "--password", "BenchPass123")  # fmt: skip
        keys[name] = cli(env, "webhook-key", "--entity", name)
    sql(db, "UPDATE entities SET settings = '{\"auto_assignment\": \"round_robin\"}' WHERE name = 'auto_on'")
    folder = Path(tempfile.mkdtemp(prefix="auto-assign-"))
    scripts = {name: folder / f"{name}.lua" for name in keys}
    for name, script in scripts.items():
        script.write_text(WEBHOOK_LUA.replace("%KEY%", keys[name]))
    server, base = await start_server(env)
    try:
        sbs = side_by_side()
        a.db_pid = sbs.listener(3306)
        pids = {"A": server.pid, "B": server.pid, "idle": [server.pid, a.db_pid]}
        entries = []
        for conns in a.conns:
            spec = {
                side: dict(url=f"{base}/webhooks/website", conns=conns, script=str(scripts[name]))
                for side, name in (("A", "auto_on"), ("B", "auto_off"))
            }
            entries.append(sbs.run_case(a, f"POST /webhooks/website c{conns}", spec, pids))
        print("A = auto-assignment on (round robin, 10 reps), B = off; same server, runs alternating")
        print(sbs.table(entries, a.repeat))
        print(sbs.warnings(entries))
    finally:
        server.terminate()
        server.wait(30)
    owners = sql(
        db,
        "SELECT COUNT(*), SUM(l.assigned_user_id IS NULL), COUNT(DISTINCT l.assigned_user_id) FROM lead_data l "
        "JOIN entities e ON e.id = l.entity_id WHERE e.name = 'auto_on'",
    )[0]
    per_rep = sql(
        db,
        "SELECT MIN(n), MAX(n) FROM (SELECT COUNT(*) AS n FROM lead_data l JOIN entities e ON e.id = l.entity_id "
        "WHERE e.name = 'auto_on' GROUP BY l.assigned_user_id) t",
    )[0]
    print(f"auto_on: {owners[0]} leads, {owners[1]} without an owner, over {owners[2]} reps "
          f"(fewest {per_rep[0]}, most {per_rep[1]} each)")  # fmt: skip
    if a.out:
        Path(a.out).write_text(json.dumps(entries, indent=1))  # noqa: ASYNC240 (the runs are over)


if __name__ == "__main__":
    asyncio.run(main())
