"""Visits from messages end to end: the shortcut "Spara som besök", the visit channel's question
(edits, bots, threads, retries) and backfill + import with a rerun, through the real HTTP server
with Slack played by the stand-in."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.cli.backfill import run_backfill, run_import
from bot.clock import FixedClock
from bot.console.signing import block_actions_body, event_body, sign_request
from handlers.ids import VisitField, VisitMessageAction, VisitShortcut, VisitView
from storage.models import Staff, Visit
from tests.integration import live
from tests.integration.live import SECRET, HttpReply, LiveBot, live_bot, reply_to

CHANNEL = "C0BESOK"
# Friday 20 November 2026, 10:00 in Stockholm; the test clock stands on Tuesday the 24th.
FRIDAY = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC).timestamp()
_ids = iter(range(1, 100_000))


def ts(n: int, days_back: int = 0) -> str:
    return f"{FRIDAY - days_back * 86400 + n:.6f}"


@pytest.fixture
def bot(sqlite_url: str, clock: FixedClock) -> Iterator[LiveBot]:
    with live_bot(sqlite_url, clock=clock, KNALLE_VISIT_CHANNEL=CHANNEL) as running:
        with running.knalle.db.write() as session:
            for name, user in (("Pia", "UPIA"), ("Ola", "UOLA")):
                session.add(Staff(name=name, slack_user_id=user, created_at=clock.now()))
        yield running


def stored(bot: LiveBot) -> list[Visit]:
    with bot.knalle.db.read() as session:
        query = select(Visit).where(Visit.deleted_at.is_(None)).order_by(Visit.id)
        visits = list(session.scalars(query))
        for visit in visits:
            _ = visit.company.name, [p.slack_user_id for p in visit.participants]
        return visits


def send_event(bot: LiveBot, event: dict[str, Any], event_id: str | None = None) -> HttpReply:
    body = event_body(event, event_id or f"Ev{next(_ids)}")
    return bot.post(body, sign_request(body, SECRET))


def shortcut(bot: LiveBot, message: dict[str, Any], user: str = "UPIA") -> HttpReply:
    name = f"sc{next(_ids)}"
    payload = {
        "type": "message_action",
        "callback_id": VisitShortcut.FROM_MESSAGE,
        "trigger_id": f"{name}.trigger",
        "user": {"id": user, "username": user.lower(), "team_id": "T0KNALLE"},
        "team": {"id": "T0KNALLE", "domain": "knalle"},
        "api_app_id": "A0KNALLE",
        "channel": {"id": CHANNEL, "name": "besok"},
        "message_ts": message["ts"],
        "message": message,
        "response_url": bot.standin.response_url(name),
    }
    body = block_actions_body(payload)
    return bot.post(body, sign_request(body, SECRET))


def view_action(
    bot: LiveBot, view: dict[str, Any], button: dict[str, Any], user: str = "UPIA"
) -> HttpReply:
    """A button clicked inside an open modal."""
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": "T0KNALLE"},
        "team": {"id": "T0KNALLE", "domain": "knalle"},
        "api_app_id": "A0KNALLE",
        "trigger_id": "in-view.trigger",
        "container": {"type": "view", "view_id": view["id"]},
        "view": view,
        "actions": [{**button, "block_id": "b", "type": "button"}],
    }
    body = block_actions_body(payload)
    return bot.post(body, sign_request(body, SECRET))


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b.get("type") == "actions" for e in b["elements"]]


def inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b["element"] for b in view["blocks"] if b.get("type") == "input"}


def state_from(view: dict[str, Any]) -> dict[str, Any]:
    """The modal submitted as it was filled in (what a user who only presses Spara sends)."""
    fields = inputs(view)
    values: dict[str, Any] = {
        VisitField.COMPANY: {"selected_option": fields[VisitField.COMPANY].get("initial_option")},
        VisitField.DATE: {"selected_date": fields[VisitField.DATE].get("initial_date")},
        VisitField.COLLEAGUES: {
            "selected_users": fields[VisitField.COLLEAGUES].get("initial_users", [])
        },
        VisitField.OTHERS: {"value": fields[VisitField.OTHERS].get("initial_value")},
        VisitField.FORM: {"selected_option": fields[VisitField.FORM].get("initial_option")},
        VisitField.NOTES: {"value": fields[VisitField.NOTES].get("initial_value")},
        VisitField.FOLLOW_UP: {"selected_date": None},
    }
    return {block: {block: value} for block, value in values.items()}


def text_of(thing: Any) -> str:
    return json.dumps(thing, ensure_ascii=False)


# -- the shortcut -----------------------------------------------------------------------------


def test_shortcut_opens_first_fills_from_the_message_and_saves_once(bot: LiveBot) -> None:
    message = bot.standin.add_message(
        CHANNEL, ts(1), "Var hos Hemtex igår med <@UPIA|pia>, pratade export", user="UOLA"
    )
    assert shortcut(bot, message, user="UPIA").status == 200
    [opened] = bot.standin.wait_for("views.open")
    [updated] = bot.standin.wait_for("views.update")
    assert opened.at <= updated.at and opened.args["view"]["title"]["text"] == "Spara som besök"
    view = updated.args["view"]
    assert str(updated.args["view_id"]).startswith("V") and updated.args.get("hash")
    fields = inputs(view)
    assert fields[VisitField.COMPANY]["initial_option"]["value"] == "new:Hemtex"
    assert fields[VisitField.DATE]["initial_date"] == "2026-11-19"  # igår from Friday
    # The message's author is present; the one saving it is the visit's author anyway.
    assert fields[VisitField.COLLEAGUES]["initial_users"] == ["UOLA"]
    assert fields[VisitField.NOTES]["initial_value"] == "pratade export"
    assert "Från <@UOLA>s meddelande" in text_of(view["blocks"])

    answer = live.submit(bot, view, state_from(view))
    assert answer.status == 200 and answer.body.strip() in ("", "{}")
    [visit] = stored(bot)
    assert (visit.company.name, visit.visit_date) == ("Hemtex", dt.date(2026, 11, 19))
    assert (visit.source, visit.source_channel, visit.source_ts) == ("shortcut", CHANNEL, ts(1))
    assert (
        visit.permalink
        == f"https://knalle.slack.invalid/archives/{CHANNEL}/p{ts(1).replace('.', '')}"
    )
    assert [p.slack_user_id for p in visit.participants] == ["UPIA", "UOLA"]
    saved_reply = bot.standin.wait_for("chat.postEphemeral")[-1].args
    assert "Besöket är sparat" in text_of(saved_reply) and "meddelandet i Slack" in text_of(
        saved_reply
    )

    # The second shortcut on the same message: already saved, with Ändra.
    bot.standin.clear()
    assert shortcut(bot, message, user="UOLA").status == 200
    [again] = bot.standin.wait_for("views.update")
    saved_view = again.args["view"]
    assert saved_view["callback_id"] == VisitView.SAVED
    assert "redan sparat som besök" in text_of(saved_view) and "Hemtex" in text_of(saved_view)
    [edit] = buttons(saved_view["blocks"])
    assert edit["text"]["text"] == "Ändra" and edit["action_id"] == VisitMessageAction.EDIT_SAVED
    # Submitting the same message's form twice stores it once.
    assert live.submit(bot, view, state_from(view)).status == 200
    assert len(stored(bot)) == 1

    # Ändra (by the visit's author) turns the modal into the edit form.
    bot.standin.clear()
    assert view_action(bot, {**saved_view, "id": "VSAVED"}, edit, user="UPIA").status == 200
    [editing] = bot.standin.wait_for("views.update")
    assert editing.args["view_id"] == "VSAVED"
    assert editing.args["view"]["callback_id"] == VisitView.EDIT


def test_shortcut_on_chatter_opens_the_form_with_the_text_as_note(bot: LiveBot) -> None:
    message = bot.standin.add_message(CHANNEL, ts(2), "Tack för idag!", user="UPIA")
    shortcut(bot, message)
    [updated] = bot.standin.wait_for("views.update")
    fields = inputs(updated.args["view"])
    assert "initial_option" not in fields[VisitField.COMPANY]
    assert fields[VisitField.DATE]["initial_date"] == "2026-11-20"  # the day it was posted
    assert fields[VisitField.NOTES]["initial_value"] == "Tack för idag!"
    assert "ett tack" in text_of(updated.args["view"]["blocks"])


# -- the visit channel ------------------------------------------------------------------------


def questions(bot: LiveBot, count: int) -> list[dict[str, Any]]:
    return [c.args for c in bot.standin.wait_for("chat.postEphemeral", count)]


def test_a_visit_message_gets_a_question_to_its_author_only_and_spara_stores_it(
    bot: LiveBot,
) -> None:
    event = bot.standin.message_event(
        CHANNEL, ts(3), "Besökte Ellos AB idag med <@UOLA|ola>, pratade lokaler", user="UPIA"
    )
    assert send_event(bot, event, "EvSame").status == 200
    assert send_event(bot, event, "EvSame").status == 200  # Slack's retry
    [question] = questions(bot, 1)
    assert question["channel"] == CHANNEL and question["user"] == "UPIA"
    shown = text_of(question["blocks"])
    assert "Ellos AB" in shown and "fre 20 nov 2026" in shown and "<@UOLA>" in shown
    labels = [b["text"]["text"] for b in buttons(question["blocks"])]
    assert labels == ["Spara", "Ändra", "Inte ett besök"]
    assert len({b["action_id"] for b in buttons(question["blocks"])}) == 3

    save = buttons(question["blocks"])[0]
    http = live.click(bot, save, user="UPIA", name="spara")
    assert http.status == 200
    answer = reply_to(bot, "spara")
    assert answer["replace_original"] is True and "Besöket är sparat" in text_of(answer)
    [visit] = stored(bot)
    assert (visit.source, visit.source_ts, visit.company.name) == ("channel", ts(3), "Ellos AB")
    assert visit.visit_date == dt.date(2026, 11, 20) and visit.permalink
    assert [p.slack_user_id for p in visit.participants] == ["UPIA", "UOLA"]
    # Once saved, Spara again stores nothing more.
    live.click(bot, save, user="UPIA", name="spara2")
    assert "redan sparat som besök" in text_of(reply_to(bot, "spara2"))
    assert len(stored(bot)) == 1


def test_bots_joins_threads_other_channels_and_chatter_get_no_question(bot: LiveBot) -> None:
    standin = bot.standin
    ignored = [
        standin.message_event(CHANNEL, ts(10), "Besökte Ellos AB idag", user=None, bot_id="B1"),
        standin.message_event(
            CHANNEL, ts(11), "Besökte Ellos AB idag", user="UPIA", subtype="bot_message"
        ),
        standin.message_event(
            CHANNEL, ts(12), "<@UPIA> har gått med i kanalen", subtype="channel_join"
        ),
        standin.message_event(CHANNEL, ts(13), "Var hos Hemtex igår", thread_ts=ts(3)),
        standin.message_event("C0ANNAN", ts(14), "Var hos Hemtex igår"),
        standin.message_event(CHANNEL, ts(15), "Vem har varit hos Hemtex?"),
        standin.message_event(CHANNEL, ts(16), "tack för idag"),
        standin.message_event(CHANNEL, ts(17), ":tada:"),
    ]
    for event in ignored:
        assert send_event(bot, event).status == 200
    marker = standin.message_event(CHANNEL, ts(18), "Var hos Hemtex igår", user="UOLA")
    send_event(bot, marker)
    [only] = questions(bot, 1)  # the events are handled in order of arrival, after the ack
    assert only["user"] == "UOLA" and "Hemtex" in text_of(only["blocks"])
    assert len(standin.calls("chat.postEphemeral")) == 1


def test_an_edit_before_answering_updates_the_question_and_dismissal_sticks(
    bot: LiveBot,
) -> None:
    standin = bot.standin
    send_event(bot, standin.message_event(CHANNEL, ts(20), "Var hos Elos igår", user="UPIA"))
    [first] = questions(bot, 1)
    assert "Elos" in text_of(first["blocks"])
    send_event(bot, standin.edit_event(CHANNEL, ts(20), "Var hos Ellos AB igår, digitalt"))
    second = questions(bot, 2)[1]
    shown = text_of(second["blocks"])
    assert "Du ändrade meddelandet" in shown and "Ellos AB" in shown and "digitalt" in shown
    # A link preview is also a message_changed, with the same text: no new question.
    unfurl = standin.edit_event(CHANNEL, ts(20), "Var hos Ellos AB igår, digitalt")
    send_event(bot, unfurl)
    # Spara on the old question stores the message as it reads now.
    live.click(bot, buttons(first["blocks"])[0], user="UPIA", name="gammal")
    reply_to(bot, "gammal")
    [visit] = stored(bot)
    assert visit.company.name == "Ellos AB" and visit.form == "digitalt"
    assert len(standin.calls("chat.postEphemeral")) == 2

    send_event(bot, standin.message_event(CHANNEL, ts(21), "Besök hos Hemtex idag"))
    third = questions(bot, 3)[2]
    live.click(bot, buttons(third["blocks"])[2], user="UPIA", name="inte")
    assert "räknas inte som besök" in reply_to(bot, "inte")["text"]
    send_event(bot, standin.edit_event(CHANNEL, ts(21), "Besök hos Hemtex AB idag"))
    send_event(bot, standin.message_event(CHANNEL, ts(22), "Var hos Lindex idag"))
    fourth = questions(bot, 4)[3]
    assert "Lindex" in text_of(fourth["blocks"])  # no question came for the dismissed edit
    assert len(stored(bot)) == 1


def test_andra_on_the_question_opens_the_form_filled_from_the_message(bot: LiveBot) -> None:
    send_event(bot, bot.standin.message_event(CHANNEL, ts(30), "Var hos Hemtex i tisdags"))
    [question] = questions(bot, 1)
    live.click(bot, buttons(question["blocks"])[1], user="UPIA", name="andra")
    [opened] = bot.standin.wait_for("views.open")
    [updated] = bot.standin.wait_for("views.update")
    assert opened.at <= updated.at
    view = updated.args["view"]
    assert inputs(view)[VisitField.DATE]["initial_date"] == "2026-11-17"
    live.submit(bot, view, state_from(view))
    [visit] = stored(bot)
    assert (visit.source, visit.source_ts) == ("channel", ts(30))


# -- backfill and import ----------------------------------------------------------------------


def test_backfill_then_import_then_a_rerun(bot: LiveBot, tmp_path: Path) -> None:
    standin = bot.standin
    texts = [
        ("Besökte Ellos AB igår med <@UOLA|ola>", "UPIA"),
        ("Tack för idag!", "UOLA"),
        ("Var hos Hemtex i tisdags", "UOLA"),
        ("Vem har numret till Lindex?", "UPIA"),
        ("Företagsbesök hos Borås Wäfveri, digitalt", "UPIA"),
    ]
    for n, (text, user) in enumerate(texts):
        standin.add_message(CHANNEL, ts(n, days_back=n), text, user=user)
    standin.add_message(CHANNEL, ts(50), "Besökte Gina Tricot idag", user=None, bot_id="B1")
    standin.add_message(CHANNEL, ts(51), "Var hos Lindex idag", thread_ts=ts(0))  # a reply
    standin.add_message(CHANNEL, ts(52), "har gått med", subtype="channel_join")
    standin.add_message(CHANNEL, ts(0, days_back=400), "Besök hos Gammalt AB")  # before --since
    standin.history_page_cap = 2
    standin.fail("conversations.history", retry_after=1, when=lambda a: bool(a.get("cursor")))

    path = tmp_path / "granska.csv"
    out = io.StringIO()
    since = dt.date(2026, 1, 1)
    assert run_backfill(bot.knalle, CHANNEL, since=since, output=path, out=out) == 0
    assert "Skrev 5 meddelanden" in out.getvalue() and "3 med importera = ja" in out.getvalue()
    pages = [c for c in standin.calls("conversations.history") if "_failed" not in c.args]
    assert len(pages) >= 3 and any("_failed" in c.args for c in standin.calls())
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [r["meddelande"] for r in rows] == [t for t, _ in texts]  # newest first
    assert [r["importera"] for r in rows] == ["ja", "nej", "ja", "nej", "ja"]
    assert rows[0]["länk"].startswith("https://knalle.slack.invalid/archives/C0BESOK/p")

    out = io.StringIO()
    assert run_import(bot.knalle, path, out=out) == 0
    assert "Sparade 3 besök" in out.getvalue()
    assert {v.company.name for v in stored(bot)} == {"Ellos AB", "Hemtex", "Borås Wäfveri"}
    assert {v.source for v in stored(bot)} == {"import"}

    out = io.StringIO()
    assert run_import(bot.knalle, path, out=out) == 0
    assert "Sparade 0 besök. 3 fanns redan" in out.getvalue() and len(stored(bot)) == 3
    # A backfill after the import says so, and the shortcut on such a message too.
    again = tmp_path / "igen.csv"
    run_backfill(bot.knalle, CHANNEL, since=since, output=again, out=io.StringIO())
    assert next(r["orsak"] for r in csv.DictReader(again.open(encoding="utf-8"))) == (
        "redan sparat som besök"
    )
