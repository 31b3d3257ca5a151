"""KNALLE_RETENTION_DAYS: what the bot keeps only for a while is cleared on schedule.

Cleared after the retention time (30 days unless set): finished slash commands (their text and
response URL), the ids of Slack events seen (kept to drop Slack's retries), and Slack's error
texts on the send ledger. Log files (KNALLE_LOG_FILE) are rotated daily and kept as many days.
Visits, updates and the audit trail are the unit's records and are not cleared here.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from storage import retention

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Cleared:
    commands: int
    events: int
    send_errors: int


def clear_expired(session: Session, *, now: dt.datetime, retention_days: int) -> Cleared:
    """Run by the daily job and at start; safe to run on several replicas at once."""
    cutoff = now - dt.timedelta(days=retention_days)
    cleared = Cleared(
        commands=retention.forget_finished_commands(session, cutoff),
        events=retention.forget_events(session, cutoff),
        send_errors=retention.clear_send_errors(session, cutoff),
    )
    logger.info(
        "retention (%d days): cleared %d commands, %d event ids, %d send errors",
        retention_days,
        cleared.commands,
        cleared.events,
        cleared.send_errors,
    )
    return cleared
