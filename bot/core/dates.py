"""Swedish date phrases as people write them: find the phrase in a line, turn it into a date.

dateparser alone gets most Swedish phrasings wrong ("i tisdags", "i förrgår", "för tre dagar
sedan", "3/2" as 2 March) and `search_dates` finds dates inside company names, so a small grammar
of our own finds and resolves the phrase; dateparser is only the fallback for a whole phrase the
grammar does not know (`parse_date_phrase` / `parse_future_date`), never run over a whole line.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

__all__ = [
    "DateMatch",
    "Direction",
    "match_date_at",
    "parse_date_phrase",
    "parse_future_date",
    "search_date",
    "warm_up",
]


class Direction(Enum):
    """Which way an incomplete phrase leans: "3 mars" is the latest past one, or the next one."""

    PAST = "past"
    FUTURE = "future"


@dataclass(frozen=True)
class DateMatch:
    """A date phrase found in a text. `date` is None when the phrase cannot be a real date."""

    start: int
    end: int
    text: str
    date: dt.date | None


# Weekdays by their first three letters (Monday = 0, as date.weekday()).
_WEEKDAYS = {"mån": 0, "tis": 1, "ons": 2, "tor": 3, "fre": 4, "lör": 5, "sön": 6}
_WD = r"(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)"
_WD_SHORT = r"(?:mån|tis|ons|tors|tor|fre|lör|sön)"
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "maj": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:januari|jan|februari|feb|mars|mar|april|apr|maj|juni|jun|juli|jul|augusti|aug"
    r"|september|sept|sep|oktober|okt|november|nov|december|dec)"
)
_NUMBER_WORDS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7,
    "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "fjorton": 14, "ett par": 2,
}  # fmt: skip
_NUM = r"(?:\d{1,3}|ett\s+par|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|fjorton)"
_UNIT = r"(?:dagar|dag|veckor|vecka|månader|månad|år)"

# One alternative per phrasing; each has its own named groups (re forbids duplicate names).
_GRAMMAR = re.compile(
    rf"""
    (?:(?P<iso>(?P<iso_y>\d{{4}})-(?P<iso_m>\d{{1,2}})-(?P<iso_d>\d{{1,2}}))
    | (?P<slash>(?P<sl_d>\d{{1,2}})/(?P<sl_m>\d{{1,2}})
        (?:(?:/|-)(?P<sl_y2>\d{{4}}|\d{{2}})|\s+(?P<sl_y4>\d{{4}}))?)
    | (?P<dotted>(?P<dt_d>\d{{1,2}})\.(?P<dt_m>\d{{1,2}})\.(?P<dt_y>\d{{4}}|\d{{2}}))
    | (?P<daymonth>(?:(?:{_WD}(?:en)?|{_WD_SHORT})\.?,?\s+)?(?:den\s+)?
        (?P<dm_d>\d{{1,2}})(?::?[ea]|\.)?\s*(?P<dm_m>{_MONTH})\.?(?:\s+(?P<dm_y>\d{{4}}))?)
    | (?P<today>i\s*dag|i\s*morse)
    | (?P<yesterday>i\s*går(?:\s*(?:kväll|morse|morgon|förmiddag|eftermiddag))?)
    | (?P<daybefore>(?:i\s+)?förr?går)
    | (?P<tomorrow>i\s*morgon)
    | (?P<dayafter>(?:i\s+)?övermorgon)
    | (?P<dags>i\s+(?P<dags_wd>{_WD})s)
    | (?P<lastweek>(?P<lw_wd>{_WD})(?:en)?\s+förra\s+veckan)
    | (?P<forra>förra\s+(?P<fo_wd>{_WD})(?:en)?)
    | (?P<ago>(?:för\s+)?(?P<ago_n>{_NUM})\s+(?P<ago_u>{_UNIT})\s+(?:sedan|sen))
    | (?P<inn>om\s+(?P<in_n>{_NUM})\s+(?P<in_u>{_UNIT}))
    | (?P<nextweekday>(?P<nw_wd>{_WD})(?:en)?\s+nästa\s+vecka)
    | (?P<nextwd>nästa\s+(?P<nx_wd>{_WD})(?:en)?)
    | (?P<nextweek>nästa\s+vecka)
    | (?P<nextmonth>nästa\s+månad)
    | (?P<onwd>på\s+(?P<on_wd>{_WD})(?:en)?)
    | (?P<bare>(?-i:(?P<bare_wd>{_WD})(?:en)?))
    | (?P<vague>(?:i\s+)?förra\s+(?:veckan|månaden)|nyligen|häromdagen)
    )(?:,?\s+(?:kl\.?|klockan)\s*\d{{1,2}}(?:[:.]\d{{2}})?|\s+\d{{1,2}}:\d{{2}})?(?![\w/])
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _weekday(word: str) -> int:
    return _WEEKDAYS[word[:3].lower()]


