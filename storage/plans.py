"""Writes of the plan import: upserts of plan, chapters, sections, activities, owners, imported
updates and key figures. Each reports whether it changed anything, so an import of the same file
twice can prove it changed nothing. Functions take a Session and never commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from storage import key_figures
from storage.models import (
    Activity,
    ActivityOwner,
    ActivityUpdate,
    Chapter,
    KeyFigure,
    KeyFigureValue,
    Plan,
    Section,
)

IMPORT_SOURCE = "import"


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ActivityFields:
    """What a plan file says about one activity, in the table's terms."""

    number: str
    title: str
    purpose: str
    goal: str
    actions: list[str]
    years: list[int]
    owners: list[str]
    priority: str | None
    follow_up_rule: str
    position: int


def _assign(row: object, **values: object) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def upsert_plan(
    session: Session, year: int, name: str | None, source: str, now: dt.datetime
) -> tuple[Plan, Outcome]:
    """The plan of `year`; a name of None (a spreadsheet has none) keeps the stored one."""
    plan = session.scalars(select(Plan).where(Plan.year == year)).first()
    if plan is None:
        plan = Plan(
            year=year, name=name or f"Verksamhetsplan {year}", source=source, imported_at=now
        )
        session.add(plan)
        session.flush()
        return plan, Outcome.CREATED
    changed = _assign(plan, name=name) if name is not None else False
    return plan, Outcome.UPDATED if changed else Outcome.UNCHANGED


def touch_plan(plan: Plan, source: str, now: dt.datetime) -> None:
    """Record where and when the plan last changed through an import."""
    plan.source = source
    plan.imported_at = now


_Numbered = TypeVar("_Numbered", Chapter, Section)


def _upsert_numbered(
    session: Session,
    model: type[_Numbered],
    parent: dict[str, int],
    number: str,
    title: str,
    position: int,
) -> tuple[_Numbered, Outcome]:
    """A chapter or section by its parent and number: created, or its title and place updated."""
    row = session.scalars(select(model).filter_by(**parent, number=number)).first()
    if row is None:
        row = model(**parent, number=number, title=title, position=position)
        session.add(row)
        session.flush()
        return row, Outcome.CREATED
    changed = _assign(row, title=title, position=position)
    return row, Outcome.UPDATED if changed else Outcome.UNCHANGED


def upsert_chapter(
    session: Session, plan: Plan, number: str, title: str, position: int
) -> tuple[Chapter, Outcome]:
    return _upsert_numbered(session, Chapter, {"plan_id": plan.id}, number, title, position)


def upsert_section(
    session: Session, chapter: Chapter, number: str, title: str, position: int
) -> tuple[Section, Outcome]:
    return _upsert_numbered(session, Section, {"chapter_id": chapter.id}, number, title, position)


def activity_by_number(session: Session, plan_id: int, number: str) -> Activity | None:
    return session.scalars(
        select(Activity)
        .where(Activity.plan_id == plan_id, Activity.number == number)
        .options(selectinload(Activity.owners))
    ).first()


def upsert_activity(
    session: Session, plan: Plan, section: Section, fields: ActivityFields
) -> tuple[Activity, Outcome]:
    """Create the activity, or update the fields the file names; its updates are never touched."""
    activity = activity_by_number(session, plan.id, fields.number)
    values: dict[str, object] = {
        "section_id": section.id,
        "title": fields.title,
        "purpose": fields.purpose,
        "goal": fields.goal,
        "actions": list(fields.actions),
        "years": list(fields.years),
        "priority": fields.priority,
        "follow_up_rule": fields.follow_up_rule,
        "position": fields.position,
        "retired": False,
    }
    if activity is None:
        activity = Activity(plan_id=plan.id, number=fields.number, **values)
        activity.owners = [
            ActivityOwner(name=name, position=i) for i, name in enumerate(fields.owners)
        ]
        session.add(activity)
        session.flush()
        return activity, Outcome.CREATED
    changed = _assign(activity, **values)
    changed = _set_owners(session, activity, fields.owners) or changed
    session.flush()
    return activity, Outcome.UPDATED if changed else Outcome.UNCHANGED


