"""Themes as rows on visits: set on storing, corrected by a person, retagged by the list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.context import Knalle
from bot.core.visits import feedback
from bot.core.visits.actions import VisitDraft
from bot.errors import InvalidInput
from storage.models import Company, VisitTheme
from tests import units

TODAY = dt.date(2026, 11, 24)
KOMPETENS = "Kompetensförsörjning"
LOKALER = "Mark och lokaler"
ENERGI = "Energi"


def log(knalle: Knalle, company: str, notes: str, days_ago: int = 1, user: str = "UPIA") -> int:
    draft = VisitDraft(company=company, visit_date=TODAY - dt.timedelta(days=days_ago), notes=notes)
    return units.record(knalle, draft, user, company="new").id


def rows(knalle: Knalle, visit_id: int) -> dict[str, tuple[str, bool]]:
    with knalle.db.read() as session:
        found = session.scalars(select(VisitTheme).where(VisitTheme.visit_id == visit_id))
        return {r.theme: (r.set_by, r.applies) for r in found}


def test_a_visit_is_tagged_when_stored(knalle: Knalle) -> None:
    visit_id = log(knalle, "Ellos AB", "Svårt att rekrytera, och lokalerna är för små.")
    assert rows(knalle, visit_id) == {KOMPETENS: ("lista", True), LOKALER: ("lista", True)}
    saved = units.get_for_edit(knalle, visit_id, "UPIA")
    assert saved.themes == (KOMPETENS, LOKALER)


def test_a_persons_correction_is_final_and_retag_keeps_it(knalle: Knalle) -> None:
    visit_id = log(knalle, "Ellos AB", "Svårt att rekrytera, och lokalerna är för små.")
    shown = units.get_for_edit(knalle, visit_id, "UPIA")
    draft = VisitDraft(
        company="Ellos AB",
        visit_date=shown.visit_date,
        notes=shown.notes,
        themes=(KOMPETENS, ENERGI),  # removed Mark och lokaler, added Energi
        themes_shown=shown.themes,
    )
    units.edit(knalle, visit_id, "UPIA", draft, company=shown.company_id)
    assert rows(knalle, visit_id) == {
        KOMPETENS: ("lista", True),
        LOKALER: ("person", False),
        ENERGI: ("person", True),
    }
    result = units.retag(knalle)
    assert result.visits == 1
    assert rows(knalle, visit_id)[LOKALER] == ("person", False)
    assert rows(knalle, visit_id)[ENERGI] == ("person", True)
    assert units.get_for_edit(knalle, visit_id, "UPIA").themes == (KOMPETENS, ENERGI)


def test_an_unknown_theme_from_the_form_is_refused_and_nothing_changes(knalle: Knalle) -> None:
    visit_id = log(knalle, "Ellos AB", "rekrytering")
    draft = VisitDraft(company="Ellos AB", visit_date=TODAY, notes="ny text", themes=("Påhittat",))
    with pytest.raises(InvalidInput, match="Påhittat"):
        units.edit(knalle, visit_id, "UPIA", draft)
    assert rows(knalle, visit_id) == {KOMPETENS: ("lista", True)}


def test_editing_the_notes_retags_by_the_list(knalle: Knalle) -> None:
    visit_id = log(knalle, "Ellos AB", "rekrytering")
    shown = units.get_for_edit(knalle, visit_id, "UPIA")
    draft = VisitDraft(company="Ellos AB", visit_date=shown.visit_date, notes="elpriset")
    units.edit(knalle, visit_id, "UPIA", draft, company=shown.company_id)
    assert rows(knalle, visit_id) == {ENERGI: ("lista", True)}


def test_retag_with_a_changed_list(knalle: Knalle, tmp_path: Path) -> None:
    first = log(knalle, "Ellos AB", "De behöver bussar och elpriset är högt")
    changed = tmp_path / "teman.yaml"
    changed.write_text(
        "teman:\n  - namn: Kollektivtrafik\n    ord: [buss]\n  - namn: Energi\n    ord: [elpris]\n",
        encoding="utf-8",
    )
    result = units.retag(knalle, changed)
    assert result.added == 1 and result.removed == 1  # Infrastruktur… gone, Kollektivtrafik new
    assert rows(knalle, first) == {"Kollektivtrafik": ("lista", True), ENERGI: ("lista", True)}


def test_the_compilation_counts_splits_and_quotes(knalle: Knalle) -> None:
    a = log(knalle, "Ellos AB", "Kompetensbrist. Vill ha större lokaler.", days_ago=3)
    log(knalle, "Borås Wäfveri", "Svårt att rekrytera vävare.", days_ago=2)
    log(knalle, "Ellos AB", "Personalbristen är akut.", days_ago=1)
    log(knalle, "Tomt AB", "Pratade om vädret.", days_ago=1)
    with knalle.db.write() as session:
        for company in session.scalars(select(Company)):
            company.cluster = "Textil/mode/design" if "Wäfveri" in company.name else "Handel"
    result = units.compilation(knalle, 2026)
    assert result.visits == 4 and result.tagged == 3 and result.untagged == 1
    top = result.ranked[0]
    assert top.name == KOMPETENS and top.count == 3
    assert top.by_cluster == {"Handel": 2, "Textil/mode/design": 1}
    assert [q.excerpt for q in top.quotes] == [
        "Personalbristen är akut.",
        "Svårt att rekrytera vävare.",
        "Kompetensbrist.",
    ]
    grouped = top.by_company()
    assert grouped[0][0] == "Ellos AB" and len(grouped[0][1]) == 2
    assert result.ranked[1].name == LOKALER and result.ranked[1].count == 1
    assert {t.name for t in result.themes} >= {ENERGI}  # every listed theme, zero included
    units.undo(knalle, a, "UPIA")
    assert units.compilation(knalle, 2026).ranked[0].count == 2


def test_a_year_word_is_checked() -> None:
    with pytest.raises(InvalidInput, match="fyra siffror"):
        feedback.parse_year("i fjol", TODAY)
    with pytest.raises(InvalidInput, match="inte börjat"):
        feedback.parse_year("2030", TODAY)
    assert feedback.parse_year("", TODAY) == 2026
