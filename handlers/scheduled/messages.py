"""Scheduled sends to Slack: reminders, the weekly digest (with its chart), visit follow-ups.

The core decides who gets what; this module renders Block Kit and delivers each message exactly
once: claim (kind, recipient, period) in the ledger and commit, send, mark sent or failed. A
recipient Slack refuses is logged and marked failed (retried by a later run); the rest still get
theirs. `dry_run` prints what would be sent and records nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from slack_sdk import WebClient

from bot import metrics
from bot.app import Knalle
from bot.config import Settings
from bot.core.activities.lights import NOT_REPORTED, NOT_REPORTED_SYMBOL, SYMBOL, Light
from bot.core.followup import calendar
from bot.core.followup.digest import PersonalDigest, TeamDigest, personal_digests, team_digest
from bot.core.followup.reminders import DueActivity, Reminder, Skipped, reminders_for_day
from bot.core.followup.schedule_config import schedule_of
from bot.core.text.sv import sv_date, sv_day, sv_long_date
from bot.core.visits.followups import VisitFollowUp, followups_on
from bot.files.charts import visits_per_month_png
from handlers.blocks import (
    COMPACT_PREVIEW_MIN,
    MESSAGE_BLOCK_LIMIT,
    SECTION_TEXT_LIMIT,
    SHORT_TITLE,
    Block,
    ListItem,
    button,
    clip,
    context,
    escape,
    header,
    item_list,
    section,
    text_length,
)
from handlers.ids import ActivityAction
from handlers.limits import MESSAGE_BLOCK_TEXT
from handlers.scheduled import texts as t
from handlers.terminal_text import render_blocks
from storage import sends

logger = logging.getLogger(__name__)

DIGEST = "digest"
DIGEST_CHART = "digest-chart"
DIGEST_PERSONAL = "digest-personal"
VISIT_FOLLOWUP = "visit-followup"


@dataclass
class ChartFile:
    filename: str
    title: str
    content: bytes


@dataclass
class Outgoing:
    """One message for one recipient, keyed in the ledger by (kind, recipient, period)."""

    kind: str
    recipient: str  # a user id (sent as a DM) or a channel id
    period: str
    text: str
    blocks: list[Block]
    label: str  # who, for people reading a run: "Anna M", "#C0TEAM"
    chart: ChartFile | None = None

    @property
    def is_dm(self) -> bool:
        return self.recipient[:1] in ("U", "W")


@dataclass
class RunReport:
    sent: list[Outgoing] = field(default_factory=list)
    already: list[Outgoing] = field(default_factory=list)
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)
    planned: list[Outgoing] = field(default_factory=list)  # --dry-run
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def extend(self, other: RunReport) -> None:
        self.sent += other.sent
        self.already += other.already
        self.failed += other.failed
        self.planned += other.planned
        self.skipped += other.skipped
        self.notes += other.notes

    def summary(self) -> str:
        lines = list(self.notes)
        lines += [t.RUN_SKIPPED.format(name=s.name, reason=s.reason) for s in self.skipped]
        if self.sent:
            lines.append(t.RUN_SENT.format(count=len(self.sent)))
        if self.already:
            lines.append(t.RUN_ALREADY.format(count=len(self.already)))
        if self.failed:
            items = ", ".join(
                f"{t.kind_name(o.kind)} {o.label}: {error}" for o, error in self.failed
            )
            lines.append(t.RUN_FAILED.format(count=len(self.failed), items=items))
        return "\n".join(lines)


# -- rendering -------------------------------------------------------------------------------

# A DM lists many activities: each shows the start of its latest comment, as /aktivitet mina does.
COMMENT_PREVIEW = 300


def _light_line(item: DueActivity, preview: int = COMMENT_PREVIEW) -> str:
    if item.light is None:
        return t.NEVER_REPORTED.format(symbol=NOT_REPORTED_SYMBOL)
    comment = " ".join(item.comment.split())
    if comment and preview >= COMPACT_PREVIEW_MIN:
        return t.LAST_SAID.format(
            symbol=SYMBOL[item.light],
            light=item.light.value,
            comment=escape(clip(comment, preview)),
            period=item.last_period or "",
        )
    return t.LAST_SAID_NO_COMMENT.format(
        symbol=SYMBOL[item.light], light=item.light.value, period=item.last_period or ""
    )


def _activity_blocks(items: tuple[DueActivity, ...], room: int, budget: int) -> list[Block]:
    """Every activity: a section with its Uppdatera button each when they fit `room` blocks and
    `budget` characters, else a line each and one button opening the form with them all."""

    def row(item: DueActivity) -> ListItem:
        return ListItem(
            heading=f"*{escape(item.number)} {escape(item.title)}*",
            detail=lambda preview: _light_line(item, preview),
            button=button(t.UPDATE_BUTTON, ActivityAction.UPDATE, str(item.activity_id)),
            short=f"*{escape(item.number)} {escape(clip(item.title, SHORT_TITLE))}*",
        )

    return item_list(
        [row(item) for item in items],
        max_blocks=room,
        budget=budget,
        shared_button=button(t.UPDATE_ANY_BUTTON, ActivityAction.UPDATE, "", style="primary"),
        more=lambda count: t.MORE_ACTIVITIES.format(count=count),
    )


def _budget(blocks: list[Block], *after: Block) -> int:
    """What is left of a message's block text once `blocks` and the closing `after` are in."""
    return MESSAGE_BLOCK_TEXT - 300 - text_length([*blocks, *after])


