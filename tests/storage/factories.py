"""Small builders of rows for storage and core tests (no plan file needed)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from storage import staff
from storage.models import (
    Activity,
    ActivityOwner,
    ActivityUpdate,
    Chapter,
    Company,
    Plan,
    Section,
    Staff,
    Visit,
    VisitParticipant,
)

UTC = dt.UTC


def company(session: Session, name: str, cluster: str | None = None) -> Company:
    row = Company(
        name=name, match_key=name.lower(), cluster=cluster, created_at=dt.datetime.now(UTC)
    )
    session.add(row)
    session.flush()
    return row


def visit(
    session: Session,
    at: Company,
    day: dt.date,
    *,
    author: str = "UPIA",
    participants: tuple[str, ...] = (),
    notes: str = "",
    deleted: bool = False,
) -> Visit:
    now = dt.datetime.now(UTC)
    row = Visit(
        company=at,
        visit_date=day,
        form="på plats",
        notes=notes,
        others=[],
        author_id=author,
        raw_text=notes,
        created_at=now,
        updated_at=now,
        deleted_at=now if deleted else None,
    )
    row.participants = [VisitParticipant(slack_user_id=user) for user in (author, *participants)]
    session.add(row)
    session.flush()
    return row


def plan(session: Session, year: int = 2026) -> tuple[Plan, Section]:
    now = dt.datetime.now(UTC)
    row = Plan(year=year, name=f"Verksamhetsplan {year}", imported_at=now)
    chapter = Chapter(number="1", title="Samverkan och dialog", position=1)
    section = Section(number="1.2", title="Företagsbesök", position=1)
    chapter.sections.append(section)
    row.chapters.append(chapter)
    session.add(row)
    session.flush()
    return row, section


def activity(
    session: Session,
    in_plan: Plan,
    section: Section,
    number: str,
    title: str,
    owners: tuple[str, ...],
    *,
    priority: str = "Medel",
) -> Activity:
    row = Activity(
        plan_id=in_plan.id,
        section=section,
        number=number,
        title=title,
        actions=[],
        years=[in_plan.year],
        priority=priority,
        position=int(number.rsplit(".", 1)[-1]),
    )
    row.owners = [ActivityOwner(name=name, position=i) for i, name in enumerate(owners)]
    session.add(row)
    session.flush()
    return row


def update(
    session: Session,
    of: Activity,
    light: str,
    comment: str,
    at: dt.datetime,
    period: str,
    author: str = "UPIA",
) -> ActivityUpdate:
    row = ActivityUpdate(
        activity_id=of.id,
        light=light,
        comment=comment,
        period=period,
        recorded_at=at,
        author_slack_id=author,
    )
    session.add(row)
    session.flush()
    return row


def staff_named(session: Session, name: str) -> Staff:
    """The staff member the test stored under this name; the test fails if there is none."""
    member = staff.by_name(session, name)
    assert member is not None, f"no staff member named {name}"
    return member


def staff_with_id(session: Session, slack_user_id: str) -> Staff:
    """The staff member linked to this Slack id; the test fails if there is none."""
    member = staff.by_slack_id(session, slack_user_id)
    assert member is not None, f"no staff member linked to {slack_user_id}"
    return member
