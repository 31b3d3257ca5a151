"""`/besök` end to end: signed requests to the real HTTP server, Slack played by the stand-in."""

from __future__ import annotations

import json
import threading
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.console.signing import (
    block_actions_body,
    sign_request,
    slash_command_body,
    view_submission_body,
)
from handlers.ids import VisitAction, VisitField, VisitView
from storage.models import Staff, Visit
from tests.integration import live
from tests.integration.live import SECRET, HttpReply, LiveBot, live_bot, reply_to


@pytest.fixture
def bot(sqlite_url: str, clock: FixedClock) -> Iterator[LiveBot]:
    with live_bot(sqlite_url, clock=clock) as running:
        with running.knalle.db.write() as session:
            for name, user in (("Pia", "UPIA"), ("Ola", "UOLA")):
                session.add(Staff(name=name, slack_user_id=user, created_at=clock.now()))
        yield running


_counter = iter(range(1, 10_000))


def besok(bot: LiveBot, text: str, user: str = "UPIA", command: str = "/besök") -> dict[str, Any]:
    """Send the command as Slack does; the ack is empty, the answer comes on response_url."""
    name = f"r{next(_counter)}"
    reply = bot.command(text, user=user, command=command, name=name)
    assert reply.status == 200 and reply.body.strip() in ("", "{}")
    return reply_to(bot, name)


def text_of(reply: dict[str, Any]) -> str:
    return json.dumps(reply.get("blocks") or [], ensure_ascii=False) + str(reply.get("text"))


def buttons(reply: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        e for b in reply.get("blocks") or [] if b.get("type") == "actions" for e in b["elements"]
    ]


def live_visits(bot: LiveBot) -> list[Visit]:
    with bot.knalle.db.read() as session:
        return list(session.scalars(select(Visit).where(Visit.deleted_at.is_(None))))


def click(bot: LiveBot, button: dict[str, Any], user: str = "UPIA") -> tuple[HttpReply, str]:
    name = f"a{next(_counter)}"
    return live.click(bot, button, user=user, name=name), name


def test_a_line_is_stored_and_the_reply_shows_what_was_understood(bot: LiveBot) -> None:
    reply = besok(bot, "Ellos AB igår med <@UOLA|ola>, pratade kompetensförsörjning")
    text = text_of(reply)
    assert reply["response_type"] == "ephemeral"
    assert "*Företag:* Ellos AB" in text and "*Datum:* mån 23 nov 2026" in text
    assert "<@UPIA>, <@UOLA>" in text and "kompetensförsörjning" in text
    assert [b["text"]["text"] for b in buttons(reply)] == ["Ändra", "Ångra"]
    [visit] = live_visits(bot)
    assert visit.notes == "pratade kompetensförsörjning"


def test_a_note_saying_payload_still_works(bot: LiveBot) -> None:
    reply = besok(bot, "Ellos AB igår, de visade sin payload-logik")
    assert "payload-logik" in text_of(reply)
    assert [v.notes for v in live_visits(bot)] == ["de visade sin payload-logik"]


@pytest.mark.parametrize(
    "command", [unicodedata.normalize("NFD", "/besök"), "/besok", "/Besök", "/BESOK"]
)
def test_nfd_and_ascii_spellings_of_the_command_work(bot: LiveBot, command: str) -> None:
    assert command != "/besök"
    reply = besok(bot, "Ellos AB idag", command=command)
    assert "*Företag:* Ellos AB" in text_of(reply) and len(live_visits(bot)) == 1


def test_user_text_never_pings_the_channel(bot: LiveBot) -> None:
    # Slack delivers what the user typed with &, < and > as entities.
    reply = besok(bot, "Ellos AB idag och &lt;!channel&gt;, &lt;!here&gt; &amp; mer")
    text = text_of(reply)
    assert "<!channel>" not in text and "<!here>" not in text
    assert "&lt;!here&gt; &amp; mer" in text
    [visit] = live_visits(bot)
    assert "<!here> & mer" in visit.notes or "<!here> & mer" in " ".join(visit.others)


def test_no_text_opens_the_modal_with_the_trigger(bot: LiveBot) -> None:
    body = slash_command_body(
        "/besök", "", "UPIA", response_url=bot.standin.response_url("m"), trigger_id="trig.modal"
    )
    assert bot.post(body, sign_request(body, SECRET)).status == 200
    [opened] = bot.standin.wait_for("views.open")
    assert opened.args["trigger_id"] == "trig.modal"
    assert opened.args["view"]["callback_id"] == VisitView.NEW


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("igår med <@UOLA|ola>", "Skriv företaget först"),
        ("Ellos AB 2099-01-01", "ligger i framtiden"),
        ("Ellos AB den 45 mars", "Jag kan inte läsa"),
        ("Ellos AB idag, " + "x" * 2000, "för lång för Slack"),
        ("Ellos AB idag med <@USTRANGER|okänd>", "finns inte i Knalles personallista"),
    ],
)
def test_bad_input_answers_in_swedish_and_stores_nothing(
    bot: LiveBot, text: str, says: str
) -> None:
    reply = besok(bot, text)
    assert says in reply["text"] and reply["response_type"] == "ephemeral"
    assert live_visits(bot) == []


def test_a_double_submit_stores_one_visit(bot: LiveBot) -> None:
    names = ["d1", "d2"]
    results: list[HttpReply] = []

    def send(name: str) -> None:
        results.append(bot.command("Ellos AB igår, samma rad", name=name))

    threads = [threading.Thread(target=send, args=(n,)) for n in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status for r in results] == [200, 200]
    replies = [reply_to(bot, n) for n in names]
    assert len(live_visits(bot)) == 1
    assert sorted("redan sparat" in text_of(r) for r in replies) == [False, True]


