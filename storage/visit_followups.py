"""Visits with a follow-up date ("följ upp om 2 veckor"): what the morning DM looks up."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, selectinload

from storage.models import Visit
from storage.visits import live_visits


def visits_to_follow_up(session: Session, first: dt.date, last: dt.date) -> list[Visit]:
    """Live visits whose follow-up falls on first..last, oldest first, with their company."""
    query = (
        live_visits()
        .where(Visit.follow_up_on >= first, Visit.follow_up_on <= last)
        .options(selectinload(Visit.company))
        .order_by(Visit.visit_date, Visit.id)
    )
    return list(session.scalars(query))
