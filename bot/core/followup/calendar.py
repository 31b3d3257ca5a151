"""When scheduled sends are due: follow-up reminders, the weekly digest, on Swedish working days.

A reminder whose day falls on a weekend or a Swedish holiday goes out on the working day before
(so it never arrives late); the weekly digest on a holiday (Annandag påsk) goes out on the next
working day of that week. Holidays come from the maintained `holidays` package, never a list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.core.followup.periods import DEFAULT_FOLLOWUP_DATES, period_of

DEFAULT_REMINDER_DAYS = (14, 3)
# Public holidays plus the days Swedish offices close anyway (midsommar-, jul-, nyårsafton).
_CATEGORIES = ("public", "de_facto")


@dataclass(frozen=True)
class Schedule:
    """The follow-up rhythm: follow-up dates (MM-DD), reminder offsets, the digest weekday."""

    followup_dates: tuple[str, ...] = DEFAULT_FOLLOWUP_DATES
    reminder_days: tuple[int, ...] = DEFAULT_REMINDER_DAYS
    digest_weekday: int = 0  # Monday

    @classmethod
    def of(
        cls,
        followup_dates: Sequence[str],
        reminder_days: Sequence[int],
        digest_weekday: int = 0,
    ) -> Schedule:
        return cls(
            followup_dates=tuple(sorted(followup_dates)),
            reminder_days=tuple(sorted(set(reminder_days), reverse=True)),
            digest_weekday=digest_weekday,
        )


@lru_cache(maxsize=32)
def _swedish_holidays(year: int) -> dict[dt.date, str]:
    import holidays  # imported on first use: with dateutil it is ~40 ms of every start

    try:
        calendar = holidays.country_holidays(
            "SE", years=year, categories=_CATEGORIES, language="sv"
        )
    except (TypeError, ValueError, NotImplementedError):  # an old holidays without categories
        calendar = holidays.country_holidays("SE", years=year)
    # Older versions count every Sunday as a holiday ("Söndag"); weekends are handled below,
    # so only real holidays matter here either way.
    return {day: name for day, name in calendar.items() if day.weekday() < 5}


def holiday_name(day: dt.date) -> str | None:
    """The Swedish holiday on a weekday ("Annandag påsk"), or None."""
    return _swedish_holidays(day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def working_day_on_or_before(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def working_day_on_or_after(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def followups_in_year(year: int, schedule: Schedule) -> list[dt.date]:
    return [dt.date.fromisoformat(f"{year:04d}-{md}") for md in sorted(schedule.followup_dates)]


def next_followup(day: dt.date, schedule: Schedule) -> dt.date:
    """The first follow-up date on or after `day`."""
    for candidate in followups_in_year(day.year, schedule) + followups_in_year(
        day.year + 1, schedule
    ):
        if candidate >= day:
            return candidate
    raise AssertionError("a follow-up every year")  # pragma: no cover


@dataclass(frozen=True)
class ReminderDue:
    """One reminder round: `days_before` the follow-up, sent on `send_on`."""

    days_before: int
    followup: dt.date
    send_on: dt.date
    period: str  # the follow-up period it asks about, "2026-H2"
    is_last: bool = False  # the last reminder before this follow-up

    @property
    def kind(self) -> str:
        return f"reminder-{self.days_before}"

    @property
    def days_left(self) -> int:
        """Days from the (possibly moved) send day to the follow-up."""
        return (self.followup - self.send_on).days


def reminder_rounds(year: int, schedule: Schedule) -> list[ReminderDue]:
    """Every reminder for follow-ups in `year`, with its send day moved to a working day."""
    rounds = []
    for followup in followups_in_year(year, schedule):
        label = period_of(followup, list(schedule.followup_dates)).label
        for offset in schedule.reminder_days:
            send_on = working_day_on_or_before(followup - dt.timedelta(days=offset))
            last = offset == min(schedule.reminder_days)
            rounds.append(ReminderDue(offset, followup, send_on, label, last))
    return sorted(rounds, key=lambda r: (r.send_on, -r.days_before))


def reminders_due(day: dt.date, schedule: Schedule) -> list[ReminderDue]:
    """The reminder rounds to send on `day` (several when two moved onto the same day)."""
    candidates = reminder_rounds(day.year, schedule) + reminder_rounds(day.year + 1, schedule)
    return [due for due in candidates if due.send_on == day]


def next_reminder(day: dt.date, schedule: Schedule) -> ReminderDue:
    """The first reminder round sent on or after `day`."""
    candidates = reminder_rounds(day.year, schedule) + reminder_rounds(day.year + 1, schedule)
    return next(due for due in candidates if due.send_on >= day)


def week_label(day: dt.date) -> str:
    """The ISO week `day` is in: "2026-W48" (the digest's ledger period)."""
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def digest_day(any_day_in_week: dt.date, schedule: Schedule) -> dt.date | None:
    """The week's digest day: its digest weekday, or the next working day of the same week."""
    planned = week_start(any_day_in_week) + dt.timedelta(days=schedule.digest_weekday)
    moved = working_day_on_or_after(planned)
    return moved if week_start(moved) == week_start(planned) else None


def digest_due(day: dt.date, schedule: Schedule) -> bool:
    return digest_day(day, schedule) == day


def last_week(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the week before `day`'s week: what a digest on `day` looks back on."""
    monday = week_start(day) - dt.timedelta(days=7)
    return monday, monday + dt.timedelta(days=6)
