"""`/aktivitet rapport` is durable: a kill while it runs no longer drops it silently (defect 10).

Before, the report was made in the listener itself with nothing saved: a process killed while
building or uploading it lost the request, and the user had been told "working on it".
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator

import pytest
from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import select

from bot.clock import FixedClock
from bot.context import Knalle
from bot.core.followup.periods import Period
from handlers.intake import intake_for
from handlers.report import command as report_command
from storage import intake
from storage.models import PendingCommand
from tests.bot.core.report_data import build
from tests.integration.live import LiveBot, live_bot

pytestmark = pytest.mark.faults


@pytest.fixture
def bot(sqlite_url: str, clock: FixedClock) -> Iterator[LiveBot]:
    with live_bot(sqlite_url, clock=clock) as running:
        with running.knalle.db.write() as session:
            build(session)
        yield running


def rows(bot: LiveBot) -> list[PendingCommand]:
    with bot.knalle.db.read() as session:
        return list(session.scalars(select(PendingCommand)))


def test_the_report_is_saved_before_its_ack_and_finished_only_once_sent(
    bot: LiveBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real = report_command.send_report

    def slow_send(knalle: Knalle, client: WebClient, user_id: str, period: Period) -> Period:
        release.wait(10)
        return real(knalle, client, user_id, period)

    monkeypatch.setattr(report_command, "send_report", slow_send)
    reply = bot.command("rapport", command="/aktivitet", user="UPIA")
    assert reply.status == 200 and "tar fram" in reply.body
    (row,) = rows(bot)
    assert (row.command, row.text, row.finished_at) == ("/aktivitet", "rapport", None)
    release.set()
    bot.standin.wait_for("files.completeUploadExternal")
    bot.standin.wait_for("response_url", 1)
    deadline = time.monotonic() + 5
    while rows(bot)[0].finished_at is None:
        assert time.monotonic() < deadline, "the report's command was never finished"
        time.sleep(0.02)


def test_a_report_left_by_a_killed_process_is_made_and_sent_by_a_running_one(
    bot: LiveBot,
) -> None:
    with bot.knalle.db.write() as session:
        intake.add_pending(
            session,
            command="/aktivitet",
            text="rapport",
            user_id="UPIA",
            channel_id="C0TEST",
            response_url=bot.standin.response_url("rap"),
            received_at=bot.knalle.clock.now() - dt.timedelta(minutes=1),
            request_key="t:killed-report",
            owner="dead/1/x",
            lease_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1),
        )
    app = bot.app
    assert isinstance(app, App)
    assert intake_for(app, bot.knalle).sweep(app.client) == 1
    (uploaded,) = bot.standin.uploaded_files()
    assert uploaded.filename == "uppfoljning-2026-H2.xlsx"
    (done,) = bot.standin.calls("response_url")
    assert "ligger nu i ditt DM" in done.args["text"]
