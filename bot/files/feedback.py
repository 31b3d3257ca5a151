"""The compilation of synpunkter (`knalle synpunkter`) as Markdown, Word or Excel: the themes
ranked with counts and a chart, then per theme the quotes grouped by company."""

from __future__ import annotations

import io
from typing import Any

from bot.core.text.sv import sv_date
from bot.core.visits.feedback import Compilation, ThemeSummary
from bot.errors import InvalidInput
from bot.files.charts import themes_png
from bot.files.markdown import cell as _cell
from bot.files.markdown import text

FORMATS = ("md", "docx", "xlsx")
TITLE = "Synpunkter från företagsbesöken {year}"
INTRO = (
    "Vad företagen tog upp vid enhetens besök {start} – {end}: {visits} besök, varav {tagged} "
    "med minst ett tema."
)
HOW = (
    "Teman sätts ur besökens anteckningar med enhetens temalista (data/themes.yaml) och kan "
    "rättas av den som loggade besöket. Ett besök kan ha flera teman, så summan av antalen kan "
    "vara större än antalet besök. Andelen är andelen av alla årets besök."
)
NONE = "Inga besök med teman {year} än."
RANKED = "Teman"
COLUMNS = ("Tema", "Besök", "Andel")
BY_CLUSTER = "Per kluster: "
SHOWN = "De {shown} senaste citaten av {count} visas."
CHART_TITLE = "Besök per tema {year}"
QUOTE_COLUMNS = ("Tema", "Företag", "Datum", "Kluster", "Citat")
SHORT_NOTE = "Citaten per tema och företag: `knalle synpunkter --year {year} --format docx`."
SHEET_THEMES = "Teman"
SHEET_QUOTES = "Citat"


def check_format(fmt: str) -> str:
    value = fmt.strip().lower().lstrip(".")
    value = "md" if value == "markdown" else value
    if value not in FORMATS:
        raise InvalidInput(f'Formatet "{fmt}" finns inte. Välj md, docx eller xlsx.')
    return value


def title(result: Compilation) -> str:
    return TITLE.format(year=result.year)


def intro(result: Compilation) -> str:
    import datetime as dt

    return INTRO.format(
        start=sv_date(dt.date(result.year, 1, 1)),
        end=sv_date(result.through),
        visits=result.visits,
        tagged=result.tagged,
    )


def share(result: Compilation, count: int) -> str:
    return f"{round(100 * count / result.visits)} %" if result.visits else "0 %"


def clusters_line(theme: ThemeSummary) -> str:
    return BY_CLUSTER + ", ".join(f"{name} {count}" for name, count in theme.by_cluster.items())


def heading(theme: ThemeSummary) -> str:
    return f"{theme.name} ({theme.count} besök)"


def shown_note(theme: ThemeSummary) -> str | None:
    if len(theme.quotes) < theme.count:
        return SHOWN.format(shown=len(theme.quotes), count=theme.count)
    return None


def render(result: Compilation, fmt: str) -> bytes:
    fmt = check_format(fmt)
    if fmt == "docx":
        return render_docx(result)
    if fmt == "xlsx":
        return render_xlsx(result)
    return render_markdown(result).encode("utf-8")


# -- Markdown -----------------------------------------------------------------------------------


def markdown_section(result: Compilation, *, level: int = 1, quotes: bool = True) -> list[str]:
    """The compilation's lines; `level` 2 and no quotes make the report's short section."""
    top = "#" * level
    lines = [f"{top} {title(result)}", "", intro(result), "", HOW, ""]
    if not result.ranked:
        return [*lines, NONE.format(year=result.year), ""]
    lines += ["| " + " | ".join(COLUMNS) + " |", "| --- | ---: | ---: |"]
    lines += [f"| {_cell(t.name)} | {t.count} | {share(result, t.count)} |" for t in result.ranked]
    lines.append("")
    if not quotes:  # the report's short section: one line per theme, no quotes
        lines += [f"- **{text(t.name)}**: {_cell(clusters_line(t))}" for t in result.ranked]
        return [*lines, "", SHORT_NOTE.format(year=result.year), ""]
    for theme in result.ranked:
        lines += [f"{top}# {text(heading(theme))}", "", text(clusters_line(theme)), ""]
        for company, said in theme.by_company():
            lines += [f"**{text(company)}**", ""]
            lines += [f"- {sv_date(q.visit_date)}: ”{_cell(q.excerpt)}”" for q in said]
            lines.append("")
        note = shown_note(theme)
        if note:
            lines += [f"*{note}*", ""]
    return lines


def render_markdown(result: Compilation) -> str:
    return "\n".join(markdown_section(result)).rstrip("\n") + "\n"


# -- Word ---------------------------------------------------------------------------------------


def chart(result: Compilation) -> bytes:
    return themes_png(
        [(t.name, t.count) for t in result.ranked], CHART_TITLE.format(year=result.year)
    )


