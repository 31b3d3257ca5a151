"""Reading a plan file: every message names the key path (YAML) or the row and column (a
spreadsheet), and a good file comes out as the plan's records. Storing nothing on a bad file is
tested with the import (test_importer.py); here the reader alone, fast."""

from __future__ import annotations

import pytest

from bot.core.plan.file import SPREADSHEET_COLUMNS, PlanFileError, parse_rows, parse_yaml_text
from bot.core.plan.lights import Light

BASE = """\
år: 2026
namn: Verksamhetsplan 2026
personal: [Pia, Anna M, Anna B]
kampanjer:
  - namn: 109 företagsbesök
    mål: 109
    krav: minst en politiker
    från: 2026-01-01
    till: 2026-12-31
politiker:
  - namn: Annette Carlson
    titel: kommunalråd
    alias: [Annette]
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
nyckeltal:
  - namn: Antal företagsbesök
    stratsys: true
    värden:
      - år: 2026
        mål: "150"
        utfall: "160"
        uppfyllt: true
"""

ACT = "kapitel[0].avsnitt[0].aktiviteter[0]"
UPDATE = f"{ACT}.uppdateringar[0]"
TOP_KEYS = "kampanjer, kapitel, namn, nyckeltal, personal, politiker, år"
UPDATE_BLOCK = """\
              - period: 2026-H1
                datum: 2026-06-15
                ljus: gul
                kommentar: Halvvägs.
"""


def edited(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def problems(text: str) -> list[str]:
    with pytest.raises(PlanFileError) as caught:
        parse_yaml_text(text, source="plan.yaml")
    assert caught.value.message.startswith("Planen i plan.yaml importerades inte (")
    return caught.value.problems


def test_the_base_file_reads_into_the_plans_records() -> None:
    plan = parse_yaml_text(BASE)
    assert (plan.year, plan.name, plan.staff) == (
        2026,
        "Verksamhetsplan 2026",
        ("Pia", "Anna M", "Anna B"),
    )
    (chapter,) = plan.chapters
    (section,) = chapter.sections
    (activity,) = plan.activities()
    assert (chapter.number, chapter.title, section.number, section.title) == (
        "1", "Samverkan och dialog", "1.2", "Företagsbesök",
    )  # fmt: skip
    assert activity.number == "1.2.1" and activity.title == "Företagsbesök"
    assert (activity.purpose, activity.goal, activity.description) == ("Kontakt", "150 besök", None)
    assert activity.actions == ("Besöka företag",) and activity.years == (2026,)
    assert activity.owners == ("Pia", "Anna M") and activity.priority == "Hög"
    assert activity.follow_up == "Två gånger per år"
    (update,) = activity.updates
    assert (update.period, update.day.isoformat(), update.light, update.comment) == (
        "2026-H1", "2026-06-15", Light.GUL, "Halvvägs.",
    )  # fmt: skip
    (campaign,) = plan.campaigns
    assert (campaign.name, campaign.target, campaign.requirement) == (
        "109 företagsbesök", 109, "minst en politiker",
    )  # fmt: skip
    assert (campaign.start.isoformat(), campaign.end.isoformat()) == ("2026-01-01", "2026-12-31")
    (politician,) = plan.politicians
    assert (politician.name, politician.title, politician.aliases) == (
        "Annette Carlson", "kommunalråd", ("Annette",),
    )  # fmt: skip
    (figure,) = plan.key_figures
    assert (figure.name, figure.stratsys) == ("Antal företagsbesök", True)
    (value,) = figure.values
    assert (value.year, value.target, value.outcome, value.met, value.comment) == (
        2026, "150", "160", True, None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "check"),
    [
        pytest.param("vem: [Pia, Anna M]", "vem: [pia, anna  m, alla, berörda, Kommunen]",
                     lambda p: p.activities()[0].owners
                     == ("Pia", "Anna M", "Alla", "Berörda", "Kommunen"),
                     id="owners-spelled-as-in-personal"),
        pytest.param("när: [2026]", "när: 2026", lambda p: p.activities()[0].years == (2026,),
                     id="one-year-without-brackets"),
        pytest.param("ljus: gul", "ljus: delvis klart",
                     lambda p: p.activities()[0].updates[0].light is Light.GUL, id="legend-word"),
        pytest.param("ljus: gul", "ljus: null",
                     lambda p: p.activities()[0].updates[0].light is None, id="no-light"),
        pytest.param("prio: Hög", "prio: mellan",
                     lambda p: p.activities()[0].priority == "Medel", id="mellan-is-medel"),
        pytest.param("prio: Hög", "prio: null",
                     lambda p: p.activities()[0].priority is None, id="no-priority"),
        pytest.param("krav: minst en politiker", "krav: Minst en Politiker",
                     lambda p: p.campaigns[0].requirement == "minst en politiker",
                     id="krav-any-case"),
        pytest.param("krav: minst en politiker", "krav: null",
                     lambda p: p.campaigns[0].requirement is None, id="no-krav"),
        pytest.param("stratsys: true", "stratsys: null",
                     lambda p: p.key_figures[0].stratsys is False, id="stratsys-null"),
        pytest.param("datum: 2026-06-15", "datum: '2026-06-15'",
                     lambda p: p.activities()[0].updates[0].day.isoformat() == "2026-06-15",
                     id="quoted-date"),
        pytest.param("titel: Företagsbesök\n            syfte",
                     "titel: '  Företagsbesök '\n            syfte",
                     lambda p: p.activities()[0].title == "Företagsbesök", id="text-trimmed"),
        pytest.param("syfte: Kontakt", "syfte: '  '",
                     lambda p: p.activities()[0].purpose is None, id="blank-purpose-is-none"),
        pytest.param("personal: [Pia, Anna M, Anna B]\n", "",
                     lambda p: p.staff is None, id="no-personal"),
    ],
)  # fmt: skip
def test_what_a_good_file_may_write(old: str, new: str, check: object) -> None:
    assert callable(check)
    assert check(parse_yaml_text(edited(old, new)))


