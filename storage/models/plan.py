"""The yearly plan: chapters, sections, activities, their owners and every update; key figures."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import Base, UtcDateTime


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(300))
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # The plan's `kampanjer` and `politiker` as the plan file gives them (bot/core/plan/campaigns.py
    # reads them): few, small, and always read with the plan.
    campaigns: Mapped[list[dict[str, object]]] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )
    politicians: Mapped[list[dict[str, object]]] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )

    chapters: Mapped[list[Chapter]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Chapter.position"
    )


class Chapter(Base):
    __tablename__ = "chapters"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer)

    plan: Mapped[Plan] = relationship(back_populates="chapters")
    sections: Mapped[list[Section]] = relationship(
        back_populates="chapter", cascade="all, delete-orphan", order_by="Section.position"
    )


class Section(Base):
    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("chapter_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(
        ForeignKey("chapters.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer)

    chapter: Mapped[Chapter] = relationship(back_populates="sections")
    activities: Mapped[list[Activity]] = relationship(
        back_populates="section", order_by="Activity.position"
    )


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"), index=True)
    number: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[list[str]] = mapped_column(JSON, default=list)
    years: Mapped[list[int]] = mapped_column(JSON, default=list)
    priority: Mapped[str | None] = mapped_column(String(8))  # Hög | Medel | Låg
    follow_up_rule: Mapped[str] = mapped_column(String(300), default="Två gånger per år")
    position: Mapped[int] = mapped_column(Integer)
    # An activity dropped from a later version of the plan file is retired, never deleted.
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    section: Mapped[Section] = relationship(back_populates="activities")
    owners: Mapped[list[ActivityOwner]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", order_by="ActivityOwner.position"
    )
    updates: Mapped[list[ActivityUpdate]] = relationship(
        back_populates="activity", order_by="ActivityUpdate.recorded_at"
    )


class ActivityOwner(Base):
    """One name from the plan's "Vem": a staff member, "Alla" or "Berörda"."""

    __tablename__ = "activity_owners"
    __table_args__ = (UniqueConstraint("activity_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)

    activity: Mapped[Activity] = relationship(back_populates="owners")


class ActivityUpdate(Base):
    """A traffic light and a comment; every one is kept, so any date's state can be shown."""

    __tablename__ = "activity_updates"
    # The newest update of an activity is one seek here, however long the history.
    __table_args__ = (
        Index("ix_activity_updates_activity_recorded", "activity_id", "recorded_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), index=True)
    light: Mapped[str | None] = mapped_column(String(8))  # grön | gul | röd | grå
    comment: Mapped[str] = mapped_column(Text, default="")
    period: Mapped[str] = mapped_column(String(8), index=True)  # "2026-H2"
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    author_slack_id: Mapped[str | None] = mapped_column(String(32))
    author_name: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(16), default="slack")  # slack | console | import
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    activity: Mapped[Activity] = relationship(back_populates="updates")


class KeyFigure(Base):
    __tablename__ = "key_figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    stratsys: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    values: Mapped[list[KeyFigureValue]] = relationship(
        back_populates="key_figure", cascade="all, delete-orphan", order_by="KeyFigureValue.year"
    )


class KeyFigureValue(Base):
    __tablename__ = "key_figure_values"
    __table_args__ = (UniqueConstraint("key_figure_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_figure_id: Mapped[int] = mapped_column(
        ForeignKey("key_figures.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    target: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    met: Mapped[bool | None] = mapped_column(Boolean)

    key_figure: Mapped[KeyFigure] = relationship(back_populates="values")
