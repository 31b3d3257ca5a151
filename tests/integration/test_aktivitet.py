"""/aktivitet end to end: signed requests to the real HTTP server, Slack played by the stand-in."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy import select

from handlers.ids import ActivityAction, ActivityField, ActivityView, kind_of
from storage.models import ActivityUpdate
from tests.handlers.activity_plan import build_plan
from tests.integration.live import LiveBot, click, reply_to, submit


@pytest.fixture
def ids(bot: LiveBot) -> dict[str, int]:
    with bot.knalle.db.write() as session:
        return build_plan(session)


def aktivitet(bot: LiveBot, text: str, user: str = "UPIA") -> dict[str, Any]:
    """Send the command and wait for its own reply (each command gets its own response_url)."""
    before = len(bot.standin.calls("response_url"))
    reply = bot.command(text, user=user, command="/aktivitet", name=f"r{before}")
    assert reply.status == 200
    return reply_to(bot, f"r{before}")


def text_of(reply: dict[str, Any]) -> str:
    """Everything a person would read: fallback text and every block's text."""
    parts = [str(reply.get("text") or "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    parts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(reply.get("blocks") or [])
    return "\n".join(parts)


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for block in blocks:
        for element in [*(block.get("elements") or []), block.get("accessory") or {}]:
            if element.get("type") == "button":
                found.append(element)
    return found


def updates(bot: LiveBot) -> list[ActivityUpdate]:
    with bot.knalle.db.read() as session:
        return list(session.scalars(select(ActivityUpdate).order_by(ActivityUpdate.id)))




def modal_values(activity_id: int | None, light: str | None, comment: str) -> dict[str, Any]:
    values: dict[str, Any] = {
        ActivityField.COMMENT: {
            ActivityField.COMMENT: {"type": "plain_text_input", "value": comment}
        },
        ActivityField.ACTIVITY: {
            ActivityField.ACTIVITY: {
                "type": "static_select",
                "selected_option": {"value": str(activity_id)} if activity_id else None,
            }
        },
        ActivityField.LIGHT: {
            ActivityField.LIGHT: {
                "type": "radio_buttons",
                "selected_option": {"value": light} if light else None,
            }
        },
    }
    return values


# -- typed updates ----------------------------------------------------------------------------


def test_typed_update_is_stored_and_confirmed(bot: LiveBot, ids: dict[str, int]) -> None:
    reply = aktivitet(bot, "Företagsamt gul Decembernumret försenat")
    shown = text_of(reply)
    assert "1.5.6 Företagsamt" in shown and "🟡" in shown
    assert "Decembernumret försenat" in shown and "2026-H2" in shown
    assert reply.get("response_type") == "ephemeral"
    (row,) = updates(bot)
    assert (row.activity_id, row.light, row.comment) == (
        ids["företagsamt"],
        "gul",
        "Decembernumret försenat",
    )
    assert (row.author_slack_id, row.author_name, row.period, row.source) == (
        "UPIA",
        "Pia",
        "2026-H2",
        "slack",
    )


def test_number_and_the_other_owner_hears_who_did_it(bot: LiveBot, ids: dict[str, int]) -> None:
    reply = aktivitet(bot, "1.5.6 grön Klart för i år")
    assert "🟢" in text_of(reply)
    # Pia updated; the other owner, Anna M, gets a DM naming her. Pia herself does not.
    posted = bot.standin.wait_for("chat.postMessage")
    assert [call.args["channel"] for call in posted] == ["DUANNAM"]
    told = text_of(posted[0].args)
    assert "Pia" in told and "1.5.6 Företagsamt" in told and "Klart för i år" in told
    assert any(b["action_id"] == ActivityAction.UPDATE for b in buttons(posted[0].args["blocks"]))


def test_a_non_owner_may_update_and_both_owners_hear(bot: LiveBot, ids: dict[str, int]) -> None:
    aktivitet(bot, "Företagsamt röd Inget nummer", user="USARA")
    posted = bot.standin.wait_for("chat.postMessage", count=2)
    assert sorted(call.args["channel"] for call in posted) == ["DUANNAM", "DUPIA"]
    (row,) = updates(bot)
    assert row.author_slack_id == "USARA" and row.author_name == "usara"


def test_ambiguous_name_offers_buttons_and_a_click_stores(
    bot: LiveBot, ids: dict[str, int]
) -> None:
    reply = aktivitet(bot, "koncentrerade röd Inga besök i år")
    assert "flera aktiviteter" in text_of(reply)
    offered = buttons(reply["blocks"])
    # One action_id per button (Slack refuses repeats within a block); the listener takes all.
    assert [b["action_id"] for b in offered] == ["activity.pick:0", "activity.pick:1"]
    assert len(offered) == 2
    assert updates(bot) == []
    chosen = next(b for b in offered if "109+" in b["text"]["text"])
    assert click(bot, chosen).status == 200
    replaced = reply_to(bot, "klick")
    assert replaced.get("replace_original") is True
    assert "109+" in text_of(replaced) and "🔴" in text_of(replaced)
    (row,) = updates(bot)
    assert (row.activity_id, row.light, row.comment) == (ids["109+"], "röd", "Inga besök i år")
    # A second click on the same button within seconds stores nothing more.
    click(bot, chosen, name="klick2")
    reply_to(bot, "klick2")
    assert len(updates(bot)) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rymdresor gul Klart", ["Rymdresor", "1.5.6"]),
        ("Företagsamt blå Klart", ["blå", "grön, gul, röd eller grå"]),
        ("Företagsamt gul", ["Kommentaren saknas"]),
        ("Företagsamt gul " + "ord " * 500, ["tecken", "1500"]),
        ("visa", ["/aktivitet visa Företagsamt"]),
    ],
)
def test_bad_input_gets_swedish_help_and_stores_nothing(
    bot: LiveBot, ids: dict[str, int], text: str, expected: list[str]
) -> None:
    reply = aktivitet(bot, text)
    shown = text_of(reply)
    for word in expected:
        assert word in shown
    assert updates(bot) == []


