"""Shape checks for data/plans/boras-2022.yaml against facts read in the seed document.

The seed is ../shared/seeds/000_1dd2ff8e61888b7d.txt (the 2022 verksamhetsplan with its follow-up).
These tests pin what was verified by reading it, so an edit that drops or moves an activity fails.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

PLAN_PATH = Path(__file__).resolve().parents[2] / "data" / "plans" / "boras-2022.yaml"

# fmt: off
TEAM = [
    "Annika", "Caroline", "Ingrid", "Per", "Pia", "Nelly", "Peder",
    "Anna M", "Jonas", "Sara", "Anna B", "Arvid", "Anders",
]
# fmt: on
SPECIAL_OWNERS = {"Alla", "Berörda"}
# Owners named in the source who are not on the team (organisations, outside people).
# None were found in the 2022 plan: every Vem entry is a team first name, "Alla" or "Berörda".
NAMED_EXCEPTIONS: frozenset[str] = frozenset()

PRIOS = {"Hög", "Medel", "Mellan", "Låg"}
LIGHTS = {"grön", "gul", "röd", "grå"}

# 56 activities: the source has 55 "Syfte:" blocks plus "Beredskap" (8.6, which has no Syfte),
# and 56 "Kommentar:" lines after chapter 1 starts. Per chapter: 15, 15, 15, 1, 1, 1, 2, 6.
TOTAL_ACTIVITIES = 56
# fmt: off
ACTIVITIES_PER_SECTION = {
    "1.1": 4, "1.2": 3, "1.3": 1, "1.4": 1, "1.5": 6,
    "2.1": 1, "2.2": 3, "2.3": 2, "2.4": 3, "2.5": 1, "2.6": 3, "2.7": 2, "2.8": 0,
    "3.1": 6, "3.2": 6, "3.3": 2, "3.4": 1, "3.5": 0,
    "4.1": 1,
    "5.1": 1,
    "6.1": 1,
    "7.1": 2, "7.2": 0,
    "8.1": 0, "8.2": 1, "8.3": 1, "8.4": 1, "8.5": 2, "8.6": 1, "8.7": 0,
}
# fmt: on
CHAPTER_TITLES = {
    "1": "Samverkan och dialog",
    "2": "Stimulera och stödja företagen",
    "3": "Branschnätverk och kluster stärker konkurrenskraft och företag",
    "4": "Kompetensförsörjning",
    "5": "Attraktiv levande stad",
    "6": "Sammanhållen tillväxtprocess vid ny- och ometablering",
    "7": "Konkurrenskraftig fysisk handel",
    "8": "Interna stödprocesser",
}


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    with PLAN_PATH.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    assert isinstance(data, dict)
    return data


def activities(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for chapter in plan["kapitel"]:
        for section in chapter["avsnitt"]:
            yield from section["aktiviteter"]


def by_number(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["nummer"]: a for a in activities(plan)}


def test_header(plan: dict[str, Any]) -> None:
    assert plan["år"] == 2022
    assert plan["namn"] == "Näringslivsenhetens verksamhetsplan 2022"
    assert plan["personal"] == TEAM


def test_total_number_of_activities(plan: dict[str, Any]) -> None:
    assert len(list(activities(plan))) == TOTAL_ACTIVITIES


def test_chapter_titles(plan: dict[str, Any]) -> None:
    assert {c["nummer"]: c["titel"] for c in plan["kapitel"]} == CHAPTER_TITLES
    assert [c["nummer"] for c in plan["kapitel"]] == list(CHAPTER_TITLES)


def test_sections_and_activity_counts(plan: dict[str, Any]) -> None:
    counts = {s["nummer"]: len(s["aktiviteter"]) for c in plan["kapitel"] for s in c["avsnitt"]}
    assert counts == ACTIVITIES_PER_SECTION
    assert sum(counts.values()) == TOTAL_ACTIVITIES


def test_numbering(plan: dict[str, Any]) -> None:
    numbers = [a["nummer"] for a in activities(plan)]
    assert len(numbers) == len(set(numbers)), "activity numbers must be unique"
    for chapter in plan["kapitel"]:
        assert isinstance(chapter["nummer"], str)
        for section in chapter["avsnitt"]:
            assert isinstance(section["nummer"], str)
            assert section["nummer"].startswith(chapter["nummer"] + ".")
            for i, act in enumerate(section["aktiviteter"], 1):
                assert act["nummer"] == f"{section['nummer']}.{i}"


def test_owners_are_known(plan: dict[str, Any]) -> None:
    allowed = set(TEAM) | SPECIAL_OWNERS | NAMED_EXCEPTIONS
    for act in activities(plan):
        assert isinstance(act["vem"], list)
        for owner in act["vem"]:
            assert owner in allowed, f"{act['nummer']}: unknown owner {owner!r}"
        assert "Anna" not in act["vem"], "a bare 'Anna' must be resolved to Anna M or Anna B"


def test_every_activity_has_an_owner_except_beredskap(plan: dict[str, Any]) -> None:
    without = [a["nummer"] for a in activities(plan) if not a["vem"]]
    assert without == ["8.6.1"]  # "Beredskap" has no Vem column in the source


def test_prios(plan: dict[str, Any]) -> None:
    for act in activities(plan):
        if act["nummer"] == "8.6.1":  # "Beredskap": the table has only Aktiviteter and När
            assert act["prio"] is None
            continue
        assert act["prio"] in PRIOS, act["nummer"]


def test_field_types(plan: dict[str, Any]) -> None:
    for act in activities(plan):
        assert isinstance(act["titel"], str) and act["titel"]
        assert isinstance(act["åtgärder"], list) and act["åtgärder"]
        assert all(isinstance(x, str) and x for x in act["åtgärder"])
        assert act["när"] and all(type(y) is int for y in act["när"])
        assert act["när"] == sorted(act["när"])


def test_updates(plan: dict[str, Any]) -> None:
    for act in activities(plan):
        # every activity in the 2022 follow-up has a Kommentar, so exactly one update each
        assert len(act["uppdateringar"]) == 1, act["nummer"]
        upd = act["uppdateringar"][0]
        assert upd["period"] == "2022-H2"
        assert upd["datum"] == datetime.date(2022, 12, 15)
        assert upd["ljus"] is None or upd["ljus"] in LIGHTS
        assert isinstance(upd["kommentar"], str) and upd["kommentar"].strip()


def test_inferred_lights_are_marked() -> None:
    text = PLAN_PATH.read_text(encoding="utf-8")
    light_lines = [ln for ln in text.splitlines() if re.match(r"\s*ljus:", ln)]
    assert len(light_lines) == TOTAL_ACTIVITIES
    for ln in light_lines:
        if "ljus: null" not in ln:
            assert ln.rstrip().endswith("# tolkad"), ln


def test_naringslivsdagen(plan: dict[str, Any]) -> None:
    act = by_number(plan)["1.1.1"]
    assert act["titel"] == "Näringslivsdagen"
    assert act["syfte"].startswith("Erbjuda ett årligt återkommande arrangemang")
    assert act["mål"].startswith("Att skapa en positiv och attraktiv bild av Borås Stad")
    assert act["åtgärder"] == [
        "Planera samt genomföra Näringslivsdagen.",
        "Arrangera i nära samarbete med Borås Näringsliv och andra intressenter.",
        "Samarbeta med Företagarna gällande priset Årets företagare.",
        "Följa upp med hjälp av digitala verktyg och mätningar.",
        "Tillsätta en grupp som utvecklar Näringslivsdagen inför vårt 10-årsjubileum 2023.",
    ]
    assert act["när"] == [2022]
    assert act["vem"] == ["Caroline", "Annika", "Peder"]
    assert act["prio"] == "Medel"
    assert act["uppföljning"] == "Två gånger per år"
    upd = act["uppdateringar"][0]
    assert upd["kommentar"] == "Näringslivsdagen 2022 är avslutat och gick enligt plan."
    assert upd["ljus"] == "grön"


def test_section_1_2_company_visits(plan: dict[str, Any]) -> None:
    acts = by_number(plan)
    a1, a2, a3 = acts["1.2.1"], acts["1.2.2"], acts["1.2.3"]

    assert a1["titel"] == "Koncentrerade företagsbesök – 109 företagsbesök"
    assert a1["vem"] == ["Annika", "Per", "Alla"]
    assert a1["prio"] == "Hög"
    assert a1["när"] == [2022]
    assert len(a1["åtgärder"]) == 3
    assert "Fredagslunchen 2023-02-03" in a1["uppdateringar"][0]["kommentar"]

    assert a2["titel"] == "Koncentrerade företagsbesök – 109+"
    assert a2["vem"] == ["Annika", "Pia"]
    assert a2["prio"] == "Låg"
    assert a2["när"] == [2022, 2023]
    assert a2["uppföljning"] == "Två gånger per år."  # with the full stop, as written
    assert "Sända nyhetsbrev till alla nyföretagare" in a2["uppdateringar"][0]["kommentar"]

    assert a3["titel"] == "Företagsbesök"
    assert a3["mål"] == "Enheten besöker cirka 150 företag/organisationer per år."
    # "Alla" owns the visits; "Anders" stands by the KS visits further down the table
    assert a3["vem"] == ["Alla", "Anders"]
    assert a3["prio"] == "Medel"
    assert len(a3["åtgärder"]) == 6
    visits = "Besöka 150 företag/organisationer per år. Dokumentering av varje besök görs i Slack."
    assert visits in a3["åtgärder"]
    assert "Organisera KS-besök på företag enligt önskemål." in a3["åtgärder"]
    assert a3["uppdateringar"][0]["kommentar"].startswith("P.g.a. Corona och valår")
    assert a3["uppdateringar"][0]["ljus"] == "grå"


def test_mellan_priority(plan: dict[str, Any]) -> None:
    mellan = sorted(a["nummer"] for a in activities(plan) if a["prio"] == "Mellan")
    assert mellan == ["2.5.1", "8.5.2"]
    act = by_number(plan)["2.5.1"]
    assert act["titel"] == "Företagsrevitalisering"
    assert act["vem"] == ["Per", "Anders"]
    assert act["åtgärder"][0] == (
        "Arbeta med 7-10 företag i syfte att uppnå en positiv framtidsutveckling."
    )
    act = by_number(plan)["8.5.2"]
    assert act["titel"] == "Uppföljning av våra avtal och upphandlingar"
    assert act["vem"] == ["Annika"]


def test_gap_analysis_follow_up(plan: dict[str, Any]) -> None:
    act = by_number(plan)["3.1.5"]
    assert act["titel"] == "Textile movement"
    assert "Göra en GAP-analys, lokal textil produktion" in act["åtgärder"]
    assert act["uppföljning"].startswith("Två gånger per år")
    assert "GAP-analysen utvärderas i juli" in act["uppföljning"]
    with_july = [a["nummer"] for a in activities(plan) if "juli" in (a["uppföljning"] or "")]
    assert with_july == ["3.1.5"]
    assert act["vem"] == ["Anders", "Nelly", "Caroline", "Per"]
    assert act["prio"] == "Hög"
    assert act["när"] == [2022]
    assert "Gap-analysen blev klar 2023-02-09" in act["uppdateringar"][0]["kommentar"]


def test_anna_m_and_anna_b(plan: dict[str, Any]) -> None:
    acts = by_number(plan)
    # written "Anna M" / "Anna B" in the source
    assert acts["1.5.5"]["titel"] == "Välkomstpaket till större nyinflyttade företag"
    assert acts["1.5.5"]["vem"] == ["Anna M", "Pia"]
    assert acts["3.2.1"]["titel"] == "E-handelsstaden Borås"
    assert acts["3.2.1"]["vem"] == ["Anna M", "Sara", "Anders", "Jonas"]
    assert acts["1.1.4"]["titel"] == "Stärka samarbetet med företagarföreningarna"
    assert acts["1.1.4"]["vem"] == ["Annika", "Anna B", "Anders"]
    assert acts["2.2.1"]["titel"] == "Företagsstart Sjuhärad"
    assert acts["2.2.1"]["vem"] == ["Anna B", "Per", "Anders"]
    assert acts["1.3.1"]["vem"] == ["Anna B", "Anders", "Annika", "Jonas"]


def test_multi_paragraph_comments(plan: dict[str, Any]) -> None:
    acts = by_number(plan)
    creative = acts["3.4.1"]["uppdateringar"][0]["kommentar"]
    assert creative.count("\n\n") == 2
    assert "\n\nOm statistikkonsult:" in acts["2.6.2"]["uppdateringar"][0]["kommentar"]


def test_key_figures(plan: dict[str, Any]) -> None:
    figures = plan["nyckeltal"]
    # section 8.7 lists eight bullets; the first four are marked * (in STRATSYS)
    assert len(figures) == 8
    names = [f["namn"] for f in figures]
    assert names[0].startswith("HUI:s handelsindex")
    assert names[1] == "Antal kvadratmeter ledig säljbar industrimark"
    assert names[2] == "NKI, nöjd kundindex (Insikt)"
    assert names[3] == "Svenskt näringsliv rankning av näringslivsklimat"
    assert names[4].startswith("Antal nettojobb nyskapade i Borås Stad per år")
    assert names[5].startswith("Rankning av logistikområden i Sverige")
    assert names[6].startswith("Efter arrangemang som vi genomför")
    assert names[7].startswith("Vi mäter våra dataflöden")
    assert [f["stratsys"] for f in figures] == [True] * 4 + [False] * 4
    for f in figures:
        assert len(f["värden"]) == 1
        v = f["värden"][0]
        assert v["år"] == 2022
        assert v["uppfyllt"] in (True, False, None)
        assert isinstance(v["utfall"], str) and v["utfall"]
    fulfilled = [f["värden"][0]["uppfyllt"] for f in figures]
    assert fulfilled == [None, None, False, True, None, True, None, True]
    nki = figures[2]["värden"][0]
    assert nki["mål"] == "en positiv utveckling och att trenden visar på förbättring"
    assert nki["utfall"] == "Indikation på NKI 73 (2023-04-05) (2021: 77)"
