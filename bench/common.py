"""What the benchmarks share: starting `server.py` and waiting until it answers."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


async def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """`python server.py` with `env` (PORT set), once /health answers."""
    server = subprocess.Popen([sys.executable, "server.py"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{env['PORT']}"
    async with httpx.AsyncClient(base_url=base) as http:
        for _ in range(200):
            try:
                await http.get("/health")
                return server, base
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    server.kill()
    raise SystemExit("server.py did not start")
