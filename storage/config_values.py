"""Operator settings kept in the database (`knalle config set`). Functions never commit."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import Setting


def stored_values(session: Session) -> dict[str, str]:
    return {row.key: row.value for row in session.scalars(select(Setting).order_by(Setting.key))}


def store_value(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def forget_value(session: Session, key: str) -> bool:
    result = session.execute(delete(Setting).where(Setting.key == key))
    return int(result.rowcount) > 0  # type: ignore[attr-defined]
