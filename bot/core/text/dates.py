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

from bot.core.text.patterns import LazyPattern

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
    """A date phrase found in a text. `date` is None when the phrase cannot be a real date.

    A phrase that names a week but no day ("v.47", "förra veckan") has `date` None and the
    week's days Monday–Friday in `choices`; a weekday that does not fit its date ("tis 27/11"
    on a Friday) has `date` None, `kind` "mismatch" and both readings in `choices`.
    """

    start: int
    end: int
    text: str
    date: dt.date | None
    choices: tuple[dt.date, ...] = ()
    kind: str = ""


# Weekdays by their first three letters (Monday = 0, as date.weekday()); ASCII spellings too.
_WEEKDAYS = {
    "mån": 0, "man": 0, "tis": 1, "ons": 2, "tor": 3, "fre": 4, "lör": 5, "lor": 5,
    "sön": 6, "son": 6,
}  # fmt: skip
_WD = r"(?:m[åa]ndag|tisdag|onsdag|torsdag|fredag|l[öo]rdag|s[öo]ndag)"
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
_NUM = r"(?:\d{1,6}|ett\s+par|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|fjorton)"
_UNIT = r"(?:dagar|dag|veckor|vecka|månader|månad|år)"
# A leading weekday ("tis 24/11", "fredag 27/11", "måndagen den 23 november"): checked.
_LEAD_WD = rf"(?:(?:{_WD}(?:en)?|{_WD_SHORT})\.?,?\s+)"
# A time of day after a date is read and dropped: "kl 10", "kl. 14:30", "10:30", "em", "fm".
_TIME_OF_DAY = (
    r"(?:,?\s+(?:kl\.?|klockan)\s*\d{1,2}(?:[:.]\d{2})?(?:\s*[-–]\s*\d{1,2}(?:[:.]\d{2})?)?"
    r"|\s+\d{1,2}[:.]\d{2}(?:\s*[-–]\s*\d{1,2}[:.]\d{2})?"
    r"|\s+(?:em|fm|e\.m\.?|f\.m\.?|på\s+(?:förmiddagen|eftermiddagen|morgonen|kvällen)"
    r"|förmiddag|eftermiddag|kväll|morse|morgon(?!\w)))"
)
# Near the future: an incomplete date (no year, or no month) whose next occurrence lies at most
# this many days ahead is that future day, and refused as a visit ("2/12" typed on 1 December),
# never read as last year's.
NEAR_FUTURE_DAYS = 14

