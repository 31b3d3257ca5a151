"""The weekly digest as of a date: the team's numbers and each owner's own part."""

from __future__ import annotations

import datetime as dt

from bot.context import Knalle
from bot.core.followup.calendar import Schedule
from bot.core.followup.digest import personal_digests, team_digest
from bot.core.followup.periods import steady_pace
from bot.core.plan.lights import NOT_REPORTED
from tests import scheduled_world
from tests.storage import factories as make

MONDAY = dt.date(2026, 11, 30)


def _visits(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        ellos = make.company(session, "Ellos AB")
        tfc = make.company(session, "Textile Fashion Center")
        bageri = make.company(session, "Maj's Bageri")
        make.visit(session, ellos, dt.date(2026, 3, 3), author="UPIA")
        make.visit(session, bageri, dt.date(2026, 11, 22), author="UANNA")  # the week before
        make.visit(session, ellos, dt.date(2026, 11, 24), author="UPIA", participants=("UANNA",))
        make.visit(session, tfc, dt.date(2026, 11, 26), author="UPIA", participants=("UEXT",))
        make.visit(session, tfc, dt.date(2026, 11, 27), author="UANNA", deleted=True)
        make.visit(session, ellos, dt.date(2026, 11, 30), author="UANNA")  # this week
        make.visit(session, ellos, dt.date(2025, 12, 1), author="UANNA")  # last year


def test_team_digest_as_of_a_monday(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        scheduled_world.build(session)
    _visits(knalle)
    with knalle.db.read() as session:
        digest = team_digest(session, MONDAY, Schedule(), target=150)
    assert (digest.week, digest.week_start, digest.week_end) == (
        "2026-W49",
        dt.date(2026, 11, 23),
        dt.date(2026, 11, 29),
    )
    assert [(v.day, v.company) for v in digest.visits] == [
        (dt.date(2026, 11, 24), "Ellos AB"),
        (dt.date(2026, 11, 26), "Textile Fashion Center"),
    ]
    assert digest.companies == ("Ellos AB", "Textile Fashion Center")
    assert digest.people == (("Pia", 2), ("Anna M", 1), ("UEXT", 1))
    assert (digest.year_count, digest.target, digest.pace_now) == (5, 150, 137)
    assert digest.by_month[11] == 4 and digest.by_month[3] == 1
    assert digest.lights == {"grön": 1, "gul": 1, "röd": 0, "grå": 0, NOT_REPORTED: 2}
    assert digest.period == "2026-H2" and digest.activity_count == 4
    assert [(a.number, a.owners) for a in digest.not_reported] == [
        ("1.2.1", ("Alla",)),
        ("1.2.2", ("Anna M",)),
        ("1.2.4", ("Berörda",)),
    ]
    assert digest.next_followup == dt.date(2026, 12, 15) and digest.days_to_followup == 15


def test_personal_digests_list_each_owners_due_activities_and_visits(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        world = scheduled_world.build(session)
    _visits(knalle)
    with knalle.db.read() as session:
        found, skipped = personal_digests(session, MONDAY, Schedule())
    assert [
        (p.recipient, p.week, [a.activity_id for a in p.due], [v.company for v in p.visits])
        for p in found
    ] == [
        ("UANNA", "2026-W49", [world.alla, world.foretagsamt], ["Ellos AB"]),
        ("UPIA", "2026-W49", [world.alla], ["Ellos AB", "Textile Fashion Center"]),
    ]
    assert sorted(s.name for s in skipped) == ["Kim", "Olle"]


def test_an_empty_unit_still_gets_a_digest(knalle: Knalle) -> None:
    with knalle.db.read() as session:
        digest = team_digest(session, dt.date(2027, 3, 30), Schedule(), target=150)
        personal, _ = personal_digests(session, dt.date(2027, 3, 30), Schedule())
    assert digest.week == "2027-W13" and digest.visits == () and digest.activity_count == 0
    assert digest.period == "2027-H1" and personal == []


def test_steady_pace() -> None:
    assert steady_pace(150, dt.date(2026, 12, 31)) == 150
    assert steady_pace(150, dt.date(2026, 7, 2)) == 75  # day 183 of 365
    assert steady_pace(150, dt.date(2026, 1, 1)) == 0
