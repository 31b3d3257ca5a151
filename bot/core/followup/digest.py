"""The weekly digest as of a date: the team's (a channel post) and each owner's (a DM).

Team: last week's visits (count, companies, who), the year so far against the target and where a
steady pace would be by now, activities by their latest light, activities not reported this
period, the next follow-up. Personal: the owner's activities due and their visits last week.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.followup.calendar import Schedule, last_week, next_followup, week_label
from bot.core.followup.periods import period_of, steady_pace
from bot.core.followup.reminders import DueActivity, Skipped, dm_recipient, due_by_owner
from bot.core.plan.campaigns import describe, progress_for
from bot.core.plan.lights import NOT_REPORTED, Light
from storage import activities, staff, visits
from storage.visits import ExportRow

EVERYONE = activities.EVERYONE


@dataclass(frozen=True)
class VisitLine:
    visit_id: int
    day: dt.date
    company: str
    people: tuple[str, ...]  # staff names (Slack id when the directory does not know them)


@dataclass(frozen=True)
class ActivityLine:
    number: str
    title: str
    owners: tuple[str, ...]


@dataclass(frozen=True)
class TeamDigest:
    day: dt.date
    week: str  # "2026-W49": the ledger period
    week_start: dt.date
    week_end: dt.date
    visits: tuple[VisitLine, ...]  # last week's
    companies: tuple[str, ...]  # distinct, in visit order
    people: tuple[tuple[str, int], ...]  # (name, visits) most first
    year: int
    year_count: int
    target: int
    pace_now: int  # where a steady pace to the target would be by `day`
    by_month: dict[int, int]
    lights: dict[str, int]  # light value or NOT_REPORTED → activities, by latest light
    period: str  # the current follow-up period, "2026-H2"
    not_reported: tuple[ActivityLine, ...]
    activity_count: int
    next_followup: dt.date
    campaigns: tuple[str, ...] = ()  # bot.core.plan.campaigns.describe of each, plan in force

    @property
    def days_to_followup(self) -> int:
        return (self.next_followup - self.day).days


@dataclass(frozen=True)
class PersonalDigest:
    recipient: str
    name: str
    week: str
    period: str
    next_followup: dt.date
    due: tuple[DueActivity, ...]
    visits: tuple[VisitLine, ...]


def _names(session: Session) -> dict[str, str]:
    return {
        member.slack_user_id: member.name
        for member in staff.all_staff(session, active_only=False)
        if member.slack_user_id
    }


def _visit_line(visit: ExportRow, names: dict[str, str]) -> VisitLine:
    people = tuple(names.get(slack_id, slack_id) for slack_id in visit.participants)
    return VisitLine(visit.id, visit.visit_date, visit.company, people)


def team_digest(
    session: Session,
    day: dt.date,
    schedule: Schedule,
    target: int,
    as_of: dt.datetime | None = None,
) -> TeamDigest:
    start, end = last_week(day)
    names = _names(session)
    week_visits = [_visit_line(v, names) for v in visits.export_rows(session, start, end)]
    companies = tuple(dict.fromkeys(line.company for line in week_visits))
    people = Counter(person for line in week_visits for person in line.people)
    by_month = visits.count_by_month(session, day.year, until=day)
    period = period_of(day, list(schedule.followup_dates)).label

    lights: dict[str, int] = {light.value: 0 for light in Light}
    lights[NOT_REPORTED] = 0
    not_reported: list[ActivityLine] = []
    plan = activities.current_plan(session, day)
    listed = activities.plan_activities(session, plan.id) if plan else []
    ids = [activity.id for activity in listed]
    latest = activities.latest_updates(session, ids, as_of=as_of)
    this_period = activities.updates_in_period(session, ids, period, as_of=as_of)
    for activity in listed:
        last = latest.get(activity.id)
        key = last.light if last is not None and last.light in lights else NOT_REPORTED
        lights[key] += 1
        if activity.id not in this_period:
            not_reported.append(ActivityLine(activity.number, activity.title, activity.owners))
    return TeamDigest(
        day=day,
        week=week_label(day),
        week_start=start,
        week_end=end,
        visits=tuple(week_visits),
        companies=companies,
        people=tuple(sorted(people.items(), key=lambda item: (-item[1], item[0]))),
        year=day.year,
        year_count=sum(by_month.values()),
        target=target,
        pace_now=steady_pace(target, day),
        by_month=by_month,
        lights=lights,
        period=period,
        not_reported=tuple(not_reported),
        campaigns=tuple(describe(p) for p in progress_for(session, plan, day, day.year)),
        activity_count=len(listed),
        next_followup=next_followup(day, schedule),
    )


def personal_digests(
    session: Session, day: dt.date, schedule: Schedule, as_of: dt.datetime | None = None
) -> tuple[list[PersonalDigest], list[Skipped]]:
    """One DM per active staff member with something to say: activities due or visits made."""
    start, end = last_week(day)
    names = _names(session)
    week_visits = list(visits.export_rows(session, start, end))
    period = period_of(day, list(schedule.followup_dates)).label
    plan = activities.current_plan(session, day)
    digests: list[PersonalDigest] = []
    skipped: list[Skipped] = []
    members = staff.all_staff(session, active_only=True)
    by_owner = (
        due_by_owner(session, plan.id, [m.name for m in members], period, as_of) if plan else {}
    )
    for member in members:
        due = by_owner.get(member.name, [])
        theirs = [
            _visit_line(visit, names)
            for visit in week_visits
            if member.slack_user_id
            and member.slack_user_id in visit.participants
        ]
        if not due and not theirs:
            continue
        recipient = dm_recipient(member, day)
        if isinstance(recipient, Skipped):
            skipped.append(recipient)
            continue
        digests.append(
            PersonalDigest(
                recipient=recipient,
                name=member.name,
                week=week_label(day),
                period=period,
                next_followup=next_followup(day, schedule),
                due=tuple(due),
                visits=tuple(theirs),
            )
        )
    return digests, skipped
