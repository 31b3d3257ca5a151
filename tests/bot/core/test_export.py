"""Export tables read back: CSV through the csv module, xlsx through openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from bot.context import Knalle
from bot.core.export import ACTIVITY_HEADER, VISIT_HEADER, activities_table, visits_table
from bot.core.plan.importer import import_plan_file
from bot.errors import NotFound
from bot.files.tables import csv_text, write_xlsx
from storage.models import Staff
from tests.storage import factories

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC
SHIPPED = Path(__file__).resolve().parents[3] / "data" / "plans" / "boras-2022.yaml"
TODAY = dt.date(2026, 11, 24)


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_xlsx(data: bytes) -> tuple[list[str], list[tuple[object, ...]], openpyxl.Workbook]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [str(c) for c in rows[0]], rows[1:], workbook


def seed_visits(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        session.add(Staff(name="Pia", slack_user_id="UPIA", created_at=dt.datetime.now(UTC)))
        session.add(Staff(name="Per", slack_user_id="UPER", created_at=dt.datetime.now(UTC)))
        ellos = factories.company(session, "Ellos AB")
        bageri = factories.company(session, "Maj's Bageri")
        first = factories.visit(
            session,
            ellos,
            dt.date(2026, 3, 3),
            author="UPIA",
            participants=("UPER", "UOTHER"),
            notes='Pratade kompetensförsörjning, "lager" och\nlogistik',
        )
        first.others = ["KSO", "Annette Carlson"]
        first.created_at = dt.datetime(2026, 3, 3, 15, 30, tzinfo=UTC)  # 16:30 in Stockholm
        factories.visit(session, bageri, dt.date(2025, 12, 1), author="UPER", notes="=1+1")
        factories.visit(session, bageri, dt.date(2026, 5, 1), deleted=True, notes="ångrad")


def test_visits_as_csv(knalle: Knalle) -> None:
    seed_visits(knalle)
    with knalle.db.read() as session:
        text = csv_text(visits_table(session, STOCKHOLM))
    assert text.splitlines()[0] == ",".join(VISIT_HEADER)
    rows = read_csv(text)
    assert [r["datum"] for r in rows] == ["2025-12-01", "2026-03-03"]  # the undone one is left out
    ellos = rows[1]
    assert ellos["företag"] == "Ellos AB"
    assert ellos["personal"] == "Pia (UPIA), Per (UPER), UOTHER"
    assert ellos["övriga"] == "KSO, Annette Carlson"
    assert ellos["form"] == "på plats"
    assert ellos["anteckningar"] == 'Pratade kompetensförsörjning, "lager" och\nlogistik'
    assert ellos["författare"] == "Pia (UPIA)"
    assert ellos["skapad"] == "2026-03-03 16:30"
    assert rows[0]["anteckningar"] == "=1+1"


def test_visits_of_one_year(knalle: Knalle) -> None:
    seed_visits(knalle)
    with knalle.db.read() as session:
        table = visits_table(session, STOCKHOLM, 2025)
    assert table.title == "Besök 2025"
    assert [row[1] for row in table.rows] == ["Maj's Bageri"]


def test_visits_as_xlsx(knalle: Knalle) -> None:
    seed_visits(knalle)
    with knalle.db.read() as session:
        data = write_xlsx(visits_table(session, STOCKHOLM))
    header, rows, workbook = read_xlsx(data)
    assert header == list(VISIT_HEADER)
    assert workbook.worksheets[0].title == "Besök"
    bageri, ellos = rows
    assert ellos[0] == dt.datetime(2026, 3, 3)  # a real date cell
    assert ellos[2] == "Pia (UPIA), Per (UPER), UOTHER"
    assert ellos[7] == dt.datetime(2026, 3, 3, 16, 30)
    # A note that looks like a formula stays text.
    assert bageri[5] == "=1+1"
    assert workbook.worksheets[0]["F2"].data_type == "s"


def seed_plan(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        session.add(Staff(name="Pia", slack_user_id="UPIA", created_at=dt.datetime.now(UTC)))
        plan, section = factories.plan(session, 2026)
        visits = factories.activity(
            session, plan, section, "1.2.1", "Företagsbesök", ("Alla", "Anders"), priority="Hög"
        )
        visits.years = [2026, 2027]
        letters = factories.activity(session, plan, section, "1.2.2", "Nyhetsbrev", ("Pia",))
        factories.activity(session, plan, section, "1.2.3", "Välkomstpaket", ())
        factories.update(
            session, visits, "gul", "Halvvägs", dt.datetime(2026, 6, 10, 8, tzinfo=UTC), "2026-H1"
        )
        factories.update(
            session, visits, "grön", "Klart", dt.datetime(2026, 11, 20, 9, tzinfo=UTC), "2026-H2"
        )
        imported = factories.update(
            session, letters, "röd", "Försenat", dt.datetime(2026, 6, 15, 10, tzinfo=UTC), "2026-H1"
        )
        imported.author_slack_id = None
        imported.source = "import"


def test_activities_with_their_latest_update(knalle: Knalle) -> None:
    seed_plan(knalle)
    with knalle.db.read() as session:
        table = activities_table(session, STOCKHOLM, TODAY)
    rows = read_csv(csv_text(table))
    assert list(rows[0]) == list(ACTIVITY_HEADER)
    assert [r["nummer"] for r in rows] == ["1.2.1", "1.2.2", "1.2.3"]
    first, second, third = rows
    assert first == {
        "avsnitt": "1.2 Företagsbesök",
        "nummer": "1.2.1",
        "titel": "Företagsbesök",
        "ägare": "Alla, Anders",
        "prio": "Hög",
        "år": "2026-2027",
        "ljus": "grön",
        "period": "2026-H2",
        "senaste kommentar": "Klart",
        "uppdaterad": "2026-11-20 10:00",
        "av": "Pia (UPIA)",
    }
    assert (second["ljus"], second["av"]) == ("röd", "import (planfilen)")
    assert (third["ljus"], third["senaste kommentar"], third["uppdaterad"]) == (
        "ej rapporterad",
        "",
        "",
    )


def test_activities_of_the_shipped_plan_as_xlsx(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        import_plan_file(session, SHIPPED, dt.datetime(2026, 11, 24, tzinfo=STOCKHOLM))
    with knalle.db.read() as session:
        data = write_xlsx(activities_table(session, STOCKHOLM, TODAY, 2022))
    header, rows, workbook = read_xlsx(data)
    assert workbook.worksheets[0].title == "Aktiviteter 2022"
    assert len(rows) == 56
    first = dict(zip(header, rows[0], strict=True))
    assert first["nummer"] == "1.1.1" and first["titel"] == "Näringslivsdagen"
    assert first["ägare"] == "Caroline, Annika, Peder"
    assert first["ljus"] == "grön" and first["år"] == "2022"
    assert first["senaste kommentar"] == "Näringslivsdagen 2022 är avslutat och gick enligt plan."
    assert first["uppdaterad"] == dt.datetime(2022, 12, 15, 12, 0)
    assert first["av"] == "import (planfilen)"


def test_no_plan_for_the_year_says_what_to_do(knalle: Knalle) -> None:
    with knalle.db.read() as session, pytest.raises(NotFound, match="knalle plan import"):
        activities_table(session, STOCKHOLM, TODAY, 2030)


def test_streamed_xlsx_keeps_times_exact_text_as_text_and_drops_control_characters() -> None:
    from bot.files.xlsx_stream import write_sheet

    buffer = io.BytesIO()
    rows = [
        (dt.datetime(2026, 1, 1, 1, 0), "=SUM(A1)", 7),
        (dt.date(2026, 3, 3), "rad\x07ett\nrad två", None),
    ]
    assert write_sheet(buffer, "Besök", ["när", "text", "tal"], iter(rows), [10, 10, 10]) == 2
    header, read, workbook = read_xlsx(buffer.getvalue())
    assert header == ["när", "text", "tal"]
    assert read == [
        (dt.datetime(2026, 1, 1, 1, 0), "=SUM(A1)", 7),
        (dt.datetime(2026, 3, 3), "radett\nrad två", None),
    ]
    sheet = workbook.worksheets[0]
    assert sheet["B2"].data_type == "s" and sheet.freeze_panes == "A2"


def test_the_visits_rows_are_the_old_way_of_making_them(knalle: Knalle) -> None:
    """The table's rows, told once per distinct set of people and in local time inline, are
    what the first way made of each stored visit (a row object, every field formatted anew),
    across both of the year's clock changes and for people not on the staff list."""
    from bot.core.export import SOURCE_NAMES, _local, _people, _staff_names
    from storage import visits as queries
    from tests.storage.test_visit_queries import seed_export_world

    seed_export_world(knalle)
    with knalle.db.write() as session:
        session.add(Staff(name="Pia", slack_user_id="UPIA", created_at=dt.datetime.now(UTC)))
        session.add(Staff(name="Ola", slack_user_id="UOLA", created_at=dt.datetime.now(UTC)))
        for n, row in enumerate(queries.visits_for_export(session)):
            # spring forward (2026-03-29 01:00 UTC) and fall back (2026-10-25 01:00 UTC)
            shift = dt.timedelta(days=210) if n % 2 else dt.timedelta(0)
            row.created_at = dt.datetime(2026, 3, 29, 0, 40, 59, 999_999, tzinfo=UTC) + shift + (
                dt.timedelta(minutes=11 * n)
            )
    with knalle.db.read() as session:
        names = _staff_names(session)
        expected = [
            (
                v.visit_date,
                v.company,
                _people(v.participants, names),
                ", ".join(v.others),
                v.form,
                v.notes,
                _people([v.author_id], names),
                _local(v.created_at, STOCKHOLM),
                SOURCE_NAMES.get(v.source, v.source),
                v.source_channel or "",
                v.source_ts or "",
                v.permalink or "",
                v.org_number or "",
                v.cluster or "",
                ", ".join(v.themes),
            )
            for v in queries.export_rows(session, dt.date(1900, 1, 1), dt.date(9999, 12, 31))
        ]
        rows = list(visits_table(session, STOCKHOLM).rows)
    assert rows == expected and len(rows) == 20
    local = {row[7].hour for row in rows if isinstance(row[7], dt.datetime)}
    assert {1, 3} <= local  # before and after the spring change (02:00 does not exist)
    assert {row[2] for row in rows} >= {"Pia (UPIA), Ola (UOLA), UOTHER", "UEVA, Pia (UPIA)"}