def test_user_text_is_escaped_on_the_way_out(bot: LiveBot, ids: dict[str, int]) -> None:
    # Slack delivers "<!channel>" typed by a user already as entities.
    reply = aktivitet(bot, "Företagsamt gul &lt;!channel&gt; &amp; vänner")
    (row,) = updates(bot)
    assert row.comment == "<!channel> & vänner"
    shown = json.dumps(reply, ensure_ascii=False)
    assert "<!channel>" not in shown and "&lt;!channel&gt; &amp; vänner" in shown


def test_unknown_name_is_escaped_in_the_error(bot: LiveBot, ids: dict[str, int]) -> None:
    reply = aktivitet(bot, "&lt;!here&gt; gul Klart")
    assert "<!here>" not in json.dumps(reply, ensure_ascii=False)
    assert updates(bot) == []


def test_no_plan_says_to_import_one(bot: LiveBot) -> None:
    for text in ("Företagsamt gul Klart", "mina", "visa 1.5.6"):
        assert "knalle plan import" in text_of(aktivitet(bot, text))
    bot.command("", command="/aktivitet")
    filled = bot.standin.wait_for("views.update")[0].args["view"]
    assert "knalle plan import" in text_of(filled) and "submit" not in filled


# -- the modal --------------------------------------------------------------------------------


def test_bare_command_opens_the_modal_first_then_fills_it(
    bot: LiveBot, ids: dict[str, int]
) -> None:
    assert bot.command("", user="UPIA", command="/aktivitet").status == 200
    (opened,) = bot.standin.wait_for("views.open")
    assert opened.args["trigger_id"] == "trig.1"
    (filled,) = bot.standin.wait_for("views.update")
    view = filled.args["view"]
    assert filled.args["view_id"].startswith("V")
    assert view["callback_id"] == ActivityView.UPDATE
    select = view["blocks"][0]["element"]
    groups = select["option_groups"]
    assert [g["label"]["text"] for g in groups] == ["Mina aktiviteter", "Alla aktiviteter"]
    mine = [o["text"]["text"] for o in groups[0]["options"]]
    assert mine == [
        "1.2.1 Koncentrerade företagsbesök – 109 företagsbesök",
        "1.2.3 Företagsbesök",
        "1.5.6 Företagsamt",
    ]
    assert len(groups[1]["options"]) == 3
    radios = view["blocks"][1]["element"]["options"]
    assert [o["value"] for o in radios] == ["grön", "gul", "röd", "grå"]
    assert radios[0]["description"]["text"] == "genomfört enligt plan"
    assert view["blocks"][2]["element"]["multiline"] is True


def modal_view(bot: LiveBot) -> dict[str, Any]:
    bot.command("", user="UPIA", command="/aktivitet")
    view: dict[str, Any] = bot.standin.wait_for("views.update")[-1].args["view"]
    return view


def test_modal_submission_validates_in_swedish(bot: LiveBot, ids: dict[str, int]) -> None:
    view = modal_view(bot)
    reply = submit(bot, view, modal_values(None, None, "   "))
    answer = json.loads(reply.body)
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {
        ActivityField.ACTIVITY,
        ActivityField.LIGHT,
        ActivityField.COMMENT,
    }
    assert "Kommentaren saknas" in answer["errors"][ActivityField.COMMENT]
    assert updates(bot) == []


