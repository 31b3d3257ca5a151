"""Long CLI work shows a rich progress bar on a terminal and nothing at all when piped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.cli.backfill import run_import
from bot.cli.export import run_export
from bot.cli.progress import QUIET_ENV, progress, track
from bot.context import Knalle
from tests import units


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(QUIET_ENV, raising=False)
    monkeypatch.setenv("TERM", "xterm")


def test_piped_there_is_no_bar_and_the_items_pass_unchanged() -> None:
    err = io.StringIO()
    assert list(track(range(5), "Räknar", 5, stream=err)) == [0, 1, 2, 3, 4]
    with progress("Räknar", stream=err) as advance:
        advance(3)
    assert err.getvalue() == ""


def test_on_a_terminal_the_bar_is_drawn_with_its_label_and_count() -> None:
    err = Tty()
    assert list(track(range(5), "Räknar", 5, stream=err)) == [0, 1, 2, 3, 4]
    shown = err.getvalue()
    assert "Räknar" in shown and "5/5" in shown and "\x1b[" in shown


def test_the_setting_turns_it_off_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(QUIET_ENV, "1")
    err = Tty()
    assert list(track(range(3), "Räknar", 3, stream=err)) == [0, 1, 2]
    assert err.getvalue() == ""


def test_export_shows_the_visits_counted_on_a_terminal_only(
    sqlite_knalle: Knalle, tmp_path: Path
) -> None:
    for company in ("Ellos AB", "Volvo AB", "Hemtex AB"):
        units.record_text(sqlite_knalle, f"{company} igår, lager", "UPIA")
    err = Tty()
    out = io.StringIO()
    target = tmp_path / "besok.csv"
    assert run_export(sqlite_knalle, "visits", output=target, out=out, err=err) == 0
    assert "Exporterar besök" in err.getvalue() and "3/3" in err.getvalue()
    assert len(target.read_text(encoding="utf-8").splitlines()) == 4  # the rows all written
    piped = io.StringIO()
    assert run_export(sqlite_knalle, "visits", out=io.StringIO(), err=piped) == 0
    assert piped.getvalue() == ""


def test_import_shows_its_rows_on_a_terminal(sqlite_knalle: Knalle, tmp_path: Path) -> None:
    path = tmp_path / "lista.csv"
    path.write_text(
        "datum,företag,personal,övriga,form,anteckningar,författare\n"
        "2022-05-03,Ellos AB,UPIA,,på plats,bra,UPIA\n"
        "2022-05-04,Volvo AB,UPIA,,på plats,bra,UPIA\n",
        encoding="utf-8",
    )
    err = Tty()
    assert run_import(sqlite_knalle, path, out=io.StringIO(), err=err) == 0
    assert "Sparar besöken" in err.getvalue() and "2/2" in err.getvalue()
