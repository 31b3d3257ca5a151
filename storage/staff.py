"""Queries on the staff directory. Functions take a Session and never commit."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Staff


def by_slack_id(session: Session, slack_user_id: str) -> Staff | None:
    return session.scalars(select(Staff).where(Staff.slack_user_id == slack_user_id)).first()


def by_name(session: Session, name: str) -> Staff | None:
    """The plan name ("Anna M"), case-insensitively."""
    return session.scalars(
        select(Staff).where(func.lower(Staff.name) == name.strip().lower())
    ).first()


def all_staff(session: Session, *, active_only: bool = True) -> list[Staff]:
    query = select(Staff).order_by(Staff.name)
    if active_only:
        query = query.where(Staff.active.is_(True))
    return list(session.scalars(query))
