"""The streaming xlsx writer's cells: what Excel reads back is the text, escaped once."""

from __future__ import annotations

import datetime as dt
import io
import os
from xml.sax.saxutils import escape

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.files import xlsx_stream

EXAMPLES = int(os.environ.get("KNALLE_PROPERTY_EXAMPLES", "400"))


def cell_by_the_rule(value: str) -> str:
    """The cell as the writer first wrote it: controls removed, then XML-escaped."""
    clean = escape(xlsx_stream._CONTROL.sub("", value))
    style = xlsx_stream._STYLE_WRAP if "\n" in value else 0
    space = ' xml:space="preserve"' if clean[:1].isspace() or clean[-1:].isspace() else ""
    styled = f' s="{style}"' if style else ""
    return f'<c t="inlineStr"{styled}><is><t{space}>{clean}</t></is></c>'


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text())
def test_a_text_cell_is_the_rule_for_any_text(text: str) -> None:
    assert xlsx_stream._text(text) == cell_by_the_rule(text)


def test_excel_reads_back_markup_and_swedish_text_as_typed() -> None:
    texts = ["<b>Åhléns</b> & ”Co”", "=SUMMA(A1)", "rad ett\nrad två", " kant "]
    target = io.BytesIO()
    xlsx_stream.write_sheet(target, "Besök", ["text"], [[t] for t in texts], [40])
    sheet = openpyxl.load_workbook(io.BytesIO(target.getvalue())).active
    assert sheet is not None
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == texts


def sheet_data(target: io.BytesIO) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(target.getvalue())) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    return xml.split("<sheetData>", 1)[1].split("</sheetData>", 1)[0]


def rows_by_the_rule(header: list[str], rows: list[list[xlsx_stream.Cell]]) -> str:
    """The sheet's rows as the writer first wrote them: each row scrubbed as a whole list
    first, then every cell made anew (no memo)."""
    from bot.core.text.safe import scrub

    made = "<row>" + "".join(xlsx_stream._text(name, xlsx_stream._STYLE_HEADER) for name in header)
    made += "</row>"
    for row in rows:
        clean = [scrub(c) if isinstance(c, str) and not c.isprintable() else c for c in row]
        made += "<row>" + "".join(xlsx_stream._cell(c) for c in clean) + "</row>"
    return made


CELLS = st.one_of(
    st.none(),
    st.sampled_from(["Ellos AB", "=SUMMA(A1)", "rad\r\nett", "a\x07b", " kant ", "<&>", ""]),
    st.text(max_size=260),
    st.integers(-(10**6), 10**6),
    st.dates(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)),
)


@settings(max_examples=EXAMPLES // 4, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=3, max_size=3), max_size=40), st.integers(1, 5))
def test_the_rows_are_the_rule_with_the_scrub_fused_and_the_memo_bounded(
    rows: list[list[xlsx_stream.Cell]], most: int
) -> None:
    """Scrubbing inside the writer, once per distinct cell, and remembering texts, dates, numbers
    and empties (times not) up to a bound: the same bytes as scrubbing each row, then making
    every cell."""
    from bot.core.text.safe import scrub

    target = io.BytesIO()
    original = xlsx_stream._KNOWN_MOST
    xlsx_stream._KNOWN_MOST = most  # a bound that is reached, with the rest made each time
    try:
        count = xlsx_stream.write_sheet(target, "Besök", ["a", "b", "c"], rows, [9] * 3, scrub)
    finally:
        xlsx_stream._KNOWN_MOST = original
    assert count == len(rows)
    assert sheet_data(target) == rows_by_the_rule(["a", "b", "c"], rows)


def test_many_rows_in_several_writes_are_the_rule() -> None:
    from bot.core.text.safe import scrub

    rows: list[list[xlsx_stream.Cell]] = [
        [f"företag {n % 7}", dt.date(2026, 1, 1 + n % 28), dt.datetime(2026, 3, 29, 1, n % 60)]
        for n in range(xlsx_stream._ROWS_PER_WRITE * 2 + 3)
    ]
    target = io.BytesIO()
    assert xlsx_stream.write_sheet(target, "Besök", ["a", "b", "c"], rows, [9] * 3, scrub) == len(
        rows
    )
    assert sheet_data(target) == rows_by_the_rule(["a", "b", "c"], rows)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text())
def test_the_workbook_escapes_a_title_as_saxutils_does(title: str) -> None:
    """The sheet's name and print titles, escaped without importing xml.sax (it pulls in
    urllib.request and http.client at every export's start): the same XML as before."""
    quoted = "'" + title.replace("'", "''") + "'"
    assert xlsx_stream._escape(title, quote=True) == escape(title, {'"': "&quot;"})
    assert xlsx_stream._escape(quoted) == escape(quoted)
    assert f'<sheet name="{escape(title, {chr(34): "&quot;"})}"' in xlsx_stream._workbook(title)
