"""The lead writer alone, without HTTP: how many leads/s one process's batches can commit.

    python bench/writer.py --database-url mysql://root:@127.0.0.1:3306/sm_api --batch 8 --in-flight 2

Migrates, makes an entity, then keeps `--in-flight` batches of `--batch` new website leads
being written for `--seconds`, and prints leads/s and batch latency percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def main() -> None:
    from tortoise.expressions import F

    from models import EventSequence, Platform
    from salesmagnet import db, schema
    from salesmagnet.entities import service as entities
    from salesmagnet.leads.writer import NewLead, write_leads

    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--in-flight", type=int, default=2)
    args = parser.parse_args()
    await db.connect(args.database_url)
    await schema.migrate(args.database_url)
    entity = await entities.create_entity(f"writer_{int(time.time())}")
    latencies: list[float] = []

    def lead(n: int) -> NewLead:
        answers = {"email": f"w{n}@example.com", "phone": "+15551234567", "first_name": "John"}
        meta = {"source_lead_id": str(uuid.uuid4()), "page_id": "landing_page_001"}
        return NewLead(entity.id, Platform.WEBSITE, meta, {**answers, "raw_field_data": answers})

    async def worker() -> int:
        written, end = 0, time.perf_counter() + args.seconds
        while time.perf_counter() < end:
            started = time.perf_counter()
            await write_leads([lead(written + i) for i in range(args.batch)], look_first=False)
            latencies.append(time.perf_counter() - started)
            written += args.batch
        return written

    total = sum(await asyncio.gather(*(worker() for _ in range(args.in_flight))))
    latencies.sort()
    p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
    print(
        f"{total / args.seconds:,.0f} leads/s; batch of {args.batch} x {args.in_flight} in flight: "
        f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"
    )
    # Nothing here publishes: move the relay past these events, or a later server's relay would
    # spend the next benchmark publishing them.
    await EventSequence.filter(entity_id=entity.id).update(relayed_seq=F("last_seq"))
    await db.disconnect()


if __name__ == "__main__":
    asyncio.run(main())
