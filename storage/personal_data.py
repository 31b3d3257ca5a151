"""Queries behind `knalle person export|redact`: every row that can hold a person's name.

Candidates are narrowed in SQL (a case-insensitive LIKE, or the person's Slack id); the caller
decides on whole-word matches. Functions never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, selectinload

from storage.models import ActivityUpdate, PendingCommand, Staff, Visit, VisitParticipant


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _holds(column: Any, name: str) -> Any:
    """`column` holds `name` in any common casing. SQLite's lower() folds ASCII only, so "Åsa"
    and "åsa" are tried as written, lower, upper, capitalised and title case."""
    variants = {name, name.lower(), name.upper(), name.capitalize(), name.title()}
    return or_(*(column.ilike(_like(v), escape="\\") for v in sorted(variants)))


def all_staff(session: Session) -> list[Staff]:
    """Everyone in the directory, inactive too (a dozen rows: compared in Python)."""
    return list(session.scalars(select(Staff).order_by(Staff.id)))


def visits_mentioning(session: Session, name: str, slack_ids: Sequence[str] = ()) -> list[Visit]:
    """Visits (hidden ones too) whose others, notes or raw line hold `name`, or where one of
    `slack_ids` was present or the author; oldest first."""
    wanted = name.casefold()
    # `others` is JSON, stored with non-ASCII escaped (\u00e5): compared in Python, not in SQL.
    named = [
        visit_id
        for visit_id, others in session.execute(select(Visit.id, Visit.others))
        if any(wanted in str(other).casefold() for other in others or ())
    ]
    conditions = [
        _holds(Visit.notes, name),
        _holds(Visit.raw_text, name),
        Visit.id.in_(named),
    ]
    if slack_ids:
        present = select(VisitParticipant.visit_id).where(
            VisitParticipant.slack_user_id.in_(list(slack_ids))
        )
        conditions += [Visit.author_id.in_(list(slack_ids)), Visit.id.in_(present)]
    query = (
        select(Visit)
        .where(or_(*conditions))
        .options(selectinload(Visit.company), selectinload(Visit.participants))
        .order_by(Visit.id)
    )
    return list(session.scalars(query))


def updates_mentioning(
    session: Session, name: str, slack_ids: Sequence[str] = (), names: Sequence[str] = ()
) -> list[ActivityUpdate]:
    """Updates written by the person (Slack id or plan name) or whose comment holds `name`."""
    conditions = [_holds(ActivityUpdate.comment, name)]
    if slack_ids:
        conditions.append(ActivityUpdate.author_slack_id.in_(list(slack_ids)))
    if names:
        conditions.append(ActivityUpdate.author_name.in_(list(names)))
    query = (
        select(ActivityUpdate)
        .where(or_(*conditions))
        .options(selectinload(ActivityUpdate.activity))
        .order_by(ActivityUpdate.id)
    )
    return list(session.scalars(query))


def commands_mentioning(
    session: Session, name: str, slack_ids: Sequence[str] = ()
) -> list[PendingCommand]:
    """Slash commands still held (payloads are cleared after the retention time)."""
    conditions = [_holds(PendingCommand.text, name)]
    if slack_ids:
        conditions.append(PendingCommand.user_id.in_(list(slack_ids)))
    query = select(PendingCommand).where(or_(*conditions)).order_by(PendingCommand.id)
    return list(session.scalars(query))


def blank_finished_commands(session: Session, pending_ids: Sequence[str | int]) -> int:
    """Clear the text and response URL of finished commands (unfinished ones are still owed)."""
    if not pending_ids:
        return 0
    result = session.execute(
        update(PendingCommand)
        .where(
            PendingCommand.id.in_([int(i) for i in pending_ids]),
            PendingCommand.finished_at.is_not(None),
        )
        .values(text="", response_url="")
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
