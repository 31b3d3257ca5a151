"""Search runs in the database (FTS5 trigram on SQLite, pg_trgm on PostgreSQL) and answers as
the old walk over every visit did: every word a substring of the folded text, newest first."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import pytest
from sqlalchemy import Select, select, text
from sqlalchemy.orm import selectinload

from bot.context import Knalle
from bot.core.text.mrkdwn import MENTION
from bot.core.visits import actions as visits
from bot.core.visits.actions import VisitDraft
from storage import visit_search
from storage.db import make_engine, upgrade
from storage.models import Staff, Visit
from tests import units
from tests.storage import factories as make

DAY = dt.date(2026, 11, 2)


def found(knalle: Knalle, query: str) -> list[str]:
    return [f"{v.company}: {v.notes}" for v in units.search(knalle, query)]


@pytest.fixture
def seeded(knalle: Knalle) -> Knalle:
    with knalle.db.write() as session:
        session.add(Staff(name="Pia", slack_user_id="UPIA", created_at=knalle.clock.now()))
        session.add(Staff(name="Örjan", slack_user_id="UORJ", created_at=knalle.clock.now()))
        ahlens = make.company(session, "Åhléns")
        gata = make.company(session, "Storgatan Bygg")
        make.visit(session, ahlens, DAY, notes="Kompetensförsörjning inom lager")
        second = make.visit(session, gata, DAY + dt.timedelta(1), author="UORJ", notes="Straße")
        second.others = ["KSO Annette Carlson"]
        make.visit(session, gata, DAY + dt.timedelta(2), notes="ångrad kompetens", deleted=True)
    return knalle


def test_a_word_matches_inside_compounds_and_folds_swedish_letters(seeded: Knalle) -> None:
    assert found(seeded, "kompetens") == ["Åhléns: Kompetensförsörjning inom lager"]
    assert found(seeded, "FÖRSÖRJNING") == ["Åhléns: Kompetensförsörjning inom lager"]
    assert found(seeded, "åhlén") == ["Åhléns: Kompetensförsörjning inom lager"]
    assert found(seeded, "STRASSE") == ["Storgatan Bygg: Straße"]  # casefold: ß is ss
    assert found(seeded, "annette") == ["Storgatan Bygg: Straße"]  # set after the insert


def test_short_words_people_and_mentions(seeded: Knalle) -> None:
    assert found(seeded, "åh") == ["Åhléns: Kompetensförsörjning inom lager"]  # under 3 letters
    assert found(seeded, "ÖRJAN") == ["Storgatan Bygg: Straße"]  # a staff name present
    assert found(seeded, "uorj") == ["Storgatan Bygg: Straße"]  # a Slack id
    assert found(seeded, "<@UPIA> lager") == ["Åhléns: Kompetensförsörjning inom lager"]
    assert found(seeded, "<@UORJ> lager") == []
    assert found(seeded, "a") == [
        "Storgatan Bygg: Straße",
        "Åhléns: Kompetensförsörjning inom lager",
    ]  # newest first
    assert found(seeded, "ångrad") == []  # undone visits are not found
    assert found(seeded, "100%") == [] and found(seeded, 'x"y') == []


def test_edits_and_renames_reach_the_index(seeded: Knalle) -> None:
    with seeded.db.write() as session:
        visit = session.scalars(select_visit("Kompetensförsörjning inom lager")).one()
        visit.notes = "Exportrådgivning"
        visit.company.name = "Ellos AB"
    assert found(seeded, "kompetens") == []
    assert found(seeded, "exportråd") == ["Ellos AB: Exportrådgivning"]
    assert found(seeded, "ellos") == ["Ellos AB: Exportrådgivning"]
    saved = units.record(seeded, VisitDraft(company="Nudie Jeans", visit_date=DAY), "UPIA")
    assert [v.id for v in units.search(seeded, "nudie")] == [saved.id]


def test_at_most_thirty_newest_first(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        ellos = make.company(session, "Ellos AB")
        for day in range(40):
            make.visit(session, ellos, DAY - dt.timedelta(days=day), notes=f"besök {day}")
    result = units.search(knalle, "besök")
    assert len(result) == visits.SEARCH_LIMIT
    assert [v.notes for v in result[:2]] == ["besök 0", "besök 1"]
    assert result[-1].notes == "besök 29"


def test_migration_fills_the_text_of_visits_stored_before_it(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine, "0005")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO companies (id, name, match_key, created_at) "
                "VALUES (1, 'Åhléns AB', 'åhléns', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO visits (id, company_id, visit_date, form, notes, others, author_id,"
                " raw_text, created_at, updated_at) VALUES (1, 1, '2026-03-03', 'på plats',"
                " 'Kompetens', '[\"KSO\"]', 'UPIA', '', '2026-01-01 00:00:00',"
                " '2026-01-01 00:00:00')"
            )
        )
    upgrade(engine)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT search_text FROM visits")).scalar()
        hits = connection.execute(
            text("SELECT rowid FROM visits_fts WHERE visits_fts MATCH '\"kso\"'")
        ).all()
    assert stored == "åhléns ab åhléns kompetens kso upia"
    assert hits == [(1,)]
    engine.dispose()


def test_lost_triggers_are_put_back_at_start(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TRIGGER visits_fts_ai"))
    visit_search.ensure_index(engine)
    with engine.connect() as connection:
        names = set(connection.execute(text("SELECT name FROM sqlite_master")).scalars())
    assert {"visits_fts_ai", "visits_fts_ad", "visits_fts_au"} <= names
    engine.dispose()


def select_visit(notes: str) -> Select[Visit]:
    return select(Visit).where(Visit.notes == notes)


def test_merged_and_renamed_companies_are_searched_by_their_new_name(seeded: Knalle) -> None:
    from bot.core.companies import register as companies

    now = seeded.clock.now()
    with seeded.db.write() as session:
        companies.merge(session, "Storgatan Bygg", "Åhléns", now)
    assert found(seeded, "åhléns") == [
        "Åhléns: Straße",
        "Åhléns: Kompetensförsörjning inom lager",
    ]
    assert found(seeded, "storgatan") == []
    with seeded.db.write() as session:
        companies.rename(session, "Åhléns", "Åhléns City", now)
    assert len(found(seeded, "city")) == 2


# -- the two ways of answering agree with walking every visit --------------------------------

WORDS = ("kompetens", "export", "lager", "rekrytering", "textil", "ab", "å", "el")
PEOPLE = {"UPIA": "Pia", "UORJ": "Örjan", "UANNA": "Anna", "UANB": "Annika"}


@pytest.fixture
def crowded(knalle: Knalle) -> Knalle:
    """400 visits over 50 days (many on one day, so dates tie), some undone, with notes of
    common and rare words and several people present."""
    rng = random.Random(15)
    with knalle.db.write() as session:
        for slack_id, name in PEOPLE.items():
            session.add(Staff(name=name, slack_user_id=slack_id, created_at=knalle.clock.now()))
        places = [make.company(session, name) for name in ("Åhléns", "Elektro AB", "Textil Lab")]
        for n in range(400):
            common = "kompetens" if n % 4 else "export"
            rare = rng.choice(WORDS) if n % 9 == 0 else ""
            if n % 11 == 0:  # a Slack id in the notes names nobody present
                rare += " hälsa uanna"
            author, *others = rng.sample(sorted(PEOPLE), rng.choice((1, 1, 2, 3)))
            make.visit(
                session,
                rng.choice(places),
                DAY - dt.timedelta(days=rng.randrange(50)),
                author=author,
                participants=tuple(others),
                notes=f"{common} {rare}",
                deleted=n % 23 == 0,
            )
    return knalle


@dataclass(frozen=True)
class Seen:
    """A live visit as the old walk saw it."""

    id: int
    day: dt.date
    text: str
    present: frozenset[str]


def live_visits(knalle: Knalle) -> tuple[list[Seen], dict[str, str]]:
    with knalle.db.read() as session:
        staff = {m.slack_user_id: m.name.casefold() for m in session.scalars(select(Staff))}
        rows = session.scalars(
            select(Visit)
            .where(Visit.deleted_at.is_(None))
            .options(selectinload(Visit.participants))
        )
        seen = [
            Seen(
                v.id,
                v.visit_date,
                v.search_text or "",
                frozenset({v.author_id, *(p.slack_user_id for p in v.participants)}),
            )
            for v in rows
        ]
    return seen, {k: v for k, v in staff.items() if k}


def walked(seen: list[Seen], staff: dict[str, str], query: str, limit: int) -> list[int]:
    """The answer found the old way: every live visit checked in Python, newest first."""
    mentioned = set(MENTION.findall(query))
    words = [w.casefold() for w in MENTION.sub(" ", query).split()]
    found = [
        v
        for v in seen
        if mentioned <= v.present
        and all(w in v.text or any(w in staff.get(p, "") for p in v.present) for w in words)
    ]
    found.sort(key=lambda v: (v.day, v.id), reverse=True)
    return [v.id for v in found[:limit]]


QUERIES = (
    "kompetens",
    "export",
    "rekrytering",
    "kompetens textil",
    "pia",
    "pia kompetens",
    "anna export",
    "örjan lager",
    "<@UORJ> kompetens",
    "<@UPIA> <@UANNA>",
    "el",
    "å ab",
    "åhléns kompetens pia",
    "volvo",
)
WAYS = [
    (visit_search.PROBE, visit_search.RECENT_WINDOW, visit_search.RECENT_REACH),
    (0, 1, 10_000),  # always the newest visits first, from a window of one
    (0, 7, 40),  # a short second look, often not enough: then the index
    (0, 60, 10_000),
    (10**9, 60, 10_000),  # always the index
]


def test_both_ways_answer_as_walking_every_visit(
    crowded: Knalle, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen, staff = live_visits(crowded)
    assert walked(seen, staff, "kompetens", 400) and walked(seen, staff, "pia kompetens", 5)
    assert not walked(seen, staff, "volvo", 400)
    for probe, window, reach in WAYS:
        monkeypatch.setattr(visit_search, "PROBE", probe)
        monkeypatch.setattr(visit_search, "RECENT_WINDOW", window)
        monkeypatch.setattr(visit_search, "RECENT_REACH", reach)
        for query in QUERIES:
            got = [v.id for v in units.search(crowded, query)]
            assert got == walked(seen, staff, query, visits.SEARCH_LIMIT), (query, window)
            with crowded.db.read() as session:
                members = [m for m in session.scalars(select(Staff)) if m.slack_user_id]
                words = [
                    (w, [str(m.slack_user_id) for m in members if w in m.name.casefold()])
                    for w in (w.casefold() for w in MENTION.sub(" ", query).split())
                ]
                for limit in (1, 5, 400):
                    ids = visit_search.matching_visit_ids(
                        session, words, set(MENTION.findall(query)), limit
                    )
                    assert ids == walked(seen, staff, query, limit), (query, limit, window)


def test_a_second_look_of_at_least_one_visit_when_the_first_nearly_filled_the_answer(
    knalle: Knalle, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One visit's window reaches all 29 of the newest day: the rate asks for under one more.
    monkeypatch.setattr(visit_search, "PROBE", 0)
    monkeypatch.setattr(visit_search, "RECENT_WINDOW", 1)
    with knalle.db.write() as session:
        ellos = make.company(session, "Ellos AB")
        for n in range(29):
            make.visit(session, ellos, DAY, notes=f"besök {n}")
        for day in range(1, 4):
            make.visit(session, ellos, DAY - dt.timedelta(days=day), notes=f"besök äldre {day}")
    result = units.search(knalle, "besök")
    assert len(result) == visits.SEARCH_LIMIT
    assert result[-1].notes == "besök äldre 1"