BAD = [
    # The top level.
    ("top-is-a-list", None, "- a\n- b\n", ["ska vara en samling nycklar, inte en lista"]),
    ("empty-file", None, "", ["ska vara en samling nycklar, inte tomt (null)"]),
    ("unknown-top-key", "år: 2026\n", "år: 2026\nnyckel: x\n",
     [f"nyckel: okänd nyckel; tillåtna nycklar här: {TOP_KEYS}"]),
    ("number-as-key", "år: 2026\n", "år: 2026\n1: x\n",
     [f"1: okänd nyckel; tillåtna nycklar här: {TOP_KEYS}"]),
    ("year-missing", "år: 2026\n", "", ["år: saknas (nyckeln måste finnas)"]),
    ("year-bool", "år: 2026\n", "år: true\n",
     ["år: ska vara ett årtal som 2022, inte ja/nej-värdet true"]),
    ("year-text", "år: 2026\n", "år: '2026'\n",
     ["år: ska vara ett årtal som 2022, inte texten ”2026”"]),
    ("year-1800", "år: 2026\n", "år: 1800\n", ["år: årtalet 1800 är orimligt; skriv t.ex. 2022"]),
    ("name-null", "namn: Verksamhetsplan 2026\n", "namn: null\n",
     ["namn: får inte vara tomt; skriv en text"]),
    ("name-blank", "namn: Verksamhetsplan 2026\n", "namn: '  '\n",
     ["namn: får inte vara tomt; skriv en text"]),
    ("name-number", "namn: Verksamhetsplan 2026\n", "namn: 5\n",
     ["namn: ska vara en text, inte talet 5"]),
    ("name-too-long", "namn: Verksamhetsplan 2026\n", "namn: " + "x" * 201 + "\n",
     ["namn: är 201 tecken; högst 200 går"]),
    ("chapters-missing", "kapitel:\n", "x:\n",
     [f"x: okänd nyckel; tillåtna nycklar här: {TOP_KEYS}",
      "kapitel: saknas (nyckeln måste finnas)"]),
    ("chapters-empty", "kapitel:\n", "kapitel: []\nx:\n",
     [f"x: okänd nyckel; tillåtna nycklar här: {TOP_KEYS}",
      "kapitel: listan är tom; en plan har minst ett kapitel"]),
    ("chapters-null", "kapitel:\n", "kapitel: null\nx:\n",
     [f"x: okänd nyckel; tillåtna nycklar här: {TOP_KEYS}",
      "kapitel: ska vara en lista, inte tomt (null)"]),
    # `personal`
    ("personal-text", "personal: [Pia, Anna M, Anna B]\n", "personal: Pia\n",
     ["personal: ska vara en lista, inte texten ”Pia”"]),
    ("personal-items", "personal: [Pia, Anna M, Anna B]\n",
     "personal: [Pia, Anna M, Anna B, Alla, pia, 5, " + "y" * 65 + "]\n",
     ["personal[3]: ”Alla” är ingen person; det hör hemma i `vem`",
      "personal[4]: ”pia” står redan i personal[0]",
      "personal[5]: ska vara en text, inte talet 5",
      "personal[6]: namnet är 65 tecken; högst 64 går"]),
    ("personal-alla-twice", "personal: [Pia, Anna M, Anna B]\n",
     "personal: [Pia, Anna M, Anna B, Alla, alla]\n",
     ["personal[3]: ”Alla” är ingen person; det hör hemma i `vem`",
      "personal[4]: ”alla” är ingen person; det hör hemma i `vem`",
      "personal[4]: ”alla” står redan i personal[3]"]),
    # Deep in the tree: the whole key path.
    ("deep-wrong-type", "kommentar: Halvvägs.", "kommentar: 5",
     [f"{UPDATE}.kommentar: ska vara en text, inte talet 5"]),
    ("deep-missing", "                kommentar: Halvvägs.\n", "",
     [f"{UPDATE}.kommentar: saknas (nyckeln måste finnas)"]),
    ("deep-not-a-mapping", UPDATE_BLOCK, "              - Halvvägs\n",
     [f"{UPDATE}: ska vara en samling nycklar, inte texten ”Halvvägs”"]),
    ("deep-not-a-list", "            uppdateringar:\n" + UPDATE_BLOCK,
     "            uppdateringar: Halvvägs\n",
     [f"{ACT}.uppdateringar: ska vara en lista, inte texten ”Halvvägs”"]),
    ("deep-unknown-key", "            prio: Hög\n", "            prio: Hög\n            vemm: x\n",
     [f"{ACT}.vemm: okänd nyckel; tillåtna nycklar här: beskrivning, mål, nummer, när, prio, "
      "syfte, titel, uppdateringar, uppföljning, vem, åtgärder"]),
    ("deep-yes-as-key", "            prio: Hög\n", "            prio: Hög\n            true: x\n",
     [f"{ACT}.True: okänd nyckel; tillåtna nycklar här: beskrivning, mål, nummer, när, prio, "
      "syfte, titel, uppdateringar, uppföljning, vem, åtgärder"]),
    ("period-h3", "period: 2026-H1", "period: 2026-H3",
     [f"{UPDATE}.period: ska vara t.ex. 2022-H1 eller 2022-H2, inte texten ”2026-H3”"]),
    ("date-number", "datum: 2026-06-15", "datum: 15",
     [f"{UPDATE}.datum: ska vara ett datum som 2022-12-15, inte talet 15"]),
    ("light-number", "ljus: gul", "ljus: 5",
     [f"{UPDATE}.ljus: okänt ljus talet 5; skriv grön, gul, röd eller grå (eller legendens ord, "
      "t.ex. ”delvis klart”), eller null"]),
    # Numbers.
    ("chapter-number-unquoted", '  - nummer: "1"\n', "  - nummer: 1\n",
     ['kapitel[0].nummer: talet 1: skriv numret som text inom citattecken, t.ex. "1"']),
    ("chapter-number-word", '  - nummer: "1"\n', "  - nummer: ett\n",
     ['kapitel[0].nummer: ska se ut som "1", inte texten ”ett”']),
    ("section-outside-its-chapter", '      - nummer: "1.2"\n', '      - nummer: "2.2"\n',
     ["kapitel[0].avsnitt[0].nummer: ”2.2” ligger under ”1” och ska börja med 1.",
      f"{ACT}.nummer: ”1.2.1” ligger under ”2.2” och ska börja med 2.2."]),
    ("activity-number-short", '          - nummer: "1.2.1"\n', '          - nummer: "1.2"\n',
     [f'{ACT}.nummer: ska se ut som "1.2.3", inte texten ”1.2”']),
    ("chapter-number-twice", "nyckeltal:\n",
     '  - nummer: "1"\n    titel: Igen\n    avsnitt: []\nnyckeltal:\n',
     ["kapitel[1].nummer: numret ”1” finns redan (kapitel[0]); "
      "varje kapitel ska ha ett eget nummer"]),
    ("section-not-a-mapping", '      - nummer: "1.2"\n', '      - x\n      - nummer: "1.2"\n',
     ["kapitel[0].avsnitt[0]: ska vara en samling nycklar, inte texten ”x”"]),
    ("section-activities-missing", "        aktiviteter:\n", "        x:\n",
     ["kapitel[0].avsnitt[0].x: okänd nyckel; tillåtna nycklar här: aktiviteter, beskrivning, "
      "nummer, titel", "kapitel[0].avsnitt[0].aktiviteter: saknas (nyckeln måste finnas)"]),
    # An activity's keys.
    ("title-missing", "            titel: Företagsbesök\n", "",
     [f"{ACT}.titel: saknas (nyckeln måste finnas)"]),
    ("title-too-long", "            titel: Företagsbesök\n",
     "            titel: " + "t" * 301 + "\n",
     [f"{ACT}.titel: är 301 tecken; högst 300 går"]),
    ("purpose-missing", "            syfte: Kontakt\n", "",
     [f"{ACT}.syfte: saknas (nyckeln måste finnas)"]),
    ("action-blank", "åtgärder: [Besöka företag]", "åtgärder: [Besöka företag, '']",
     [f"{ACT}.åtgärder[1]: ska vara en text, inte texten ””"]),
    ("years-empty", "när: [2026]", "när: []",
     [f"{ACT}.när: ska vara en lista med årtal, t.ex. [2022, 2023], inte en lista"]),
    ("years-text", "när: [2026]", "när: nästa år",
     [f"{ACT}.när: ska vara en lista med årtal, t.ex. [2022, 2023], inte texten ”nästa år”"]),
    ("years-items", "när: [2026]", "när: [2026, x, 1800]",
     [f"{ACT}.när[1]: ska vara ett årtal som 2022, inte texten ”x”",
      f"{ACT}.när[2]: årtalet 1800 är orimligt; skriv t.ex. 2022"]),
    ("years-twice", "när: [2026]", "när: [2026, 2026]",
     [f"{ACT}.när: årtalen ska stå i stigande ordning utan dubbletter, inte [2026, 2026]"]),
    ("years-outside-the-plan", "när: [2026]", "när: [2027]",
     [f"{ACT}.när: [2027] omfattar inte planens år 2026; rätta årtalen eller planens `år`"]),
    ("owners-null", "vem: [Pia, Anna M]", "vem: null",
     [f"{ACT}.vem: skriv ägarna som en lista, t.ex. [Pia, Anna M], eller [] för ingen"]),
    ("owners-text", "vem: [Pia, Anna M]", "vem: Pia",
     [f"{ACT}.vem: ska vara en lista med namn, t.ex. [Pia, Anna M], inte texten ”Pia”"]),
    ("owners-items", "vem: [Pia, Anna M]", "vem: [Pia, pia, 5, '', " + "z" * 65 + ", Anna]",
     [f"{ACT}.vem[1]: ”Pia” står två gånger",
      f"{ACT}.vem[2]: ska vara ett namn, inte talet 5",
      f"{ACT}.vem[3]: ska vara ett namn, inte texten ””",
      f"{ACT}.vem[4]: namnet är 65 tecken; högst 64 går",
      f"{ACT}.vem[5]: ”Anna” kan vara Anna M eller Anna B; skriv vem det är"]),
    ("priority-number", "prio: Hög", "prio: 3",
     [f"{ACT}.prio: okänd prioritet talet 3; skriv Hög, Medel (eller Mellan) eller Låg"]),
    ("priority-missing", "            prio: Hög\n", "",
     [f"{ACT}.prio: saknas (nyckeln måste finnas)"]),
    ("follow-up-too-long", "uppföljning: Två gånger per år", "uppföljning: " + "u" * 301,
     [f"{ACT}.uppföljning: är 301 tecken; högst 300 går"]),
    # Key figures.
    ("stratsys-word", "stratsys: true", "stratsys: ja",
     ["nyckeltal[0].stratsys: ska vara true eller false, inte texten ”ja”"]),
    ("met-word", "uppfyllt: true", "uppfyllt: ja",
     ["nyckeltal[0].värden[0].uppfyllt: ska vara true, false eller null, inte texten ”ja”"]),
    ("met-missing", "        uppfyllt: true\n", "",
     ["nyckeltal[0].värden[0].uppfyllt: saknas (nyckeln måste finnas)"]),
    ("target-number", 'mål: "150"', "mål: 150",
     ["nyckeltal[0].värden[0].mål: ska vara en text, inte talet 150"]),
    ("value-unknown-key", "        uppfyllt: true\n", "        uppfyllt: true\n        y: 2\n",
     ["nyckeltal[0].värden[0].y: okänd nyckel; tillåtna nycklar här: kommentar, mål, uppfyllt, "
      "utfall, år"]),
    ("values-missing", "    värden:\n", "    x:\n",
     ["nyckeltal[0].x: okänd nyckel; tillåtna nycklar här: namn, stratsys, värden",
      "nyckeltal[0].värden: saknas (nyckeln måste finnas)"]),
    ("value-year-twice", "        uppfyllt: true\n",
     "        uppfyllt: true\n      - år: 2026\n        mål: null\n        utfall: null\n"
     "        uppfyllt: null\n",
     ["nyckeltal[0].värden[1].år: året 2026 står redan i nyckeltal[0].värden[0]"]),
    ("figure-named-twice", "        uppfyllt: true\n",
     "        uppfyllt: true\n  - namn: antal företagsbesök\n    värden: []\n",
     ["nyckeltal[1].namn: nyckeltalet står redan som nyckeltal[0]"]),
    # Campaigns and politicians.
    ("campaign-target-missing", "    mål: 109\n", "",
     ["kampanjer[0].mål: saknas (nyckeln måste finnas)"]),
    ("campaign-target-zero", "    mål: 109\n", "    mål: 0\n",
     ["kampanjer[0].mål: ska vara antalet besök, t.ex. 109, inte talet 0"]),
    ("campaign-ends-first", "    från: 2026-01-01\n", "    från: 2027-01-01\n",
     ["kampanjer[0].till: slutar före `från`; byt plats på datumen"]),
    ("campaign-start-missing", "    från: 2026-01-01\n", "",
     ["kampanjer[0].från: saknas (nyckeln måste finnas)"]),
    ("politician-name-missing", "  - namn: Annette Carlson\n    titel", "  - titel",
     ["politiker[0].namn: saknas (nyckeln måste finnas)"]),
    ("politician-alias-number", "alias: [Annette]", "alias: [5]",
     ["politiker[0].alias[0]: ska vara en text, inte talet 5"]),
    ("politician-unknown-key", "titel: kommunalråd", "titel: kommunalråd\n    x: 1",
     ["politiker[0].x: okänd nyckel; tillåtna nycklar här: alias, namn, titel"]),
    ("campaign-unknown-key", "    mål: 109\n", "    mål: 109\n    antal: 3\n",
     ["kampanjer[0].antal: okänd nyckel; tillåtna nycklar här: från, krav, mål, namn, till"]),
    ("politician-title-too-long", "titel: kommunalråd", "titel: " + "k" * 101,
     ["politiker[0].titel: är 101 tecken; högst 100 går"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [pytest.param(old, new, expected, id=name) for name, old, new, expected in BAD],
)
def test_each_problem_names_its_key_path(old: str | None, new: str, expected: list[str]) -> None:
    text = new if old is None else edited(old, new)
    assert sorted(problems(text)) == sorted(expected)


def test_problems_all_over_the_tree_come_at_once() -> None:
    text = (
        BASE.replace("år: 2026\n", "år: 2026\nnyckel: x\n", 1)
        .replace("personal: [Pia, Anna M, Anna B]", "personal: [Pia, Alla]", 1)
        .replace("    mål: 109\n", "    mål: många\n", 1)
        .replace("kommentar: Halvvägs.", "kommentar: 5", 1)
        .replace("prio: Hög", "prio: 3", 1)
        .replace("stratsys: true", "stratsys: ja", 1)
    )
    found = problems(text)
    assert sorted(found) == sorted(
        [
            f"nyckel: okänd nyckel; tillåtna nycklar här: {TOP_KEYS}",
            "personal[1]: ”Alla” är ingen person; det hör hemma i `vem`",
            "kampanjer[0].mål: ska vara antalet besök, t.ex. 109, inte texten ”många”",
            f"{ACT}.prio: okänd prioritet talet 3; skriv Hög, Medel (eller Mellan) eller Låg",
            f"{UPDATE}.kommentar: ska vara en text, inte talet 5",
            "nyckeltal[0].stratsys: ska vara true eller false, inte texten ”ja”",
        ]
    )


def test_many_problems_are_cut_at_25_in_the_message() -> None:
    activity = BASE.split('          - nummer: "1.2.1"\n')[1].split("nyckeltal:\n")[0]
    many = "".join(
        f'          - nummer: "1.2.{i}"\n' + activity.replace("prio: Hög", "prio: 3")
        for i in range(1, 31)
    )
    text = BASE.split('          - nummer: "1.2.1"\n')[0] + many + "nyckeltal: []\n"
    with pytest.raises(PlanFileError) as caught:
        parse_yaml_text(text, source="plan.yaml")
    assert len(caught.value.problems) == 30
    assert "(30 fel)" in caught.value.message and "… och 5 fel till." in caught.value.message
    assert (
        "kapitel[0].avsnitt[0].aktiviteter[29].prio: okänd prioritet" in caught.value.problems[-1]
    )


# --- Spreadsheets -------------------------------------------------------------------------------

HEADER = list(SPREADSHEET_COLUMNS)
ROW_1 = [
    "1.2.1", "Samverkan och dialog", "Företagsbesök", "Företagsbesök", "Kontakt", "150 besök",
    "• Besöka företag\n- Dokumentera", "2026", "Alla, Anders", "Medel", "Två gånger per år",
]  # fmt: skip
ROW_2 = ["1.2.2", "", "", "Nyhetsbrev", "", "", "", "2026-2027", "", "", ""]


def sheet(*edits: tuple[int, str, object]) -> list[list[object]]:
    rows: list[list[object]] = [list(HEADER), list(ROW_1), list(ROW_2)]
    for row, column, value in edits:
        rows[row][HEADER.index(column)] = value
    return rows


def sheet_problems(rows: list[list[object]]) -> list[str]:
    with pytest.raises(PlanFileError) as caught:
        parse_rows(rows, source="plan.csv")
    return caught.value.problems


def test_a_good_sheet_reads_into_the_plans_records() -> None:
    plan = parse_rows(sheet((1, "när", 2026.0), (2, "när", "2026, 2028")), source="plan.csv")
    assert (plan.year, plan.name, plan.staff) == (2026, None, None)
    first, second = plan.activities()
    assert (first.number, first.title, first.purpose, first.goal) == (
        "1.2.1", "Företagsbesök", "Kontakt", "150 besök",
    )  # fmt: skip
    assert first.actions == ("Besöka företag", "Dokumentera") and first.years == (2026,)
    assert first.owners == ("Alla", "Anders") and first.priority == "Medel"
    assert first.follow_up == "Två gånger per år" and first.updates == ()
    assert second.years == (2026, 2028) and second.owners == () and second.priority is None
    assert (second.purpose, second.goal, second.follow_up, second.actions) == (None, None, None, ())
    assert [(c.number, c.title) for c in plan.chapters] == [("1", "Samverkan och dialog")]
    assert [(s.number, s.title) for s in plan.chapters[0].sections] == [("1.2", "Företagsbesök")]


SHEET_BAD = [
    ("empty", [[], ["", None]], ["filen är tom; första raden ska vara rubrikerna"]),
    ("header-only", [list(HEADER)], ["filen har inga aktiviteter under rubrikraden"]),
    ("column-twice", [[*HEADER, "prio"], [*ROW_1, "x"]],
     ["rad 1, kolumn L: kolumnen ”prio” står två gånger"]),
    ("title-empty", sheet((1, "titel", "")),
     ["rad 2, kolumn titel (D): får inte vara tom; skriv aktivitetens rubrik"]),
    ("number-short", sheet((1, "nummer", "1.2")),
     ["rad 2, kolumn nummer (A): ska se ut som 1.2.3, inte ”1.2”"]),
    ("title-too-long", sheet((1, "titel", "t" * 301)),
     ["rad 2, kolumn titel (D): är 301 tecken; högst 300 går"]),
    ("chapter-too-long", sheet((1, "kapitel", "k" * 301)),
     ["rad 2, kolumn kapitel (B): är 301 tecken; högst 300 går"]),
    ("follow-up-too-long", sheet((1, "uppföljning", "u" * 301)),
     ["rad 2, kolumn uppföljning (K): är 301 tecken; högst 300 går"]),
    ("chapter-title-differs", sheet((2, "kapitel", "Annat")),
     ["rad 3, kolumn kapitel (B): kapitel 1 heter ”Samverkan och dialog” på rad 2; "
      "skriv samma rubrik på alla rader"]),
    ("section-title-missing", sheet((1, "avsnitt", "")),
     ["avsnitt 1.2: rubriken saknas; skriv den i kolumnen avsnitt"]),
    ("years-missing", sheet((1, "när", "")),
     ["rad 2, kolumn när (H): årtal saknas; skriv t.ex. 2022, 2022-2023 eller 2022, 2024"]),
    ("years-descending", sheet((1, "när", "2027-2026")),
     ["rad 2, kolumn när (H): årtalen ska stå i stigande ordning utan dubbletter, "
      "inte [2027, 2026]"]),
    ("year-1800", sheet((1, "när", "1800")),
     ["rad 2, kolumn när (H): ”1800” är inga årtal; skriv t.ex. 2022, 2022-2023 eller 2022, 2024"]),
    ("owner-twice", sheet((1, "vem", "Anders, anders")),
     ["rad 2, kolumn vem (I): ”anders” står två gånger"]),
    ("owner-too-long", sheet((1, "vem", "z" * 65)),
     ["rad 2, kolumn vem (I): namnet är 65 tecken; högst 64 går"]),
    ("priority-unknown", sheet((1, "prio", "Jättehög")),
     ["rad 2, kolumn prio (J): okänd prioritet ”Jättehög”; "
      "skriv Hög, Medel (eller Mellan) eller Låg"]),
    ("several", sheet((1, "prio", "x"), (1, "titel", ""), (2, "nummer", "9")),
     ["rad 2, kolumn titel (D): får inte vara tom; skriv aktivitetens rubrik",
      "rad 2, kolumn prio (J): okänd prioritet ”x”; skriv Hög, Medel (eller Mellan) eller Låg",
      "rad 3, kolumn nummer (A): ska se ut som 1.2.3, inte ”9”"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "expected"),
    [pytest.param(rows, expected, id=name) for name, rows, expected in SHEET_BAD],
)
def test_each_sheet_problem_names_its_row_and_column(
    rows: list[list[object]], expected: list[str]
) -> None:
    assert sheet_problems(rows) == expected
