"""Slack's own request shapes, as bolt-python's scenario tests send them, through the real HTTP
server: a slash command from an Enterprise Grid workspace, block_actions from a message, the
Home tab and a modal, view_submission, block_suggestion, app_home_opened, url_verification and
ssl_check. Payloads are written here from Slack's documented shapes (fields Knalle never reads
included, since Slack sends them)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from sqlalchemy import select

from bot.clock import FixedClock
from bot.console.signing import sign_request
from handlers.ids import HomeAction, VisitAction, VisitField, VisitView
from handlers.limits import check_options
from storage.models import Staff, Visit
from tests.integration.live import SECRET, LiveBot, live_bot, reply_to

TEAM = {
    "id": "T0KNALLE",
    "domain": "knalle",
    "enterprise_id": "E0BORAS",
    "enterprise_name": "Borås Stad",
}
USER = {"id": "UPIA", "username": "pia", "name": "pia", "team_id": "T0KNALLE"}


@pytest.fixture
def bot(sqlite_url: str, clock: FixedClock) -> Iterator[LiveBot]:
    with live_bot(sqlite_url, clock=clock) as running:
        with running.knalle.db.write() as session:
            session.add(Staff(name="Pia", slack_user_id="UPIA", created_at=clock.now()))
        yield running


def post_form(bot: LiveBot, fields: dict[str, str]) -> tuple[int, str]:
    body = urlencode(fields)
    reply = bot.post(body, sign_request(body, SECRET))
    return reply.status, reply.body


def post_payload(bot: LiveBot, payload: dict[str, Any]) -> tuple[int, str]:
    body = f"payload={quote(json.dumps(payload, ensure_ascii=False))}"
    reply = bot.post(body, sign_request(body, SECRET))
    return reply.status, reply.body


def post_json(bot: LiveBot, data: dict[str, Any]) -> tuple[int, str]:
    body = json.dumps(data)
    headers = {**sign_request(body, SECRET), "Content-Type": "application/json"}
    reply = bot.post(body, headers)
    return reply.status, reply.body


def enterprise_command(bot: LiveBot, text: str, name: str) -> tuple[int, str]:
    return post_form(
        bot,
        {
            "token": "verification_token",
            "team_id": "T0KNALLE",
            "team_domain": "knalle",
            "enterprise_id": "E0BORAS",
            "enterprise_name": "Borås Stad",
            "channel_id": "C0TEAM",
            "channel_name": "naringsliv",
            "user_id": "UPIA",
            "user_name": "pia",
            "command": "/besok",
            "text": text,
            "api_app_id": "A0KNALLE",
            "is_enterprise_install": "false",
            "response_url": bot.standin.response_url(name),
            "trigger_id": f"{name}.1234.abcd",
        },
    )


def stored(bot: LiveBot) -> list[Visit]:
    with bot.knalle.db.read() as session:
        return list(session.scalars(select(Visit).where(Visit.deleted_at.is_(None))))


def saved_visit(bot: LiveBot) -> dict[str, Any]:
    status, _ = enterprise_command(bot, "Ellos AB igår, pratade export", "spara")
    assert status == 200
    return reply_to(bot, "spara")


def undo_button(reply: dict[str, Any]) -> dict[str, Any]:
    return next(
        e
        for b in reply["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == VisitAction.UNDO
    )


def test_slash_command_with_enterprise_fields(bot: LiveBot) -> None:
    reply = saved_visit(bot)
    assert "Ellos AB" in json.dumps(reply, ensure_ascii=False)
    (visit,) = stored(bot)
    assert visit.author_id == "UPIA"


def block_actions(where: dict[str, Any], action: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": USER,
        "api_app_id": "A0KNALLE",
        "token": "verification_token",
        "trigger_id": "111.222.xxx",
        "team": TEAM,
        "enterprise": {"id": "E0BORAS", "name": "Borås Stad"},
        "is_enterprise_install": False,
        **where,
        "actions": [{**action, "type": "button", "block_id": "b", "action_ts": "1.2"}],
    }


def test_block_actions_from_a_message(bot: LiveBot) -> None:
    reply = saved_visit(bot)
    button = undo_button(reply)
    where = {
        "container": {
            "type": "message",
            "message_ts": "1700000000.000100",
            "channel_id": "C0TEAM",
            "is_ephemeral": False,
        },
        "channel": {"id": "C0TEAM", "name": "naringsliv"},
        "message": {
            "type": "message",
            "ts": "1700000000.000100",
            "user": "U0KNALLE",
            "bot_id": "B0KNALLE",
            "text": reply["text"],
            "blocks": reply["blocks"],
        },
        "state": {"values": {}},
        "response_url": bot.standin.response_url("meddelande"),
    }
    status, _ = post_payload(bot, block_actions(where, {**button, "text": button["text"]}))
    assert status == 200
    undone = reply_to(bot, "meddelande")
    assert undone["replace_original"] is True and stored(bot) == []


def test_block_actions_from_the_home_tab(bot: LiveBot) -> None:
    where = {
        "container": {"type": "view", "view_id": "VHOME1"},
        "view": {
            "id": "VHOME1",
            "team_id": "T0KNALLE",
            "type": "home",
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            "state": {"values": {}},
            "hash": "1.home",
            "app_id": "A0KNALLE",
            "bot_id": "B0KNALLE",
        },
    }
    action = {
        "action_id": HomeAction.PAUSE_DMS,
        "value": "pause",
        "text": {"type": "plain_text", "text": "Pausa"},
    }
    status, _ = post_payload(bot, block_actions(where, action))
    assert status == 200
    (opened,) = bot.standin.wait_for("views.open")
    assert opened.args["trigger_id"] == "111.222.xxx"


def test_block_actions_from_a_modal(bot: LiveBot) -> None:
    button = undo_button(saved_visit(bot))
    where = {
        "container": {"type": "view", "view_id": "VMODAL1"},
        "view": {
            "id": "VMODAL1",
            "team_id": "T0KNALLE",
            "type": "modal",
            "title": {"type": "plain_text", "text": "Besök"},
            "blocks": [],
            "private_metadata": "",
            "callback_id": VisitView.EDIT,
            "state": {"values": {}},
            "hash": "1.modal",
            "root_view_id": "VMODAL1",
            "previous_view_id": None,
            "app_id": "A0KNALLE",
            "bot_id": "B0KNALLE",
        },
    }
    status, _ = post_payload(bot, block_actions(where, {**button, "text": button["text"]}))
    assert status == 200
    # No response_url in a modal: the answer comes by DM.
    (dm,) = bot.standin.wait_for("chat.postMessage")
    assert dm.args["channel"] == "UPIA" and "ångrat" in json.dumps(dm.args, ensure_ascii=False)
    assert stored(bot) == []


def new_visit_view(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "VNEW1",
        "team_id": "T0KNALLE",
        "type": "modal",
        "title": {"type": "plain_text", "text": "Nytt besök"},
        "blocks": [],
        "private_metadata": json.dumps({"channel": "C0TEAM"}),
        "callback_id": VisitView.NEW,
        "state": {"values": values},
        "hash": "1.new",
        "root_view_id": "VNEW1",
        "app_id": "A0KNALLE",
        "bot_id": "B0KNALLE",
    }


def test_view_submission(bot: LiveBot) -> None:
    values: dict[str, Any] = {
        VisitField.COMPANY: {
            VisitField.COMPANY: {
                "type": "external_select",
                "selected_option": {
                    "text": {"type": "plain_text", "text": "Nytt företag: Ellos AB"},
                    "value": "new:Ellos AB",
                },
            }
        },
        VisitField.DATE: {VisitField.DATE: {"type": "datepicker", "selected_date": "2026-11-23"}},
        VisitField.COLLEAGUES: {
            VisitField.COLLEAGUES: {"type": "multi_users_select", "selected_users": []}
        },
        VisitField.OTHERS: {VisitField.OTHERS: {"type": "plain_text_input", "value": None}},
        VisitField.FORM: {
            VisitField.FORM: {
                "type": "radio_buttons",
                "selected_option": {
                    "text": {"type": "plain_text", "text": "På plats"},
                    "value": "på plats",
                },
            }
        },
        VisitField.NOTES: {VisitField.NOTES: {"type": "plain_text_input", "value": "Export"}},
        VisitField.FOLLOW_UP: {VisitField.FOLLOW_UP: {"type": "datepicker", "selected_date": None}},
    }
    payload = {
        "type": "view_submission",
        "team": TEAM,
        "user": USER,
        "api_app_id": "A0KNALLE",
        "token": "verification_token",
        "trigger_id": "333.444.xxx",
        "view": new_visit_view(values),
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": {"id": "E0BORAS", "name": "Borås Stad"},
    }
    status, body = post_payload(bot, payload)
    assert status == 200 and body.strip() in ("", "{}")  # the modal closes
    deadline = time.monotonic() + 10
    while not stored(bot) and time.monotonic() < deadline:
        time.sleep(0.05)
    (visit,) = stored(bot)
    assert visit.notes == "Export"
    (told,) = bot.standin.wait_for("chat.postEphemeral")
    assert told.args["channel"] == "C0TEAM" and told.args["user"] == "UPIA"


def test_block_suggestion(bot: LiveBot) -> None:
    typed = "Aktiebolaget " + "mycket långt namn " * 10
    payload = {
        "type": "block_suggestion",
        "user": USER,
        "container": {"type": "view", "view_id": "VNEW1"},
        "api_app_id": "A0KNALLE",
        "token": "verification_token",
        "action_id": VisitField.COMPANY,
        "block_id": VisitField.COMPANY,
        "value": typed,
        "team": TEAM,
        "view": new_visit_view({}),
    }
    status, body = post_payload(bot, payload)
    assert status == 200
    answer = json.loads(body)
    assert check_options(answer) is None
    assert answer["options"][-1]["text"]["text"].startswith("Nytt företag: Aktiebolaget")


def test_app_home_opened(bot: LiveBot) -> None:
    envelope = {
        "token": "verification_token",
        "team_id": "T0KNALLE",
        "enterprise_id": "E0BORAS",
        "context_team_id": "T0KNALLE",
        "context_enterprise_id": "E0BORAS",
        "api_app_id": "A0KNALLE",
        "event": {
            "type": "app_home_opened",
            "user": "UPIA",
            "channel": "D0HOME",
            "tab": "home",
            "view": {"id": "VHOME1", "team_id": "T0KNALLE", "type": "home", "blocks": []},
            "event_ts": "1700000000.000200",
        },
        "type": "event_callback",
        "event_id": "Ev0SCENARIO1",
        "event_time": 1700000000,
        "authorizations": [
            {
                "enterprise_id": "E0BORAS",
                "team_id": "T0KNALLE",
                "user_id": "U0KNALLE",
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-eyJldCI6ImFwcF9ob21lX29wZW5lZCJ9",
    }
    status, _ = post_json(bot, envelope)
    assert status == 200
    (published,) = bot.standin.wait_for("views.publish")
    assert published.args["user_id"] == "UPIA" and published.args["view"]["type"] == "home"


def test_url_verification(bot: LiveBot) -> None:
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    status, body = post_json(
        bot, {"token": "verification_token", "challenge": challenge, "type": "url_verification"}
    )
    assert status == 200 and challenge in body


def test_ssl_check(bot: LiveBot) -> None:
    status, body = post_form(bot, {"token": "verification_token", "ssl_check": "1"})
    assert status == 200 and body == ""
