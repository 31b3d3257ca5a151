"""The audit trail: one row per change, who made it, through which surface, before and after.

Append-only: rows are inserted and never updated or deleted (storage/audit.py refuses it in
code, and triggers made by the migration refuse it in the database).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UtcDateTime


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    actor_id: Mapped[str | None] = mapped_column(String(32), index=True)  # Slack id, if any
    actor_name: Mapped[str] = mapped_column(String(200))  # staff name, or the OS user at a CLI
    surface: Mapped[str] = mapped_column(String(16))  # slack | console | cli | import | schedule
    action: Mapped[str] = mapped_column(String(32))  # visit.create, staff.link, config.set …
    subject_type: Mapped[str] = mapped_column(String(16))  # visit | update | company | staff …
    subject_id: Mapped[str] = mapped_column(String(200))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
