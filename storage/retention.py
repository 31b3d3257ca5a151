"""Clearing what is kept only for a while (see docs/personal-data.md). Functions never commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from storage.models import PendingCommand, ProcessedEvent, SentMessage


def forget_finished_commands(session: Session, cutoff: dt.datetime) -> int:
    """Finished slash commands (their text and response URL) received before `cutoff`."""
    result = session.execute(
        delete(PendingCommand).where(
            PendingCommand.finished_at.is_not(None), PendingCommand.received_at < cutoff
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def forget_events(session: Session, cutoff: dt.datetime) -> int:
    result = session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff))
    return int(result.rowcount)  # type: ignore[attr-defined]


def clear_send_errors(session: Session, cutoff: dt.datetime) -> int:
    """Slack's error texts on old ledger rows; the rows stay (they keep sends to once)."""
    result = session.execute(
        update(SentMessage)
        .where(SentMessage.claimed_at < cutoff, SentMessage.error.is_not(None))
        .values(error=None)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
