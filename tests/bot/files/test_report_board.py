"""The report as handed to the board: A4, page numbers, contents, widths that keep words whole,
"Preliminär – läget DATE" before the follow-up day, every mark explained; and the xlsx prints.

One test renders the docx with LibreOffice and reads the PDF back; it is skipped, saying why,
where LibreOffice (soffice) and poppler (pdftotext) are not installed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from openpyxl import load_workbook

from bot.clock import FixedClock
from bot.context import Knalle
from bot.core.plan.importer import import_plan_file
from bot.files.report import report_file

PLAN = Path(__file__).resolve().parents[3] / "data" / "plans" / "boras-2022.yaml"


@pytest.fixture
def shipped(sqlite_knalle: Knalle, clock: FixedClock) -> Knalle:
    with sqlite_knalle.db.write() as session:
        import_plan_file(session, PLAN, sqlite_knalle.clock.now())
    return sqlite_knalle


def _docx(knalle: Knalle, period: str) -> DocxDocument:
    _, data = report_file(knalle, period, "docx")
    return Document(io.BytesIO(data))


def test_the_docx_is_a4_with_page_numbers_and_contents(shipped: Knalle) -> None:
    document = _docx(shipped, "2022-H2")
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    texts = [p.text for p in document.paragraphs]
    assert "Innehåll" in texts and "1. Samverkan och dialog" in texts
    assert texts[0] == "Uppföljning 2022-H2 – Näringslivsenhetens verksamhetsplan 2022"
    assert not any(t.startswith("Preliminär") for t in texts)  # 2022 is long past


def test_tables_have_fixed_widths_that_hold_their_longest_words(shipped: Knalle) -> None:
    from bot.files import word

    document = _docx(shipped, "2022-H2")
    for table in document.tables:
        assert "w:tblLayout" in table._tbl.xml and 'w:type="fixed"' in table._tbl.xml
        for row in table.rows:
            for cell in row.cells:
                if cell.width is None:
                    continue
                sizes = [r.font.size.pt for p in cell.paragraphs for r in p.runs if r.font.size]
                font = max(sizes, default=word.TABLE_FONT_PT)
                for text in cell.text.split():
                    need = word.word_width([text.strip("●○–")], font_pt=font) - 0.05
                    assert cell.width.cm + 0.31 >= need, (text, cell.width.cm, need)


def test_before_the_follow_up_day_it_is_preliminary(shipped: Knalle, clock: FixedClock) -> None:
    clock.current = dt.datetime(2022, 11, 24, 10, tzinfo=shipped.settings.zone)
    _, data = report_file(shipped, "2022-H2", "md")
    text = data.decode()
    assert "Preliminär – läget 24 nov 2022: siffrorna gäller t.o.m. 24 nov 2022." in text
    assert "t.o.m. 24 nov 2022" in text and "t.o.m. 15 dec 2022" not in text
    texts = [p.text for p in _docx(shipped, "2022-H2").paragraphs]
    assert "Preliminär – läget 24 nov 2022" in texts


def test_the_title_names_the_plan_in_force(shipped: Knalle, clock: FixedClock) -> None:
    clock.current = dt.datetime(2023, 6, 20, 10, tzinfo=shipped.settings.zone)
    _, data = report_file(shipped, "2023-H1", "md")
    first, _, third = data.decode().splitlines()[:3]
    assert first == "# Uppföljning 2023-H1 – Näringslivsenhetens verksamhetsplan 2022"
    assert "inte inläst, så Näringslivsenhetens verksamhetsplan 2022 gäller." in third


def test_every_mark_is_explained(shipped: Knalle) -> None:
    for fmt in ("md", "docx"):
        _, data = report_file(shipped, "2022-H2", fmt)
        if fmt == "docx":
            document = Document(io.BytesIO(data))
            cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
            text = "\n".join([p.text for p in document.paragraphs] + cells)
        else:
            text = data.decode()
        assert "redovisas i STRATSYS" in text  # the "*" after a key figure
        assert "utan ljus = rapporterad, men utan trafikljus" in text  # the "–"
        assert "ej rapporterad = ingen uppdatering för perioden" in text


def test_the_xlsx_prints_a4_landscape_fit_to_width_with_header_rows(shipped: Knalle) -> None:
    _, data = report_file(shipped, "2022-H2", "xlsx")
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert book["Aktiviteter"].print_title_rows == "$1:$1"
    assert book["Aktiviteter"].auto_filter.ref.startswith("A1:H")
    assert "redovisas i STRATSYS" in str([c.value for row in book["Sammanfattning"] for c in row])


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None,
    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are not installed: "
    "apt-get install libreoffice-writer-nogui poppler-utils",
)
def test_the_docx_renders_as_a4_pages_with_every_table_word_whole(
    shipped: Knalle, tmp_path: Path
) -> None:
    assert SOFFICE is not None and PDFTOTEXT is not None
    _, data = report_file(shipped, "2022-H2", "docx")
    source = tmp_path / "rapport.docx"
    source.write_bytes(data)
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "rapport.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "595.3" in info and "841.89" in info  # A4 portrait, in points
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert re.search(r"Sida 1 av \d+", text)
    # Every long word of every table cell comes out whole as often as the document has it:
    # a word broken across lines ("Samver" / "kan") would be missing once.
    document = Document(str(source))
    words = [
        w
        for t in document.tables
        for r in t.rows
        for c in r.cells
        for w in re.findall(r"[A-Za-zÅÄÖåäö]{9,}", c.text)
    ]
    assert "Samverkan" in words
    # The bold header words too, however short: "Vem" over an activity without owners (8.6.1
    # Beredskap) came out as "Ve" / "m".
    words += [w for t in document.tables for c in t.rows[0].cells for w in c.text.split()]
    assert "Vem" in words
    everywhere = "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )

    def whole(word: str, haystack: str) -> int:
        return len(re.findall(rf"(?<![\wÅÄÖåäö]){word}(?![\wÅÄÖåäö])", haystack))

    for found in set(words):
        assert whole(found, text) >= whole(found, everywhere), found
