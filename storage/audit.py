"""Queries on the audit trail. Rows are only ever appended: there is no update or delete here,
and `guard` makes a session refuse to flush or execute one (the database's triggers refuse it
too). Functions never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, event, insert, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from storage.models import AuditEntry

APPEND_ONLY = "audit_log is append-only: rows are never updated or deleted"


class AppendOnlyViolation(RuntimeError):
    pass


def append(
    session: Session,
    *,
    at: dt.datetime,
    actor_id: str | None,
    actor_name: str,
    surface: str,
    action: str,
    subject_type: str,
    subject_id: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    session.execute(
        insert(AuditEntry).values(
            at=at,
            actor_id=actor_id,
            actor_name=actor_name[:200],
            surface=surface[:16],
            action=action[:32],
            subject_type=subject_type[:16],
            subject_id=subject_id[:200],
            before=before,
            after=after,
        )
    )


def entries(
    session: Session,
    *,
    since: dt.datetime | None = None,
    actor_ids: Sequence[str] = (),
    actor_name: str | None = None,
    subject_type: str | None = None,
    subject_id: str | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[AuditEntry]:
    query: Select[tuple[AuditEntry]] = select(AuditEntry)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if actor_ids or actor_name:
        conditions = []
        if actor_ids:
            conditions.append(AuditEntry.actor_id.in_(list(actor_ids)))
        if actor_name:
            conditions.append(AuditEntry.actor_name.ilike(f"%{actor_name}%"))
        query = query.where(or_(*conditions))
    if subject_type is not None:
        query = query.where(AuditEntry.subject_type == subject_type)
    if subject_id is not None:
        query = query.where(AuditEntry.subject_id == subject_id)
    order = AuditEntry.id.desc() if newest_first else AuditEntry.id
    query = query.order_by(order)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def count_for_subject(session: Session, subject_type: str, subject_id: str) -> int:
    from sqlalchemy import func

    query = select(func.count(AuditEntry.id)).where(
        AuditEntry.subject_type == subject_type, AuditEntry.subject_id == subject_id
    )
    return int(session.scalar(query) or 0)


def guard(factory: sessionmaker[Session]) -> None:
    """Make sessions from `factory` refuse to change or delete audit rows."""

    @event.listens_for(factory, "before_flush")
    def _no_dirty_audit(session: Session, _context: Any, _instances: Any) -> None:
        for row in (*session.dirty, *session.deleted):
            if isinstance(row, AuditEntry):
                raise AppendOnlyViolation(APPEND_ONLY)

    @event.listens_for(factory, "do_orm_execute")
    def _no_bulk_change(state: ORMExecuteState) -> None:
        if not (state.is_update or state.is_delete):
            return
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) == AuditEntry.__tablename__:
            raise AppendOnlyViolation(APPEND_ONLY)
