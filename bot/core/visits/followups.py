"""A visit's follow-up date ("följ upp om 2 veckor") becomes a DM to its author that morning.

A follow-up on a weekend or holiday comes on the working day before, as the reminders do:
nobody should get work DMs on a Sunday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.followup.calendar import is_working_day, working_day_on_or_after
from bot.core.followup.pauses import is_paused
from bot.core.followup.reminders import DMS_PAUSED, Skipped
from storage import staff
from storage.visit_followups import visits_to_follow_up


@dataclass(frozen=True)
class VisitFollowUp:
    visit_id: int
    recipient: str  # the author's Slack id
    company: str
    visit_date: dt.date
    notes: str
    follow_up_on: dt.date

    @property
    def period(self) -> str:
        """The ledger period: one DM per visit, ever."""
        return str(self.visit_id)


def followups_on(session: Session, day: dt.date) -> tuple[list[VisitFollowUp], list[Skipped]]:
    due: list[VisitFollowUp] = []
    skipped: list[Skipped] = []
    if not is_working_day(day):
        return due, skipped
    # This working day and the days off that follow it, up to the next working day.
    last = working_day_on_or_after(day + dt.timedelta(days=1)) - dt.timedelta(days=1)
    for visit in visits_to_follow_up(session, day, last):
        member = staff.by_slack_id(session, visit.author_id)
        if member is not None and is_paused(member, day):
            skipped.append(Skipped(member.name, DMS_PAUSED))
            continue
        due.append(
            VisitFollowUp(
                visit_id=visit.id,
                recipient=visit.author_id,
                company=visit.company.name,
                visit_date=visit.visit_date,
                notes=visit.notes,
                follow_up_on=visit.follow_up_on or day,
            )
        )
    return due, skipped
