"""Insert-if-absent on SQLite and PostgreSQL alike: the one primitive behind every exactly-once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, literal
from sqlalchemy.orm import Session

from storage.base import Base
from storage.models import ProcessedEvent


def dialect_insert(dialect: str) -> Callable[..., Any]:
    """The dialect's INSERT with ON CONFLICT; PostgreSQL's module is imported only there."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def insert_if_absent(session: Session, model: type[Base], values: dict[str, Any]) -> bool:
    """True when this call inserted the row; False when a row with the same unique key existed.

    Concurrent callers race on the unique constraint in the database, not in Python, so exactly
    one of them wins even across processes.
    """
    dialect = session.get_bind().dialect.name
    insert = dialect_insert(dialect)
    # RETURNING, not rowcount: drivers disagree on rowcount for a skipped conflict.
    statement = insert(model).values(**values).on_conflict_do_nothing().returning(literal(1))
    return session.execute(statement).first() is not None


def claim_event(session: Session, event_id: str, now: dt.datetime) -> bool:
    """Slack retries events; only the first delivery of an event_id gets True."""
    return insert_if_absent(session, ProcessedEvent, {"event_id": event_id, "received_at": now})


def forget_events_before(session: Session, cutoff: dt.datetime) -> int:
    result = session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff))
    return int(result.rowcount)  # type: ignore[attr-defined]


def event_claimed(session: Session, event_id: str) -> bool:
    """Whether `event_id` was claimed (and not yet forgotten)."""
    return session.get(ProcessedEvent, event_id) is not None
