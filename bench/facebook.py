"""Facebook webhook answer time: signed leadgen deliveries (unique ids) against `server.py`.

    python bench/facebook.py --database-url mysql://root:@127.0.0.1:3306/sm_fb [--seconds 10]

Each delivery is pre-signed (wrk cannot compute HMACs); a wrk script cycles through them. The
Graph read is deferred to the job queue, so this times what Meta waits for: the signature
check, page routing, the `received` row and the enqueue. (No Graph token is configured here,
so each queued job fails fast instead of calling out.)
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, start_server, wrk

SECRET = "bench-app-secret"
LUA = """
local lines = {}
for line in io.lines("%FILE%") do lines[#lines + 1] = line end
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  -- each run (args[1]) and each thread walks its own stretch of the file: every delivery is new
  i = tonumber(args[1]) + wrk.thread:get("tid") * 50000
end
request = function()
  i = i + 1
  local sig, body = lines[i]:match("^(%%S+)\\t(.*)$")
  return wrk.format("POST", "/webhooks/facebook", {["Content-Type"]="application/json", ["X-Hub-Signature-256"]=sig}, body)
end
"""


def deliveries(path: Path, page_id: str, count: int) -> None:
    with path.open("w") as out:
        for n in range(count):
            body = json.dumps(
                {
                    "object": "page",
                    "entry": [
                        {
                            "id": page_id,
                            "time": 1,
                            "changes": [
                                {
                                    "field": "leadgen",
                                    "value": {
                                        "leadgen_id": f"{random.getrandbits(48)}{n}",
                                        "page_id": page_id,
                                        "form_id": "f1",
                                        "created_time": 1732437000,
                                    },
                                }
                            ],
                        }
                    ],
                }
            )
            sig = hmac.new(SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
            out.write(f"sha256={sig}\t{body}\n")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--redis-url", help="queue the Graph reads in Redis for a separate worker (production)"
    )
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "JWT_SECRET": "f" * 48,
        "SALESMAGNET_ENV": "production",
        "PORT": str(8800 + random.randint(0, 99)),
        "LOG_LEVEL": "WARNING",
        "FB_APP_SECRET": SECRET,
    }
    for name in ("REDIS_URL", "FB_PAGE_ACCESS_TOKEN"):
        env.pop(name, None)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url

    def cli(*argv: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "salesmagnet", *argv], cwd=ROOT, env=env, check=True, capture_output=True
        )

    cli("migrate")
    page_id = f"bench{random.getrandbits(32)}"
    cli("map-page", "--entity", "fxcareers", "--page-id", page_id)
    tmp = Path(tempfile.mkdtemp())
    deliveries(tmp / "deliveries.tsv", page_id, 400_000)
    (tmp / "fb.lua").write_text(LUA.replace("%FILE%", str(tmp / "deliveries.tsv")).replace("%%", "%"))
    server, base = await start_server(env)
    print("| concurrency | req/s | p50 ms | p99 ms | non-2xx |\n|---|---|---|---|---|")
    try:
        for run, connections in enumerate((1, 16)):
            r = wrk(
                f"{base}/webhooks/facebook",
                connections,
                args.seconds,
                script=str(tmp / "fb.lua"),
                script_args=(str(run * 200_000),),
            )
            print(
                f"| c{connections} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['non2xx']:.0f} |"
            )
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    asyncio.run(main())
