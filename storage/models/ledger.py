"""Bookkeeping that makes sends and deliveries exactly-once, and operator settings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UtcDateTime


class SentMessage(Base):
    """One scheduled send: claimed before sending, so two processes never both send it."""

    __tablename__ = "sent_messages"
    __table_args__ = (UniqueConstraint("kind", "recipient", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # reminder-14 | digest | followup-visit …
    recipient: Mapped[str] = mapped_column(String(64))  # Slack user or channel id
    period: Mapped[str] = mapped_column(String(32))  # "2026-H2", "2026-W48", a visit id …
    status: Mapped[str] = mapped_column(String(16), default="claimed")  # claimed | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    error: Mapped[str | None] = mapped_column(Text)


class ProcessedEvent(Base):
    """Slack retries event deliveries; the first one to insert its event_id wins."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Setting(Base):
    """Operator settings changed at run time (`knalle config set`), over the environment's."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PendingCommand(Base):
    """A slash command committed before its ack and marked finished after its handling.

    A process killed between the two leaves the row unfinished; the next start handles it,
    so nothing Slack saw acknowledged is ever lost.
    """

    __tablename__ = "pending_commands"

    id: Mapped[int] = mapped_column(primary_key=True)
    command: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32), default="")
    response_url: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Slack's identity of the request (the command's trigger_id, else its signature): a resend
    # of the same command, whenever it comes, finds this row and is handled no second time.
    request_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    # The lease: which process handles the command, and until when. A live owner renews it;
    # another replica takes the command over only once the lease has run out.
    owner: Mapped[str | None] = mapped_column(String(96))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class SeenRequest(Base):
    """A signed request already taken: a replay of the same bytes within Slack's 5-minute
    signature window is recognised here, by every replica (the cache lives in the database)."""

    __tablename__ = "seen_requests"

    signature: Mapped[str] = mapped_column(String(80), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
