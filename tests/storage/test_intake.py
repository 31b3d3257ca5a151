"""Pending commands: what was acked and not yet handled survives a restart."""

from __future__ import annotations

import datetime as dt

from bot.context import Knalle
from storage import intake


def test_unfinished_commands_are_found_until_finished_or_given_up(knalle: Knalle) -> None:
    now = knalle.clock.now()
    with knalle.db.write() as session:
        first = intake.add_pending(
            session,
            command="/besök",
            text="Ellos AB",
            user_id="UPIA",
            channel_id="C1",
            response_url="http://x/r",
            received_at=now,
        )
        second = intake.add_pending(
            session,
            command="/aktivitet",
            text="1.2.1 grön Klart",
            user_id="UOLA",
            channel_id="C1",
            response_url="",
            received_at=now,
        )
    with knalle.db.read() as session:
        assert [row.id for row in intake.unfinished(session, max_attempts=3)] == [first, second]
    with knalle.db.write() as session:
        intake.finish_many(session, [first], now)
        for _ in range(2):  # a row starts at one attempt: the delivery itself
            intake.count_attempt(session, second)
    with knalle.db.read() as session:
        assert intake.unfinished(session, max_attempts=3) == []
        assert intake.unfinished(session, max_attempts=4)[0].text == "1.2.1 grön Klart"
    with knalle.db.write() as session:
        assert intake.forget_finished_before(session, now + dt.timedelta(seconds=1)) == 1
