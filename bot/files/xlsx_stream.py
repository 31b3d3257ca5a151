"""A streaming xlsx writer for one sheet of plain cells: text, whole numbers, dates and times.

Rows go straight into the zip entry as SpreadsheetML while they are read, so memory stays flat
however many rows there are. Text is written as inline strings (`t="inlineStr"`), never as a
formula, so a note that starts with "=" stays text. Dates and times are numbers with a date
style, as Excel stores them. The file is the minimal package Excel, LibreOffice and openpyxl
open: content types, relationships, workbook, styles and the sheet.

Why not a library: openpyxl's write-only mode and XlsxWriter's constant-memory mode both spend
their time in per-cell Python objects and checks; measured on 100,000 visits they took about
30 s and 12 s where this takes a few seconds (docs/benchmarks.md, "Flat at scale").
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO

Cell = str | int | dt.date | dt.datetime | None

_EPOCH = dt.datetime(1899, 12, 30)
_ORDINAL_EPOCH = _EPOCH.toordinal()
# XML 1.0 allows no control characters but tab, newline and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_STYLE_HEADER, _STYLE_DATE, _STYLE_TIME, _STYLE_WRAP = 1, 2, 3, 4
_ROWS_PER_WRITE = 500

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _escape(text: str, quote: bool = False) -> str:
    """XML's &, < and > (and " in an attribute) as entities: what xml.sax.saxutils.escape does,
    without importing it (it brings urllib.request, http.client and email: ~10 ms of start)."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    return text.replace('"', "&quot;") if quote else text


def _workbook(title: str) -> str:
    # Printing repeats the header row on every page (the print titles are a defined name).
    quoted = "'" + title.replace("'", "''") + "'"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{_escape(title, quote=True)}" sheetId="1" r:id="rId1"/>'
        "</sheets><definedNames>"
        f'<definedName name="_xlnm.Print_Titles" localSheetId="0">{_escape(quoted)}!$1:$1'
        "</definedName></definedNames></workbook>"
    )


# The cells' XML remembered while a sheet is written: texts this short, this many (a few MiB).
_KNOWN_LONGEST = 200
_KNOWN_MOST = 50_000


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# Printing: A4 landscape, all columns on one page wide, page numbers in the footer.
_PRINT_SETUP = (
    '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
    '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
    "<headerFooter><oddFooter>&amp;CSida &amp;P av &amp;N</oddFooter></headerFooter>"
)


def _text(value: str, style: int = 0) -> str:
    # A hundred thousand rows of a dozen texts: skip the regex and the escaping where the text
    # has nothing for them (printable text holds no control character).
    clean = value if value.isprintable() else _CONTROL.sub("", value)
    if "&" in clean or "<" in clean or ">" in clean:
        clean = clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if style == 0 and "\n" in value:
        style = _STYLE_WRAP
    space = ' xml:space="preserve"' if clean[:1].isspace() or clean[-1:].isspace() else ""
    styled = f' s="{style}"' if style else ""
    return f'<c t="inlineStr"{styled}><is><t{space}>{clean}</t></is></c>'


def _cell(value: Cell) -> str:
    if value is None:
        return "<c/>"
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dt.datetime):
        naive = value if value.tzinfo is None else value.replace(tzinfo=None)
        serial = (naive - _EPOCH).total_seconds() / 86400
        return f'<c s="{_STYLE_TIME}"><v>{serial!r}</v></c>'
    if isinstance(value, dt.date):
        return f'<c s="{_STYLE_DATE}"><v>{value.toordinal() - _ORDINAL_EPOCH}</v></c>'
    return f"<c><v>{int(value)}</v></c>"


def _cells(
    clean: Callable[[str], str] | None,
) -> tuple[Callable[[Cell], bytes | None], Callable[[Cell], bytes]]:
    """A cell's XML (UTF-8) by its value, remembered: most cells repeat (a company, a colleague,
    a form, a cluster, a day), so their XML is made and encoded once and looked up after, up to
    a bounded number of short texts, dates and numbers. Times are made each time: they seldom
    repeat.

    Returns (known, made): a cell's XML is `known(value) or made(value)` (two steps, so that
    the common case, a known cell, costs one dict lookup and no Python call)."""
    known: dict[Cell, bytes] = {None: b"<c/>"}
    get = known.get

    def made(value: Cell) -> bytes:
        if isinstance(value, str):
            xml = _text(value if clean is None else clean(value)).encode()
            if len(value) <= _KNOWN_LONGEST and len(known) < _KNOWN_MOST:
                known[value] = xml
            return xml
        xml = _cell(value).encode()
        if not isinstance(value, dt.datetime) and len(known) < _KNOWN_MOST:
            known[value] = xml
        return xml

    return get, made


def write_sheet(
    target: Path | IO[bytes],
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    widths: Sequence[int],
    clean: Callable[[str], str] | None = None,
) -> int:
    """Write one sheet (header row in bold, frozen) to `target`; returns the rows written.

    `clean`, if given, is applied to every text cell of the rows (not the header) before it is
    written, as if the rows had been cleaned first (the export's scrub: bot/core/text/safe.py).
    """
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _workbook(title))
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", _STYLES)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            cols = "".join(
                f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
                for i, width in enumerate(widths, start=1)
            )
            sheet.write(
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
                    '<sheetViews><sheetView workbookViewId="0">'
                    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                    "</sheetView></sheetViews>"
                    f"<cols>{cols}</cols><sheetData>"
                    "<row>" + "".join(_text(name, _STYLE_HEADER) for name in header) + "</row>"
                ).encode()
            )
            # The rows' XML is joined as bytes, already encoded cell by cell (no pass to encode
            # 65 MB of text at 100,000 visits).
            pending: list[bytes] = []
            known, made = _cells(clean)
            for row in rows:
                pending.append(b"<row>")
                pending += [known(value) or made(value) for value in row]
                pending.append(b"</row>")
                count += 1
                if count % _ROWS_PER_WRITE == 0:
                    sheet.write(b"".join(pending))
                    pending.clear()
            # A filter on every column, over the rows written.
            last = f"{_column_letter(len(header))}{count + 1}"
            sheet.write(
                b"".join(pending)
                + (
                    f'</sheetData><autoFilter ref="A1:{last}"/>' + _PRINT_SETUP + "</worksheet>"
                ).encode()
            )
    return count
