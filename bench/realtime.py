"""Real-time delivery: commit → receive latency, broadcast fan-out, sockets one process holds.

    python bench/realtime.py inproc [--clients 1,100,1000] [--events 200]
        embedded default: this process serves the app (SQLite, in-memory Socket.IO manager) and
        commits events the way services do; clients run in separate processes.
    python bench/realtime.py redis --database-url mysql://… --redis-url redis://… [--clients …]
        across processes: clients connect to a `server.py` process; this process commits the
        events and publishes them through a write-only Redis manager, as an arq worker does.
    python bench/realtime.py inproc|redis --assigned [--events 200]
        a rep's socket and a real `lead:assigned`: this process assigns leads to the rep through
        the assignments service (gate, history, activity, event; one transaction each) and the
        rep's socket times each alert from just before its transaction began.
    python bench/realtime.py hold [--sockets 2000]
        connects that many sockets to one in-process server and broadcasts to all of them while
        a probe measures how late the server's event loop wakes up (a stall).

Latency is measured from just before the commit starts to the client's receipt (wall clock,
same machine). Clients, server and database share the machine's two cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


# -- client processes ------------------------------------------------------------------------


async def run_clients(url: str, token: str, count: int, expect: int, event: str) -> None:
    """`lead:updated` carries its sending time: latencies. Any other event is recorded as
    [lead id, receipt time] for the driver, which knows when it sent each."""
    import socketio

    latencies: list[list[Any]] = [[] for _ in range(count)]
    done = asyncio.Event()
    finished = 0

    def make(index: int) -> socketio.AsyncClient:
        client = socketio.AsyncClient(reconnection=False)

        @client.on(event)
        async def on_event(data: dict[str, Any]) -> None:
            nonlocal finished
            if "sent" in data:
                latencies[index].append(time.time() - data["sent"])
            else:
                latencies[index].append([data["lead"]["id"], time.time()])
            if len(latencies[index]) == expect:
                finished += 1
                if finished == count:
                    done.set()

        return client

    clients = [make(i) for i in range(count)]
    for batch in range(0, count, 50):
        await asyncio.gather(
            *(
                c.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=30)
                for c in clients[batch : batch + 50]
            )
        )
    print("ready", flush=True)
    try:
        await asyncio.wait_for(done.wait(), timeout=120)
    except TimeoutError:
        pass
    print(json.dumps(latencies), flush=True)
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)


# -- the driver ------------------------------------------------------------------------------


async def spawn_clients(
    url: str, token: str, total: int, expect: int, event: str = "lead:updated"
) -> list[asyncio.subprocess.Process]:
    procs = []
    per_process = int(os.environ.get("BENCH_PER_PROCESS", "250"))
    for start in range(0, total, per_process):
        count = min(per_process, total - start)
        procs.append(
            await asyncio.create_subprocess_exec(
                sys.executable,
                __file__,
                "_clients",
                url,
                token,
                str(count),
                str(expect),
                event,
                stdout=asyncio.subprocess.PIPE,
                cwd=ROOT,
                limit=2**26,
            )
        )
    for proc in procs:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), 180)
        assert line.strip() == b"ready", line
    return procs


async def collect(procs: list[asyncio.subprocess.Process]) -> list[list[Any]]:
    per_client: list[list[Any]] = []
    for proc in procs:
        assert proc.stdout is not None
        per_client += json.loads(await proc.stdout.readline())
        await proc.wait()
    return per_client


async def setup_tenant(secret: str) -> tuple[int, str, int]:
    from models import RoleId
    from salesmagnet.auth import tokens
    from salesmagnet.entities import service as entities
    from salesmagnet.tenancy import Actor
    from salesmagnet.users import service as users
    from salesmagnet.users.schemas import UserCreate

    entity = await entities.create_entity(f"bench_{int(time.time() * 1000)}")
    tag = os.urandom(4).hex()
    user = await users.create_user(
        Actor.system(entity.id),
        UserCreate.model_validate(
            {
                "username": f"bench_{tag}",
                "email": f"bench_{tag}@example.com",
                "password": "S3cure!pass",
                "first_name": "Bench",
                "last_name": "Floor",
                "role": RoleId.SALES_REP,
            }
        ),
    )
    claims = {
        "user_id": user["id"],
        "email": user["email"],
        "role_id": 3,
        "entity_id": entity.id,
        "entity_name": entity.name,
        "sv": 1,
    }
    token, _ = tokens.encode(secret, claims, tokens.ACCESS, timedelta(hours=1))
    return entity.id, token, int(user["id"])


async def measure_assigned(
    url: str, token: str, entity_id: int, rep_id: int, count: int, interval: float
) -> dict[str, float]:
    """`count` leads assigned to the rep one by one, as a manager does; each alert timed."""
    from models import RoleId
    from salesmagnet.assignments import service as assignments
    from salesmagnet.assignments.schemas import Assign
    from salesmagnet.leads import service as leads
    from salesmagnet.leads.schemas import LeadCreate
    from salesmagnet.tenancy import Actor

    system = Actor.system(entity_id)
    lead_ids = [
        int(
            (await leads.create_lead(system, LeadCreate.model_validate({"email": f"a{i}@example.com"})))["id"]
        )
        for i in range(count)
    ]
    manager = Actor(user_id=rep_id, entity_id=entity_id, role=RoleId.MANAGER)  # its activity rows too
    procs = await spawn_clients(url, token, 1, count, "lead:assigned")
    await asyncio.sleep(1.0)
    sent: dict[int, float] = {}
    for lead_id in lead_ids:
        sent[lead_id] = time.time()
        await assignments.assign(
            manager, Assign.model_validate({"leadId": lead_id, "assignedUserId": rep_id})
        )
        if os.environ.get("BENCH_TRACE") and len(sent) <= 3:
            print(
                f"assignment {len(sent)} took {(time.time() - sent[lead_id]) * 1000:.0f} ms", file=sys.stderr
            )
        await asyncio.sleep(interval)
    [received] = await collect(procs)
    flat = [(at - sent[lead]) * 1000 for lead, at in received]
    if os.environ.get("BENCH_TRACE"):
        order = {lead: n for n, lead in enumerate(lead_ids)}
        slowest = sorted(((round(ms), order[lead]) for (lead, _), ms in zip(received, flat, strict=True)))[
            -5:
        ]
        print("slowest alerts (ms, n-th assignment):", slowest, file=sys.stderr)
    return {
        "clients": 1,
        "events": count,
        "received": len(flat),
        "lost": count - len(flat),
        "p50": pct(flat, 50),
        "p99": pct(flat, 99),
        "max": max(flat),
        "fanout_p50": pct(flat, 50),
        "fanout_p99": pct(flat, 99),
    }


async def commit_timed(entity_id: int) -> None:
    from salesmagnet import events
    from salesmagnet.db import atomic

    sent = time.time()
    async with atomic():
        events.emit(events.Event("lead:updated", entity_id, {"sent": sent, "lead": {"id": 1}}))


class LagProbe:
    """How late the event loop wakes from a 10 ms sleep. A late wake-up is a stall of the loop
    when its thread was busy (CPU time), or the OS running other processes when it was not."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self.busy: list[float] = []  # the loop thread's CPU time in each window
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            start, cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(0.01)
            self.lags.append(time.perf_counter() - start - 0.01)
            self.busy.append(time.thread_time() - cpu)

    def start(self) -> None:
        self.lags.clear()
        self.busy.clear()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> float:
        assert self._task is not None
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        return max(self.lags, default=0.0) * 1000

    def worst_busy(self) -> float:
        """The longest window in which the loop's own thread computed (ms): its true stall."""
        windows = zip(self.lags, self.busy, strict=False)
        return max((min(lag + 0.01, busy) for lag, busy in windows), default=0) * 1000


