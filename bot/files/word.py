"""What makes a Word document fit to hand out: A4, page numbers, a table of contents, and
tables whose columns fit their content (no word broken across lines).

Shared by the follow-up report and the compilation of synpunkter. python-docx writes the
XML; where it has no API (fields, fixed table layout) the elements are written here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

A4_WIDTH_CM, A4_HEIGHT_CM = 21.0, 29.7
MARGIN_CM = 2.0
TEXT_WIDTH_CM = A4_WIDTH_CM - 2 * MARGIN_CM
TABLE_FONT_PT = 9
# Width of one character at TABLE_FONT_PT, generously: Calibri averages ~0.5 em, but where it
# is missing (LibreOffice on a server) a wider font stands in, and bold is wider still. Plus
# the cell's own margins (0.19 cm a side in Word's default).
CHAR_CM = 0.23
BOLD_SCALE = 1.3  # a bold word's width against the same word in regular type, with margin
CELL_PADDING_CM = 0.45
PAGE_TEXT = "Sida "
PAGE_OF = " av "
TOC_TITLE = "Innehåll"


def a4(document: Any, *, landscape: bool = False) -> None:
    """Every section A4 with 2 cm margins (python-docx's default template is US Letter)."""
    for section in document.sections:
        width, height = (A4_HEIGHT_CM, A4_WIDTH_CM) if landscape else (A4_WIDTH_CM, A4_HEIGHT_CM)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(width), Cm(height)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(MARGIN_CM))


def _field(paragraph: Any, instruction: str, shown: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC …) with `shown` as its last computed result."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate):
        run = paragraph.add_run()
        run._r.append(element)
    paragraph.add_run(shown or "1")
    run = paragraph.add_run()
    run._r.append(end)


def page_numbers(document: Any, left_text: str = "") -> None:
    """'Sida 3 av 12' centred in every footer; `left_text` (the title) before it."""
    for section in document.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if left_text:
            paragraph.add_run(f"{left_text} · ").font.size = Pt(8)
        paragraph.add_run(PAGE_TEXT).font.size = Pt(8)
        _field(paragraph, "PAGE")
        paragraph.add_run(PAGE_OF).font.size = Pt(8)
        _field(paragraph, "NUMPAGES")
        for run in paragraph.runs:
            run.font.size = Pt(8)


def table_of_contents(document: Any, entries: Sequence[tuple[int, str]]) -> None:
    """A real TOC field (Word fills in page numbers; the file asks it to update fields on
    opening), whose stored result already lists `entries` (level, heading) so every viewer,
    LibreOffice's converter too, shows the contents even before an update."""
    document.add_paragraph(TOC_TITLE, style="Heading 1")
    first = document.add_paragraph()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = ' TOC \\o "1-2" \\h \\z \\u '
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    for element in (begin, code, separate):
        run = first.add_run()
        run._r.append(element)
    paragraphs = [first]
    for i, (level, text) in enumerate(entries):
        paragraph = first if i == 0 else document.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold = level == 1
        if i:
            paragraphs.append(paragraph)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraphs[-1].add_run()._r.append(end)
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def fitted_widths(
    rows: Sequence[Sequence[str]],
    total_cm: float = TEXT_WIDTH_CM,
    *,
    font_pt: float = 9,
    bold_header: bool = False,
) -> list[float]:
    """Column widths (cm) that hold each column's longest word on one line, the rest of the
    width shared by how much text each column has. Never narrower than the longest word (a
    bold header row's words are wider: "Vem" over an empty column broke as "Ve" / "m")."""
    scale = font_pt / TABLE_FONT_PT
    columns = max(len(row) for row in rows)
    need = [0.0] * columns
    text = [0.0] * columns
    for number, row in enumerate(rows):
        bold = BOLD_SCALE if bold_header and number == 0 else 1.0
        for i, cell in enumerate(row):
            words = cell.split() or [""]
            longest = max(len(w) for w in words)
            need[i] = max(need[i], longest * CHAR_CM * scale * bold + CELL_PADDING_CM)
            text[i] = max(text[i], len(cell) * CHAR_CM * scale + CELL_PADDING_CM)
    if sum(need) >= total_cm:
        return need  # wider than the page: the words still stay whole
    spare = total_cm - sum(need)
    wants = [max(0.0, t - n) for t, n in zip(text, need, strict=True)]
    if sum(wants) <= spare:
        widths = [n + w for n, w in zip(need, wants, strict=True)]
        # Left over: to the widest-wanting column (usually the text), so the table fills the line.
        extra = total_cm - sum(widths)
        widths[max(range(columns), key=lambda i: text[i])] += extra
        return widths
    return [n + spare * w / sum(wants) for n, w in zip(need, wants, strict=True)]


def word_width(texts: Sequence[str], *, font_pt: float = TABLE_FONT_PT) -> float:
    """The width (cm) a column needs to hold the longest word of `texts` on one line."""
    longest = max((len(w) for t in texts for w in t.split()), default=1)
    return longest * CHAR_CM * font_pt / TABLE_FONT_PT + CELL_PADDING_CM


def fix_widths(table: Any, widths_cm: Sequence[float]) -> None:
    """Fixed layout with these widths, written where Word (tcW) and LibreOffice (gridCol) read."""
    table.autofit = False  # python-docx writes w:tblLayout fixed, in schema order
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=False):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def small_text(table: Any, font_pt: float = TABLE_FONT_PT) -> None:
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                for run in paragraph.runs:
                    run.font.size = Pt(font_pt)


def repeat_header(table: Any) -> None:
    """The first row repeats at the top of every page the table runs onto."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def keep_together(table: Any) -> None:
    """A short table is not split across pages: each row keeps with the next."""
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
