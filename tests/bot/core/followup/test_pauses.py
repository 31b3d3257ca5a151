"""Pausing and resuming DMs, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.context import Knalle
from bot.core.followup import pauses
from bot.errors import InvalidDate, NotFound
from storage import staff as staff_queries
from storage.models import Staff

TODAY = dt.date(2026, 6, 20)


@pytest.fixture
def pia(knalle: Knalle) -> None:
    with knalle.db.write() as session:
        session.add(Staff(name="Pia", slack_user_id="UPIA", created_at=dt.datetime.now(dt.UTC)))


def test_pause_until_a_date_then_resume(knalle: Knalle, pia: None) -> None:
    with knalle.db.write() as session:
        paused = pauses.pause_dms(session, "UPIA", dt.date(2026, 8, 10), today=TODAY)
        assert paused.dm_paused_until == dt.date(2026, 8, 10)
    with knalle.db.read() as session:
        member = staff_queries.by_slack_id(session, "UPIA")
        assert member is not None
        assert pauses.is_paused(member, TODAY)
        assert pauses.is_paused(member, dt.date(2026, 8, 9))
        # DMs come back on the date itself.
        assert not pauses.is_paused(member, dt.date(2026, 8, 10))
        assert pauses.paused_until(session, "UPIA", TODAY) == dt.date(2026, 8, 10)
    with knalle.db.write() as session:
        pauses.resume_dms(session, "UPIA")
    with knalle.db.read() as session:
        member = staff_queries.by_slack_id(session, "UPIA")
        assert member is not None and member.dm_paused_until is None
        assert not pauses.is_paused(member, TODAY)
        assert pauses.paused_until(session, "UPIA", TODAY) is None


def test_pause_must_end_after_today(knalle: Knalle, pia: None) -> None:
    for day in (TODAY, TODAY - dt.timedelta(days=1)):
        with knalle.db.write() as session, pytest.raises(InvalidDate) as caught:
            pauses.pause_dms(session, "UPIA", day, today=TODAY)
        assert "efter i dag" in caught.value.message
    with knalle.db.read() as session:
        member = staff_queries.by_slack_id(session, "UPIA")
        assert member is not None and member.dm_paused_until is None


def test_unlinked_user_is_told_how_to_get_linked(knalle: Knalle) -> None:
    with knalle.db.write() as session, pytest.raises(NotFound) as caught:
        pauses.pause_dms(session, "UNOBODY", dt.date(2026, 8, 10), today=TODAY)
    assert "knalle staff link" in caught.value.message and "UNOBODY" in caught.value.message


def test_only_someone_in_the_directory_has_dms_to_pause(knalle: Knalle, pia: None) -> None:
    with knalle.db.read() as session:
        assert pauses.in_directory(session, "UPIA")
        assert not pauses.in_directory(session, "UOKAND")
