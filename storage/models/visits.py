"""Companies and the visits made to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import Base, UtcDateTime

# Which visits are live: the rows the partial index `ix_visits_live_date` holds.
LIVE = "deleted_at IS NULL"


class Company(Base):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Lower-cased name without legal suffixes ("ab", "group"): what de-duplication compares.
    match_key: Mapped[str] = mapped_column(String(200), unique=True)
    org_number: Mapped[str | None] = mapped_column(String(16), unique=True)
    cluster: Mapped[str | None] = mapped_column(String(64))
    area: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    visits: Mapped[list[Visit]] = relationship(back_populates="company")
    aliases: Mapped[list[CompanyAlias]] = relationship(
        back_populates="company", cascade="all, delete-orphan", passive_deletes=True
    )


class RegisterVersion(Base):
    """One row whose number grows with every change to the company register (database
    triggers on companies and company_aliases, migration 0010): a replica's in-memory copy of
    the match keys is current while the number it read is still the number here."""

    __tablename__ = "register_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class CompanyAlias(Base):
    """Another name of a company: a merged company's names, or the name before a rename.

    Its match key finds the company as the company's own key does (exactly, and fuzzily).
    """

    __tablename__ = "company_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    match_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    company: Mapped[Company] = relationship(back_populates="aliases")


class Visit(Base):
    __tablename__ = "visits"
    __table_args__ = (
        Index("ix_visits_author_created", "author_id", "created_at"),
        # One Slack message is one visit at most, whichever way it came in.
        UniqueConstraint("source_channel", "source_ts"),
        # Counts and lists read live visits by date (and count them by company's cluster):
        # the partial index holds only those, and covers the counts.
        Index(
            "ix_visits_live_date",
            "visit_date",
            "company_id",
            sqlite_where=text(LIVE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    visit_date: Mapped[dt.date] = mapped_column(Date, index=True)
    form: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")
    others: Mapped[list[str]] = mapped_column(JSON, default=list)
    author_id: Mapped[str] = mapped_column(String(32))
    raw_text: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # "Ångra" hides a visit instead of deleting it: nothing acked is ever lost.
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Same author, same text, same few seconds: a double submit claims the same key.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # How the visit came in: command, modal, shortcut, channel or import (SOURCES); for one
    # read from a Slack message, the message's channel, ts and permalink.
    source: Mapped[str] = mapped_column(String(16), default="command", server_default="command")
    source_channel: Mapped[str | None] = mapped_column(String(32))
    source_ts: Mapped[str | None] = mapped_column(String(32))
    permalink: Mapped[str | None] = mapped_column(Text)
    # Company, notes, others and Slack ids present, casefolded: what search looks in
    # (storage/visit_search.py keeps it up to date and indexes it).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    company: Mapped[Company] = relationship(back_populates="visits")
    participants: Mapped[list[VisitParticipant]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitParticipant.id"
    )
    themes: Mapped[list[VisitTheme]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitTheme.id"
    )


class VisitParticipant(Base):
    """A staff member present at a visit (the author and everyone mentioned)."""

    __tablename__ = "visit_participants"
    __table_args__ = (UniqueConstraint("visit_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    slack_user_id: Mapped[str] = mapped_column(String(32), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    visit: Mapped[Visit] = relationship(back_populates="participants")


class VisitTheme(Base):
    """A theme (data/themes.yaml) on a visit's notes: set by the list, or by a person.

    A person's word is final: `applies=False` records that someone removed a theme the list
    had found, so retagging never puts it back. Only rows with `applies=True` are counted.
    """

    __tablename__ = "visit_themes"
    __table_args__ = (
        UniqueConstraint("visit_id", "theme"),
        Index("ix_visit_themes_theme", "theme"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    theme: Mapped[str] = mapped_column(String(64))
    set_by: Mapped[str] = mapped_column(String(8))  # "lista" | "person"
    applies: Mapped[bool] = mapped_column(Boolean, default=True)
    set_by_user: Mapped[str | None] = mapped_column(String(32))  # the person's Slack id
    set_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

    visit: Mapped[Visit] = relationship(back_populates="themes")


@event.listens_for(Visit.__table__, "before_create")
def _partial_on_postgresql(table: Table, connection: Any, **_: Any) -> None:
    """The live-date index is partial on PostgreSQL too (as migration 0006 makes it). Its
    `postgresql_where` is set here, when PostgreSQL creates the table: given in the model, it
    would load PostgreSQL's SQLAlchemy dialect on every start, on SQLite too (~30 ms)."""
    if connection.dialect.name == "postgresql":
        index = next(i for i in table.indexes if i.name == "ix_visits_live_date")
        index.dialect_options["postgresql"]["where"] = text(LIVE)
