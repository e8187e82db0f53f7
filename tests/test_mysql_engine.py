"""The MySQL engine's escaping of strings and times: the same text as PyMySQL's, made faster."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import aiomysql.connection
import pymysql.converters
from pymysql.converters import escape_datetime as pymysql_escape_datetime
from pymysql.converters import escape_string as pymysql_escape

from salesmagnet.mysql_engine import escape_datetime, escape_string


def test_escaping_is_pymysqls_and_is_the_one_aiomysql_uses() -> None:
    assert aiomysql.connection.escape_string is escape_string
    rng = random.Random(10)
    alphabet = "\\\0\n\r\032\"'ab %\t\x00é☃𝄞"  # every escaped character, and others around them
    samples = ['{"a":"b\\\\"}', "O'Brien", "", "\\'", "'\\", "\\\\\\"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(5000)]
    for text in samples:
        assert escape_string(text) == pymysql_escape(text), repr(text)


def test_times_are_escaped_as_pymysql_does_through_the_encoders_aiomysql_uses() -> None:
    conn = aiomysql.connection.Connection()  # not connected: only its escaping is used
    assert conn.encoders is pymysql.converters.encoders
    assert conn.encoders[datetime] is escape_datetime
    assert conn.escape(datetime(2026, 12, 1, 0, 0, 5, tzinfo=UTC)) == "'2026-12-01 00:00:05'"
    rng = random.Random(11)
    zones = [None, UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
    for _ in range(5000):
        value = datetime(
            rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
            rng.randint(0, 59), rng.randint(0, 59), rng.choice([0, 1, 999_999, rng.randint(0, 999_999)]),
            tzinfo=rng.choice(zones),
        )  # fmt: skip
        assert conn.escape(value) == escape_datetime(value) == pymysql_escape_datetime(value), repr(value)