def reminder_message(reminder: Reminder) -> Outgoing:
    count = t.activities_text(len(reminder.activities))
    days = t.days_text(reminder.days_left)
    last = reminder.is_last
    intro = t.REMINDER_INTRO.format(
        name=escape(reminder.name),
        followup=sv_date(reminder.followup),
        period=reminder.period,
        count=count,
    )
    blocks = [
        header(t.REMINDER_LAST_HEADER if last else t.REMINDER_HEADER),
        section(f"{intro}\n{t.REMINDER_DAYS_LEFT.format(days=days)}"),
    ]
    how = context(t.REMINDER_HOW)
    blocks += _activity_blocks(reminder.activities, MESSAGE_BLOCK_LIMIT - 3, _budget(blocks, how))
    blocks.append(how)
    text = t.REMINDER_FALLBACK.format(days=days, followup=sv_date(reminder.followup), count=count)
    return Outgoing(reminder.kind, reminder.recipient, reminder.period, text, blocks, reminder.name)


def _bullets(lines: list[str], limit: int = SECTION_TEXT_LIMIT - 200) -> str:
    """Lines joined until the section limit; the rest counted in a "more" line."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        if used + len(line) + 1 > limit:
            kept.append(t.DIGEST_MORE.format(count=len(lines) - index))
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)


def _lights_text(lights: dict[str, int]) -> str:
    parts = [f"{SYMBOL[light]} {light.value} {lights.get(light.value, 0)}" for light in Light]
    parts.append(f"{NOT_REPORTED_SYMBOL} {NOT_REPORTED} {lights.get(NOT_REPORTED, 0)}")
    return " · ".join(parts)


def digest_message(digest: TeamDigest, channel: str) -> Outgoing:
    week_number = digest.week.rsplit("W", 1)[-1].lstrip("0")
    start, end = sv_day(digest.week_start), sv_day(digest.week_end)
    if digest.visits:
        visit_lines = [t.DIGEST_VISITS.format(start=start, end=end, count=len(digest.visits))]
        visit_lines.append(
            t.DIGEST_COMPANIES.format(companies=", ".join(escape(c) for c in digest.companies))
        )
        people = ", ".join(f"{escape(name)} ({count})" for name, count in digest.people)
        visit_lines.append(t.DIGEST_WHO.format(people=people))
        visits_text = _bullets(visit_lines)
    else:
        visits_text = t.DIGEST_NO_VISITS.format(start=start, end=end)
    diff = digest.year_count - digest.pace_now
    state = (
        t.DIGEST_AHEAD.format(diff=diff)
        if diff > 0
        else t.DIGEST_BEHIND.format(diff=-diff)
        if diff < 0
        else t.DIGEST_ON_PACE
    )
    year_text = t.DIGEST_YEAR.format(
        count=digest.year_count, target=digest.target, pace=digest.pace_now, state=state
    )
    if digest.campaigns:
        year_text += (
            "\n"
            + t.DIGEST_CAMPAIGNS
            + "\n"
            + _bullets([f"• {escape(line)}" for line in digest.campaigns])
        )
    blocks = [
        header(t.DIGEST_HEADER.format(week=week_number)),
        section(visits_text),
        section(year_text),
    ]
    if digest.activity_count:
        blocks.append(
            section(
                t.DIGEST_LIGHTS.format(
                    count=digest.activity_count, lights=_lights_text(digest.lights)
                )
            )
        )
        if digest.not_reported:
            title = t.DIGEST_NOT_REPORTED.format(
                period=digest.period,
                count=len(digest.not_reported),
                total=digest.activity_count,
            )
            lines = [
                f"• {escape(a.number)} {escape(a.title)}"
                + (f" ({escape(', '.join(a.owners))})" if a.owners else "")
                for a in digest.not_reported
            ]
            blocks.append(section(title + "\n" + _bullets(lines)))
        else:
            blocks.append(section(t.DIGEST_ALL_REPORTED.format(period=digest.period)))
    else:
        blocks.append(section(t.DIGEST_NO_PLAN))
    blocks.append(
        section(
            t.DIGEST_NEXT_FOLLOWUP.format(
                day=sv_long_date(digest.next_followup),
                days=t.days_text(digest.days_to_followup),
            )
        )
    )
    text = t.DIGEST_FALLBACK.format(
        visits=t.visits_text(len(digest.visits)),
        year_count=digest.year_count,
        target=digest.target,
        followup=sv_date(digest.next_followup),
    )
    chart = ChartFile(
        filename=t.DIGEST_CHART_FILENAME.format(year=digest.year, week=week_number),
        title=t.DIGEST_CHART_TITLE.format(year=digest.year, target=digest.target),
        content=visits_per_month_png(digest.by_month, digest.target, digest.year, digest.day),
    )
    return Outgoing(DIGEST, channel, digest.week, text, blocks, f"#{channel}", chart)


def personal_message(digest: PersonalDigest) -> Outgoing:
    blocks: list[Block] = [header(t.PERSONAL_HEADER)]
    if digest.visits:
        lines = [t.PERSONAL_VISITS.format(count=len(digest.visits))]
        lines += [f"• {escape(v.company)} ({sv_day(v.day)})" for v in digest.visits]
        blocks.append(section(_bullets(lines)))
    else:
        blocks.append(section(t.PERSONAL_NO_VISITS))
    if digest.due:
        blocks.append(
            section(
                t.PERSONAL_DUE.format(
                    followup=sv_date(digest.next_followup),
                    period=digest.period,
                    count=t.activities_text(len(digest.due)),
                )
            )
        )
        how = context(t.REMINDER_HOW)
        blocks += _activity_blocks(
            digest.due, MESSAGE_BLOCK_LIMIT - len(blocks) - 1, _budget(blocks, how)
        )
        blocks.append(how)
    else:
        blocks.append(section(t.PERSONAL_NOTHING_DUE.format(period=digest.period)))
    text = t.PERSONAL_FALLBACK.format(
        visits=t.visits_text(len(digest.visits)), count=t.activities_text(len(digest.due))
    )
    return Outgoing(DIGEST_PERSONAL, digest.recipient, digest.week, text, blocks, digest.name)


def visit_followup_message(item: VisitFollowUp, label: str) -> Outgoing:
    day = sv_long_date(item.visit_date)
    lines = [t.VISIT_FOLLOWUP_TEXT.format(company=escape(item.company), day=day)]
    if item.notes.strip():
        lines.append(t.VISIT_FOLLOWUP_NOTES.format(notes=escape(item.notes.strip())))
    blocks = [section("\n".join(lines)), context(t.VISIT_FOLLOWUP_HOW)]
    text = t.VISIT_FOLLOWUP_FALLBACK.format(company=escape(item.company))
    return Outgoing(VISIT_FOLLOWUP, item.recipient, item.period, text, blocks, label)


# -- delivery --------------------------------------------------------------------------------


class ScheduledSends:
    """What the scheduler runs each morning, and what `knalle remind` / `knalle digest` run."""

    def __init__(
        self,
        knalle: Knalle,
        client: WebClient | None,
        *,
        dry_run: bool = False,
        out: TextIO | None = None,
    ) -> None:
        if client is None and not dry_run:
            raise ValueError("a WebClient is needed unless dry_run")
        self.knalle = knalle
        self.client = client
        self.dry_run = dry_run
        self.out = out

    # -- what is due -------------------------------------------------------------------

    def settings(self) -> Settings:
        with self.knalle.db.read() as session:
            return self.knalle.settings_in(session)

    def _as_of(self, day: dt.date) -> dt.datetime:
        """Updates count up to now, or the end of `day` when running for an earlier day."""
        now = self.knalle.clock.now()
        end_of_day = dt.datetime.combine(
            day + dt.timedelta(days=1), dt.time(0), tzinfo=self.knalle.clock.zone
        )
        return min(now, end_of_day)

    def reminders(self, day: dt.date) -> RunReport:
        """Follow-up reminders the calendar says go out on `day`."""
        schedule = schedule_of(self.settings())
        report = RunReport()
        with self.knalle.db.read() as session:
            found, skipped = reminders_for_day(session, day, schedule, self._as_of(day))
        report.skipped += skipped
        if not calendar.reminders_due(day, schedule):
            upcoming = calendar.next_reminder(day, schedule)
            report.notes.append(
                t.RUN_NOTHING_DUE.format(
                    day=sv_date(day),
                    kind=t.kind_name(upcoming.kind),
                    next_day=sv_date(upcoming.send_on),
                    followup=sv_date(upcoming.followup),
                )
            )
            return report
        self._deliver([reminder_message(r) for r in found], report)
        return report

    def visit_followups(self, day: dt.date) -> RunReport:
        report = RunReport()
        with self.knalle.db.read() as session:
            found, skipped = followups_on(session, day)
            from bot.core.staff.people import display_name

            items = [visit_followup_message(f, display_name(session, f.recipient)) for f in found]
        report.skipped += skipped
        self._deliver(items, report)
        return report

    def digest(self, day: dt.date) -> RunReport:
        """The team digest and every personal digest as of `day` (once per ISO week)."""
        settings = self.settings()
        schedule = schedule_of(settings)
        report = RunReport()
        as_of = self._as_of(day)
        with self.knalle.db.read() as session:
            team = team_digest(session, day, schedule, settings.visit_target, as_of)
            personal, skipped = personal_digests(session, day, schedule, as_of)
        report.skipped += skipped
        items: list[Outgoing] = []
        if settings.digest_channel:
            items.append(digest_message(team, settings.digest_channel))
        else:
            report.notes.append(t.DIGEST_NO_CHANNEL)
            logger.warning("no digest channel set; the team digest was not posted")
        items += [personal_message(p) for p in personal]
        self._deliver(items, report)
        return report

    def daily(self, day: dt.date) -> RunReport:
        """Everything due on `day`: reminders, visit follow-ups, and the digest on its day."""
        schedule = schedule_of(self.settings())
        report = RunReport()
        if calendar.reminders_due(day, schedule):
            report.extend(self.reminders(day))
        report.extend(self.visit_followups(day))
        if calendar.digest_due(day, schedule):
            report.extend(self.digest(day))
        return report

    # -- exactly once ------------------------------------------------------------------

    def _deliver(self, items: list[Outgoing], report: RunReport) -> None:
        for item in items:
            if self.dry_run:
                self._print(item)
                report.planned.append(item)
                continue
            try:
                self._deliver_one(item, report)
            except Exception as exc:  # e.g. the database between send and mark: keep going
                logger.exception("scheduled %s to %s", item.kind, item.recipient)
                report.failed.append((item, _error_text(exc)))

    def _print(self, item: Outgoing) -> None:
        with self.knalle.db.read() as session:
            row = sends.find(session, item.kind, item.recipient, item.period)
        done = row is not None and row.status == sends.SENT
        if self.out is None:
            return
        note = t.DRY_RUN_ALREADY if done else ""
        self.out.write(
            t.DRY_RUN_ITEM.format(
                kind=t.kind_name(item.kind), label=item.label, period=item.period, note=note
            )
            + "\n"
        )
        self.out.write(render_blocks(item.blocks, item.text) + "\n")
        if item.chart is not None:
            self.out.write(
                t.DRY_RUN_FILE.format(filename=item.chart.filename, size=len(item.chart.content))
                + "\n"
            )
        self.out.write("\n")

    def _claim(self, kind: str, recipient: str, period: str) -> bool:
        # Committed before sending, so a second process sees the claim and stays away.
        with self.knalle.db.write() as session:
            return sends.claim(session, kind, recipient, period, self.knalle.clock.now())

    def _settle(self, kind: str, recipient: str, period: str, error: str | None) -> None:
        with self.knalle.db.write() as session:
            if error is None:
                sends.mark_sent(session, kind, recipient, period, self.knalle.clock.now())
            else:
                sends.mark_failed(session, kind, recipient, period, error)

    def _guarded(self, kind: str, recipient: str, period: str, send: Callable[[], None]) -> str:
        """'sent', 'already' or the error text; every outcome is written to the ledger."""
        outcome = self._guarded_send(kind, recipient, period, send)
        metrics.scheduled_send(kind, outcome if outcome in ("sent", "already") else "failed")
        return outcome

    def _guarded_send(
        self, kind: str, recipient: str, period: str, send: Callable[[], None]
    ) -> str:
        if not self._claim(kind, recipient, period):
            with self.knalle.db.read() as session:
                row = sends.find(session, kind, recipient, period)
            if row is not None and row.status == sends.FAILED:
                return t.RUN_GAVE_UP.format(attempts=row.attempts, error=row.error or "")
            return "already"
        try:
            send()
        except Exception as exc:  # one recipient's failure must not stop the others
            error = _error_text(exc)
            logger.warning("scheduled %s to %s failed: %s", kind, recipient, error)
            self._settle(kind, recipient, period, error)
            return error
        self._settle(kind, recipient, period, None)
        return "sent"

    def _deliver_one(self, item: Outgoing, report: RunReport) -> None:
        channel_holder: dict[str, str] = {}

        def send_message() -> None:
            channel = self._open(item.recipient)
            channel_holder["id"] = channel
            assert self.client is not None
            self.client.chat_postMessage(
                channel=channel, text=item.text, blocks=item.blocks, unfurl_links=False
            )

        outcome = self._guarded(item.kind, item.recipient, item.period, send_message)
        if outcome == "sent":
            report.sent.append(item)
        elif outcome == "already":
            report.already.append(item)
        else:
            report.failed.append((item, outcome))
            return
        if item.chart is None:
            return
        chart = item.chart

        def send_chart() -> None:
            # The files API takes a conversation id, never a user id: open the DM first.
            channel = channel_holder.get("id") or self._open(item.recipient)
            assert self.client is not None
            self.client.files_upload_v2(
                channel=channel, content=chart.content, filename=chart.filename, title=chart.title
            )

        chart_outcome = self._guarded(DIGEST_CHART, item.recipient, item.period, send_chart)
        if chart_outcome not in ("sent", "already"):
            report.failed.append((item, chart_outcome))

    def _open(self, recipient: str) -> str:
        """A DM channel id for a user (conversations.open), a channel id as it is."""
        assert self.client is not None
        if recipient[:1] not in ("U", "W"):
            return recipient
        response = self.client.conversations_open(users=recipient)
        channel: dict[str, Any] = response["channel"]
        return str(channel["id"])


def _error_text(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if response is not None:
        try:
            return str(response["error"])
        except (KeyError, TypeError):
            pass
    return f"{type(exc).__name__}: {exc}"[:300]
