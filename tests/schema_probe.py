"""Subprocess helper for schema tests (Tortoise allows one global set-up per process).

python -m tests.schema_probe generate URL   — build URL's database from the models
python -m tests.schema_probe changes URL    — print what aerich would migrate (empty: nothing)
python -m tests.schema_probe upgrade URL [N] — apply the migrations (those numbered up to N)
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

from tortoise import Tortoise

from salesmagnet import db, schema


async def generate(url: str) -> None:
    await db.connect(url)
    await Tortoise.generate_schemas(safe=False)
    await db.disconnect()


async def changes(url: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(schema.MIGRATIONS_DIR, Path(tmp) / "migrations")
        command = schema.aerich_command(url)
        command.location = str(Path(tmp) / "migrations")
        await command.init()
        result = await command.migrate("probe", no_input=True)
        await db.disconnect()
    print(result or "")


async def upgrade(url: str, upto: str = "") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(schema.MIGRATIONS_DIR, Path(tmp) / "migrations")
        for path in (Path(tmp) / "migrations" / "models").glob("*.py"):
            if upto and int(path.name.split("_")[0]) > int(upto):
                path.unlink()
        command = schema.aerich_command(url)
        command.location = str(Path(tmp) / "migrations")
        await command.init()
        applied = await command.upgrade(run_in_transaction=True)
        await db.disconnect()
    print("\n".join(applied))


if __name__ == "__main__":
    action, target, *more = sys.argv[1:]
    asyncio.run({"generate": generate, "changes": changes, "upgrade": upgrade}[action](target, *more))
