"""`knalle synpunkter` (md, docx, xlsx) and `knalle themes retag` on a year of visits."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from bench.feedback_world import fill
from bot import cli
from bot.cli.feedback import write_synpunkter
from bot.context import Knalle
from bot.errors import InvalidInput
from tests import units

PLAN = Path(__file__).resolve().parents[3] / "data" / "plans" / "boras-2022.yaml"


@pytest.fixture
def year(sqlite_knalle: Knalle) -> Knalle:
    fill(sqlite_knalle, visits=150, companies=40, years=(2025,))
    return sqlite_knalle


def test_markdown_ranks_the_themes_then_quotes_by_company(year: Knalle) -> None:
    out = io.StringIO()
    assert write_synpunkter(year, 2025, None, None, out) == 0
    text = out.getvalue()
    assert text.startswith("# Synpunkter från företagsbesöken 2025")
    assert "150 besök, varav" in text
    table = [line for line in text.splitlines() if line.startswith("| ") and "%" in line]
    counts = [int(line.split("|")[2]) for line in table]
    assert counts == sorted(counts, reverse=True) and len(counts) >= 5
    assert "## Kompetensförsörjning (" in text and "Per kluster: " in text
    assert "\n**" in text and "\n- " in text  # a company, then its quotes


def test_docx_is_a4_with_page_numbers_contents_and_a_heading_per_theme(
    year: Knalle, tmp_path: Path
) -> None:
    path = tmp_path / "s.docx"
    assert write_synpunkter(year, 2025, "docx", path, io.StringIO()) == 0
    document = Document(str(path))
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    body = document.element.body.xml
    assert "TOC \\o" in body
    headings = [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 1"]
    assert "Innehåll" in headings and any(h.startswith("Kompetensförsörjning (") for h in headings)
    with zipfile.ZipFile(path) as package:
        assert any(name.startswith("word/media/") for name in package.namelist())  # the chart
        assert "updateFields" in package.read("word/settings.xml").decode()


def test_xlsx_prints_a4_landscape_with_a_filter_on_the_quotes(year: Knalle, tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    assert write_synpunkter(year, 2025, None, path, io.StringIO()) == 0
    book = load_workbook(path)
    quotes = book["Citat"]
    assert [c.value for c in quotes[1]] == ["Tema", "Företag", "Datum", "Kluster", "Citat"]
    assert quotes.auto_filter.ref.startswith("A1:E") and quotes.max_row > 100
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$1"


def test_a_bad_format_or_a_future_year_is_refused_in_swedish(year: Knalle) -> None:
    with pytest.raises(InvalidInput, match="Välj md, docx eller xlsx"):
        write_synpunkter(year, 2025, "pdf", None, io.StringIO())
    with pytest.raises(InvalidInput, match="inte börjat"):
        write_synpunkter(year, 2030, None, None, io.StringIO())


def test_the_verbs_exist_with_swedish_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["synpunkter", "--help"])
    assert "citaten grupperade per företag" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit):
        cli.main(["themes", "retag", "--help"])
    assert "en persons val ändras aldrig" in " ".join(capsys.readouterr().out.split())


def test_the_follow_up_report_has_a_short_synpunkter_section(sqlite_knalle: Knalle) -> None:
    from bot.core.plan.importer import import_plan_file
    from bot.files.report import report_file

    with sqlite_knalle.db.write() as session:
        import_plan_file(session, PLAN, sqlite_knalle.clock.now())
    fill(sqlite_knalle, visits=150, companies=40, years=(2022,))
    _, data = report_file(sqlite_knalle, "2022-H2", "md")
    text = data.decode("utf-8")
    assert "## Synpunkter från företagsbesöken 2022" in text
    assert "- **Kompetensförsörjning**: Per kluster:" in text
    assert "”" not in text.split("## Synpunkter")[1].split("## Nyckeltal")[0]  # no quotes
    _, docx_bytes = report_file(sqlite_knalle, "2022-H2", "docx")
    document = Document(io.BytesIO(docx_bytes))
    assert any(p.text == "Synpunkter från företagsbesöken 2022" for p in document.paragraphs)


def test_one_theme_is_told_in_the_singular(sqlite_knalle: Knalle, tmp_path: Path) -> None:
    from bot.core.visits import actions as visits

    knalle = sqlite_knalle
    draft = visits.VisitDraft("Ellos AB", knalle.clock.now().date(), notes="pratade el")
    units.record(knalle, draft, "UPIA")
    out = io.StringIO()
    assert write_synpunkter(knalle, None, "docx", tmp_path / "s.docx", out) == 0
    assert "(1 tema, 1 besök)" in out.getvalue(), out.getvalue()
