"""The follow-up report as a Word document in the verksamhetsberättelse's layout: chapter and
section headings, each activity with När / Vem / Prio / Uppföljning and its Kommentar."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from docx import Document
from docx.shared import Cm, Pt, RGBColor

from bot.core.report import LIGHT_ORDER, STATUS_ORDER, ActivityRow, FollowUpReport, Status
from bot.files import style, word
from bot.files.charts import visits_per_month_png

DOT = "●"  # the coloured symbol; its font colour is the light
# The legend lines of style.legend_lines(), in their order.
LEGEND_STATUSES = (*LIGHT_ORDER, Status.NO_LIGHT, Status.NOT_REPORTED)
COUNT_FONT_PT = 8  # the counts tables have eight columns: a size smaller keeps words whole
DOT_CM = 0.3  # the coloured symbol before a light's heading


def _dot(paragraph: Any, status: str) -> None:
    colour = style.LIGHT_COLOUR[status]
    if status == Status.NO_LIGHT:  # reported without a light: a dash, as in the legend
        run = paragraph.add_run(style.STATUS_SYMBOL[Status.NO_LIGHT])
        run.font.color.rgb = RGBColor.from_string("595959")
    elif colour == "FFFFFF":  # no light: a hollow ring in dark red for "ej rapporterad"
        run = paragraph.add_run("○")
        run.font.color.rgb = RGBColor.from_string("C00000")
    else:
        run = paragraph.add_run(DOT)
        run.font.color.rgb = RGBColor.from_string(colour)
    run.font.size = Pt(12)


def _status_paragraph(paragraph: Any, row: ActivityRow) -> None:
    _dot(paragraph, row.status)
    text = paragraph.add_run(f" {style.status_text(row)}")
    if not row.reported:
        text.bold = True
        text.italic = True


def _fill_table(table: Any, header: list[str], rows: list[list[str]]) -> None:
    cells = table.rows[0].cells
    for cell, label in zip(cells, header, strict=True):
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    _fit(table, [header, *rows])


def _fit(table: Any, rows: list[list[str]], total_cm: float = word.TEXT_WIDTH_CM) -> None:
    """Small type, columns as wide as their words need, the header repeated on a new page."""
    word.small_text(table)
    word.fix_widths(table, word.fitted_widths(rows, total_cm, bold_header=True))
    word.repeat_header(table)


def _counts_table(document: Any, label: str, rows: list[tuple[str, dict[str, int]]]) -> None:
    table = document.add_table(rows=1, cols=len(STATUS_ORDER) + 2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].paragraphs[0].add_run(label).bold = True
    for cell, status in zip(header[1:], STATUS_ORDER, strict=False):
        # A coloured symbol before each light's heading, like the plan's legend.
        _dot(cell.paragraphs[0], status)
        cell.paragraphs[0].add_run(f" {style.STATUS_HEADING[status]}").bold = True
    header[-1].paragraphs[0].add_run("Totalt").bold = True
    texts = [[label, *(style.STATUS_HEADING[s] for s in STATUS_ORDER), "Totalt"]]
    for name, counts in rows:
        values = [name, *(str(counts[s]) for s in STATUS_ORDER), str(sum(counts.values()))]
        texts.append(values)
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    # Count columns fit their heading word ("rapporterad") with the dot; the label takes the rest.
    columns = list(zip(*texts, strict=True))
    count_widths = [
        word.word_width(column, font_pt=COUNT_FONT_PT) + (DOT_CM if i < len(STATUS_ORDER) else 0)
        for i, column in enumerate(columns[1:])
    ]
    label_width = max(
        word.word_width(columns[0], font_pt=COUNT_FONT_PT),
        word.TEXT_WIDTH_CM - sum(count_widths),
    )
    widths = [label_width, *count_widths]
    word.small_text(table, COUNT_FONT_PT)
    word.fix_widths(table, widths)
    word.repeat_header(table)
    word.keep_together(table)


def _summary(document: Any, report: FollowUpReport) -> None:
    document.add_heading("Sammanfattning", level=1)
    for status, line in zip(LEGEND_STATUSES, style.legend_lines(), strict=True):
        paragraph = document.add_paragraph()
        _dot(paragraph, status)
        paragraph.add_run(" " + line.split(" ", 1)[1])
    _counts_table(document, "Uppföljning", [("Alla aktiviteter", report.counts_by_status())])
    document.add_heading("Per kapitel", level=2)
    _counts_table(
        document, "Kapitel", [(chapter.label, c) for chapter, c in report.counts_by_chapter()]
    )
    document.add_heading("Per prioritet", level=2)
    _counts_table(document, "Prio", list(report.counts_by_priority().items()))

    visits = report.visits
    document.add_heading("Företagsbesök", level=2)
    document.add_paragraph(style.visits_sentence(report))
    for line in report.campaigns:
        document.add_paragraph(line, style="List Bullet")
    png = visits_per_month_png(visits.by_month, visits.target, report.period.year, visits.through)
    document.add_picture(io.BytesIO(png), width=Cm(16))
    if visits.by_cluster:
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        _fill_table(
            table, ["Kluster", "Besök"], [[k, str(v)] for k, v in visits.by_cluster.items()]
        )

    if report.feedback is not None:
        from bot.files.feedback import docx_section

        docx_section(document, report.feedback, level=2, quotes=False)

    document.add_heading(f"Nyckeltal {report.period.year}", level=2)
    if not report.key_figures:
        document.add_paragraph(style.no_key_figures(report))
        return
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    _fill_table(
        table,
        ["Nyckeltal", "Mål", "Utfall", "Uppfyllt"],
        [
            [
                figure.name + (style.STRATSYS_MARK if figure.stratsys else ""),
                figure.target or "–",
                figure.outcome or "–",
                style.met_text(figure.met),
            ]
            for figure in report.key_figures
        ],
    )
    if any(figure.stratsys for figure in report.key_figures):
        note = document.add_paragraph()
        note.add_run(style.STRATSYS_NOTE).italic = True


class _Styles:
    """Style ids looked up once: python-docx resolves a style by name on every assignment,
    scanning all styles each time, which made 500 activities take over a second."""

    def __init__(self, document: Any) -> None:
        self.heading = {level: document.styles[f"Heading {level}"].style_id for level in (1, 2, 3)}
        self.grid = document.styles["Table Grid"].style_id

    def add_heading(self, document: Any, text: str, level: int) -> None:
        paragraph = document.add_paragraph(text)
        paragraph._p.style = self.heading[level]

    def add_table(self, document: Any, rows: int, cols: int) -> Any:
        table = document.add_table(rows=rows, cols=cols)
        table._tbl.tblStyle_val = self.grid
        return table


def _activity(document: Any, styles: _Styles, row: ActivityRow, zone: dt.tzinfo) -> None:
    styles.add_heading(document, f"{row.number} {row.title}", 3)
    table = styles.add_table(document, 2, 4)
    header, values = table.rows[0].cells, table.rows[1].cells
    labels = ("När", "Vem", "Prio", "Uppföljning")
    for cell, label in zip(header, labels, strict=True):
        cell.paragraphs[0].add_run(label).bold = True
    values[0].paragraphs[0].add_run(style.years_text(row))
    values[1].paragraphs[0].add_run(style.owners_text(row))
    values[2].paragraphs[0].add_run(row.priority or "")
    _status_paragraph(values[3].paragraphs[0], row)
    shown = [
        style.years_text(row),
        style.owners_text(row),
        row.priority or "",
        "● " + style.status_text(row),
    ]
    word.small_text(table, 10)
    word.fix_widths(table, word.fitted_widths([list(labels), shown], font_pt=10, bold_header=True))
    word.keep_together(table)
    paragraph = document.add_paragraph()
    paragraph.add_run("Kommentar: ").bold = True
    if row.reported:
        paragraph.add_run(row.comment or style.NO_COMMENT)
        signature = document.add_paragraph()
        signature.add_run(style.written_by(row, zone)).italic = True
    else:
        flagged = paragraph.add_run("ej rapporterad för perioden.")
        flagged.bold = True
        flagged.font.color.rgb = RGBColor.from_string("C00000")


def render_docx(report: FollowUpReport) -> bytes:
    zone = report.as_of.tzinfo or dt.UTC
    document = Document()
    word.a4(document)
    document.add_heading(style.title(report), level=0)
    preliminary = style.preliminary_line(report)
    if preliminary:
        flag = document.add_paragraph().add_run(preliminary)
        flag.bold = True
        flag.font.size = Pt(14)
        flag.font.color.rgb = RGBColor.from_string("C00000")
    document.add_paragraph(style.subtitle(report))
    word.table_of_contents(document, _contents(report))
    _summary(document, report)
    styles = _Styles(document)
    for chapter in report.chapters:
        styles.add_heading(document, chapter.label, 1)
        for section in chapter.sections:
            styles.add_heading(document, f"{section.number} {section.title}", 2)
            for row in section.activities:
                _activity(document, styles, row, zone)
    word.page_numbers(document, f"{style.TITLE} {report.period.label}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _contents(report: FollowUpReport) -> list[tuple[int, str]]:
    entries: list[tuple[int, str]] = [(1, "Sammanfattning")]
    for chapter in report.chapters:
        entries.append((1, chapter.label))
        entries += [(2, f"{section.number} {section.title}") for section in chapter.sections]
    return entries
