"""The half-year follow-up report collected from the database, as of the period's follow-up day.

`collect_report` gathers everything the verksamhetsberättelse shows (every activity of the
period's plan with owners, priority, light and the period's comment, counts per light, chapter
and priority, visits against the target, the key figures) into plain frozen dataclasses. The
renderers in `bot.files.report` turn that into xlsx, docx or Markdown; nothing here knows a format.

Everything is read AS OF the end of the follow-up day in the configured zone, so an update made
after a period closed never changes that period's report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.core.followup.periods import Period, parse_period, period_of, steady_pace
from bot.core.plan.campaigns import describe, progress_for
from bot.core.plan.lights import Light, stored_light
from bot.core.visits.feedback import Compilation, compile_year
from bot.core.visits.themes import Tagger
from bot.errors import NotFound
from storage import activities as activity_queries
from storage import key_figures as key_figure_queries
from storage import staff as staff_queries
from storage import visits as visit_queries
from storage.activities import UpdateRow
from storage.models import Activity, ActivityUpdate

PRIORITIES = ("Hög", "Medel", "Låg")
NO_PRIORITY = "Ingen prio"
# Order of the summary columns: the plan's legend, then the ones nobody reported.
LIGHT_ORDER: tuple[Light, ...] = (Light.GRON, Light.GUL, Light.ROD, Light.GRA)


class Status:
    """What an activity's row says besides a light: keys of the summary counts."""

    NOT_REPORTED = "ej rapporterad"
    NO_LIGHT = "utan ljus"  # reported, but the comment gives no basis for a light


STATUS_ORDER: tuple[str, ...] = (*LIGHT_ORDER, Status.NO_LIGHT, Status.NOT_REPORTED)


@dataclass(frozen=True)
class ActivityRow:
    number: str
    title: str
    years: tuple[int, ...]
    owners: tuple[str, ...]
    priority: str | None
    reported: bool
    light: Light | None
    comment: str
    author: str | None
    recorded_at: dt.datetime | None

    @property
    def status(self) -> str:
        """A light's value ("grön"), "utan ljus" or "ej rapporterad"."""
        if not self.reported:
            return Status.NOT_REPORTED
        return self.light.value if self.light else Status.NO_LIGHT


@dataclass(frozen=True)
class SectionPart:
    number: str
    title: str
    activities: tuple[ActivityRow, ...]


@dataclass(frozen=True)
class ChapterPart:
    number: str
    title: str
    sections: tuple[SectionPart, ...]

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def activities(self) -> list[ActivityRow]:
        return [row for section in self.sections for row in section.activities]


@dataclass(frozen=True)
class KeyFigureRow:
    name: str
    stratsys: bool
    target: str
    outcome: str
    met: bool | None


@dataclass(frozen=True)
class VisitSummary:
    total: int
    target: int
    by_month: dict[int, int]
    by_cluster: dict[str, int]
    through: dt.date

    @property
    def share_of_target(self) -> float:
        return self.total / self.target if self.target else 0.0

    @property
    def pace_target(self) -> int:
        """Visits a steady pace would have reached by `through` (the year's share of the target)."""
        return steady_pace(self.target, self.through)


@dataclass(frozen=True)
class FollowUpReport:
    period: Period
    as_of: dt.datetime  # the end of the follow-up day, aware
    plan_name: str
    plan_year: int
    chapters: tuple[ChapterPart, ...]
    visits: VisitSummary
    key_figures: tuple[KeyFigureRow, ...]
    # What the companies said (themes), up to the follow-up day; None without a theme list.
    feedback: Compilation | None = None
    campaigns: tuple[str, ...] = ()  # bot.core.plan.campaigns.describe, as of `through`
    # The day the report was made, when before the follow-up day: then it is preliminary and
    # counts only up to that day, never stating the rest of the period as fact.
    today: dt.date | None = None

    @property
    def preliminary(self) -> bool:
        return self.today is not None and self.today < self.period.end

    @property
    def through(self) -> dt.date:
        """The last day the report's counts cover."""
        return self.today if self.today is not None and self.preliminary else self.period.end

    @property
    def plan_from_earlier_year(self) -> bool:
        """The period's own year has no plan: an earlier one is in force."""
        return self.plan_year != self.period.year

    @property
    def activities(self) -> list[ActivityRow]:
        return [row for chapter in self.chapters for row in chapter.activities]

    def counts_by_status(self) -> dict[str, int]:
        """Every status in STATUS_ORDER, zero included."""
        counts = Counter(row.status for row in self.activities)
        return {status: counts.get(status, 0) for status in STATUS_ORDER}

    def counts_by_chapter(self) -> list[tuple[ChapterPart, dict[str, int]]]:
        result = []
        for chapter in self.chapters:
            counts = Counter(row.status for row in chapter.activities)
            result.append((chapter, {status: counts.get(status, 0) for status in STATUS_ORDER}))
        return result

    def counts_by_priority(self) -> dict[str, dict[str, int]]:
        """Hög, Medel, Låg (always) and "Ingen prio" (when some activity has none)."""
        groups: dict[str, Counter[str]] = {priority: Counter() for priority in PRIORITIES}
        for row in self.activities:
            groups.setdefault(row.priority or NO_PRIORITY, Counter())[row.status] += 1
        return {
            priority: {status: counts.get(status, 0) for status in STATUS_ORDER}
            for priority, counts in groups.items()
        }

    @property
    def not_reported(self) -> list[ActivityRow]:
        return [row for row in self.activities if not row.reported]


