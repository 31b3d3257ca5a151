"""Queries on the staff directory. Functions take a Session and never commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select
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


# --- Writes for the staff directory (plan import, `knalle staff …`) ------------------------------


def add_if_absent(session: Session, name: str, now: dt.datetime) -> bool:
    """A directory row for a plan name, without a Slack user yet; False when it exists."""
    if by_name(session, name) is not None:
        return False
    session.add(Staff(name=name.strip(), created_at=now))
    session.flush()
    return True


# `knalle console` gives staff it acts as an id with this prefix until Slack gives the real one.
CONSOLE_ID_PREFIX = "U0KONS"


def unlinked(session: Session) -> list[Staff]:
    """Active staff without a Slack user: what `knalle staff sync` tries to place."""
    query = (
        select(Staff)
        .where(
            Staff.active.is_(True),
            or_(
                Staff.slack_user_id.is_(None),
                Staff.slack_user_id.startswith(CONSOLE_ID_PREFIX, autoescape=True),
            ),
        )
        .order_by(Staff.name)
    )
    return list(session.scalars(query))


def link(session: Session, member: Staff, slack_user_id: str, full_name: str | None) -> None:
    """Connect a plan name to a Slack user; the caller checks the user is not taken."""
    member.slack_user_id = slack_user_id
    if full_name:
        member.full_name = full_name
    session.flush()


def member_ids(session: Session) -> tuple[set[str], set[str]]:
    """Slack ids of the active staff linked to Slack, and of those among them who are admins."""
    rows = session.execute(
        select(Staff.slack_user_id, Staff.is_admin).where(
            Staff.active.is_(True), Staff.slack_user_id.is_not(None)
        )
    ).all()
    members = {str(user) for user, _ in rows}
    admins = {str(user) for user, admin in rows if admin}
    return members, admins