def _number(word: str) -> int:
    word = re.sub(r"\s+", " ", word.lower())
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's last day (31 January + 1 month = 28 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _full_year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _day_month(
    day: int, month: int, year: str | None, today: dt.date, way: Direction
) -> dt.date | None:
    """An explicit year is taken as written; without one, the nearest in `way` (today counts).

    Stepping up to eight years lets "29/2" find the nearest leap year; "31/2" never exists.
    """
    if year is not None:
        return _make(_full_year(year), month, day)
    step = -1 if way is Direction.PAST else 1
    for offset in range(0, 9):
        candidate = _make(today.year + step * offset, month, day)
        if candidate is None:
            continue
        if (way is Direction.PAST and candidate <= today) or (
            way is Direction.FUTURE and candidate >= today
        ):
            return candidate
    return None


def _last_weekday(today: dt.date, weekday: int) -> dt.date:
    """The latest such weekday strictly before today ("i tisdags" said on a Tuesday: 7 days)."""
    return today - dt.timedelta(days=(today.weekday() - weekday) % 7 or 7)


def _next_weekday(today: dt.date, weekday: int) -> dt.date:
    """The next such weekday strictly after today ("på fredag" said on a Friday: 7 days)."""
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _shift(today: dt.date, amount: int, unit: str) -> dt.date:
    unit = unit.lower()
    if unit.startswith("dag"):
        return today + dt.timedelta(days=amount)
    if unit.startswith("veck"):
        return today + dt.timedelta(weeks=amount)
    if unit.startswith("mån"):
        return _add_months(today, amount)
    return _add_months(today, 12 * amount)


def _resolve(m: re.Match[str], today: dt.date, way: Direction) -> dt.date | None:
    g = m.group
    monday = today - dt.timedelta(days=today.weekday())
    if g("iso"):
        return _make(int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
    if g("slash"):
        return _day_month(int(g("sl_d")), int(g("sl_m")), g("sl_y2") or g("sl_y4"), today, way)
    if g("dotted"):
        return _make(_full_year(g("dt_y")), int(g("dt_m")), int(g("dt_d")))
    if g("daymonth"):
        return _day_month(int(g("dm_d")), _MONTHS[g("dm_m")[:3].lower()], g("dm_y"), today, way)
    if g("today"):
        return today
    if g("yesterday"):
        return today - dt.timedelta(days=1)
    if g("daybefore"):
        return today - dt.timedelta(days=2)
    if g("tomorrow"):
        return today + dt.timedelta(days=1)
    if g("dayafter"):
        return today + dt.timedelta(days=2)
    if g("dags"):
        return _last_weekday(today, _weekday(g("dags_wd")))
    if g("lastweek"):
        return monday - dt.timedelta(days=7) + dt.timedelta(days=_weekday(g("lw_wd")))
    if g("forra"):
        return _last_weekday(today, _weekday(g("fo_wd")))
    if g("ago"):
        return _shift(today, -_number(g("ago_n")), g("ago_u"))
    if g("inn"):
        return _shift(today, _number(g("in_n")), g("in_u"))
    if g("nextweekday"):
        return monday + dt.timedelta(days=7 + _weekday(g("nw_wd")))
    if g("nextwd"):
        # "nästa fredag" is the Friday of next week, as "fredag nästa vecka"; "på fredag" is the
        # coming one.
        return monday + dt.timedelta(days=7 + _weekday(g("nx_wd")))
    if g("nextweek"):
        return monday + dt.timedelta(days=7)
    if g("nextmonth"):
        return _add_months(today, 1)
    if g("onwd"):
        return _next_weekday(today, _weekday(g("on_wd")))
    if g("vague"):
        return None  # "förra veckan" is a week, not a day: the caller asks which day
    # A bare weekday leans the way of the caller: visits look back, follow-ups ahead.
    weekday = _weekday(g("bare_wd"))
    if way is Direction.PAST:
        return _last_weekday(today, weekday)
    return _next_weekday(today, weekday)


def _starts_word(text: str, pos: int) -> bool:
    return pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] in "/-_.:'’")


