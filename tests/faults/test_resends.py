"""Slack's resends and captured replays store nothing twice, for the whole window (defect 4).

Before, retries were recognised for about 15 s only: a command resent after 20 s or 65 s, a
visit modal submitted again with the same view.id after 20 s and a signed request replayed
after 20 s were each stored twice. The test clock and the HTTP surface's wall clock move
instead of the test sleeping.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.console.signing import sign_request, slash_command_body, view_submission_body
from handlers.ids import VisitField, VisitView
from handlers.visits.blocks import NEW_PREFIX
from storage.models import Visit
from tests.integration.live import SECRET, LiveBot

pytestmark = pytest.mark.faults
LATER = [0.5, 20.0, 65.0]


def visits(bot: LiveBot) -> int:
    with bot.knalle.db.read() as session:
        return int(session.scalar(select(func.count(Visit.id))) or 0)


def move(bot: LiveBot, seconds: float) -> None:
    """Time passes for the bot (its clock) and for the HTTP surface (the signature window)."""
    assert bot.wsgi is not None
    start = bot.wsgi.wall()
    clock = bot.knalle.clock
    assert isinstance(clock, FixedClock)  # live_bot is handed the test's clock
    clock.advance(dt.timedelta(seconds=seconds))
    bot.wsgi.wall = lambda: start + seconds


@pytest.mark.parametrize("after", LATER)
def test_a_command_resent_with_its_trigger_id_is_stored_and_answered_once(
    bot: LiveBot, after: float
) -> None:
    body = slash_command_body(
        "/besök",
        "Ellos AB igår",
        "UPIA",
        response_url=bot.standin.response_url("a"),
        trigger_id="trig.resent",
    )
    assert bot.post(body, sign_request(body, SECRET)).status == 200
    bot.standin.wait_for("response_url", 1)
    move(bot, after)
    # Slack's resend: the same command, signed anew at its own time.
    resent = bot.post(body, sign_request(body, SECRET, int(time.time() + after)))
    assert resent.status == 200
    time.sleep(0.3)
    assert visits(bot) == 1
    assert len(bot.standin.calls("response_url")) == 1


def submission(view_id: str) -> str:
    values = {
        VisitField.COMPANY: {
            VisitField.COMPANY: {
                "type": "external_select",
                "selected_option": {
                    "value": f"{NEW_PREFIX}Gina Tricot",
                    "text": {"type": "plain_text", "text": "Gina Tricot"},
                },
            }
        },
        VisitField.DATE: {VisitField.DATE: {"type": "datepicker", "selected_date": "2026-11-23"}},
    }
    payload = {
        "type": "view_submission",
        "user": {"id": "UPIA", "username": "upia", "team_id": "T0KNALLE"},
        "team": {"id": "T0KNALLE", "domain": "knalle"},
        "api_app_id": "A0KNALLE",
        "trigger_id": "sub.trigger",
        "view": {
            "id": view_id,
            "hash": "1700000000.abc",
            "callback_id": VisitView.NEW,
            "private_metadata": "{}",
            "state": {"values": values},
            "type": "modal",
        },
    }
    return view_submission_body(payload)


@pytest.mark.parametrize("after", LATER)
def test_a_modal_submitted_again_with_its_view_id_is_stored_once(
    bot: LiveBot, after: float
) -> None:
    body = submission("VRESEND1")
    assert bot.post(body, sign_request(body, SECRET)).status == 200
    assert visits(bot) == 1
    move(bot, after)
    again = bot.post(body, sign_request(body, SECRET, int(time.time() + after)))
    assert again.status == 200
    assert visits(bot) == 1
    other = submission("VOTHER")  # another modal with the same content is another visit
    move(bot, 20)
    assert bot.post(other, sign_request(other, SECRET, int(time.time() + after + 20))).status == 200
    assert visits(bot) == 2


@pytest.mark.parametrize("after", LATER)
def test_a_captured_signed_request_replayed_is_taken_once(bot: LiveBot, after: float) -> None:
    body = submission("VREPLAY")
    headers = sign_request(body, SECRET)
    assert bot.post(body, headers).status == 200
    move(bot, after)
    replay = bot.post(body, headers)  # the very same bytes and signature
    assert replay.status == 200 and replay.body == ""
    assert visits(bot) == 1


def test_a_replay_after_the_signature_window_is_401(bot: LiveBot) -> None:
    body = submission("VSTALE")
    headers = sign_request(body, SECRET)
    assert bot.post(body, headers).status == 200
    move(bot, 5 * 60 + 5)
    assert bot.post(body, headers).status == 401
    assert visits(bot) == 1


def test_a_replayed_command_is_taken_once(bot: LiveBot) -> None:
    body = slash_command_body(
        "/besök",
        "Nelly igår",
        "UPIA",
        response_url=bot.standin.response_url("r"),
        trigger_id="trig.replayed",
    )
    headers = sign_request(body, SECRET)
    for after in [0.0, *LATER]:
        move(bot, after) if after else None
        assert bot.post(body, headers).status == 200
    # The first is answered after its ack (slow under load); then a second answer has time to come.
    bot.standin.wait_for("response_url", 1)
    time.sleep(0.3)
    assert visits(bot) == 1
    assert len(bot.standin.calls("response_url")) == 1
