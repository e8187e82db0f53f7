"""A lead summary rendered as JSON by the database itself.

Lists and the pipeline return up to hundreds of leads per request. Decoding every column in
the driver and encoding it again in Python was most of their cost (a py-spy profile of
`GET /api/leads`: 29% in aiomysql's row decoding, 16% in timestamps and the summary dict), so
the database writes each lead's JSON (MariaDB's JSON_OBJECT, SQLite's json_object) and the
response embeds it as it is. `SUMMARY_KEYS` is the shape; tests hold it equal to the summary
the writer announces for a new lead.
"""

from __future__ import annotations

from salesmagnet.rawsql import iso_stamp

SUMMARY_KEYS = (
    "id",
    "entity_id",
    "email",
    "phone",
    "first_name",
    "last_name",
    "full_name",
    "status",
    "platform_key",
    "source_page_id",
    "source_page_name",
    "assigned_user_id",
    "assigned_at",
    "created_at",
    "updated_at",
    "assigned_user",
)
FROM = "FROM lead_data l LEFT JOIN users u ON u.id = l.assigned_user_id"


def summary_json(dialect: str, table: str = "l") -> str:
    """The SQL expression of one lead's summary as a JSON object (joined to its owner as u)."""
    values = {key: f"{table}.{key}" for key in SUMMARY_KEYS}
    for key in ("assigned_at", "created_at", "updated_at"):
        values[key] = iso_stamp(f"{table}.{key}", dialect)
    values["assigned_user"] = (
        f"CASE WHEN {table}.assigned_user_id IS NULL THEN NULL ELSE JSON_OBJECT('id', "
        f"{table}.assigned_user_id, 'first_name', u.first_name, 'last_name', u.last_name) END"
    )
    return "JSON_OBJECT(" + ", ".join(f"'{key}', {value}" for key, value in values.items()) + ")"
