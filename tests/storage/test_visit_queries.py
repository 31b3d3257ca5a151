"""Visit queries the visits surface adds: a user's recent visits (the Home tab uses it)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.context import Knalle
from storage import visits
from tests.storage import factories as make


def test_recent_visits_of_a_user_newest_first_without_undone(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        ellos = make.company(session, "Ellos AB")
        tfc = make.company(session, "Textile Fashion Center")
        make.visit(session, ellos, dt.date(2026, 11, 2), author="UPIA")
        make.visit(session, tfc, dt.date(2026, 11, 10), author="UOLA", participants=("UPIA",))
        make.visit(session, tfc, dt.date(2026, 11, 12), author="UPIA", deleted=True)
        make.visit(session, ellos, dt.date(2026, 11, 20), author="UOLA")
        for day in range(3, 8):
            make.visit(session, ellos, dt.date(2026, 10, day), author="UPIA")
    with knalle.db.read() as session:
        mine = visits.recent_visits_of(session, "UPIA")
        assert [v.visit_date for v in mine] == [
            dt.date(2026, 11, 10),
            dt.date(2026, 11, 2),
            dt.date(2026, 10, 7),
            dt.date(2026, 10, 6),
            dt.date(2026, 10, 5),
        ]
        assert mine[0].company.name == "Textile Fashion Center"
        assert len(visits.recent_visits_of(session, "UPIA", limit=2)) == 2
        assert visits.recent_visits_of(session, "UNOBODY") == []


def test_recent_visits_are_the_same_whether_the_newest_window_holds_them_or_not(
    knalle: Knalle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window of newest visits is only a shortcut: found there, or after it (a user who
    seldom visits, a window smaller than the answer), the visits and their order agree."""
    with knalle.db.write() as session:
        ellos = make.company(session, "Ellos AB")
        for n in range(40):
            day = dt.date(2026, 1, 1) + dt.timedelta(days=n // 2)  # two visits a day: ties
            author = ("UPIA", "UOLA", "UEVA")[n % 3]
            present = ("UPIA",) if n % 7 == 0 and author != "UPIA" else ()
            make.visit(session, ellos, day, author=author, participants=present, deleted=n == 39)
    def ids(user: str, limit: int) -> list[int]:
        with knalle.db.read() as session:
            return [v.id for v in visits.recent_visits_of(session, user, limit=limit)]

    people = ("UPIA", "UOLA", "UEVA", "UNOBODY")
    whole = {(user, limit): ids(user, limit) for user in people for limit in (1, 5, 30)}
    for window in (1, 4, 12):
        monkeypatch.setattr(visits, "RECENT_WINDOW", window)
        assert {(user, limit): ids(user, limit) for user in people for limit in (1, 5, 30)} == whole
    assert len(whole[("UPIA", 5)]) == 5 and whole[("UNOBODY", 5)] == []


def test_visits_for_export_by_year_oldest_first(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        ellos = make.company(session, "Ellos AB")
        make.visit(session, ellos, dt.date(2026, 11, 2), participants=("UOLA",))
        make.visit(session, ellos, dt.date(2026, 3, 2))
        make.visit(session, ellos, dt.date(2026, 5, 2), deleted=True)
        make.visit(session, ellos, dt.date(2025, 12, 31))
    with knalle.db.read() as session:
        rows = visits.visits_for_export(session, 2026)
        assert [v.visit_date.month for v in rows] == [3, 11]
        assert [p.slack_user_id for p in rows[1].participants] == ["UPIA", "UOLA"]
        assert rows[0].company.name == "Ellos AB"
        assert len(visits.visits_for_export(session)) == 3