async def measure(
    url: str, token: str, entity_id: int, clients: int, count: int, interval: float
) -> dict[str, float]:
    procs = await spawn_clients(url, token, clients, count)
    await asyncio.sleep(1.0)
    for _ in range(count):
        await commit_timed(entity_id)
        await asyncio.sleep(interval)
    per_client = await collect(procs)
    flat = [v * 1000 for lat in per_client for v in lat]
    lost = clients * count - len(flat)
    per_event = [max(lat[i] for lat in per_client) * 1000 for i in range(min(len(lat) for lat in per_client))]
    if os.environ.get("BENCH_TRACE"):
        print("last-client latency per broadcast, in order:", [round(v) for v in per_event], file=sys.stderr)
    return {
        "clients": clients,
        "events": count,
        "received": len(flat),
        "lost": lost,
        "p50": pct(flat, 50),
        "p99": pct(flat, 99),
        "max": max(flat),
        "fanout_p50": pct(per_event, 50),
        "fanout_p99": pct(per_event, 99),
    }


async def serve_in_process(settings: Any) -> tuple[Any, Any, str]:
    import uvicorn
    from sanic import Sanic

    from salesmagnet import db, schema
    from server import compose

    Sanic.test_mode = True
    await db.connect(settings.database_url)
    await schema.migrate(settings.database_url)
    asgi, _app = compose(settings)
    await db.disconnect()
    port = int(settings.port)
    server = uvicorn.Server(
        uvicorn.Config(
            asgi,
            host="127.0.0.1",
            port=port,
            lifespan="on",
            log_level="error",
            ws="websockets-sansio",
            ws_max_queue=1024,
        )
    )
    task = asyncio.get_running_loop().create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await asyncio.sleep(0.01)
    return server, task, f"http://127.0.0.1:{port}"


