"""The streaming xlsx writer's cells: what Excel reads back is the text, escaped once."""

from __future__ import annotations

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
