"""KNALLE_RETENTION_DAYS clears command payloads, event ids and send errors; nothing else."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.context import Knalle
from bot.schedule.jobs import clear_expired_quietly
from storage import intake, sends
from storage.claims import claim_event
from storage.models import AuditEntry, PendingCommand, ProcessedEvent, SentMessage
from tests import units


def _command(session: Session, at: dt.datetime, text: str) -> int:
    return intake.add_pending(
        session,
        command="/besök",
        text=text,
        user_id="UPIA",
        channel_id="C1",
        response_url="https://hooks.slack.invalid/x",
        received_at=at,
    )


def test_clears_after_the_retention_time_and_keeps_what_is_still_owed(knalle: Knalle) -> None:
    knalle = dataclasses.replace(
        knalle, settings=knalle.settings.model_copy(update={"retention_days": 7})
    )
    now = knalle.clock.now()
    old, recent = now - dt.timedelta(days=8), now - dt.timedelta(days=6)
    with knalle.db.write() as session:
        finished_old = _command(session, old, "Ellos AB, Annette Carlson")
        unfinished_old = _command(session, old, "Volvo AB")
        finished_recent = _command(session, recent, "Ica AB")
        intake.finish_many(session, [finished_old, finished_recent], now)
        claim_event(session, "EvOld", old)
        claim_event(session, "EvNew", recent)
        sends.claim(session, "digest", "C0TEAM", "2026-W40", old)
        sends.mark_failed(session, "digest", "C0TEAM", "2026-W40", "channel_not_found")
    cleared = units.clear_expired(knalle)
    assert (cleared.commands, cleared.events, cleared.send_errors) == (1, 1, 1)
    with knalle.db.read() as session:
        kept = set(session.scalars(select(PendingCommand.id)))
        assert kept == {unfinished_old, finished_recent}  # an unfinished command is still owed
        assert list(session.scalars(select(ProcessedEvent.event_id))) == ["EvNew"]
        (ledger,) = session.scalars(select(SentMessage))
        assert ledger.error is None and ledger.status == sends.FAILED  # the row keeps "once"
    assert units.clear_expired(knalle) == type(cleared)(0, 0, 0)


def test_the_daily_job_never_raises_for_it(
    knalle: Knalle, monkeypatch: pytest.MonkeyPatch
) -> None:
    knalle.db.dispose()
    broken = dataclasses.replace(
        knalle, settings=knalle.settings.model_copy(update={"retention_days": 1})
    )
    broken.db.engine.dispose()

    def fail() -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(broken.db, "write", fail)
    clear_expired_quietly(broken)  # logged, not raised
    with knalle.db.read() as session:
        assert session.scalar(select(func.count(AuditEntry.id))) == 0
