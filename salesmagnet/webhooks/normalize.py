"""Contact details out of a form's answers, whatever the form builder called the fields."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from models import MAX_EMAIL
from salesmagnet.leads.schemas import joined_name

_KEY = re.compile(r"[^a-z0-9]")
EMAIL = ("email", "emailaddress", "workemail", "businessemail", "mail")
PHONE = ("phone", "phonenumber", "mobile", "mobilephone", "mobilenumber", "cellphone", "telephone", "tel")
FIRST = ("firstname", "fname", "givenname")
LAST = ("lastname", "lname", "surname", "familyname")
FULL = ("fullname", "name")
CONSENT = ("consenttime", "consenttimestamp")
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SHOWN = 60  # characters of an unreadable answer quoted back


@dataclass(frozen=True)
class Unreadable:
    """An answer under an e-mail key that is not an address mail allows (the lead's
    raw_field_data still holds it)."""

    name: str  # the answer's name, as the form sent it
    value: str

    @property
    def problem(self) -> str:
        shown = self.value if len(self.value) <= SHOWN else self.value[:SHOWN] + "…"
        if len(self.value) > MAX_EMAIL:
            return f"{shown!r} is not an e-mail address: longer than {MAX_EMAIL} characters"
        return f"{shown!r} is not an e-mail address"


@dataclass(frozen=True)
class Contact:
    email: str | None
    phone: str | None
    first_name: str | None
    last_name: str | None
    full_name: str | None
    consent_time: datetime | None
    unreadable_email: Unreadable | None = None

    def fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None and k != "unreadable_email"}


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


def _pick(by_key: dict[str, Any], names: tuple[str, ...], limit: int) -> str | None:
    """The first of `names` with text among the answers (`by_key`: keyed by `_key`)."""
    for name in names:
        if (text := _text(by_key.get(name), limit)) is not None:
            return text
    return None


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


def _email(answers: dict[str, Any]) -> tuple[str | None, Unreadable | None]:
    """The first answer under an e-mail key with text: the address, or why it is none. Never
    cut to fit: a shortened address is another's."""
    names = {_KEY.sub("", str(k).lower()): str(k) for k in answers}
    for key in EMAIL:
        given = _text(answers.get(names[key]), MAX_EMAIL + 1) if key in names else None
        if given is None:
            continue
        if len(given) <= MAX_EMAIL and EMAIL_SHAPE.match(given):
            return given.lower(), None
        return None, Unreadable(names[key], given)
    return None, None


def contact(answers: dict[str, Any]) -> Contact:
    """Email, phone and names from answers; a full name is split, or made from the parts."""
    by_key = {_KEY.sub("", str(k).lower()): v for k, v in answers.items()}  # "E-mail" is "email"
    email, unreadable = _email(answers)
    first, last, full = _pick(by_key, FIRST, 100), _pick(by_key, LAST, 100), _pick(by_key, FULL, 200)
    if full and not (first or last):
        head, _, rest = full.partition(" ")
        first, last = head[:100], (rest[:100] or None)
    elif not full and (first or last):
        full = joined_name(first, last)
    consent = next((when(by_key[k]) for k in CONSENT if k in by_key), None)
    return Contact(email, _pick(by_key, PHONE, 30), first, last, full, consent, unreadable)
