"""Who gets which follow-up reminder on a day, and exactly which of their activities it lists.

An owner is a staff member named in an activity's "Vem" (by plan name), and "Alla" names every
active staff member; "Berörda" is never reminded. A reminder lists exactly the owner's activities
with no update in the follow-up's period, each with its latest light and comment. An owner with
everything reported gets nothing; a paused owner is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.followup.calendar import ReminderDue, Schedule, reminders_due
from bot.core.followup.pauses import is_paused
from bot.core.plan.lights import Light, stored_light
from storage import activities, staff
from storage.models import Staff


@dataclass(frozen=True)
class DueActivity:
    """An activity still to report this period, with what was last said about it."""

    activity_id: int
    number: str
    title: str
    light: Light | None  # the latest light of any period; None when never reported
    comment: str
    last_period: str | None


@dataclass(frozen=True)
class Reminder:
    kind: str  # "reminder-14"
    recipient: str  # Slack user id
    name: str  # plan name, "Anna M"
    period: str  # "2026-H2"
    followup: dt.date
    days_before: int
    days_left: int
    is_last: bool
    activities: tuple[DueActivity, ...]


@dataclass(frozen=True)
class Skipped:
    """Someone who would have got a message but does not, and why (shown by --dry-run)."""

    name: str
    reason: str


NO_SLACK_ACCOUNT = "saknar Slack-konto (knalle staff link)"
DMS_PAUSED = "har pausat sina DM"


def dm_recipient(member: Staff, day: dt.date) -> str | Skipped:
    """The member's Slack id when a DM may go to them on `day`, else why not."""
    if not member.slack_user_id:
        return Skipped(member.name, NO_SLACK_ACCOUNT)
    if is_paused(member, day):
        return Skipped(member.name, DMS_PAUSED)
    return member.slack_user_id


def due_by_owner(
    session: Session,
    plan_id: int,
    owner_names: Iterable[str],
    period: str,
    as_of: dt.datetime | None = None,
) -> dict[str, list[DueActivity]]:
    """Each owner's activities (by name or "Alla") with no update in `period` as of `as_of`.

    The plan, the period's updates and the latest update of each activity are read once for
    all owners: the same few queries for one owner or thirty, and for one year or thirty.
    """
    listed = activities.plan_activities(session, plan_id)
    # Who owns what, indexed once: each owner's list in plan order, "Alla" included.
    by_owner: dict[str, list[int]] = {}
    for position, activity in enumerate(listed):
        for owner in {owner.lower() for owner in activity.owners}:
            by_owner.setdefault(owner, []).append(position)
    everyone = by_owner.get(activities.EVERYONE.lower(), [])
    owned = {
        name: [listed[i] for i in sorted({*by_owner.get(name.lower(), []), *everyone})]
        for name in owner_names
    }
    ids = sorted({activity.id for rows in owned.values() for activity in rows})
    reported = activities.updates_in_period(session, ids, period, as_of=as_of)
    latest = activities.latest_updates(session, ids, as_of=as_of)
    due: dict[str, list[DueActivity]] = {}
    for name, rows in owned.items():
        due[name] = []
        for activity in rows:
            if activity.id in reported:
                continue
            last = latest.get(activity.id)
            due[name].append(
                DueActivity(
                    activity_id=activity.id,
                    number=activity.number,
                    title=activity.title,
                    light=stored_light(last.light) if last is not None else None,
                    comment=last.comment if last is not None else "",
                    last_period=last.period if last is not None else None,
                )
            )
    return due


def due_activities(
    session: Session,
    plan_id: int,
    owner_name: str,
    period: str,
    as_of: dt.datetime | None = None,
) -> list[DueActivity]:
    """The owner's activities (by name or "Alla") with no update in `period` as of `as_of`."""
    return due_by_owner(session, plan_id, [owner_name], period, as_of)[owner_name]


def reminders_for_round(
    session: Session, due: ReminderDue, as_of: dt.datetime | None = None
) -> tuple[list[Reminder], list[Skipped]]:
    """Every owner's reminder in one round, in name order, and who was skipped."""
    plan = activities.current_plan(session, due.followup)
    if plan is None:
        return [], []
    reminders: list[Reminder] = []
    skipped: list[Skipped] = []
    members = staff.all_staff(session, active_only=True)
    by_owner = due_by_owner(session, plan.id, [m.name for m in members], due.period, as_of)
    for member in members:
        listed = by_owner[member.name]
        if not listed:
            continue
        recipient = dm_recipient(member, due.send_on)
        if isinstance(recipient, Skipped):
            skipped.append(recipient)
            continue
        reminders.append(
            Reminder(
                kind=due.kind,
                recipient=recipient,
                name=member.name,
                period=due.period,
                followup=due.followup,
                days_before=due.days_before,
                days_left=due.days_left,
                is_last=due.is_last,
                activities=tuple(listed),
            )
        )
    return reminders, skipped


def reminders_for_day(
    session: Session, day: dt.date, schedule: Schedule, as_of: dt.datetime | None = None
) -> tuple[list[Reminder], list[Skipped]]:
    """Everything the follow-up calendar says goes out on `day`."""
    reminders: list[Reminder] = []
    skipped: list[Skipped] = []
    for due in reminders_due(day, schedule):
        sent, left_out = reminders_for_round(session, due, as_of)
        reminders.extend(sent)
        skipped.extend(left_out)
    return reminders, skipped
