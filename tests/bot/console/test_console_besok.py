"""`/besök` in `knalle console`: the same handlers and database, driven by lines of text."""

from __future__ import annotations

import io

from sqlalchemy import select

from bot.console.session import run_console
from bot.context import Knalle
from storage.models import Visit


def console(knalle: Knalle, *lines: str) -> str:
    out = io.StringIO()
    assert run_console(knalle, io.StringIO("\n".join(lines) + "\n"), out) == 0
    return out.getvalue()


def visits(knalle: Knalle) -> list[Visit]:
    with knalle.db.read() as session:
        return list(session.scalars(select(Visit).order_by(Visit.id)))


def test_log_a_visit_then_undo_it_with_a_click(sqlite_knalle: Knalle) -> None:
    output = console(sqlite_knalle, "/besök Ellos AB igår", "klicka 2")
    assert "Besöket är sparat" in output
    assert "*Företag:* Ellos AB" in output and "*Datum:* mån 23 nov 2026" in output
    assert "[1] Ändra  [2] Ångra" in output
    assert "Besöket hos *Ellos AB* 23 nov 2026 är ångrat" in output
    [visit] = visits(sqlite_knalle)
    assert visit.deleted_at is not None and visit.author_id == "U0KONSOL"


def test_a_line_stays_stored_and_shows_in_the_list(sqlite_knalle: Knalle) -> None:
    output = console(
        sqlite_knalle,
        "/besök Textile Fashion Center i tisdags och KSO digitalt, pratade <!channel> & export",
        "/besök lista",
        "/besök statistik",
    )
    assert "*Datum:* tis 17 nov 2026" in output and "*Övriga:* KSO" in output
    assert "*Form:* digitalt" in output
    assert "dina senaste besök" in output.lower() and "*1* besök av målet *150*" in output
    [visit] = visits(sqlite_knalle)
    # Typed text reaches the bot escaped, as from Slack: stored as typed, shown, never a ping.
    assert visit.notes == "pratade <!channel> & export" and visit.deleted_at is None
    assert "pratade <!channel> & export" in output


def test_bad_input_says_what_to_write_and_stores_nothing(sqlite_knalle: Knalle) -> None:
    output = console(
        sqlite_knalle, "/besök Ellos AB om 3 dagar", "/besök igår", "/besök lista igår"
    )
    assert "ligger i framtiden" in output
    assert "Skriv företaget först" in output
    assert "/besök lista vecka" in output
    assert visits(sqlite_knalle) == []


def test_an_unsure_company_is_chosen_with_a_click(sqlite_knalle: Knalle) -> None:
    output = console(sqlite_knalle, "/besök Ellos AB igår", "/besök Elos idag", "klicka 1")
    assert "inte säker på vilket företag" in output
    assert "[1] Ellos AB  [2] Nytt företag: Elos" in output
    stored = visits(sqlite_knalle)
    assert len(stored) == 2 and stored[0].company_id == stored[1].company_id


def test_help_and_the_modal_in_the_console(sqlite_knalle: Knalle) -> None:
    output = console(sqlite_knalle, "/besök hjälp", "/besök")
    assert "Logga ett företagsbesök på en rad" in output
    assert "Logga besök" in output  # the modal's title, rendered as text


def test_the_same_visit_typed_differently_is_not_called_the_same_text(
    sqlite_knalle: Knalle,
) -> None:
    # "Elos AB idag" resolved to Ellos AB is the visit just logged as "Ellos AB": one visit, but
    # the user did not type the same text, so the reply must not claim that.
    output = console(sqlite_knalle, "/besök Ellos AB", "/besök Elos AB idag", "klicka 1")
    assert "redan sparat" in output
    assert "samma text" not in output
    assert "samma företag, dag och anteckning" in output
    assert len(visits(sqlite_knalle)) == 1


def test_statistics_of_a_past_year_without_visits_do_not_say_this_year(
    sqlite_knalle: Knalle,
) -> None:
    output = console(sqlite_knalle, "/besök statistik 2019")
    assert "FÖRETAGSBESÖK 2019" in output and "*0* besök av målet" in output
    assert "i år" not in output
    assert "Inga besök registrerade." in output
