"""Lead search: any word of the email and names, any run of the phone's digits, by prefix.

Each lead keeps `search_text`: its words, lower-cased, each written with a leading "w". The
prefix lifts two-letter names over MariaDB's smallest indexed word (three characters) and keeps
names such as "Will" off its stop-word list, so a FULLTEXT index finds every word; a one-letter
word (an initial) is also followed by "_", a word character to MariaDB's index (where `+wj*`
finds `wj_`) and a separator to SQLite's, and never in a query's words.
The phone contributes every tail of its digits, so any run of digits is the start of one; a
term of digits and phone punctuation only is one run.
A query matches a lead when each of its words starts one of the lead's words; a query that is
an address (or the start of one) matches the emails that start with it.
MariaDB answers from a FULLTEXT index on `search_text`; SQLite (the embedded default) from an
FTS5 table over the same column, which `SQLITE_WORD_INDEX` makes and its triggers keep.
"""

from __future__ import annotations

import re

from models import Lead
from salesmagnet.errors import ValidationFailed
from salesmagnet.tenancy import Actor, scoped

WORD = re.compile(r"[^\W_]+")
NOT_DIGIT = re.compile(r"\D+")
PHONE_LIKE = re.compile(r"[\d\s()+./-]+")
MAX_QUERY_WORDS = 8


def text_of(
    email: str | None,
    phone: str | None,
    first_name: str | None,
    last_name: str | None,
    full_name: str | None,
) -> str | None:
    words: list[str] = []
    for value in (email, first_name, last_name, full_name):
        if value:
            words += WORD.findall(value.lower())
    digits = NOT_DIGIT.sub("", phone or "")
    words += [digits[i:] for i in range(max(len(digits) - 1, 0))]
    unique = dict.fromkeys(words)
    return " " + " ".join("w" + w + ("_" if len(w) == 1 else "") for w in unique) if unique else None


def email_prefix(term: str) -> str | None:
    """For a term that is an address, or the start of one (`ada.l@analy`): a LIKE pattern on
    the email column, which its index answers at once where common words (`example`, `com`)
    would make the word index walk most of the entity. `!` escapes LIKE's wildcards."""
    text = term.strip().lower()
    if "@" not in text or text.startswith("@") or " " in text:
        return None
    return "".join("!" + c if c in "!%_" else c for c in text) + "%"


def query_words(term: str) -> list[str]:
    """The words of a search term as stored ("w"-prefixed); empty when it has none. A phone
    number as people write it (`+1 (555) 044-0045`) is one run of digits, not three words each
    starting a million numbers' tails. More than MAX_QUERY_WORDS words is a 400: every word must
    match, and a word left out would find leads it does not name."""
    if PHONE_LIKE.fullmatch(term) and (digits := NOT_DIGIT.sub("", term)):
        return ["w" + digits]
    words = ["w" + w for w in dict.fromkeys(WORD.findall(term.lower()))]
    if len(words) > MAX_QUERY_WORDS:
        why = f"at most {MAX_QUERY_WORDS} words ({len(words)} given)"
        raise ValidationFailed(
            f"Validation failed: search: {why}", errors=[{"field": "search", "message": why}]
        )
    return words


def fulltext_query(words: list[str]) -> str:
    """A boolean-mode AGAINST() string: every word required, as a prefix. Words hold only
    letters and digits, so no search operator can reach the index."""
    return " ".join(f"+{w}*" for w in words)


def fts5_query(words: list[str]) -> str:
    """An FTS5 MATCH string: every word required, as a prefix. Words hold only letters and
    digits, so quoted they are plain strings to FTS5."""
    return " AND ".join(f'"{w}"*' for w in words)


# SQLite's word index: an FTS5 table over lead_data.search_text (its rowid the lead's id), kept
# by triggers so that every writer of lead_data keeps it without knowing of it.
SQLITE_WORD_INDEX = (
    "CREATE VIRTUAL TABLE lead_words USING fts5(search_text, content='lead_data', content_rowid='id')",
    "CREATE TRIGGER lead_words_insert AFTER INSERT ON lead_data BEGIN "
    "INSERT INTO lead_words (rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER lead_words_delete AFTER DELETE ON lead_data BEGIN "
    "INSERT INTO lead_words (lead_words, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER lead_words_update AFTER UPDATE OF search_text ON lead_data BEGIN "
    "INSERT INTO lead_words (lead_words, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO lead_words (rowid, search_text) VALUES (new.id, new.search_text); END",
)


async def fill_missing(actor: Actor, batch: int = 1000) -> int:
    """Write `search_text` for the entity's leads that have none (leads made before it existed)."""
    filled, after = 0, 0
    while True:
        rows = await (
            scoped(Lead, actor, search_text=None, id__gt=after)
            .order_by("id")
            .limit(batch)
            .values("id", "email", "phone", "first_name", "last_name", "full_name")
        )
        for row in rows:
            text = text_of(row["email"], row["phone"], row["first_name"], row["last_name"], row["full_name"])
            if text:
                await scoped(Lead, actor, id=row["id"]).update(search_text=text)
                filled += 1
        if len(rows) < batch:
            return filled
        after = rows[-1]["id"]
