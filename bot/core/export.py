"""Exports for `knalle export visits|activities`: one row per visit / activity, as CSV or xlsx.

The tables are built from storage queries as plain cells (text, dates, times), then written by
`write_csv` (UTF-8, header row, no BOM) or `write_xlsx` (openpyxl; real date cells, and text that
starts with "=" stays text, so a note can never run as a formula in Excel).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.core.lights import NOT_REPORTED
from bot.errors import NotFound
from storage import activities as activity_queries
from storage import staff, visits
from storage.models import ActivityUpdate

Cell = str | int | dt.date | dt.datetime | None

VISIT_HEADER = (
    "datum",
    "företag",
    "personal",
    "övriga",
    "form",
    "anteckningar",
    "författare",
    "skapad",
)
ACTIVITY_HEADER = (
    "avsnitt",
    "nummer",
    "titel",
    "ägare",
    "prio",
    "år",
    "ljus",
    "period",
    "senaste kommentar",
    "uppdaterad",
    "av",
)
IMPORTED_BY = "import (planfilen)"
_FIRST_DAY, _LAST_DAY = dt.date(1900, 1, 1), dt.date(9999, 12, 31)


@dataclass
class Table:
    title: str  # the xlsx sheet's name
    header: tuple[str, ...]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)


def _local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A stored UTC time as local wall time, without zone (what a spreadsheet shows)."""
    return moment.astimezone(zone).replace(tzinfo=None, microsecond=0)


def _people(ids: Iterable[str], names: dict[str, str]) -> str:
    return ", ".join(f"{names[i]} ({i})" if i in names else i for i in ids)


def _staff_names(session: Session) -> dict[str, str]:
    return {
        member.slack_user_id: member.name
        for member in staff.all_staff(session, active_only=False)
        if member.slack_user_id
    }


def visits_table(session: Session, zone: ZoneInfo, year: int | None = None) -> Table:
    """Every visit not undone (of `year`, or all), oldest first."""
    start, end = (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else (_FIRST_DAY, _LAST_DAY)
    names = _staff_names(session)
    table = Table(title=f"Besök {year}" if year else "Besök", header=VISIT_HEADER)
    for visit in visits.visits_between(session, start, end):
        table.rows.append(
            (
                visit.visit_date,
                visit.company.name,
                _people((p.slack_user_id for p in visit.participants), names),
                ", ".join(visit.others or []),
                visit.form,
                visit.notes,
                _people([visit.author_id], names),
                _local(visit.created_at, zone),
            )
        )
    return table


def _years(years: list[int]) -> str:
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"


def _author(update: ActivityUpdate, names: dict[str, str]) -> str:
    if update.author_slack_id:
        name = names.get(update.author_slack_id) or update.author_name
        return f"{name} ({update.author_slack_id})" if name else update.author_slack_id
    if update.author_name:
        return update.author_name
    return IMPORTED_BY if update.source == "import" else ""


def activities_table(
    session: Session, zone: ZoneInfo, today: dt.date, year: int | None = None
) -> Table:
    """Every activity of the plan of `year` (default: the current plan) with its latest update."""
    plan = (
        activity_queries.plan_for_year(session, year)
        if year
        else activity_queries.current_plan(session, today)
    )
    if plan is None:
        which = f"för {year} " if year else ""
        raise NotFound(
            f"Ingen plan {which}är importerad. Kör `knalle plan import FIL` först "
            "(t.ex. data/plans/boras-2022.yaml), eller välj ett annat år med --year."
        )
    names = _staff_names(session)
    activities = activity_queries.activities_in_plan(session, plan.id)
    latest = activity_queries.latest_updates(session, [a.id for a in activities])
    table = Table(title=f"Aktiviteter {plan.year}", header=ACTIVITY_HEADER)
    for activity in activities:
        update = latest.get(activity.id)
        table.rows.append(
            (
                f"{activity.section.number} {activity.section.title}",
                activity.number,
                activity.title,
                ", ".join(owner.name for owner in activity.owners),
                activity.priority or "",
                _years(activity.years),
                (update.light or "") if update else NOT_REPORTED,
                update.period if update else "",
                update.comment if update else "",
                _local(update.recorded_at, zone) if update else None,
                _author(update, names) if update else "",
            )
        )
    return table


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.strftime("%Y-%m-%d %H:%M")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def write_csv(table: Table, stream: TextIO) -> None:
    """UTF-8 text with a header row; dates ISO, times "YYYY-MM-DD HH:MM" local."""
    writer = csv.writer(stream)
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([_text(cell) for cell in row])


def csv_text(table: Table) -> str:
    buffer = io.StringIO(newline="")
    write_csv(table, buffer)
    return buffer.getvalue()


def write_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = table.title[:31]  # Excel's limit on a sheet name
    sheet.append(list(table.header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(name) for name in table.header]
    for r, row in enumerate(table.rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                # openpyxl stores "=…" as a formula; user text must stay text.
                cell.data_type = "s"
                if "\n" in value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            widths[c - 1] = max(widths[c - 1], min(len(_text(value)), 60))
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width + 2
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
