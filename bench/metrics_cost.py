"""What `/metrics` costs a request: website-webhook throughput at c16 with METRICS=on and off,
the two servers alternated in one window (rounds of each), with `/health` as the day's calibration.

    python bench/metrics_cost.py --database-url mysql://root:@127.0.0.1:3306/sm_metrics [--rounds 3]

Needs wrk. Prints the medians and the ratio on/off.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from api import WEBHOOK_LUA, cli
from common import start_server, wrk


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def round_of(env: dict[str, str], metrics: str, script: Path, seconds: int) -> dict[str, float]:
    server, base = await start_server({**env, "METRICS": metrics, "PORT": str(8300 + random.randint(0, 500))})
    try:
        wrk(f"{base}/webhooks/website", 16, 2, script=str(script))  # warm-up
        before = cpu_seconds(server.pid)
        result = wrk(f"{base}/webhooks/website", 16, seconds, script=str(script))
        # The server's own CPU per request: steadier than throughput on a shared machine.
        result["cpu_us"] = (cpu_seconds(server.pid) - before) / (result["rps"] * seconds) * 1e6
        result["health"] = wrk(f"{base}/health", 16, 3)["rps"]
        return result
    finally:
        server.terminate()
        server.wait(30)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "JWT_SECRET": "a" * 48,
        "SALESMAGNET_ENV": "production",
        "LOG_LEVEL": "WARNING",
        "WEBHOOK_RATE_PER_MINUTE": "100000000",
    }
    env.pop("REDIS_URL", None)
    cli(env, "migrate")
    entity = f"metrics_{int(time.time())}"
    cli(env, "entity-create", entity)
    script = Path(tempfile.mkdtemp()) / "webhook.lua"
    script.write_text(WEBHOOK_LUA.replace("%KEY%", cli(env, "webhook-key", "--entity", entity)))
    runs: dict[str, list[dict[str, float]]] = {"on": [], "off": []}
    for _ in range(args.rounds):
        for metrics in ("on", "off"):
            runs[metrics].append(await round_of(env, metrics, script, args.seconds))
    print(
        "| METRICS | webhook c16 leads/s (each round) | median | p99 ms (median) "
        "| server CPU µs a lead (median) | /health req/s (median) |"
    )
    print("|---|---|---|---|---|---|")
    median = {k: statistics.median(r["rps"] for r in v) for k, v in runs.items()}
    cpu = {k: statistics.median(r["cpu_us"] for r in v) for k, v in runs.items()}
    for name, results in runs.items():
        each = ", ".join(f"{r['rps']:.0f}" for r in results)
        p99 = statistics.median(r["p99"] for r in results)
        health = statistics.median(r["health"] for r in results)
        print(f"| {name} | {each} | {median[name]:.0f} | {p99:.1f} | {cpu[name]:.0f} | {health:.0f} |")
    print(
        f"\nthroughput on/off = {median['on'] / median['off']:.3f}; CPU a lead on/off = {cpu['on'] / cpu['off']:.3f}"
    )


if __name__ == "__main__":
    asyncio.run(main())
