"""Queries on the key figures (nyckeltal, section 8.7): target and outcome per year.

Functions take a Session and never commit.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import KeyFigure, KeyFigureValue


def all_key_figures(session: Session) -> list[KeyFigure]:
    """Every key figure in the plan's order (position, then name)."""
    return list(session.scalars(select(KeyFigure).order_by(KeyFigure.position, KeyFigure.name)))


def by_name(session: Session, name: str) -> KeyFigure | None:
    """The key figure with exactly this name, case-insensitively."""
    return session.scalars(
        select(KeyFigure).where(func.lower(KeyFigure.name) == name.strip().lower())
    ).first()


def values_for_year(session: Session, year: int) -> list[tuple[KeyFigure, KeyFigureValue | None]]:
    """Every key figure with its value for `year` (None when nothing is recorded for that year)."""
    values = {
        value.key_figure_id: value
        for value in session.scalars(select(KeyFigureValue).where(KeyFigureValue.year == year))
    }
    return [(figure, values.get(figure.id)) for figure in all_key_figures(session)]


def value_of(session: Session, figure: KeyFigure, year: int) -> KeyFigureValue | None:
    """The figure's recorded value for `year`, if any."""
    return session.scalars(
        select(KeyFigureValue).where(
            KeyFigureValue.key_figure_id == figure.id, KeyFigureValue.year == year
        )
    ).first()


def add_key_figure(session: Session, name: str, *, stratsys: bool = False) -> KeyFigure:
    """A new key figure placed last; the caller checks the name is free."""
    last = session.scalar(select(func.max(KeyFigure.position)))
    figure = KeyFigure(name=name.strip(), stratsys=stratsys, position=(last or 0) + 1)
    session.add(figure)
    session.flush()
    return figure


def set_value(
    session: Session,
    figure: KeyFigure,
    year: int,
    *,
    target: str | None = None,
    outcome: str | None = None,
    met: bool | None = None,
    clear_met: bool = False,
) -> KeyFigureValue:
    """Create or change the figure's value for `year`; None leaves a field as it was."""
    value = value_of(session, figure, year)
    if value is None:
        value = KeyFigureValue(key_figure_id=figure.id, year=year, target="", outcome="", met=None)
        session.add(value)
    if target is not None:
        value.target = target
    if outcome is not None:
        value.outcome = outcome
    if met is not None or clear_met:
        value.met = met
    session.flush()
    return value
