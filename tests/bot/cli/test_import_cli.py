"""`knalle import visits FILE`: Swedish errors by row and column, nothing stored, then a rerun."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import cli
from bot.cli.backfill import run_backfill, run_import
from bot.context import Knalle
from storage.models import Visit

HEADER = "datum,företag,personal,övriga,form,anteckningar,författare\n"


def visits(knalle: Knalle) -> int:
    with knalle.db.read() as session:
        return int(session.scalar(select(func.count(Visit.id))) or 0)


def test_errors_then_fixed_then_rerun(sqlite_knalle: Knalle, tmp_path: Path) -> None:
    path = tmp_path / "lista.csv"
    path.write_text(
        HEADER + "2022-05-03,Ellos AB,UPIA,,på plats,bra,UPIA\n2022-13-01,Hemtex,UPIA,,,,UPIA\n",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    assert run_import(sqlite_knalle, path, out=out, err=err) == 1
    assert "Rad 3, kolumn datum" in err.getvalue() and "Inget sparades" in err.getvalue()
    assert visits(sqlite_knalle) == 0
    out, err = io.StringIO(), io.StringIO()
    assert run_import(sqlite_knalle, path, skip_bad=True, out=out, err=err) == 0
    assert "Sparade 1 besök" in out.getvalue() and visits(sqlite_knalle) == 1
    out = io.StringIO()
    assert run_import(sqlite_knalle, path, skip_bad=True, out=out, err=io.StringIO()) == 0
    assert "Sparade 0 besök. 1 fanns redan" in out.getvalue() and visits(sqlite_knalle) == 1


def test_a_missing_file_and_bad_backfill_arguments_answer_in_swedish(
    sqlite_knalle: Knalle, tmp_path: Path
) -> None:
    err = io.StringIO()
    assert run_import(sqlite_knalle, tmp_path / "saknas.xlsx", err=err) == 1
    assert "finns inte" in err.getvalue()
    err = io.StringIO()
    assert run_backfill(sqlite_knalle, "besök-kanalen", err=err) == 2
    assert "inget kanal-id" in err.getvalue()
    err = io.StringIO()
    assert run_backfill(sqlite_knalle, "C0BESOK", output=tmp_path / "x.txt", err=err) == 2
    assert ".xlsx eller .csv" in err.getvalue()


def test_the_verbs_are_wired(
    monkeypatch: pytest.MonkeyPatch, sqlite_url: str, tmp_path: Path
) -> None:
    monkeypatch.setenv("KNALLE_DATABASE_URL", sqlite_url)
    path = tmp_path / "tom.csv"
    path.write_text(HEADER, encoding="utf-8")
    assert cli.main(["import", "visits", str(path)]) == 0
    with pytest.raises(SystemExit):
        cli.main(["backfill"])
