"""Contact details out of a form's answers, whatever the form builder called the fields."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from models import MAX_EMAIL, MAX_FULL_NAME, MAX_NAME, MAX_PHONE
from salesmagnet.leads.schemas import joined_name

_KEY = re.compile(r"[^a-z0-9]")
EMAIL = ("email", "emailaddress", "workemail", "businessemail", "mail")
PHONE = ("phone", "phonenumber", "mobile", "mobilephone", "mobilenumber", "cellphone", "telephone", "tel")
FIRST = ("firstname", "fname", "givenname")
LAST = ("lastname", "lname", "surname", "familyname")
FULL = ("fullname", "name")
CONSENT = ("consenttime", "consenttimestamp")
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ANY_TEXT = re.compile(r"")  # a phone's or a name's shape is the form's affair; only its length is ours
SHOWN = 60  # characters of an unreadable answer quoted back


@dataclass(frozen=True)
class Unreadable:
    """An e-mail, phone or name answer the lead cannot keep as it is (never cut to fit: a
    shortened address or number is another's, a shortened name is not theirs); the lead's
    raw_field_data still holds it."""

    name: str  # the answer's name, as the form sent it
    value: str
    kind: str  # "e-mail address", "phone number", "first name", …
    limit: int

    @property
    def problem(self) -> str:
        shown = self.value if len(self.value) <= SHOWN else self.value[:SHOWN] + "…"
        article = "an" if self.kind[0] in "aeiou" else "a"
        if len(self.value) > self.limit:
            return f"{shown!r} is not {article} {self.kind}: longer than {self.limit} characters"
        return f"{shown!r} is not {article} {self.kind}"


@dataclass(frozen=True)
class Contact:
    email: str | None
    phone: str | None
    first_name: str | None
    last_name: str | None
    full_name: str | None
    consent_time: datetime | None
    unreadable: tuple[Unreadable, ...] = ()  # answers left out of the lead, in the order above

    def fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None and k != "unreadable"}


def _text(value: Any, limit: int) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    given = str(value)
    # No NUL, no controls (category C); isprintable() is true only without them (nor Z* but space).
    printable = (
        given if given.isprintable() else "".join(ch for ch in given if unicodedata.category(ch)[0] != "C")
    )
    text = " ".join(printable.split())
    return text[:limit] or None


def when(value: Any) -> datetime | None:
    """An ISO 8601 date-time or epoch seconds, as aware UTC in years 1000-9999 (a DATETIME
    column's range); anything else is None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 10**11:
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
        except (ValueError, OverflowError):  # 0001-01-01T00:00:00+14:00 is before year 1 in UTC
            return None
        return moment if moment.year >= 1000 else None
    return None


def _answer(
    answers: dict[str, Any], keys: tuple[str, ...], kind: str, limit: int, fits: re.Pattern[str]
) -> tuple[str | None, Unreadable | None]:
    """The first answer under one of `keys` with text: its value, or why the lead can't keep it."""
    names = {_KEY.sub("", str(k).lower()): str(k) for k in answers}
    for key in keys:
        read = max(limit, SHOWN) + 1  # enough to tell it is too long, and to quote it
        given = _text(answers.get(names[key]), read) if key in names else None
        if given is None:
            continue
        if len(given) <= limit and fits.match(given):
            return given, None
        return None, Unreadable(names[key], given, kind, limit)
    return None, None


def _parts(full: str) -> tuple[str | None, str | None]:
    """A full name's first word and the rest; a part longer than its column is left out (the
    full name keeps it)."""
    head, _, rest = full.partition(" ")
    return (head if len(head) <= MAX_NAME else None), (rest if 0 < len(rest) <= MAX_NAME else None)


def contact(answers: dict[str, Any]) -> Contact:
    """Email, phone and names from answers; a full name is split, or made from the parts."""
    by_key = {_KEY.sub("", str(k).lower()): v for k, v in answers.items()}  # "E-mail" is "email"
    email, bad_email = _answer(answers, EMAIL, "e-mail address", MAX_EMAIL, EMAIL_SHAPE)
    phone, bad_phone = _answer(answers, PHONE, "phone number", MAX_PHONE, ANY_TEXT)
    first, bad_first = _answer(answers, FIRST, "first name", MAX_NAME, ANY_TEXT)
    last, bad_last = _answer(answers, LAST, "last name", MAX_NAME, ANY_TEXT)
    full, bad_full = _answer(answers, FULL, "full name", MAX_FULL_NAME, ANY_TEXT)
    if full and not (first or last):
        first, last = _parts(full)
    elif not full and (first or last):
        full = joined_name(first, last)
    consent = next((when(by_key[k]) for k in CONSENT if k in by_key), None)
    unreadable = tuple(bad for bad in (bad_email, bad_phone, bad_first, bad_last, bad_full) if bad)
    return Contact(email and email.lower(), phone, first, last, full, consent, unreadable)
