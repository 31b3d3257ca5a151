"""A live Knalle: the real HTTP server on 127.0.0.1 with its Web API pointed at a Slack stand-in."""

from __future__ import annotations

import http.client
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from slack_bolt import App

from bot.clock import Clock
from bot.console.signing import (
    block_actions_body,
    sign_request,
    slash_command_body,
    view_submission_body,
)
from bot.console.standin import SlackStandIn
from bot.context import Knalle, build_knalle
from bot.slack.app import build_slack_app
from bot.slack.serve import make_http_server, run_in_thread, stop_server
from bot.slack.wsgi import SlackWsgi
from tests.conftest import make_settings

SECRET = "integration-signing-secret"


@dataclass
class HttpReply:
    status: int
    body: str


@dataclass
class LiveBot:
    knalle: Knalle
    standin: SlackStandIn
    port: int
    app: App | None = None
    wsgi: SlackWsgi | None = None
    commands_sent: int = 0

    def post(
        self, body: str | bytes, headers: dict[str, str], path: str = "/slack/events"
    ) -> HttpReply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        raw = body.encode("utf-8") if isinstance(body, str) else body
        try:
            connection.request("POST", path, body=raw, headers=headers)
            response = connection.getresponse()
            return HttpReply(response.status, response.read().decode("utf-8"))
        finally:
            connection.close()

    def get(self, path: str) -> HttpReply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return HttpReply(response.status, response.read().decode("utf-8"))
        finally:
            connection.close()

    def command(
        self,
        text: str,
        *,
        user: str = "UPIA",
        command: str = "/besök",
        name: str | None = None,
        timestamp: int | None = None,
        trigger_id: str | None = None,
    ) -> HttpReply:
        """A slash command exactly as Slack sends it: form body, signed, with a response_url
        and a trigger_id of its own (trig.1, trig.2 … in a test)."""
        self.commands_sent += 1
        body = slash_command_body(
            command,
            text,
            user,
            response_url=self.standin.response_url(name or "r"),
            trigger_id=trigger_id or f"trig.{self.commands_sent}",
        )
        return self.post(body, sign_request(body, SECRET, timestamp))

    def replies(self, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """What the handlers sent back through response_url, after the ack."""
        return [call.args for call in self.standin.wait_for("response_url", count, timeout)]


def reply_to(bot: LiveBot, name: str, timeout: float = 10.0) -> dict[str, Any]:
    """What the handlers sent to the response_url named `name` (see SlackStandIn.response_url)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for call in bot.standin.calls("response_url"):
            if call.args.get("_name") == name:
                return call.args
        time.sleep(0.01)
    raise TimeoutError(f"no reply to {name}")


def click(
    bot: LiveBot, button: dict[str, Any], user: str = "UPIA", name: str = "klick"
) -> HttpReply:
    """A click on `button` in an ephemeral message, signed, answering on response_url `name`."""
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": "T0KNALLE"},
        "team": {"id": "T0KNALLE", "domain": "knalle"},
        "api_app_id": "A0KNALLE",
        "trigger_id": f"{name}.trigger",
        "response_url": bot.standin.response_url(name),
        "container": {"type": "message", "channel_id": "C0TEST", "is_ephemeral": True},
        "channel": {"id": "C0TEST"},
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": "b",
                "value": button.get("value", ""),
                "text": button["text"],
            }
        ],
    }
    body = block_actions_body(payload)
    return bot.post(body, sign_request(body, SECRET))


def submit(
    bot: LiveBot,
    view: dict[str, Any],
    values: dict[str, Any],
    user: str = "UPIA",
    view_id: str = "VSUBMIT1",
    timestamp: int | None = None,
) -> HttpReply:
    """A modal submitted with `values` as its state, signed (at `timestamp`, default now)."""
    payload = {
        "type": "view_submission",
        "user": {"id": user, "username": user.lower(), "team_id": "T0KNALLE"},
        "team": {"id": "T0KNALLE", "domain": "knalle"},
        "api_app_id": "A0KNALLE",
        "trigger_id": "submit.trigger",
        "view": {
            **view,
            "id": view_id,
            "state": {"values": values},
        },
    }
    body = view_submission_body(payload)
    return bot.post(body, sign_request(body, SECRET, timestamp))


@contextmanager
def live_bot(database_url: str, clock: Clock | None = None, **env: object) -> Iterator[LiveBot]:
    with SlackStandIn() as standin:
        settings = make_settings(
            database_url, SLACK_API_URL=standin.api_url, SLACK_SIGNING_SECRET=SECRET, **env
        )
        knalle = build_knalle(settings, clock=clock)
        app = build_slack_app(knalle)
        server = make_http_server(knalle, app, "127.0.0.1", 0)
        run_in_thread(server)
        port = int(server.effective_port)  # type: ignore[union-attr]
        try:
            wsgi = server.knalle_wsgi  # type: ignore[union-attr]
            yield LiveBot(knalle=knalle, standin=standin, port=port, app=app, wsgi=wsgi)
        finally:
            stop_server(server)
            knalle.db.dispose()
