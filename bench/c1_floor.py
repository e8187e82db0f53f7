"""What one lead at a time can cost at best (issue 15, website ingestion at c1), side by side.

Alternates, in one window, rounds of:
  peer     the peer's `POST /webhooks/website` at c1 (wrk, ../shared/bench/webhook.lua)
  ours     SalesMagnet's, at c1 (wrk, the same body, a webhook key) — when --sm is given
  today    the driver alone (aiomysql, no HTTP, none of our Python) sending the statements a
           website lead writes today, in today's round trips: BEGIN with the look for an earlier
           delivery; lead_meta and lead_data; the first stage, counters, rollups, the event's
           sequence and outbox row with COMMIT (the delivery note, one INSERT for the events
           of 50 ms, is left out)
  two      the same, the look sent with the two INSERTs (two round trips)
  one      the same statements in one round trip (what no ordering of our code can beat)
  bare     lead_meta and lead_data only, in one transaction and one round trip: about what
           the peer writes (no stage, counters, rollups or event)
With --attribute, instead of today and two: `one` less some of its writes (no rollups; no
event; only the first stage) or with UPDATEs for its upserts, to see what each write costs.

Each driver round's statements are those of `salesmagnet/leads/writer.py` as logged by
MariaDB's general log for one lead (2026-12-02), with fresh keys each time. The database must
hold SalesMagnet's schema (e.g. sm_side after `bench/side_guard.py`); the rows written stay in
entity 1. Start the peer first (`../shared/peer/peer.sh start 3100 peer_side`).

    .venv/bin/python bench/c1_floor.py --database sm_side --peer http://127.0.0.1:3100 \
        [--sm http://127.0.0.1:8100 --sm-key KEY] [--rounds 3] [--seconds 5] [--attribute]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

import aiomysql
from pymysql.constants import CLIENT

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import wrk  # noqa: E402

WEBHOOK_LUA = str(ROOT.parent / "shared" / "bench" / "webhook.lua")
NOW, DAY = "2026-12-02 16:17:52.023439", "2026-12-02"


def _lead(n: int) -> tuple[str, str, str]:
    """The look for an earlier delivery, the lead_meta and the lead_data INSERT of lead n."""
    key = f"c1-{uuid.uuid4().hex}"
    look = (
        "SELECT l.id FROM lead_meta m JOIN lead_data l ON l.lead_meta_id = m.id WHERE m.entity_id = 1 "
        f"AND m.platform_key IN ('website') AND m.source_lead_id IN ('{key}-a', '{key}')"
    )
    meta = (
        "INSERT INTO lead_meta (entity_id, platform_key, source_lead_id, page_id, page_url, utm_source, "
        "utm_medium, utm_campaign, received_at, processing_status) VALUES (1, 'website', "
        f"'{key}', 'landing_page_001', 'https://example.com/landing-page', 'google', 'cpc', "
        f"'summer_sale', '{NOW}', 'processed')"
    )
    data = (
        "INSERT INTO lead_data (entity_id, lead_meta_id, email, phone, first_name, last_name, full_name, "
        "raw_field_data, source_page_name, platform_key, source_page_id, status, status_changed_at, "
        "reached, created_at, updated_at, search_text) VALUES (1, LAST_INSERT_ID(), "
        f"'c1.{n}@example.com', '+15551234567', 'John', 'Doe', 'John Doe', "
        f'\'{{"email":"c1.{n}@example.com","phone":"+15551234567","first_name":"John"}}\', '
        f"'example.com', 'website', 'landing_page_001', 'new', '{NOW}', 1, '{NOW}', '{NOW}', "
        "' wjohn wdoe w15551234567 w5551234567 w551234567 w51234567 w1234567')"
    )
    return look, meta, data


def _rest(lead: str) -> list[str]:
    """The first stage, counters, rollups and the lead:new event of the lead whose id is `lead`."""
    payload = json.dumps({"lead": {"id": 0, "email": "c1@example.com", "status": "new"}, "entity_id": 1})
    return [
        "INSERT INTO lead_stages (entity_id, lead_id, status_id, entered_at, user_id, sla_due_at, "
        f"sla_breached_at, updated_at) VALUES (1, {lead}, 1, '{NOW}', NULL, '{NOW}', NULL, '{NOW}')",
        "INSERT INTO lead_counts (entity_id, status, platform_key, owner_id, count) VALUES "
        "(1, 'new', 'website', 0, 1) ON DUPLICATE KEY UPDATE count = count + VALUES(count)",
        "INSERT INTO lead_rollups (entity_id, day, status, platform_key, owner_id, reached, leads, assigned, "
        f"assign_seconds, cycle_seconds, created_seconds) VALUES (1, '{DAY}', 'new', 'website', 0, 1, 1, "
        "0, 0, 0, 1) ON DUPLICATE KEY UPDATE leads = leads + VALUES(leads), created_seconds = "
        "created_seconds + VALUES(created_seconds)",
        "INSERT INTO stage_rollups (entity_id, day, status_id, user_id, entries, exits, centihours, over_24, "
        "over_48, over_72, sla_closed, sla_kept, late_seconds, breached_open, first_moves) VALUES "
        f"(1, '{DAY}', 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) ON DUPLICATE KEY UPDATE entries = entries + "
        "VALUES(entries)",
        "INSERT INTO event_sequences (entity_id, last_seq, relayed_seq) VALUES (1, 1, 0) "
        "ON DUPLICATE KEY UPDATE last_seq = LAST_INSERT_ID(last_seq + VALUES(last_seq))",
        "INSERT INTO event_outbox (entity_id, seq, event_id, name, payload, user_ids, created_at) VALUES "
        f"(1, (SELECT last_seq FROM event_sequences WHERE entity_id = 1), '{uuid.uuid4()}', 'lead:new', "
        f"'{payload}', '[]', '{NOW}')",
    ]


async def _send(conn: aiomysql.Connection, *texts: str) -> int:
    """One round trip: the statements joined; the id the last INSERT made."""
    async with conn.cursor() as cursor:
        await cursor.execute(";".join(texts))
        while await cursor.nextset():
            pass
        return int(cursor.lastrowid or 0)


async def today(conn: aiomysql.Connection, n: int) -> None:
    look, meta, data = _lead(n)
    await _send(conn, "BEGIN", look)
    lead = await _send(conn, meta, data)
    await _send(conn, *_rest(str(lead)), "COMMIT")


async def two(conn: aiomysql.Connection, n: int) -> None:
    look, meta, data = _lead(n)
    lead = await _send(conn, "BEGIN", look, meta, data)
    await _send(conn, *_rest(str(lead)), "COMMIT")


async def one(conn: aiomysql.Connection, n: int) -> None:
    _, meta, data = _lead(n)
    await _send(conn, "BEGIN", meta, data, "SET @lead = LAST_INSERT_ID()", *_rest("@lead"), "COMMIT")


def _updates(rest: list[str]) -> list[str]:
    """`_rest` with plain UPDATEs of the counter, rollup and sequence rows (they exist by now)
    instead of INSERT … ON DUPLICATE KEY UPDATE."""
    where = "WHERE entity_id = 1 AND status = 'new' AND platform_key = 'website' AND owner_id = 0"
    return [
        rest[0],
        f"UPDATE lead_counts SET count = count + 1 {where}",
        f"UPDATE lead_rollups SET leads = leads + 1, created_seconds = created_seconds + 1 {where} AND day = '{DAY}'",
        f"UPDATE stage_rollups SET entries = entries + 1 WHERE entity_id = 1 AND day = '{DAY}' AND status_id = 1 "
        "AND user_id = 0",
        "UPDATE event_sequences SET last_seq = LAST_INSERT_ID(last_seq + 1) WHERE entity_id = 1",
        rest[5],
    ]


async def _one_of(conn: aiomysql.Connection, n: int, pick: Callable[[list[str]], list[str]]) -> None:
    _, meta, data = _lead(n)
    await _send(conn, "BEGIN", meta, data, "SET @lead = LAST_INSERT_ID()", *pick(_rest("@lead")), "COMMIT")


# What each of the lead's further writes costs: `one` less some of them (or written otherwise).
ATTRIBUTION = {
    "one_updates": _updates,
    "no_rollups": lambda r: [r[0], r[1], r[4], r[5]],  # no lead_rollups, stage_rollups
    "no_event": lambda r: r[:4],  # no sequence, no outbox row
    "stage_only": lambda r: r[:1],  # lead_meta, lead_data and the first stage
}


async def bare(conn: aiomysql.Connection, n: int) -> None:
    _, meta, data = _lead(n)
    await _send(conn, "BEGIN", meta, data, "COMMIT")


def _ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


async def _drive(database: str, shape: Callable[[aiomysql.Connection, int], Awaitable[None]], seconds: float,
                 start: int) -> tuple[float, float, int]:  # fmt: skip
    """Leads a second at c1, and the client's plus MariaDB's CPU ms a lead."""
    conn = await aiomysql.connect(
        host="127.0.0.1", user="root", password="", db=database, autocommit=True,
        client_flag=CLIENT.MULTI_STATEMENTS,
    )  # fmt: skip
    mariadb = int(subprocess.check_output(["pgrep", "-x", "mariadbd"]).split()[0])
    for n in range(start, start + 20):  # warm-up
        await shape(conn, n)
    cpu0, t0, n = _ticks(mariadb) + _ticks(os.getpid()), time.perf_counter(), start + 20
    while time.perf_counter() - t0 < seconds:
        await shape(conn, n)
        n += 1
    elapsed, done = time.perf_counter() - t0, n - start - 20
    cpu = (_ticks(mariadb) + _ticks(os.getpid()) - cpu0) * 1000 / os.sysconf("SC_CLK_TCK")
    conn.close()
    return done / elapsed, cpu / done, n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database", default="sm_side")
    ap.add_argument("--peer", required=True, help="the peer's base URL")
    ap.add_argument("--sm", help="SalesMagnet's base URL (optional)")
    ap.add_argument("--sm-key", default="", help="SalesMagnet's website webhook key")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--attribute", action="store_true", help="instead of today and two: one less each write")
    a = ap.parse_args()
    shapes: dict[str, Callable[[aiomysql.Connection, int], Awaitable[None]]] = {"today": today, "two": two}
    if a.attribute:
        shapes = {name: partial(_one_of, pick=pick) for name, pick in ATTRIBUTION.items()}
    shapes |= {"one": one, "bare": bare}
    rates: dict[str, list[float]] = {name: [] for name in ("peer", "ours", *shapes) if name != "ours" or a.sm}
    n = int(time.time() * 1000) % 10**9 * 1000
    for r in range(a.rounds):
        runs = [("peer", a.peer, "")] + ([("ours", a.sm, a.sm_key)] if a.sm else [])
        for name, base, key in runs:
            os.environ.update(WEBHOOK_KEY=key, RUN_TAG=f"c1f{r}{name}{n}w")
            wrk(f"{base}/webhooks/website", 1, 2, script=WEBHOOK_LUA, threads=1)  # warm-up
            os.environ["RUN_TAG"] = f"c1f{r}{name}{n}"
            got = wrk(f"{base}/webhooks/website", 1, a.seconds, script=WEBHOOK_LUA, threads=1)
            rates[name].append(got["rps"])
            print(f"round {r + 1} {name:5}: {got['rps']:7.1f} leads/s, p99 {got['p99']:.2f} ms", flush=True)
        for name, shape in shapes.items():
            rate, cpu, n = asyncio.run(_drive(a.database, shape, a.seconds, n))
            rates[name].append(rate)
            print(
                f"round {r + 1} {name:5}: {rate:7.1f} leads/s, driver + MariaDB CPU {cpu:.2f} ms a lead",
                flush=True,
            )
    peer = statistics.median(rates["peer"])
    print("\n| at c1 | leads/s (median) | / peer |\n|---|---:|---:|")
    for name, figures in rates.items():
        rate = statistics.median(figures)
        print(f"| {name} | {rate:.1f} | {rate / peer:.2f}× |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
