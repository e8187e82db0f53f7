"""Running the project's own commands (`salesmagnet …`, `server.py`) as a user would."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def python(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`python ARGS` in the project root; never raises on a non-zero exit."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return python("-m", "salesmagnet", *args, env=env)


async def until_up(url: str, path: str = "/health", tries: int = 300) -> bool:
    """Poll a starting server until `path` answers 200; False if it never does."""
    import asyncio

    import httpx

    async with httpx.AsyncClient(base_url=url) as http:
        for _ in range(tries):
            try:
                if (await http.get(path)).status_code == 200:
                    return True
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    return False


@asynccontextmanager
async def process(
    env: dict[str, str], *args: str, log: Path | None = None
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python ARGS` running in the project root while the block runs (its output to `log`, or
    dropped); terminated after it."""
    with log.open("w") if log else open(os.devnull, "w") as out:  # noqa: ASYNC230
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *args, cwd=ROOT, env=env, stdout=out, stderr=out
        )
        try:
            yield proc
        finally:
            if proc.returncode is None:
                proc.terminate()
                await asyncio.wait_for(proc.wait(), 20)
