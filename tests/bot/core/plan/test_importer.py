"""The plan import: the shipped 2022 plan checked against the seed, idempotence, edits that keep
history, every kind of bad file refused whole, and the spreadsheet formats (.csv, .xlsx)."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.context import Knalle
from bot.core.plan.file import SPREADSHEET_COLUMNS, PlanFileError
from bot.core.plan.importer import ImportResult, import_plan_file
from bot.errors import InvalidInput
from storage import activities as activity_queries
from storage import key_figures
from storage.models import (
    Activity,
    ActivityOwner,
    ActivityUpdate,
    Chapter,
    KeyFigure,
    KeyFigureValue,
    Plan,
    Section,
    Staff,
)
from storage.plans import activity_by_number
from tests.storage import factories

ROOT = Path(__file__).resolve().parents[4]
SHIPPED = ROOT / "data" / "plans" / "boras-2022.yaml"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=STOCKHOLM)
TABLES = (
    Plan,
    Chapter,
    Section,
    Activity,
    ActivityOwner,
    ActivityUpdate,
    KeyFigure,
    KeyFigureValue,
    Staff,
)


def row_counts(session: Session) -> dict[str, int]:
    return {
        table.__tablename__: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for table in TABLES
    }


def run_import(knalle: Knalle, path: Path, **kwargs: Any) -> ImportResult:
    with knalle.db.write() as session:
        return import_plan_file(session, path, NOW, **kwargs)


def shipped_data() -> dict[str, Any]:
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def find(data: dict[str, Any], number: str) -> dict[str, Any]:
    for chapter in data["kapitel"]:
        for section in chapter["avsnitt"]:
            for act in section["aktiviteter"]:
                if act["nummer"] == number:
                    found: dict[str, Any] = act
                    return found
    raise KeyError(number)


# --- The shipped plan ---------------------------------------------------------------------------


def test_the_shipped_plan_imports_whole(knalle: Knalle) -> None:
    result = run_import(knalle, SHIPPED)

    assert result.plan_created and result.year == 2022
    assert (result.activities_created, result.activities_updated) == (56, 0)
    assert result.updates_added == 56
    assert result.staff_added == 13
    with knalle.db.read() as session:
        counts = row_counts(session)
        plan = activity_queries.plan_for_year(session, 2022)
        assert plan is not None and plan.name == "Näringslivsenhetens verksamhetsplan 2022"
        assert [c.title for c in plan.chapters][:2] == [
            "Samverkan och dialog",
            "Stimulera och stödja företagen",
        ]
        numbers = [a.number for a in activity_queries.activities_in_plan(session, plan.id)]
    assert counts["activities"] == 56 and counts["activity_updates"] == 56
    assert counts["chapters"] == 8 and counts["sections"] == 30
    assert counts["key_figures"] == 8 and counts["key_figure_values"] == 8
    assert numbers[:5] == ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.2.1"]
    assert numbers[-1] == "8.6.1"


def test_naringslivsdagen_field_by_field_as_in_the_seed(knalle: Knalle) -> None:
    # Seed lines 415–474: "Näringslivsdagen", När 2022, Vem Caroline Annika Peder, Prio Medel.
    run_import(knalle, SHIPPED)
    with knalle.db.read() as session:
        plan = activity_queries.plan_for_year(session, 2022)
        assert plan is not None
        act = activity_by_number(session, plan.id, "1.1.1")
        assert act is not None
        assert act.title == "Näringslivsdagen"
        assert act.section.number == "1.1" and act.section.title == "Stödja nätverksbyggandet"
        assert act.purpose == (
            "Erbjuda ett årligt återkommande arrangemang som är en mötesplats för näringsliv, "
            "akademi, kommun och andra delar av samhället."
        )
        assert act.goal.endswith("Skapa mötesplatser för samverkan i enlighet med Borås vision.")
        assert act.actions[0] == "Planera samt genomföra Näringslivsdagen."
        assert act.actions[-1] == (
            "Tillsätta en grupp som utvecklar Näringslivsdagen inför vårt 10-årsjubileum 2023."
        )
        assert len(act.actions) == 5
        assert act.years == [2022]
        assert [o.name for o in act.owners] == ["Caroline", "Annika", "Peder"]
        assert act.priority == "Medel"
        assert act.follow_up_rule == "Två gånger per år"
        (update,) = activity_queries.history(session, act.id)
        assert update.comment == "Näringslivsdagen 2022 är avslutat och gick enligt plan."
        assert update.light == "grön"
        assert update.period == "2022-H2"
        assert update.source == "import"
        assert update.author_name is None and update.author_slack_id is None
        assert update.recorded_at == dt.datetime(2022, 12, 15, 12, 0, tzinfo=STOCKHOLM)
        assert update.recorded_at.tzinfo is not None


def test_mellan_is_stored_as_medel_and_other_samples(knalle: Knalle) -> None:
    # Seed 1708–1745: Företagsrevitalisering, Per + Anders, "Mellan".
    run_import(knalle, SHIPPED)
    with knalle.db.read() as session:
        plan = activity_queries.plan_for_year(session, 2022)
        assert plan is not None
        revital = activity_by_number(session, plan.id, "2.5.1")
        assert revital is not None
        assert revital.title == "Företagsrevitalisering"
        assert revital.priority == "Medel"
        assert [o.name for o in revital.owners] == ["Per", "Anders"]
        assert revital.purpose == (
            "Att företag ska leva vidare och framför allt gå in i en kraftig tillväxtperiod."
        )
        assert revital.updates[0].comment.startswith(
            "I slutet av hösten började vi jobba med den nya algoritmen"
        )
        priorities = {a.priority for a in activity_queries.activities_in_plan(session, plan.id)}
        assert priorities == {"Hög", "Medel", "Låg", None}

        gap = activity_by_number(session, plan.id, "3.1.5")
        assert gap is not None and gap.title == "Textile movement"
        assert "GAP-analysen utvärderas i juli" in gap.follow_up_rule

        visits = activity_by_number(session, plan.id, "1.2.3")
        assert visits is not None
        assert [o.name for o in visits.owners] == ["Alla", "Anders"]
        assert visits.updates[0].light == "grå"

        # Seed 3844–3858: "Beredskap" has only Aktiviteter and När.
        readiness = activity_by_number(session, plan.id, "8.6.1")
        assert readiness is not None
        assert readiness.owners == [] and readiness.priority is None
        assert readiness.purpose == "" and readiness.follow_up_rule == ""
        assert readiness.actions == [
            "Vi har en beredskap att hantera de uppdrag vi får från krisledningsnämnden."
        ]


def test_key_figures_of_section_8_7(knalle: Knalle) -> None:
    # Seed 3885–3889: NKI, target, outcome and "Utfall på mål: inte uppfyllt …".
    run_import(knalle, SHIPPED)
    with knalle.db.read() as session:
        values = key_figures.values_for_year(session, 2022)
        assert len(values) == 8
        nki_figure, nki = values[2]
        assert nki_figure.name == "NKI, nöjd kundindex (Insikt)" and nki_figure.stratsys
        assert nki is not None
        assert nki.target == "en positiv utveckling och att trenden visar på förbättring"
        assert nki.outcome.startswith("Indikation på NKI 73 (2023-04-05) (2021: 77). Utfall på mål")
        assert "inte uppfyllt" in nki.outcome
        assert nki.met is False
        hui_figure, hui = values[0]
        assert hui_figure.name.startswith("HUI:s handelsindex") and hui is not None
        assert hui.target == "" and hui.met is None
        assert [f.stratsys for f, _ in values] == [True] * 4 + [False] * 4


def test_staff_rows_for_the_plan_names_without_slack_ids(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        session.add(Staff(name="Pia", slack_user_id="UPIA", created_at=NOW))
    result = run_import(knalle, SHIPPED)
    assert result.staff_added == 12  # Pia was there already
    with knalle.db.read() as session:
        members = {s.name: s.slack_user_id for s in session.scalars(select(Staff))}
    assert set(members) == {
        "Annika", "Caroline", "Ingrid", "Per", "Pia", "Nelly", "Peder",
        "Anna M", "Jonas", "Sara", "Anna B", "Arvid", "Anders",
    }  # fmt: skip
    assert members["Pia"] == "UPIA" and members["Anna M"] is None
    assert "Alla" not in members and "Berörda" not in members


# --- Idempotence and edits ----------------------------------------------------------------------


def test_the_same_file_twice_changes_nothing(knalle: Knalle) -> None:
    run_import(knalle, SHIPPED)
    with knalle.db.read() as session:
        before = row_counts(session)
        plan = activity_queries.plan_for_year(session, 2022)
        assert plan is not None
        imported_at = plan.imported_at

    later = NOW + dt.timedelta(days=3)
    with knalle.db.write() as session:
        again = import_plan_file(session, SHIPPED, later)

    assert not again.changed
    assert (again.activities_created, again.activities_updated, again.activities_unchanged) == (
        0,
        0,
        56,
    )
    assert (again.updates_added, again.updates_unchanged, again.staff_added) == (0, 56, 0)
    with knalle.db.read() as session:
        assert row_counts(session) == before
        plan = activity_queries.plan_for_year(session, 2022)
        assert plan is not None and plan.imported_at == imported_at


def test_an_edited_file_updates_what_it_names_and_keeps_history(
    knalle: Knalle, tmp_path: Path
) -> None:
    run_import(knalle, SHIPPED)
    with knalle.db.write() as session:
        plan = activity_queries.plan_for_year(session, 2022)
        assert plan is not None
        lunches = activity_by_number(session, plan.id, "1.1.2")
        assert lunches is not None
        factories.update(
            session, lunches, "gul", "Från Slack", NOW - dt.timedelta(days=1), "2026-H2"
        )

    data = shipped_data()
    edited = copy.deepcopy(data)
    lunches_data = find(edited, "1.1.2")
    lunches_data["prio"] = "Hög"
    lunches_data["vem"] = ["Caroline", "Pia", "Annika"]
    lunches_data["uppdateringar"][0]["ljus"] = "grön"  # a corrected light
    # A dropped activity stays in the database.
    edited["kapitel"][0]["avsnitt"][0]["aktiviteter"].pop(0)  # 1.1.1
    result = run_import(knalle, write_yaml(tmp_path / "edited.yaml", edited))

    assert (result.activities_created, result.activities_updated) == (0, 1)
    assert result.activities_unchanged == 54
    assert result.updates_added == 1
    with knalle.db.read() as session:
        plan = activity_queries.plan_for_year(session, 2022)
        assert plan is not None
        lunches = activity_by_number(session, plan.id, "1.1.2")
        assert lunches is not None
        assert lunches.priority == "Hög"
        assert [o.name for o in lunches.owners] == ["Caroline", "Pia", "Annika"]
        history = activity_queries.history(session, lunches.id)
        assert [(u.light, u.source) for u in history] == [
            ("gul", "import"),
            ("grön", "import"),
            ("gul", "slack"),
        ]
        assert history[0].comment == history[1].comment
        kept = activity_by_number(session, plan.id, "1.1.1")
        assert kept is not None and not kept.retired and len(kept.updates) == 1
        assert row_counts(session)["activities"] == 56

    # And the edited file a second time changes nothing.
    again = run_import(knalle, tmp_path / "edited.yaml")
    assert not again.changed


def test_a_new_activity_in_an_edited_file_is_added(knalle: Knalle, tmp_path: Path) -> None:
    run_import(knalle, SHIPPED)
    data = shipped_data()
    new = copy.deepcopy(find(data, "1.2.3"))
    new.update(nummer="1.2.4", titel="Besök med KSO", uppdateringar=[])
    data["kapitel"][0]["avsnitt"][1]["aktiviteter"].append(new)
    result = run_import(knalle, write_yaml(tmp_path / "more.yaml", data))
    assert (result.activities_created, result.activities_unchanged) == (1, 56)
    with knalle.db.read() as session:
        plan = activity_queries.plan_for_year(session, 2022)
        assert plan is not None
        added = activity_by_number(session, plan.id, "1.2.4")
        assert added is not None and added.title == "Besök med KSO" and added.position == 4


# --- Bad files import nothing -------------------------------------------------------------------

MINIMAL = """\
år: 2026
namn: Verksamhetsplan 2026
personal: [Pia, Anna M, Anna B]
kapitel:
  - nummer: "1"
    titel: Samverkan och dialog
    avsnitt:
      - nummer: "1.2"
        titel: Företagsbesök
        aktiviteter:
          - nummer: "1.2.1"
            titel: Företagsbesök
            syfte: Kontakt
            mål: 150 besök
            åtgärder: [Besöka företag]
            när: [2026]
            vem: [Pia, Anna M]
            prio: Hög
            uppföljning: Två gånger per år
            uppdateringar:
              - period: 2026-H1
                datum: 2026-06-15
                ljus: gul
                kommentar: Halvvägs.
          - nummer: "1.2.2"
            titel: Nyhetsbrev
            syfte: null
            mål: null
            åtgärder: []
            när: [2026, 2027]
            vem: [Alla]
            prio: Mellan
            uppföljning: null
