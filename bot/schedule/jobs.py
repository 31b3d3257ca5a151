"""The functions the scheduler stores by import path ("bot.schedule.jobs:run_daily"), plainly.

Each builds its context: the Knalle and Slack client `knalle serve` registered with `use()`, or,
in any other process, fresh ones from the settings. Renaming this module or a function would
make APScheduler drop the stored job at load, so these names are part of the schedule.
"""

from __future__ import annotations

import logging
import threading

from slack_sdk import WebClient

from bot.clock import today
from bot.config import load_settings
from bot.context import Knalle, build_knalle
from bot.schedule.sends import RunReport, ScheduledSends
from bot.slack.client import make_web_client

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_context: tuple[Knalle, WebClient] | None = None


def use(knalle: Knalle, client: WebClient) -> None:
    """Run the jobs in this process with this Knalle and client (serve's start hook calls it)."""
    global _context
    with _lock:
        _context = (knalle, client)


def forget() -> None:
    global _context
    with _lock:
        _context = None


def context() -> tuple[Knalle, WebClient]:
    with _lock:
        if _context is not None:
            return _context
    settings = load_settings()
    knalle = build_knalle(settings, migrate=False)
    token = settings.slack_bot_token or ""
    return knalle, make_web_client(token, settings.slack_api_url)


def _log(name: str, report: RunReport) -> None:
    summary = report.summary()
    logger.info("%s: %s", name, summary.replace("\n", " | ") if summary else "inget att skicka")


def run_daily() -> None:
    """Everything due today: reminders, visit follow-ups, and the weekly digest on its day."""
    knalle, client = context()
    _log("run_daily", ScheduledSends(knalle, client).daily(today(knalle.clock)))
    clear_expired_quietly(knalle)


def clear_expired_quietly(knalle: Knalle) -> None:
    """KNALLE_RETENTION_DAYS, once a day after the sends (bot/core/retention.py)."""
    from bot.core.retention import clear_expired

    try:
        with knalle.db.write() as session:
            clear_expired(
                session, now=knalle.clock.now(), retention_days=knalle.settings.retention_days
            )
    except Exception:  # the sends are done; the next day clears what this one could not
        logger.exception("retention: could not clear expired rows")


def retry_failed() -> None:
    """Later the same day: the ledger skips what went out and retries what Slack refused."""
    knalle, client = context()
    _log("retry_failed", ScheduledSends(knalle, client).daily(today(knalle.clock)))


def run_reminders() -> None:
    knalle, client = context()
    day = today(knalle.clock)
    sender = ScheduledSends(knalle, client)
    _log("run_reminders", sender.reminders(day))
    _log("run_visit_followups", sender.visit_followups(day))


def run_digest() -> None:
    knalle, client = context()
    _log("run_digest", ScheduledSends(knalle, client).digest(today(knalle.clock)))
