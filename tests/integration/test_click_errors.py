"""No click ends in silence: an error reaches the user where they clicked, through the real HTTP
path, and Slack always gets 200 after the ack (handlers/errors.py)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from bot.console.signing import block_actions_body, sign_request
from handlers.ids import ActivityAction, HomeAction, VisitAction
from tests.integration.live import SECRET, LiveBot

UNKNOWN_VISIT = "Besöket finns inte längre"
NOT_IN_STAFF = "Du finns inte i Knalles personallista"


def container(where: str) -> dict[str, Any]:
    """What Slack puts in a block_actions payload for each surface."""
    if where == "message":
        return {
            "container": {"type": "message", "channel_id": "C0TEST", "message_ts": "1.000001"},
            "channel": {"id": "C0TEST"},
            "message": {"ts": "1.000001", "text": "x"},
        }
    if where == "ephemeral":
        return {
            "container": {"type": "message", "channel_id": "C0TEST", "is_ephemeral": True},
            "channel": {"id": "C0TEST"},
        }
    view_type = "home" if where == "home" else "modal"
    view: dict[str, Any] = {
        "id": "VCLICKED1",
        "hash": "h1",
        "type": view_type,
        "callback_id": "visit.new",
    }
    if view_type == "modal":
        view["title"] = {"type": "plain_text", "text": "Nytt besök"}
    return {"container": {"type": "view", "view_id": "VCLICKED1"}, "view": view}


def click(bot: LiveBot, where: str, action_id: str, value: str, user: str = "UPIA") -> int:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": "T0KNALLE"},
        "team": {"id": "T0KNALLE", "domain": "knalle"},
        "api_app_id": "A0KNALLE",
        "trigger_id": "click.trigger",
        **container(where),
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b",
                "value": value,
                "text": {"type": "plain_text", "text": "Knapp"},
                "action_ts": "1.2",
            }
        ],
    }
    if where in ("message", "ephemeral"):
        payload["response_url"] = bot.standin.response_url(f"fel-{where}")
    body = block_actions_body(payload)
    return bot.post(body, sign_request(body, SECRET)).status


def told(bot: LiveBot, where: str, user: str = "UPIA", timeout: float = 10.0) -> str:
    """The text the user was shown about the error, where they clicked."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for call in bot.standin.calls():
            args = call.args
            if call.method == "response_url" and args.get("_name") == f"fel-{where}":
                assert args.get("replace_original") is False  # the question stays
                return json.dumps(args, ensure_ascii=False)
            if where == "modal" and call.method == "views.update":
                assert args["view_id"] == "VCLICKED1"
                return json.dumps(args["view"], ensure_ascii=False)
            if where == "home" and call.method == "chat.postMessage":
                assert args["channel"] == user
                return json.dumps(args, ensure_ascii=False)
        time.sleep(0.02)
    raise AssertionError(f"nothing told to the user in the {where}: {bot.standin.calls()}")


@pytest.mark.parametrize("where", ["message", "ephemeral", "home", "modal"])
def test_an_unknown_visit_is_told_where_the_user_clicked(bot: LiveBot, where: str) -> None:
    assert click(bot, where, VisitAction.UNDO, "99999") == 200
    assert UNKNOWN_VISIT in told(bot, where)


@pytest.mark.parametrize("where", ["message", "ephemeral", "home", "modal"])
def test_a_garbled_company_choice_is_told_where_the_user_clicked(bot: LiveBot, where: str) -> None:
    assert click(bot, where, f"{VisitAction.PICK_COMPANY}:0", "nonsense") == 200
    assert "Skriv besöket igen" in told(bot, where)


@pytest.mark.parametrize("where", ["home", "modal", "ephemeral"])
def test_a_user_not_in_the_staff_list_is_told_why(bot: LiveBot, where: str) -> None:
    assert click(bot, where, HomeAction.RESUME_DMS, "resume", user="UOKAND") == 200
    assert NOT_IN_STAFF in told(bot, where, user="UOKAND")


@pytest.mark.parametrize("where", ["home", "modal"])
def test_an_unknown_activity_is_told_where_the_user_clicked(bot: LiveBot, where: str) -> None:
    assert click(bot, where, f"{ActivityAction.SHOW}:0", "99999") == 200
    shown = told(bot, where)
    assert "finns inte" in shown or "Oj, något gick fel" in shown
