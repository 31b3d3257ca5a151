"""Exports for `knalle export visits|activities`: one row per visit / activity, as CSV or xlsx.

The tables are built from storage queries as plain cells (text, dates, times); bot/files/tables.py
writes them as CSV (UTF-8, header row, no BOM) or xlsx (real date cells, and text that starts
with "=" stays text, so a note can never run as a formula in Excel).

The visits table streams: its rows are read from the database in batches while the file is
written, so 100,000 visits cost no more memory than a thousand. Consume such a table inside the
unit of work that made it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.core.plan.lights import NOT_REPORTED
from bot.errors import NotFound
from storage import activities as activity_queries
from storage import staff, visits
from storage.activities import UpdateRow
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
    "källa",
    "kanal",
    "ts",
    "länk",
    "org.nr",
    "kluster",
    "teman",
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
# Column widths of the streamed visits sheet (characters), chosen before the first row is written.
VISIT_WIDTHS = (12, 30, 40, 30, 10, 60, 25, 18, 10, 12, 18, 40, 13, 20, 30)
IMPORTED_BY = "import (planfilen)"
# How a visit came in, as the export and the review file say it (bot.core.visits.actions.SOURCES).
SOURCE_NAMES = {
    "command": "kommando",
    "modal": "formulär",
    "shortcut": "genväg",
    "channel": "kanalen",
    "import": "import",
}
_FIRST_DAY, _LAST_DAY = dt.date(1900, 1, 1), dt.date(9999, 12, 31)


Row = tuple[Cell, ...]


@dataclass
class Table:
    """A sheet: its rows are a list (small tables) or a one-pass stream (the visits)."""

    title: str  # the xlsx sheet's name
    header: tuple[str, ...]
    rows: Iterable[Row] = field(default_factory=list)
    widths: tuple[int, ...] | None = None  # fixed column widths; None: measured from the rows


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


# Distinct sets of people told once while one export streams (each a short text).
_PEOPLE_MOST = 50_000


def _visit_rows(session: Session, zone: ZoneInfo, start: dt.date, end: dt.date) -> Iterator[Row]:
    names = _staff_names(session)
    # The same few sets of people and authors come back on most rows: each is told once.
    people: dict[tuple[str, ...], str] = {}
    authors: dict[str, str] = {}
    for (
        _id,
        day,
        company,
        participants,
        others,
        form,
        notes,
        author,
        created,
        source,
        channel,
        ts,
        permalink,
        org_number,
        cluster,
        themes,
    ) in visits.export_stream(session, start, end):
        present = people.get(participants)
        if present is None:
            present = _people(participants, names)
            if len(people) < _PEOPLE_MOST:
                people[participants] = present
        by = authors.get(author)
        if by is None:
            by = _people([author], names)
            if len(authors) < _PEOPLE_MOST:
                authors[author] = by
        yield (
            day,
            company,
            present,
            ", ".join(others),
            form,
            notes,
            by,
            created.astimezone(zone).replace(tzinfo=None, microsecond=0),  # as _local
            SOURCE_NAMES.get(source, source),
            channel or "",
            ts or "",
            permalink or "",
            org_number or "",
            cluster or "",
            ", ".join(themes),
        )


def visits_table(session: Session, zone: ZoneInfo, year: int | None = None) -> Table:
    """Every visit not undone (of `year`, or all), oldest first, streamed: read it once,
    while `session` is open."""
    start, end = (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else (_FIRST_DAY, _LAST_DAY)
    return Table(
        title=f"Besök {year}" if year else "Besök",
        header=VISIT_HEADER,
        rows=_visit_rows(session, zone, start, end),
        widths=VISIT_WIDTHS,
    )


def _years(years: list[int]) -> str:
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"


def _author(update: ActivityUpdate | UpdateRow, names: dict[str, str]) -> str:
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
    rows: list[Row] = []
    for activity in activities:
        update = latest.get(activity.id)
        rows.append(
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
    return Table(title=f"Aktiviteter {plan.year}", header=ACTIVITY_HEADER, rows=rows)
