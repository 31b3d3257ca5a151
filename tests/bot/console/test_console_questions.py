"""Never store a guess: the questions of `/besök` and `/aktivitet`, answered with a click.

Driven through `knalle console`, so the buttons go through the same Bolt app and listeners as
in Slack (numbered action ids included). Said on Tuesday 24 November 2026 (week 48).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from sqlalchemy import select

from bot.console.session import run_console
from bot.context import Knalle
from handlers.ids import VisitAction
from handlers.visits import blocks
from handlers.visits import command as handler
from storage.models import Company, Visit
from tests import units


def console(knalle: Knalle, *lines: str) -> str:
    out = io.StringIO()
    run_console(knalle, io.StringIO("\n".join(lines) + "\n"), out)
    return out.getvalue()


def visits(knalle: Knalle) -> list[tuple[str, dt.date, str, str, dt.date | None]]:
    with knalle.db.read() as session:
        rows = session.scalars(select(Visit).where(Visit.deleted_at.is_(None)).order_by(Visit.id))
        return [(v.company.name, v.visit_date, v.form, v.notes, v.follow_up_on) for v in rows]


def companies(knalle: Knalle) -> list[str]:
    with knalle.db.read() as session:
        return list(session.scalars(select(Company.name).order_by(Company.id)))


def action_ids(reply: dict[str, Any]) -> list[str]:
    return [
        element["action_id"]
        for block in reply["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def block_text(node: Any) -> str:
    """Every text a user reads in the blocks (not the buttons' values)."""
    if isinstance(node, list):
        return "".join(block_text(n) for n in node)
    if isinstance(node, dict):
        own = node["text"] if isinstance(node.get("text"), str) else ""
        return own + "".join(block_text(v) for k, v in node.items() if k != "value")
    return ""


def test_a_week_asks_for_the_day_with_one_button_per_working_day(sqlite_knalle: Knalle) -> None:
    out = console(sqlite_knalle, "/besök Gamla Mejeriet v.47, pratade lokaler")
    assert "vecka 47" in out and "Inget är sparat än" in out
    assert "[mån 16 nov]  [tis 17 nov]  [ons 18 nov]  [tors 19 nov]  [fre 20 nov]" in out
    assert visits(sqlite_knalle) == [] and companies(sqlite_knalle) == []
    out = console(sqlite_knalle, "/besök Gamla Mejeriet v.47, pratade lokaler", "klicka 3")
    assert "Besöket är sparat" in out
    assert visits(sqlite_knalle) == [
        ("Gamla Mejeriet", dt.date(2026, 11, 18), "på plats", "pratade lokaler", None)
    ]


def test_the_week_question_is_one_slack_accepts() -> None:
    from bot.core.visits.parser import DateQuestion, parse_visit

    today = dt.date(2026, 11, 24)
    line = "Gamla Mejeriet förra veckan, " + "x" * 1800
    try:
        parse_visit(line, today)
    except DateQuestion as question:
        reply = blocks.date_question_message(question, today, line)
    ids = action_ids(reply)
    assert len(ids) == len(set(ids)) == 5  # every button its own action_id in the block
    assert all(i.startswith(VisitAction.PICK_DAY + ":") for i in ids)
    values = [e["value"] for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert all(len(v) <= 2000 for v in values)
    assert len(block_text(reply["blocks"])) < 10_000


def test_a_misspelt_date_is_asked_never_glued_to_the_company(sqlite_knalle: Knalle) -> None:
    out = console(sqlite_knalle, "/besök Knallebageriet igårr", "klicka 1")
    assert 'Menade du "igår"?' in out
    assert visits(sqlite_knalle) == [
        ("Knallebageriet", dt.date(2026, 11, 23), "på plats", "", None)
    ]


def test_far_back_and_tomorrow_store_nothing(sqlite_knalle: Knalle) -> None:
    out = console(
        sqlite_knalle,
        "/besök Knallebageriet för 3000 dagar sedan",
        "/besök Knallebageriet imorgon",
        "/besök Knallebageriet 25/11",
    )
    assert "mer än 5 år bakåt" in out and out.count("ligger i framtiden") == 2
    assert visits(sqlite_knalle) == [] and companies(sqlite_knalle) == []


def test_several_companies_on_one_line_are_one_visit_each_after_a_click(
    sqlite_knalle: Knalle,
) -> None:
    out = console(sqlite_knalle, "/besök Ellos AB, Borås Energi och Volvo igår, mässa")
    assert "3 företag: Ellos AB, Borås Energi, Volvo" in out and visits(sqlite_knalle) == []
    assert "/besök Ellos AB igår, mässa" in out  # and how to write it otherwise
    assert out.count("Ellos AB igår, mässa") == 1, "the advice is given once, not twice"
    assert out.count("Inget är sparat än") == 1
    out = console(sqlite_knalle, "/besök Ellos AB, Borås Energi och Volvo igår, mässa", "klicka 1")
    assert "3 besök sparade" in out
    monday = dt.date(2026, 11, 23)
    assert visits(sqlite_knalle) == [
        ("Ellos AB", monday, "på plats", "mässa", None),
        ("Borås Energi", monday, "på plats", "mässa", None),
        ("Volvo", monday, "på plats", "mässa", None),
    ]


def test_a_resend_that_repeats_the_line_stores_nothing(sqlite_knalle: Knalle) -> None:
    out = console(sqlite_knalle, "/besök Ellos AB igår", "/besök Ellos AB igår")
    assert "redan sparat" in out
    assert len(visits(sqlite_knalle)) == 1


def test_a_resend_with_more_offers_to_update_the_earlier_visit(sqlite_knalle: Knalle) -> None:
    out = console(
        sqlite_knalle,
        "/besök Ellos AB igår",
        "/besök Ellos AB igår, digitalt, följ upp om en månad",
    )
    assert "Ska det besöket uppdateras?" in out and "formen, uppföljningen" in out
    assert out.count("Inget är sparat än") == 1, "said once, not twice"
    assert visits(sqlite_knalle) == [("Ellos AB", dt.date(2026, 11, 23), "på plats", "", None)]
    console(sqlite_knalle, "/besök Ellos AB igår, digitalt, följ upp om en månad", "klicka 1")
    assert visits(sqlite_knalle) == [
        ("Ellos AB", dt.date(2026, 11, 23), "digitalt", "", dt.date(2026, 12, 24))
    ]


def test_a_resend_that_is_another_visit_is_stored_as_new(sqlite_knalle: Knalle) -> None:
    console(sqlite_knalle, "/besök Ellos AB igår, pratade lokaler")
    out = console(sqlite_knalle, "/besök Ellos AB igår, pratade export", "klicka 2")
    assert "Besöket är sparat" in out
    assert [v[3] for v in visits(sqlite_knalle)] == ["pratade lokaler", "pratade export"]


def test_a_resend_that_changes_people_is_asked_too(sqlite_knalle: Knalle) -> None:
    out = console(sqlite_knalle, "/besök Ellos AB igår", "/besök Ellos AB igår med KSO")
    assert "vilka som var med" in out and len(visits(sqlite_knalle)) == 1


def test_commands_typed_wrong_are_asked_about(sqlite_knalle: Knalle) -> None:
    out = console(sqlite_knalle, "/besök lsita", "/besök statsitik", "/besök ångar")
    assert "Menade du `/besök lista`?" in out
    assert "Menade du `/besök statistik`?" in out
    assert "Menade du `/besök ångra`?" in out
    assert visits(sqlite_knalle) == [] and companies(sqlite_knalle) == []


def test_the_suggested_command_runs_with_a_click(sqlite_knalle: Knalle) -> None:
    out = console(sqlite_knalle, "/besök lsita", "klicka 1")
    assert "Dina senaste besök".upper() in out.upper() and companies(sqlite_knalle) == []


def test_a_company_called_like_a_typo_is_still_possible(sqlite_knalle: Knalle) -> None:
    console(sqlite_knalle, "/besök ångar", "klicka 2")
    assert companies(sqlite_knalle) == ["ångar"]


def test_a_company_that_starts_with_a_command_word_in_quotes(sqlite_knalle: Knalle) -> None:
    out = console(sqlite_knalle, "/besök hjälp", '/besök "Företag & Co" igår')
    assert '`/besök "Företag &amp; Co" igår`' in out or '/besök "Företag & Co" igår' in out
    assert companies(sqlite_knalle) == ["Företag & Co"]
    out = console(sqlite_knalle, "/besök företag Företags Co igår")
    assert "inom citattecken" in out


def test_aktivitet_typed_wrong_is_asked_about(sqlite_knalle: Knalle) -> None:
    out = console(sqlite_knalle, "/aktivitet mnia", "/aktivitet mina aktiviteter")
    assert out.count("Menade du `/aktivitet mina`?") == 2


def test_the_pick_value_of_an_old_button_says_to_write_again(sqlite_knalle: Knalle) -> None:
    from unittest.mock import MagicMock

    respond = MagicMock()
    body = {"user": {"id": "UPIA"}, "actions": [{"value": "garbled"}]}
    handler.handle_pick_day(sqlite_knalle, body, respond)
    assert "Skriv besöket igen" in respond.call_args.kwargs["text"]
    assert visits(sqlite_knalle) == []


def test_every_question_is_one_the_strict_slack_accepts(sqlite_knalle: Knalle) -> None:
    from bot.core.visits import actions as core
    from bot.core.visits.parser import DateQuestion, SeveralCompanies, parse_visit
    from handlers.limits import check_message

    today = dt.date(2026, 11, 24)
    long_tail = ", " + "lång anteckning " * 110
    replies = []
    for line in ("Gamla Mejeriet v.47" + long_tail, "Knalle tis 27/11", "Knalle igårr"):
        try:
            parse_visit(line, today)
        except DateQuestion as question:
            replies.append(blocks.date_question_message(question, today, line))
    line = "Ellos AB, Borås Energi och Volvo igår" + long_tail
    try:
        parse_visit(line, today)
    except SeveralCompanies as several:
        replies.append(blocks.several_message(several, today, line))
    replies.append(blocks.meant_command_message("lista", today, "lsita"))
    units.record_text(sqlite_knalle, "Ellos AB igår", "UPIA")
    try:
        units.record_text(sqlite_knalle, "Ellos AB igår, digitalt" + long_tail, "UPIA")
    except core.ChangedResend as resend:
        replies.append(blocks.resend_message(resend, today, "Ellos AB igår, digitalt"))
    assert len(replies) == 6
    for reply in replies:
        assert check_message(reply) is None, reply