def test_undo_button_through_http(bot: LiveBot) -> None:
    reply = besok(bot, "Ellos AB igår")
    undo = buttons(reply)[1]
    assert undo["action_id"] == VisitAction.UNDO
    http, name = click(bot, undo, user="UOLA")
    assert http.status == 200
    assert "Bara den som loggade" in reply_to(bot, name)["text"] and len(live_visits(bot)) == 1
    http, name = click(bot, undo)
    answer = reply_to(bot, name)
    assert answer["replace_original"] is True and "ångrat" in answer["text"]
    assert live_visits(bot) == []


def test_unsure_company_then_a_pick_through_http(bot: LiveBot) -> None:
    besok(bot, "Ellos AB igår")
    question = besok(bot, "Elos idag, uppföljning", user="UOLA")
    picks = buttons(question)
    assert [b["text"]["text"] for b in picks] == ["Ellos AB", "Nytt företag: Elos"]
    assert len(live_visits(bot)) == 1
    http, name = click(bot, picks[0], user="UOLA")
    assert http.status == 200
    answer = reply_to(bot, name)
    assert answer["replace_original"] is True and "*Företag:* Ellos AB" in text_of(answer)
    assert len(live_visits(bot)) == 2


def test_edit_opens_first_then_fills_the_modal_and_submission_errors_come_back(
    bot: LiveBot,
) -> None:
    reply = besok(bot, "Ellos AB igår, pratade lön")
    http, _ = click(bot, buttons(reply)[0])
    assert http.status == 200
    [opened] = bot.standin.wait_for("views.open")
    [updated] = bot.standin.wait_for("views.update")
    assert opened.at <= updated.at
    view = updated.args["view"]
    elements = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert elements[VisitField.NOTES]["initial_value"] == "pratade lön"

    state = {
        block: {block: value}
        for block, value in {
            VisitField.COMPANY: {"type": "external_select", "selected_option": None},
            VisitField.DATE: {"type": "datepicker", "selected_date": "2027-01-01"},
        }.items()
    }
    payload = {
        "type": "view_submission",
        "user": {"id": "UPIA", "username": "upia", "team_id": "T0KNALLE"},
        "team": {"id": "T0KNALLE", "domain": "knalle"},
        "api_app_id": "A0KNALLE",
        "view": {
            "id": "V1",
            "callback_id": VisitView.EDIT,
            "private_metadata": view["private_metadata"],
            "state": {"values": state},
            "type": "modal",
        },
    }
    body = view_submission_body(payload)
    answer = bot.post(body, sign_request(body, SECRET))
    assert answer.status == 200
    data = json.loads(answer.body)
    assert data["response_action"] == "errors"
    assert set(data["errors"]) == {VisitField.COMPANY, VisitField.DATE}
    assert [v.notes for v in live_visits(bot)] == ["pratade lön"]


def test_an_admins_edit_form_shows_the_history(bot: LiveBot) -> None:
    reply = besok(bot, "Ellos AB igår, pratade lön")
    http, _ = click(bot, buttons(reply)[0], user="UADMIN")
    assert http.status == 200
    [updated] = bot.standin.wait_for("views.update")
    history = [b for b in updated.args["view"]["blocks"] if b.get("block_id") == "visit.history"]
    assert "Pia via Slack: besök loggat" in history[0]["text"]["text"]


def test_company_type_ahead_answers_in_the_ack(bot: LiveBot) -> None:
    besok(bot, "Ellos AB igår")
    payload = {
        "type": "block_suggestion",
        "user": {"id": "UPIA"},
        "team": {"id": "T0KNALLE", "domain": "knalle"},
        "api_app_id": "A0KNALLE",
        "action_id": VisitField.COMPANY,
        "block_id": VisitField.COMPANY,
        "value": "ello",
        "view": {"id": "V1", "callback_id": VisitView.NEW, "type": "modal"},
    }
    body = block_actions_body(payload)
    answer = bot.post(body, sign_request(body, SECRET))
    assert answer.status == 200
    labels = [o["text"]["text"] for o in json.loads(answer.body)["options"]]
    assert labels == ["Ellos AB", "Nytt företag: ello"]


def test_statistics_and_lists_over_http(bot: LiveBot) -> None:
    besok(bot, "Ellos AB igår")
    stats = besok(bot, "statistik")
    assert "*1* besök av målet *150*" in text_of(stats)
    with bot.knalle.db.read() as session:
        assert session.scalar(select(func.count(Visit.id))) == 1
    assert "Ellos AB" in text_of(besok(bot, "lista vecka"))


def test_search_over_http_finds_a_word_inside_a_compound_and_a_person(bot: LiveBot) -> None:
    besok(bot, "Ellos AB igår med <@UOLA|ola>, pratade kompetensförsörjning")
    besok(bot, "Nudie Jeans idag, export")
    assert "Ellos AB" in text_of(besok(bot, "sök KOMPETENS"))
    assert "Nudie" not in text_of(besok(bot, "sök KOMPETENS"))
    by_person = text_of(besok(bot, "sök ola kompetens"))
    assert "Ellos AB" in by_person and "Nudie" not in by_person
    nothing = text_of(besok(bot, 'sök "(kompetens OR"*'))
    assert "Inga besök matchar" in nothing