# One alternative per phrasing; each has its own named groups (re forbids duplicate names).
_GRAMMAR = LazyPattern(
    rf"""
    (?:(?P<iso>(?P<iso_y>\d{{4}})-(?P<iso_m>\d{{1,2}})-(?P<iso_d>\d{{1,2}}))
    | (?P<slash>(?:(?P<sl_wd>{_WD}(?:en)?|{_WD_SHORT})\.?,?\s+)?(?:den\s+)?
        (?P<sl_d>\d{{1,2}})/(?P<sl_m>\d{{1,2}})
        (?:(?:/|-)(?P<sl_y2>\d{{4}}|\d{{2}})|\s+(?P<sl_y4>\d{{4}}))?)
    | (?P<dotted>(?:(?P<dt_wd>{_WD}(?:en)?|{_WD_SHORT})\.?,?\s+)?(?:den\s+)?
        (?P<dt_d>\d{{1,2}})\.(?P<dt_m>\d{{1,2}})(?:\.(?P<dt_y>\d{{4}}|\d{{2}}))?(?!\.?\d))
    | (?P<daymonth>(?:(?P<dm_wd>{_WD}(?:en)?|{_WD_SHORT})\.?,?\s+)?(?:den\s+)?
        (?P<dm_d>\d{{1,2}})(?::?[ea]|\.)?\s*(?P<dm_m>{_MONTH})\.?(?:\s+(?P<dm_y>\d{{4}}))?)
    | (?P<dom>(?:(?P<do_wd>{_WD}(?:en)?|{_WD_SHORT})\.?,?\s+)?
        (?:den\s+(?P<do_d>\d{{1,2}})(?::?[ea])?|(?P<do_d2>\d{{1,2}}):[ea]))
    | (?P<week>(?:(?P<wk_wd>{_WD}(?:en)?|{_WD_SHORT})\.?,?\s+(?:i\s+|under\s+)?)?
        (?:vecka|veckan|v\.?)\s*(?P<wk_n>\d{{1,2}})
        (?:,?\s+(?P<wk_wd2>{_WD}(?:en)?|{_WD_SHORT}\.?)(?![\w/]))?)
    | (?P<today>i\s*dag|i\s*morse|i\s*förmiddags|i\s*eftermiddags|i\s*kväll|i\s*natt)
    | (?P<yesterday>i\s*g[åa]r(?:\s*(?:kväll|morse|morgon|förmiddags?|eftermiddags?))?)
    | (?P<daybefore>(?:i\s+)?f[öo]rr?g[åa]r)
    | (?P<tomorrow>i\s*morgon)
    | (?P<dayafter>(?:i\s+)?övermorgon)
    | (?P<dagslw>i\s+(?P<dl_wd>{_WD})s\s+(?:förra|förrförra)\s+veckan)
    | (?P<dags>i\s+(?P<dags_wd>{_WD})s)
    | (?P<lastweek>(?P<lw_wd>{_WD})(?:en)?\s+(?:i\s+)?förra\s+veckan)
    | (?P<lastweeks>förra\s+veckans\s+(?P<lws_wd>{_WD}))
    | (?P<forra>förra\s+(?P<fo_wd>{_WD})(?:en)?)
    | (?P<ago>(?:för\s+)?(?P<ago_n>{_NUM})\s+(?P<ago_u>{_UNIT})\s+(?:sedan|sen))
    | (?P<inn>om\s+(?P<in_n>{_NUM})\s+(?P<in_u>{_UNIT}))
    | (?P<nextweekday>(?P<nw_wd>{_WD})(?:en)?\s+nästa\s+vecka)
    | (?P<nextwd>nästa\s+(?P<nx_wd>{_WD})(?:en)?)
    | (?P<nextweek>nästa\s+vecka)
    | (?P<nextmonth>nästa\s+månad)
    | (?P<onwd>på\s+(?P<on_wd>{_WD})(?:en)?)
    | (?P<bare>(?-i:(?P<bare_wd>{_WD})(?:en)?))
    | (?P<prevweek>(?:i\s+|under\s+)?(?P<pw_two>förr)?förra\s+veckan)
    | (?P<thisweek>(?:i\s+|under\s+)?(?:den\s+här\s+veckan|denna\s+vecka|i\s*veckan))
    | (?P<vague>(?:i\s+)?förra\s+månaden|nyligen|häromdagen)
    ){_TIME_OF_DAY}{{0,2}}(?![\w/])
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


@dataclass(frozen=True)
class _Resolved:
    date: dt.date | None
    choices: tuple[dt.date, ...] = ()
    kind: str = ""


def _near(candidate: dt.date | None, today: dt.date, way: Direction) -> bool:
    """A past-leaning incomplete date whose next occurrence is only days ahead."""
    return (
        way is Direction.PAST
        and candidate is not None
        and today < candidate <= today + dt.timedelta(days=NEAR_FUTURE_DAYS)
    )


def _day_month_near(
    day: int, month: int, year: str | None, today: dt.date, way: Direction
) -> dt.date | None:
    """As `_day_month`, but this year's date a few days ahead is that future day."""
    if year is None and way is Direction.PAST:
        ahead = _day_month(day, month, None, today + dt.timedelta(days=1), Direction.FUTURE)
        if _near(ahead, today, way):
            return ahead
    return _day_month(day, month, year, today, way)


def _day_of_month(day: int, today: dt.date, way: Direction) -> dt.date | None:
    """ "den 3:e": this month's, or the nearest month's that has such a day, in `way`."""
    if not 1 <= day <= 31:
        return None
    step = -1 if way is Direction.PAST else 1
    this = _make(today.year, today.month, day)
    if _near(this, today, way):
        return this
    first = today.replace(day=1)
    for offset in range(0, 3):
        month_start = _add_months(first, step * offset)
        candidate = _make(month_start.year, month_start.month, day)
        if candidate is None:
            continue
        if (way is Direction.PAST and candidate <= today) or (
            way is Direction.FUTURE and candidate >= today
        ):
            return candidate
    return None


def _week_days(monday: dt.date) -> tuple[dt.date, ...]:
    return tuple(monday + dt.timedelta(days=n) for n in range(5))


def _week_monday(number: int, today: dt.date, way: Direction) -> dt.date | None:
    """Monday of ISO week `number`: this year's, or the nearest year's in `way`."""
    year = today.isocalendar().year
    step = -1 if way is Direction.PAST else 1
    this_monday = today - dt.timedelta(days=today.weekday())
    for offset in range(0, 3):
        try:
            monday = dt.date.fromisocalendar(year + step * offset, number, 1)
        except ValueError:
            continue
        if (way is Direction.PAST and monday <= today) or (
            way is Direction.FUTURE and monday >= this_monday
        ):
            return monday
    return None


def _checked(day: dt.date | None, weekday_word: str | None) -> _Resolved:
    """A date with the weekday written before it: both must agree, or the user is asked."""
    if day is None or not weekday_word:
        return _Resolved(day)
    wanted = _weekday(weekday_word)
    if day.weekday() == wanted:
        return _Resolved(day)
    monday = day - dt.timedelta(days=day.weekday())
    return _Resolved(None, (day, monday + dt.timedelta(days=wanted)), "mismatch")


def _resolve(m: re.Match[str], today: dt.date, way: Direction) -> _Resolved:
    try:
        return _resolve_date(m, today, way)
    except (OverflowError, ValueError):
        return _Resolved(None)  # "för 999999 år sedan"


def _resolve_date(m: re.Match[str], today: dt.date, way: Direction) -> _Resolved:
    g = m.group
    monday = today - dt.timedelta(days=today.weekday())
    if g("iso"):
        return _Resolved(_make(int(g("iso_y")), int(g("iso_m")), int(g("iso_d"))))
    if g("slash"):
        day = _day_month_near(int(g("sl_d")), int(g("sl_m")), g("sl_y2") or g("sl_y4"), today, way)
        return _checked(day, g("sl_wd"))
    if g("dotted"):
        day = _day_month_near(int(g("dt_d")), int(g("dt_m")), g("dt_y"), today, way)
        return _checked(day, g("dt_wd"))
    if g("daymonth"):
        month = _MONTHS[g("dm_m")[:3].lower()]
        day = _day_month_near(int(g("dm_d")), month, g("dm_y"), today, way)
        return _checked(day, g("dm_wd"))
    if g("dom"):
        return _checked(_day_of_month(int(g("do_d") or g("do_d2")), today, way), g("do_wd"))
    if g("week"):
        week_monday = _week_monday(int(g("wk_n")), today, way)
        if week_monday is None:
            return _Resolved(None)
        weekday_word = g("wk_wd") or g("wk_wd2")
        if weekday_word:
            return _Resolved(week_monday + dt.timedelta(days=_weekday(weekday_word)))
        return _Resolved(None, _week_days(week_monday), "week")
    if g("prevweek"):
        back = 14 if g("pw_two") else 7
        return _Resolved(None, _week_days(monday - dt.timedelta(days=back)), "week")
    if g("thisweek"):
        return _Resolved(None, _week_days(monday), "week")
    return _Resolved(_resolve_day(m, today, way, monday))


def _resolve_day(
    m: re.Match[str], today: dt.date, way: Direction, monday: dt.date
) -> dt.date | None:
    g = m.group
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
    if g("dagslw"):
        back = 14 if "förrförra" in g("dagslw").lower() else 7
        return monday - dt.timedelta(days=back) + dt.timedelta(days=_weekday(g("dl_wd")))
    if g("dags"):
        return _last_weekday(today, _weekday(g("dags_wd")))
    if g("lastweek"):
        return monday - dt.timedelta(days=7) + dt.timedelta(days=_weekday(g("lw_wd")))
    if g("lastweeks"):
        return monday - dt.timedelta(days=7) + dt.timedelta(days=_weekday(g("lws_wd")))
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
        return None  # "förra månaden" is a month, not a day: the caller asks which day
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
    return _date_match(m, today, way)


def _date_match(m: re.Match[str], today: dt.date, way: Direction) -> DateMatch:
    found = _resolve(m, today, way)
    text = m.group(0).rstrip(".") if not m.group(0).endswith("m.") else m.group(0)
    return DateMatch(m.start(), m.end(), text, found.date, found.choices, found.kind)


def search_date(
    text: str, today: dt.date, way: Direction = Direction.PAST, *, start: int = 0
) -> DateMatch | None:
    """The first date phrase in `text` at or after `start` (whole words only)."""
    for m in _GRAMMAR.finditer(text, start):
        if _starts_word(text, m.start()):
            return _date_match(m, today, way)
    return None


def _whole(phrase: str, today: dt.date, way: Direction) -> tuple[bool, dt.date | None]:
    text = " ".join(phrase.split())
    m = _GRAMMAR.fullmatch(text)
    if m is None:
        m = _GRAMMAR.fullmatch(text.rstrip("."))
    if m is None:
        return False, None
    return True, _resolve(m, today, way).date


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
