"""The pipeline board: per status, the newest leads and the counts, kept rendered per process.

Floor screens ask for the same board over and over, while it changes only when something in the
entity happens. Reading it costs the database ~1.5 ms (160 summaries rendered as JSON at the
default 20 a status), which capped one server at ~670 boards a second. So each process keeps
the rendered board with the version it was read at, and a request reads only the version: the
entity's event sequence (every change to a lead is announced, in its own transaction, which
advances it) and the newest change to its users (owners' names are on the cards). A board is
also read again once it is `MAX_AGE` old, which bounds what a change that announced nothing (a
counter rebuild, a hand-made fix) can leave stale.

Boards are the same for everyone in an entity; if reps ever see only their own leads here, the
key must say whose board it is.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

from models import StatusName
from salesmagnet.db import dialect_of_connection
from salesmagnet.leads import render
from salesmagnet.leads.schemas import MAX_PER_STATUS
from salesmagnet.leads.service import counts
from salesmagnet.rawsql import JsonText
from salesmagnet.tenancy import Actor, fetch

MAX_AGE = 30.0  # seconds
KEPT_BYTES = 32 * 1024 * 1024  # rendered boards kept per process, least recently read dropped first

_boards: OrderedDict[tuple[int, int], tuple[tuple[Any, ...], float, dict[str, Any], int]] = OrderedDict()
_kept_bytes = 0


async def pipeline(actor: Actor, per_status: int) -> dict[str, Any]:
    """Per status: the newest `per_status` leads (at most MAX_PER_STATUS) and the full counts."""
    per_status = min(per_status, MAX_PER_STATUS)
    key = (actor.entity_id, per_status)
    version = await _version(actor)
    kept = _boards.get(key)
    if kept is not None and kept[0] == version and time.monotonic() - kept[1] < MAX_AGE:
        _boards.move_to_end(key)
        return kept[2]
    read_at = time.monotonic()
    board = await _read(actor, per_status)
    _keep(key, (version, read_at, board, sum(len(text) for text in board["pipeline"].values())))
    return board


def _keep(key: tuple[int, int], entry: tuple[tuple[Any, ...], float, dict[str, Any], int]) -> None:
    global _kept_bytes
    if (old := _boards.pop(key, None)) is not None:
        _kept_bytes -= old[3]
    _boards[key] = entry
    _kept_bytes += entry[3]
    while _kept_bytes > KEPT_BYTES and len(_boards) > 1:
        _kept_bytes -= _boards.popitem(last=False)[1][3]


async def _version(actor: Actor) -> tuple[Any, ...]:
    """Read before the board, so a board is never older than the version it is kept with."""
    rows = await fetch(
        actor,
        "SELECT (SELECT last_seq FROM event_sequences WHERE entity_id = :entity) AS seq, "
        "(SELECT MAX(updated_at) FROM users WHERE entity_id = :entity) AS users",
    )
    return (rows[0]["seq"], rows[0]["users"])


async def _read(actor: Actor, per_status: int) -> dict[str, Any]:
    """One query: each status's newest leads (a branch of a UNION ALL each, walking the
    (entity, status, created_at) index), rendered as JSON with their owners. (A branch is a
    derived table: SQLite takes no ORDER BY or LIMIT in a bare branch.)"""
    columns = ", ".join(f"l.{key}" for key in render.SUMMARY_KEYS if key != "assigned_user")
    newest = " UNION ALL ".join(
        f"SELECT * FROM (SELECT {columns} FROM lead_data l WHERE l.entity_id = :entity AND l.status = :s{n} "
        f"ORDER BY l.created_at DESC, l.id DESC LIMIT :n) AS s{n}"
        for n in range(len(StatusName))
    )
    rows = await fetch(
        actor,
        f"SELECT l.status, {render.summary_json(dialect_of_connection())} AS lead "
        f"FROM ({newest}) AS l LEFT JOIN users u ON u.id = l.assigned_user_id "
        "ORDER BY l.created_at DESC, l.id DESC",
        n=per_status,
        **{f"s{n}": status.value for n, status in enumerate(StatusName)},
    )
    board: dict[str, list[str]] = {s.value: [] for s in StatusName}
    for row in rows:
        board[row["status"]].append(row["lead"])
    return {
        "pipeline": {status: JsonText.array(leads) for status, leads in board.items()},
        "statusCounts": await counts(actor),
        "per_status": per_status,
    }
