"""Tables as files: CSV (UTF-8, a header row, no BOM) and xlsx (one sheet, streamed).

xlsx is written by `xlsx_stream`, one row in memory at a time; docs/benchmarks.md compares it
with openpyxl's write-only and XlsxWriter's constant-memory modes. Text that starts with "="
stays text, so a note can never run as a formula in Excel.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from bot.core.export import Cell, Table
from bot.core.text.safe import scrub
from bot.files import xlsx_stream

WIDTH_LIMIT = 60


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.strftime("%Y-%m-%d %H:%M")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return scrub(str(cell))


def write_csv(table: Table, stream: TextIO) -> int:
    """UTF-8 text with a header row; dates ISO, times "YYYY-MM-DD HH:MM" local. Returns the
    number of rows written (the header not counted)."""
    writer = csv.writer(stream)
    writer.writerow(table.header)
    count = 0
    for row in table.rows:
        writer.writerow([_text(cell) for cell in row])
        count += 1
    return count


def csv_text(table: Table) -> str:
    buffer = io.StringIO(newline="")
    write_csv(table, buffer)
    return buffer.getvalue()


def _widths(table: Table) -> tuple[int, ...]:
    if table.widths is not None:
        return table.widths
    assert isinstance(table.rows, Sequence), "a streamed table needs fixed widths"
    widths = [len(name) for name in table.header]
    for row in table.rows:
        for c, value in enumerate(row):
            widths[c] = max(widths[c], min(len(_text(value)), WIDTH_LIMIT))
    return tuple(widths)


def write_xlsx_to(table: Table, target: Path | BinaryIO) -> int:
    """Write the table as one xlsx sheet, one row in memory at a time; returns the row count.

    Text is written as text (never a formula), dates and times as real date cells.
    """
    widths = [width + 2 for width in _widths(table)]
    # No stored row breaks an export: text cells lose what xlsx cannot hold (a row stored
    # before text was made safe at the boundary may still have it). The writer scrubs each
    # distinct cell once, as it makes its XML.
    return xlsx_stream.write_sheet(
        target, table.title[:31], table.header, table.rows, widths, clean=scrub
    )


def write_xlsx(table: Table) -> bytes:
    buffer = io.BytesIO()
    write_xlsx_to(table, buffer)
    return buffer.getvalue()
