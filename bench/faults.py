"""Outages under a steady lead flow: every delivery answers within a second (2xx or 503), no
accepted lead is lost, and every event reaches a socket soon after recovery.

Two `server.py` processes and one `salesmagnet worker` on a MariaDB and a Redis of this run's
own (started here on free ports, so the machine's own services are never touched), at 50 website
deliveries a second to one server; a sales-floor socket on the other server sees each lead. Each scenario takes one dependency away for 10 s: Redis killed, MariaDB killed, MariaDB
frozen (SIGSTOP).

    python bench/faults.py [--rate 50] [--outage 10] [--after 20]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import time
from pathlib import Path

import httpx
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.faults.harness import Deployment, Flow, base_env, login, prepared, steady, stored  # noqa: E402
from tests.faults.services import OwnMariaDB, OwnRedis  # noqa: E402
from tests.mailbox import free_port  # noqa: E402
from tests.procs import process  # noqa: E402


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(len(ordered) * 0.99) - 1)] if ordered else 0.0


class Floor:
    """A sales-floor socket noting when each lead:new arrives."""

    def __init__(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        self.arrived: dict[int, float] = {}
        self.twice = 0  # lead:new events that reached the socket a second time
        self.client.on("lead:new", self._new)

    async def _new(self, data: dict) -> None:
        lead_id = int(data["lead"]["id"])
        self.twice += lead_id in self.arrived
        self.arrived.setdefault(lead_id, time.monotonic())

    async def connect(self, url: str, token: str) -> None:
        await self.client.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=5)


async def scenario(name: str, args: argparse.Namespace, base: Path) -> dict[str, object]:
    mariadb, redis = OwnMariaDB(base / name), OwnRedis()
    (base / name).mkdir()
    await mariadb.start()
    await redis.start()
    await mariadb.create("salesmagnet")
    env = base_env(mariadb.url("salesmagnet"), REDIS_URL=redis.url)
    other_env = {**env, "PORT": str(free_port())}
    email, key = prepared(env)
    url, other = (f"http://127.0.0.1:{e['PORT']}" for e in (env, other_env))
    try:
        async with (
            process(env, "server.py", log=base / name / "server.log"),
            process(other_env, "server.py", log=base / name / "other-server.log"),
            process(env, "-m", "salesmagnet", "worker", log=base / name / "worker.log"),
        ):
            await until_ready(url)
            await until_ready(other)
            token = await login(url, email)
            floor = Floor()  # on the other server: what Redis refused reaches it through the relay
            await floor.connect(other, token)
            flow, stop = Flow(), asyncio.Event()
            sending = asyncio.create_task(steady(url, key, flow, args.rate, stop))
            await asyncio.sleep(5)
            down_at = time.monotonic()
            await take_away(name, mariadb, redis, args.outage)
            back_at = time.monotonic()
            await asyncio.sleep(args.after)
            stop.set()
            await sending
            await asyncio.sleep(15)  # time for the relay to announce what the outage held

            lost = flow.accepted - await stored(Deployment(url, key, token), flow.accepted)
            await floor.client.disconnect()
    finally:
        mariadb.kill()
        redis.kill()
    return summarize(name, flow, floor, down_at, back_at, lost)


async def take_away(name: str, mariadb: OwnMariaDB, redis: OwnRedis, seconds: float) -> None:
    if name == "redis-killed":
        redis.kill()
        await asyncio.sleep(seconds)
        await redis.start()
    elif name == "mariadb-killed":
        mariadb.kill()
        await asyncio.sleep(seconds)
        await mariadb.start()
    else:
        mariadb.freeze()
        await asyncio.sleep(seconds)
        mariadb.thaw()


async def until_ready(url: str) -> None:
    async with httpx.AsyncClient(base_url=url) as http:
        for _ in range(300):
            try:
                if (await http.get("/ready")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("server.py never became ready")


def summarize(
    name: str, flow: Flow, floor: Floor, down_at: float, back_at: float, lost: set[int]
) -> dict[str, object]:
    answers = flow.answers
    during = [a for a in answers if down_at <= a.sent_at <= back_at]
    accepted = flow.accepted
    unannounced = accepted - floor.arrived.keys()
    # Leads answered before recovery: when the last of them reached the socket, after recovery.
    held = [
        floor.arrived[a.lead_id]
        for a in answers
        if a.lead_id in floor.arrived and a.sent_at + a.seconds <= back_at
    ]
    # Leads after it: how long from their answer to their push.
    later = [floor.arrived[a.lead_id] - (a.sent_at + a.seconds) for a in answers
             if a.lead_id in floor.arrived and a.sent_at > back_at]  # fmt: skip
    return {
        "scenario": name,
        "sent": len(answers),
        "2xx": sum(a.status in (200, 201) for a in answers),
        "503": sum(a.status == 503 for a in answers),
        "other": sum(a.status not in (200, 201, 503) for a in answers),
        "2xx during outage": sum(a.status in (200, 201) for a in during),
        "slowest answer s": round(max(a.seconds for a in answers), 3),
        "p99 answer ms (outage)": round(p99([a.seconds for a in during]) * 1000, 1),
        "p99 answer ms (all)": round(p99([a.seconds for a in answers]) * 1000, 1),
        "accepted leads lost": len(lost),
        "accepted, never announced": len(unannounced),
        "announced twice": floor.twice,
        "last push of an earlier lead, s after recovery": round(max(0.0, max(held, default=0) - back_at), 2),
        "push p99 ms after recovery": round(p99(later) * 1000, 1),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--outage", type=float, default=10)
    parser.add_argument("--after", type=float, default=20)
    parser.add_argument("--only", choices=("redis-killed", "mariadb-killed", "mariadb-frozen"))
    args = parser.parse_args()
    names = [args.only] if args.only else ["redis-killed", "mariadb-killed", "mariadb-frozen"]
    with tempfile.TemporaryDirectory() as tmp:
        results = [await scenario(name, args, Path(tmp)) for name in names]
    keys = list(results[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in results:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")


if __name__ == "__main__":
    asyncio.run(main())