def end_of_day(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The last representable instant of `day` in `zone` (inclusive bound for `<=` queries)."""
    next_midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return next_midnight - dt.timedelta(microseconds=1)


def resolve_period(
    label: str | None, clock: Clock, followup_dates: tuple[str, ...] | list[str]
) -> Period:
    """The named period ("2026-H2"), or the current one by the clock when `label` is empty."""
    if label is None or not label.strip():
        return period_of(clock.now().date(), followup_dates)
    return parse_period(label, followup_dates)


def _author(
    session: Session, update: ActivityUpdate | UpdateRow, names: dict[str, str]
) -> str | None:
    if update.author_name:
        return update.author_name
    slack_id = update.author_slack_id
    if not slack_id:
        return None
    return names.get(slack_id, slack_id)


def _row(
    session: Session,
    activity: Activity,
    update: ActivityUpdate | UpdateRow | None,
    names: dict[str, str],
) -> ActivityRow:
    return ActivityRow(
        number=activity.number,
        title=activity.title,
        years=tuple(activity.years or ()),
        owners=tuple(owner.name for owner in activity.owners),
        priority=activity.priority,
        reported=update is not None,
        light=stored_light(update.light) if update else None,
        comment=(update.comment or "").strip() if update else "",
        author=_author(session, update, names) if update else None,
        recorded_at=update.recorded_at if update else None,
    )


def collect_report(
    session: Session,
    period: Period,
    *,
    zone: ZoneInfo,
    visit_target: int,
    tagger: Tagger | None = None,
    today: dt.date | None = None,
) -> FollowUpReport:
    """The follow-up for `period` as it stood at the end of its follow-up day in `zone`.

    Raises NotFound (Swedish) when no plan for the period's year or an earlier one is imported.
    """
    # Until a year's plan is imported the latest one is in force, as for /aktivitet and the
    # reminders, so a report covers the activities that were updated during the period.
    plan = activity_queries.plan_in_force(session, period.year)
    if plan is None:
        raise NotFound(
            f"Det finns ingen verksamhetsplan för {period.year} eller tidigare, så ingen "
            f"uppföljning för {period.label}. Importera planen först: knalle plan import FIL."
        )
    as_of = end_of_day(period.end, zone)
    activities = activity_queries.activities_in_plan(session, plan.id)
    updates = activity_queries.updates_in_period(
        session, [activity.id for activity in activities], period.label, as_of
    )
    # The directory, read once: authors' names without a query per author.
    names = {
        member.slack_user_id: member.name
        for member in staff_queries.all_staff(session, active_only=False)
        if member.slack_user_id
    }
    by_section: dict[int, list[ActivityRow]] = {}
    for activity in activities:  # already in the plan's order within each section
        row = _row(session, activity, updates.get(activity.id), names)
        by_section.setdefault(activity.section_id, []).append(row)
    chapters: list[ChapterPart] = []
    for chapter in plan.chapters:
        sections = []
        for section in chapter.sections:
            rows = tuple(by_section.get(section.id, ()))
            if rows:
                sections.append(SectionPart(section.number, section.title, rows))
        if sections:
            chapters.append(ChapterPart(chapter.number, chapter.title, tuple(sections)))

    through = min(today, period.end) if today is not None else period.end
    by_month = visit_queries.count_by_month(session, period.year, until=through)
    by_cluster = visit_queries.count_by_cluster(session, period.year, until=through)
    visits = VisitSummary(
        total=sum(by_month.values()),
        target=visit_target,
        by_month=by_month,
        # Ties in name order, so the report reads the same on every database.
        by_cluster=dict(sorted(by_cluster.items(), key=lambda item: (-item[1], item[0]))),
        through=through,
    )
    figures = tuple(
        KeyFigureRow(
            name=figure.name,
            stratsys=figure.stratsys,
            target=value.target if value else "",
            outcome=value.outcome if value else "",
            met=value.met if value else None,
        )
        for figure, value in key_figure_queries.values_for_year(session, period.year)
    )
    return FollowUpReport(
        period=period,
        as_of=as_of,
        plan_name=plan.name,
        plan_year=plan.year,
        chapters=tuple(chapters),
        visits=visits,
        key_figures=figures,
        today=today,
        campaigns=tuple(describe(p) for p in progress_for(session, plan, through, period.year)),
        feedback=(
            compile_year(session, tagger, period.year, through, quote_limit=0)
            if tagger is not None
            else None
        ),
    )
