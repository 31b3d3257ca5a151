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


def seed_export_world(knalle: Knalle) -> None:
    """Visits as the export meets them: several a day (ties on the date), undone ones among
    them, participants and themes (some removed by a person), others, sources and companies
    with and without org nr and cluster."""
    from storage.models import VisitTheme

    with knalle.db.write() as session:
        ellos = make.company(session, "Ellos AB", cluster="Handel och logistik")
        ellos.org_number = "556000-1234"
        bageri = make.company(session, "Maj's Bageri")
        for n in range(23):
            day = dt.date(2025, 12, 30) + dt.timedelta(days=n // 3)
            visit = make.visit(
                session,
                (ellos, bageri)[n % 2],
                day,
                author=("UPIA", "UOLA", "UEVA")[n % 3],
                participants=(("UOLA", "UOTHER"), (), ("UPIA",))[n % 3],
                notes=f"besök {n}\nrad två" if n % 4 else "",
                deleted=n in (4, 5, 17),
            )
            visit.others = (["KSO", "Annette ”Kalle” Carlson"], [], ["KSO"])[n % 3]
            visit.created_at = dt.datetime(2026, 3, 29, 0, 30, 5, 120, tzinfo=dt.UTC) + (
                dt.timedelta(minutes=37 * n)
            )
            if n % 5 == 0:
                visit.source, visit.source_channel = "channel", "CBESOK"
                visit.source_ts, visit.permalink = f"1700000000.{n:06d}", f"https://x/{n}"
            for m, theme in enumerate(("kompetens", "lokaler", "export")[: n % 4]):
                session.add(
                    VisitTheme(
                        visit_id=visit.id,
                        theme=theme,
                        set_by="lista",
                        applies=m != 1 or n % 2 == 0,
                        set_at=visit.created_at,
                    )
                )


def export_by_objects(knalle: Knalle, year: int | None) -> list[visits.ExportRow]:
    """The export's rows read the slow way: every visit as an ORM object with its relations."""
    with knalle.db.read() as session:
        return [
            visits.ExportRow(
                v.id,
                v.visit_date,
                v.company.name,
                tuple(p.slack_user_id for p in v.participants),
                tuple(v.others),
                v.form,
                v.notes,
                v.author_id,
                v.created_at,
                v.source,
                v.source_channel,
                v.source_ts,
                v.permalink,
                org_number=v.company.org_number,
                cluster=v.company.cluster,
                themes=tuple(t.theme for t in v.themes if t.applies),
            )
            for v in visits.visits_for_export(session, year)
        ]


@pytest.mark.parametrize("batch", [1, 2, 3, 7, 2000])
def test_the_export_stream_is_what_the_objects_say_in_any_batch_size(
    knalle: Knalle, batch: int
) -> None:
    """Plain tuples, batches bounded by (date, id), `others` decoded once per text: the same
    rows, in the same order, as reading every visit as an object."""
    seed_export_world(knalle)
    whole = (dt.date(1900, 1, 1), dt.date(9999, 12, 31))
    counts = []
    for year, (start, end) in ((None, whole), (2026, (dt.date(2026, 1, 1), dt.date(2026, 12, 31)))):
        expected = export_by_objects(knalle, year)
        counts.append(len(expected))
        with knalle.db.read() as session:
            streamed = list(visits.export_stream(session, start, end, batch))
            rows = list(visits.export_rows(session, start, end, batch))
        assert streamed == [tuple(row) for row in expected]
        assert rows == expected
        assert all(type(row) is tuple for row in streamed)
    assert counts == [20, 16] and {row.themes for row in expected} >= {(), ("kompetens",)}
    assert ("kompetens", "export") in {row.themes for row in expected}  # a removed one left out
