"""What the benchmarks share: starting `server.py`, running wrk, the MariaDB client, and the
side-by-side runner of ../shared/bench."""

from __future__ import annotations

import asyncio
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
SIDE_BY_SIDE = ROOT.parent / "shared" / "bench" / "side_by_side.py"


def side_by_side() -> Any:
    """../shared/bench/side_by_side.py as a module: its runs, tables and warnings."""
    spec = importlib.util.spec_from_file_location("side_by_side", SIDE_BY_SIDE)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def cli(env: dict[str, str], *args: str) -> str:
    """`salesmagnet …` with `env`: its output, stripped; its error output ends the run."""
    done = subprocess.run(
        [sys.executable, "-m", "salesmagnet", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    return done.stdout.strip()


def sql(db: str, statement: str) -> list[list[str]]:
    """Rows of one statement (or several) through the `mariadb` client, as text."""
    out = subprocess.run(
        ["mariadb", "-h127.0.0.1", "-uroot", "-N", "-B", db, "-e", statement],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.split("\t") for line in out.splitlines() if line]


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


def wrk_behind(url: str, connections: int, seconds: int, script: str) -> subprocess.Popen[str]:
    """A wrk load left running in the background (its own figures are not read)."""
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script, url]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, text=True)


def wrk(
    url: str,
    connections: int,
    seconds: int,
    *,
    headers: dict[str, str] | None = None,
    script: str | None = None,
    script_args: tuple[str, ...] = (),
    threads: int | None = None,
) -> dict[str, float]:
    """Run wrk and read its summary: req/s, p50 and p99 in ms, and non-2xx answers."""
    cmd = [
        "wrk",
        f"-t{threads or min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    if script:
        cmd += ["-s", script]
    cmd.append(url)
    if script_args:
        cmd += ["--", *script_args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": ms("50"),
        "p99": ms("99"),
        "non2xx": float(bad.group(1)) if bad else 0.0,
    }
