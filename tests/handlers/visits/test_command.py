"""The `/besök` callbacks with mocked ack, respond and client: what the user sees, what is kept."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from unittest.mock import MagicMock

import pytest
from sqlalchemy import func, select

from bot.context import Knalle
from bot.core.visits import actions as core
from handlers.ids import VisitAction, VisitField, VisitView, any_nth
from handlers.limits import check_message, check_options
from handlers.visits import blocks
from handlers.visits import command as handler
from storage.models import Company, Staff, Visit
from tests import units


def command(text: str, user: str = "UPIA") -> dict[str, Any]:
    return {
        "command": "/besök",
        "text": text,
        "user_id": user,
        "channel_id": "C0TEAM",
        "trigger_id": "trig.1",
        "response_url": "https://hooks.slack.invalid/r",
    }


def run(knalle: Knalle, text: str, user: str = "UPIA") -> tuple[MagicMock, MagicMock]:
    respond, client = MagicMock(), MagicMock()
    handler.handle_command(knalle, command(text, user), respond, client)
    return respond, client


def reply_of(respond: MagicMock) -> dict[str, Any]:
    assert respond.call_count == 1, respond.call_args_list
    return dict(respond.call_args.kwargs)


def all_text(reply: dict[str, Any]) -> str:
    return json.dumps(reply.get("blocks") or [], ensure_ascii=False) + str(reply.get("text"))


def buttons(reply: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        element
        for block in reply.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def stored(knalle: Knalle) -> int:
    with knalle.db.read() as session:
        return int(
            session.scalar(select(func.count(Visit.id)).where(Visit.deleted_at.is_(None))) or 0
        )


def action_body(action_id: str, value: str, user: str = "UPIA") -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": user},
        "trigger_id": "trig.2",
        "response_url": "https://hooks.slack.invalid/a",
        "channel": {"id": "C0TEAM"},
        "actions": [{"action_id": action_id, "value": value}],
    }


@pytest.fixture
def team(sqlite_knalle: Knalle) -> Knalle:
    with sqlite_knalle.db.write() as session:
        for name, user in (("Pia", "UPIA"), ("Ola", "UOLA")):
            session.add(Staff(name=name, slack_user_id=user, created_at=sqlite_knalle.clock.now()))
    return sqlite_knalle


def test_a_line_is_stored_and_confirmed_with_what_was_understood(team: Knalle) -> None:
    respond, client = run(
        team, "Ellos AB igår med <@UOLA|ola> och KSO, pratade &lt;!channel&gt; &amp; lön"
    )
    reply = reply_of(respond)
    assert reply["response_type"] == "ephemeral"
    text = all_text(reply)
    assert "*Företag:* Ellos AB" in text
    assert "*Datum:* mån 23 nov 2026" in text
    assert "<@UPIA>, <@UOLA>" in text and "*Övriga:* KSO" in text
    assert "*Form:* på plats" in text
    # Escaped on the way out: the typed <!channel> cannot ping anyone.
    assert "&lt;!channel&gt; &amp;amp; lön" not in text and "&lt;!channel&gt; &amp; lön" in text
    assert "<!channel>" not in text
    labels = [b["text"]["text"] for b in buttons(reply)]
    assert labels == ["Ändra", "Ångra"]
    visit_id = int(buttons(reply)[0]["value"])
    assert buttons(reply)[0]["action_id"] == VisitAction.EDIT
    with team.db.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.notes == "pratade <!channel> & lön"  # stored unescaped
    client.views_open.assert_not_called()


def test_no_text_opens_the_new_visit_modal(team: Knalle) -> None:
    respond, client = run(team, "")
    respond.assert_not_called()
    kwargs = client.views_open.call_args.kwargs
    view = kwargs["view"]
    assert kwargs["trigger_id"] == "trig.1" and view["callback_id"] == VisitView.NEW
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert blocks[VisitField.COMPANY]["element"]["type"] == "external_select"
    assert blocks[VisitField.DATE]["element"]["initial_date"] == "2026-11-24"
    assert blocks[VisitField.COLLEAGUES]["element"]["type"] == "multi_users_select"
    assert blocks[VisitField.FORM]["element"]["type"] == "radio_buttons"
    assert blocks[VisitField.FOLLOW_UP]["optional"] is True
    assert json.loads(view["private_metadata"]) == {"channel": "C0TEAM"}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("igår", "Skriv företaget först"),
        ("Ellos AB 2099-01-01", "ligger i framtiden"),
        ("Ellos AB den 45 mars", "Jag kan inte läsa"),
        ("Ellos AB idag, " + "x" * 2000, "för lång för Slack"),
        ("Ellos AB idag med <@USTRANGER|okänd>", "finns inte i Knalles personallista"),
        ("Ellos AB idag med @kalle", "Jag känner inte till @kalle"),
        ("lista igår", "/besök lista vecka"),
        ("sök", "/besök sök Ellos"),
        ("företag", "/besök företag Ellos"),
        ("statistik förra", "fyra siffror"),
        ("ångra", "inget besök att ångra"),
    ],
)
def test_bad_input_gets_a_swedish_answer_and_stores_nothing(
    team: Knalle, text: str, says: str
) -> None:
    respond, _ = run(team, text)
    reply = reply_of(respond)
    assert says in reply["text"] and reply["response_type"] == "ephemeral"
    assert stored(team) == 0


def test_error_text_quoting_the_user_is_escaped(team: Knalle) -> None:
    respond, _ = run(team, "lista &lt;!channel&gt;")
    text = reply_of(respond)["text"]
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text


def test_an_unsure_company_asks_with_buttons_and_stores_after_the_choice(team: Knalle) -> None:
    run(team, "Ellos AB igår")
    respond, _ = run(team, "Elos i tisdags, pratade export", user="UOLA")
    reply = reply_of(respond)
    assert "inte säker" in all_text(reply) and stored(team) == 1
    choices = buttons(reply)
    assert [b["text"]["text"] for b in choices] == ["Ellos AB", "Nytt företag: Elos"]
    # Each button its own action_id: Slack refuses a block whose buttons share one.
    assert [b["action_id"] for b in choices] == ["visit.pick_company:0", "visit.pick_company:1"]
    assert all(any_nth(VisitAction.PICK_COMPANY).match(b["action_id"]) for b in choices)
    assert all(len(b["value"]) <= 2000 for b in choices)

    pick = MagicMock()
    handler.handle_pick(
        team, action_body(VisitAction.PICK_COMPANY, choices[0]["value"], "UOLA"), pick
    )
    confirmed = reply_of(pick)
    assert confirmed["replace_original"] is True
    assert "*Företag:* Ellos AB" in all_text(confirmed)
    assert "*Datum:* tis 17 nov 2026" in all_text(confirmed)
    assert stored(team) == 2

    new = MagicMock()
    handler.handle_pick(
        team, action_body(VisitAction.PICK_COMPANY, choices[1]["value"], "UPIA"), new
    )
    assert "*Företag:* Elos" in all_text(reply_of(new))
    with team.db.read() as session:
        assert session.scalar(select(func.count(Company.id))) == 2


def test_a_garbled_pick_value_says_to_write_the_visit_again(team: Knalle) -> None:
    respond = MagicMock()
    handler.handle_pick(team, action_body(VisitAction.PICK_COMPANY, "nonsense"), respond)
    assert "Skriv besöket igen" in reply_of(respond)["text"] and stored(team) == 0


def test_undo_button_for_the_author_and_notallowed_for_others(team: Knalle) -> None:
    respond, _ = run(team, "Ellos AB igår")
    visit_id = buttons(reply_of(respond))[1]["value"]
    other = MagicMock()
    handler.handle_undo(team, action_body(VisitAction.UNDO, visit_id, "UOLA"), other)
    refused = reply_of(other)
    assert "Bara den som loggade ett besök, eller en admin" in refused["text"]
    assert refused["replace_original"] is False and stored(team) == 1
    mine = MagicMock()
    handler.handle_undo(team, action_body(VisitAction.UNDO, visit_id, "UPIA"), mine)
    assert "är ångrat" in reply_of(mine)["text"] and stored(team) == 0


def test_edit_opens_a_modal_first_then_fills_it_with_the_parse(team: Knalle) -> None:
    respond, _ = run(team, "Ellos AB igår med <@UOLA|ola> och KSO digitalt, pratade lön")
    visit_id = buttons(reply_of(respond))[0]["value"]
    client = MagicMock()
    client.views_open.return_value = {"view": {"id": "V1", "hash": "h1"}}
    handler.handle_edit(team, action_body(VisitAction.EDIT, visit_id), client)
    assert client.views_open.call_args.kwargs["trigger_id"] == "trig.2"
    update = client.views_update.call_args.kwargs
    assert update["view_id"] == "V1" and update["hash"] == "h1"
    view = update["view"]
    blocks = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert view["callback_id"] == VisitView.EDIT
    assert blocks[VisitField.COMPANY]["initial_option"]["text"]["text"] == "Ellos AB"
    assert blocks[VisitField.DATE]["initial_date"] == "2026-11-23"
    assert blocks[VisitField.COLLEAGUES]["initial_users"] == ["UOLA"]
    assert blocks[VisitField.OTHERS]["initial_value"] == "KSO"
    assert blocks[VisitField.FORM]["initial_option"]["value"] == "digitalt"
    assert blocks[VisitField.NOTES]["initial_value"] == "pratade lön"
    assert json.loads(view["private_metadata"])["visit"] == int(visit_id)


def test_edit_by_someone_else_shows_why_in_the_modal(team: Knalle) -> None:
    respond, _ = run(team, "Ellos AB igår")
    visit_id = buttons(reply_of(respond))[0]["value"]
    client = MagicMock()
    client.views_open.return_value = {"view": {"id": "V1", "hash": "h1"}}
    handler.handle_edit(team, action_body(VisitAction.EDIT, visit_id, "UOLA"), client)
    view = client.views_update.call_args.kwargs["view"]
    assert "submit" not in view and "Bara den som loggade" in json.dumps(view, ensure_ascii=False)


def submission(
    values: dict[str, dict[str, Any]],
    *,
    callback: str = VisitView.NEW,
    metadata: dict[str, Any] | None = None,
    user: str = "UPIA",
) -> tuple[dict[str, Any], dict[str, Any]]:
    view = {
        "callback_id": callback,
        "private_metadata": json.dumps(metadata or {"channel": "C0TEAM"}),
        "state": {"values": {block: {block: value} for block, value in values.items()}},
    }
    return {"type": "view_submission", "user": {"id": user}, "view": view}, view


def modal_values(
    company: dict[str, Any] | None, day: str, **more: dict[str, Any]
) -> dict[str, Any]:
    values: dict[str, Any] = {
        VisitField.COMPANY: {"type": "external_select", "selected_option": company},
        VisitField.DATE: {"type": "datepicker", "selected_date": day},
        VisitField.COLLEAGUES: {"type": "multi_users_select", "selected_users": []},
        VisitField.OTHERS: {"type": "plain_text_input", "value": None},
        VisitField.FORM: {"type": "radio_buttons", "selected_option": {"value": "på plats"}},
        VisitField.NOTES: {"type": "plain_text_input", "value": None},
        VisitField.FOLLOW_UP: {"type": "datepicker", "selected_date": None},
    }
    values.update(more)
    return values


def test_modal_errors_are_shown_by_field_and_nothing_is_stored(team: Knalle) -> None:
    wrong: dict[str, dict[str, Any]] = {
        VisitField.COLLEAGUES: {"selected_users": ["USTRANGER"]},
        VisitField.FOLLOW_UP: {"selected_date": "2026-01-01"},
    }
    body, view = submission(modal_values(None, "2026-12-24", **wrong))
    ack, client = MagicMock(), MagicMock()
    handler.handle_submission(team, ack, body, view, client)
    kwargs = ack.call_args.kwargs
    assert kwargs["response_action"] == "errors"
    assert set(kwargs["errors"]) == {
        VisitField.COMPANY,
        VisitField.DATE,
        VisitField.COLLEAGUES,
        VisitField.FOLLOW_UP,
    }
    assert "framtiden" in kwargs["errors"][VisitField.DATE]
    assert stored(team) == 0
    client.chat_postEphemeral.assert_not_called()


def test_a_modal_visit_is_stored_and_confirmed_in_the_channel(team: Knalle) -> None:
    new = {
        "text": {"type": "plain_text", "text": "Nytt företag: Nudie Jeans"},
        "value": "new:Nudie Jeans",
    }
    filled: dict[str, dict[str, Any]] = {
        VisitField.COLLEAGUES: {"selected_users": ["UOLA"]},
        VisitField.OTHERS: {"value": "KSO, kommunalrådet Annette Carlson"},
        VisitField.NOTES: {"value": "Export till Norge"},
        VisitField.FOLLOW_UP: {"selected_date": "2026-12-08"},
    }
    body, view = submission(modal_values(new, "2026-11-20", **filled))
    ack, client = MagicMock(), MagicMock()
    handler.handle_submission(team, ack, body, view, client)
    ack.assert_called_once_with()
    posted = client.chat_postEphemeral.call_args.kwargs
    assert posted["channel"] == "C0TEAM" and posted["user"] == "UPIA"
    text = all_text(posted)
    assert "*Företag:* Nudie Jeans" in text and "fre 20 nov 2026" in text
    assert "KSO, kommunalrådet Annette Carlson" in text and "tis 8 dec 2026" in text
    assert stored(team) == 1


def test_modal_edit_replaces_the_original_message(
    team: Knalle, monkeypatch: pytest.MonkeyPatch
) -> None:
    respond, _ = run(team, "Ellos AB igår")
    visit_id = int(buttons(reply_of(respond))[0]["value"])
    sent: list[dict[str, Any]] = []

    class Hook:
        def __init__(self, url: str) -> None:
            self.url = url

        def send(self, **kwargs: Any) -> None:
            sent.append({"url": self.url, **kwargs})

    monkeypatch.setattr(handler, "WebhookClient", Hook)
    chosen = {"text": {"type": "plain_text", "text": "Ellos AB"}, "value": "id:1"}
    body, view = submission(
        modal_values(chosen, "2026-11-22", **{VisitField.NOTES: {"value": "rättat"}}),
        callback=VisitView.EDIT,
        metadata={"visit": visit_id, "response_url": "https://hooks.slack.invalid/a"},
    )
    ack = MagicMock()
    handler.handle_submission(team, ack, body, view, MagicMock())
    ack.assert_called_once_with()
    assert sent[0]["replace_original"] is True and sent[0]["url"].endswith("/a")
    assert "sön 22 nov 2026" in all_text(sent[0]) and "rättat" in all_text(sent[0])
    # Someone else's edit is refused in the modal, by field.
    body, view = submission(
        modal_values(chosen, "2026-11-22"),
        callback=VisitView.EDIT,
        metadata={"visit": visit_id},
        user="UOLA",
    )
    refused = MagicMock()
    handler.handle_submission(team, refused, body, view, MagicMock())
    assert "Bara den som loggade" in refused.call_args.kwargs["errors"][VisitField.COMPANY]


def test_company_suggestions_offer_the_register_and_a_new_company(team: Knalle) -> None:
    run(team, "Ellos AB igår")
    run(team, "Elite Hotels igår")
    options = handler.company_options(team, "el")
    labels = [o["text"]["text"] for o in options]
    assert labels[:2] == ["Elite Hotels", "Ellos AB"] and labels[-1] == "Nytt företag: el"
    exact = [o["text"]["text"] for o in handler.company_options(team, "ellos ab")]
    assert "Nytt företag: ellos ab" not in exact


@pytest.mark.parametrize("length", [60, 80, 147, 300])
def test_the_new_company_option_is_there_however_long_the_typed_text(
    team: Knalle, length: int
) -> None:
    typed = ("Aktiebolaget Borås Textil och Mode " * 10)[:length].strip()
    options = handler.company_options(team, typed)
    new = options[-1]
    # It was left out past 146 characters; Slack takes 75 for its label and 150 for its value.
    assert new["text"]["text"].startswith("Nytt företag: ")
    assert check_options({"options": options}) is None
    draft, choice = handler.draft_from_view(
        {"state": {"values": {VisitField.COMPANY: {VisitField.COMPANY: {"selected_option": new}}}}}
    )
    assert choice == "new" and typed.startswith(draft.company) and len(draft.company) >= 60


def test_the_undo_dialog_stays_within_300_characters(team: Knalle) -> None:
    name = "Bolag " + "Ek & " * 38  # 196 characters, each & made &amp;: 348 in the dialog
    respond, _ = run(team, f"{name.strip()} igår")
    reply = reply_of(respond)
    assert check_message(reply) is None
    (confirm,) = [b["confirm"] for b in buttons(reply) if "confirm" in b]
    assert len(confirm["text"]["text"]) <= 300


def test_list_search_history_statistics_undo_and_help(team: Knalle) -> None:
    run(team, "Ellos AB igår med <@UOLA|ola>, pratade kompetensförsörjning")
    run(team, "Textile Fashion Center 3 mars", user="UOLA")

    listing = all_text(reply_of(run(team, "lista")[0]))
    assert "Dina senaste besök" in listing and "Ellos AB" in listing
    assert "Textile" not in listing
    week = all_text(reply_of(run(team, "lista vecka")[0]))
    assert "Besök vecka 48" in week and "Textile" not in week
    year = all_text(reply_of(run(team, "lista år")[0]))
    assert "Besök 2026" in year and "Textile" in year and "2 besök" in year

    found = all_text(reply_of(run(team, "sök kompetens")[0]))
    assert "Ellos AB" in found and "Textile" not in found
    assert "Inga besök matchar" in reply_of(run(team, "sök volvo")[0])["text"]

    history = all_text(reply_of(run(team, "företag ellos group")[0]))
    assert "1 besök, senast 23 nov 2026" in history

    stats = all_text(reply_of(run(team, "statistik")[0]))
    assert "*2* besök av målet *150*" in stats and "Okänt kluster: 2" in stats

    undone = reply_of(run(team, "ångra")[0])
    assert "Ellos AB" in undone["text"] and "ångrat" in undone["text"]
    assert stored(team) == 1

    help_text = all_text(reply_of(run(team, "hjälp")[0]))
    for example in ("/besök Ellos AB igår med @pia", "/besök lista", "/besök sök", "/besök ångra"):
        assert example in help_text


def test_every_date_in_replies_is_swedish() -> None:
    from handlers.visits import texts

    assert texts.long_date(dt.date(2026, 11, 24)) == "tis 24 nov 2026"
    assert texts.short_date(dt.date(2026, 11, 23)) == "mån 23 nov"
    assert texts.short_date(dt.date(2025, 5, 3), dt.date(2026, 1, 1)) == "lör 3 maj 2025"
    assert texts.plain_date(dt.date(2026, 12, 1)) == "1 dec 2026"


def test_core_field_names_all_have_a_modal_block() -> None:
    names = [getattr(core, n) for n in dir(core) if n.startswith("FIELD_")]
    assert set(names) == set(handler.FIELD_BLOCKS)


@pytest.mark.parametrize(
    "text",
    [
        "Ellos &lt;!channel&gt; AB igår, &lt;!here&gt;",
        "sök &lt;!channel&gt;",
        "sök ellos",
        "företag &lt;!channel&gt;",
        "lista &lt;!channel&gt;",
        "statistik &lt;!channel&gt;",
        "lista år",
    ],
)
def test_nothing_a_user_typed_reaches_slack_unescaped(team: Knalle, text: str) -> None:
    run(team, "Ellos &lt;!channel&gt; AB igår, &lt;!here&gt;")
    respond, _ = run(team, text)
    sent = respond.call_args.kwargs
    # Slack reads mentions in mrkdwn and in the fallback text; plain_text is shown as typed.
    read_as_mrkdwn = [str(sent.get("text"))]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                read_as_mrkdwn.append(str(node["text"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(sent.get("blocks") or [])
    for text_object in read_as_mrkdwn:
        assert "<!channel>" not in text_object and "<!here>" not in text_object


def _stats(year: int, through: dt.date, total: int, expected: int) -> core.VisitStats:
    months = {month: 0 for month in range(1, 13)}
    months[3] = total
    return core.VisitStats(
        year=year,
        through=through,
        target=150,
        total=total,
        expected=expected,
        by_month=months,
        by_cluster={"Handel och logistik": total} if total else {},
    )


@pytest.mark.parametrize(
    ("stats", "says", "not_says"),
    [
        (_stats(2026, dt.date(2026, 11, 24), 40, 137), "Efter målets takt", "Före målets"),
        (_stats(2026, dt.date(2026, 3, 1), 40, 25), "Före målets takt", "kvar"),
        (_stats(2025, dt.date(2025, 12, 31), 120, 150), "Året slutade 30 besök från målet", "kvar"),
        (_stats(2025, dt.date(2025, 12, 31), 151, 150), "Målet är nått", "kvar"),
    ],
)
def test_statistics_speak_of_the_pace_only_while_the_year_runs(
    stats: core.VisitStats, says: str, not_says: str
) -> None:
    text = json.dumps(blocks.stats_message(stats), ensure_ascii=False)
    assert says in text and not_says not in text


def test_the_month_chart_keeps_a_space_between_a_month_and_its_bar() -> None:
    # "mars", "juni" and "juli" are four letters: the bar must not run into the name.
    chart = blocks.stats_message(_stats(2026, dt.date(2026, 11, 24), 40, 137))["blocks"]
    lines = [
        line
        for b in chart
        for line in (b.get("text") or {}).get("text", "").splitlines()
        if line[:4].strip() in ("jan", "mars", "juni", "nov")
    ]
    assert lines and all(line[4] == " " for line in lines), lines


def test_an_admin_sees_the_visits_history_in_the_edit_form(team: Knalle) -> None:
    respond, _ = run(team, "Ellos AB igår, pratade lön")
    visit_id = buttons(reply_of(respond))[0]["value"]
    draft = core.draft_from_text("Ellos AB igår, pratade kompetens", dt.date(2026, 11, 24))
    units.edit(team, int(visit_id), "UADMIN", draft)
    client = MagicMock()
    client.views_open.return_value = {"view": {"id": "V1", "hash": "h1"}}
    handler.handle_edit(team, action_body(VisitAction.EDIT, visit_id, "UADMIN"), client)
    view = client.views_update.call_args.kwargs["view"]
    (history,) = [b for b in view["blocks"] if b.get("block_id") == VisitField.HISTORY]
    text = history["text"]["text"]
    lines = text.splitlines()
    assert lines[0].startswith("*Historik*")
    assert lines[1] == "• 2026-11-24 10:00 – UADMIN via Slack: besök ändrat (anteckning)"
    assert lines[2] == "• 2026-11-24 10:00 – Pia via Slack: besök loggat"

    author = MagicMock()
    author.views_open.return_value = {"view": {"id": "V2", "hash": "h2"}}
    handler.handle_edit(team, action_body(VisitAction.EDIT, visit_id, "UPIA"), author)
    view = author.views_update.call_args.kwargs["view"]
    assert all(b.get("block_id") != VisitField.HISTORY for b in view["blocks"])


def test_a_long_history_stays_within_one_section() -> None:
    from bot.core.audit import AuditRow

    rows = [
        AuditRow(
            id=i, at=dt.datetime(2026, 11, 24, tzinfo=dt.UTC), actor_id="U1",
            actor_name="<!channel>" * 20, surface="slack", action="visit.edit",
            subject_type="visit", subject_id="812",
            before={"notes": "a"}, after={"notes": "b" * 10},
        )
        for i in range(40)
    ]  # fmt: skip
    _divider, history = blocks.history_blocks(812, rows, dt.UTC)
    text = history["text"]["text"]
    assert len(text) <= 3000 and "<!channel>" not in text
    assert text.endswith("…och 28 äldre. Hela historiken: `knalle audit --visit 812`")