"""


def test_the_minimal_file_imports(knalle: Knalle, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    result = run_import(knalle, path)
    assert result.activities_created == 2 and result.updates_added == 1


BAD_FILES = [
    pytest.param(
        ("            mål: 150 besök\n", "            mal: 150 besök\n"),
        "kapitel[0].avsnitt[0].aktiviteter[0].mal: okänd nyckel",
        id="unknown-key",
    ),
    pytest.param(
        ("            prio: Hög\n", "            prio: Mellanhög\n"),
        "kapitel[0].avsnitt[0].aktiviteter[0].prio: okänd prioritet ”Mellanhög”",
        id="unknown-priority",
    ),
    pytest.param(
        ("                ljus: gul\n", "                ljus: lila\n"),
        "kapitel[0].avsnitt[0].aktiviteter[0].uppdateringar[0].ljus: okänt ljus ”lila”",
        id="unknown-light",
    ),
    pytest.param(
        ('          - nummer: "1.2.2"\n', '          - nummer: "1.2.1"\n'),
        "kapitel[0].avsnitt[0].aktiviteter[1].nummer: numret ”1.2.1” finns redan "
        "(kapitel[0].avsnitt[0].aktiviteter[0])",
        id="duplicate-number",
    ),
    pytest.param(
        ("            vem: [Alla]\n", ""),
        "kapitel[0].avsnitt[0].aktiviteter[1].vem: saknas",
        id="missing-owner-key",
    ),
    pytest.param(
        ("            vem: [Pia, Anna M]\n", "            vem: [Pia, Anna]\n"),
        "kapitel[0].avsnitt[0].aktiviteter[0].vem[1]: ”Anna” kan vara Anna M eller Anna B",
        id="bare-anna",
    ),
    pytest.param(
        ("år: 2026\n", "år: tjugotjugosex\n"),
        "år: ska vara ett årtal som 2022",
        id="year-text",
    ),
    pytest.param(
        ("            när: [2026, 2027]\n", "            när: [2027, 2026]\n"),
        "kapitel[0].avsnitt[0].aktiviteter[1].när: årtalen ska stå i stigande ordning",
        id="years-descending",
    ),
    pytest.param(
        ("            när: [2026, 2027]\n", "            när: [2027]\n"),
        "kapitel[0].avsnitt[0].aktiviteter[1].när: [2027] omfattar inte planens år 2026",
        id="years-outside-the-plan-year",
    ),
    pytest.param(
        ('      - nummer: "1.2"\n', "      - nummer: 1.2\n"),
        "kapitel[0].avsnitt[0].nummer: decimaltalet 1.2",
        id="unquoted-number",
    ),
    pytest.param(
        ('          - nummer: "1.2.2"\n', '          - nummer: "2.1.1"\n'),
        "ska börja med 1.2.",
        id="number-outside-its-section",
    ),
    pytest.param(
        ("            prio: Hög\n", "            prio: Hög\n            prio: Låg\n"),
        "nyckeln 'prio' står två gånger",
        id="key-written-twice",
    ),
    pytest.param(
        ("                datum: 2026-06-15\n", "                datum: midsommar\n"),
        "uppdateringar[0].datum: ska vara ett datum som 2022-12-15",
        id="bad-date",
    ),
    pytest.param(
        ("              - period: 2026-H1\n", "              - period: våren\n"),
        "uppdateringar[0].period: ska vara t.ex. 2022-H1 eller 2022-H2",
        id="bad-period",
    ),
    pytest.param(
        ("            titel: Nyhetsbrev\n", "            titel: [Nyhetsbrev\n"),
        "filen är inte giltig YAML",
        id="not-yaml",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), BAD_FILES)
def test_a_bad_file_names_the_problem_and_imports_nothing(
    knalle: Knalle, tmp_path: Path, edit: tuple[str, str], expected: str
) -> None:
    old, new = edit
    assert old in MINIMAL
    path = tmp_path / "plan.yaml"
    path.write_text(MINIMAL.replace(old, new, 1), encoding="utf-8")

    with pytest.raises(InvalidInput) as caught:
        run_import(knalle, path)

    assert expected in caught.value.message
    assert "importerades inte" in caught.value.message
    with knalle.db.read() as session:
        assert set(row_counts(session).values()) == {0}


def test_every_problem_is_listed_at_once(tmp_path: Path, knalle: Knalle) -> None:
    path = tmp_path / "plan.yaml"
    text = MINIMAL.replace("prio: Hög", "prio: Mellanhög").replace("ljus: gul", "ljus: lila")
    path.write_text(text.replace("            vem: [Alla]\n", ""), encoding="utf-8")
    with pytest.raises(PlanFileError) as caught:
        run_import(knalle, path)
    assert len(caught.value.problems) == 3
    assert "3 fel" in caught.value.message


def test_a_bad_edit_leaves_the_earlier_import_as_it_was(knalle: Knalle, tmp_path: Path) -> None:
    run_import(knalle, SHIPPED)
    with knalle.db.read() as session:
        before = row_counts(session)
    data = shipped_data()
    find(data, "1.1.1")["prio"] = "Hög"  # a good edit …
    find(data, "3.1.5")["vem"] = "Anders, Nelly"  # … and a bad one in the same file
    path = write_yaml(tmp_path / "bad.yaml", data)
    with pytest.raises(InvalidInput) as caught:
        run_import(knalle, path)
    assert "aktiviteter[4].vem: ska vara en lista med namn" in caught.value.message
    with knalle.db.read() as session:
        assert row_counts(session) == before
        plan = activity_queries.plan_for_year(session, 2022)
        assert plan is not None
        act = activity_by_number(session, plan.id, "1.1.1")
        assert act is not None and act.priority == "Medel"


def test_a_missing_file_and_an_unknown_format(tmp_path: Path, knalle: Knalle) -> None:
    with pytest.raises(InvalidInput, match="Hittar ingen fil"):
        run_import(knalle, tmp_path / "finns-inte.yaml")
    odd = tmp_path / "plan.docx"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(InvalidInput, match="Okänt filformat"):
        run_import(knalle, odd)


# --- Spreadsheets -------------------------------------------------------------------------------

HEADER = list(SPREADSHEET_COLUMNS)
ROWS = [
    [
        "1.2.1", "Samverkan och dialog", "Företagsbesök", "Företagsbesök",
        "Kontakt med näringslivet", "150 besök", "Besöka företag\nDokumentera i Slack",
        "2026", "Alla, Anders", "Medel", "Två gånger per år",
    ],
    [
        "1.2.2", "", "", "Nyhetsbrev", "", "", "Skicka nyhetsbrev",
        "2026-2027", "Anna M, Pia", "Mellan", "",
    ],
    [
        "2.1.1", "Stimulera och stödja företagen", "Nyföretagande", "Företagsstart",
        "", "", "", "2026, 2028", "Anna B", "Hög", "Två gånger per år",
    ],
]  # fmt: skip


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize("kind", ["csv", "csv-semicolon", "xlsx"])
def test_a_spreadsheet_imports_one_activity_per_row(
    knalle: Knalle, tmp_path: Path, kind: str
) -> None:
    if kind == "xlsx":
        # Excel keeps a typed year as a number.
        rows: list[list[Any]] = [HEADER, *[list(r) for r in ROWS]]
        rows[1][7] = 2026
        path = write_xlsx(tmp_path / "plan.xlsx", rows)
    else:
        path = write_csv(
            tmp_path / "plan.csv", [HEADER, *ROWS], ";" if kind == "csv-semicolon" else ","
        )

    result = run_import(knalle, path)
    assert (result.year, result.activities_created, result.updates_added) == (2026, 3, 0)
    assert result.staff_added == 4  # Anders, Anna M, Pia, Anna B; not "Alla"
    with knalle.db.read() as session:
        plan = activity_queries.plan_for_year(session, 2026)
        assert plan is not None and plan.name == "Verksamhetsplan 2026"
        assert [(c.number, c.title) for c in plan.chapters] == [
            ("1", "Samverkan och dialog"),
            ("2", "Stimulera och stödja företagen"),
        ]
        first = activity_by_number(session, plan.id, "1.2.1")
        second = activity_by_number(session, plan.id, "1.2.2")
        third = activity_by_number(session, plan.id, "2.1.1")
        assert first is not None and second is not None and third is not None
        assert first.actions == ["Besöka företag", "Dokumentera i Slack"]
        assert [o.name for o in first.owners] == ["Alla", "Anders"]
        assert first.years == [2026] and first.priority == "Medel"
        assert second.years == [2026, 2027] and second.priority == "Medel"
        assert second.section.title == "Företagsbesök" and second.purpose == ""
        assert third.years == [2026, 2028] and third.section.number == "2.1"
        before = row_counts(session)

    again = run_import(knalle, path)
    assert not again.changed and again.activities_unchanged == 3
    with knalle.db.read() as session:
        assert row_counts(session) == before


def test_a_spreadsheet_error_names_row_and_column(knalle: Knalle, tmp_path: Path) -> None:
    rows = [HEADER, *[list(r) for r in ROWS]]
    rows[2][9] = "Jättehög"  # row 3 in the sheet, column J (prio)
    rows[3][7] = "nästa år"  # row 4, column H (när)
    path = write_csv(tmp_path / "plan.csv", rows)
    with pytest.raises(PlanFileError) as caught:
        run_import(knalle, path)
    assert caught.value.problems == [
        "rad 3, kolumn prio (J): okänd prioritet ”Jättehög”; skriv Hög, Medel (eller Mellan) "
        "eller Låg",
        "rad 4, kolumn när (H): ”nästa år” är inga årtal; skriv t.ex. 2022, 2022-2023 eller "
        "2022, 2024",
    ]
    with knalle.db.read() as session:
        assert set(row_counts(session).values()) == {0}


def test_a_spreadsheet_with_wrong_columns_or_duplicates(knalle: Knalle, tmp_path: Path) -> None:
    header = [*HEADER[:-1], "uppfoljning"]
    with pytest.raises(PlanFileError) as caught:
        run_import(knalle, write_csv(tmp_path / "a.csv", [header, *ROWS]))
    assert caught.value.problems[0].startswith("rad 1, kolumn K: okänd kolumn ”uppfoljning”")
    assert caught.value.problems[1] == "rad 1: kolumner saknas: uppföljning"

    rows = [HEADER, *[list(r) for r in ROWS]]
    rows[3][0] = "1.2.1"
    rows[3][1], rows[3][2] = "Samverkan och dialog", "Företagsbesök"
    with pytest.raises(PlanFileError) as caught:
        run_import(knalle, write_csv(tmp_path / "b.csv", rows))
    assert caught.value.problems == [
        "rad 4, kolumn nummer (A): numret ”1.2.1” finns redan på rad 2"
    ]


def test_a_spreadsheet_year_can_be_given(knalle: Knalle, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "plan.csv", [HEADER, *ROWS])
    assert run_import(knalle, path, year=2027).year == 2027
    with pytest.raises(InvalidInput, match="--år gäller bara"):
        run_import(knalle, SHIPPED, year=2022)
