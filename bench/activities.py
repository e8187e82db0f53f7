"""Activities side by side with the peer (../shared/peer), in one window, with wrk; and
SalesMagnet alone at 1M activities.

    .venv/bin/python bench/activities.py --sm http://127.0.0.1:8100 --sm-pid $SM_PID \\
        --sm-db sm_bench --peer $PEER_URL --peer-pid $PEER_PID --peer-db peer_bench \\
        --per-lead 10 [--cases log,lead,entity] [--out F.json]
    .venv/bin/python bench/activities.py --sm http://127.0.0.1:8100 --sm-db sm_bench --per-lead 100 \\
        --sm-only [--out F.json]

Both databases hold the same leads (../shared/bench/load_leads.py). The script first gives every
lead of each side the same `--per-lead` activities by SQL (types, priorities, statuses, owners
rep1..rep5 and follow-up dates in the same pattern on both sides; SalesMagnet's counters
recounted, follow-ups already past due marked announced as its migration does), then measures,
alternating the sides as ../shared/bench/side_by_side.py does (its code runs the runs):

1. POST /api/activities/log at c16 as manager1, on the leads in turn;
2. GET /api/activities/lead/<id>?limit=20 at c16 over the leads;
3. GET /api/activities/entity?limit=50 at c16.

`--sm-only` runs the two reads on SalesMagnet alone (p50/p99 at c16) after loading.
Needs wrk and the `mariadb` client.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import side_by_side, sql  # noqa: E402

SCRIPT = str(ROOT / "bench" / "activities.lua")
REPS = "email LIKE 'rep_.e1@example.com'"


def pattern(per_lead: int, owner_of: str) -> str:
    """The SELECT list of the same activities on both sides: lead l, its n-th activity s.n."""
    return (
        "ELT(1 + (l.id + s.n) % 5, 'call', 'email', 'meeting', 'note', 'follow_up'), "
        "CONCAT('Activity ', s.n, ' on lead ', l.id), "
        "ELT(1 + (l.id * 7 + s.n) % 4, 'low', 'medium', 'high', 'urgent'), "
        "ELT(1 + (l.id + 3 * s.n) % 3, 'pending', 'completed', 'cancelled'), "
        "CASE WHEN (l.id + s.n) % 3 = 0 THEN l.created_at + INTERVAL (s.n + 1) DAY END, "
        f"l.created_at + INTERVAL s.n HOUR, {owner_of}"
    )


def numbers(per_lead: int) -> str:
    return " UNION ALL ".join(f"SELECT {n} AS n" for n in range(per_lead))


def load(db: str, entity: int | None, per_lead: int, sm: bool) -> None:
    where = f"l.entity_id = {entity}" if entity else "l.entity_id = 1"
    reps = f"(SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM users WHERE {REPS}) r"
    joins = (
        f"FROM lead_data l JOIN ({numbers(per_lead)}) s JOIN {reps} ON r.k = (l.id + s.n) % 5 WHERE {where}"
    )
    if sm:
        sql(
            db,
            f"DELETE FROM lead_activities WHERE entity_id = {entity}; DELETE FROM activity_counts WHERE entity_id = {entity}",
        )
        sql(
            db,
            "INSERT INTO lead_activities (activity_type, description, priority, status, next_follow_up_at, "
            "created_at, user_id, entity_id, lead_id, updated_at) "
            f"SELECT {pattern(per_lead, 'r.id')}, l.entity_id, l.id, l.created_at + INTERVAL s.n HOUR {joins}",
        )
        sql(
            db,
            "UPDATE lead_activities SET overdue_notified_for = next_follow_up_at WHERE status = 'pending' "
            "AND next_follow_up_at <= UTC_TIMESTAMP(6);"
            "UPDATE lead_stages SET sla_breached_at = sla_due_at WHERE exited_at IS NULL "
            "AND sla_breached_at IS NULL AND sla_due_at <= UTC_TIMESTAMP(6)",
        )
        recount(db, entity or 0)
    else:
        sql(db, "DELETE FROM lead_activities")
        sql(
            db,
            "INSERT INTO lead_activities (activity_type, description, priority, status, next_follow_up_date, "
            f"created_at, user_id, entity_id, lead_id) SELECT {pattern(per_lead, 'r.id')}, l.entity_id, l.id {joins}",
        )


def recount(db: str, entity: int) -> None:
    code = (
        "import asyncio\nfrom salesmagnet import db\nfrom salesmagnet.activities import records\n"
        "from salesmagnet.tenancy import Actor\n"
        f"async def main():\n    await db.connect('mysql://root:@127.0.0.1:3306/{db}')\n"
        f"    await records.rebuild(Actor.system({entity}))\n    await db.disconnect()\nasyncio.run(main())\n"
    )
    subprocess.run([str(ROOT / ".venv/bin/python"), "-c", code], check=True, cwd=ROOT)


def leads_of(db: str, where: str) -> tuple[int, int]:
    low, high = sql(db, f"SELECT MIN(id), MAX(id) FROM lead_data WHERE {where}")[0]
    return int(low), int(high)


def spec(base: str, token: str, mode: str, span: tuple[int, int], conns: int) -> dict[str, Any]:
    return {
        "url": base.rstrip("/") + "/",
        "conns": conns,
        "script": SCRIPT,
        "env": {"MODE": mode, "LOW": str(span[0]), "HIGH": str(span[1]), "AUTHORIZATION": token},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sm", required=True)
    ap.add_argument("--sm-pid", type=int)
    ap.add_argument("--sm-db", default="sm_bench")
    ap.add_argument("--peer")
    ap.add_argument("--peer-pid", type=int)
    ap.add_argument("--peer-db", default="peer_bench")
    ap.add_argument("--per-lead", type=int, default=10)
    ap.add_argument("--no-load", action="store_true")
    ap.add_argument("--sm-only", action="store_true")
    ap.add_argument("--cases", default="log,lead,entity")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--settle", type=float, default=20)
    ap.add_argument("--conns", type=int, default=16)
    ap.add_argument("--out")
    a = ap.parse_args()
    sbs = side_by_side()
    entity = int(sql(a.sm_db, "SELECT id FROM entities WHERE name = 'fxcareers'")[0][0])
    if not a.no_load:
        load(a.sm_db, entity, a.per_lead, sm=True)
        if not a.sm_only:
            load(a.peer_db, None, a.per_lead, sm=False)
    counts = {"A": sql(a.sm_db, f"SELECT COUNT(*) FROM lead_activities WHERE entity_id = {entity}")[0][0]}
    tokens = {"A": sbs.login(a.sm, "manager1.e1@example.com").split(": ", 1)[1]}
    spans = {"A": leads_of(a.sm_db, f"entity_id = {entity}")}
    if a.sm_only:
        report = {}
        for mode in ("lead", "entity"):
            env_run = run_alone(spec(a.sm, tokens["A"], mode, spans["A"], a.conns), a)
            report[mode] = env_run
            print(f"{mode}: {env_run}")
        if a.out:
            Path(a.out).write_text(json.dumps({"activities": counts, "alone": report}, indent=1))
        return
    counts["B"] = sql(a.peer_db, "SELECT COUNT(*) FROM lead_activities")[0][0]
    print(f"activities: SalesMagnet {counts['A']}, peer {counts['B']}", file=sys.stderr)
    tokens["B"] = sbs.login(a.peer, "manager1.e1@example.com").split(": ", 1)[1]
    spans["B"] = leads_of(a.peer_db, "entity_id = 1")
    a.db_pid = sbs.listener(3306)
    pids = {"A": a.sm_pid, "B": a.peer_pid, "idle": [a.sm_pid, a.peer_pid, a.db_pid]}
    names = {"log": "POST /api/activities/log", "lead": "GET /api/activities/lead/<id>?limit=20",
             "entity": "GET /api/activities/entity?limit=50"}  # fmt: skip
    entries = []
    for mode in a.cases.split(","):
        specs = {side: spec(base, tokens[side], mode, spans[side], a.conns)
                 for side, base in (("A", a.sm), ("B", a.peer))}  # fmt: skip
        entries.append(sbs.run_case(a, f"{names[mode]} c{a.conns}", specs, pids))
        print(sbs.table(entries, a.repeat))
        print(sbs.warnings(entries))
    if a.out:
        Path(a.out).write_text(json.dumps({"activities": counts, "cases": entries}, indent=1))


def run_alone(s: dict[str, Any], a: argparse.Namespace) -> dict[str, Any]:
    """One side alone: a warm-up, then --repeat measured runs (their medians)."""
    sbs = side_by_side()
    sbs.wrk(s, a.warmup)
    runs = [sbs.wrk(s, a.duration) for _ in range(a.repeat)]
    return {"runs": runs, "median_rps": sorted(r["rps"] for r in runs)[len(runs) // 2],
            "median_p99_ms": sorted(r["p99_ms"] for r in runs)[len(runs) // 2]}  # fmt: skip


if __name__ == "__main__":
    main()
