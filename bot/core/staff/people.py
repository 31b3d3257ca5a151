"""Who someone is: admins, names for Slack ids. Shared by every command."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from storage import staff


def is_admin(session: Session, slack_user_id: str, admins: Collection[str]) -> bool:
    """Admins come from KNALLE_ADMINS (`admins`) or the staff directory's admin flag."""
    if slack_user_id in admins:
        return True
    member = staff.by_slack_id(session, slack_user_id)
    return bool(member and member.is_admin)


def display_name(session: Session, slack_user_id: str) -> str:
    """The plan name when the directory knows the user, else the Slack id."""
    member = staff.by_slack_id(session, slack_user_id)
    return member.name if member else slack_user_id
