"""Nothing acked is lost: a command is committed before its ack and replayed after a crash."""

from __future__ import annotations

import datetime as dt
import json
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.upkeep import ACTIVITY
from handlers.intake import intake_for
from storage import intake
from storage.models import PendingCommand, Visit
from tests import units
from tests.integration.live import LiveBot, live_bot


@pytest.fixture
def bot(sqlite_url: str, clock: FixedClock) -> Iterator[LiveBot]:
    with live_bot(sqlite_url, clock=clock) as running:
        yield running


def visits(bot: LiveBot) -> int:
    with bot.knalle.db.read() as session:
        return int(session.scalar(select(func.count(Visit.id))) or 0)


def pending(bot: LiveBot) -> list[PendingCommand]:
    with bot.knalle.db.read() as session:
        return list(session.scalars(select(PendingCommand).order_by(PendingCommand.id)))


def the_app(bot: LiveBot) -> App:
    app = bot.app
    assert isinstance(app, App)
    return app


def test_a_command_is_committed_before_the_ack_and_finished_after(bot: LiveBot) -> None:
    release = threading.Event()
    started = threading.Event()
    seen: list[dt.datetime] = []

    def slow_handler(knalle: Any, command: dict[str, Any], respond: Any, client: Any) -> None:
        seen.append(knalle.clock.now())
        started.set()
        release.wait(10)

    intake_for(the_app(bot), bot.knalle).register(["/långsam"], slow_handler)
    reply = bot.command("något att spara", command="/långsam")
    assert reply.status == 200  # acked while the handler still works
    assert started.wait(5)
    (row,) = pending(bot)
    assert (row.text, row.user_id, row.finished_at) == ("något att spara", "UPIA", None)
    release.set()
    deadline = dt.datetime.now() + dt.timedelta(seconds=5)
    while pending(bot)[0].finished_at is None and dt.datetime.now() < deadline:
        threading.Event().wait(0.02)
    assert pending(bot)[0].finished_at is not None
    assert seen == [row.received_at]  # the handler's clock stands at the arrival


def test_a_durable_command_is_saved_and_acked_on_the_requests_own_thread(bot: LiveBot) -> None:
    """Not on Bolt's listener pool, whose runner looks for the ack every 10 ms: the intake's
    middleware saves and acks on the thread that read the request. Both the request and the
    work behind it count as the process's activity (the upkeep waits for them)."""
    threads: list[str] = []
    quiet: list[float] = []
    handled = threading.Event()

    def refuse_nothing(command: dict[str, Any]) -> None:
        threads.append(threading.current_thread().name)
        quiet.append(ACTIVITY.quiet_for())
        return None

    def handler(knalle: Any, command: dict[str, Any], respond: Any, client: Any) -> None:
        threads.append(threading.current_thread().name)
        quiet.append(ACTIVITY.quiet_for())
        handled.set()

    intake_for(the_app(bot), bot.knalle).register(
        ["/egen"], handler, precheck=refuse_nothing, ack_reply={"text": "Tar emot."}
    )
    reply = bot.command("något", command="/egen")
    assert (reply.status, reply.body) == (200, "Tar emot.")  # Bolt's ack of a text alone
    assert handled.wait(5)
    acked_on, handled_on = threads
    assert acked_on.startswith("waitress") and handled_on.startswith("knalle-work")
    assert quiet == [0.0, 0.0]
    assert [row.text for row in pending(bot)] == ["något"]
    app = the_app(bot)
    names = [type(m).__name__ for m in app._middleware_list]
    # After the boundary's checks (the outsider, the unsafe text), and last of all.
    assert names[-1] == "DurableCommands" and "CustomMiddleware" in names[:-1]
    assert not [
        listener
        for listener in app._listeners
        if getattr(listener.ack_function, "__name__", "") == "durable_listener"
    ]


def test_a_command_no_route_takes_goes_on_to_bolt(bot: LiveBot) -> None:
    reply = bot.command("x", command="/okänt")
    # Bolt finds no listener either, and Knalle's answer to what it does not know is given.
    assert reply.status == 200 and "känner inte igen" in json.loads(reply.body)["text"]
    assert pending(bot) == []


