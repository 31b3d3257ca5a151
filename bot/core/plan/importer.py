"""`knalle plan import`: a validated plan file into the database, idempotently.

The file is read and checked whole (bot/core/plan/file.py) before the first row is written, so a
bad file imports nothing. Plan, chapters, sections and activities are matched by year and number;
the same file twice changes nothing; an edited file updates what it names and adds its new updates
on top of the history; activities it no longer names are left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.core.plan.file import (
    SPECIAL_OWNERS,
    ActivityData,
    KeyFigureValueData,
    PlanData,
    read_plan_file,
)
from storage import plans, staff
from storage.models import Plan, Section
from storage.plans import ActivityFields, Outcome

PLAN_ZONE = ZoneInfo("Europe/Stockholm")
# An imported update happened on its `datum`; noon keeps it on that day in any nearby zone.
IMPORTED_UPDATE_TIME = dt.time(12, 0)


@dataclass
class ImportResult:
    year: int
    plan_name: str
    plan_created: bool = False
    activities_created: int = 0
    activities_updated: int = 0
    activities_unchanged: int = 0
    updates_added: int = 0
    updates_unchanged: int = 0
    staff_added: int = 0
    chapters_changed: int = 0
    key_figures_changed: int = 0

    @property
    def activities(self) -> int:
        return self.activities_created + self.activities_updated + self.activities_unchanged

    @property
    def changed(self) -> bool:
        return bool(
            self.plan_created
            or self.activities_created
            or self.activities_updated
            or self.updates_added
            or self.staff_added
            or self.chapters_changed
            or self.key_figures_changed
        )


def import_plan_file(
    session: Session,
    path: Path,
    now: dt.datetime,
    *,
    year: int | None = None,
    zone: ZoneInfo = PLAN_ZONE,
) -> ImportResult:
    """Read, validate and store the plan in `path`; raises InvalidInput naming row/field.

    `year` is the plan year of a spreadsheet (default: its earliest `när`). The caller commits.
    """
    data = read_plan_file(path, year=year)
    return import_plan(session, data, source=path.name, now=now, zone=zone)


def import_plan(
    session: Session,
    data: PlanData,
    *,
    source: str,
    now: dt.datetime,
    zone: ZoneInfo = PLAN_ZONE,
) -> ImportResult:
    plan, outcome = plans.upsert_plan(session, data.year, data.name, source, now)
    result = ImportResult(
        year=plan.year, plan_name=plan.name, plan_created=outcome is Outcome.CREATED
    )
    if outcome is Outcome.UPDATED:
        result.chapters_changed += 1
    for chapter_position, chapter_data in enumerate(data.chapters, start=1):
        chapter, outcome = plans.upsert_chapter(
            session, plan, chapter_data.number, chapter_data.title, chapter_position
        )
        result.chapters_changed += outcome is not Outcome.UNCHANGED
        for section_position, section_data in enumerate(chapter_data.sections, start=1):
            section, outcome = plans.upsert_section(
                session, chapter, section_data.number, section_data.title, section_position
            )
            result.chapters_changed += outcome is not Outcome.UNCHANGED
            for activity_data in section_data.activities:
                _import_activity(session, plan, section, activity_data, result, zone)

    for position, figure_data in enumerate(data.key_figures, start=1):
        figure, outcome = plans.upsert_key_figure(
            session, figure_data.name, stratsys=figure_data.stratsys, position=position
        )
        result.key_figures_changed += outcome is not Outcome.UNCHANGED
        for value in figure_data.values:
            outcome = plans.upsert_key_figure_value(
                session,
                figure,
                value.year,
                target=value.target or "",
                outcome=key_figure_outcome(value),
                met=value.met,
            )
            result.key_figures_changed += outcome is not Outcome.UNCHANGED

    # A spreadsheet has no campaigns: importing one keeps those the YAML gave.
    if data.name is not None and plans.set_campaigns(
        plan,
        [
            {
                "namn": c.name,
                "mål": c.target,
                "krav": c.requirement,
                "från": c.start.isoformat(),
                "till": c.end.isoformat(),
            }
            for c in data.campaigns
        ],
        [{"namn": p.name, "titel": p.title, "alias": list(p.aliases)} for p in data.politicians],
    ):
        result.chapters_changed += 1

    for name in staff_names(data):
        result.staff_added += staff.add_if_absent(session, name, now)

    if result.changed and not result.plan_created:
        plans.touch_plan(plan, source, now)
    return result


def _import_activity(
    session: Session,
    plan: Plan,
    section: Section,
    data: ActivityData,
    result: ImportResult,
    zone: ZoneInfo,
) -> None:
    fields = ActivityFields(
        number=data.number,
        title=data.title,
        purpose=data.purpose or "",
        goal=data.goal or "",
        actions=list(data.actions),
        years=list(data.years),
        owners=list(data.owners),
        priority=data.priority,
        follow_up_rule=data.follow_up or "",
        # The number's last part is the position in the section, so dropping one from the
        # file does not reorder (and so "update") the others.
        position=int(data.number.rsplit(".", 1)[-1]),
    )
    activity, outcome = plans.upsert_activity(session, plan, section, fields)
    if outcome is Outcome.CREATED:
        result.activities_created += 1
    elif outcome is Outcome.UPDATED:
        result.activities_updated += 1
    else:
        result.activities_unchanged += 1
    for update in data.updates:
        added = plans.add_imported_update(
            session,
            activity,
            period=update.period,
            light=update.light.value if update.light else None,
            comment=update.comment,
            recorded_at=imported_update_time(update.day, zone),
        )
        if added:
            result.updates_added += 1
        else:
            result.updates_unchanged += 1


def imported_update_time(day: dt.date, zone: ZoneInfo = PLAN_ZONE) -> dt.datetime:
    return dt.datetime.combine(day, IMPORTED_UPDATE_TIME, tzinfo=zone)


def key_figure_outcome(value: KeyFigureValueData) -> str:
    """The outcome, followed by the plan's own assessment as the source writes it in one line."""
    outcome = value.outcome or ""
    if not value.comment:
        return outcome
    if not outcome:
        return value.comment
    if outcome[-1] not in ".!?":
        outcome += "."
    return f"{outcome} {value.comment}"


def staff_names(data: PlanData) -> list[str]:
    """The plan's `personal`, or, for a file without one, every owner who is not Alla/Berörda."""
    if data.staff is not None:
        return list(data.staff)
    names: list[str] = []
    specials = {name.casefold() for name in SPECIAL_OWNERS}
    for activity in data.activities():
        for owner in activity.owners:
            if owner.casefold() not in specials and owner not in names:
                names.append(owner)
    return names
