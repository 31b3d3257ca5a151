"""Backfill's review file and `knalle import visits`: check every row, store the ja rows once."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli.backfill import import_visits, review_table
from bot.context import Knalle
from bot.core.export import visits_table
from bot.core.visits import actions as visits
from bot.core.visits.history_import import REVIEW_HEADER, ChannelMessage
from bot.errors import InvalidInput
from bot.files.tables import csv_text, write_xlsx_to
from storage.models import Company, Staff, Visit
from tests import units

CHANNEL = "C0BESOK"
# 12 March 2026 10:00 Stockholm (a Thursday) and the days before.
THURSDAY = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC).timestamp()


def msg(n: int, text: str, user: str = "UPIA", days_back: int = 0) -> ChannelMessage:
    ts = f"{THURSDAY - days_back * 86400 + n:.6f}"
    return ChannelMessage(CHANNEL, ts, user, text, f"https://x.slack.com/archives/{CHANNEL}/p{n}")


MESSAGES = [
    msg(1, "Besökte Ellos AB igår med <@UOLA>, pratade lokaler"),
    msg(2, "Tack för idag!"),
    msg(3, "Var hos Hemtex i tisdags", user="UOLA", days_back=7),
    msg(4, "Vem har numret till Lindex?"),
    msg(5, "Besök hos Elos idag"),  # close to Ellos AB once that is in the register
    msg(6, "Företagsbesök hos Borås Wäfveri, digitalt"),
]


@pytest.fixture
def team(knalle: Knalle) -> Knalle:
    with knalle.db.write() as session:
        for name, user in (("Pia", "UPIA"), ("Ola", "UOLA")):
            session.add(Staff(name=name, slack_user_id=user, created_at=knalle.clock.now()))
    return knalle


def review(knalle: Knalle, messages: list[ChannelMessage]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_text(review_table(knalle, messages)))))


def write(path: Path, rows: list[dict[str, str]], header: tuple[str, ...] = REVIEW_HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(header))
        writer.writeheader()
        writer.writerows(rows)
    return path


def count(knalle: Knalle) -> int:
    with knalle.db.read() as session:
        return int(session.scalar(select(func.count(Visit.id))) or 0)


def test_the_review_file_reads_every_message(team: Knalle) -> None:
    units.record(team, visits.VisitDraft("Ellos AB", dt.date(2026, 3, 1)), "UPIA")
    rows = review(team, MESSAGES)
    assert [r["importera"] for r in rows] == ["ja", "nej", "ja", "nej", "nej", "ja"]
    first = rows[0]
    assert first["företag"] == "Ellos AB" and first["datum"] == "2026-03-11"
    assert first["personal"] == "Pia (UPIA), Ola (UOLA)" and first["författare"] == "Pia (UPIA)"
    assert first["anteckningar"] == "pratade lokaler" and first["form"] == "på plats"
    assert first["skriven"] == "2026-03-12 10:00" and first["ts"] == MESSAGES[0].ts
    assert first["kanal"] == CHANNEL and first["länk"].endswith("/p1")
    assert rows[1]["orsak"] == "ett tack" and rows[3]["orsak"] == "en fråga"
    assert rows[2]["datum"] == "2026-03-03"  # "i tisdags" from the day it was posted
    assert "osäkert företag" in rows[4]["orsak"] and "Ellos AB" in rows[4]["orsak"]
    assert rows[5]["orsak"] == "nytt företag i registret" and rows[5]["form"] == "digitalt"


def test_import_stores_the_ja_rows_once_and_a_rerun_stores_nothing(
    team: Knalle, tmp_path: Path
) -> None:
    # An empty register: "Elos" is simply a new company, so four rows are ja.
    path = write(tmp_path / "granska.csv", review(team, MESSAGES))
    result = import_visits(team, path)
    assert (result.stored, result.already, result.not_marked, result.error_count) == (4, 0, 2, 0)
    with team.db.read() as session:
        stored = list(session.scalars(select(Visit).order_by(Visit.id)))
        assert [v.company.name for v in stored] == ["Ellos AB", "Hemtex", "Elos", "Borås Wäfveri"]
        assert {v.source for v in stored} == {"import"}
        assert stored[0].source_channel == CHANNEL and stored[0].source_ts == MESSAGES[0].ts
        assert [p.slack_user_id for p in stored[0].participants] == ["UPIA", "UOLA"]
        assert stored[1].author_id == "UOLA"
    again = import_visits(team, path)
    assert (again.stored, again.already) == (0, 4) and count(team) == 4
    # And backfill again now marks them as already saved.
    assert review(team, MESSAGES)[0]["orsak"] == "redan sparat som besök"


def test_a_row_in_error_stops_everything_unless_skip_bad(team: Knalle, tmp_path: Path) -> None:
    rows = review(team, MESSAGES)
    rows[0]["datum"] = "11 mars"
    rows[2]["form"] = "telefon?"
    rows[3]["importera"] = "kanske"
    rows[5]["personal"] = "Pia (UPIA), Okänd Person"
    path = write(tmp_path / "granska.csv", rows)
    result = import_visits(team, path)
    assert not result.checked and result.stored == 0 and count(team) == 0
    shown = [str(e) for e in result.errors]
    assert shown == [
        'Rad 2, kolumn datum: "11 mars" är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-03-12.',
        'Rad 4, kolumn form: "telefon?" är ingen form; skriv "på plats" eller "digitalt".',
        'Rad 5, kolumn importera: "kanske": skriv ja eller nej.',
        'Rad 7, kolumn personal: "Okänd Person" finns inte i personallistan. Skriv "Namn '
        '(Slack-id)" som i exporten, eller kör `knalle staff sync` först.',
    ]
    skipped = import_visits(team, path, skip_bad=True)
    assert skipped.stored == 1 and skipped.error_count == 4  # only "Elos" was good
    rows[0]["datum"] = "2026-03-11"
    write(path, rows)
    fixed = import_visits(team, path, skip_bad=True)
    assert (fixed.stored, fixed.already) == (1, 1) and count(team) == 2


def test_a_colleague_not_on_the_staff_list_is_an_error_before_anything_is_stored(
    team: Knalle, tmp_path: Path
) -> None:
    rows = review(team, MESSAGES)
    rows[5]["personal"] = "Pia (UPIA), UOKAND"
    result = import_visits(team, write(tmp_path / "g.csv", rows))
    assert not result.checked and count(team) == 0
    assert [(e.row, e.column) for e in result.errors] == [(7, "personal")]


def test_an_unsure_company_marked_ja_becomes_a_new_company(team: Knalle, tmp_path: Path) -> None:
    units.record(team, visits.VisitDraft("Ellos AB", dt.date(2026, 3, 1)), "UPIA")
    rows = review(team, MESSAGES)
    rows[4]["importera"] = "ja"  # the reviewer says: Elos is its own company
    import_visits(team, write(tmp_path / "g.csv", rows))
    with team.db.read() as session:
        names = set(session.scalars(select(Company.name)))
    assert {"Ellos AB", "Elos"} <= names


def test_an_export_file_comes_back_in_once(team: Knalle, tmp_path: Path) -> None:
    units.record(team, visits.VisitDraft("Ellos AB", dt.date(2026, 3, 1), ("UOLA",)), "UPIA")
    with team.db.read() as session:
        exported = csv_text(visits_table(session, team.settings.zone))
    rows = list(csv.DictReader(io.StringIO(exported)))
    header = tuple(rows[0])
    # A list kept in Excel before Knalle: the export's columns, no message behind the rows.
    old = {name: "" for name in header}
    old.update(
        {"datum": "2022-05-03", "företag": "Borås Djurpark", "personal": "Ola", "form": "digitalt"}
    )
    path = write(tmp_path / "export.csv", [*rows, old], header)
    first = import_visits(team, path)
    # The exported visit has no message to key it by, but it matches the visit it was exported
    # from, so only the old list's row is stored; a rerun stores nothing.
    assert (first.stored, first.already, first.error_count) == (1, 1, 0)
    assert count(team) == 2
    again = import_visits(team, path)
    assert (again.stored, again.already) == (0, 2)
    assert count(team) == 2
    with team.db.read() as session:
        djurpark = session.scalars(
            select(Visit).join(Company).where(Company.name == "Borås Djurpark")
        ).one()
        assert djurpark.author_id == "UOLA" and djurpark.form == "digitalt"


def test_an_export_imported_into_its_own_database_stores_nothing(
    team: Knalle, tmp_path: Path
) -> None:
    units.record(
        team,
        visits.VisitDraft(
            "Ellos AB",
            dt.date(2026, 3, 1),
            ("UOLA",),
            others=("KSO",),
            form="digitalt",
            notes="lokaler",
        ),
        "UPIA",
    )
    units.record(team, visits.VisitDraft("Hemtex", dt.date(2026, 3, 2)), "UOLA")
    # The same company and day, but other content: a visit of its own.
    units.record(team, visits.VisitDraft("Hemtex", dt.date(2026, 3, 2), notes="mässa"), "UPIA")
    for name in ("export.xlsx", "export.csv"):
        path = tmp_path / name
        with team.db.read() as session:
            table = visits_table(session, team.settings.zone)
            if name.endswith(".csv"):
                path.write_text(csv_text(table), encoding="utf-8")
            else:
                write_xlsx_to(table, path)
        result = import_visits(team, path)
        assert (result.stored, result.already, result.error_count) == (0, 3, 0), name
        assert count(team) == 3
    # A row changed in Excel is other content: it is stored, once.
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[0]["anteckningar"] = "lokaler och el"
    changed = write(tmp_path / "changed.csv", rows, tuple(rows[0]))
    assert import_visits(team, changed).stored == 1
    assert import_visits(team, changed).stored == 0
    assert count(team) == 4


def test_xlsx_review_file_round_trip(team: Knalle, tmp_path: Path) -> None:
    path = tmp_path / "granska.xlsx"
    write_xlsx_to(review_table(team, MESSAGES), path)
    result = import_visits(team, path)
    assert (result.stored, result.error_count) == (4, 0)
    assert import_visits(team, path).stored == 0


def test_a_file_without_the_columns_says_so(team: Knalle, tmp_path: Path) -> None:
    path = tmp_path / "fel.csv"
    path.write_text("namn,dag\nEllos,idag\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="saknar kolumnen datum, företag"):
        import_visits(team, path)
    with pytest.raises(InvalidInput, match=r"slutar på \.xlsx eller \.csv"):
        import_visits(team, tmp_path / "fil.txt")


def test_a_name_the_register_knows_is_no_doubt(team: Knalle) -> None:
    units.record(team, visits.VisitDraft("Ellos AB", dt.date(2026, 3, 1)), "UPIA")
    units.record(team, visits.VisitDraft("Borås Energi och Miljö", dt.date(2026, 3, 2)), "UPIA")
    rows = review(
        team,
        [msg(1, "Besökte ellos ab igår"), msg(2, "Var hos Borås Energi och Miljö igår")],
    )
    assert [(r["företag"], r["importera"], r["orsak"]) for r in rows] == [
        ("Ellos AB", "ja", ""),
        ("Borås Energi och Miljö", "ja", ""),
    ]
