"""Renderers of the follow-up report: xlsx (openpyxl), docx (python-docx) and Markdown.

`render(report, fmt)` returns the file's bytes; none of them knows Slack or the database.
"""

from __future__ import annotations

from bot.context import Knalle
from bot.core.followup.periods import Period
from bot.core.report import FollowUpReport, collect_report, resolve_period
from bot.core.visits.feedback import list_tagger_or_none
from bot.errors import InvalidInput

FORMATS = ("xlsx", "docx", "md")


def default_filename(period: Period, fmt: str) -> str:
    """'uppfoljning-2026-H2.xlsx'."""
    return f"uppfoljning-{period.label}.{fmt}"


def check_format(fmt: str) -> str:
    value = fmt.strip().lower().lstrip(".")
    if value == "markdown":
        value = "md"
    if value not in FORMATS:
        raise InvalidInput(f'Formatet "{fmt}" finns inte. Välj xlsx, docx eller md.')
    return value


def render(report: FollowUpReport, fmt: str) -> bytes:
    """The report as a file of format `fmt` (xlsx, docx or md)."""
    fmt = check_format(fmt)
    if fmt == "xlsx":
        from bot.files.report_xlsx import render_xlsx

        return render_xlsx(report)
    if fmt == "docx":
        from bot.files.report_docx import render_docx

        return render_docx(report)
    from bot.files.report_md import render_markdown

    return render_markdown(report).encode("utf-8")


def report_file(knalle: Knalle, period_label: str | None, fmt: str) -> tuple[Period, bytes]:
    """The follow-up for the named (or current) period as a file: what CLI and Slack share."""
    fmt = check_format(fmt)
    with knalle.db.read() as session:
        period = resolve_period(
            period_label, knalle.clock, knalle.settings_in(session).followup_dates
        )
        report = collect_report(
            session,
            period,
            zone=knalle.settings.zone,
            visit_target=knalle.settings.visit_target,
            tagger=list_tagger_or_none(knalle.settings.themes_file),
            today=knalle.clock.now().astimezone(knalle.settings.zone).date(),
        )
    return period, render(report, fmt)