def match_date_at(
    text: str,
    pos: int,
    today: dt.date,
    way: Direction = Direction.PAST,
    *,
    bare_weekday: bool = True,
) -> DateMatch | None:
    """The date phrase that starts exactly at `pos` (a word start), or None.

    `bare_weekday=False` ignores a lone weekday ("tisdag"), for places where it may be a name.
    """
    if not _starts_word(text, pos):
        return None
    m = _GRAMMAR.match(text, pos)
    if m is None or (m.group("bare") and not bare_weekday):
        return None
    phrase = m.group(0)
    return DateMatch(m.start(), m.end(), phrase.rstrip("."), _resolve(m, today, way))


def search_date(
    text: str, today: dt.date, way: Direction = Direction.PAST, *, start: int = 0
) -> DateMatch | None:
    """The first date phrase in `text` at or after `start` (whole words only)."""
    for m in _GRAMMAR.finditer(text, start):
        if _starts_word(text, m.start()):
            return DateMatch(m.start(), m.end(), m.group(0).rstrip("."), _resolve(m, today, way))
    return None


def _whole(phrase: str, today: dt.date, way: Direction) -> tuple[bool, dt.date | None]:
    text = " ".join(phrase.split())
    m = _GRAMMAR.fullmatch(text)
    if m is None:
        m = _GRAMMAR.fullmatch(text.rstrip("."))
    if m is None:
        return False, None
    return True, _resolve(m, today, way)


_DATEPARSER_SETTINGS: dict[str, Any] = {"DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False}


def _dateparser(phrase: str, today: dt.date, way: Direction) -> dt.date | None:
    import dateparser  # imported lazily: ~70 ms, and only the fallback needs it

    settings = dict(_DATEPARSER_SETTINGS)
    settings["PREFER_DATES_FROM"] = way.value
    settings["RELATIVE_BASE"] = dt.datetime.combine(today, dt.time())
    found = dateparser.parse(phrase, languages=["sv"], settings=settings)
    return found.date() if found is not None else None


def parse_date_phrase(phrase: str, today: dt.date) -> dt.date | None:
    """A past-leaning date phrase as a date, or None when it is no date or an impossible one.

    >>> parse_date_phrase("i tisdags", dt.date(2026, 11, 24))
    datetime.date(2026, 11, 17)
    """
    return _parse(phrase, today, Direction.PAST)


def parse_future_date(phrase: str, today: dt.date) -> dt.date | None:
    """A future-leaning phrase ("om 2 veckor", "10 augusti", "nästa fredag") as a date, or None.

    >>> parse_future_date("10 augusti", dt.date(2026, 11, 24))
    datetime.date(2027, 8, 10)
    """
    return _parse(phrase, today, Direction.FUTURE)


def _parse(phrase: str, today: dt.date, way: Direction) -> dt.date | None:
    """Our own patterns first; dateparser only for a short phrase they do not know."""
    known, day = _whole(phrase, today, way)
    if known:
        return day
    if not phrase.strip() or len(phrase) > 60:
        return None
    return _dateparser(phrase.strip(), today, way)


def warm_up() -> None:
    """Do dateparser's slow first call (~70 ms) at start instead of on the first /besök."""
    _dateparser("1 januari 2020", dt.date(2020, 1, 2), Direction.PAST)
