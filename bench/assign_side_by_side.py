"""Working a lead, side by side with the peer (../shared/peer), in one window, with wrk.

    .venv/bin/python bench/assign_side_by_side.py --sm http://127.0.0.1:8100 --sm-pid $SM_PID \\
        --sm-db sm_bench --peer $PEER_URL --peer-pid $PEER_PID --peer-db peer_bench [--out F.json]

Both databases must hold the same leads (../shared/bench/load_leads.py; 150,000 leave enough
fresh ones for every run). The script first makes every lead of both sides unassigned and `new`
(SalesMagnet's counters rebuilt, and its open `new` stage rows made, which the loader does not
write), then measures, alternating the sides as ../shared/bench/side_by_side.py does (its code
runs the runs):

1. POST /api/assignments/assign at c16, each request a lead nobody touched, to rep1..rep5 in
   turn: SalesMagnet (A) against the peer (B).
2. POST /api/stages/change-status (new → qualified) at c16 on SalesMagnet against its own assign
   at c16, alternating (the peer's change-status answers 500, so it has no figure).
3. bulk assign of 10,000 unassigned leads over 20 reps: one call on SalesMagnet
   (max_leads_per_user 1000) against the peer's ten calls (it takes at most 1,000 a call).

Needs wrk, the `mariadb` client, and the users of ../shared/peer/README.md on both sides (the
script adds rep6..rep20 for the bulk case).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import side_by_side, sql  # noqa: E402

PASSWORD = "BenchPass123"
REPS = [f"rep{i}.e1@example.com" for i in range(1, 21)]


def sm_entity(db: str) -> int:
    return int(sql(db, "SELECT id FROM entities WHERE name = 'fxcareers'")[0][0])


def add_reps(a: argparse.Namespace) -> None:
    """rep6..rep20 on both sides (SalesMagnet through its CLI, the peer by SQL like its rep1)."""
    env = {"DATABASE_URL": f"mysql://root:@127.0.0.1:3306/{a.sm_db}", "PATH": "/usr/bin:/bin"}
    have = {row[0] for row in sql(a.sm_db, "SELECT email FROM users")}
    for email in REPS:
        if email not in have:
            subprocess.run(
                [str(ROOT / ".venv/bin/salesmagnet"), "create-user", "--entity", "fxcareers", "--role",
                 "sales_rep", "--email", email, "--password", PASSWORD],
                check=True, env=env, capture_output=True,
            )  # fmt: skip
    peer_have = {row[0] for row in sql(a.peer_db, "SELECT email FROM users")}
    template = sql(a.peer_db, "SELECT * FROM users WHERE email = 'rep1.e1@example.com'")
    columns = [r[0] for r in sql(a.peer_db, "SHOW COLUMNS FROM users")]
    if not template:
        sys.exit("the peer has no rep1.e1@example.com: start it with peer.sh")
    for n, email in enumerate(REPS, start=1):
        if email in peer_have:
            continue
        row = dict(zip(columns, template[0], strict=True))
        row.pop("id")
        row["email"] = email
        if "username" in row:
            row["username"] = f"rep{n}_e1"
        names = ", ".join(f"`{c}`" for c in row)
        values = ", ".join("NULL" if v == "NULL" else "'" + v.replace("'", "''") + "'" for v in row.values())
        sql(a.peer_db, f"INSERT INTO users ({names}) VALUES ({values})")


def fresh_leads(a: argparse.Namespace) -> None:
    """Every lead unassigned and new on both sides, with its open `new` stage on SalesMagnet."""
    entity = sm_entity(a.sm_db)
    sql(
        a.sm_db,
        f"UPDATE lead_data SET assigned_user_id = NULL, assigned_at = NULL, status = 'new' WHERE entity_id = {entity};"
        f"DELETE FROM lead_stages WHERE entity_id = {entity}; DELETE FROM lead_assignments WHERE entity_id = {entity};"
        f"DELETE FROM lead_activities WHERE entity_id = {entity}; DELETE FROM activity_counts WHERE entity_id = {entity};"
        "INSERT INTO lead_stages (entity_id, lead_id, status_id, entered_at, updated_at, sla_due_at, sla_breached_at) "
        "SELECT entity_id, id, 1, created_at, created_at, created_at + INTERVAL 24 HOUR, "
        # past due before the run: announced already, as a live system holds them (the breach
        # monitor would otherwise announce them all during the measured runs)
        "IF(created_at + INTERVAL 24 HOUR <= UTC_TIMESTAMP(6), created_at + INTERVAL 24 HOUR, NULL) "
        f"FROM lead_data WHERE entity_id = {entity}",
    )
    sql(
        a.peer_db,
        "UPDATE lead_data SET status = 'new', assigned_user_id = NULL, assigned_at = NULL; "
        "DELETE FROM lead_assignments; DELETE FROM lead_stages",
    )
    fresh_counts(a, entity)


def login(base: str, email: str) -> str:
    request = urllib.request.Request(
        base + "/api/auth/login",
        json.dumps({"email": email, "password": PASSWORD}).encode(),
        {"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as answer:
        body = json.load(answer)["data"]
    return str(body.get("access_token") or body.get("token") or body["accessToken"])


def post(base: str, path: str, token: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        base + path,
        json.dumps(body).encode(),
        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=600) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def lead_range(db: str, where: str) -> tuple[int, int]:
    low, high = sql(db, f"SELECT MIN(id), MAX(id) FROM lead_data WHERE {where}")[0]
    return int(low), int(high)


def bulk(a: argparse.Namespace, sm_token: str, peer_token: str) -> dict[str, Any]:
    """10,000 unassigned leads over 20 reps on each side (all others owned by rep1 first)."""
    entity = sm_entity(a.sm_db)
    out: dict[str, Any] = {}
    for side in ("A", "B"):
        db, where = (a.sm_db, f"entity_id = {entity}") if side == "A" else (a.peer_db, "1 = 1")
        low, _ = lead_range(db, where)
        owner = sql(db, "SELECT id FROM users WHERE email = 'manager1.e1@example.com'")[0][0]
        sql(db, f"UPDATE lead_data SET assigned_user_id = {owner} WHERE {where} AND id >= {low + 10_000}")
        sql(db, f"UPDATE lead_data SET assigned_user_id = NULL WHERE {where} AND id < {low + 10_000}")
        if side == "A":
            fresh_counts(a, entity)
        else:
            sql(db, "DELETE FROM lead_assignments")
        time.sleep(2)
        t0 = time.monotonic()
        calls = 0
        if side == "A":
            status, body = post(a.sm, "/api/assignments/bulk-assign", sm_token, {"max_leads_per_user": 1000})
            calls, assigned = 1, body.get("data", {}).get("total_assigned")
        else:
            assigned = 0
            while assigned < 10_000 and calls < 20:
                status, body = post(
                    a.peer, "/api/assignments/bulk-assign", peer_token, {"max_leads_per_user": 1000}
                )
                calls += 1
                got = (
                    (body.get("data") or {}).get("total_assigned")
                    or (body.get("data") or {}).get("assigned_count")
                    or 0
                )
                if status != 200 or not got:
                    break
                assigned += int(got)
        out[side] = {
            "seconds": round(time.monotonic() - t0, 3),
            "calls": calls,
            "assigned": assigned,
            "status": status,
        }
        print(f"bulk {side}: {out[side]}", file=sys.stderr)
    return out


def fresh_counts(a: argparse.Namespace, entity: int) -> None:
    code = (
        "import asyncio\nfrom salesmagnet import db\nfrom salesmagnet.leads import counts\n"
        "from salesmagnet.tenancy import Actor\n"
        f"async def main():\n    await db.connect('mysql://root:@127.0.0.1:3306/{a.sm_db}')\n"
        f"    await counts.rebuild(Actor.system({entity}))\n    await db.disconnect()\nasyncio.run(main())\n"
    )
    subprocess.run([str(ROOT / ".venv/bin/python"), "-c", code], check=True, cwd=ROOT)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sm", required=True)
    ap.add_argument("--sm-pid", type=int, required=True)
    ap.add_argument("--sm-db", default="sm_bench")
    ap.add_argument("--peer", required=True)
    ap.add_argument("--peer-pid", type=int, required=True)
    ap.add_argument("--peer-db", default="peer_bench")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--settle", type=float, default=20)
    ap.add_argument("--conns", type=int, default=16)
    ap.add_argument("--skip", default="", help="comma-separated cases to leave out: assign,status,bulk")
    ap.add_argument("--out")
    a = ap.parse_args()
    sbs = side_by_side()
    db_pid = sbs.listener(3306)
    a.db_pid = db_pid
    pids = {"A": a.sm_pid, "B": a.peer_pid, "idle": [a.sm_pid, a.peer_pid, db_pid]}
    add_reps(a)
    fresh_leads(a)
    entity = sm_entity(a.sm_db)
    tokens = {"A": login(a.sm, "manager1.e1@example.com"), "B": login(a.peer, "manager1.e1@example.com")}
    ids = {"A": [r[0] for r in sql(a.sm_db, "SELECT id FROM users WHERE email LIKE 'rep_.e1@example.com' ORDER BY id")],
           "B": [r[0] for r in sql(a.peer_db, "SELECT id FROM users WHERE email LIKE 'rep_.e1@example.com' ORDER BY id")]}  # fmt: skip
    starts = {"A": lead_range(a.sm_db, f"entity_id = {entity}")[0], "B": lead_range(a.peer_db, "1 = 1")[0]}
    work = Path(tempfile.mkdtemp(prefix="assign-bench-"))
    specs: dict[str, dict[str, Any]] = {}
    for side, base in (("A", a.sm), ("B", a.peer)):
        for mode in ("assign", "status"):
            cursor = work / f"{side}-{mode}"
            cursor.write_text(f"{starts[side]}\n")
            specs[f"{side}-{mode}"] = dict(
                url=base.rstrip("/") + "/api/assignments/assign",
                conns=a.conns,
                script=str(ROOT / "bench" / "assign.lua"),
                env={"LEAD_CURSOR": str(cursor), "MODE": mode, "ASSIGNEES": ",".join(ids[side]),
                     "AUTHORIZATION": f"Bearer {tokens[side]}",
                     "THREADS": str(min(2, a.conns))},
            )  # fmt: skip
    skip = set(filter(None, a.skip.split(",")))
    entries, report = [], {}
    if "assign" not in skip:
        entries.append(sbs.run_case(a, f"POST /api/assignments/assign c{a.conns}",
                                    {"A": specs["A-assign"], "B": specs["B-assign"]}, pids))  # fmt: skip
        print(sbs.table(entries, a.repeat))
        print(sbs.warnings(entries))
    if "status" not in skip:
        own = {"A": a.sm_pid, "B": a.sm_pid, "idle": pids["idle"]}
        status = sbs.run_case(a, f"SalesMagnet: change-status (A) / assign (B) c{a.conns}",
                              {"A": specs["A-status"], "B": specs["A-assign"]}, own)  # fmt: skip
        report["status_vs_assign"] = status
        print("\nchange-status (A) against SalesMagnet's own assign (B), both on SalesMagnet:")
        print(sbs.table([status], a.repeat))
    if "bulk" not in skip:
        report["bulk"] = bulk(a, tokens["A"], tokens["B"])
        b = report["bulk"]
        ratio = b["B"]["seconds"] / b["A"]["seconds"] if b["A"]["seconds"] else None
        print(f"\nbulk 10,000 over 20 reps: SalesMagnet {b['A']['seconds']} s in {b['A']['calls']} call "
              f"({b['A']['assigned']} assigned), peer {b['B']['seconds']} s in {b['B']['calls']} calls "
              f"({b['B']['assigned']} assigned): {ratio and round(ratio, 1)}x")  # fmt: skip
    if a.out:
        Path(a.out).write_text(json.dumps({"cases": entries, **report}, indent=1))


if __name__ == "__main__":
    main()
