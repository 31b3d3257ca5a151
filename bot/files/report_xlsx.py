"""The follow-up report as an Excel workbook: a summary sheet with the chart, and the activities
under their chapter and section headings with the light as a coloured cell."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from bot.core.report import LIGHT_ORDER, STATUS_ORDER, FollowUpReport, Status
from bot.files import style
from bot.files.charts import visits_per_month_png
from bot.files.sheet import print_setup

BOLD = Font(bold=True)
HEADING = Font(bold=True, size=14)
CHAPTER_FILL = PatternFill("solid", fgColor="D9E1F2")
SECTION_FILL = PatternFill("solid", fgColor="EDF1F9")
WRAP = Alignment(wrap_text=True, vertical="top")
SUMMARY_SHEET = "Sammanfattning"
ACTIVITY_SHEET = "Aktiviteter"


def light_fill(status: str) -> PatternFill | None:
    colour = style.LIGHT_COLOUR[status]
    return None if colour == "FFFFFF" else PatternFill("solid", fgColor=colour)


def _status_cells(sheet: Worksheet, row: int, first_col: int, counts: dict[str, int]) -> None:
    for offset, status in enumerate(STATUS_ORDER):
        sheet.cell(row, first_col + offset, counts[status])
    sheet.cell(row, first_col + len(STATUS_ORDER), sum(counts.values()))


def _status_header(sheet: Worksheet, row: int, label: str) -> None:
    sheet.cell(row, 1, label).font = BOLD
    for offset, status in enumerate(STATUS_ORDER):
        cell = sheet.cell(row, 2 + offset, style.STATUS_HEADING[status])
        cell.font = BOLD
        fill = light_fill(status)
        if fill:
            cell.fill = fill
    sheet.cell(row, 2 + len(STATUS_ORDER), "Totalt").font = BOLD


def _summary(sheet: Worksheet, report: FollowUpReport) -> None:
    sheet.title = SUMMARY_SHEET
    sheet.column_dimensions["A"].width = 62  # the longest chapter name on one line
    for letter in "BCDEFGH":
        sheet.column_dimensions[letter].width = 14
    sheet["A1"] = style.title(report)
    sheet["A1"].font = HEADING
    sheet["A2"] = style.subtitle(report)
    row = 4
    preliminary = style.preliminary_line(report)
    if preliminary:
        sheet["A3"] = preliminary
        sheet["A3"].font = Font(bold=True, color="C00000")
    # The legend without emoji (a spreadsheet font may lack them): each light's own colour
    # fills the cell beside its line, as in the activity sheet.
    statuses = (*LIGHT_ORDER, Status.NO_LIGHT, Status.NOT_REPORTED)
    for status, line in zip(statuses, style.legend_lines(), strict=True):
        sheet.cell(row, 1, line.split(" ", 1)[1])
        fill = light_fill(status)
        if fill:
            sheet.cell(row, 2).fill = fill
        row += 1

    row += 1
    _status_header(sheet, row, "Uppföljning")
    row += 1
    sheet.cell(row, 1, "Alla aktiviteter")
    _status_cells(sheet, row, 2, report.counts_by_status())

    row += 2
    _status_header(sheet, row, "Per kapitel")
    for chapter, counts in report.counts_by_chapter():
        row += 1
        sheet.cell(row, 1, chapter.label)
        _status_cells(sheet, row, 2, counts)

    row += 2
    _status_header(sheet, row, "Per prioritet")
    for priority, counts in report.counts_by_priority().items():
        row += 1
        sheet.cell(row, 1, priority)
        _status_cells(sheet, row, 2, counts)

    visits = report.visits
    row += 2
    sheet.cell(row, 1, "Företagsbesök").font = BOLD
    row += 1
    sheet.cell(row, 1, f"Besök t.o.m. {style.sv_date(visits.through)}")
    sheet.cell(row, 2, visits.total)
    row += 1
    sheet.cell(row, 1, "Mål för året")
    sheet.cell(row, 2, visits.target)
    row += 1
    sheet.cell(row, 1, "Andel av målet")
    sheet.cell(row, 2, visits.share_of_target).number_format = "0%"
    row += 1
    sheet.cell(row, 1, "Jämn takt mot målet")
    sheet.cell(row, 2, visits.pace_target)
    for line in report.campaigns:
        row += 1
        sheet.cell(row, 1, line)
    chart_row = row + 2
    row += 2
    sheet.cell(row, 1, "Månad").font = BOLD
    sheet.cell(row, 2, "Besök").font = BOLD
    for month in range(1, 13):
        row += 1
        sheet.cell(row, 1, style.MONTH_NAMES[month - 1])
        sheet.cell(row, 2, visits.by_month.get(month, 0))
    row += 2
    sheet.cell(row, 1, "Kluster").font = BOLD
    sheet.cell(row, 2, "Besök").font = BOLD
    for cluster, count in visits.by_cluster.items():
        row += 1
        sheet.cell(row, 1, cluster)
        sheet.cell(row, 2, count)

    png = visits_per_month_png(visits.by_month, visits.target, report.period.year, visits.through)
    image = SheetImage(io.BytesIO(png))
    image.width, image.height = 640, 320
    sheet.add_image(image, f"D{chart_row}")

    if report.feedback is not None:
        from bot.files.feedback import title as feedback_title

        row += 2
        sheet.cell(row, 1, feedback_title(report.feedback)).font = BOLD
        row += 1
        sheet.cell(row, 1, "Tema").font = BOLD
        sheet.cell(row, 2, "Besök").font = BOLD
        for theme in report.feedback.ranked:
            row += 1
            sheet.cell(row, 1, theme.name)
            sheet.cell(row, 2, theme.count)

    row += 2
    sheet.cell(row, 1, f"Nyckeltal {report.period.year}").font = BOLD
    row += 1
    for col, label in enumerate(("Nyckeltal", "Mål", "Utfall", "Uppfyllt"), start=1):
        sheet.cell(row, col, label).font = BOLD
    for figure in report.key_figures:
        row += 1
        sheet.cell(
            row, 1, figure.name + (style.STRATSYS_MARK if figure.stratsys else "")
        ).alignment = WRAP
        sheet.cell(row, 2, figure.target).alignment = WRAP
        sheet.cell(row, 3, figure.outcome).alignment = WRAP
        sheet.cell(row, 4, style.met_text(figure.met))
    if any(figure.stratsys for figure in report.key_figures):
        row += 1
        sheet.cell(row, 1, style.STRATSYS_NOTE).font = Font(italic=True)
    if not report.key_figures:
        row += 1
        sheet.cell(row, 1, style.no_key_figures(report))


def _activities(sheet: Worksheet, report: FollowUpReport) -> None:
    zone = report.as_of.tzinfo or dt.UTC
    widths = (9, 40, 10, 24, 8, 16, 80, 22)
    for col, (label, width) in enumerate(zip(style.ACTIVITY_COLUMNS, widths, strict=True), 1):
        sheet.cell(1, col, label).font = BOLD
        sheet.column_dimensions[chr(ord("A") + col - 1)].width = width
    sheet.freeze_panes = "A2"
    row = 1

    def heading(row: int, number: str, title: str, fill: PatternFill) -> None:
        sheet.cell(row, 1, number).font = BOLD
        sheet.cell(row, 2, title).font = BOLD
        for col in range(1, len(style.ACTIVITY_COLUMNS) + 1):
            sheet.cell(row, col).fill = fill

    for chapter in report.chapters:
        row += 1
        heading(row, chapter.number, chapter.title, CHAPTER_FILL)
        for section in chapter.sections:
            row += 1
            heading(row, section.number, section.title, SECTION_FILL)
            for activity in section.activities:
                row += 1
                values = (
                    activity.number,
                    activity.title,
                    style.years_text(activity),
                    style.owners_text(activity),
                    activity.priority or "",
                    style.status_text(activity),
                    activity.comment,
                    style.written_by(activity, zone),
                )
                for col, value in enumerate(values, start=1):
                    sheet.cell(row, col, value).alignment = WRAP
                _fit_height(sheet, row, values, widths)
                light_cell = sheet.cell(row, 6)
                fill = light_fill(activity.status)
                if fill:
                    light_cell.fill = fill
                if not activity.reported:
                    light_cell.font = Font(bold=True, italic=True, color="C00000")


def _fit_height(
    sheet: Worksheet, row: int, values: tuple[str, ...], widths: tuple[int, ...]
) -> None:
    """Row height for the wrapped text: LibreOffice does not grow rows on opening a file, so
    wrapped comments would print on top of each other."""
    lines = 1
    for value, width in zip(values, widths, strict=True):
        chars = max(int(width * 1.2), 1)  # Calibri 11 fits a little more than the width
        needed = sum(max(1, -(-len(part) // chars)) for part in str(value).split("\n"))
        lines = max(lines, needed)
    sheet.row_dimensions[row].height = 15 * lines


def render_xlsx(report: FollowUpReport) -> bytes:
    book = Workbook()
    _summary(book.active, report)
    _activities(book.create_sheet(ACTIVITY_SHEET), report)
    print_setup(book[SUMMARY_SHEET], header_rows=None)
    print_setup(book[ACTIVITY_SHEET], title=style.title(report))
    book[ACTIVITY_SHEET].auto_filter.ref = f"A1:H{book[ACTIVITY_SHEET].max_row}"
    for sheet in book.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                if cell.data_type == "f":  # openpyxl reads "=…" as a formula; all of ours is text
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