def test_modal_submission_stores_once_and_confirms(bot: LiveBot, ids: dict[str, int]) -> None:
    view = modal_view(bot)
    values = modal_values(ids["textil"], "grå", "Inställt p.g.a. pandemin")
    assert submit(bot, view, values).status == 200
    (confirmed,) = bot.standin.wait_for("chat.postEphemeral")
    assert confirmed.args["channel"] == "C0TEST" and confirmed.args["user"] == "UPIA"
    assert "1.5.9 Cirkulär textil" in text_of(confirmed.args) and "⚪" in text_of(confirmed.args)
    # A double click on Spara: the same view id again, a second later (the very same bytes
    # within one second are a replay, taken once: tests/faults/test_resends.py).
    submit(bot, view, values, timestamp=int(time.time()) + 1)
    bot.standin.wait_for("chat.postEphemeral", count=2)
    (row,) = updates(bot)
    assert (row.activity_id, row.light) == (ids["textil"], "grå")
    assert bot.standin.wait_for("views.publish", count=2)[0].args["user_id"] == "UPIA"


def test_update_button_opens_the_modal_with_the_activity_chosen(
    bot: LiveBot, ids: dict[str, int]
) -> None:
    button = {
        "action_id": ActivityAction.UPDATE,
        "value": str(ids["uf"]),
        "text": {"type": "plain_text", "text": "Uppdatera"},
    }
    assert click(bot, button, name="upd").status == 200
    (opened,) = bot.standin.wait_for("views.open")
    assert opened.args["trigger_id"] == "upd.trigger"
    view = bot.standin.wait_for("views.update")[0].args["view"]
    initial = view["blocks"][0]["element"]["initial_option"]
    assert initial["value"] == str(ids["uf"]) and "Ung Företagsamhet" in initial["text"]["text"]
    assert json.loads(view["private_metadata"]) == {"channel": "C0TEST"}


# -- mina, visa, hjälp ------------------------------------------------------------------------


def test_mina_lists_own_and_alla_with_lights(bot: LiveBot, ids: dict[str, int]) -> None:
    aktivitet(bot, "Företagsamt gul Decembernumret försenat")
    reply = aktivitet(bot, "mina")
    shown = text_of(reply)
    assert "Pia" in shown and "2026-H2" in shown
    assert "1.5.6 Företagsamt" in shown and "🟡" in shown and "Decembernumret" in shown
    assert "1.2.1" in shown and "ej rapporterad" in shown
    assert "1.5.7" not in shown  # Sara's
    update_buttons = [
        b for b in buttons(reply["blocks"]) if b["action_id"] == ActivityAction.UPDATE
    ]
    assert len(update_buttons) == 3


def test_mina_for_an_unlinked_user_says_how_to_link(bot: LiveBot, ids: dict[str, int]) -> None:
    shown = text_of(aktivitet(bot, "mina", user="UOKAND"))
    assert "knalle staff link" in shown and "UOKAND" in shown


def test_visa_shows_purpose_goal_owners_and_history(bot: LiveBot, ids: dict[str, int]) -> None:
    aktivitet(bot, "Företagsamt gul Första")
    aktivitet(bot, "Företagsamt grön Andra", user="UANNAM")
    shown = text_of(aktivitet(bot, "visa företagsamt"))
    assert "Syfte:" in shown and "entreprenörskap" in shown and "&amp;" in shown
    assert "Mål:" in shown and "Fyra nummer om året" in shown
    assert "Anna M, Pia" in shown and "Hög" in shown
    assert shown.index("Första") < shown.index("Andra")
    assert "Anna M" in shown.split("Andra")[0].split("Första")[1]


def test_visa_ambiguous_offers_show_buttons(bot: LiveBot, ids: dict[str, int]) -> None:
    reply = aktivitet(bot, "visa koncentrerade")
    offered = buttons(reply["blocks"])
    assert {kind_of(b["action_id"]) for b in offered} == {ActivityAction.SHOW}
    assert len({b["action_id"] for b in offered}) == len(offered)
    click(bot, offered[0], name="visa-klick")
    shown = text_of(reply_to(bot, "visa-klick"))
    assert "Syfte:" in shown


def test_help_names_every_subcommand(bot: LiveBot) -> None:
    shown = text_of(aktivitet(bot, "hjälp"))
    for word in ["/aktivitet mina", "/aktivitet visa", "paus till", "fortsätt", "delvis klart"]:
        assert word in shown
