"""The follow-up calendar: reminder days moved to working days, the digest past holidays."""

from __future__ import annotations

import datetime as dt

from bot.core.followup import calendar as cal
from bot.core.followup.calendar import Schedule

DEFAULT = Schedule()


def test_swedish_holidays_come_from_the_maintained_calendar() -> None:
    assert cal.holiday_name(dt.date(2027, 3, 29)) == "Annandag påsk"
    assert cal.holiday_name(dt.date(2026, 12, 24)) == "Julafton"  # offices close
    assert cal.holiday_name(dt.date(2026, 12, 1)) is None
    # Sundays are weekends, never "holidays" here, whatever the package version thinks.
    assert cal.holiday_name(dt.date(2026, 11, 29)) is None
    assert not cal.is_working_day(dt.date(2026, 11, 29))
    assert cal.is_working_day(dt.date(2026, 11, 30))


def test_fourteen_days_before_15_december_2026_is_1_december() -> None:
    rounds = cal.reminders_due(dt.date(2026, 12, 1), DEFAULT)
    assert [(r.kind, r.followup, r.period, r.days_left) for r in rounds] == [
        ("reminder-14", dt.date(2026, 12, 15), "2026-H2", 14)
    ]
    assert not rounds[0].is_last


def test_a_reminder_on_a_saturday_moves_to_friday() -> None:
    # 15 Dec 2026 − 3 = Saturday 12 Dec: sent Friday 11 Dec, four days before.
    assert dt.date(2026, 12, 12).weekday() == 5
    assert cal.reminders_due(dt.date(2026, 12, 12), DEFAULT) == []
    (friday,) = cal.reminders_due(dt.date(2026, 12, 11), DEFAULT)
    assert friday.kind == "reminder-3" and friday.days_left == 4 and friday.is_last


def test_a_reminder_on_a_holiday_moves_to_the_working_day_before() -> None:
    # Follow-up 12 April 2027: 14 days before is Annandag påsk, and the Friday before is
    # Långfredagen, so the reminder goes on Thursday 25 March.
    schedule = Schedule.of(["04-12", "10-15"], [14])
    assert dt.date(2027, 4, 12) - dt.timedelta(days=14) == dt.date(2027, 3, 29)
    (due,) = cal.reminders_due(dt.date(2027, 3, 25), schedule)  # Good Friday 26th is off too
    assert due.followup == dt.date(2027, 4, 12) and due.send_on == dt.date(2027, 3, 25)
    assert cal.reminders_due(dt.date(2027, 3, 29), schedule) == []


def test_configured_dates_and_days_are_honoured() -> None:
    schedule = Schedule.of(["06-30", "12-31"], [7])
    (due,) = cal.reminders_due(dt.date(2026, 12, 23), schedule)  # 24th is Julafton
    assert due.followup == dt.date(2026, 12, 31) and due.kind == "reminder-7"
    assert cal.next_followup(dt.date(2027, 1, 1), schedule) == dt.date(2027, 6, 30)


def test_reminders_for_a_january_follow_up_look_into_the_previous_year() -> None:
    schedule = Schedule.of(["01-15", "07-15"], [14])
    (due,) = cal.reminders_due(dt.date(2026, 12, 30), schedule)
    assert due.followup == dt.date(2027, 1, 15) and due.send_on == dt.date(2026, 12, 30)


def test_the_monday_digest_moves_past_annandag_pask_to_tuesday() -> None:
    assert cal.digest_day(dt.date(2027, 3, 31), DEFAULT) == dt.date(2027, 3, 30)
    assert not cal.digest_due(dt.date(2027, 3, 29), DEFAULT)
    assert cal.digest_due(dt.date(2027, 3, 30), DEFAULT)
    assert cal.week_label(dt.date(2027, 3, 30)) == "2027-W13"
    # An ordinary week: Monday.
    assert cal.digest_due(dt.date(2026, 11, 30), DEFAULT)
    assert not cal.digest_due(dt.date(2026, 12, 1), DEFAULT)


def test_last_week_is_the_iso_week_before() -> None:
    assert cal.last_week(dt.date(2027, 3, 30)) == (dt.date(2027, 3, 22), dt.date(2027, 3, 28))
    assert cal.week_label(dt.date(2026, 11, 30)) == "2026-W49"


def test_next_reminder_and_next_followup() -> None:
    upcoming = cal.next_reminder(dt.date(2026, 12, 2), DEFAULT)
    assert upcoming.send_on == dt.date(2026, 12, 11) and upcoming.kind == "reminder-3"
    assert cal.next_followup(dt.date(2026, 12, 16), DEFAULT) == dt.date(2027, 6, 15)
    assert cal.next_followup(dt.date(2026, 12, 15), DEFAULT) == dt.date(2026, 12, 15)