def docx_section(
    document: object, result: Compilation, *, level: int = 1, quotes: bool = True
) -> None:
    """The compilation into an open python-docx Document (the report's short section too)."""
    from docx.shared import Cm, Pt

    from bot.files import word

    doc = document  # typed loosely: python-docx has no type hints
    add = doc.add_paragraph  # type: ignore[attr-defined]
    # python-docx looks a style up by name on every use, scanning every style: with hundreds
    # of quotes that is most of the time. Resolve the id once and set it directly.
    bullet_id = doc.styles["List Bullet"].style_id  # type: ignore[attr-defined]

    def bullet() -> Any:
        paragraph = add()
        paragraph._p.style = bullet_id
        return paragraph

    if level > 1:
        doc.add_heading(title(result), level=level)  # type: ignore[attr-defined]
    add(intro(result))
    note = add(HOW)
    for run in note.runs:
        run.italic = True
        run.font.size = Pt(9)
    if not result.ranked:
        add(NONE.format(year=result.year))
        return
    rows = [list(COLUMNS)] + [[t.name, str(t.count), share(result, t.count)] for t in result.ranked]
    table = doc.add_table(rows=0, cols=3)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for i, values in enumerate(rows):
        cells = table.add_row().cells
        for j, value in enumerate(values):
            run = cells[j].paragraphs[0].add_run(value)
            run.bold = i == 0
            if j:
                cells[j].paragraphs[0].alignment = 2  # right
    word.small_text(table)
    word.fix_widths(table, word.fitted_widths(rows, 12.0))
    word.repeat_header(table)
    word.keep_together(table)
    doc.add_picture(io.BytesIO(chart(result)), width=Cm(14))  # type: ignore[attr-defined]
    if not quotes:  # the report's short section: one line per theme, no quotes
        for theme in result.ranked:
            line = bullet()
            line.add_run(f"{theme.name}: ").bold = True
            line.add_run(clusters_line(theme))
        add(SHORT_NOTE.format(year=result.year))
        return
    for theme in result.ranked:
        # Each theme on its own page: the compilation is presented one theme at a time.
        title_paragraph = doc.add_heading(heading(theme), level=level)  # type: ignore[attr-defined]
        title_paragraph.paragraph_format.page_break_before = True
        add(clusters_line(theme))
        for company, said in theme.by_company():
            name = add()
            name.add_run(company).bold = True
            name.paragraph_format.space_after = Pt(2)
            name.paragraph_format.keep_with_next = True
            for quote in said:
                line = bullet()
                line.paragraph_format.space_after = Pt(1)
                line.add_run(f"{sv_date(quote.visit_date)}: ").italic = True
                line.add_run(f"”{quote.excerpt}”")
        note_text = shown_note(theme)
        if note_text:
            add().add_run(note_text).italic = True


def render_docx(result: Compilation) -> bytes:
    from docx import Document

    from bot.files import word

    document = Document()
    word.a4(document)
    document.add_heading(title(result), level=0)
    if result.ranked:
        word.table_of_contents(
            document,
            [(1, RANKED)] + [(1, heading(t)) for t in result.ranked],
        )
    document.add_heading(RANKED, level=1)
    docx_section(document, result)
    word.page_numbers(document, title(result))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- Excel --------------------------------------------------------------------------------------


def render_xlsx(result: Compilation) -> bytes:
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as SheetImage
    from openpyxl.styles import Alignment, Font

    from bot.files.sheet import print_setup

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_THEMES
    sheet.append(list(COLUMNS))
    for theme in result.ranked:
        sheet.append([theme.name, theme.count, theme.count / result.visits if result.visits else 0])
        sheet.cell(sheet.max_row, 3).number_format = "0%"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 10
    row = sheet.max_row + 2
    sheet.cell(row, 1, intro(result))
    sheet.cell(row + 1, 1, HOW)
    if result.ranked:
        image = SheetImage(io.BytesIO(chart(result)))
        image.width, image.height = 640, int(640 * (0.42 * len(result.ranked) + 1.0) / 8)
        sheet.add_image(image, "E1")
    print_setup(sheet, title=title(result))

    quotes = book.create_sheet(SHEET_QUOTES)
    quotes.append(list(QUOTE_COLUMNS))
    for cell in quotes[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for theme in result.ranked:
        for company, said in theme.by_company():
            for quote in said:
                quotes.append([theme.name, company, quote.visit_date, quote.cluster, quote.excerpt])
                for cell in quotes[quotes.max_row]:
                    cell.alignment = wrap
                    if isinstance(cell.value, str):
                        cell.data_type = "s"  # user text stays text, never a formula
                quotes.cell(quotes.max_row, 3).number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCDE", (28, 28, 12, 22, 90), strict=True):
        quotes.column_dimensions[letter].width = width
    quotes.freeze_panes = "A2"
    quotes.auto_filter.ref = f"A1:E{max(quotes.max_row, 1)}"
    print_setup(quotes, title=title(result))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
