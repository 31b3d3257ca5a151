"""Recording, changing and finding visits in the core, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.context import Knalle
from bot.core.companies.register import UnsureCompany
from bot.core.visits import actions as visits
from bot.core.visits.actions import VisitDraft, VisitFieldError
from bot.errors import InvalidDate, InvalidInput, NotAllowed, NotFound
from storage import visits as visit_queries
from storage.models import Company, Staff, Visit, VisitParticipant
from tests import units
from tests.storage import factories as make

TODAY = dt.date(2026, 11, 24)  # the conftest clock: Tuesday 24 November 2026, 10:00


def add_staff(knalle: Knalle, *members: tuple[str, str | None]) -> None:
    with knalle.db.write() as session:
        for name, slack_id in members:
            session.add(Staff(name=name, slack_user_id=slack_id, created_at=knalle.clock.now()))


def counts(knalle: Knalle) -> tuple[int, int]:
    with knalle.db.read() as session:
        live = session.scalar(select(func.count(Visit.id)).where(Visit.deleted_at.is_(None)))
        return int(live or 0), int(session.scalar(select(func.count(Company.id))) or 0)


def draft(**fields: Any) -> VisitDraft:  # each field with its own type
    values: dict[str, Any] = {"company": "Ellos AB", "visit_date": TODAY - dt.timedelta(1)}
    values.update(fields)
    return VisitDraft(**values)


@pytest.fixture
def team(knalle: Knalle) -> Knalle:
    add_staff(knalle, ("Pia", "UPIA"), ("Ola", "UOLA"), ("Anna M", "UANNAM"), ("Anna B", None))
    return knalle


def test_a_visit_is_stored_with_everything_understood(team: Knalle) -> None:
    saved = units.record(
        team,
        draft(
            colleagues=("UOLA",),
            colleague_names=("anna m",),
            others=("KSO",),
            form="digitalt",
            notes="pratade kompetensförsörjning",
            follow_up_on=TODAY + dt.timedelta(days=14),
            raw_text="Ellos AB igår med <@UOLA> @anna m och KSO digitalt, pratade …",
        ),
        "UPIA",
    )
    assert saved.company == "Ellos AB" and saved.visit_date == dt.date(2026, 11, 23)
    assert saved.participants == ("UPIA", "UOLA", "UANNAM")  # the author first, always
    assert saved.participant_names == ("Pia", "Ola", "Anna M")
    assert saved.others == ("KSO",) and saved.form == "digitalt"
    assert saved.follow_up_on == dt.date(2026, 12, 8) and not saved.duplicate
    with team.db.read() as session:
        visit = session.get(Visit, saved.id)
        assert visit is not None and visit.author_id == "UPIA"
        rows = session.scalars(select(VisitParticipant).order_by(VisitParticipant.id)).all()
        assert [r.slack_user_id for r in rows] == ["UPIA", "UOLA", "UANNAM"]
        assert all(r.staff_id is not None for r in rows)
        assert visit.raw_text.startswith("Ellos AB igår med <@UOLA>")


def test_the_author_is_present_even_without_a_directory(knalle: Knalle) -> None:
    saved = units.record(knalle, draft(colleagues=("UNEW",)), "UPIA")
    assert saved.participants == ("UPIA", "UNEW")  # before `staff sync`, mentions are trusted


def test_a_double_submit_stores_one_visit(knalle: Knalle, clock: FixedClock) -> None:
    line = draft(raw_text="Ellos AB igår", notes="")
    first = units.record(knalle, line, "UPIA")
    clock.advance(dt.timedelta(seconds=3))
    second = units.record(knalle, line, "UPIA")
    assert second.duplicate and second.id == first.id
    assert counts(knalle) == (1, 1)
    # Another person, or the same line a minute later, is a visit of its own.
    other = units.record(knalle, line, "UOLA")
    clock.advance(dt.timedelta(minutes=1))
    later = units.record(knalle, line, "UPIA")
    assert not other.duplicate and not later.duplicate
    assert counts(knalle) == (3, 1)


def test_a_double_submit_claims_one_key_even_past_the_content_check(
    knalle: Knalle, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two requests racing both pass the "stored a moment ago?" look-up: the unique key decides.
    monkeypatch.setattr(visit_queries, "same_visit_since", lambda *args: None)
    line = draft(raw_text="Ellos AB igår")
    first = units.record(knalle, line, "UPIA")
    second = units.record(knalle, line, "UPIA")
    assert second.duplicate and second.id == first.id and counts(knalle) == (1, 1)


def test_today_is_taken_and_tomorrow_is_refused_as_every_future_day(knalle: Knalle) -> None:
    units.record(knalle, draft(visit_date=TODAY), "UPIA")
    for ahead in (1, 2):
        with pytest.raises(InvalidDate) as raised:
            units.record(knalle, draft(visit_date=TODAY + dt.timedelta(days=ahead)), "UOLA")
        assert "framtiden" in raised.value.message and "igår" in raised.value.message
    assert counts(knalle) == (1, 1)


def test_a_date_years_back_is_taken_for_a_typo(knalle: Knalle) -> None:
    units.record(knalle, draft(visit_date=dt.date(TODAY.year - 5, 1, 1)), "UPIA")
    with pytest.raises(InvalidDate) as raised:
        units.record(knalle, draft(visit_date=dt.date(1026, 2, 3)), "UOLA")
    assert "1026-02-03" in raised.value.message and "Kontrollera året" in raised.value.message
    assert counts(knalle) == (1, 1)


@pytest.mark.parametrize("company", ["", "  ", "–"])
def test_an_empty_company_stores_nothing(knalle: Knalle, company: str) -> None:
    with pytest.raises(InvalidInput, match="Företagsnamnet saknas"):
        units.record(knalle, draft(company=company), "UPIA")
    assert counts(knalle) == (0, 0)


def test_a_mention_of_someone_outside_the_unit_is_refused(team: Knalle) -> None:
    with pytest.raises(VisitFieldError) as raised:
        units.record(team, draft(colleagues=("UOLA", "USTRANGER")), "UPIA")
    assert raised.value.field == visits.FIELD_COLLEAGUES
    assert "<@USTRANGER> finns inte i Knalles personallista" in raised.value.message
    assert counts(team) == (0, 0)  # not even the company


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("kalle", "Jag känner inte till @kalle"),
        ("anna", "kan vara flera personer (Anna B, Anna M)"),
        ("anna b", "inte kopplad till ett Slack-konto"),
    ],
)
def test_a_typed_name_must_be_one_linked_colleague(team: Knalle, name: str, says: str) -> None:
    with pytest.raises(VisitFieldError, match=re.escape(says)):
        units.record(team, draft(colleague_names=(name,)), "UPIA")
    assert counts(team) == (0, 0)


def test_a_typed_first_name_finds_the_colleague(team: Knalle) -> None:
    saved = units.record(team, draft(colleague_names=("ola",)), "UPIA")
    assert saved.participants == ("UPIA", "UOLA")


def test_too_long_text_and_notes_are_refused(knalle: Knalle) -> None:
    with pytest.raises(InvalidInput, match="för lång för Slack") as raised:
        visits.draft_from_text("Ellos AB igår, " + "x" * 2000, TODAY)
    assert "högst 1900" in raised.value.message
    with pytest.raises(VisitFieldError, match="Anteckningen är för lång"):
        units.record(knalle, draft(notes="x" * 3000), "UPIA")
    with pytest.raises(VisitFieldError, match="övriga deltagare"):
        units.record(knalle, draft(others=tuple(f"P{i}" for i in range(25))), "UPIA")
    assert counts(knalle) == (0, 0)


def test_an_empty_line_says_how_to_write_one() -> None:
    with pytest.raises(InvalidInput, match="/besök Ellos AB igår"):
        visits.draft_from_text("   ", TODAY)


def test_a_follow_up_in_the_past_is_refused(knalle: Knalle) -> None:
    with pytest.raises(VisitFieldError, match="redan passerat"):
        units.record(knalle, draft(follow_up_on=TODAY - dt.timedelta(days=1)), "UPIA")
    assert counts(knalle) == (0, 0)


def test_the_modal_check_lists_every_problem_at_once(team: Knalle) -> None:
    problems = units.problems_with(
        team,
        draft(company="", visit_date=TODAY + dt.timedelta(days=9), colleagues=("UX",)),
        "UPIA",
    )
    assert set(problems) == {"company", "date", "colleagues"}
    assert counts(team) == (0, 0)


def test_an_unsure_company_stores_nothing_until_the_user_chooses(knalle: Knalle) -> None:
    units.record(knalle, draft(company="Ellos AB"), "UPIA")
    with pytest.raises(UnsureCompany) as raised:
        units.record(knalle, draft(company="Elos", notes="ny"), "UOLA")
    assert counts(knalle) == (1, 1)
    choice = raised.value.choices[0]
    assert choice.name == "Ellos AB"
    saved = units.record(
        knalle, draft(company="Elos", notes="ny"), "UOLA", company=choice.company_id
    )
    assert saved.company == "Ellos AB"
    new = units.record(knalle, draft(company="Elos", notes="annan"), "UOLA", company="new")
    assert new.company == "Elos" and counts(knalle) == (3, 2)


def test_the_author_and_admins_may_edit_and_others_may_not(team: Knalle) -> None:
    saved = units.record(team, draft(colleagues=("UOLA",)), "UPIA")
    with pytest.raises(NotAllowed) as raised:
        units.edit(team, saved.id, "UOLA", draft(notes="mitt"))
    assert "Bara den som loggade ett besök, eller en admin" in raised.value.message
    with pytest.raises(NotAllowed):
        units.get_for_edit(team, saved.id, "UOLA")
    changed = units.edit(
        team, saved.id, "UPIA", draft(company="Textile Fashion Center", colleagues=("UANNAM",))
    )
    assert changed.company == "Textile Fashion Center"
    assert changed.participants == ("UPIA", "UANNAM")  # Ola dropped, the author kept
    by_admin = units.edit(team, saved.id, "UADMIN", draft(notes="rättat av admin"))
    assert by_admin.notes == "rättat av admin" and by_admin.author_id == "UPIA"
    assert units.get_for_edit(team, saved.id, "UPIA").notes == "rättat av admin"


def test_an_admin_from_the_directory_may_edit(team: Knalle) -> None:
    with team.db.write() as session:
        session.add(
            Staff(name="Chef", slack_user_id="UCHEF", is_admin=True, created_at=team.clock.now())
        )
    saved = units.record(team, draft(), "UPIA")
    assert units.edit(team, saved.id, "UCHEF", draft(notes="ok")).notes == "ok"


def test_undo_hides_a_visit_for_its_author_or_an_admin_only(team: Knalle) -> None:
    saved = units.record(team, draft(), "UPIA")
    with pytest.raises(NotAllowed, match="loggades av <@UPIA>"):
        units.undo(team, saved.id, "UOLA")
    assert counts(team)[0] == 1
    units.undo(team, saved.id, "UPIA")
    assert counts(team)[0] == 0
    with team.db.read() as session:
        hidden = session.get(Visit, saved.id)
        assert hidden is not None and hidden.deleted_at is not None  # kept, not deleted
    with pytest.raises(NotFound, match="redan vara ångrat"):
        units.undo(team, saved.id, "UPIA")
    with pytest.raises(NotFound):
        units.edit(team, saved.id, "UPIA", draft())
    other = units.record(team, draft(company="Borås Tidning"), "UOLA")
    units.undo(team, other.id, "UADMIN")
    assert counts(team)[0] == 0


def test_undo_latest_takes_the_authors_newest(knalle: Knalle, clock: FixedClock) -> None:
    units.record(knalle, draft(company="Ellos"), "UPIA")
    clock.advance(dt.timedelta(minutes=5))
    second = units.record(knalle, draft(company="Borås Tidning"), "UPIA")
    units.record(knalle, draft(company="Nudie Jeans"), "UOLA")
    assert units.undo_latest(knalle, "UPIA").id == second.id
    with pytest.raises(NotFound, match="inget besök att ångra"):
        units.undo_latest(knalle, "UNOBODY")


def test_lists_by_scope(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        ellos = make.company(session, "Ellos AB")
        make.visit(session, ellos, dt.date(2026, 11, 23), author="UPIA")  # this week
        make.visit(session, ellos, dt.date(2026, 11, 20), author="UOLA")  # last week
        make.visit(session, ellos, dt.date(2026, 10, 2), author="UPIA")  # last month
        make.visit(session, ellos, dt.date(2025, 12, 30), author="UPIA")  # last year
    mine = units.list_visits(knalle, "UPIA", "mina")
    assert [v.visit_date.month for v in mine.visits] == [11, 10, 12]
    assert [
        len(units.list_visits(knalle, "UPIA", s).visits) for s in ("vecka", "månad", "år")
    ] == [
        1,
        2,
        3,
    ]
    week = units.list_visits(knalle, "UPIA", "veckan")
    assert (week.start, week.end) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert units.list_visits(knalle, "UPIA").scope == "mina"
    with pytest.raises(InvalidInput, match="/besök lista vecka"):
        units.list_visits(knalle, "UPIA", "igår")


def test_search_finds_company_notes_others_and_people(team: Knalle) -> None:
    units.record(team, draft(company="Åhléns", notes="pratade Kompetens"), "UPIA")
    units.record(
        team,
        draft(company="Ellos AB", others=("KSO Annette Carlson",), colleagues=("UOLA",)),
        "UPIA",
    )
    units.record(team, draft(company="Nudie Jeans", notes="export"), "UANNAM")

    def companies_for(text: str) -> list[str]:
        return [v.company for v in units.search(team, text)]

    assert companies_for("ÅHLÉNS") == ["Åhléns"]  # Swedish case folding, not ASCII only
    assert companies_for("kompetens") == ["Åhléns"]
    assert companies_for("annette") == ["Ellos AB"]
    assert companies_for("ola") == ["Ellos AB"]
    assert companies_for("<@UANNAM|anna>") == ["Nudie Jeans"]
    assert companies_for("pia ellos") == ["Ellos AB"]  # every word must match
    assert companies_for("volvo") == []
    with pytest.raises(InvalidInput, match="/besök sök Ellos"):
        units.search(team, "  ")


def test_company_history_gathers_every_spelling(knalle: Knalle, clock: FixedClock) -> None:
    units.record(knalle, draft(company="ELLOS GROUP AB", visit_date=dt.date(2026, 3, 3)), "UPIA")
    units.record(knalle, draft(company="Ellos", visit_date=dt.date(2026, 11, 2)), "UOLA")
    units.record(knalle, draft(company="Nudie Jeans"), "UOLA")
    history = units.company_history(knalle, "ellos ab")
    assert history.name == "ELLOS GROUP AB"
    assert [v.visit_date for v in history.visits] == [dt.date(2026, 11, 2), dt.date(2026, 3, 3)]
    assert units.company_history(knalle, "Elos").name == "ELLOS GROUP AB"  # one close match
    with pytest.raises(NotFound, match="finns inte i företagsregistret"):
        units.company_history(knalle, "Volvo Cars")
    with pytest.raises(InvalidInput, match="/besök företag Ellos"):
        units.company_history(knalle, " ")


def test_statistics_against_the_yearly_target(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        ellos = make.company(session, "Ellos AB", "Handel och logistik")
        tfc = make.company(session, "Textile Fashion Center", "Textil/mode/design")
        for day in (dt.date(2026, 1, 12), dt.date(2026, 1, 20), dt.date(2026, 11, 2)):
            make.visit(session, ellos, day)
        make.visit(session, tfc, dt.date(2026, 6, 1))
        make.visit(session, tfc, dt.date(2025, 6, 1))
    stats = units.statistics(knalle)
    assert (stats.year, stats.total, stats.target) == (2026, 4, 150)
    assert stats.by_month[1] == 2 and stats.by_month[11] == 1 and stats.by_month[12] == 0
    assert stats.by_cluster == {"Handel och logistik": 3, "Textil/mode/design": 1}
    assert stats.expected == round(150 * 328 / 365)  # 24 November is day 328
    last = units.statistics(knalle, "2025")
    assert (last.total, last.through, last.expected) == (1, dt.date(2025, 12, 31), 150)
    with pytest.raises(InvalidInput, match="fyra siffror"):
        units.statistics(knalle, "förra")
    with pytest.raises(InvalidInput, match="har inte börjat"):
        units.statistics(knalle, "2027")
