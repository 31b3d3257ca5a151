"""/aktivitet and the Home tab in `knalle console`: typed lines in, text out, the same app."""

from __future__ import annotations

import io

from sqlalchemy import select

from bot.console.session import run_console
from bot.context import Knalle
from storage.models import ActivityUpdate
from tests.handlers.activity_plan import build_plan


def console(knalle: Knalle, *lines: str, user: str | None = "Pia") -> str:
    out = io.StringIO()
    run_console(knalle, io.StringIO("\n".join(lines) + "\n"), out, user=user)
    return out.getvalue()


def stored(knalle: Knalle) -> list[ActivityUpdate]:
    with knalle.db.read() as session:
        return list(session.scalars(select(ActivityUpdate).order_by(ActivityUpdate.id)))


def test_typed_update_in_the_console_is_stored_with_source_console(sqlite_knalle: Knalle) -> None:
    with sqlite_knalle.db.write() as session:
        ids = build_plan(session)
    out = console(sqlite_knalle, "/aktivitet Företagsamt gul Decembernumret försenat")
    assert "Sparat: 🟡 *1.5.6 Företagsamt* – gul" in out
    assert "Decembernumret försenat" in out and "Period 2026-H2" in out
    # The other owner's DM shows in the terminal too.
    assert "DM till Anna M" in out and "Pia uppdaterade din aktivitet" in out
    (row,) = stored(sqlite_knalle)
    assert (row.activity_id, row.author_slack_id, row.source) == (
        ids["företagsamt"],
        "UPIA",
        "console",
    )


def test_ambiguous_name_then_click_stores(sqlite_knalle: Knalle) -> None:
    with sqlite_knalle.db.write() as session:
        ids = build_plan(session)
    out = console(sqlite_knalle, "/aktivitet koncentrerade röd Inga besök", "klicka 2")
    assert "passar flera aktiviteter" in out
    assert "[2] 1.2.2 Koncentrerade företagsbesök – 109+" in out
    (row,) = stored(sqlite_knalle)
    assert (row.activity_id, row.light, row.comment) == (ids["109+"], "röd", "Inga besök")


def test_mina_visa_hjalp_and_home(sqlite_knalle: Knalle) -> None:
    with sqlite_knalle.db.write() as session:
        build_plan(session)
    out = console(
        sqlite_knalle,
        "/aktivitet 1.5.6 grön Klart för i år",
        "/aktivitet mina",
        "/aktivitet visa 1.5.6",
        "/aktivitet hjälp",
        "hem",
    )
    mina = out.split("knalle> /aktivitet mina")[1].split("knalle> ")[0]
    assert "DINA AKTIVITETER (PIA)" in mina and "🟢" in mina and "ej rapporterad" in mina
    visa = out.split("knalle> /aktivitet visa 1.5.6")[1].split("knalle> ")[0]
    assert "Syfte:" in visa and "Fyra nummer om året" in visa and "Klart för i år" in visa
    assert "/aktivitet paus till 10 augusti" in out
    home = out.split("knalle> hem")[1]
    assert "Hemflik för Pia" in home and "Mina aktiviteter" in home and "[Uppdatera]" in home
    assert "Teamets besök 2026:* 0 av målet 150" in home


def test_bad_input_in_the_console_stores_nothing(sqlite_knalle: Knalle) -> None:
    with sqlite_knalle.db.write() as session:
        build_plan(session)
    out = console(
        sqlite_knalle,
        "/aktivitet Rymdresor gul Klart",
        "/aktivitet Företagsamt lila Klart",
        "/aktivitet Företagsamt gul",
    )
    assert "Jag hittar ingen aktivitet som heter ”Rymdresor”" in out
    assert "”lila” är inget ljus" in out
    assert "Kommentaren saknas" in out
    assert stored(sqlite_knalle) == []


def test_pause_and_resume_in_the_console(sqlite_knalle: Knalle) -> None:
    with sqlite_knalle.db.write() as session:
        build_plan(session)
    out = console(sqlite_knalle, "/aktivitet paus till 10 augusti", "hem", "/aktivitet fortsätt")
    assert "förrän 10 aug 2027" in out
    assert "pausade till 10 aug 2027" in out.split("knalle> hem")[1]
    assert "Klart: du får Knalles DM igen." in out
