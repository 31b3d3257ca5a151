"""The produced files, opened with the libraries that wrote them: activities, lights, figures."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.context import Knalle
from bot.core.report import FollowUpReport
from bot.errors import InvalidInput
from bot.files.markdown import text
from bot.files.report import check_format, default_filename, render
from bot.files.report_xlsx import ACTIVITY_SHEET, SUMMARY_SHEET
from bot.files.style import LIGHT_COLOUR
from tests.bot.core.report_data import build, report_for


@pytest.fixture
def report(sqlite_knalle: Knalle) -> FollowUpReport:
    with sqlite_knalle.db.write() as session:
        build(session)
    return report_for(sqlite_knalle)


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def _fill(cell: Any) -> str | None:
    if cell.fill is None or cell.fill.fill_type != "solid":
        return None
    return str(cell.fill.fgColor.rgb)[-6:]


# -- xlsx -----------------------------------------------------------------------------------


def test_xlsx_lists_the_activities_under_their_headings(report: FollowUpReport) -> None:
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    assert book.sheetnames == [SUMMARY_SHEET, ACTIVITY_SHEET]
    rows = _rows(book[ACTIVITY_SHEET])
    assert rows[0] == ("Nr", "Aktivitet", "När", "Vem", "Prio", "Uppföljning", "Kommentar",
                       "Skriven av")  # fmt: skip
    assert [row[0] for row in rows[1:]] == [
        "1", "1.2", "1.2.1", "1.2.2", "2", "2.1", "2.1.1", "2.1.2",
    ]  # fmt: skip
    by_number = {row[0]: row for row in rows}
    assert by_number["1.2.1"][1:7] == (
        "Företagsbesök", "2026", "Pia, Per", "Hög", "gul", "Försenat & <b>",
    )  # fmt: skip
    assert by_number["1.2.1"][7] == "Pia, 1 dec 2026"
    assert by_number["1.2.2"][5] == "ej rapporterad" and by_number["1.2.2"][6] is None
    assert by_number["2.1.1"][5:7] == ("grön", "Tolv träffar")


def test_xlsx_colours_each_light_cell(report: FollowUpReport) -> None:
    sheet = load_workbook(io.BytesIO(render(report, "xlsx")))[ACTIVITY_SHEET]
    fills = {row[0].value: _fill(row[5]) for row in sheet.iter_rows(min_row=2)}
    assert fills["1.2.1"] == LIGHT_COLOUR["gul"] == "FFC000"
    assert fills["2.1.1"] == LIGHT_COLOUR["grön"] == "00B050"
    assert fills["1.2.2"] is None  # ej rapporterad: no light, red bold italic text instead
    flagged = next(row[5] for row in sheet.iter_rows(min_row=2) if row[0].value == "1.2.2")
    assert flagged.font.bold and flagged.font.italic


def test_xlsx_summary_has_counts_visits_chart_and_key_figures(report: FollowUpReport) -> None:
    sheet = load_workbook(io.BytesIO(render(report, "xlsx")))[SUMMARY_SHEET]
    rows = _rows(sheet)
    labelled = {row[0]: row[1:] for row in rows if row[0] is not None}
    assert labelled["Alla aktiviteter"][:7] == (1, 1, 0, 0, 1, 1, 4)
    assert labelled["1. Samverkan och dialog"][:7] == (0, 1, 0, 0, 0, 1, 2)
    assert labelled["Hög"][:7] == (0, 1, 0, 0, 0, 0, 1)
    assert labelled["Besök t.o.m. 15 dec 2026"][0] == 4
    assert labelled["Mål för året"][0] == 150
    assert labelled["mars"][0] == 2
    assert labelled["Textil/mode/design"][0] == 2
    assert labelled["NKI, nöjd kundindex *"][:3] == ("75", "77", "Ja")
    assert labelled["Nettojobb"][:3] == (None, None, "–")
    assert len(sheet._images) == 1  # the chart by month


# -- docx -----------------------------------------------------------------------------------


def _docx(report: FollowUpReport) -> Any:
    return Document(io.BytesIO(render(report, "docx")))


def _tables_with_header(document: Any, first: str) -> Iterator[Any]:
    return (table for table in document.tables if table.rows[0].cells[0].text == first)


def test_docx_has_the_plans_headings_in_order(report: FollowUpReport) -> None:
    headings = [p.text for p in _docx(report).paragraphs if p.style.name.startswith("Heading")]
    plan_part = headings[headings.index("1. Samverkan och dialog") :]
    assert plan_part == [
        "1. Samverkan och dialog",
        "1.2 Företagsbesök",
        "1.2.1 Företagsbesök",
        "1.2.2 Företagsamt",
        "2. Nyföretagande",
        "2.1 Starta eget",
        "2.1.1 Nyföretagarträffar",
        "2.1.2 Rådgivning",
    ]


def test_docx_activity_tables_carry_owners_prio_and_a_coloured_light(
    report: FollowUpReport,
) -> None:
    tables = list(_tables_with_header(_docx(report), "När"))
    assert len(tables) == 4
    values = [[cell.text for cell in table.rows[1].cells] for table in tables]
    assert values[0] == ["2026", "Pia, Per", "Hög", "● gul"]
    assert values[1][3] == "○ ej rapporterad"
    light_runs = [table.rows[1].cells[3].paragraphs[0].runs[0] for table in tables]
    assert str(light_runs[0].font.color.rgb) == LIGHT_COLOUR["gul"]
    assert str(light_runs[2].font.color.rgb) == LIGHT_COLOUR["grön"]


def test_docx_comments_and_flags(report: FollowUpReport) -> None:
    texts = [p.text for p in _docx(report).paragraphs]
    assert "Kommentar: Försenat & <b>" in texts
    assert "Pia, 1 dec 2026" in texts
    assert "Kommentar: ej rapporterad för perioden." in texts
    assert "Kommentar: Sent ändrat" not in texts  # written after the follow-up day


def test_docx_summary_figures_and_chart(report: FollowUpReport) -> None:
    document = _docx(report)
    [figures] = list(_tables_with_header(document, "Nyckeltal"))
    assert [c.text for c in figures.rows[1].cells] == ["NKI, nöjd kundindex *", "75", "77", "Ja"]
    [counts] = list(_tables_with_header(document, "Uppföljning"))
    assert [c.text for c in counts.rows[1].cells] == ["Alla aktiviteter", "1", "1", "0", "0",
                                                      "1", "1", "4"]  # fmt: skip
    assert len(document.inline_shapes) == 1
    assert any("4 av 150 besök" in p.text for p in document.paragraphs)


# -- Markdown -------------------------------------------------------------------------------


def test_markdown_shows_lights_flags_and_escapes_user_text(report: FollowUpReport) -> None:
    md = render(report, "md").decode("utf-8")
    assert "| 2026 | Pia, Per | Hög | 🟡 gul |" in md
    assert "| 2026 | Alla | Medel | ⭕ ej rapporterad |" in md
    assert "Kommentar: **ej rapporterad** för perioden." in md
    assert "Kommentar: Försenat & \\<b\\>" in md  # no raw HTML from a comment
    assert "| NKI, nöjd kundindex \\* | 75 | 77 | Ja |" in md
    assert md.index("## 1. Samverkan och dialog") < md.index("#### 2.1.2 Rådgivning")
    assert "Sent ändrat" not in md


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [("a_b *c*", "a\\_b \\*c\\*"), ("# rubrik", "\\# rubrik"), ("<!channel>", "\\<!channel\\>")],
)
def test_markdown_text_escaping(raw: str, escaped: str) -> None:
    assert text(raw) == escaped


def test_formats_and_file_names(report: FollowUpReport) -> None:
    assert default_filename(report.period, "xlsx") == "uppfoljning-2026-H2.xlsx"
    assert check_format("MD") == "md" and check_format("markdown") == "md"
    with pytest.raises(InvalidInput, match="xlsx, docx eller md"):
        check_format("pdf")


def test_xlsx_keeps_user_text_that_looks_like_a_formula_as_text(report: FollowUpReport) -> None:
    formula = '=HYPERLINK("http://example.com","klicka")'
    chapter = report.chapters[0]
    section = chapter.sections[0]
    row = dataclasses.replace(section.activities[0], comment=formula, title="=1+1")
    section = dataclasses.replace(section, activities=(row, *section.activities[1:]))
    chapter = dataclasses.replace(chapter, sections=(section, *chapter.sections[1:]))
    tampered = dataclasses.replace(report, chapters=(chapter, *report.chapters[1:]))
    book = load_workbook(io.BytesIO(render(tampered, "xlsx")))
    cells = [cell for line in book[ACTIVITY_SHEET].iter_rows() for cell in line]
    assert [c.value for c in cells if c.value in (formula, "=1+1")] == ["=1+1", formula]
    assert all(c.data_type == "s" for c in cells if isinstance(c.value, str))
