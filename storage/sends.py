"""The send ledger: one row per (kind, recipient, period), claimed before a scheduled send.

Claim, send, then mark. The claim is committed before anything goes to Slack, so two processes
(or a rerun) never both send. A row left "claimed" by a crash mid-send is never retried: sending
nothing twice matters more than a lost reminder. A "failed" row (Slack said no) is retried by a
later run, up to MAX_ATTEMPTS. Functions take a Session and never commit.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from storage.claims import insert_if_absent
from storage.models import SentMessage

CLAIMED = "claimed"
SENT = "sent"
FAILED = "failed"
MAX_ATTEMPTS = 3


def _key(kind: str, recipient: str, period: str) -> tuple[ColumnElement[bool], ...]:
    """The ledger row of one send: its unique (kind, recipient, period)."""
    return (
        SentMessage.kind == kind,
        SentMessage.recipient == recipient,
        SentMessage.period == period,
    )


def claim(session: Session, kind: str, recipient: str, period: str, now: dt.datetime) -> bool:
    """True when this caller may send: a new claim, or the retry of a failed one."""
    values = {
        "kind": kind,
        "recipient": recipient,
        "period": period,
        "status": CLAIMED,
        "attempts": 1,
        "claimed_at": now,
    }
    if insert_if_absent(session, SentMessage, values):
        return True
    # A conditional UPDATE is atomic in the database: of two retriers, exactly one matches.
    retried = session.execute(
        update(SentMessage)
        .where(
            *_key(kind, recipient, period),
            SentMessage.status == FAILED,
            SentMessage.attempts < MAX_ATTEMPTS,
        )
        .values(status=CLAIMED, attempts=SentMessage.attempts + 1, claimed_at=now, error=None)
    )
    return int(retried.rowcount) == 1  # type: ignore[attr-defined]


def mark_sent(session: Session, kind: str, recipient: str, period: str, now: dt.datetime) -> None:
    session.execute(
        update(SentMessage)
        .where(*_key(kind, recipient, period))
        .values(status=SENT, sent_at=now, error=None)
    )


def mark_failed(session: Session, kind: str, recipient: str, period: str, error: str) -> None:
    session.execute(
        update(SentMessage)
        .where(*_key(kind, recipient, period))
        .values(status=FAILED, error=error[:2000])
    )


def find(session: Session, kind: str, recipient: str, period: str) -> SentMessage | None:
    return session.scalars(select(SentMessage).where(*_key(kind, recipient, period))).first()


def sends_of(session: Session, kind: str | None = None) -> list[SentMessage]:
    query = select(SentMessage).order_by(SentMessage.id)
    if kind is not None:
        query = query.where(SentMessage.kind == kind)
    return list(session.scalars(query))