def embedded_settings() -> Any:
    from salesmagnet.config import load_settings
    from tests.mailbox import free_port

    tmp = tempfile.mkdtemp()
    settings = load_settings({"SALESMAGNET_ENV": "test", "JWT_SECRET": "r" * 48})
    return replace(settings, database_url=f"sqlite://{tmp}/bench.db", port=free_port(), log_level="ERROR")


def report(rows: list[dict[str, float]], title: str) -> None:
    print(f"\n{title}")
    print(
        "| clients | events | received | lost | p50 ms | p99 ms | max ms | fan-out p50 ms | fan-out p99 ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['clients']:.0f} | {r['events']:.0f} | {r['received']:.0f} | {r['lost']:.0f} | {r['p50']:.1f} | "
            f"{r['p99']:.1f} | {r['max']:.1f} | {r['fanout_p50']:.1f} | {r['fanout_p99']:.1f} |"
        )


def trace_gc() -> list[tuple[int, float]]:
    """(generation, ms) of every collection over 5 ms in this process."""
    import gc

    slow: list[tuple[int, float]] = []
    started = [0.0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        elif (ms := (time.perf_counter() - started[0]) * 1000) > 5:
            slow.append((info["generation"], round(ms, 1)))

    gc.callbacks.append(callback)
    return slow


async def inproc(args: argparse.Namespace) -> None:
    slow_gc = trace_gc() if os.environ.get("BENCH_TRACE") else None
    settings = embedded_settings()
    server, task, url = await serve_in_process(settings)
    entity_id, token, rep_id = await setup_tenant(settings.jwt_secret)
    if args.assigned:
        rows = [await measure_assigned(url, token, entity_id, rep_id, args.events, args.interval)]
    else:
        rows = [await measure(url, token, entity_id, n, args.events, args.interval) for n in args.clients]
    server.should_exit = True
    await task
    report(rows, "in-process (embedded: SQLite, one process, in-memory Socket.IO manager)")
    if slow_gc is not None:
        print("server collections over 5 ms (generation, ms):", slow_gc, file=sys.stderr)


async def across(args: argparse.Namespace) -> None:
    import socketio

    from realtime.manager import CHANNEL, database_channel
    from realtime.publisher import RoomPublisher
    from salesmagnet import db, events, schema
    from tests.mailbox import free_port

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "JWT_SECRET": "r" * 48,
        "SALESMAGNET_ENV": "test",
        "PORT": str(free_port()),
        "LOG_LEVEL": "WARNING",
    }
    await db.connect(args.database_url)
    await schema.migrate(args.database_url)
    proc = await asyncio.create_subprocess_exec(sys.executable, "server.py", cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{env['PORT']}"
    await asyncio.sleep(3)
    emitter = socketio.AsyncRedisManager(
        args.redis_url, channel=database_channel(args.redis_url, CHANNEL), write_only=True
    )
    publisher = RoomPublisher(emitter.emit)
    publisher.start()
    events.set_publisher(publisher)
    entity_id, token, rep_id = await setup_tenant("r" * 48)
    try:
        if args.assigned:
            rows = [await measure_assigned(url, token, entity_id, rep_id, args.events, args.interval)]
        else:
            rows = [await measure(url, token, entity_id, n, args.events, args.interval) for n in args.clients]
    finally:
        await publisher.close()
        proc.terminate()
        await proc.wait()
        await db.disconnect()
    report(
        rows,
        "across processes via Redis (MariaDB; clients on a server.py process; events committed "
        "and published by this process through a write-only Redis manager)",
    )


async def hold(args: argparse.Namespace) -> None:
    slow_gc = trace_gc() if os.environ.get("BENCH_TRACE") else None
    settings = embedded_settings()
    server, task, url = await serve_in_process(settings)
    entity_id, token, _ = await setup_tenant(settings.jwt_secret)
    probe = LagProbe()
    probe.start()
    started = time.perf_counter()
    procs = await spawn_clients(url, token, args.sockets, args.events)
    connect_s = time.perf_counter() - started
    connect_stall = await probe.stop()
    connect_busy = probe.worst_busy()
    sanic_app = server.config.app.app.other_asgi_app.app  # Observed, socketio.ASGIApp, Acyclic
    hub = sanic_app.ctx.hub
    held = len(hub.sio.manager.rooms["/"].get(f"entity:{entity_id}", {})) if hub else -1
    probe.start()
    for _ in range(args.events):
        await commit_timed(entity_id)
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)  # the last broadcast is delivered; every client is still connected
    broadcast_stall = await probe.stop()
    broadcast_busy = probe.worst_busy()
    late = [
        (round(lag * 1000), round(busy * 1000))
        for lag, busy in zip(probe.lags, probe.busy, strict=False)
        if lag > 0.02
    ]
    per_client = await collect(procs)
    flat = [v * 1000 for lat in per_client for v in lat]
    per_event = [max(lat[i] for lat in per_client) * 1000 for i in range(min(len(lat) for lat in per_client))]
    server.should_exit = True
    await task
    if slow_gc is not None:
        print("server collections over 5 ms (generation, ms):", slow_gc, file=sys.stderr)
        print("late wake-ups during broadcasts (wall ms, loop-thread CPU ms):", late, file=sys.stderr)
    print(f"\nsockets held by one process: {held} (asked {args.sockets}); connected in {connect_s:.1f} s")
    print(
        f"latest wake-up of the loop (wall clock): while connecting {connect_stall:.1f} ms, during "
        f"{args.events} broadcasts {broadcast_stall:.1f} ms; longest the loop thread computed without a "
        f"break: {connect_busy:.1f} ms and {broadcast_busy:.1f} ms"
    )
    print(
        f"broadcast to all: received {len(flat)}/{args.sockets * args.events}; per-client p50 "
        f"{pct(flat, 50):.1f} ms p99 {pct(flat, 99):.1f} ms; last client p50 {pct(per_event, 50):.1f} ms "
        f"p99 {pct(per_event, 99):.1f} ms (mean {statistics.mean(per_event):.1f})"
    )


def main() -> None:
    if sys.argv[1] == "_clients":
        import uvloop

        url, token, count, expect, event = (
            sys.argv[2],
            sys.argv[3],
            int(sys.argv[4]),
            int(sys.argv[5]),
            sys.argv[6],
        )
        os.nice(10)  # load generators stand in for other machines: never preempt the server
        uvloop.install()
        asyncio.run(run_clients(url, token, count, expect, event))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("inproc", "redis", "hold"))
    parser.add_argument("--clients", default="1,100,1000", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--interval", type=float, default=0.02)
    parser.add_argument("--sockets", type=int, default=2000)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--assigned", action="store_true", help="time a rep's lead:assigned alerts")
    parser.add_argument("--per-process", type=int, default=250, help="sockets per client process")
    args = parser.parse_args()
    import logging

    logging.basicConfig(level=logging.ERROR)
    os.environ["BENCH_PER_PROCESS"] = str(args.per_process)
    import uvloop  # what server.py runs on (uvicorn picks uvloop when it is installed)

    uvloop.install()
    asyncio.run({"inproc": inproc, "redis": across, "hold": hold}[args.mode](args))


if __name__ == "__main__":
    main()
