"""The console's own behaviour: who you are, what you may click, names, unknown commands."""

from __future__ import annotations

import io

import pytest
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.console.session import run_console
from bot.context import Knalle
from storage import staff
from storage.models import Staff, Visit
from tests.storage import factories as make


def console(knalle: Knalle, *lines: str) -> str:
    out = io.StringIO()
    assert run_console(knalle, io.StringIO("\n".join(lines) + "\n"), out) == 0
    return out.getvalue()


def add_staff(knalle: Knalle, name: str, slack_id: str | None = None) -> None:
    with knalle.db.write() as session:
        session.add(Staff(name=name, slack_user_id=slack_id, created_at=knalle.clock.now()))


def test_an_unknown_command_gets_swedish_guidance(sqlite_knalle: Knalle) -> None:
    output = console(sqlite_knalle, "/foo bar")
    assert "Okänt kommando /foo" in output and "/besök och /aktivitet" in output
    assert "Unhandled" not in output and "404" not in output


def test_acting_as_an_unlinked_staff_member_links_a_console_id(sqlite_knalle: Knalle) -> None:
    add_staff(sqlite_knalle, "Pia")
    output = console(sqlite_knalle, "jag Pia", "/besök Ellos AB igår")
    assert "Du är nu Pia" in output
    assert "*Från enheten:* @Pia" in output  # names, not Slack ids, as Slack shows them
    with sqlite_knalle.db.read() as session:
        pia = staff.by_name(session, "Pia")
        assert pia is not None and pia.slack_user_id == f"U0KONS{pia.id:03d}"
        # `knalle staff sync` still treats her as unlinked and gives her the real id.
        assert [m.name for m in staff.unlinked(session)] == ["Pia"]
        (visit,) = session.scalars(select(Visit))
        assert visit.author_id == pia.slack_user_id


def test_klicka_means_the_newest_reply_only(sqlite_knalle: Knalle) -> None:
    output = console(sqlite_knalle, "/besök Ellos AB igår", "/besök hjälp", "klicka 2")
    assert "Det finns ingen knapp att trycka på just nu." in output
    with sqlite_knalle.db.read() as session:
        (visit,) = session.scalars(select(Visit))
        assert visit.deleted_at is None  # the old reply's "Ångra" was not pressed


def test_switching_user_forgets_the_buttons(sqlite_knalle: Knalle) -> None:
    add_staff(sqlite_knalle, "Per", "UPER")
    output = console(sqlite_knalle, "/besök Ellos AB igår", "jag Per", "klicka 2")
    assert "Det finns ingen knapp att trycka på just nu." in output


def test_typed_markup_is_kept_as_text(sqlite_knalle: Knalle) -> None:
    console(sqlite_knalle, "/besök Ellos AB idag, hej & välkommen <b>")
    with sqlite_knalle.db.read() as session:
        (visit,) = session.scalars(select(Visit))
        assert visit.notes == "hej & välkommen <b>"


def test_reminders_and_digest_can_be_previewed_without_sending(sqlite_knalle: Knalle) -> None:
    add_staff(sqlite_knalle, "Pia", "UPIA")
    with sqlite_knalle.db.write() as session:
        plan, section = make.plan(session, 2026)
        make.activity(session, plan, section, "1.2.1", "Företagsbesök", ("Pia",))
    output = console(sqlite_knalle, "påminn 2026-12-01", "påminn i morgon")
    assert "Företagsbesök" in output and "Pia" in output
    assert "inget datum" in output  # a bad date is explained, in Swedish
    again = console(sqlite_knalle, "påminn 2026-12-01")
    assert "Företagsbesök" in again  # a preview records nothing as sent


def test_a_capitalised_command_works_as_in_slack(sqlite_knalle: Knalle) -> None:
    output = console(sqlite_knalle, "/Besök Ellos AB igår", "/BESOK hjälp")
    assert "Okänt kommando" not in output and "404" not in output
    with sqlite_knalle.db.read() as session:
        assert len(list(session.scalars(select(Visit)))) == 1


def test_a_refusal_is_shown_in_red_as_slacks_error(sqlite_knalle: Knalle) -> None:
    from bot.console.session import open_console
    from bot.slack.client import make_web_client

    out = io.StringIO()
    session = open_console(sqlite_knalle, out)
    session.color = True
    try:
        client = make_web_client("xoxb-test", session.standin.api_url)
        buttons = [
            {"type": "button", "text": {"type": "plain_text", "text": t}, "action_id": "same"}
            for t in ("Ett", "Två")
        ]
        with pytest.raises(SlackApiError):
            client.chat_postMessage(
                channel="C1", text="x", blocks=[{"type": "actions", "elements": buttons}]
            )
        session._print_new_calls()
        (refused,) = session.standin.take_refusals()
    finally:
        session.standin.stop()
    shown = out.getvalue()
    assert "\x1b[31mSlack vägrade (chat.postMessage): invalid_blocks" in shown
    assert "action_id 'same' already exists" in shown and shown.rstrip().endswith("\x1b[0m")
    assert refused.refusal.error == "invalid_blocks"
