"""What a staff member's App Home tab shows, gathered in one read: no Slack here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.activities.updates import ActivityStatus, my_activities
from bot.core.followup import pauses
from bot.core.followup.periods import Period, steady_pace
from bot.core.plan.campaigns import describe, progress_in_force
from storage import key_figures as key_figure_queries
from storage import visits as visit_queries

RECENT_VISITS = 5


@dataclass(frozen=True)
class VisitLine:
    visit_date: dt.date
    company: str
    form: str
    permalink: str | None = None  # the Slack message the visit was read from


@dataclass(frozen=True)
class KeyFigureLine:
    name: str
    target: str
    outcome: str
    met: bool | None


@dataclass(frozen=True)
class HomeData:
    user_id: str
    staff_name: str | None  # None: the Slack user is not in the staff directory
    today: dt.date
    period: Period
    activities: tuple[ActivityStatus, ...]
    recent_visits: tuple[VisitLine, ...]
    team_visits: int  # this year, through today
    visit_target: int
    pace_now: int  # where a steady pace to the target would be by today
    key_figures: tuple[KeyFigureLine, ...]
    paused_until: dt.date | None
    campaigns: tuple[str, ...] = ()  # bot.core.plan.campaigns.describe of each, plan in force

    @property
    def unreported(self) -> tuple[ActivityStatus, ...]:
        return tuple(status for status in self.activities if status.current is None)

    @property
    def next_followup(self) -> dt.date:
        return self.period.end


def home_data(
    session: Session,
    slack_user_id: str,
    today: dt.date,
    *,
    followup_dates: list[str] | tuple[str, ...],
    visit_target: int,
) -> HomeData:
    mine = my_activities(session, slack_user_id, today, followup_dates)
    visits = visit_queries.recent_visits_of(session, slack_user_id, limit=RECENT_VISITS)
    figures = key_figure_queries.values_for_year(session, today.year)
    return HomeData(
        user_id=slack_user_id,
        staff_name=mine.staff_name,
        today=today,
        period=mine.period,
        activities=mine.activities,
        recent_visits=tuple(
            VisitLine(visit.visit_date, visit.company.name, visit.form, visit.permalink)
            for visit in visits
        ),
        team_visits=visit_queries.count_between(session, dt.date(today.year, 1, 1), today),
        visit_target=visit_target,
        pace_now=steady_pace(visit_target, today),
        key_figures=tuple(
            KeyFigureLine(
                figure.name,
                value.target if value else "",
                value.outcome if value else "",
                value.met if value else None,
            )
            for figure, value in figures
        ),
        campaigns=tuple(describe(p) for p in progress_in_force(session, today)),
        paused_until=pauses.paused_until(session, slack_user_id, today),
    )