def test_the_intake_takes_a_command_however_its_name_is_spelt(bot: LiveBot) -> None:
    intake = intake_for(the_app(bot), bot.knalle)
    for name in [unicodedata.normalize("NFD", "/besök"), "/Besök", "/BESOK", "/besok"]:
        assert intake.match({"command": name, "text": "lista"}) is not None, name
    for name in ["/besökare", "/bes", ""]:
        assert intake.match({"command": name, "text": "lista"}) is None, name


def _left_behind(bot: LiveBot, text: str, received: dt.datetime, name: str) -> int:
    """What a process killed right after its ack leaves: a pending row and nothing else."""
    with bot.knalle.db.write() as session:
        return intake.add_pending(
            session,
            command="/besök",
            text=text,
            user_id="UPIA",
            channel_id="C0TEST",
            response_url=bot.standin.response_url(name),
            received_at=received,
        )


def test_replay_stores_what_a_killed_process_acked_and_answers_the_user(bot: LiveBot) -> None:
    now = bot.knalle.clock.now()
    _left_behind(bot, "Ellos AB igår, pratade rekrytering", now - dt.timedelta(minutes=2), "fresh")
    _left_behind(bot, "Textile Fashion Center igår", now - dt.timedelta(hours=16), "expired")
    handled = intake_for(the_app(bot), bot.knalle).replay_unfinished(the_app(bot).client)
    assert handled == 2 and visits(bot) == 2
    (fresh,) = bot.standin.calls("response_url")
    assert fresh.args["_name"] == "fresh"
    assert "Ellos AB" in json.dumps(fresh.args, ensure_ascii=False)
    (dm,) = bot.standin.calls("chat.postMessage")  # the response_url has expired: a DM
    assert dm.args["channel"] == "UPIA"
    assert "Textile Fashion Center" in json.dumps(dm.args, ensure_ascii=False)
    with bot.knalle.db.read() as session:
        dates = {v.company.name: v.visit_date for v in session.scalars(select(Visit))}
    # "igår" is the day before the command arrived, not before the replay.
    assert dates["Textile Fashion Center"] == (now - dt.timedelta(hours=16)).date() - dt.timedelta(
        days=1
    )
    assert all(row.finished_at is not None for row in pending(bot))
    assert intake_for(the_app(bot), bot.knalle).replay_unfinished(the_app(bot).client) == 0


def test_replay_of_work_that_reached_the_database_stores_nothing_twice(bot: LiveBot) -> None:

    received = bot.knalle.clock.now() - dt.timedelta(minutes=1)
    _left_behind(bot, "Ellos AB igår", received, "again")
    # The process stored the visit, then died before marking the command finished.
    at_arrival = replace(bot.knalle, clock=FixedClock(bot.knalle.clock.zone, received))
    units.record_text(at_arrival, "Ellos AB igår", "UPIA")
    intake_for(the_app(bot), bot.knalle).replay_unfinished(the_app(bot).client)
    assert visits(bot) == 1
    assert "redan" in json.dumps(bot.standin.calls("response_url")[0].args, ensure_ascii=False)


def test_a_start_clears_commands_finished_long_ago(bot: LiveBot) -> None:
    now = bot.knalle.clock.now()
    with bot.knalle.db.write() as session:
        old = intake.add_pending(
            session,
            command="/besök",
            text="Ellos AB",
            user_id="UPIA",
            channel_id="C1",
            response_url="",
            received_at=now - dt.timedelta(days=40),
        )
        recent = intake.add_pending(
            session,
            command="/besök",
            text="Ellos AB",
            user_id="UPIA",
            channel_id="C1",
            response_url="",
            received_at=now - dt.timedelta(days=2),
        )
        intake.finish_many(session, [old], now - dt.timedelta(days=40))
        intake.finish_many(session, [recent], now - dt.timedelta(days=2))
    assert intake_for(the_app(bot), bot.knalle).replay_unfinished(the_app(bot).client) == 0
    assert [row.id for row in pending(bot)] == [recent]
