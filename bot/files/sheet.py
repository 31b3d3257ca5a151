"""Print setup every workbook Knalle writes shares: A4 landscape, fit to width, the header row
repeated on each page, page numbers in the footer."""

from __future__ import annotations

from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

FOOTER = "Sida &P av &N"


def print_setup(sheet: Worksheet, *, header_rows: str | None = "1:1", title: str = "") -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    if header_rows:
        sheet.print_title_rows = header_rows
    sheet.oddFooter.center.text = FOOTER
    sheet.oddFooter.center.size = 8
    if title:
        sheet.oddHeader.left.text = title.replace("&", "&&")
        sheet.oddHeader.left.size = 8
