"""Queries on pending slash commands (see PendingCommand). Functions never commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from storage.models import PendingCommand


def add_pending(
    session: Session,
    *,
    command: str,
    text: str,
    user_id: str,
    channel_id: str,
    response_url: str,
    received_at: dt.datetime,
) -> int:
    """One command; see add_pending_many."""
    row = {
        "command": command,
        "text": text,
        "user_id": user_id,
        "channel_id": channel_id,
        "response_url": response_url,
        "received_at": received_at,
    }
    return add_pending_many(session, [row])[0]


def add_pending_many(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Several commands in one INSERT … RETURNING; ids in the order of `rows`."""
    if not rows:
        return []
    statement = insert(PendingCommand).returning(PendingCommand.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, [{**row, "attempts": 1} for row in rows]))


def finish_many(session: Session, pending_ids: list[int], at: dt.datetime) -> None:
    if pending_ids:
        session.execute(
            update(PendingCommand).where(PendingCommand.id.in_(pending_ids)).values(finished_at=at)
        )


def count_attempt(session: Session, pending_id: int) -> None:
    session.execute(
        update(PendingCommand)
        .where(PendingCommand.id == pending_id)
        .values(attempts=PendingCommand.attempts + 1)
    )


def unfinished(session: Session, *, max_attempts: int) -> list[PendingCommand]:
    """Commands acked but never finished (the process died), oldest first."""
    query = (
        select(PendingCommand)
        .where(PendingCommand.finished_at.is_(None), PendingCommand.attempts < max_attempts)
        .order_by(PendingCommand.id)
    )
    return list(session.scalars(query))


def forget_finished_before(session: Session, cutoff: dt.datetime) -> int:
    result = session.execute(
        delete(PendingCommand).where(
            PendingCommand.finished_at.is_not(None), PendingCommand.finished_at < cutoff
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def unfinished_summary(session: Session) -> tuple[int, dt.datetime | None]:
    """How many commands are acked but unfinished, and when the oldest of them arrived."""
    from sqlalchemy import func

    query = select(func.count(PendingCommand.id), func.min(PendingCommand.received_at)).where(
        PendingCommand.finished_at.is_(None)
    )
    count, oldest = session.execute(query).one()
    if isinstance(oldest, str):  # SQLite's min() of a DateTime column comes back as text
        oldest = dt.datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=dt.UTC)
    return int(count or 0), oldest
