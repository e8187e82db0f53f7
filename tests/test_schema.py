"""Migrations and models agree; a database not at the newest schema is refused."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pymysql
import pytest

from salesmagnet import db
from tests.conftest import TEST_DB, Served, mysql_connect, recreate_mysql_database
from tests.procs import python, run_cli

pytestmark = pytest.mark.asyncio


def probe(action: str, *args: str) -> str:
    done = python("-m", "tests.schema_probe", action, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def sibling_url(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def own_sibling(suffix: str) -> str:
    """A database of this suite's own, named after TEST_MYSQL_URL's: two suites on one MariaDB
    (two clones, two CI runs) never share it."""
    url = os.environ["TEST_MYSQL_URL"]
    own = urlsplit(url).path.strip("/")
    return sibling_url(url, f"{own}_{suffix}"[:64])


async def structure(database: str) -> dict[str, list[tuple[object, ...]]]:
    queries = {
        "columns": "SELECT table_name, column_name, column_type, collation_name, is_nullable, "
        "column_default, extra FROM information_schema.columns WHERE table_schema = %s",
        "indexes": "SELECT table_name, index_name, non_unique, seq_in_index, column_name "
        "FROM information_schema.statistics WHERE table_schema = %s",
        "foreign_keys": "SELECT table_name, constraint_name, referenced_table_name, delete_rule "
        "FROM information_schema.referential_constraints WHERE constraint_schema = %s",
    }
    out = {}
    for key, sql in queries.items():
        _, rows = await db.conn().execute_query(sql, [database])
        out[key] = sorted(tuple(str(v) for v in row.values()) for row in rows)
    return out


@pytest.mark.skipif(TEST_DB != "mysql", reason="aerich migrations are the MySQL history")
async def test_migrated_database_equals_the_models(served: Served) -> None:
    migrated = urlsplit(served.settings.database_url).path.lstrip("/")
    models_url = sibling_url(served.settings.database_url, migrated + "_models")
    await recreate_mysql_database(models_url)
    probe("generate", models_url)
    ours, theirs = await structure(migrated), await structure(migrated + "_models")
    assert ours["columns"] and ours["indexes"]
    assert ours == theirs


@pytest.mark.skipif(TEST_DB != "mysql", reason="aerich migrations are the MySQL history")
async def test_aerich_finds_nothing_to_migrate(served: Served) -> None:
    assert probe("changes", served.settings.database_url) == ""


EXACT_IDS = 13  # the migration that makes delivery ids compare exactly


@pytest.mark.skipif(TEST_DB != "mysql", reason="aerich migrations are the MySQL history")
async def test_delivery_ids_become_exact_on_a_database_holding_deliveries() -> None:
    """Before it, MariaDB took an id differing only in case (or accent) for one it held, so a
    second delivery was answered as a retry of the first. The migration keeps every row as it
    was, and such an id is then a delivery of its own."""
    url = own_sibling("exact_ids")
    await recreate_mysql_database(url)
    probe("upgrade", url, str(EXACT_IDS - 1))
    conn = await mysql_connect(url)
    meta = (
        "INSERT INTO lead_meta (entity_id, platform_key, source_lead_id, received_at, processing_status) "
        "VALUES (1, 'website', %s, NOW(), 'processed')"
    )
    kept = (
        "INSERT INTO webhook_deliveries (platform, page_id, source_lead_id, payload, status, attempts, "
        "received_at) VALUES ('facebook', 'p1', %s, '{}', 'failed', 0, NOW())"
    )
    try:
        async with conn.cursor() as cur:
            await cur.execute(
                "INSERT INTO entities (id, name, settings, created_at, updated_at) "
                "VALUES (1, 'one', '{}', NOW(), NOW())"
            )
            for sql, held, twin in ((meta, "aB1", "Ab1"), (meta, "café-7", "cafe-7"), (kept, "Xy9", "xY9")):
                await cur.execute(sql, [held])
                with pytest.raises(pymysql.IntegrityError):  # the lead a twin delivery lost
                    await cur.execute(sql, [twin])
            assert "_source_ids_exact" in probe("upgrade", url)
            for sql, twin in ((meta, "Ab1"), (meta, "cafe-7"), (kept, "xY9")):
                await cur.execute(sql, [twin])
            with pytest.raises(pymysql.IntegrityError):  # the same id, the same case: one delivery
                await cur.execute(meta, ["aB1"])
            await cur.execute("SELECT source_lead_id FROM lead_meta WHERE source_lead_id = 'ab1'")
            assert await cur.fetchall() == ()
            await cur.execute("SELECT source_lead_id FROM lead_meta ORDER BY id")
            assert [row[0] for row in await cur.fetchall()] == ["aB1", "café-7", "Ab1", "cafe-7"]
    finally:
        conn.close()


ONE_LETTER_WORDS = 14  # the migration that rewrites one-letter search words


@pytest.mark.skipif(TEST_DB != "mysql", reason="aerich migrations are the MySQL history")
async def test_one_letter_search_words_are_rewritten_for_the_index() -> None:
    """Leads written before it kept an initial as "wj", which MariaDB's FULLTEXT index drops
    (under three characters); the migration writes it "wj_" as the writer now does, and
    leaves every other word and lead as it was."""
    url = own_sibling("one_letter")
    await recreate_mysql_database(url)
    probe("upgrade", url, str(ONE_LETTER_WORDS - 1))
    conn = await mysql_connect(url)
    try:
        async with conn.cursor() as cur:
            await cur.execute(
                "INSERT INTO entities (id, name, settings, created_at, updated_at) "
                "VALUES (1, 'one', '{}', NOW(), NOW())"
            )
            old = {
                1: " wj wk wrowling wpub wexample wcom",
                2: " wjane wx wé wdoe",
                3: " wli wwei w4455",
                4: None,
            }
            for n, text in old.items():
                await cur.execute(
                    "INSERT INTO lead_meta (id, entity_id, platform_key, source_lead_id, received_at, "
                    "processing_status) VALUES (%s, 1, 'manual', %s, NOW(), 'processed')",
                    [n, f"m{n}"],
                )
                await cur.execute(
                    "INSERT INTO lead_data (id, entity_id, lead_meta_id, platform_key, status, search_text, "
                    "status_changed_at, created_at, updated_at) "
                    "VALUES (%s, 1, %s, 'manual', 'new', %s, NOW(), NOW(), NOW())",
                    [n, n, text],
                )
            await conn.commit()
            assert "_search_one_letter_words" in probe("upgrade", url)
            await cur.execute("SELECT id, search_text FROM lead_data ORDER BY id")
            assert dict(await cur.fetchall()) == {
                1: " wj_ wk_ wrowling wpub wexample wcom",
                2: " wjane wx_ wé_ wdoe",
                3: " wli wwei w4455",
                4: None,
            }
            sql = "SELECT id FROM lead_data WHERE MATCH (search_text) AGAINST (%s IN BOOLEAN MODE)"
            await cur.execute(sql, ["+wk* +wrowling*"])  # "k rowling", as a search sends it
            assert [row[0] for row in await cur.fetchall()] == [1]
    finally:
        conn.close()


def sqlite_env(path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite://{path}",
        "JWT_SECRET": "s" * 40,
        "SALESMAGNET_ENV": "test",
    }


async def test_stale_embedded_database_is_refused(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path / "old.db")
    assert run_cli(env, "migrate").returncode == 0
    import sqlite3

    with sqlite3.connect(tmp_path / "old.db") as conn:  # as if made by an older release
        conn.execute("UPDATE schema_state SET value = 'older' WHERE key = 'schema_fingerprint'")
    again = run_cli(env, "migrate")
    assert again.returncode == 2 and "different version" in again.stderr
    served = python("server.py", env=env, timeout=60)
    assert served.returncode == 2 and "different version" in served.stderr


async def test_unmigrated_database_is_refused(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path / "empty.db")
    refused = run_cli(
        env,
        "create-user",
        "--entity",
        "fxcareers",
        "--role",
        "admin",
        "--email",
        "a@example.com",
        "--password",
        "S3cure!pass",
    )
    assert refused.returncode == 2 and "salesmagnet migrate" in refused.stderr
