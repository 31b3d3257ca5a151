"""Queries the /aktivitet surface needs beyond storage.activities. Never commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from storage.models import Activity, ActivityUpdate, Section, Staff


def by_submission_key(session: Session, key: str) -> ActivityUpdate | None:
    return session.scalars(
        select(ActivityUpdate).where(ActivityUpdate.submission_key == key)
    ).first()


def activity_with_section(session: Session, activity_id: int) -> Activity | None:
    """A live activity with its owners, section and chapter loaded."""
    query = (
        select(Activity)
        .where(Activity.id == activity_id, Activity.retired.is_(False))
        .options(
            selectinload(Activity.owners),
            selectinload(Activity.section).selectinload(Section.chapter),
        )
    )
    return session.scalars(query).first()


def set_dm_pause(session: Session, staff_id: int, until: dt.date | None) -> None:
    session.execute(update(Staff).where(Staff.id == staff_id).values(dm_paused_until=until))
