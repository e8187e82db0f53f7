"""Login burst vs. everything else: does password hashing starve the event loop?

Starts `python server.py` (one process) on a fresh database, measures GET /api/auth/me
(authenticated: token check + one user read) with wrk at concurrency 16, then measures it
again while 8 logins are continuously in flight (argon2id on every one).

    python bench/auth_load.py [--database-url URL] [--seconds 10] [--logins 8]

Needs wrk (Debian: apt-get install wrk). Default database: a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import tempfile
import time
from pathlib import Path

import httpx
from common import cli, start_server, wrk

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "S3cure!pass"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load(url: str, token: str, seconds: int) -> dict[str, float]:
    return wrk(url, 16, seconds, headers={"Authorization": f"Bearer {token}"}, threads=1)


async def login_loop(base: str, email: str, stop: asyncio.Event, done: list[float]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while not stop.is_set():
            started = time.perf_counter()
            response = await http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
            assert response.status_code == 200, response.text
            done.append(time.perf_counter() - started)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--logins", type=int, default=8)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url or f"sqlite://{tmp}/bench.db",
        "JWT_SECRET": "b" * 48,
        "SALESMAGNET_ENV": "production",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    cli(env, "migrate")
    reader, burster = f"reader{port}@example.com", f"burster{port}@example.com"
    for email in (reader, burster):
        cli(
            env,
            "create-user",
            "--entity",
            "fxcareers",
            "--role",
            "sales_rep",
            "--email",
            email,
            "--password",
            PASSWORD,
        )
    server, base = await start_server(env)
    try:
        async with httpx.AsyncClient(base_url=base) as http:
            token = (await http.post("/api/auth/login", json={"email": reader, "password": PASSWORD})).json()[
                "data"
            ]["access_token"]
        url = f"{base}/api/auth/me"
        load(url, token, 2)  # warm-up
        baseline = await asyncio.to_thread(load, url, token, args.seconds)
        stop, durations = asyncio.Event(), []
        loops = [asyncio.create_task(login_loop(base, burster, stop, durations)) for _ in range(args.logins)]
        await asyncio.sleep(1)
        durations.clear()
        loaded = await asyncio.to_thread(load, url, token, args.seconds)
        stop.set()
        await asyncio.gather(*loops)
    finally:
        server.terminate()
        server.wait(20)
    durations.sort()
    kept = loaded["rps"] / baseline["rps"]
    print(
        f"database: {env['DATABASE_URL'].split('://')[0]}, {os.cpu_count()} cores, {args.seconds}s per phase"
    )
    print(
        f"GET /api/auth/me c16 alone:              {baseline['rps']:8.0f} req/s  p50 {baseline['p50']:.2f} ms  p99 {baseline['p99']:.2f} ms"
    )
    print(
        f"GET /api/auth/me c16 + {args.logins} logins in flight: {loaded['rps']:8.0f} req/s  p50 {loaded['p50']:.2f} ms  p99 {loaded['p99']:.2f} ms"
    )
    print(f"throughput kept under the login burst: {kept:.0%} (target ≥ 50%)")
    print(
        f"logins: {len(durations) / args.seconds:.1f}/s, p50 {durations[len(durations) // 2] * 1000:.0f} ms, "
        f"p99 {durations[int(len(durations) * 0.99)] * 1000:.0f} ms; non-2xx: {baseline['non2xx'] + loaded['non2xx']:.0f}"
    )


if __name__ == "__main__":
    asyncio.run(main())
