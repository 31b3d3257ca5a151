"""Collecting the follow-up: the plan's order, the period's comment, as of the follow-up day."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.clock import FixedClock
from bot.context import Knalle
from bot.core.plan.lights import Light
from bot.core.report import NO_PRIORITY, Status, resolve_period
from bot.errors import InvalidInput, NotFound
from bot.files.report import render
from storage import activities
from tests.bot.core.report_data import build, local, report_for
from tests.storage import factories


@pytest.fixture
def filled(knalle: Knalle) -> Knalle:
    with knalle.db.write() as session:
        build(session)
    return knalle


def test_activities_come_in_the_plans_order_under_their_headings(filled: Knalle) -> None:
    report = report_for(filled)
    assert [row.number for row in report.activities] == ["1.2.1", "1.2.2", "2.1.1", "2.1.2"]
    assert [c.label for c in report.chapters] == ["1. Samverkan och dialog", "2. Nyföretagande"]
    assert [s.number for s in report.chapters[1].sections] == ["2.1"]
    assert report.plan_name == "Verksamhetsplan 2026"


def test_each_activity_shows_the_periods_comment_and_who_wrote_it(filled: Knalle) -> None:
    rows = {row.number: row for row in report_for(filled).activities}
    visits = rows["1.2.1"]
    assert (visits.light, visits.comment, visits.author) == (Light.GUL, "Försenat & <b>", "Pia")
    assert visits.owners == ("Pia", "Per") and visits.priority == "Hög"
    assert rows["1.2.2"].status == Status.NOT_REPORTED and rows["1.2.2"].comment == ""
    assert (rows["2.1.1"].light, rows["2.1.1"].author) == (Light.GRON, "Anna M")
    assert rows["2.1.2"].reported and rows["2.1.2"].status == Status.NO_LIGHT


def test_the_first_half_shows_the_first_halfs_comments(filled: Knalle) -> None:
    rows = {row.number: row for row in report_for(filled, "2026-H1").activities}
    assert (rows["1.2.1"].light, rows["1.2.1"].comment) == (Light.GRON, "Bra start")
    assert rows["1.2.2"].comment == "Vårnumret ute"
    assert rows["2.1.1"].status == Status.NOT_REPORTED


def test_an_update_after_the_follow_up_day_does_not_change_the_report(filled: Knalle) -> None:
    # 2.1.1 got "röd" at 09:00 the day after the follow-up day: the report still says grön.
    rows = {row.number: row for row in report_for(filled).activities}
    assert rows["2.1.1"].comment == "Tolv träffar"
    before = render(report_for(filled), "md")
    with filled.db.write() as session:
        plan = activities.plan_for_year(session, 2026)
        assert plan is not None
        magazine = next(
            a for a in activities.activities_in_plan(session, plan.id) if a.number == "1.2.2"
        )
        factories.update(session, magazine, "röd", "Efterhand", local(2027, 1, 10), "2026-H2")
    assert render(report_for(filled), "md") == before


def test_as_of_is_the_end_of_the_follow_up_day_in_the_zone(filled: Knalle) -> None:
    report = report_for(filled)
    assert report.as_of == local(2026, 12, 16, 0, 0) - dt.timedelta(microseconds=1)


def test_summary_counts_per_light_chapter_and_priority(filled: Knalle) -> None:
    report = report_for(filled)
    assert report.counts_by_status() == {
        "grön": 1, "gul": 1, "röd": 0, "grå": 0, Status.NO_LIGHT: 1, Status.NOT_REPORTED: 1,
    }  # fmt: skip
    by_chapter = {chapter.number: counts for chapter, counts in report.counts_by_chapter()}
    assert (by_chapter["1"]["gul"], by_chapter["1"][Status.NOT_REPORTED]) == (1, 1)
    assert (by_chapter["2"]["grön"], by_chapter["2"][Status.NO_LIGHT]) == (1, 1)
    by_priority = report.counts_by_priority()
    assert list(by_priority) == ["Hög", "Medel", "Låg", NO_PRIORITY]
    assert by_priority["Hög"]["gul"] == 1 and by_priority["Medel"][Status.NOT_REPORTED] == 1
    assert by_priority["Låg"]["grön"] == 1 and sum(by_priority[NO_PRIORITY].values()) == 1


def test_visits_are_counted_through_the_follow_up_day(filled: Knalle) -> None:
    visits = report_for(filled).visits
    assert visits.total == 4  # not the deleted one, nor 20 December, nor last year's
    assert (visits.by_month[1], visits.by_month[3], visits.by_month[12]) == (1, 2, 1)
    assert visits.by_cluster == {
        "Textil/mode/design": 2, "Handel och logistik": 1, "Okänt kluster": 1,
    }  # fmt: skip
    assert visits.target == 150 and visits.through == dt.date(2026, 12, 15)


def test_key_figures_of_the_periods_year(filled: Knalle) -> None:
    figures = report_for(filled).key_figures
    assert [(f.name, f.target, f.outcome, f.met) for f in figures] == [
        ("NKI, nöjd kundindex", "75", "77", True),
        ("Nettojobb", "", "", None),
    ]


def test_a_year_without_a_plan_gets_a_swedish_answer(filled: Knalle) -> None:
    with pytest.raises(NotFound, match="ingen verksamhetsplan för 2025 eller tidigare"):
        report_for(filled, "2025-H2")


def test_a_year_before_its_plan_is_imported_reports_on_the_plan_in_force(filled: Knalle) -> None:
    # /aktivitet, the Home tab and the reminders use the latest plan until the new year's is
    # imported, so updates made in 2027 belong to the 2026 plan's activities: report on those.
    report = report_for(filled, "2027-H1")
    assert report.plan_year == 2026 and report.period.label == "2027-H1"
    assert [row.number for row in report.activities] == ["1.2.1", "1.2.2", "2.1.1", "2.1.2"]
    assert {row.status for row in report.activities} == {Status.NOT_REPORTED}


def test_the_default_period_is_the_current_one(clock: FixedClock) -> None:
    assert resolve_period(None, clock, ["06-15", "12-15"]).label == "2026-H2"
    assert resolve_period(" ", clock, ["06-15", "12-15"]).label == "2026-H2"
    assert resolve_period("2025h1", clock, ["06-15", "12-15"]).label == "2025-H1"
    with pytest.raises(InvalidInput, match="2026-H2"):
        resolve_period("hösten", clock, ["06-15", "12-15"])
