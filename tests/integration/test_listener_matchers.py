"""Bolt's matchers that read only the body are called with the body alone: same answers."""

from __future__ import annotations

import json

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.listener_matcher import ListenerMatcher
from slack_bolt.listener_matcher.builtins import BuiltinListenerMatcher

from bot.console.signing import block_actions_body, slash_command_body, view_submission_body
from bot.slack.app import BodyMatcher
from handlers.ids import VisitAction
from tests.integration.live import LiveBot


def _bodies() -> list[str]:
    commands = [
        ("/besök", "Ellos AB igår med KSO, pratade kompetensförsörjning"),
        ("/besök", "lista"),
        ("/besök", "sök kompetens"),
        ("/aktivitet", "rapport 2026-H2"),
        ("/aktivitet", "1.2.1 grön Klart"),
        ("/aktivitet", ""),
        ("/okänt", "x"),
    ]
    bodies = [slash_command_body(c, t, "UPIA") for c, t in commands]
    for action in [*VisitAction, "aktivitet.okänd"]:
        bodies.append(
            block_actions_body(
                {
                    "type": "block_actions",
                    "user": {"id": "UPIA"},
                    "actions": [{"action_id": str(action), "block_id": "b", "value": "1"}],
                    "response_url": "https://hooks.slack.invalid/actions/1",
                }
            )
        )
    bodies.append(
        view_submission_body(
            {
                "type": "view_submission",
                "user": {"id": "UPIA"},
                "view": {
                    "type": "modal",
                    "callback_id": "visit.edit",
                    "id": "V1",
                    "state": {"values": {}},
                },
            }
        )
    )
    bodies.append(
        json.dumps({"type": "event_callback", "event": {"type": "app_home_opened", "user": "U1"}})
    )
    return bodies


def test_the_listener_that_answers_is_the_one_bolts_own_matchers_choose(bot: LiveBot) -> None:
    app = bot.app
    assert isinstance(app, App)
    replaced = [
        m for listener in app._listeners for m in listener.matchers if isinstance(m, BodyMatcher)
    ]
    assert len(replaced) >= 20  # the command, action, view and event matchers
    answers = 0
    for raw in _bodies():
        request = BoltRequest(body=raw, headers={})
        response = BoltResponse(status=404)
        for listener in app._listeners:
            for matcher in listener.matchers:
                if isinstance(matcher, BodyMatcher):
                    bolts_own = BuiltinListenerMatcher(func=matcher.func)
                    assert _answer(matcher, request, response) == _answer(
                        bolts_own, request, response
                    ), (raw[:60], listener.ack_function.__name__)
                    answers += 1
    assert answers > 500


def _answer(matcher: ListenerMatcher, request: BoltRequest, response: BoltResponse) -> object:
    """True, False, or the error raised (Bolt's payload helpers raise on some shapes)."""
    try:
        return matcher.matches(request, response)
    except Exception as error:
        return type(error)
