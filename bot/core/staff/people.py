"""Who someone is: admins, names for Slack ids. Shared by every command."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.context import Knalle
from storage import staff


def is_admin(knalle: Knalle, session: Session, slack_user_id: str) -> bool:
    """Admins come from KNALLE_ADMINS or the staff directory's admin flag."""
    if knalle.is_admin_id(slack_user_id):
        return True
    member = staff.by_slack_id(session, slack_user_id)
    return bool(member and member.is_admin)


def display_name(session: Session, slack_user_id: str) -> str:
    """The plan name when the directory knows the user, else the Slack id."""
    member = staff.by_slack_id(session, slack_user_id)
    return member.name if member else slack_user_id
