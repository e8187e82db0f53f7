"""Hand-written SQL for the hot paths: `:name` parameters bound for either driver.

Tortoise passes SQL through to aiomysql (`%s` placeholders) or sqlite3 (`?`). Statements here
are written once with named parameters; a list or tuple value expands to one placeholder per
item, for `IN (:ids)`. Values are always sent as parameters, never spliced into the text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


@lru_cache(maxsize=512)
def _split(sql: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The text between parameters, and the parameter names in order."""
    parts = _PARAM.split(sql)
    return tuple(parts[0::2]), tuple(parts[1::2])


def bind(sql: str, params: Mapping[str, Any], mark: str) -> tuple[str, list[Any]]:
    """(`sql` with `mark` placeholders, positional values); `mark` is "%s" or "?"."""
    texts, names = _split(sql)
    if mark == "%s":  # aiomysql formats the text with %: literal ones (DATE_FORMAT) are doubled
        texts = tuple(t.replace("%", "%%") for t in texts)
    out = [texts[0]]
    values: list[Any] = []
    for name, text in zip(names, texts[1:], strict=True):
        value = params[name]
        if isinstance(value, list | tuple):
            if not value:
                raise ValueError(f"empty list for :{name}")
            out.append(", ".join([mark] * len(value)))
            values.extend(value)
        else:
            out.append(mark)
            values.append(value)
        out.append(text)
    return "".join(out), values


def mark_of(client: Any) -> str:
    """The placeholder of a Tortoise client's driver."""
    return "?" if client.schema_generator.DIALECT == "sqlite" else "%s"


def insert(table: str, columns: Sequence[str], rows: int, mark: str) -> str:
    """`INSERT INTO table (columns) VALUES (…), (…)` for `rows` rows."""
    one = "(" + ", ".join([mark] * len(columns)) + ")"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ", ".join([one] * rows)


def iso_stamp(column: str, dialect: str) -> str:
    """The SQL of `column` (a timestamp) as ISO 8601 UTC with a Z, as salesmagnet.db.iso()
    writes it, for JSON the database renders."""
    if dialect == "sqlite":  # stored as 'YYYY-MM-DD HH:MM:SS[.ffffff]+00:00'
        return f"replace(replace({column}, ' ', 'T'), '+00:00', 'Z')"
    return (
        f"IF(MICROSECOND({column}) = 0, DATE_FORMAT({column}, '%Y-%m-%dT%H:%i:%sZ'), "
        f"DATE_FORMAT({column}, '%Y-%m-%dT%H:%i:%s.%fZ'))"
    )


class Inline(str):
    """SQL the code wrote (an id expression: tenancy.prior_id), put in a statement's text where
    a value would be; never anything a request sent."""


class JsonText(str):
    """JSON text already written (by the database: salesmagnet.leads.render), which responses
    embed as it is instead of encoding it as a string."""

    @classmethod
    def array(cls, items: Sequence[str]) -> JsonText:
        return cls("[" + ",".join(items) + "]")


class Packed:
    """A hot read's row as one column: `JSON_ARRAY(<columns>) AS packed`, decoded here into
    {name: value}. The values change type against the driver's: times come back as the
    database's text ('YYYY-MM-DD HH:MM:SS.ffffff', naive UTC; SQLite's with '+00:00'), read as
    SQLite's already are (`leads.rollups.utc`); booleans as 0/1, DECIMAL as float, NULL as None.

    Why: the driver (PyMySQL's protocol, in Python) describes every column of a result before
    its rows, so a row of many columns costs the server about twice a row of one."""

    def __init__(self, columns: Sequence[str]) -> None:
        """`columns` as the SQL names them ("l.id"), or "<expression> AS <name>"."""
        parts = [c.rpartition(" AS ") if " AS " in c else ("", "", c) for c in columns]
        expressions = [expression or column for expression, _, column in parts]
        self.names = tuple(column.rpartition(".")[2] for _, _, column in parts)
        if len(set(self.names)) != len(self.names):
            raise ValueError(f"packed columns need distinct names: {self.names}")
        self.select = f"JSON_ARRAY({', '.join(expressions)}) AS packed"  # the select list

    def row(self, found: Mapping[str, Any]) -> dict[str, Any]:
        """`found["packed"]` decoded into {name: value}."""
        return dict(zip(self.names, json.loads(found["packed"]), strict=True))


def set_by_id(columns: Sequence[str], rows: int) -> str:
    """`SET c = CASE id WHEN :id0 THEN :c0 … END, …` for `rows` rows: many rows, each its own
    values, in one UPDATE (bind with by_id_params; add `WHERE … id IN (:ids)`)."""
    whens = {c: " ".join(f"WHEN :id{n} THEN :{c}{n}" for n in range(rows)) for c in columns}
    return "SET " + ", ".join(f"{c} = CASE id {whens[c]} END" for c in columns)


def by_id_chunks(
    columns: Sequence[str], rows: Sequence[Mapping[str, Any]], size: int = 100
) -> list[tuple[Sequence[Mapping[str, Any]], dict[str, Any]]]:
    """`rows` in parts of `size`, each with its by_id_params: a CASE is a list the database
    walks for every row, so its cost grows with the square of the rows it holds."""
    parts = [rows[start : start + size] for start in range(0, len(rows), size)]
    return [(part, by_id_params(columns, part)) for part in parts]


def by_id_params(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The parameters of set_by_id for `rows` (each with `id` and the columns)."""
    params: dict[str, Any] = {"ids": [row["id"] for row in rows]}
    for n, row in enumerate(rows):
        params[f"id{n}"] = row["id"]
        params.update({f"{c}{n}": row[c] for c in columns})
    return params
