"""The MySQL engine's string escaping: the same text as PyMySQL's, made faster."""

from __future__ import annotations

import random

import aiomysql.connection
from pymysql.converters import escape_string as pymysql_escape

from salesmagnet.mysql_engine import escape_string


def test_escaping_is_pymysqls_and_is_the_one_aiomysql_uses() -> None:
    assert aiomysql.connection.escape_string is escape_string
    rng = random.Random(10)
    alphabet = "\\\0\n\r\032\"'ab %\t\x00é☃𝄞"  # every escaped character, and others around them
    samples = ['{"a":"b\\\\"}', "O'Brien", "", "\\'", "'\\", "\\\\\\"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(5000)]
    for text in samples:
        assert escape_string(text) == pymysql_escape(text), repr(text)
