"""Who gets which reminder: owners by plan name, "Alla" for everyone, exactly what is unreported."""

from __future__ import annotations

import datetime as dt

from bot.context import Knalle
from bot.core.followup.calendar import Schedule
from bot.core.followup.reminders import reminders_for_day
from bot.core.plan.lights import Light
from storage.models import Activity
from tests import scheduled_world
from tests.storage import factories as make

UTC = dt.UTC
FIRST_DEC = dt.date(2026, 12, 1)


def test_the_14_day_reminder_lists_exactly_each_owners_unreported_activities(
    knalle: Knalle,
) -> None:
    with knalle.db.write() as session:
        world = scheduled_world.build(session)
    with knalle.db.read() as session:
        found, skipped = reminders_for_day(session, FIRST_DEC, Schedule())
    assert [(r.recipient, r.kind, r.period) for r in found] == [
        ("UANNA", "reminder-14", "2026-H2"),
        ("UPIA", "reminder-14", "2026-H2"),
    ]
    anna, pia = found
    # "Alla" counts Anna in; Nyhetsbrev is reported this period; "Berörda" is nobody's.
    assert [a.activity_id for a in anna.activities] == [world.alla, world.foretagsamt]
    assert [a.activity_id for a in pia.activities] == [world.alla]
    alla = anna.activities[0]
    assert (alla.light, alla.comment, alla.last_period) == (
        Light.GUL,
        "Halvvägs <!channel>",
        "2026-H1",
    )
    assert anna.activities[1].light is None and anna.activities[1].comment == ""
    assert anna.days_left == 14 and anna.followup == dt.date(2026, 12, 15)
    assert {(s.name, s.reason.split()[0]) for s in skipped} == {("Olle", "har"), ("Kim", "saknar")}


def test_an_owner_with_everything_reported_gets_nothing(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        world = scheduled_world.build(session)
        alla = session.get(Activity, world.alla)
        assert alla is not None
        at = dt.datetime(2026, 11, 30, tzinfo=UTC)
        make.update(session, alla, "grön", "Klart", at, "2026-H2")
    with knalle.db.read() as session:
        found, _ = reminders_for_day(session, FIRST_DEC, Schedule())
    assert [(r.recipient, [a.activity_id for a in r.activities]) for r in found] == [
        ("UANNA", [world.foretagsamt])
    ]


def test_an_update_after_as_of_does_not_count_yet(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        world = scheduled_world.build(session)
        foretagsamt = session.get(Activity, world.foretagsamt)
        assert foretagsamt is not None
        make.update(
            session, foretagsamt, "röd", "Sent", dt.datetime(2026, 12, 1, 12, tzinfo=UTC), "2026-H2"
        )
    with knalle.db.read() as session:
        morning = dt.datetime(2026, 12, 1, 7, tzinfo=UTC)
        found, _ = reminders_for_day(session, FIRST_DEC, Schedule(), as_of=morning)
        assert [a.activity_id for a in found[0].activities] == [world.alla, world.foretagsamt]
        found, _ = reminders_for_day(session, FIRST_DEC, Schedule())
        assert [a.activity_id for a in found[0].activities] == [world.alla]


def test_the_3_day_reminder_moved_to_friday_says_four_days_left(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        scheduled_world.build(session)
    with knalle.db.read() as session:
        assert reminders_for_day(session, dt.date(2026, 12, 12), Schedule()) == ([], [])
        found, skipped = reminders_for_day(session, dt.date(2026, 12, 11), Schedule())
    assert [(r.recipient, r.kind, r.days_left, r.is_last) for r in found] == [
        ("UANNA", "reminder-3", 4, True),
        ("UOLLE", "reminder-3", 4, True),  # his pause ended on 5 December
        ("UPIA", "reminder-3", 4, True),
    ]
    assert [s.name for s in skipped] == ["Kim"]


def test_no_plan_no_reminders(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        scheduled_world.member(session, "Pia", "UPIA")
    with knalle.db.read() as session:
        assert reminders_for_day(session, FIRST_DEC, Schedule()) == ([], [])
