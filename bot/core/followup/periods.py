"""Follow-up periods: two a year, each ending on a follow-up date ("2026-H2" ends 15 December)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.errors import InvalidInput

DEFAULT_FOLLOWUP_DATES = ("06-15", "12-15")
_LABEL = re.compile(r"^\s*(\d{4})\s*-?\s*[Hh]\s*([12])\s*$")


@dataclass(frozen=True, order=True)
class Period:
    """A half-year follow-up period: `start` is the day after the previous follow-up."""

    year: int
    half: int
    start: dt.date
    end: dt.date  # the follow-up date itself, inclusive

    @property
    def label(self) -> str:
        return f"{self.year}-H{self.half}"

    def __str__(self) -> str:
        return self.label

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _followup_date(year: int, half: int, followup_dates: tuple[str, ...] | list[str]) -> dt.date:
    month_day = sorted(followup_dates)[half - 1]
    return dt.date.fromisoformat(f"{year:04d}-{month_day}")


def make_period(
    year: int, half: int, followup_dates: tuple[str, ...] | list[str] = DEFAULT_FOLLOWUP_DATES
) -> Period:
    if half not in (1, 2):
        raise InvalidInput(f"Perioden måste vara H1 eller H2, inte H{half}.")
    end = _followup_date(year, half, followup_dates)
    previous_end = (
        _followup_date(year - 1, 2, followup_dates)
        if half == 1
        else _followup_date(year, 1, followup_dates)
    )
    return Period(year=year, half=half, start=previous_end + dt.timedelta(days=1), end=end)


def period_of(
    day: dt.date, followup_dates: tuple[str, ...] | list[str] = DEFAULT_FOLLOWUP_DATES
) -> Period:
    """The period whose follow-up is the first on or after `day`: what an update then reports."""
    for candidate in (
        make_period(day.year, 1, followup_dates),
        make_period(day.year, 2, followup_dates),
        make_period(day.year + 1, 1, followup_dates),
    ):
        if candidate.contains(day):
            return candidate
    raise AssertionError(f"no period contains {day}")  # pragma: no cover - the three cover a year


def previous_period(
    period: Period, followup_dates: tuple[str, ...] | list[str] = DEFAULT_FOLLOWUP_DATES
) -> Period:
    return period_of(period.start - dt.timedelta(days=1), followup_dates)


def parse_period(
    label: str, followup_dates: tuple[str, ...] | list[str] = DEFAULT_FOLLOWUP_DATES
) -> Period:
    """'2026-H2', '2026H2' or '2026 h2'; a Swedish message says how to write it otherwise."""
    match = _LABEL.match(label)
    if not match:
        raise InvalidInput(
            f'Perioden "{label}" kan jag inte läsa. Skriv år och halvår, t.ex. "2026-H2".'
        )
    return make_period(int(match.group(1)), int(match.group(2)), followup_dates)


def steady_pace(target: int, through: dt.date) -> int:
    """Visits a steady pace to `target` would have reached by the end of `through`."""
    first = dt.date(through.year, 1, 1)
    days_in_year = (dt.date(through.year + 1, 1, 1) - first).days
    return round(target * ((through - first).days + 1) / days_in_year)
