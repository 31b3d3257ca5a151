"""sv-SE dates as every surface writes them: "24 nov 2026", "tis 24 nov", "tis 24 nov 2026".

The one place for Swedish month and weekday names (CLDR sv-SE abbreviations).
"""

from __future__ import annotations

import datetime as dt

# CLDR sv's abbreviations without their dots: March, June and July are written out.
MONTHS = ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec")
MONTH_NAMES = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
WEEKDAYS = ("mån", "tis", "ons", "tors", "fre", "lör", "sön")


def sv_date(day: dt.date) -> str:
    """ "24 nov 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def sv_day(day: dt.date, today: dt.date | None = None) -> str:
    """ "tis 24 nov"; with `today`, the year is added when it is not today's year."""
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    if today is not None and day.year != today.year:
        text += f" {day.year}"
    return text


def sv_long_date(day: dt.date) -> str:
    """ "tis 24 nov 2026": weekday and year, as a confirmation shows a date to catch mistakes."""
    return f"{sv_day(day)} {day.year}"


def sv_count(count: int, singular: str, plural: str) -> str:
    """ "1 personalpost", "2 personalposter": a number with its noun in the right form."""
    return f"{count} {singular if count == 1 else plural}"