def _set_owners(session: Session, activity: Activity, names: list[str]) -> bool:
    current = [owner.name for owner in activity.owners]
    if current == list(names):
        return False
    by_name = {owner.name: owner for owner in activity.owners}
    for owner in list(activity.owners):
        if owner.name not in names:
            activity.owners.remove(owner)
    # Flush the removals first: (activity_id, name) is unique.
    session.flush()
    for i, name in enumerate(names):
        existing = by_name.get(name)
        if existing is None:
            activity.owners.append(ActivityOwner(name=name, position=i))
        else:
            existing.position = i
    activity.owners.sort(key=lambda owner: owner.position)
    return True


def add_imported_update(
    session: Session,
    activity: Activity,
    *,
    period: str,
    light: str | None,
    comment: str,
    recorded_at: dt.datetime,
) -> bool:
    """Add the file's update unless the same (period, time, light, comment) is already there.

    A corrected light or comment for the same period and date is added on top: history is kept.
    """
    existing = session.scalars(
        select(ActivityUpdate).where(
            ActivityUpdate.activity_id == activity.id,
            ActivityUpdate.period == period,
            ActivityUpdate.recorded_at == recorded_at,
        )
    )
    for update in existing:
        if update.light == light and update.comment == comment:
            return False
    session.add(
        ActivityUpdate(
            activity_id=activity.id,
            light=light,
            comment=comment,
            period=period,
            recorded_at=recorded_at,
            author_slack_id=None,
            author_name=None,
            source=IMPORT_SOURCE,
        )
    )
    session.flush()
    return True


def upsert_key_figure(
    session: Session, name: str, *, stratsys: bool, position: int
) -> tuple[KeyFigure, Outcome]:
    figure = key_figures.by_name(session, name)
    if figure is None:
        figure = KeyFigure(name=name, stratsys=stratsys, position=position)
        session.add(figure)
        session.flush()
        return figure, Outcome.CREATED
    changed = _assign(figure, stratsys=stratsys, position=position)
    return figure, Outcome.UPDATED if changed else Outcome.UNCHANGED


def upsert_key_figure_value(
    session: Session,
    figure: KeyFigure,
    year: int,
    *,
    target: str,
    outcome: str,
    met: bool | None,
) -> Outcome:
    value = key_figures.value_of(session, figure, year)
    if value is None:
        session.add(
            KeyFigureValue(
                key_figure_id=figure.id, year=year, target=target, outcome=outcome, met=met
            )
        )
        session.flush()
        return Outcome.CREATED
    changed = _assign(value, target=target, outcome=outcome, met=met)
    return Outcome.UPDATED if changed else Outcome.UNCHANGED


def all_plans(session: Session) -> list[Plan]:
    return list(session.scalars(select(Plan).order_by(Plan.year)))


def activity_counts(session: Session) -> dict[int, tuple[int, int]]:
    """Plan id → (activities, updates) for `knalle plan list`."""
    activities: dict[int, int] = {
        plan_id: count
        for plan_id, count in session.execute(
            select(Activity.plan_id, func.count(Activity.id)).group_by(Activity.plan_id)
        )
    }
    updates: dict[int, int] = {
        plan_id: count
        for plan_id, count in session.execute(
            select(Activity.plan_id, func.count(ActivityUpdate.id))
            .join(ActivityUpdate, ActivityUpdate.activity_id == Activity.id)
            .group_by(Activity.plan_id)
        )
    }
    return {plan_id: (count, updates.get(plan_id, 0)) for plan_id, count in activities.items()}


def set_campaigns(
    plan: Plan, campaigns: list[dict[str, object]], politicians: list[dict[str, object]]
) -> bool:
    """The plan's campaigns and politicians as given; True when they changed."""
    if (plan.campaigns or []) == campaigns and (plan.politicians or []) == politicians:
        return False
    plan.campaigns = campaigns
    plan.politicians = politicians
    return True
