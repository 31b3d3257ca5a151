"""Socket Mode (the manifest's default) end to end: the stand-in's apps.connections.open hands
out a local WebSocket URL, slack_sdk's own client connects, envelopes go in, acks come out,
and the visit is stored."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from sqlalchemy import select

from bot.clock import FixedClock
from bot.console.signing import slash_command_body
from bot.console.standin import SlackStandIn
from bot.context import Knalle, build_knalle
from bot.slack.app import build_slack_app
from storage.models import Staff, Visit
from tests.conftest import make_settings


@dataclass
class Running:
    standin: SlackStandIn
    handler: SocketModeHandler
    knalle: Knalle


@pytest.fixture
def socket_bot(sqlite_url: str, clock: FixedClock) -> Iterator[Running]:
    with SlackStandIn() as standin:
        settings = make_settings(
            sqlite_url, SLACK_API_URL=standin.api_url, SLACK_APP_TOKEN="xapp-1-test"
        )
        knalle = build_knalle(settings, clock=clock)
        with knalle.db.write() as session:
            session.add(Staff(name="Pia", slack_user_id="UPIA", created_at=clock.now()))
        app = build_slack_app(knalle)
        # What `knalle serve` does in Socket Mode; the client's Web API base is the stand-in's.
        handler = SocketModeHandler(app, settings.slack_app_token)
        handler.connect()
        try:
            standin.socket_mode.wait_connected()
            yield Running(standin, handler, knalle)
        finally:
            handler.close()
            knalle.db.dispose()


def test_a_command_over_socket_mode_is_acked_and_stored(socket_bot: Running) -> None:
    standin = socket_bot.standin
    assert standin.calls("apps.connections.open")  # the URL came from the stand-in
    form = slash_command_body(
        "/besök",
        "Ellos AB igår, pratade kompetensförsörjning",
        "UPIA",
        response_url=standin.response_url("socket"),
    )
    standin.socket_mode.send(
        {
            "envelope_id": "env-1",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": dict(parse_qsl(form)),
        }
    )
    ack = standin.socket_mode.wait_ack("env-1")
    assert ack["envelope_id"] == "env-1"
    (reply,) = standin.wait_for("response_url")
    assert reply.args["_name"] == "socket" and "Ellos AB" in str(reply.args)
    with socket_bot.knalle.db.read() as session:
        (visit,) = session.scalars(select(Visit))
        assert visit.company.name == "Ellos AB" and visit.author_id == "UPIA"


def test_an_event_and_a_click_over_socket_mode_are_acked(socket_bot: Running) -> None:
    socket = socket_bot.standin.socket_mode
    socket.send(
        {
            "envelope_id": "env-home",
            "type": "events_api",
            "accepts_response_payload": False,
            "payload": {
                "type": "event_callback",
                "team_id": "T0KNALLE",
                "api_app_id": "A0KNALLE",
                "event_id": "Ev0SOCKET1",
                "event_time": 1,
                "event": {"type": "app_home_opened", "user": "UPIA", "tab": "home"},
            },
        }
    )
    assert socket.wait_ack("env-home")["envelope_id"] == "env-home"
    (published,) = socket_bot.standin.wait_for("views.publish")
    assert published.args["user_id"] == "UPIA"
    socket.send(
        {
            "envelope_id": "env-click",
            "type": "interactive",
            "accepts_response_payload": False,
            "payload": {
                "type": "block_actions",
                "user": {"id": "UPIA"},
                "team": {"id": "T0KNALLE"},
                "api_app_id": "A0KNALLE",
                "trigger_id": "t.socket",
                "container": {"type": "view", "view_id": "VHOME"},
                "view": {"id": "VHOME", "type": "home"},
                "actions": [{"action_id": "home.resume_dms", "value": "resume", "type": "button"}],
            },
        }
    )
    assert socket.wait_ack("env-click")["envelope_id"] == "env-click"
    socket_bot.standin.wait_for("views.publish", 2)  # the Home tab, republished
