"""The exactly-once delivery engine of scheduled sends: reminders, digests, visit follow-ups.

The core decides who gets what, handlers/scheduled/ says it in Block Kit, and this engine
delivers each message exactly once: claim (kind, recipient, period) in the ledger and commit,
send, mark sent or failed. A recipient Slack refuses is logged and marked failed (retried by a
later run); the rest still get theirs. `dry_run` prints what would be sent and records nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from slack_sdk import WebClient

from bot import metrics
from bot.config import Settings
from bot.context import Knalle
from bot.core.followup import calendar
from bot.core.followup.digest import personal_digests, team_digest
from bot.core.followup.reminders import Skipped, reminders_for_day
from bot.core.followup.schedule_config import schedule_of
from bot.core.text.sv import sv_date
from bot.core.visits.followups import followups_on
from handlers.scheduled import texts as t
from handlers.scheduled.messages import (
    DIGEST_CHART,
    Outgoing,
    digest_message,
    personal_message,
    reminder_message,
    visit_followup_message,
)
from handlers.terminal_text import render_blocks
from storage import sends

logger = logging.getLogger(__name__)


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
