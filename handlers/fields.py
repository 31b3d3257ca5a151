"""Fields of Slack payloads read by type: a wrong type is a Swedish user error, never a 500.

Signed payloads are Slack's shape but may still carry a date "not-a-date" or an id
"99999999999999999999" (too large for the database's integer); these read them safely.
"""

from __future__ import annotations

import datetime as dt

from bot.errors import InvalidDate, InvalidInput
from handlers import texts

# The largest id both SQLite and PostgreSQL's INTEGER hold.
MAX_ID = 2**31 - 1


def record_id(value: object) -> int:
    """A row id from a button value or modal metadata."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10 or not 0 < int(text) <= MAX_ID:
        raise InvalidInput(texts.BAD_ID)
    return int(text)


def iso_day(value: object) -> dt.date | None:
    """A datepicker's YYYY-MM-DD; None when empty."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise InvalidDate(texts.BAD_DATE)
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise InvalidDate(texts.BAD_DATE) from error
